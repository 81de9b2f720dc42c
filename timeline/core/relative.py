"""Relative dates as reporters write them, resolved against an article's dateline.

``resolve("tomorrow morning", dateline="2020-01-06T12:31+00:00")`` gives the
contract's date forms at the precision the text supports, never more:

- a day ("yesterday", "on Friday", "6 January") is a day: ``start="2020-01-05"``;
- a part of a day ("this afternoon", "tomorrow morning", "last night") is the day
  plus a ``display_date`` saying which part; no clock time is invented;
- a clock time ("today at 3pm") becomes a time with the dateline's UTC offset;
- a span ("this weekend", "last week") has a ``start`` and an ``end``;
- "last month" and "this year" keep month and year precision.

A bare weekday ("on Friday") and "this weekend" depend on tense: "took place on
Friday" is the Friday before the dateline, "will meet on Friday" the one after.
The sentence around the expression decides (``will``, ``is due to`` ... mean the
future), else the past; ``tense="past"`` or ``"future"`` overrides. Every result
carries a ``note`` saying how it was read, so the analyst can check it.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from ..errors import DateError
from .dates import explain, format_offset, humanize, parse
from .datewords import MONTHS, WEEKDAYS
from .datewords import long_date as _long

Tense = Literal["past", "future"]

NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
}

_WD = "(?:" + "|".join(WEEKDAYS) + ")"
_MON = "(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + ")"
_PART = "(?:morning|afternoon|evening|night|lunchtime)"
_NUM = r"(?:\d{1,2}|" + "|".join(NUMBERS) + ")"


def _time(k: str = "") -> str:
    """A clock time ("3pm", "3.30 p.m.", "15:00", "noon"); group names end with ``k``."""
    return (
        rf"(?:(?:at\s+)?(?P<h12{k}>\d{{1,2}})(?:[:.](?P<m12{k}>\d{{2}}))?\s*(?P<ampm{k}>[ap])\.?m\.?(?![a-z])"
        rf"|(?:at\s+)?(?P<h24{k}>[01]\d|2[0-3]):(?P<m24{k}>[0-5]\d)(?!\d)"
        rf"|(?:at\s+)?(?P<noon{k}>noon|midday|midnight))"
    )


# What may come before a day ("at 3pm on Friday") and after it ("Friday morning", "today at 3pm").
_BEFORE = rf"(?:{_time('b')}\s+(?:on\s+)?)?"
_AFTER = rf"(?:\s+(?P<part>{_PART}))?(?:,?\s+{_time()})?"

FUTURE = re.compile(
    r"\b(will|won['’]t|shall|is due|are due|due to|to be held|plans? to|is expected to|are expected to|"
    r"is set to|are set to|going to|next|coming|upcoming|later)\b",
    re.I,
)
PAST = re.compile(
    r"\b(was|were|had|did|took place|happened|said|told|issued|announced|ago|last|earlier|"
    r"\w+ed)\b",
    re.I,
)


@dataclass(frozen=True)
class Resolution:
    """A relative date resolved to the contract's forms.

    ``start`` and ``end`` are contract dates (``end`` is ``""`` unless a span);
    ``display_date`` is ``""`` unless the text says more than the date shows (a
    part of the day, a span); ``precision`` is that of ``start``; ``note`` says
    how the text was read; ``span`` is where it was found in the text.
    """

    text: str
    start: str
    end: str = ""
    display_date: str = ""
    precision: str = "day"
    note: str = ""
    span: tuple[int, int] = (0, 0)

    def fields(self) -> dict[str, str]:
        """The event columns this fills: ``start``, ``end``, ``display_date``."""
        return {"start": self.start, "end": self.end, "display_date": self.display_date}

    def reads(self) -> str:
        """How a reader will see it: the ``display_date``, else the humanized ``start``."""
        if self.display_date:
            return self.display_date
        shown = humanize(self.start)
        return f"{shown} to {humanize(self.end)}" if self.end else shown


@dataclass(frozen=True)
class _Clock:
    """The dateline: its local calendar day, time (if known) and UTC offset (if known)."""

    day: date
    minutes: int | None  # minutes after local midnight, or None for a date-only dateline
    offset: int | None
    zone: str | None  # a label such as "London"; else the offset is shown

    @property
    def label(self) -> str:
        if self.zone:
            return f" ({self.zone})"
        return f" ({format_offset(self.offset)})" if self.offset is not None else ""

    def iso_offset(self) -> str:
        assert self.offset is not None
        return format_offset(self.offset)[3:]


def _clock(dateline: str | datetime | date, zone: str | None) -> _Clock:
    if isinstance(dateline, datetime):
        if dateline.utcoffset() is None:
            raise DateError(
                f"dateline {dateline.isoformat()} has no UTC offset; give the article's clock, "
                "e.g. 2020-01-06T12:31+00:00"
            )
        off = int(dateline.utcoffset().total_seconds() // 60)  # type: ignore[union-attr]
        return _Clock(dateline.date(), dateline.hour * 60 + dateline.minute, off, zone)
    if isinstance(dateline, date):
        return _Clock(dateline, None, None, zone)
    problem = explain(str(dateline))
    if problem:
        raise DateError(f"dateline: {problem}")
    p = parse(str(dateline))
    if p.precision in ("year", "month"):
        raise DateError(
            f"dateline '{dateline}' is a {p.precision}; relative dates need the article's day, "
            "e.g. 2020-01-06 or 2020-01-06T12:31+00:00"
        )
    local = p.local
    minutes = None if p.offset_minutes is None else local.hour * 60 + local.minute
    return _Clock(local.date(), minutes, p.offset_minutes, zone)


def _day(d: date) -> str:
    return d.isoformat()


def _short(d: date) -> str:
    return f"{d.day} {calendar.month_name[d.month]} {d.year}"


def _span_text(a: date, b: date) -> str:
    if a.year != b.year:
        return f"{_short(a)} to {_short(b)}"
    if a.month != b.month:
        return f"{a.day} {calendar.month_name[a.month]} to {_short(b)}"
    return f"{a.day}–{_short(b)}"


def _sentence(text: str, start: int, end: int) -> str:
    left = max(text.rfind(".", 0, start), text.rfind("\n", 0, start)) + 1
    right = min([i for i in (text.find(".", end), text.find("\n", end)) if i != -1] or [len(text)])
    return text[left:right]


def _tense(context: str, match_text: str, given: Tense | None) -> tuple[Tense | None, str]:
    """The tense of the sentence around an expression: given, else read from its words."""
    if given:
        return given, f"tense given: {given}"
    rest = context.replace(match_text, " ")
    if FUTURE.search(rest):
        return "future", f"the sentence speaks of the future ('{FUTURE.search(rest).group(0)}')"  # type: ignore[union-attr]
    if PAST.search(rest):
        return "past", f"the sentence speaks of the past ('{PAST.search(rest).group(0)}')"  # type: ignore[union-attr]
    return None, "no tense in the sentence"


# ------------------------------------------------------------------ handlers
_Match = re.Match[str]
_Handler = Callable[[_Match, _Clock, str, "Tense | None"], Resolution]


def _with_time(m: _Match, day: date, clk: _Clock, why: str) -> Resolution:
    """A day, refined by a part of the day or a clock time when the text gives one."""
    g = {k: v for k, v in m.groupdict().items() if v is not None}
    g.update({k[:-1]: v for k, v in g.copy().items() if k.endswith("b") and k[:-1] not in g})
    part = g.get("part")
    hour: int | None = None
    minute = 0
    if g.get("h12"):
        hour = int(g["h12"]) % 12 + (12 if g["ampm"].lower() == "p" else 0)
        minute = int(g.get("m12") or 0)
        if int(g["h12"]) > 12 or minute > 59:
            raise DateError(f"'{m.group(0)}' has an impossible time of day")
    elif g.get("h24"):
        hour, minute = int(g["h24"]), int(g["m24"])
    elif g.get("noon"):
        hour = 0 if g["noon"].lower() == "midnight" else 12
    if hour is not None:
        clock = f"{hour:02d}:{minute:02d}"
        if clk.offset is None:
            return Resolution(
                m.group(0),
                _day(day),
                "",
                f"{_long(day)}, {clock} (time zone not known)",
                "day",
                f"{why}; the dateline has no UTC offset, so the time is kept in display_date only",
            )
        return Resolution(
            m.group(0),
            f"{_day(day)}T{clock}{clk.iso_offset()}",
            "",
            "",
            "minute",
            f"{why}; the time is on the dateline's clock (UTC{clk.iso_offset()})",
        )
    if part:
        return Resolution(
            m.group(0),
            _day(day),
            "",
            f"{_long(day)}, {part.lower()}{clk.label}",
            "day",
            f"{why}; '{part.lower()}' is kept in display_date, no time is invented",
        )
    return Resolution(m.group(0), _day(day), "", "", "day", why)


def _named_day(m: _Match, clk: _Clock, ctx: str, tense: Tense | None) -> Resolution:
    word = re.sub(r"\s+", " ", m.group("rel").lower())
    shift = {
        "the day before yesterday": -2,
        "yesterday": -1,
        "today": 0,
        "earlier today": 0,
        "later today": 0,
        "tomorrow": 1,
        "the day after tomorrow": 2,
    }[word]
    day = clk.day + timedelta(days=shift)
    return _with_time(m, day, clk, f"'{word}' from the dateline {_long(clk.day)}")


def _this_part(m: _Match, clk: _Clock, ctx: str, tense: Tense | None) -> Resolution:
    word = re.sub(r"\s+", " ", m.group("tp").lower())
    part, day = {
        "this morning": ("morning", clk.day),
        "this afternoon": ("afternoon", clk.day),
        "this evening": ("evening", clk.day),
        "tonight": ("evening", clk.day),
        "last night": ("night", clk.day - timedelta(days=1)),
    }[word]
    if any(
        v for k, v in m.groupdict().items() if k != "tp"
    ):  # "tonight at 9pm": the clock time is enough
        return _with_time(m, day, clk, f"'{word}' from the dateline {_long(clk.day)}")
    return Resolution(
        m.group(0),
        _day(day),
        "",
        f"{_long(day)}, {part}{clk.label}",
        "day",
        f"'{word}' from the dateline {_long(clk.day)}; the part of the day is kept in display_date, "
        "no time is invented",
    )


def _overnight(m: _Match, clk: _Clock, ctx: str, tense: Tense | None) -> Resolution:
    a, b = clk.day - timedelta(days=1), clk.day
    return Resolution(
        m.group(0),
        _day(a),
        _day(b),
        f"overnight, {_long(a)} to {_long(b)}{clk.label}",
        "day",
        "'overnight' is the night before the dateline",
    )


def _weekday(m: _Match, clk: _Clock, ctx: str, tense: Tense | None) -> Resolution:
    name = m.group("wd").lower()
    target = WEEKDAYS.index(name)
    mod = re.sub(r"\s+", " ", (m.group("mod") or "").lower()).strip()
    back = (clk.day.weekday() - target) % 7  # days back to the latest such weekday (0 = today)
    ahead = (target - clk.day.weekday()) % 7
    nice = name.capitalize()
    if mod in ("last", "this past"):
        day = clk.day - timedelta(days=back or 7)
        why = f"'{mod} {nice}': the {nice} before the dateline {_long(clk.day)}"
    elif mod in ("next", "this coming", "coming"):
        day = clk.day + timedelta(days=ahead or 7)
        why = f"'{mod} {nice}': the {nice} after the dateline {_long(clk.day)}"
    elif mod == "this":
        day = clk.day + timedelta(days=ahead)
        why = f"'this {nice}': the {nice} of the dateline's week, from {_long(clk.day)} on"
    elif back == 0:
        day = clk.day
        why = f"'{nice}' is the dateline's own day"
    else:
        t, how = _tense(ctx, m.group(0), tense)
        if t == "future":
            day = clk.day + timedelta(days=ahead)
            why = f"the {nice} after the dateline {_long(clk.day)}: {how}"
        else:
            day = clk.day - timedelta(days=back)
            why = f"the {nice} before the dateline {_long(clk.day)}: {how}" + (
                ""
                if t
                else " (reporters' usage: a bare weekday is the last one; pass tense='future' for the next)"
            )
    return _with_time(m, day, clk, why)


def _days_offset(m: _Match, clk: _Clock, ctx: str, tense: Tense | None) -> Resolution:
    raw = m.group("n").lower()
    n = NUMBERS.get(raw) or int(raw)
    sign = -1 if m.group(0).lower().rstrip().endswith("ago") else 1
    day = clk.day + timedelta(days=sign * n)
    return _with_time(m, day, clk, f"'{m.group(0).strip()}' from the dateline {_long(clk.day)}")


def _absolute(m: _Match, clk: _Clock, ctx: str, tense: Tense | None) -> Resolution:
    d, mon = int(m.group("d")), MONTHS[m.group("mon").lower().rstrip(".")]
    if m.group("y"):
        years = [int(m.group("y"))]
        why = "a full date"
    else:
        years = [clk.day.year - 1, clk.day.year, clk.day.year + 1]
        why = f"the year is the one nearest the dateline {_long(clk.day)}"
    candidates = []
    for y in years:
        try:
            candidates.append(date(y, mon, d))
        except ValueError:
            continue
    if not candidates:
        raise DateError(f"'{m.group(0)}' is not a real date")
    day = min(candidates, key=lambda c: abs((c - clk.day).days))
    wd = m.group("wd")
    if wd and WEEKDAYS.index(wd.lower()) != day.weekday():
        raise DateError(
            f"'{m.group(0)}': {_short(day)} is a {calendar.day_name[day.weekday()]}, not a "
            f"{wd.capitalize()}; check the day or the date"
        )
    return _with_time(m, day, clk, why)


def _iso(m: _Match, clk: _Clock, ctx: str, tense: Tense | None) -> Resolution:
    p = parse(m.group(0))
    return Resolution(
        m.group(0), m.group(0), "", "", p.precision, "an ISO 8601 date, kept as written"
    )


def _weekend(m: _Match, clk: _Clock, ctx: str, tense: Tense | None) -> Resolution:
    mod = re.sub(r"\s+", " ", m.group("wm").lower())
    wd = clk.day.weekday()
    last_sat = clk.day - timedelta(days=(wd - 5) % 7)  # the latest Saturday, today included
    next_sat = clk.day + timedelta(days=(5 - wd) % 7)
    in_weekend = wd >= 5
    if mod in ("last", "this past", "over the past"):
        sat = last_sat if not in_weekend else last_sat - timedelta(days=7)
        why = f"'{mod} weekend': the weekend before the dateline {_long(clk.day)}"
    elif mod in ("next", "this coming", "coming"):
        sat = next_sat if not in_weekend else last_sat + timedelta(days=7)
        why = f"'{mod} weekend': the weekend after the dateline {_long(clk.day)}"
    elif in_weekend:
        sat = last_sat
        why = f"the dateline {_long(clk.day)} falls in this weekend"
    else:
        t, how = _tense(ctx, m.group(0), tense)
        if t is None:
            t = "past" if wd == 0 else "future"
            how += f"; on a {calendar.day_name[wd]} it means the {'last' if t == 'past' else 'coming'} one"
        sat = last_sat if t == "past" else next_sat
        why = f"the {'last' if t == 'past' else 'coming'} weekend from the dateline {_long(clk.day)}: {how}"
    sun = sat + timedelta(days=1)
    return Resolution(
        m.group(0), _day(sat), _day(sun), f"the weekend of {_span_text(sat, sun)}", "day", why
    )


def _period(m: _Match, clk: _Clock, ctx: str, tense: Tense | None) -> Resolution:
    mod = m.group("pm").lower().split()[-1]
    unit = m.group("unit").lower()
    step = {"last": -1, "past": -1, "this": 0, "earlier": 0, "next": 1, "coming": 1}[mod]
    if unit == "year":
        y = clk.day.year + step
        return Resolution(
            m.group(0),
            f"{y:04d}",
            "",
            "",
            "year",
            f"'{m.group(0)}' from the dateline {_long(clk.day)}",
        )
    if unit == "month":
        k = clk.day.year * 12 + clk.day.month - 1 + step
        return Resolution(
            m.group(0),
            f"{k // 12:04d}-{k % 12 + 1:02d}",
            "",
            "",
            "month",
            f"'{m.group(0)}' from the dateline {_long(clk.day)}",
        )
    monday = clk.day - timedelta(days=clk.day.weekday()) + timedelta(days=7 * step)
    sunday = monday + timedelta(days=6)
    if m.group("pm").lower().startswith("earlier"):
        sunday = clk.day - timedelta(days=1)
        if sunday < monday:
            raise DateError(f"'{m.group(0)}' on a Monday dateline names no earlier day of the week")
        return Resolution(
            m.group(0),
            _day(monday),
            _day(sunday),
            f"earlier in the week, {_span_text(monday, sunday)}",
            "day",
            "weeks run Monday to Sunday; 'earlier this week' ends the day before the dateline",
        )
    return Resolution(
        m.group(0),
        _day(monday),
        _day(sunday),
        f"the week of {_span_text(monday, sunday)}",
        "day",
        f"'{m.group(0)}' from the dateline {_long(clk.day)}; weeks run Monday to Sunday",
    )


def _hours(m: _Match, clk: _Clock, ctx: str, tense: Tense | None) -> Resolution:
    after = ""
    if clk.minutes is not None:
        after = f" after {clk.minutes // 60:02d}:{clk.minutes % 60:02d}"
    return Resolution(
        m.group(0),
        _day(clk.day),
        "",
        f"{_long(clk.day)}, in the hours{after}{clk.label}",
        "day",
        "'in the coming hours' is taken as the dateline's day; check it did not run past midnight",
    )


def _c(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-]){pattern}(?![\w-])", re.I)


PATTERNS: list[tuple[re.Pattern[str], _Handler]] = [
    (_c(r"\d{4}-\d{2}(?:-\d{2}(?:T\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:\d{2}))?)?"), _iso),
    (
        _c(
            rf"{_BEFORE}(?:on\s+)?(?:(?P<wd>{_WD}),?\s+)?(?:the\s+)?(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>{_MON})\.?"
            rf"(?:,?\s+(?P<y>\d{{4}}))?{_AFTER}"
        ),
        _absolute,
    ),
    (
        _c(
            rf"{_BEFORE}(?:on\s+)?(?:(?P<wd>{_WD}),?\s+)?(?P<mon>{_MON})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<y>\d{{4}}))?"
            rf"{_AFTER}"
        ),
        _absolute,
    ),
    (
        _c(
            r"(?P<wm>this|last|next|this past|this coming|coming|over the|over the past|at the|during the|on the)"
            r"\s+weekend"
        ),
        _weekend,
    ),
    (_c(r"(?P<pm>this|last|next|past|coming|earlier this)\s+(?P<unit>week|month|year)"), _period),
    (_c(r"in the (?:coming|next(?: few)?) hours|within hours"), _hours),
    (
        _c(
            rf"{_BEFORE}(?P<tp>this\s+morning|this\s+afternoon|this\s+evening|tonight|last\s+night)"
            rf"(?:,?\s+{_time()})?"
        ),
        _this_part,
    ),
    (_c(r"overnight"), _overnight),
    (
        _c(
            rf"{_BEFORE}(?P<rel>the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow|yesterday|earlier\s+today|"
            rf"later\s+today|today|tomorrow){_AFTER}"
        ),
        _named_day,
    ),
    (
        _c(
            rf"{_BEFORE}(?:(?P<mod>last|next|this past|this coming|coming|this|on)\s+)?(?P<wd>{_WD}){_AFTER}"
        ),
        _weekday,
    ),
    (_c(rf"(?P<n>{_NUM})\s+days?\s+ago"), _days_offset),
    (_c(rf"in\s+(?P<n>{_NUM})\s+days?(?:['’]\s*time)?"), _days_offset),
]


def find(
    text: str,
    *,
    dateline: str | datetime | date,
    tense: Tense | None = None,
    zone: str | None = None,
) -> list[Resolution]:
    """Every date expression in ``text`` (an article, a sentence), in reading order."""
    clk = _clock(dateline, zone)
    hits: list[tuple[int, int, int, re.Match[str], _Handler]] = []
    for rank, (pattern, handler) in enumerate(PATTERNS):
        for m in pattern.finditer(text):
            hits.append((m.start(), -(m.end() - m.start()), rank, m, handler))
    hits.sort(key=lambda h: (h[0], h[1], h[2]))
    out: list[Resolution] = []
    taken_until = -1
    for start, _neg, _rank, m, handler in hits:
        if start < taken_until:
            continue
        ctx = _sentence(text, m.start(), m.end())
        r = handler(m, clk, ctx, tense)
        out.append(
            Resolution(
                r.text.strip(),
                r.start,
                r.end,
                r.display_date,
                r.precision,
                r.note,
                (m.start(), m.end()),
            )
        )
        taken_until = m.end()
    return out


def resolve(
    text: str,
    *,
    dateline: str | datetime | date,
    tense: Tense | None = None,
    zone: str | None = None,
) -> Resolution:
    """The first date expression in ``text``, resolved against the article's ``dateline``.

    ``dateline`` is a contract date (``2020-01-06T12:31+00:00``; a day works but then
    clock times cannot get an offset) or an aware ``datetime``. ``tense`` settles a
    bare weekday or "this weekend" when the sentence does not; ``zone`` labels the
    dateline's clock in display dates ("London") instead of its offset.
    Raises :class:`~timeline.errors.DateError` saying what to write when no expression is found.
    """
    found = find(text, dateline=dateline, tense=tense, zone=zone)
    if not found:
        raise DateError(
            f"'{text.strip()}' holds no date I can read; write e.g. 'yesterday', 'on Friday', "
            "'this afternoon', 'this weekend', '6 January 2020' or an ISO date such as 2020-01-03"
        )
    return found[0]
