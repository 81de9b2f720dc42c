"""The validator's messages are marked for translation: each one a check writes is a message of
timeline.pot (its placeholders filled), so that ``make messages`` carries it to every catalogue."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from timeline.core.dataset import load
from timeline.i18n.markers import Message

ROOT = Path(__file__).resolve().parents[2]
CASES = sorted(
    p
    for kind in ("invalid", "warnings")
    for p in (ROOT / "tests" / "data" / kind).iterdir()
    if p.is_dir()
)


@pytest.fixture(scope="module")
def templates() -> list[re.Pattern[str]]:
    """Each message of timeline.pot as a pattern: its placeholders match any text."""
    with (ROOT / "timeline" / "i18n" / "locales" / "timeline.pot").open("rb") as f:
        catalogue = read_po(f)
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in catalogue if m.id}
    return [
        re.compile(re.sub(r"%\\\(\w+\\\)s", ".+?", re.escape(i)), re.S) for i in ids if "%(" in i
    ] + [re.compile(re.escape(i)) for i in ids if "%(" not in i]


@pytest.fixture(scope="module")
def problems() -> list[tuple[str, object]]:
    """Every problem the reader's and the validator's checks find in the bad-input cases."""
    found = []
    for case in CASES:
        for p in load(case).validate():
            found.append((case.name, p))
    return found


def test_story_json_problems_are_marked_and_said_in_the_readers_language(
    tmp_path: Path, templates
) -> None:
    """story.json's checks (timeline/core/story.py): each problem a Message of the catalogue, said in
    Persian by the catalogue, the English unchanged."""
    from timeline.core.story import check_story
    from timeline.i18n.catalogues import gettext

    (tmp_path / "story.json").write_text(
        '{"title": "", "language": 7, "calendar": "julian", "also_gregorian": "yes",\n'
        ' "time_axis": "up", "verdicts": {"acurate": {"label": "x"}, "accurate": {"colour": "x"}}}\n',
        encoding="utf-8",
    )
    problems = check_story(tmp_path)
    assert len(problems) == 7  # language, time_axis, calendar, also_gregorian, 2 verdicts, title
    for p in problems:
        assert isinstance(p.message, Message), p.message
        assert any(t.fullmatch(p.message) for t in templates), p.message
        persian = gettext(p.message.template, "fa") % p.message.args
        assert persian != p.message and re.search("[\u0600-\u06ff]", persian), p.message
    assert any("did you mean 'accurate'" in p.message for p in problems)


def test_every_message_a_check_writes_is_in_the_catalogue_template(templates, problems):
    for case, p in problems:
        assert any(t.fullmatch(p.message) for t in templates), f"{case}: not marked: {p.message}"
    assert len({p.message.template for _case, p in problems}) > 30  # the cases cover the checks


def test_a_message_remembers_its_template_and_says_the_same_english(problems):
    for case, p in problems:
        assert isinstance(p.message, Message), f"{case}: {p.message}"
        said = p.message.template % p.message.args if p.message.args else p.message.template
        assert said == p.message, case  # the English, byte for byte
        assert p.as_dict()["message"] == p.message  # and as --json writes it
