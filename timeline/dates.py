"""ISO 8601 dates at the precision the analyst knows.

``2020``, ``2020-01``, ``2020-01-05`` or a time with its UTC offset
(``2020-01-03T00:47+03:00``, ``2020-01-02T21:47Z``). The precision is read
from the form and kept: a day stays a day and is never shown as midnight.

Parsing is vectorised (``parse_series``) for the loader's hot path; ``parse``
is the one-value form for widgets and the CLI.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import pandas as pd

PRECISIONS = ("year", "month", "day", "minute", "second")

ISO_RE = (
    r"^(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2})"
    r"(?:T(?P<H>\d{2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?(?P<tz>Z|[+-]\d{2}:\d{2})?)?)?)?$"
)
_ISO = re.compile(ISO_RE)
_SLASHED = re.compile(r"^\d{1,2}[/.]\d{1,2}[/.]\d{2,4}$")
_NAIVE_SPACE = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?$")

HINT_FORMS = "write 2020, 2020-01, 2020-01-05 or 2020-01-03T00:47+03:00"


@dataclass(frozen=True)
class ParsedDate:
    """A parsed date: where its period starts and ends (UTC), its precision and offset."""

    text: str
    precision: str
    at: datetime  # start of the period, UTC (a day or month is taken as UTC calendar days)
    until: datetime  # exclusive end of the period, UTC
    offset_minutes: int | None  # the clock's UTC offset for times; None for dates

    @property
    def local(self) -> datetime:
        """The instant on the analyst's clock (its own offset), or the naive period start."""
        if self.offset_minutes is None:
            return self.at.replace(tzinfo=None)
        return self.at.astimezone(timezone(timedelta(minutes=self.offset_minutes)))


def _offset_minutes(tz: str) -> int:
    if tz == "Z":
        return 0
    sign = -1 if tz[0] == "-" else 1
    return sign * (int(tz[1:3]) * 60 + int(tz[4:6]))


def explain(text: str) -> str | None:
    """Why ``text`` is not a valid contract date, with the fix; ``None`` if it is valid."""
    value = text.strip()
    m = _ISO.match(value)
    if m is None:
        if _SLASHED.match(value):
            return (
                f"'{value}' is ambiguous (day/month or month/day?); "
                f"write it as ISO 8601 YYYY-MM-DD, e.g. 2020-01-03 for 3 January 2020"
            )
        if _NAIVE_SPACE.match(value) and " " in value:
            return f"'{value}' has a space before the time; {HINT_FORMS} (a T before the time, then the UTC offset)"
        return f"'{value}' is not an ISO 8601 date; {HINT_FORMS}"
    g = m.groupdict()
    year = int(g["y"])
    if g["m"] is not None and not 1 <= int(g["m"]) <= 12:
        return f"'{value}' has month {g['m']}, which does not exist; months run 01 to 12"
    if g["d"] is not None:
        month = int(g["m"])
        days = calendar.monthrange(year, month)[1]
        if not 1 <= int(g["d"]) <= days:
            return (
                f"'{value}' is not a real date: {calendar.month_name[month]} {year} "
                f"has {days} days"
            )
    if g["H"] is not None:
        if int(g["H"]) > 23 or int(g["M"]) > 59 or (g["S"] is not None and int(g["S"]) > 59):
            return f"'{value}' has an impossible time of day; hours run 00-23, minutes 00-59"
        if g["tz"] is None:
            return (
                f"'{value}' has a time but no UTC offset; add the offset of the clock it was read on, "
                f"e.g. {value}+03:00 (Baghdad), {value}Z (UTC/London in winter) or {value}-05:00 (US Eastern)"
            )
        if abs(_offset_minutes(g["tz"])) > 14 * 60:
            return f"'{value}' has offset {g['tz']}, beyond ±14:00; check the time zone"
    return None


def parse(text: str) -> ParsedDate:
    """Parse one contract date; raises ``ValueError`` with :func:`explain`'s message."""
    problem = explain(text)
    if problem:
        raise ValueError(problem)
    value = text.strip()
    m = _ISO.match(value)
    assert m is not None
    g = m.groupdict()
    y = int(g["y"])
    if g["m"] is None:
        start = datetime(y, 1, 1, tzinfo=timezone.utc)
        return ParsedDate(value, "year", start, start.replace(year=y + 1), None)
    mo = int(g["m"])
    if g["d"] is None:
        start = datetime(y, mo, 1, tzinfo=timezone.utc)
        nxt = datetime(y + (mo == 12), mo % 12 + 1, 1, tzinfo=timezone.utc)
        return ParsedDate(value, "month", start, nxt, None)
    d = int(g["d"])
    if g["H"] is None:
        start = datetime(y, mo, d, tzinfo=timezone.utc)
        return ParsedDate(value, "day", start, start + timedelta(days=1), None)
    off = _offset_minutes(g["tz"])
    local = datetime(y, mo, d, int(g["H"]), int(g["M"]), int(g["S"] or 0))
    at = (local - timedelta(minutes=off)).replace(tzinfo=timezone.utc)
    step = timedelta(seconds=1) if g["S"] is not None else timedelta(minutes=1)
    return ParsedDate(value, "second" if g["S"] is not None else "minute", at, at + step, off)


def parse_series(values: pd.Series) -> pd.DataFrame:
    """Vectorised parse of a column of contract dates.

    Returns a frame aligned with ``values``: ``at`` and ``until`` (UTC timestamps,
    NaT when empty or invalid), ``precision`` (or ``""``), ``offset`` (minutes, Int64,
    NA for dates without a time) and ``error`` (the :func:`explain` message or ``""``).
    Only invalid cells go through the per-value explainer.
    """
    text = values.fillna("").astype(str).str.strip()
    parts = text.str.extract(ISO_RE)
    empty = text == ""
    matched = parts["y"].notna()
    precision = pd.Series("", index=text.index, dtype=object)
    precision[matched] = "year"
    precision[parts["m"].notna()] = "month"
    precision[parts["d"].notna()] = "day"
    precision[parts["H"].notna()] = "minute"
    precision[parts["S"].notna()] = "second"

    base = (
        parts["y"].fillna("2000")
        + "-"
        + parts["m"].fillna("01")
        + "-"
        + parts["d"].fillna("01")
        + " "
        + parts["H"].fillna("00")
        + ":"
        + parts["M"].fillna("00")
        + ":"
        + parts["S"].fillna("00")
    )
    local = pd.to_datetime(base.where(matched), format="%Y-%m-%d %H:%M:%S", errors="coerce")
    tz = parts["tz"].fillna("")
    sign = tz.str[0].map({"+": 1, "-": -1}).fillna(1)
    hours = pd.to_numeric(tz.str[1:3], errors="coerce").fillna(0)
    minutes = pd.to_numeric(tz.str[4:6], errors="coerce").fillna(0)
    offset_min = (sign * (hours * 60 + minutes)).astype("int64")
    has_time = parts["H"].notna()
    at = (local - pd.to_timedelta(offset_min.where(has_time, 0), unit="min")).dt.tz_localize("UTC")

    until = at.copy()
    until[precision == "year"] = at[precision == "year"] + pd.DateOffset(years=1)
    until[precision == "month"] = at[precision == "month"] + pd.DateOffset(months=1)
    until[precision == "day"] = at[precision == "day"] + pd.Timedelta(days=1)
    until[precision == "minute"] = at[precision == "minute"] + pd.Timedelta(minutes=1)
    until[precision == "second"] = at[precision == "second"] + pd.Timedelta(seconds=1)

    suspect = ~empty & (
        ~matched
        | local.isna()
        | (has_time & (tz == ""))
        | (offset_min.abs() > 14 * 60)
    )
    error = pd.Series("", index=text.index, dtype=object)
    if suspect.any():
        error[suspect] = [explain(v) or "" for v in text[suspect]]
    bad = error != ""
    offset = offset_min.astype("Int64").where(has_time & ~bad)
    return pd.DataFrame(
        {
            "at": at.where(~bad & ~empty),
            "until": until.where(~bad & ~empty),
            "precision": precision.where(~bad & ~empty, ""),
            "offset": offset,
            "error": error,
        },
        index=values.index,
    )


_WEEKDAY = calendar.day_name
_MONTH = calendar.month_name


def format_offset(minutes: int) -> str:
    sign = "+" if minutes >= 0 else "-"
    m = abs(minutes)
    return f"UTC{sign}{m // 60:02d}:{m % 60:02d}"


def humanize(text: str, *, zone: str = "own") -> str:
    """How a date reads to a person, at its own precision.

    ``zone`` applies to times only: ``own`` (the clock it was written on),
    ``utc`` or ``london`` (Europe/London). ``2020-01-05`` -> ``Sunday 5 January 2020``;
    ``2020-01-03T00:47+03:00`` -> ``Friday 3 January 2020, 00:47 (UTC+03:00)``.
    """
    try:
        p = parse(text)
    except ValueError:
        return text
    if p.precision == "year":
        return f"{p.at.year}"
    if p.precision == "month":
        return f"{_MONTH[p.at.month]} {p.at.year}"
    if p.precision == "day":
        d = p.at
        return f"{_WEEKDAY[d.weekday()]} {d.day} {_MONTH[d.month]} {d.year}"
    assert p.offset_minutes is not None
    if zone == "utc":
        t, label = p.at, "UTC"
    elif zone == "london":
        from zoneinfo import ZoneInfo

        t = p.at.astimezone(ZoneInfo("Europe/London"))
        label = "London, " + ("BST" if t.dst() else "GMT")
    else:
        t, label = p.local, format_offset(p.offset_minutes)
    clock = f"{t:%H:%M}" if p.precision == "minute" else f"{t:%H:%M:%S}"
    return f"{_WEEKDAY[t.weekday()]} {t.day} {_MONTH[t.month]} {t.year}, {clock} ({label})"
