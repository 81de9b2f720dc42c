"""Dates written in English words: "Monday 4 March 2024", "March 5, 2024", "Sun 5 Jan".

Two readers use them: :func:`timeline.core.dates.explain` turns an unambiguous date
in another shape into the ISO 8601 form to write, and the validator checks that a
display date's leading date agrees with the event's ``start`` and ``end``
(:func:`display_contradiction`). Pure: the calendar module and one regular expression that
splits a text into words and numbers, read from left to right (a regular expression holding
every form would try each at every position: 10-20 times slower on a long display date).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from ..i18n.markers import N_, Message

WEEKDAYS = [d.lower() for d in calendar.day_name]
MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
MONTHS["sept"] = 9
_WEEKDAY_ABBR = {"mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3}
_WEEKDAY_ABBR.update({"fri": 4, "sat": 5, "sun": 6})
_WEEKDAY_NUMBER = {name: i for i, name in enumerate(WEEKDAYS)} | _WEEKDAY_ABBR

_FULL_WEEKDAYS = set(WEEKDAYS)
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


# Where a date may be: a word starting like a month's or a weekday's name. Each is read where it
# stands, with small anchored patterns for a day and a year after it and a day and a weekday before
# it (one pattern holding every form would be tried at every position: 10-20 times slower).
_CANDIDATE = re.compile(
    r"(?<![a-z])(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun)"
)
_WORD = re.compile(r"[a-z]+")
_DAY_AFTER = re.compile(r"[\s,.]*([0-9]{1,2})(?:st|nd|rd|th)?(?![0-9a-z])")
_YEAR_AFTER = re.compile(r"[\s,.]*([0-9]{4})(?![0-9])")
_DAY_BEFORE = re.compile(r"(?<![0-9])([0-9]{1,2})(?:st|nd|rd|th)?[\s,.]*$")
_WORD_BEFORE = re.compile(r"(?<![a-z])([a-z]+)[\s,.]*$")
_MONTH_AHEAD = re.compile(
    r"[\s,.]*(?:[0-9]{1,2}(?:st|nd|rd|th)?[\s,.]*)?(?=jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
)


def _month_date(text: str, lower: str, a: int, b: int) -> Named | None:
    """The date whose month's name is ``lower[a:b]``: day before ("3 Jan 2020") or after ("Jan 3,
    2020"), or a year alone after it ("January 2020"); a weekday may lead a day."""
    month = MONTHS.get(lower[a:b])
    if month is None:
        return None  # a word that only starts like a month's name ("mayor")
    first, last = a, b
    day = year = None
    before = _DAY_BEFORE.search(lower, max(0, a - 10), a)
    if before:
        day, first = int(before.group(1)), before.start()
    else:
        after = _DAY_AFTER.match(lower, b)
        if after:
            day, last = int(after.group(1)), after.end()
    following = _YEAR_AFTER.match(lower, last)
    if following:
        year, last = int(following.group(1)), following.end()
    if day is None and year is None:
        return None  # a month's name alone ("May") is no date: it may be a word
    if day is not None and not 1 <= day <= 31:
        return None
    weekday = None
    if day is not None:
        lead = _WORD_BEFORE.search(lower, max(0, first - 12), first)
        if lead and lead.group(1) in _WEEKDAY_NUMBER:
            weekday, first = _WEEKDAY_NUMBER[lead.group(1)], lead.start()
    return Named(text[first:last], weekday, day, month, year)


def first_date(text: str) -> Named | None:
    """The first date written in words in ``text`` ("Fri 3 Jan 2020", "March 4, 2024",
    "January 2020", "Sunday"), or ``None``."""
    lower = text.lower()
    for m in _CANDIDATE.finditer(lower):
        a = m.start()
        b = _WORD.match(lower, a).end()  # type: ignore[union-attr]
        word = lower[a:b]
        if word in MONTHS:
            found = _month_date(text, lower, a, b)
            if found is not None:
                return found
        elif word in _FULL_WEEKDAYS:
            # "Sunday 5 January" is read at its month (the weekday leads it); "Sunday evening"
            # is a weekday alone.
            ahead = _MONTH_AHEAD.match(lower, b)
            if ahead:
                c = ahead.end()
                found = _month_date(text, lower, c, _WORD.match(lower, c).end())  # type: ignore[union-attr]
                if found is not None:
                    return found
            return Named(text[a:b], _WEEKDAY_NUMBER[word], None, None, None)
    return None


def long_date(d: date) -> str:
    """``Monday 4 March 2024``."""
    return f"{calendar.day_name[d.weekday()]} {d.day} {calendar.month_name[d.month]} {d.year}"


def not_real(value: str, year: int, month: int, day: int | None) -> str | None:
    """Why ``value`` (year-month-day, or year-month when ``day`` is None) is not a real date, or ``None``."""
    if not 1 <= month <= 12:
        return Message(
            N_(
                "'%(value)s' is not a real date: month %(month)s does not exist; months run 1 to 12"
            ),
            value=value,
            month=str(month),
        )
    days = calendar.monthrange(year, month)[1]
    if day is not None and not 1 <= day <= days:
        return Message(
            # Translators: %(month)s is the month's English name, %(days)s how many days it has.
            N_(
                "'%(value)s' is not a real date: %(month)s %(year)s has %(days)s days; correct the day"
            ),
            value=value,
            month=calendar.month_name[month],
            year=str(year),
            days=str(days),
        )
    return None


# Translators: %(iso)s is the date as ISO 8601, %(date)s the same date in English.
ISO_AS = N_("'%(value)s' is not an ISO 8601 date; write it as %(iso)s (%(date)s)")


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
        named_ = first_date(value)
        if named_ is None or named_.text != value or named_.year is None or named_.month is None:
            return None
        named = named_
    assert named.year is not None and named.month is not None
    if named.year == 0:
        return None
    unreal = not_real(value, named.year, named.month, named.day)
    if unreal:
        return unreal
    if named.day is None:
        return Message(
            ISO_AS,
            value=value,
            iso=f"{named.year:04d}-{named.month:02d}",
            date=f"{calendar.month_name[named.month]} {named.year}",
        )
    d = date(named.year, named.month, named.day)
    if named.weekday is not None and d.weekday() != named.weekday:
        return Message(
            # Translators: %(date)s is the date in English ("5 March 2024"), %(weekday)s the day of
            # the week it falls on, %(named)s the one written; %(iso)s is the date as ISO 8601.
            N_(
                "'%(value)s' is not an ISO 8601 date, and %(date)s is a %(weekday)s, not a "
                "%(named)s; if the day is right, write it as %(iso)s"
            ),
            value=value,
            date=f"{d.day} {calendar.month_name[d.month]} {d.year}",
            weekday=calendar.day_name[d.weekday()],
            named=calendar.day_name[named.weekday],
            iso=d.isoformat(),
        )
    return Message(ISO_AS, value=value, iso=d.isoformat(), date=long_date(d))


#: A display date that names a day the event is not on: by (has an end, one day, a time).
#: %(first)s and %(last)s are the event's first and last days, in English ("Monday 4 March 2024").
DISAGREES = {
    (False, True, False): N_(
        "'%(display)s' does not agree with start '%(start)s' (%(first)s); "
        "correct the display date or the date, whichever is wrong"
    ),
    (False, True, True): N_(
        "'%(display)s' does not agree with start '%(start)s' (%(first)s on its own clock); "
        "correct the display date or the date, whichever is wrong"
    ),
    (False, False, False): N_(
        "'%(display)s' does not agree with start '%(start)s' (%(first)s to %(last)s); "
        "correct the display date or the date, whichever is wrong"
    ),
    (False, False, True): N_(
        "'%(display)s' does not agree with start '%(start)s' (%(first)s to %(last)s on its own "
        "clock); correct the display date or the date, whichever is wrong"
    ),
    (True, True, False): N_(
        "'%(display)s' does not agree with start '%(start)s' and end '%(end)s' (%(first)s); "
        "correct the display date or the date, whichever is wrong"
    ),
    (True, True, True): N_(
        "'%(display)s' does not agree with start '%(start)s' and end '%(end)s' (%(first)s on "
        "its own clock); correct the display date or the date, whichever is wrong"
    ),
    (True, False, False): N_(
        "'%(display)s' does not agree with start '%(start)s' and end '%(end)s' (%(first)s to "
        "%(last)s); correct the display date or the date, whichever is wrong"
    ),
    (True, False, True): N_(
        "'%(display)s' does not agree with start '%(start)s' and end '%(end)s' (%(first)s to "
        "%(last)s on its own clock); correct the display date or the date, whichever is wrong"
    ),
}

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
    args = {"display": named.text, "start": start, "end": end, "first": long_date(days[0])}
    args["last"] = long_date(days[1])
    one_day = days[0] == days[1]
    return Message(DISAGREES[(bool(end), one_day, timed)], **args)
