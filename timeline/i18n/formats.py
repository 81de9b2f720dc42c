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
from datetime import date, datetime, time
from decimal import Decimal
from typing import cast

from babel.dates import format_date as babel_format_date
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
PATTERN_OVERRIDES = {(PERSIAN, "fa", "full"): "EEEE d MMMM y"}
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
    "format_number",
    "format_time",
    "native_digits",
    "to_digits",
    "to_latin_digits",
]
