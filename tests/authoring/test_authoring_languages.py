"""The authoring app in the analyst's language: a Persian and a French story built in-process."""

from __future__ import annotations

import html
import json
import shutil
from pathlib import Path

import pytest

from timeline.authoring import AuthoringApp, build_authoring
from timeline.authoring.app import RTL_CLASS
from timeline.authoring.fields import IdList

TEST_DATA = Path(__file__).resolve().parents[1] / "data" / "valid"


def story_in(tmp: Path, tag: str) -> Path:
    folder = tmp / f"data-{tag}"
    shutil.copytree(TEST_DATA, folder)
    (folder / "story.json").write_text(
        json.dumps({"title": "t", "language": tag}, ensure_ascii=False), encoding="utf-8"
    )
    return folder


@pytest.fixture(scope="module")
def persian(tmp_path_factory) -> AuthoringApp:
    app = build_authoring(story_in(tmp_path_factory.mktemp("fa"), "fa"))
    assert isinstance(app, AuthoringApp)
    return app


@pytest.fixture(scope="module")
def french(tmp_path_factory) -> AuthoringApp:
    app = build_authoring(story_in(tmp_path_factory.mktemp("fr"), "fr"))
    assert isinstance(app, AuthoringApp)
    return app


def test_a_persian_story_s_app_speaks_persian_right_to_left(persian):
    assert persian.words.tag == "fa"
    assert persian.tabs.titles == ("روایت", "رویداد", "ادعا", "منبع", "بازبینی و ذخیره")
    # the container turns right to left, and every HTML panel carries its language and direction
    assert RTL_CLASS in persian._dom_classes
    assert "direction: rtl" in persian.children[0].value
    assert persian.health.value.startswith('<div lang="fa" dir="rtl">')
    health = html.unescape(persian.health.value)
    assert "رویدادها: <b>۳</b> · ادعاها: <b>۲</b> · منابع: <b>۲</b>" in health
    # the problem table: its head, the severity, the line in Persian digits, the column's label
    assert "<th>شدت</th><th>پرونده</th><th>خط</th><th>ستون</th><th>پیام</th>" in health
    assert (
        '<td style="color:#8a4b00">هشدار</td><td>events.csv</td><td>۲</td><td>دسته</td>' in health
    )
    form = persian.forms["claims"]
    assert form.fields["verdict"].description == "داوری *"
    assert form.fields["verdict"].options[1][0].startswith("درست — ")  # the glossary's verdict name
    assert form.apply_button.description == "افزودن"
    assert [label for label, _ in form.mode.options] == ["افزودن تازه", "ویرایش موجود"]
    assert "(column verdict)" not in form.fields["verdict"].tooltip
    assert "(ستون verdict)" in form.fields["verdict"].tooltip
    evidence = form.fields["evidence"]
    assert isinstance(evidence, IdList) and evidence.dir == "rtl"
    assert evidence.words["remove"] == "حذف {id}"
    assert persian.save_button.description.startswith("ذخیره در ")


def test_a_persian_draft_reads_its_date_and_problems_in_persian(persian):
    form = persian.forms["events"]
    form.fields["start"].value = "2020-01-03"
    assert "۱۳ دی ۱۳۹۸" in form.readings["start"].value
    assert 'dir="rtl"' in form.readings["start"].value
    form.fields["start"].value = "2020-01-03T00:47+03:00"
    reading = html.unescape(form.readings["start"].value)
    assert "۱۳ دی ۱۳۹۸" in reading and "(UTC+03:00)" in reading
    form.fields["start"].value = "03/01/2020"
    assert "«03/01/2020» دوپهلوست:" in html.unescape(form.readings["start"].value)
    form.fields["start"].value = ""
    form.fields["id"].value = "new-one"
    form.apply()  # refused: the draft has errors
    status = html.unescape(form.status.value)
    assert "اعمال نشد: پیش‌نویس" in status
    # a required column's help, nested in the validator's message, is said in Persian too
    assert "خالی است؛ هر رویداد title می‌خواهد (تیتر یک‌خطی.)" in html.unescape(form.draft_html.value)
    form.clear()


def test_a_french_story_s_app_speaks_french_left_to_right(french):
    assert french.tabs.titles == (
        "Récit",
        "Événement",
        "Affirmation",
        "Source",
        "Vérifier et enregistrer",
    )
    assert RTL_CLASS not in french._dom_classes
    assert french.health.value.startswith('<div lang="fr" dir="ltr">')
    assert "<th>gravité</th><th>fichier</th><th>ligne</th><th>colonne</th><th>message</th>" in (
        french.health.value
    )
    form = french.forms["claims"]
    assert form.fields["verdict"].options[2][0].startswith("Manque de contexte — ")
    assert french.reload_button.description == "Recharger depuis le disque"
    assert form.fields["evidence"].dir == "ltr"


def test_the_analyst_s_language_overrides_the_story_s(tmp_path):
    app = build_authoring(story_in(tmp_path, "fa"), language="de")
    assert isinstance(app, AuthoringApp)
    assert app.words.tag == "de"
    assert app.tabs.titles[0] == "Geschichte"
    assert RTL_CLASS not in app._dom_classes
    english = build_authoring(story_in(tmp_path / "en", "fr"), language="en")
    assert english.tabs.titles == ("Story", "Event", "Claim", "Source", "Review & save")
    assert english.health.value.startswith("<h3>Health of ")  # English as it always was


def test_an_unknown_language_is_refused_with_the_tag_to_write(tmp_path):
    shown = build_authoring(story_in(tmp_path, "fa"), language="farsi")
    assert not isinstance(shown, AuthoringApp)
    assert "The authoring app cannot open" in shown.value and "fa" in shown.value


def test_a_refused_edit_says_why_in_persian(persian):
    form = persian.forms["sources"]
    form.mode.value = "edit"
    form.pick.value = "src-a"
    assert not form.remove()  # an event cites it
    said = html.unescape(form.status.value)
    assert (
        "حذف نشد: منبع «src-a» را نمی‌توان حذف کرد: این‌ها به آن ارجاع می‌دهند: events/strike" in said
    )
    form.mode.value = "add"
