"""Dates, times and numbers as a language writes them: CLDR's words and patterns (Babel), the locale's
digits, and the desk's calendar.

Each language gets the conventions its desks publish with (:func:`conventions`), which any call can
override:

- ``fa``: the Solar Hijri calendar (``persian``) and Persian digits (CLDR's default numbering system for
  ``fa``, ``arabext``): 3 January 2020 is ``۱۳ دی ۱۳۹۸``; ``gregorian_beside=True`` adds the Gregorian date.
- ``ar`` and its regions: the Gregorian calendar with the region's month names (يناير in ``ar``,
  كانون الثاني in ``ar-IQ``) and Latin digits, as most Arabic-language desks write them (CLDR's default
  for ``ar-IQ`` and ``ar-EG`` is Arabic-Indic digits: ``digits="native"`` asks for those). The Umm al-Qura
  Hijri calendar is an option (``calendar="islamic-umalqura"``).
- every other language: the Gregorian calendar and CLDR's default digits.

Babel writes Latin digits whatever the locale (its numbering systems change the separators only), so the
digits are swapped afterwards from the table of CLDR's numbering systems below.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import cast

from babel.dates import format_date as babel_format_date
from babel.dates import format_skeleton as babel_format_skeleton
from babel.dates import format_time as babel_format_time
from babel.dates import get_day_names, tokenize_pattern
from babel.numbers import UnsupportedNumberingSystemError, format_decimal

from ..errors import OptionError
from .calendars import (
    GREGORIAN,
    ISLAMIC,
    PERSIAN,
    check_calendar,
    cldr_calendar,
    month_names,
    to_calendar,
)
from .tags import language

#: CLDR's numbering systems (common/supplemental/numberingSystems.xml) that the shipped languages use.
DIGITS = {
    "latn": "0123456789",
    "arab": "٠١٢٣٤٥٦٧٨٩",  # Arabic-Indic, U+0660..U+0669
    "arabext": "۰۱۲۳۴۵۶۷۸۹",  # Extended Arabic-Indic (Persian, Urdu), U+06F0..U+06F9
}
NATIVE = "native"  # the locale's own default numbering system in CLDR
WIDTHS = ("full", "long", "medium", "short")
#: CLDR 46's ``fa`` Solar Hijri "full" pattern is root's (``y MMMM d, EEEE``), not how Persian is written;
#: ``fa``'s Gregorian and Hijri full patterns (``EEEE d MMMM y``) are used for it (and ``fa-AF``) instead.
#: Its month-and-year skeleton is ``y MMMM`` (۱۳۹۸ دی); Persian writes the month first (دی ۱۳۹۸), as
#: CLDR's ``fa`` Gregorian skeleton does (ژانویه ۲۰۲۰).
PATTERN_OVERRIDES = {(PERSIAN, "fa", "full"): "EEEE d MMMM y", (PERSIAN, "fa", "yMMMM"): "MMMM y"}
#: CLDR skeletons the kit can write in every calendar (a chart's ticks, a month, a year, a short date).
SKELETONS = ("y", "yMMMM", "yMMM", "MMMd", "MMMMd", "yMMMd", "yMd")
DASH = "\u2013"  # an en dash joins the first and last months (or years) of a span
_TO_LATIN = str.maketrans(
    "".join(d for k, d in DIGITS.items() if k != "latn"), DIGITS["latn"] * (len(DIGITS) - 1)
)


@dataclass(frozen=True)
class Conventions:
    """How one language writes dates and numbers: its calendar, its digits, the Gregorian date beside."""

    tag: str
    calendar: str
    digits: str  # a key of DIGITS
    gregorian_beside: bool = False


def native_digits(tag: str) -> str:
    """CLDR's default numbering system for ``tag`` (``arabext`` for ``fa``, ``arab`` for ``ar-IQ``)."""
    return str(language(tag).locale.default_numbering_system)


def conventions(
    tag: str,
    *,
    calendar: str | None = None,
    digits: str | None = None,
    gregorian_beside: bool | None = None,
) -> Conventions:
    """The desk's conventions for ``tag`` (see the module's docstring), each overridable."""
    lang = language(tag)
    if calendar is None:
        calendar = PERSIAN if lang.base == "fa" else GREGORIAN
    check_calendar(calendar)
    if digits is None:
        digits = "latn" if lang.base == "ar" else NATIVE
    if digits == NATIVE:
        digits = native_digits(lang.tag)
    if digits not in DIGITS:
        raise OptionError(f"unknown digits '{digits}'; use one of: {', '.join([*DIGITS, NATIVE])}")
    beside = bool(gregorian_beside) and calendar != GREGORIAN
    return Conventions(lang.tag, calendar, digits, beside)


def to_digits(text: str, digits: str) -> str:
    """``text`` with its Latin digits written in ``digits`` (``latn``, ``arab`` or ``arabext``)."""
    if digits not in DIGITS:
        raise OptionError(f"unknown digits '{digits}'; use one of: {', '.join(DIGITS)}")
    return text.translate(str.maketrans(DIGITS["latn"], DIGITS[digits]))


def to_latin_digits(text: str) -> str:
    """``text`` with Arabic-Indic and Persian digits written as Latin ones (for reading input back)."""
    return text.translate(_TO_LATIN)


def format_number(number: float | int | Decimal, tag: str, *, digits: str | None = None) -> str:
    """``number`` with the language's separators and digits: ``1234567.5`` in ``fa`` is ``۱٬۲۳۴٬۵۶۷٫۵``."""
    conv = conventions(tag, digits=digits)
    locale = language(conv.tag).locale
    try:
        text = format_decimal(number, locale=locale, numbering_system=conv.digits)
    except (
        UnsupportedNumberingSystemError
    ):  # the locale has no separators of its own for these digits
        text = format_decimal(number, locale=locale, numbering_system="latn")
    return to_digits(text, conv.digits)


def format_time(
    value: time | datetime, tag: str, *, width: str = "short", digits: str | None = None
) -> str:
    """A time of day as the language writes it (CLDR's time pattern, the language's digits)."""
    conv = conventions(tag, digits=digits)
    _check_width(width)
    return to_digits(
        babel_format_time(value, format=width, locale=language(conv.tag).locale), conv.digits
    )


def format_date(
    day: date,
    tag: str,
    *,
    width: str = "long",
    calendar: str | None = None,
    digits: str | None = None,
    gregorian_beside: bool | None = None,
) -> str:
    """``day`` as the language writes it: ``format_date(date(2020, 1, 3), "fa")`` is ``۱۳ دی ۱۳۹۸``.

    ``width`` is one of CLDR's date formats (full, long, medium, short); the calendar and digits follow
    :func:`conventions`. With ``gregorian_beside`` a non-Gregorian date is followed by the Gregorian one in
    brackets: ``۱۳ دی ۱۳۹۸ (۳ ژانویهٔ ۲۰۲۰)``.
    """
    _check_width(width)
    if isinstance(day, datetime):
        day = day.date()
    conv = conventions(tag, calendar=calendar, digits=digits, gregorian_beside=gregorian_beside)
    text = _calendar_date(day, conv.tag, conv.calendar, width)
    if conv.gregorian_beside:
        text = f"{text} ({_calendar_date(day, conv.tag, GREGORIAN, width)})"
    return to_digits(text, conv.digits)


def format_skeleton(
    day: date, skeleton: str, tag: str, *, calendar: str | None = None, digits: str | None = None
) -> str:
    """``day`` with only the fields of a CLDR skeleton (``yMMMM``: month and year; ``MMMd``: a tick's day).

    ``format_skeleton(date(2020, 1, 3), "MMMd", "fa")`` is ``۱۳ دی``. The skeletons are :data:`SKELETONS`.
    """
    if skeleton not in SKELETONS:
        raise OptionError(f"unknown skeleton '{skeleton}'; use one of: {', '.join(SKELETONS)}")
    if isinstance(day, datetime):
        day = day.date()
    conv = conventions(tag, calendar=calendar, digits=digits)
    if conv.calendar == GREGORIAN:
        text = str(babel_format_skeleton(skeleton, day, locale=language(conv.tag).locale))
    else:
        text = _apply_pattern(
            _skeleton_pattern(conv.tag, conv.calendar, skeleton), day, conv.tag, conv.calendar
        )
    return to_digits(text, conv.digits)


def _skeleton_pattern(tag: str, calendar: str, skeleton: str) -> str:
    override = PATTERN_OVERRIDES.get((calendar, language(tag).base, skeleton))
    return override or str(cldr_calendar(tag, calendar, "skeletons")[skeleton])


def format_month(
    year: int, month: int, tag: str, *, calendar: str | None = None, digits: str | None = None
) -> str:
    """A Gregorian month (a date known to the month) as the language writes it, in its calendar.

    Another calendar's months do not line up with Gregorian ones, so a Gregorian month is the span of
    that calendar's months it overlaps, never one month renamed: January 2020 in ``fa`` is
    ``دی–بهمن ۱۳۹۸``; December 2019 to the Umm al-Qura calendar is ``ربيع الآخر–جمادى الأولى 1441 هـ``.
    """
    first = date(year, month, 1)
    last = (date(year + month // 12, month % 12 + 1, 1)) - timedelta(days=1)
    return _span(first, last, tag, "yMMMM", calendar=calendar, digits=digits)


def format_year(
    year: int, tag: str, *, calendar: str | None = None, digits: str | None = None
) -> str:
    """A Gregorian year (a date known to the year) in the language's calendar: 2020 in ``fa`` is ``۱۳۹۸–۱۳۹۹``."""
    return _span(date(year, 1, 1), date(year, 12, 31), tag, "y", calendar=calendar, digits=digits)


def _span(
    first: date, last: date, tag: str, skeleton: str, *, calendar: str | None, digits: str | None
) -> str:
    """The months (``yMMMM``) or years (``y``) of the language's calendar from ``first`` to ``last``."""
    conv = conventions(tag, calendar=calendar, digits=digits)
    if conv.calendar == GREGORIAN:
        return format_skeleton(first, skeleton, conv.tag, calendar=GREGORIAN, digits=conv.digits)
    a, b = to_calendar(first, conv.calendar), to_calendar(last, conv.calendar)
    same = a.year == b.year and (skeleton == "y" or a.month == b.month)
    if same:
        return format_skeleton(
            first, skeleton, conv.tag, calendar=conv.calendar, digits=conv.digits
        )
    if a.year != b.year and skeleton != "y":  # e.g. اسفند ۱۳۹۸–فروردین ۱۳۹۹: each side whole
        ends = (
            format_skeleton(d, skeleton, conv.tag, calendar=conv.calendar, digits=conv.digits)
            for d in (first, last)
        )
        return f" {DASH} ".join(ends)
    # One year, two months (دی–بهمن ۱۳۹۸), or two years (۱۳۹۸–۱۳۹۹): the pattern once, its field a span.
    pattern = _skeleton_pattern(conv.tag, conv.calendar, skeleton)
    field = "y" if skeleton == "y" else "M"
    names = month_names(conv.tag, conv.calendar)
    joined = (
        f"{a.year}{DASH}{b.year}"
        if field == "y"
        else f"{names[a.month - 1]}{DASH}{names[b.month - 1]}"
    )
    out: list[str] = []
    for kind, value in tokenize_pattern(pattern):
        if kind == "field" and cast("tuple[str, int]", value)[0] in (
            field,
            "L" if field == "M" else field,
        ):
            out.append(joined)
        elif kind == "chars":
            out.append(str(value))
        else:
            out.append(
                _apply_pattern(
                    _field_pattern(cast("tuple[str, int]", value)), first, conv.tag, conv.calendar
                )
            )
    return to_digits("".join(out), conv.digits)


def _field_pattern(field: tuple[str, int]) -> str:
    """A single pattern field written back as pattern text (``("y", 1)`` -> ``y``)."""
    return field[0] * field[1]


def _check_width(width: str) -> None:
    if width not in WIDTHS:
        raise OptionError(f"unknown width '{width}'; use one of: {', '.join(WIDTHS)}")


def _calendar_date(day: date, tag: str, calendar: str, width: str) -> str:
    """``day`` in ``calendar`` with CLDR's pattern of that calendar, in Latin digits."""
    locale = language(tag).locale
    if calendar == GREGORIAN:
        return str(babel_format_date(day, format=width, locale=locale))
    pattern = (
        PATTERN_OVERRIDES.get((calendar, language(tag).base, width))
        or cldr_calendar(tag, calendar, "dateFormats")[width]
    )
    return _apply_pattern(pattern, day, tag, calendar)


def _apply_pattern(pattern: str, day: date, tag: str, calendar: str) -> str:
    """CLDR pattern fields (d, M/L, y, G, E) filled from ``day`` converted to ``calendar``."""
    cd = to_calendar(day, calendar)
    era = cldr_calendar(tag, calendar, "era")
    out: list[str] = []
    for kind, value in tokenize_pattern(pattern):
        if kind == "chars":
            out.append(str(value))
            continue
        char, count = cast("tuple[str, int]", value)
        if char == "d":
            out.append(str(cd.day).zfill(count))
        elif char in "ML":
            context = "format" if char == "M" else "stand-alone"
            if count >= 3:
                width = "wide" if count == 4 else "abbreviated"
                out.append(month_names(tag, calendar, width=width, context=context)[cd.month - 1])
            else:
                out.append(str(cd.month).zfill(count))
        elif char == "y":
            out.append(str(cd.year % 100).zfill(2) if count == 2 else str(cd.year).zfill(count))
        elif char == "G":
            out.append(era["narrow"] if count == 5 else era["abbreviated"])
        elif char == "E":
            width = "wide" if count == 4 else "narrow" if count == 5 else "abbreviated"
            out.append(str(get_day_names(width, locale=language(tag).locale)[day.weekday()]))  # type: ignore[arg-type]
        else:
            raise OptionError(
                f"the {calendar} pattern {pattern!r} has a field '{char}' the kit cannot fill"
            )
    return "".join(out)


__all__ = [
    "DIGITS",
    "GREGORIAN",
    "ISLAMIC",
    "NATIVE",
    "PERSIAN",
    "Conventions",
    "conventions",
    "format_date",
    "format_month",
    "format_number",
    "format_skeleton",
    "format_time",
    "format_year",
    "native_digits",
    "to_digits",
    "to_latin_digits",
]
