"""A story's language: story.json's BCP 47 tag, checked against CLDR, with its script's direction."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import timeline
from timeline.core.story import check_story, story_language, story_meta
from timeline.errors import LoadError, OptionError
from timeline.i18n.tags import language, suggest


def write_story(folder: Path, **story: object) -> None:
    (folder / "story.json").write_text(
        json.dumps(story, ensure_ascii=False, indent=2), encoding="utf-8"
    )


@pytest.mark.parametrize(
    ("tag", "canonical", "direction"),
    [
        ("en", "en", "ltr"),
        ("fa", "fa", "rtl"),
        ("ar", "ar", "rtl"),
        ("ar-IQ", "ar-IQ", "rtl"),
        ("he", "he", "rtl"),
        ("ur", "ur", "rtl"),
        ("ckb", "ckb", "rtl"),
        ("fr", "fr", "ltr"),
        ("en-GB", "en-GB", "ltr"),
        (
            "en-gb",
            "en-GB",
            "ltr",
        ),  # BCP 47 tags are case-insensitive: the same tag, written canonically
        ("sr-Cyrl-RS", "sr-Cyrl-RS", "ltr"),
        ("zh-TW", "zh-TW", "ltr"),  # Babel reads it as zh-Hant-TW; the tag stays as written
        (
            "pa-PK",
            "pa-PK",
            "rtl",
        ),  # Punjabi in Pakistan is written in Arabic script (CLDR's likely script)
        ("az-IR", "az-IR", "rtl"),
        ("es-419", "es-419", "ltr"),
    ],
)
def test_a_tag_cldr_knows_gives_its_canonical_form_and_direction(tag, canonical, direction):
    lang = language(tag)
    assert (lang.tag, lang.direction) == (canonical, direction)


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("farsi", "fa"),
        ("Farsi", "fa"),
        ("Persian", "fa"),
        ("arabic", "ar"),
        ("français", "fr"),
        ("فارسی", "fa"),
        ("en_GB", "en-GB"),
        ("ar_IQ", "ar-IQ"),
        ("iw", "he"),  # the withdrawn code for Hebrew
        ("British English", "en-GB"),
        ("arbic", "ar"),
    ],
)
def test_a_name_or_an_old_form_is_refused_with_the_tag_meant(written, meant):
    with pytest.raises(
        OptionError, match=f"'{written}' is not a BCP 47 language tag .* did you mean '{meant}'\\?"
    ):
        language(written)


@pytest.mark.parametrize("written", ["klingon", "en-US-x", "", "x"])
def test_nothing_is_guessed_where_nothing_is_close(written):
    with pytest.raises(OptionError) as e:
        language(written)
    assert "did you mean" not in str(e.value)
    assert suggest(written) is None


def test_a_story_without_a_language_is_english(valid_folder):
    assert story_language(valid_folder).tag == "en"
    write_story(valid_folder, title="T")
    assert story_language(valid_folder).tag == "en"
    assert check_story(valid_folder) == []


def test_the_loaded_story_exposes_its_language_and_direction(valid_folder):
    write_story(valid_folder, title="گاه‌شمار", language="fa")
    ds = timeline.load(valid_folder)
    assert (ds.language.tag, ds.language.direction) == ("fa", "rtl")
    write_story(valid_folder, title="T", language="en-GB")
    assert (ds.language.tag, ds.language.direction) == ("en-GB", "ltr")


def test_the_story_text_and_its_meta_are_unchanged_by_a_language(valid_folder):
    write_story(valid_folder, title="گاه‌شمار", standfirst="متن", language="fa")
    assert story_meta(valid_folder) == {"title": "گاه‌شمار", "standfirst": "متن"}


def test_the_validator_names_file_line_and_the_tag_to_write(valid_folder):
    write_story(valid_folder, title="T", language="en_GB")
    problems = timeline.load(valid_folder).validate()
    mine = [p for p in problems if p.file.endswith("story.json")]
    assert len(mine) == 1
    p = mine[0]
    assert (p.file, p.line, p.column, p.severity) == (
        str(valid_folder / "story.json"),
        3,
        "language",
        "error",
    )
    assert "did you mean 'en-GB'?" in p.message


def test_a_language_that_is_not_a_string_is_an_error(valid_folder):
    write_story(valid_folder, title="T", language=["fa"])
    (problem,) = check_story(valid_folder)
    assert problem.column == "language"
    assert problem.message == 'must be a BCP 47 tag in quotes, such as "fa" or "en-GB", not ["fa"]'


def test_reading_the_language_of_a_bad_tag_raises_a_load_error_naming_the_file(valid_folder):
    write_story(valid_folder, title="T", language="farsi")
    with pytest.raises(
        LoadError, match=r"story\.json:3: language: 'farsi' .* did you mean 'fa'\?"
    ) as e:
        story_language(valid_folder)
    assert e.value.path == str(valid_folder / "story.json")


def test_an_unreadable_story_json_is_reported_by_the_validator(valid_folder):
    (valid_folder / "story.json").write_text('{"title": "T",', encoding="utf-8")
    (problem,) = check_story(valid_folder)
    assert (problem.file, problem.line) == (str(valid_folder / "story.json"), 1)
    assert problem.message.startswith("story.json is not valid UTF-8 JSON")
    (valid_folder / "story.json").write_text("[1, 2]", encoding="utf-8")
    (problem,) = check_story(valid_folder)
    assert problem.line is None
    assert problem.message == "story.json must hold an object with 'title' and 'standfirst'"
