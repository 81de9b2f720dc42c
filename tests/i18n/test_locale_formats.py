"""Dates, times and numbers as a language writes them: golden values, and ICU (Node's Intl) as a second opinion.

The reference values are those of ../shared/research/languages-notes.md (beside the checkout): 3 January 2020 is
13 Dey 1398 (۱۳ دی ۱۳۹۸), 6 January 2020 is 16 Dey 1398, 1 Dey 1398 is 22 December 2019.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import date, datetime, time, timedelta, timezone

import pytest

from timeline.errors import OptionError
from timeline.i18n.calendars import (
    ISLAMIC,
    PERSIAN,
    CalendarDate,
    from_calendar,
    month_names,
    to_calendar,
)
from timeline.i18n.formats import (
    conventions,
    format_date,
    format_month,
    format_number,
    format_skeleton,
    format_time,
    format_year,
    to_digits,
    to_latin_digits,
)

JAN3 = date(2020, 1, 3)


@pytest.mark.parametrize(
    ("day", "tag", "options", "expected"),
    [
        (JAN3, "fa", {}, "۱۳ دی ۱۳۹۸"),
        (date(2020, 1, 6), "fa", {}, "۱۶ دی ۱۳۹۸"),
        (date(2019, 12, 22), "fa", {}, "۱ دی ۱۳۹۸"),
        (JAN3, "fa", {"width": "full"}, "جمعه ۱۳ دی ۱۳۹۸"),
        (JAN3, "fa", {"width": "short"}, "۱۳۹۸/۱۰/۱۳"),
        (JAN3, "fa", {"gregorian_beside": True}, "۱۳ دی ۱۳۹۸ (۳ ژانویه ۲۰۲۰)"),
        (JAN3, "fa", {"calendar": "gregorian"}, "۳ ژانویه ۲۰۲۰"),
        (JAN3, "fa", {"digits": "latn"}, "13 دی 1398"),
        (
            JAN3,
            "fa-AF",
            {},
            "۱۳ جدی ۱۳۹۸",
        ),  # Afghanistan names the Solar Hijri months after the zodiac
        (JAN3, "ar", {}, "3 يناير 2020"),
        (JAN3, "ar-IQ", {}, "3 كانون الثاني 2020"),
        (JAN3, "ar-IQ", {"digits": "native"}, "٣ كانون الثاني ٢٠٢٠"),
        (JAN3, "ar", {"calendar": ISLAMIC}, "8 جمادى الأولى 1441 هـ"),
        (
            JAN3,
            "ar",
            {"calendar": ISLAMIC, "gregorian_beside": True},
            "8 جمادى الأولى 1441 هـ (3 يناير 2020)",
        ),
        (JAN3, "en", {}, "January 3, 2020"),
        (JAN3, "en-GB", {}, "3 January 2020"),
        (JAN3, "en-GB", {"calendar": PERSIAN}, "13 Dey 1398 AP"),
        (JAN3, "fr", {"width": "full"}, "vendredi 3 janvier 2020"),
        (JAN3, "es", {}, "3 de enero de 2020"),
        (JAN3, "de", {}, "3. Januar 2020"),
        (datetime(2020, 1, 3, 0, 47, tzinfo=timezone(timedelta(hours=3))), "fa", {}, "۱۳ دی ۱۳۹۸"),
    ],
)
def test_golden_dates(day, tag, options, expected):
    assert format_date(day, tag, **options) == expected


def test_ar_and_ar_iq_name_january_differently():
    assert month_names("ar")[0] == "يناير"
    assert month_names("ar-IQ")[0] == "كانون الثاني"


def test_a_calendar_s_names_go_only_on_its_own_months():
    # Dey is the tenth Solar Hijri month; 3 January 2020 falls in it, in no Gregorian month called Dey.
    assert to_calendar(JAN3, PERSIAN) == CalendarDate(PERSIAN, 1398, 10, 13)
    assert month_names("fa", PERSIAN)[9] == "دی"
    assert "دی" not in month_names("fa")  # Gregorian months in fa are ژانویه ... دسامبر
    assert month_names("fa")[0] == "ژانویه"
    assert to_calendar(JAN3, ISLAMIC) == CalendarDate(ISLAMIC, 1441, 5, 8)
    assert month_names("ar", ISLAMIC)[4] == "جمادى الأولى"


@pytest.mark.parametrize(
    ("number", "tag", "options", "expected"),
    [
        (1234567.5, "fa", {}, "۱٬۲۳۴٬۵۶۷٫۵"),
        (1234567.5, "ar", {}, "1,234,567.5"),
        (1234567.5, "ar-IQ", {"digits": "native"}, "١٬٢٣٤٬٥٦٧٫٥"),
        (1234567.5, "fr", {}, "1\u202f234\u202f567,5"),
        (1234567.5, "de", {}, "1.234.567,5"),
        (1234567.5, "en", {}, "1,234,567.5"),
        (3, "fa", {}, "۳"),
    ],
)
def test_golden_numbers(number, tag, options, expected):
    assert format_number(number, tag, **options) == expected


def test_times_take_the_language_s_pattern_and_digits():
    assert format_time(time(21, 47), "fa") == "۲۱:۴۷"
    assert format_time(time(21, 47), "en") == "9:47\u202fPM"
    assert format_time(time(21, 47), "ar") == "9:47 م"


def test_each_language_has_its_desks_conventions():
    assert conventions("fa") == conventions("fa", calendar=PERSIAN, digits="arabext")
    assert (conventions("ar-IQ").calendar, conventions("ar-IQ").digits) == ("gregorian", "latn")
    assert conventions("ar-IQ", digits="native").digits == "arab"
    assert (conventions("fr").calendar, conventions("fr").digits) == ("gregorian", "latn")
    assert (
        conventions("en", gregorian_beside=True).gregorian_beside is False
    )  # nothing to put beside


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: format_date(JAN3, "fa", calendar="julian"), "unknown calendar 'julian'"),
        (lambda: format_date(JAN3, "fa", digits="roman"), "unknown digits 'roman'"),
        (lambda: format_date(JAN3, "fa", width="huge"), "unknown width 'huge'"),
        (
            lambda: format_date(JAN3, "it", calendar=PERSIAN),
            "no CLDR persian calendar data for 'it'",
        ),
        (lambda: format_date(date(1900, 1, 1), "ar", calendar=ISLAMIC), "outside the Umm al-Qura"),
        (
            lambda: from_calendar(CalendarDate(PERSIAN, 1398, 13, 1)),
            "not a day of the persian calendar",
        ),
        (lambda: format_date(JAN3, "farsi"), "did you mean 'fa'"),
    ],
)
def test_bad_options_are_refused_with_what_to_use(call, message):
    with pytest.raises(OptionError, match=message):
        call()


def every_day(first: date, last: date, step: int = 1):
    day = first
    while day <= last:
        yield day
        day += timedelta(days=step)


@pytest.mark.parametrize(
    ("calendar", "first", "last"),
    [
        (PERSIAN, date(1800, 1, 1), date(2250, 12, 31)),
        (ISLAMIC, date(1924, 8, 1), date(2077, 11, 16)),
    ],
)
def test_every_day_round_trips_through_each_calendar(calendar, first, last):
    previous = None
    for day in every_day(first, last):
        there = to_calendar(day, calendar)
        assert from_calendar(there) == day, there
        if previous is not None:  # consecutive days are consecutive in the other calendar too
            assert there > previous
            assert there.day == previous.day + 1 or (
                there.day == 1 and (there.month, there.year) != (previous.month, previous.year)
            )
        previous = there


def test_digits_round_trip_in_every_numbering_system():
    text = "0123456789 12:47 2020/01/03"
    for system in ("latn", "arab", "arabext"):
        assert to_latin_digits(to_digits(text, system)) == text
    assert to_latin_digits(format_date(JAN3, "fa", width="short")) == "1398/10/13"


def test_a_formatted_date_reads_back_to_its_day():
    for day in every_day(date(2019, 3, 1), date(2021, 3, 31)):
        shown = to_latin_digits(format_date(day, "fa", width="short"))
        year, month, dom = (int(part) for part in shown.split("/"))
        assert from_calendar(CalendarDate(PERSIAN, year, month, dom)) == day


def icu(days: list[date], locale: str, calendar: str) -> list[str]:
    """The long date of each day as ICU writes it, through Node's Intl (a second implementation of CLDR)."""
    node = shutil.which("node")
    assert node, "node is needed (make install-test uses npm for axe-core)"
    script = (
        "const [days, locale, calendar] = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
        "const f = new Intl.DateTimeFormat(locale, {calendar, dateStyle: 'long', timeZone: 'UTC'});"
        "console.log(JSON.stringify(days.map(d => f.format(new Date(d + 'T12:00:00Z')))));"
    )
    arg = json.dumps([[d.isoformat() for d in days], locale, calendar])
    out = subprocess.run(
        [node, "-e", script], input=arg, check=True, capture_output=True, text=True, timeout=60
    )
    return list(json.loads(out.stdout))


@pytest.mark.parametrize(
    ("tag", "options", "icu_locale", "icu_calendar", "first", "last"),
    [
        ("fa", {}, "fa-u-nu-arabext", "persian", date(1925, 3, 21), date(2075, 3, 20)),
        # 1420-1450 AH: the years Umm al-Qura's tables are published for, where hijridate and ICU agree
        # day for day (outside them the two tables differ by a day in some months; the kit follows hijridate).
        (
            "ar",
            {"calendar": ISLAMIC},
            "ar-u-nu-latn",
            "islamic-umalqura",
            date(1999, 4, 17),
            date(2029, 5, 13),
        ),
        ("ar-IQ", {}, "ar-IQ-u-nu-latn", "gregory", date(1990, 1, 1), date(2030, 12, 31)),
    ],
)
def test_long_dates_agree_with_icu(tag, options, icu_locale, icu_calendar, first, last):
    days = list(every_day(first, last, step=3))
    ours = [format_date(d, tag, **options) for d in days]
    theirs = icu(days, icu_locale, icu_calendar)
    mismatches = [(d, a, b) for d, a, b in zip(days, ours, theirs) if a != b]
    assert mismatches == []


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        (lambda: format_skeleton(JAN3, "MMMd", "fa"), "۱۳ دی"),
        (lambda: format_skeleton(JAN3, "yMMMM", "fa"), "دی ۱۳۹۸"),
        (lambda: format_skeleton(JAN3, "yMMMM", "ar-IQ"), "كانون الثاني 2020"),
        (lambda: format_skeleton(JAN3, "yMMMM", "ar", calendar=ISLAMIC), "جمادى الأولى 1441 هـ"),
        (lambda: format_skeleton(JAN3, "MMMd", "en"), "Jan 3"),
        (lambda: format_month(2020, 1, "fa"), "دی–بهمن ۱۳۹۸"),
        (lambda: format_month(2020, 3, "fa"), "اسفند ۱۳۹۸ – فروردین ۱۳۹۹"),
        (lambda: format_month(2020, 1, "fa", calendar="gregorian"), "ژانویه ۲۰۲۰"),
        (lambda: format_month(2019, 12, "ar", calendar=ISLAMIC), "ربيع الآخر–جمادى الأولى 1441 هـ"),
        (lambda: format_month(2020, 1, "ar"), "يناير 2020"),
        (lambda: format_month(2020, 1, "ar-IQ"), "كانون الثاني 2020"),
        (lambda: format_month(2020, 1, "en-GB"), "January 2020"),
        (lambda: format_year(2020, "fa"), "۱۳۹۸–۱۳۹۹"),
        (lambda: format_year(2020, "ar", calendar=ISLAMIC), "1441–1442 هـ"),
        (lambda: format_year(2020, "de"), "2020"),
    ],
)
def test_golden_skeletons_months_and_years(call, expected):
    assert call() == expected


def test_a_gregorian_month_is_shown_as_the_span_of_the_other_calendar_s_months_it_overlaps():
    names = month_names("fa", PERSIAN)
    for year in range(2000, 2031):
        for month in range(1, 13):
            first = date(year, month, 1)
            last = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
            a, b = to_calendar(first, PERSIAN), to_calendar(last, PERSIAN)
            shown = format_month(year, month, "fa")
            words = set(shown.replace("\u2013", " ").split())
            assert {names[a.month - 1], names[b.month - 1]} <= words, shown
            assert not words & set(month_names("fa")), shown  # no Gregorian month name


def test_month_day_ticks_agree_with_icu():
    days = list(every_day(date(2019, 3, 21), date(2021, 3, 20)))
    ours = [format_skeleton(d, "MMMd", "fa") for d in days]
    node = shutil.which("node")
    assert node
    script = (
        "const days = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
        "const f = new Intl.DateTimeFormat('fa-u-ca-persian-nu-arabext', {month: 'short', day: 'numeric', timeZone: 'UTC'});"
        "console.log(JSON.stringify(days.map(d => f.format(new Date(d + 'T12:00:00Z')))));"
    )
    out = subprocess.run(
        [node, "-e", script],
        input=json.dumps([d.isoformat() for d in days]),
        check=True,
        capture_output=True,
        text=True,
    )
    assert ours == json.loads(out.stdout)
