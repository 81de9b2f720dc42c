"""The chart and the page's script in the story's language, built in-process (issue 24).

The tests' own Persian, Arabic and English editions (tests/data/editions/, same ids): the figure's
ticks on the calendar's own months with the language's digits, hover dates, legend, axis title
and direction; the messages the page's script gets, with Arabic's six plural forms.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timezone

import pytest
from conftest import ROOT

from timeline import load
from timeline.i18n.calendars import PERSIAN, to_calendar
from timeline.i18n.catalogues import translations
from timeline.views.assets import SCRIPT_DIR, SCRIPT_PARTS
from timeline.views.chart_language import axis_ticks, pick_ticks, script_language, script_msgids
from timeline.views.figure import build_figure
from timeline.views.render import render_story

EDITIONS = ROOT / "tests" / "data" / "editions"
PERSIAN_DIGITS = set("۰۱۲۳۴۵۶۷۸۹")


@pytest.fixture(scope="module")
def editions():  # type: ignore[no-untyped-def]
    return {code: load(EDITIONS / code) for code in ("en", "fa", "ar")}


@pytest.fixture(scope="module")
def fa_figure(editions):  # type: ignore[no-untyped-def]
    return build_figure(editions["fa"])


def _day(tick) -> date:  # type: ignore[no-untyped-def]
    return tick.to_pydatetime().date()


def test_persian_ticks_sit_on_solar_hijri_days_in_persian_words_and_digits(fa_figure) -> None:
    axis = fa_figure.layout.xaxis
    assert axis.tickmode == "array" and len(axis.tickvals) >= 2
    months = {"دی", "بهمن"}
    for tick, text in zip(axis.tickvals, axis.ticktext):
        day = to_calendar(_day(tick), PERSIAN)
        # A short story's ticks: the Solar Hijri 1st, 8th, 15th and 22nd, named by that calendar.
        assert day.day in (1, 8, 15, 22), (tick, text)
        name = text.split(" ", 1)[1]
        assert name in months, text
        assert set(text.split(" ", 1)[0]) <= PERSIAN_DIGITS, text
    assert "۱ بهمن" in axis.ticktext  # 1 Bahman 1398 is 21 January 2020, not 1 February


def test_persian_hover_dates_legend_title_and_direction(fa_figure) -> None:
    hovers = [t for trace in fa_figure.data if trace.mode == "markers" for t in trace.text]
    announced = next(h for h in hovers if "شورای شهر کرایهٔ تازهٔ اتوبوس را اعلام کرد" in h)
    assert "۱۳ دی ۱۳۹۸" in announced  # 3 January 2020, as the golden date of issue 24
    assert "۰۹:۰۰" in announced and not re.search(r"[0-9]{2}:", announced)
    names = {t.name for t in fa_figure.data if t.mode == "markers"}
    assert "نادرست" in names and "Inaccurate" not in names
    layout = fa_figure.layout
    assert layout.legend.title.text == "بدترین داوری"
    assert layout.xaxis.title.text == "زمان گزارش‌شده (به وقت محلی هر رویداد)"
    assert layout.xaxis.autorange == "reversed" and layout.yaxis.side == "right"
    assert layout.legend.xanchor == "right"  # the legend mirrored: title at its right end,
    assert layout.legend.title.side == "top right"  # the first verdict rightmost
    assert layout.legend.traceorder == "reversed"
    # The option: left to right on request.
    ltr = build_figure(load(EDITIONS / "fa"), direction="ltr")
    assert ltr.layout.xaxis.autorange is None and ltr.layout.yaxis.side is None
    assert ltr.layout.legend.traceorder is None and ltr.layout.legend.title.side is None


def test_arabic_names_january_as_its_region_writes_it(editions) -> None:
    ar = build_figure(editions["ar"])
    assert ar.layout.xaxis.autorange == "reversed"
    assert any("يناير" in t for t in ar.layout.xaxis.ticktext), ar.layout.xaxis.ticktext
    iq = build_figure(editions["ar"], lang="ar-IQ")
    assert any("كانون الثاني" in t for t in iq.layout.xaxis.ticktext), iq.layout.xaxis.ticktext
    assert not any("يناير" in t for t in iq.layout.xaxis.ticktext)


def test_english_figure_keeps_plotly_ticks_and_its_words(editions) -> None:
    en = build_figure(editions["en"])
    assert en.layout.xaxis.tickvals is None and en.layout.xaxis.autorange is None
    assert en.layout.xaxis.title.text == "As reported (local time)"
    assert en.layout.legend.title.text == "Worst verdict"


def test_long_ranges_tick_month_starts_then_years() -> None:
    lo = datetime(2019, 3, 1, tzinfo=timezone.utc).timestamp() * 1000
    hi = datetime(2021, 3, 1, tzinfo=timezone.utc).timestamp() * 1000
    ticks = axis_ticks(lo, hi, "fa")
    for ms, m in zip(ticks["ms"], ticks["m"]):
        day = to_calendar(datetime.fromtimestamp(ms / 1000, timezone.utc).date(), PERSIAN)
        assert (day.day, day.month) == (1, m)
    vals, text = pick_ticks(ticks, lo, hi, most=8)
    # Two years in at most 8 ticks: every fourth month from the year's first (Farvardin).
    assert text[:3] == ["فروردین ۱۳۹۸", "مرداد ۱۳۹۸", "آذر ۱۳۹۸"] and len(vals) <= 8
    years, labels = pick_ticks(ticks, lo, hi, most=2)
    assert labels == ["۱۳۹۸"]  # every other year: 1 Farvardin 1398 is 21 March 2019


def test_the_script_gets_its_messages_with_arabic_plural_forms() -> None:
    # Every _("...") and ngettext(...) of the script is found (as `make messages` finds them).
    calls: set[str] = set()
    for name in SCRIPT_PARTS:
        text = (SCRIPT_DIR / name).read_text(encoding="utf-8")
        calls |= set(re.findall(r'(?<![\w.])(?:_|ngettext)\("((?:[^"\\]|\\.)*)"', text))
    ids = script_msgids()
    calls.discard("...")  # i18n.js's header comment shows the form: _("...")
    assert {m[0] for m in ids} == calls
    i18n = script_language("ar", lo_ms=0, hi_ms=86_400_000 * 40)
    assert i18n is not None and i18n["dir"] == "rtl" and i18n["digits"] == "latn"
    forms = i18n["messages"]["%(shown)s of %(total)s event"]
    assert len(forms) == 6 and forms[1] == "%(shown)s من حدث واحد"
    assert i18n["plural"].startswith("(n == 0 ? 0 : n == 1 ? 1 : n == 2 ? 2")
    missing = [m[0] for m in ids if m[0] not in i18n["messages"]]
    assert missing == []  # every message the script shows is translated
    assert script_language("en-GB") is None  # English: the script's own words


def test_story_page_hands_the_script_its_language_and_lists_in_persian(editions) -> None:
    html = render_story(editions["fa"])
    assert '"i18n":{"tag":"fa","dir":"rtl"' in html
    assert "<b>دسته:</b>" in html and "<b>Category:</b>" not in html
    assert translations("fa").gettext("Our check:") in html
    en = render_story(editions["en"])
    assert '"i18n"' not in en and "<b>Category:</b>" in en


def test_story_json_time_axis_chooses_the_direction(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import json
    import shutil

    from timeline.core.story import check_story

    folder = tmp_path / "fa"
    shutil.copytree(EDITIONS / "fa", folder)
    story = json.loads((folder / "story.json").read_text(encoding="utf-8"))
    (folder / "story.json").write_text(json.dumps({**story, "time_axis": "ltr"}), encoding="utf-8")
    ds = load(folder)
    assert build_figure(ds).layout.xaxis.autorange is None
    assert '"reversed":false' in render_story(ds)
    (folder / "story.json").write_text(
        json.dumps({**story, "time_axis": "backwards"}, indent=1), encoding="utf-8"
    )
    problems = check_story(folder)
    assert [(p.line, p.column) for p in problems] == [(5, "time_axis")]
    assert 'must be "ltr"' in problems[0].message and "'backwards'" not in problems[0].message


def test_share_script_words_for_a_claim_page() -> None:
    import json

    from timeline.views.chart_language import share_words

    ids = {m[0] for m in script_msgids(share=True)}
    assert "Link copied: %(url)s" in ids and len(ids) == 4
    for tag in ("fa", "ar", "fr", "es", "de"):
        words = json.loads(share_words(tag))
        assert set(words) == ids and all(words.values()), tag
    assert share_words("en") == "{}"


def test_the_validators_error_page_in_the_storys_language() -> None:
    from timeline.views.render import render_error

    fa = render_error(["a", "b", "c"], EDITIONS / "fa")
    assert "<h1>این خط زمانی اکنون نمایش‌دادنی نیست</h1>" in fa
    assert "داده‌های <code>fa</code> ۳ مشکل دارد" in fa
    ar = render_error(["a", "b"], EDITIONS / "ar")
    assert "مشكلتان" in ar  # Arabic's dual
