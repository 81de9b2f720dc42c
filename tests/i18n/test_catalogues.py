"""The translation catalogues: complete in every shipped language, in step with the code, plural-correct."""

from __future__ import annotations

import fnmatch
from pathlib import Path

import jinja2
import pytest
import tomllib
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from timeline.core.schema import NO_CLAIMS, VERDICTS
from timeline.core.vocabulary import no_claims_in, verdict_label_in, verdicts_in
from timeline.i18n import catalogues
from timeline.i18n.catalogues import (
    GLOSSARY,
    KEYWORDS,
    catalogue_file,
    count,
    install_jinja,
    pgettext,
    shipped_catalogues,
    translations,
)
from timeline.i18n.formats import format_number

ROOT = Path(__file__).resolve().parents[2]
I18N = ROOT / "timeline" / "i18n"
LOCALES = I18N / "locales"
SHIPPED = ["ar", "de", "en", "es", "fa", "fr"]


def read(path: Path):
    with path.open("rb") as f:
        return read_po(f)


def keys(catalogue) -> set[tuple[str | None, str]]:
    """Each message as (context, msgid) -- the singular for a plural message."""
    return {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in catalogue if m.id}


def test_the_six_languages_ship():
    assert shipped_catalogues() == SHIPPED


def test_the_template_is_in_step_with_the_code():
    """timeline.pot holds exactly what pybabel extracts from our Python, templates and JavaScript (make messages)."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as f:
        method_map, options_map = parse_mapping_cfg(f)
    keywords = dict(DEFAULT_KEYWORDS)  # what pybabel extract uses, plus the -k of make messages
    keywords.update(KEYWORDS)
    found = set()
    for _file, _line, message, _comments, context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=keywords, strip_comment_tags=True
    ):
        found.add((context, message if isinstance(message, str) else message[0]))
    assert found == keys(read(LOCALES / "timeline.pot")), (
        "run `make messages` and translate what it adds"
    )


def test_the_makefile_extracts_with_the_same_keywords():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "BABEL_KEYWORDS := -k N_ -k NP_:1c,2 -k NNP_:1c,2,3" in makefile
    assert set(KEYWORDS) == {"N_", "NP_", "NNP_"}


@pytest.mark.parametrize("code", SHIPPED)
def test_a_shipped_catalogue_has_every_message_translated(code):
    template = read(LOCALES / "timeline.pot")
    catalogue = read(LOCALES / code / "LC_MESSAGES" / "timeline.po")
    assert keys(catalogue) == keys(template), "missing or extra messages: run `make messages`"
    assert not catalogue.fuzzy, "the header is marked fuzzy"
    assert list(catalogue.obsolete) == []
    for message in catalogue:
        if not message.id:
            continue
        assert not message.fuzzy, f"{code}: fuzzy: {message.id!r}"
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.pluralizable:
            assert len(strings) == catalogue.num_plurals, (
                f"{code}: {message.id!r} needs {catalogue.num_plurals} forms"
            )
        assert all(s.strip() for s in strings), f"{code}: empty translation of {message.id!r}"
    assert [(m.id, errors) for m, errors in catalogue.check()] == []  # placeholders agree


def test_arabic_has_cldr_s_six_plural_forms_each_written():
    catalogue = read(LOCALES / "ar" / "LC_MESSAGES" / "timeline.po")
    assert catalogue.num_plurals == 6
    got = [count("claims", n, "ar", num=format_number(n, "ar")) for n in (0, 1, 2, 3, 11, 100)]
    assert got == ["لا ادعاءات", "ادعاء واحد", "ادعاءان", "3 ادعاءات", "11 ادعاءً", "100 ادعاء"]
    assert count("sources", 103, "ar") == "103 مصادر"  # 103 takes the "few" form
    assert count("events", 1011, "ar") == "1011 حدثًا"  # and 1011 the "many" form


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("en", ["1 claim", "2 claims", "0 claims"]),
        ("fa", ["۱ ادعا", "۲ ادعا", "۰ ادعا"]),
        ("fr", ["1 affirmation", "2 affirmations", "0 affirmation"]),
        ("es", ["1 afirmación", "2 afirmaciones", "0 afirmaciones"]),
        ("de", ["1 Behauptung", "2 Behauptungen", "0 Behauptungen"]),
    ],
)
def test_counts_take_each_language_s_plural_and_digits(tag, expected):
    assert [count("claims", n, tag, num=format_number(n, tag)) for n in (1, 2, 0)] == expected


def test_english_verdicts_are_the_schema_s_table_itself():
    assert verdicts_in("en") == VERDICTS
    assert all(a is b for a, b in zip(verdicts_in("en-GB"), VERDICTS))
    assert no_claims_in("en") is NO_CLAIMS
    # and the English catalogue says the same words, so nothing changes if English ever goes through it
    assert [pgettext("verdict", v.label, "en") for v in VERDICTS] == [v.label for v in VERDICTS]


@pytest.mark.parametrize("tag", ["fa", "ar", "ar-IQ", "fr", "es", "de"])
def test_verdicts_in_a_language_translate_label_and_meaning_only(tag):
    translated = verdicts_in(tag)
    assert [v.key for v in translated] == [v.key for v in VERDICTS]
    assert [(v.rating, v.colour, v.symbol) for v in translated] == [
        (v.rating, v.colour, v.symbol) for v in VERDICTS
    ]
    for mine, english in zip(translated, VERDICTS):
        assert mine.label != english.label and mine.meaning != english.meaning
    assert len({v.label for v in translated}) == len(VERDICTS)


def test_verdict_labels_in_the_desk_s_words():
    assert [verdict_label_in("needs-context", t) for t in ("fa", "ar", "fr", "es", "de")] == [
        "نیازمند زمینه",
        "يحتاج إلى سياق",
        "Manque de contexte",
        "Falta contexto",
        "Fehlender Kontext",
    ]
    assert verdict_label_in("flase", "fa") == "flase"  # unknown keys as written, as in English
    assert verdict_label_in("", "fa") == "(none)"


def test_a_region_uses_its_language_s_catalogue_and_an_unshipped_language_english():
    assert translations("ar-IQ") is translations("ar")
    assert pgettext("glossary", "claim", "it") == "claim"


def glossary_tables(code: str) -> list[list[list[str]]]:
    """The tables of a GLOSSARY.md, each a list of rows of cells (header and rule left out)."""
    tables: list[list[list[str]]] = []
    for block in (LOCALES / code / "GLOSSARY.md").read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.splitlines() if line.startswith("| ")]
        if lines:
            tables.append(
                [[c.strip() for c in line.strip().strip("|").split("|")] for line in lines[2:]]
            )
    return tables


@pytest.mark.parametrize("code", SHIPPED)
def test_each_glossary_file_agrees_with_its_catalogue(code):
    words, scale = glossary_tables(code)
    assert [r[0] for r in words] == list(GLOSSARY)
    assert {r[0]: r[1] for r in words} == {
        term: pgettext("glossary", term, code) for term in GLOSSARY
    }
    english = [*VERDICTS, NO_CLAIMS]
    assert [r[0] for r in scale] == [v.label for v in english]
    assert [r[1] for r in scale] == [v.label for v in [*verdicts_in(code), no_claims_in(code)]]
    assert all(r[2] for r in words + scale), "each word says why it was chosen"


def test_jinja_templates_get_the_language_s_words():
    env = install_jinja(jinja2.Environment(autoescape=True), "fa")
    template = env.from_string(
        '{{ pgettext("glossary", "fact check") }} | {% trans %}Accurate{% endtrans %} | '
        '{{ npgettext("count", "%(num)s claim", "%(num)s claims", 3, num="۳") }}'
    )
    assert (
        template.render() == "راستی‌آزمایی | Accurate | ۳ ادعا"
    )  # a message without context stays English


def test_the_package_data_ships_every_catalogue_file():
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
        "setuptools"
    ]["package-data"]
    patterns = data["timeline.i18n"]
    files = [
        p.relative_to(I18N).as_posix()
        for p in I18N.rglob("*")
        if p.is_file() and p.suffix not in (".py", ".pyc")
    ]
    unshipped = [f for f in files if not any(fnmatch.fnmatch(f, pat) for pat in patterns)]
    assert unshipped == []
    assert (
        catalogue_file("fa").is_file()
        and catalogues.locales_dir().joinpath("timeline.pot").is_file()
    )
