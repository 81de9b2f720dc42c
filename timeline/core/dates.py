"""ISO 8601 dates at the precision the analyst knows.

``2020``, ``2020-01``, ``2020-01-05`` or a time with its UTC offset
(``2020-01-03T00:47+03:00``, ``2020-01-02T21:47Z``). The precision is read
from the form and kept: a day stays a day and is never shown as midnight.

Parsing is vectorised for the validator's hot path (``parse_cells`` on an array
of strings, ``parse_series`` on a column, giving a frame); ``parse`` is the
one-value form for widgets and the CLI, and ``explain`` says what is wrong with
a value and how to write it.
"""

from __future__ import annotations

import calendar
import os
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import numpy as np
import pandas as pd

from ..errors import DateError
from ..i18n.markers import N_, Message
from .datewords import iso_suggestion, not_real

ISO_RE = (
    r"^(?P<y>[0-9]{4})(?:-(?P<m>[0-9]{2})(?:-(?P<d>[0-9]{2})"
    r"(?:T(?P<H>[0-9]{2}):(?P<M>[0-9]{2})(?::(?P<S>[0-9]{2}))?(?P<tz>Z|[+-][0-9]{2}:[0-9]{2})?)?)?)?$"
)
_ISO = re.compile(ISO_RE)
_SLASHED = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$")
_NAIVE_SPACE = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?$")

HINT_FORMS = N_("write 2020, 2020-01, 2020-01-05 or 2020-01-03T00:47+03:00")


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
        slashed = _SLASHED.match(value)
        if slashed:
            a, b, year = (int(x) for x in slashed.groups())
            return _explain_slashed(value, a, b, year, len(slashed.group(3)))
        suggestion = iso_suggestion(value)
        if suggestion:
            return suggestion
        if _NAIVE_SPACE.match(value) and " " in value:
            return Message(
                N_(
                    "'%(value)s' has a space before the time; write a T instead and add the UTC "
                    "offset, e.g. %(fixed)s+03:00"
                ),
                value=value,
                fixed=value.replace(" ", "T"),
            )
        return Message(
            N_("'%(value)s' is not an ISO 8601 date; %(forms)s"),
            value=value,
            forms=Message(HINT_FORMS),
        )
    g = m.groupdict()
    year = int(g["y"])
    if year == 0:
        return Message(
            N_("'%(value)s' has year 0000, which does not exist; years run 0001 to 9999"),
            value=value,
        )
    if g["m"] is not None and not 1 <= int(g["m"]) <= 12:
        return Message(
            N_("'%(value)s' has month %(month)s, which does not exist; months run 01 to 12"),
            value=value,
            month=g["m"],
        )
    if g["d"] is not None:
        unreal = not_real(value, year, int(g["m"]), int(g["d"]))
        if unreal:
            return unreal
    if g["H"] is not None:
        if int(g["H"]) > 23 or int(g["M"]) > 59 or (g["S"] is not None and int(g["S"]) > 59):
            return Message(
                N_(
                    "'%(value)s' has an impossible time of day; hours run 00 to 23, minutes and "
                    "seconds 00 to 59"
                ),
                value=value,
            )
        if g["tz"] is None:
            return Message(
                N_(
                    "'%(value)s' has a time but no UTC offset; add the offset of the clock it was "
                    "read on, e.g. %(value)s+03:00 (Baghdad), %(value)sZ (UTC/London in winter) or "
                    "%(value)s-05:00 (US Eastern)"
                ),
                value=value,
            )
        if abs(_offset_minutes(g["tz"])) > 14 * 60:
            return Message(
                N_("'%(value)s' has offset %(offset)s, beyond ±14:00; check the time zone"),
                value=value,
                offset=g["tz"],
            )
    return None


def _explain_slashed(value: str, a: int, b: int, year: int, digits: int) -> str:
    """``03/01/2020`` and the like: which dates it could be, written the ISO way."""
    if digits == 2:
        return Message(
            N_(
                "'%(value)s' has a two-digit year; write the date as ISO 8601 with the year in "
                "full, e.g. 2020-01-03"
            ),
            value=value,
        )
    readings = []
    for day, month in ((a, b), (b, a)):
        if 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]:
            readings.append((day, month))
    if len(readings) == 2 and readings[0] != readings[1]:
        (d1, m1), (d2, m2) = readings
        return Message(
            # Translators: %(first)s and %(second)s are the two dates it may be, in English
            # ("3 January 2020"); %(iso1)s and %(iso2)s are the same dates written as ISO 8601.
            N_(
                "'%(value)s' is ambiguous: %(first)s (day first) or %(second)s (month first); "
                "write it as ISO 8601 YYYY-MM-DD: %(iso1)s or %(iso2)s"
            ),
            value=value,
            first=f"{d1} {calendar.month_name[m1]} {year}",
            second=f"{d2} {calendar.month_name[m2]} {year}",
            iso1=f"{year:04d}-{m1:02d}-{d1:02d}",
            iso2=f"{year:04d}-{m2:02d}-{d2:02d}",
        )
    if readings:
        d, m = readings[0]
        return Message(
            # Translators: %(iso)s is the date written as ISO 8601, %(date)s the same date in English.
            N_("'%(value)s' is not ISO 8601; write it as YYYY-MM-DD: %(iso)s (%(date)s)"),
            value=value,
            iso=f"{year:04d}-{m:02d}-{d:02d}",
            date=f"{d} {calendar.month_name[m]} {year}",
        )
    return Message(
        N_("'%(value)s' is not a real date and not ISO 8601; %(forms)s"),
        value=value,
        forms=Message(HINT_FORMS),
    )


def parse(text: str) -> ParsedDate:
    """Parse one contract date; raises :class:`~timeline.errors.DateError` with :func:`explain`'s message."""
    problem = explain(text)
    if problem:
        raise DateError(problem)
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


# Fixed-width forms of a contract date, by length: d = ASCII digit, s = + or -, else the literal.
_FORMS: dict[int, tuple[str, str]] = {
    4: ("dddd", "year"),
    7: ("dddd-dd", "month"),
    10: ("dddd-dd-dd", "day"),
    17: ("dddd-dd-ddTdd:ddZ", "minute"),
    22: ("dddd-dd-ddTdd:ddsdd:dd", "minute"),
    20: ("dddd-dd-ddTdd:dd:ddZ", "second"),
    25: ("dddd-dd-ddTdd:dd:ddsdd:dd", "second"),
}
_WIDTH = 26  # one more than the longest form, so that longer text never matches
_DAYS_IN_MONTH = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
# Each byte's class: a digit is 'd', both signs are '-' (so '-' in a form stands for either).
_CLASS = np.full(256, ord("?"), dtype=np.uint8)
_CLASS[0] = 0  # the padding after the text
_CLASS[ord("0") : ord("9") + 1] = ord("d")
_CLASS[[ord("+"), ord("-")]] = ord("-")
_CLASS[[ord("T"), ord("Z"), ord(":")]] = [ord("T"), ord("Z"), ord(":")]
_TEMPLATE = np.full(_WIDTH + 1, b"\xff", dtype=f"S{_WIDTH}")  # by length; \xff matches no text
for _length, (_form, _precision) in _FORMS.items():
    _TEMPLATE[_length] = _form.replace("s", "-").encode("ascii")
_PRECISION = np.array(
    [_FORMS[n][1] if n in _FORMS else "" for n in range(_WIDTH + 1)], dtype=object
)


def _ascii_matrix(cells: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The first ``_WIDTH`` bytes of each cell as a matrix, and which cells are ASCII."""
    n = len(cells)
    try:
        return cells.astype(f"S{_WIDTH}").view(np.uint8).reshape(n, _WIDTH), np.ones(n, dtype=bool)
    except UnicodeEncodeError:  # some cell is not ASCII: no contract date is, so it is reported
        wide = cells.astype(f"U{_WIDTH}").view(np.uint32).reshape(n, _WIDTH)
        ascii_only = np.asarray((wide < 128).all(axis=1))
        return np.where(wide < 128, wide, ord("?")).astype(np.uint8), ascii_only


def _number(digits: np.ndarray, first: int, width: int) -> np.ndarray:
    out = np.zeros(len(digits), dtype=np.int64)
    for i in range(first, first + width):
        out = out * 10 + digits[:, i].astype(np.int64)
    return out


def _days_from_civil(y: np.ndarray, m: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Days since 1970-01-01 of proleptic Gregorian dates (H. Hinnant's algorithm), vectorised."""
    y = y - (m <= 2)
    era = y // 400
    yoe = y - era * 400
    doy = (153 * np.where(m > 2, m - 3, m + 9) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    days: np.ndarray = era * 146097 + doe - 719468
    return days


_NAT = np.iinfo(np.int64).min


def parse_cells(
    cells: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Vectorised parse of an object array of date strings (``""`` for none).

    Returns ``at`` and ``until`` (``datetime64[s]``, UTC, NaT when empty or invalid),
    ``precision`` (object, ``""`` when none), ``offset`` (float minutes, NaN when the
    value has no time) and ``error`` (object: the :func:`explain` message or ``""``).
    Dates repeat (a review date, a busy day): each distinct text is parsed once.
    """
    if not len(cells):
        return _parse_distinct(cells)
    codes, distinct = pd.factorize(cells)
    at, until, precision, offset, error = _parse_distinct(np.asarray(distinct, dtype=object))
    return at[codes], until[codes], precision[codes], offset[codes], error[codes]


def _parse_distinct(
    cells: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """:func:`parse_cells` on any cells, best on distinct ones.

    The cells are laid out as a matrix of bytes and compared, by length, with the seven
    fixed-width forms; the numbers are read and checked with integer arithmetic. Only
    cells that fit no form (invalid ones, or valid ones with surrounding spaces) go
    through the one-value :func:`parse`.
    """
    n = len(cells)
    at = np.full(n, _NAT, dtype=np.int64)
    until = np.full(n, _NAT, dtype=np.int64)
    precision = np.full(n, "", dtype=object)
    offset_out = np.full(n, np.nan)
    error = np.full(n, "", dtype=object)
    filled = np.flatnonzero(cells != "")
    if filled.size:
        values = cells[filled] if filled.size < n else cells
        codes, ascii_only = _ascii_matrix(values)
        length = np.count_nonzero(codes, axis=1)
        ok = ascii_only & (_CLASS[codes].view(f"S{_WIDTH}").ravel() == _TEMPLATE[length])
        year, month, day, hour, minute, second, offset = _fields(codes, length)
        timed = length >= 17
        seconds = (length == 20) | (length == 25)
        month_ok = (month >= 1) & (month <= 12)
        safe_month = np.where(month_ok, month, 1)
        leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
        month_days = _DAYS_IN_MONTH[safe_month] + ((safe_month == 2) & leap)
        ok &= (year >= 1) & month_ok & (day >= 1) & (day <= month_days)
        ok &= (hour <= 23) & (minute <= 59) & (second <= 59) & (np.abs(offset) <= 14 * 60)

        days = _days_from_civil(year, safe_month, day)
        start = days * 86400 + hour * 3600 + minute * 60 + second - offset * 60
        one = np.ones_like(year)
        end = np.select(
            [length == 4, length == 7, length == 10, seconds],
            [
                _days_from_civil(year + 1, one, one) * 86400,
                _days_from_civil(year + (safe_month == 12), safe_month % 12 + 1, one) * 86400,
                (days + 1) * 86400,
                start + 1,
            ],
            start + 60,
        )
        where = filled[ok]
        at[where] = start[ok]
        until[where] = end[ok]
        precision[where] = _PRECISION[length[ok]]
        timed_ok = ok & timed
        offset_out[filled[timed_ok]] = offset[timed_ok]
        # Only cells that fit no form (invalid ones, or padded with spaces) are parsed one by one.
        _parse_each(cells, filled[~ok], at, until, precision, offset_out, error)
    return at.view("datetime64[s]"), until.view("datetime64[s]"), precision, offset_out, error


def _fields(codes: np.ndarray, length: np.ndarray) -> tuple[np.ndarray, ...]:
    """Year, month, day, hour, minute, second and UTC offset (minutes) of each row of ``codes``
    read at the positions of the fixed-width form of its ``length`` (1 or 0 where it has none)."""
    digits = codes - np.uint8(48)  # uint8; _number widens the columns it reads
    year = _number(digits, 0, 4)
    month = np.where(length >= 7, _number(digits, 5, 2), 1)
    day = np.where(length >= 10, _number(digits, 8, 2), 1)
    timed = length >= 17
    seconds = (length == 20) | (length == 25)
    hour = np.where(timed, _number(digits, 11, 2), 0)
    minute = np.where(timed, _number(digits, 14, 2), 0)
    second = np.where(seconds, _number(digits, 17, 2), 0)
    # The offset [+-]HH:MM starts at 16, or at 19 with seconds.
    tz = np.where(seconds[:, None], codes[:, 19:25], codes[:, 16:22])
    tz_digits = tz - np.uint8(48)
    tz_size = _number(tz_digits, 1, 2) * 60 + _number(tz_digits, 4, 2)
    has_offset = (length == 22) | (length == 25)
    offset = np.where(has_offset, np.where(tz[:, 0] == ord("-"), -tz_size, tz_size), 0)
    return year, month, day, hour, minute, second, offset


def _parse_each(
    cells: np.ndarray,
    positions: np.ndarray,
    at: np.ndarray,
    until: np.ndarray,
    precision: np.ndarray,
    offset_out: np.ndarray,
    error: np.ndarray,
) -> None:
    """Fill the outputs at ``positions`` with the one-value :func:`parse` (or its error)."""
    for i in positions:
        text = str(cells[i])
        if not text.strip():
            continue  # spaces only: no date
        problem = explain(text)
        if problem is not None:
            error[i] = problem
            continue
        try:
            p = parse(text)
        except OverflowError:
            error[i] = Message(
                N_(
                    "'%(value)s' is beyond the last date this tool can place (9999-12-31); "
                    "check the year"
                ),
                value=text.strip(),
            )
            continue
        precision[i] = p.precision
        at[i] = int(p.at.timestamp())
        until[i] = int(p.until.timestamp())
        offset_out[i] = np.nan if p.offset_minutes is None else p.offset_minutes


def parse_series(values: pd.Series) -> pd.DataFrame:
    """Vectorised parse of a column of contract dates (see :func:`parse_cells`).

    Returns a frame aligned with ``values``: ``at`` and ``until`` (UTC timestamps,
    NaT when empty or invalid), ``precision`` (or ``""``), ``offset`` (minutes, Int64,
    NA for dates without a time) and ``error`` (the :func:`explain` message or ``""``).
    """
    series = values if isinstance(values, pd.Series) else pd.Series(values)
    cells = series.to_numpy(dtype=object, na_value="")
    if len(cells) and pd.api.types.infer_dtype(cells, skipna=False) != "string":
        cells = np.array([str(v) for v in cells], dtype=object)
    at, until, precision, offset, error = parse_cells(cells)
    frame: pd.DataFrame = pd.DataFrame(
        {
            "at": pd.DatetimeIndex(at.astype("datetime64[us]")).tz_localize("UTC"),
            "until": pd.DatetimeIndex(until.astype("datetime64[us]")).tz_localize("UTC"),
            "precision": precision,
            "offset": pd.array(offset, dtype="Int64"),
            "error": error,
        },
        index=series.index,
    )
    return frame


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


def today() -> str:
    """Today's date (UTC) as ``YYYY-MM-DD``, or ``SOURCE_DATE_EPOCH``'s date when it is set."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), tz=timezone.utc).date().isoformat()
        except (ValueError, OverflowError, OSError):
            raise DateError(
                f"SOURCE_DATE_EPOCH='{epoch}' is not a number of seconds since 1970"
            ) from None
    return datetime.now(timezone.utc).date().isoformat()
