"""Calendars: a Gregorian date in the Solar Hijri or Umm al-Qura Hijri calendar, and each calendar's own words.

Conversion comes from well-kept libraries: ``jdatetime`` for the Solar Hijri calendar (``persian``, Iran's
official calendar; its arithmetic agrees with the astronomical calendar from 1799 to 2256) and
``hijridate`` for the Umm al-Qura calendar (``islamic-umalqura``, Saudi Arabia's, defined from
1 Muharram 1343 = 1 August 1924 to 29 Dhu al-Hijja 1500 = 16 November 2077). Over the years the Umm al-Qura tables are published for
(1420-1450 AH, 1999-2029) it agrees day for day with ICU's calendar (browsers' ``Intl``; the tests check
it); outside them the two implementations differ by a day in some months.

Babel's locale data holds the Gregorian calendar only (python-babel#810), so the month names, eras and
date patterns of the other two calendars ship beside this module in ``cldr_calendars.json``: taken,
unchanged, from the Unicode Consortium's CLDR JSON packages (``cldr-cal-persian-full`` 46.1.0 and
``cldr-cal-islamic-full`` 48.2.0 on the npm registry; Unicode License v3), for the shipped languages and
their regional locales. A calendar's names are only ever put on that calendar's months.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Any, cast

import jdatetime
from babel.dates import get_month_names
from hijridate import Gregorian, Hijri

from ..errors import OptionError
from .tags import language

GREGORIAN = "gregorian"
PERSIAN = "persian"  # CLDR's name (and BCP 47's ``-u-ca-persian``) for the Solar Hijri calendar
ISLAMIC = "islamic-umalqura"
CALENDARS = (GREGORIAN, PERSIAN, ISLAMIC)
DATA_FILE = "cldr_calendars.json"


@dataclass(frozen=True, order=True)
class CalendarDate:
    """A day in one calendar: ``CalendarDate("persian", 1398, 10, 13)`` is 3 January 2020."""

    calendar: str
    year: int
    month: int
    day: int


def check_calendar(calendar: str) -> str:
    """``calendar`` if the kit knows it, else ``OptionError`` naming the ones it knows."""
    if calendar not in CALENDARS:
        raise OptionError(f"unknown calendar '{calendar}'; use one of: {', '.join(CALENDARS)}")
    return calendar


def to_calendar(day: date, calendar: str) -> CalendarDate:
    """The Gregorian ``day`` in ``calendar``; ``OptionError`` outside the Umm al-Qura table's years."""
    check_calendar(calendar)
    if calendar == PERSIAN:
        j = jdatetime.date.fromgregorian(date=day)
        return CalendarDate(PERSIAN, int(j.year), int(j.month), int(j.day))
    if calendar == ISLAMIC:
        try:
            h = Gregorian(day.year, day.month, day.day).to_hijri()
        except OverflowError as e:
            raise OptionError(
                f"{day.isoformat()} is outside the Umm al-Qura calendar's table (1924-2077): {e}"
            ) from e
        return CalendarDate(ISLAMIC, h.year, h.month, h.day)
    return CalendarDate(GREGORIAN, day.year, day.month, day.day)


def from_calendar(day: CalendarDate) -> date:
    """The Gregorian date of a day in any calendar the kit knows (the inverse of ``to_calendar``)."""
    check_calendar(day.calendar)
    try:
        if day.calendar == PERSIAN:
            g = jdatetime.date(day.year, day.month, day.day).togregorian()
            return date(g.year, g.month, g.day)
        if day.calendar == ISLAMIC:
            g = Hijri(day.year, day.month, day.day).to_gregorian()
            return date(g.year, g.month, g.day)
        return date(day.year, day.month, day.day)
    except (ValueError, OverflowError) as e:
        raise OptionError(f"{day} is not a day of the {day.calendar} calendar: {e}") from e


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    text = resources.files(__package__).joinpath(DATA_FILE).read_text(encoding="utf-8")
    return cast("dict[str, Any]", json.loads(text))


def cldr_calendar(tag: str, calendar: str, group: str) -> Any:
    """One group (``months``, ``era``, ``dateFormats``) of CLDR's data for a non-Gregorian calendar.

    The regional locale's own data first (``fa-AF`` names the Solar Hijri months differently from
    ``fa``), then its language's; ``OptionError`` for a language whose data does not ship.
    """
    check_calendar(calendar)
    lang = language(tag)
    table = _data()[calendar]
    for key in (lang.tag, lang.base):
        if group in table.get(key, {}):
            return table[key][group]
    shipped = ", ".join(sorted(k for k in table if "-" not in k))
    raise OptionError(
        f"the kit ships no CLDR {calendar} calendar data for '{lang.tag}'; it has: {shipped}"
    )


def month_names(
    tag: str, calendar: str = GREGORIAN, *, width: str = "wide", context: str = "format"
) -> list[str]:
    """The twelve month names of ``calendar`` as ``tag`` writes them (CLDR; January or Farvardin first)."""
    if width not in ("wide", "abbreviated") or context not in ("format", "stand-alone"):
        raise OptionError(
            "month names come in width 'wide' or 'abbreviated' and context 'format' or 'stand-alone'"
        )
    if check_calendar(calendar) == GREGORIAN:
        names = get_month_names(width, context, language(tag).locale)  # type: ignore[arg-type]
        return [str(names[m]) for m in range(1, 13)]
    return list(cldr_calendar(tag, calendar, "months")[context][width])
