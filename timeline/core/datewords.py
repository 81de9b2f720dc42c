"""Dates written in English words: "Monday 4 March 2024", "March 5, 2024", "Sun 5 Jan".

Two readers use them: :func:`timeline.core.dates.explain` turns an unambiguous date
in another shape into the ISO 8601 form to write, and the validator checks that a
display date's leading date agrees with the event's ``start`` and ``end``
(:func:`display_contradiction`). Pure: the calendar module and regular expressions.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

WEEKDAYS = [d.lower() for d in calendar.day_name]
MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
MONTHS["sept"] = 9
_WEEKDAY_ABBR = {"mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3}
_WEEKDAY_ABBR.update({"fri": 4, "sat": 5, "sun": 6})
_WEEKDAY_NUMBER = {name: i for i, name in enumerate(WEEKDAYS)} | _WEEKDAY_ABBR

_WD_FULL = "|".join(WEEKDAYS)
_WD = "|".join(sorted(_WEEKDAY_NUMBER, key=len, reverse=True))
_MON = "|".join(sorted(MONTHS, key=len, reverse=True))
_DAY = r"(?P<{}>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<{}>\d{{4}})"
_LEAD = r"(?:(?P<{}>" + _WD + r")\.?,?\s+)?"
# A date in words, the first one found in a text: day before month ("Fri 3 Jan 2020"),
# month before day ("Monday, March 4, 2024"), a month and year ("March 2024"), or a weekday
# alone, written in full ("Sunday evening").
DATE_WORDS = re.compile(
    rf"\b(?:{_LEAD.format('wd1')}{_DAY.format('d1')}\s+(?P<m1>{_MON})\b\.?(?:,?\s+{_YEAR.format('y1')})?"
    rf"|{_LEAD.format('wd2')}(?P<m2>{_MON})\.?\s+{_DAY.format('d2')}\b(?:,?\s+{_YEAR.format('y2')})?"
    rf"|(?P<m3>{_MON})\.?,?\s+{_YEAR.format('y3')}"
    rf"|(?P<wd4>{_WD_FULL}))\b",
    re.I,
)
_NUMERIC = re.compile(r"^(\d{4})[-/.](\d{1,2})(?:[-/.](\d{1,2}))?$")


@dataclass(frozen=True)
class Named:
    """What a date in words names: any of weekday (0 = Monday), day, month and year."""

    text: str
    weekday: int | None
    day: int | None
    month: int | None
    year: int | None

    def matches(self, d: date) -> bool:
        return (
            (self.weekday is None or d.weekday() == self.weekday)
            and (self.day is None or d.day == self.day)
            and (self.month is None or d.month == self.month)
            and (self.year is None or d.year == self.year)
        )


def _named(m: re.Match[str]) -> Named:
    g = {k: v for k, v in m.groupdict().items() if v}
    wd = g.get("wd1") or g.get("wd2") or g.get("wd4")
    day = g.get("d1") or g.get("d2")
    month = g.get("m1") or g.get("m2") or g.get("m3")
    year = g.get("y1") or g.get("y2") or g.get("y3")
    return Named(
        m.group(0),
        _WEEKDAY_NUMBER[wd.lower()] if wd else None,
        int(day) if day else None,
        MONTHS[month.lower()] if month else None,
        int(year) if year else None,
    )


def first_date(text: str) -> Named | None:
    """The first date written in words in ``text``, or ``None``."""
    m = DATE_WORDS.search(text)
    return _named(m) if m else None


def long_date(d: date) -> str:
    """``Monday 4 March 2024``."""
    return f"{calendar.day_name[d.weekday()]} {d.day} {calendar.month_name[d.month]} {d.year}"


def _real(year: int, month: int, day: int) -> str | None:
    """Why year-month-day is not a real date, or ``None``."""
    if not 1 <= month <= 12:
        return f"month {month} does not exist; months run 1 to 12"
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        return f"{calendar.month_name[month]} {year} has {days} days; correct the day"
    return None


def iso_suggestion(value: str) -> str | None:
    """What to write for an unambiguous date in another shape, or ``None`` when it is not one.

    ``2024-3-5``, ``2024/03/08`` (year first: always year, month, day), ``5 March 2024``,
    ``Tuesday, March 5, 2024`` and ``March 2024``.
    """
    numeric = _NUMERIC.match(value)
    if numeric:
        year, month = int(numeric.group(1)), int(numeric.group(2))
        day = int(numeric.group(3)) if numeric.group(3) else None
        named = Named(value, None, day, month, year)
    else:
        m = DATE_WORDS.fullmatch(value)
        if m is None:
            return None
        named = _named(m)
        if named.year is None or named.month is None:
            return None
    assert named.year is not None and named.month is not None
    if named.year == 0:
        return None
    if named.day is None:
        if not 1 <= named.month <= 12:
            return f"'{value}' is not a real date: month {named.month} does not exist; months run 1 to 12"
        return (
            f"'{value}' is not an ISO 8601 date; write it as {named.year:04d}-{named.month:02d} "
            f"({calendar.month_name[named.month]} {named.year})"
        )
    unreal = _real(named.year, named.month, named.day)
    if unreal:
        return f"'{value}' is not a real date: {unreal}"
    d = date(named.year, named.month, named.day)
    if named.weekday is not None and d.weekday() != named.weekday:
        return (
            f"'{value}' is not an ISO 8601 date, and {d.day} {calendar.month_name[d.month]} {d.year} is a "
            f"{calendar.day_name[d.weekday()]}, not a {calendar.day_name[named.weekday]}; "
            f"if the day is right, write it as {d.isoformat()}"
        )
    return f"'{value}' is not an ISO 8601 date; write it as {d.isoformat()} ({long_date(d)})"


_SPAN_LIMIT = 400  # days: a longer span is checked by its years alone


def display_contradiction(
    display: str,
    start: str,
    end: str,
    days: tuple[date, date],
    timed: bool,
) -> str | None:
    """Why ``display``'s leading date contradicts ``start``/``end``, or ``None``.

    ``days`` are the first and last calendar days the event covers on its own clock;
    ``timed``: the start is a time, whose instant falls on the day before or after in
    other time zones (UTC-12:00 to UTC+14:00), so that a display date may name them.
    """
    named = first_date(display)
    if named is None:
        return None
    first, last = days
    if timed:
        first, last = first - timedelta(days=1), last + timedelta(days=1)
    if (last - first).days > _SPAN_LIMIT:
        if named.year is None or first.year <= named.year <= last.year:
            return None
    else:
        span = ((first + timedelta(days=i)) for i in range((last - first).days + 1))
        if any(named.matches(d) for d in span):
            return None
    when = f"start '{start}'" + (f" and end '{end}'" if end else "")
    words = (
        long_date(days[0])
        if days[0] == days[1]
        else f"{long_date(days[0])} to {long_date(days[1])}"
    )
    if timed:
        words += " on its own clock"
    return (
        f"'{named.text}' does not agree with {when} ({words}); "
        "correct the display date or the date, whichever is wrong"
    )


def local_days(at: datetime, until: datetime, offset_minutes: float | None) -> tuple[date, date]:
    """The first and last calendar days of the period ``[at, until)`` (UTC) on its own clock."""
    shift = timedelta(minutes=offset_minutes or 0)
    first = (at + shift).date()
    last = (until + shift - timedelta(microseconds=1)).date()
    return first, max(first, last)
