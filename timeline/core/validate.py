"""Validation of a dataset: every problem at once, each with file, line, column and fix.

Pure: takes the tables, returns problems; never prints, never exits.

The checks are vectorised over whole columns (numpy character matrices, hash
lookups, one ``join``/``split`` per list column); Python code runs only for the
cells that fail a check, to write their messages. What each column must hold is
read from :mod:`timeline.core.schema` (its ``kind``, ``required`` flag and ``ref``).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pandas as pd

from ..i18n.markers import N_, Message
from ..problems import Problem, sort_problems
from .claimants import spelling_problems
from .dates import HINT_FORMS, parse_cells
from .datewords import display_contradiction
from .schema import (
    BOTTOM_LINE_MAX,
    FORMULA_PREFIXES,
    HEADLINE_WARN_OVER,
    ID_PATTERN,
    LIST_SEPARATOR,
    TABLE_BY_NAME,
    TABLES,
    VERDICTS,
    Column,
    Table,
)
from .store import MISSING_COLUMN, MISSING_FILE, NOT_UTF8
from .text import clip
from .urls import URL

VERDICT_KEYS = [v.key for v in VERDICTS]

#: A ``ref`` cell (one id) that names several, by the table it refers to.
SEVERAL = {
    "events": N_(
        "'%(value)s' names more than one event; %(column)s takes exactly one id "
        "(list further sources in evidence)"
    ),
    "sources": N_(
        "'%(value)s' names more than one source; %(column)s takes exactly one id "
        "(list further sources in evidence)"
    ),
}
#: An id that names no row of the table referred to: with the closest id, and without one.
UNKNOWN = {
    "events": (
        N_(
            "unknown event id '%(value)s'; did you mean '%(match)s'? If not, use the id of a row "
            "in events.csv, or add the event there"
        ),
        N_(
            "unknown event id '%(value)s'; use the id of a row in events.csv, or add the event there"
        ),
    ),
    "sources": (
        N_(
            "unknown source id '%(value)s'; did you mean '%(match)s'? If not, use the id of a row "
            "in sources.csv, or add the source there"
        ),
        N_(
            "unknown source id '%(value)s'; use the id of a row in sources.csv, or add the source there"
        ),
    ),
}
#: A required cell left empty: what it must hold, by its kind and then its table (one whole
#: sentence per table: each language writes "every event" and "every claim" its own way).
EMPTY = {
    "cited": {
        "events": N_(
            "no source cited; every event must cite at least one source: add the ids of its "
            "sources from sources.csv, separated by ;"
        ),
    },
    "source": {
        "claims": N_(
            "no source; every claim must name the source it was made in: add a source id from "
            "sources.csv"
        ),
    },
    "events": {
        "claims": N_("is empty; every claim belongs to an event: add the id of one from %(file)s"),
    },
    "id": {
        "events": N_("is empty; every event needs a unique id, a lowercase slug such as 'event-1'"),
        "claims": N_("is empty; every claim needs a unique id, a lowercase slug such as 'claim-1'"),
        "sources": N_(
            "is empty; every source needs a unique id, a lowercase slug such as 'source-1'"
        ),
    },
    "verdict": {
        "claims": N_("is empty; give the verdict, one of: %(keys)s"),
    },
    "date": {
        # Translators: %(column)s is the column's name (start, reviewed); %(forms)s is the date
        # forms' hint, which says "write 2020, 2020-01, ...".
        "events": N_("is empty; every event needs a %(column)s date: %(forms)s"),
        "claims": N_("is empty; every claim needs a %(column)s date: %(forms)s"),
    },
    "text": {
        # Translators: %(column)s is the column's name; %(what)s is its help, as the schema writes it.
        "events": N_("is empty; every event needs a %(column)s (%(what)s)"),
        "claims": N_("is empty; every claim needs a %(column)s (%(what)s)"),
        "sources": N_("is empty; every source needs a %(column)s (%(what)s)"),
    },
}

_ID = re.compile(ID_PATTERN)
_ID_WIDTH = 128  # longer ids are checked one by one (they are rare)
_ID_FIRST = np.zeros(128, dtype=bool)
_ID_FIRST[[*range(ord("a"), ord("z") + 1), *range(ord("0"), ord("9") + 1)]] = True
_ID_CHAR = _ID_FIRST.copy()
_ID_CHAR[[0, ord("-")]] = True  # 0 pads a shorter id in the matrix
_SPACE = np.zeros(0x3002, dtype=bool)  # by code point: which first characters are spaces
_SPACE[[9, 10, 11, 12, 13, 32, 0xA0, 0x2007, 0x202F, 0x3000]] = True  # higher ones: the last, False


def _closest(value: str, choices: Sequence[str]) -> str | None:
    """The valid value closest to ``value`` (a likely typo's fix), or ``None``."""
    match = difflib.get_close_matches(value.strip().lower(), list(choices), n=1, cutoff=0.6)
    return match[0] if match else None


def _guess(
    typed: str, options: Sequence[str], with_match: str, without: str, /, **args: str
) -> str:
    """The message that suggests the closest valid value (``with_match``), or ``without`` when none is close."""
    match = _closest(typed, options)
    if match is None:
        return Message(without, **args)
    return Message(with_match, match=match, **args)


def _cells(column: pd.Series) -> np.ndarray:
    """A column as an object array of ``str`` (missing values become ``""``)."""
    cells = column.to_numpy(dtype=object)
    if len(cells) and pd.api.types.infer_dtype(cells, skipna=False) != "string":
        # Missing values or numbers set through the API.
        cells = np.array(["" if pd.isna(v) else str(v) for v in cells], dtype=object)
    return cells


def _first_chars(cells: np.ndarray) -> np.ndarray:
    """Each cell's first character after leading spaces (``""`` for a blank cell)."""
    first = cells.astype("U1")
    code = first.view(np.uint32)
    padded = np.flatnonzero(_SPACE[np.minimum(code, _SPACE.size - 1)])
    if padded.size:  # only cells that start with a space are stripped in Python
        first[padded] = [str(cells[i]).lstrip()[:1] for i in padded]
    return first


def _valid_ids(cells: np.ndarray) -> np.ndarray:
    """Which cells are ids (``[a-z0-9][a-z0-9-]*``): a character matrix checked against a table."""
    n = len(cells)
    if not n:
        return np.zeros(0, dtype=bool)
    width = min(max(map(len, cells)), _ID_WIDTH) + 1
    codes = cells.astype(f"U{width}").view(np.uint32).reshape(n, width)
    long = codes[:, width - 1] != 0
    ascii_ = (codes < 128).all(axis=1)
    small = np.minimum(codes, 127)
    ok = ascii_ & ~long & _ID_FIRST[small[:, 0]] & _ID_CHAR[small].all(axis=1)
    for i in np.flatnonzero(long):
        ok[i] = _ID.fullmatch(str(cells[i])) is not None
    return np.asarray(ok, dtype=bool)


class _Collector:
    """Problems of one table; ``lines[i]`` is row i's physical line."""

    def __init__(self, table: Table, file: str, lines: Sequence[int | None]) -> None:
        self.table, self.file, self.lines = table, file, lines
        self.problems: list[Problem] = []
        self.skip = np.zeros(0, dtype=bool)  # rows that could not be read: only their id is checked

    def add(
        self,
        mask: np.ndarray,
        column: str | None,
        message: Callable[[int], str],
        severity: str = "error",
        *,
        everywhere: bool = False,
    ) -> None:
        """A problem for each row where ``mask`` holds; ``message(row) -> str``.

        Rows that could not be read are left out unless ``everywhere``.
        """
        if not everywhere and self.skip.any():
            mask = mask & ~self.skip
        for pos in np.flatnonzero(mask):
            self.problems.append(
                Problem(self.file, self.lines[int(pos)], column, message(int(pos)), severity)
            )


def validate_tables(
    frames: Mapping[str, pd.DataFrame],
    lines: Mapping[str, Sequence[int | None]],
    files: Mapping[str, str],
    read_problems: Sequence[Problem] = (),
) -> list[Problem]:
    """Check the three tables against the contract and each other.

    ``frames`` hold string cells; ``lines[name][i]`` is row i's physical line
    (``None`` for rows not yet saved); ``files`` name each table's file. Columns
    that ``read_problems`` report missing from a header, and rows they report
    unreadable, are not checked again cell by cell.
    """
    problems: list[Problem] = list(read_problems)
    missing = {
        (p.file, p.column) for p in read_problems if p.column and MISSING_COLUMN in p.message
    }
    broken = {
        (p.file, p.line)
        for p in read_problems
        if p.column is None and p.line is not None and NOT_UTF8 not in p.message
    }

    cells: dict[str, dict[str, np.ndarray]] = {}
    ids: dict[str, np.ndarray] = {}
    valid_ids: dict[str, np.ndarray] = {}
    for table in TABLES:
        df = frames[table.name]
        cells[table.name] = {
            c.name: _cells(df[c.name]) if c.name in df else np.full(len(df), "", dtype=object)
            for c in table.columns
        }
        raw = cells[table.name]["id"]
        valid = _valid_ids(raw)
        ids[table.name] = raw.copy()
        # An id with spaces around it counts as itself (the spaces are no error).
        for i in np.flatnonzero(~valid & (raw != "")):
            stripped = str(raw[i]).strip()
            ids[table.name][i] = stripped
            valid[i] = _ID.fullmatch(stripped) is not None
        valid_ids[table.name] = valid
    known = {name: set(values.tolist()) - {""} for name, values in ids.items()}
    absent = {p.file for p in read_problems if p.line is None and MISSING_FILE in p.message}
    # A table whose file or id column is missing: references to it are not checked.
    unusable = {
        t.name for t in TABLES if (files[t.name], "id") in missing or files[t.name] in absent
    }

    dates: dict[tuple[str, str], tuple[np.ndarray, ...]] = {}
    for table in TABLES:
        file = files[table.name]
        c = _Collector(table, file, lines[table.name])
        n = len(frames[table.name])
        if broken:
            c.skip = np.array([(file, line) in broken for line in c.lines[:n]], dtype=bool)
        for col in table.columns:
            if (file, col.name) in missing:
                continue
            values = cells[table.name][col.name]
            _check_column(c, col, values, ids, valid_ids, known, unusable, dates)
        problems.extend(c.problems)
        problems.extend(_cross_checks(c, cells[table.name], dates))
        if table.name == "claims" and (file, "claimant") not in missing and not c.skip.any():
            problems.extend(spelling_problems(file, cells["claims"]["claimant"].tolist(), c.lines))
    return sort_problems(problems)


def _check_column(
    c: _Collector,
    col: Column,
    values: np.ndarray,
    ids: Mapping[str, np.ndarray],
    valid_ids: Mapping[str, np.ndarray],
    known: Mapping[str, set[str]],
    unusable: set[str],
    dates: dict[tuple[str, str], tuple[np.ndarray, ...]],
) -> None:
    table = c.table
    # A cell's first character (after spaces) tells blank cells and formulas apart.
    needs_first = col.required or col.kind in ("text", "list")
    first = _first_chars(values) if needs_first else np.zeros(0, dtype="U1")
    blank = first == "" if needs_first else values == ""
    if col.required:
        c.add(blank, col.name, lambda _p: _empty_message(table, col))
    filled = ~blank

    if col.kind == "id":
        _check_ids(c, col, filled, ids[table.name], valid_ids[table.name], len(known[table.name]))
    elif col.kind == "date":
        parsed = parse_cells(values)
        dates[(table.name, col.name)] = parsed
        error = parsed[4]
        c.add(
            error != "",
            col.name,
            lambda p: error[p] if isinstance(error[p], str) else str(error[p]),
        )
    elif col.kind == "url":
        _check_urls(c, col, values, filled)
    elif col.kind == "verdict":
        _check_verdicts(c, col, values, filled)
    elif col.kind == "choice":
        stripped_values = np.array([str(v).strip() for v in values], dtype=object)
        bad = filled & ~np.isin(stripped_values, list(col.choices))
        c.add(
            bad,
            col.name,
            lambda p: _guess(
                str(stripped_values[p]).lower(),
                col.choices,
                N_(
                    "'%(value)s' is not one of %(choices)s; did you mean '%(match)s'? If not, "
                    "write one of: %(choices)s, or leave the cell empty"
                ),
                N_(
                    "'%(value)s' is not one of %(choices)s; write one of: %(choices)s, "
                    "or leave the cell empty"
                ),
                value=clip(str(stripped_values[p]), 60),
                choices=", ".join(col.choices),
            ),
        )
    elif col.kind in ("ref", "refs") and col.ref and col.ref not in unusable:
        _check_refs(c, col, values, known[col.ref], first if col.required else None)

    if col.name == "headline":
        lengths = np.fromiter(
            (len(" ".join(str(v).split())) for v in values), dtype=int, count=len(values)
        )
        c.add(
            lengths > HEADLINE_WARN_OVER,
            col.name,
            lambda p: Message(
                N_(
                    "the headline has %(n)s characters; keep it under 75 (Google's suggestion) so "
                    "that it fits a phone's screen and the share card: summarise, do not quote"
                ),
                n=int(lengths[p]),
            ),
            "warning",
        )
    if col.name == "bottom_line":
        _check_bottom_lines(c, col, values)
    if col.kind in ("text", "list"):
        _check_formulas(c, col, values, first)


def _check_bottom_lines(c: _Collector, col: Column, values: np.ndarray) -> None:
    """A bottom line is one sentence on one line, at most ``BOTTOM_LINE_MAX`` characters."""
    texts = [str(v) if isinstance(v, str) else "" for v in values]
    lengths = np.fromiter((len(" ".join(t.split())) for t in texts), dtype=int, count=len(texts))
    c.add(
        lengths > BOTTOM_LINE_MAX,
        col.name,
        lambda p: Message(
            N_(
                "the bottom line has %(n)s characters, more than %(max)s; say the answer "
                "in one shorter sentence (the rationale holds the detail)"
            ),
            n=int(lengths[p]),
            max=BOTTOM_LINE_MAX,
        ),
    )
    breaks = np.array(["\n" in t.strip() for t in texts], dtype=bool)
    c.add(
        breaks & (lengths <= BOTTOM_LINE_MAX),
        col.name,
        lambda _p: Message(
            N_("the bottom line holds a line break; write it as one sentence on one line")
        ),
    )


def _check_ids(
    c: _Collector,
    col: Column,
    filled: np.ndarray,
    stripped: np.ndarray,
    valid: np.ndarray,
    distinct: int,
) -> None:
    """Each id is well formed and unique within its file (``distinct``: how many different ids)."""
    table = c.table
    c.add(
        filled & ~valid,
        col.name,
        lambda p: Message(
            N_(
                "'%(value)s' is not a valid id; use lowercase letters, digits and hyphens, "
                "starting with a letter or digit, e.g. '%(slug)s'"
            ),
            value=clip(stripped[p], 60),
            slug=_slug(stripped[p]),
        ),
    )
    if distinct == np.count_nonzero(stripped != ""):
        return  # as many distinct ids as ids: no duplicate
    dup = filled & pd.Series(stripped, copy=False).duplicated(keep=False).to_numpy()
    where: dict[str, list[int | None]] = {}
    for pos in np.flatnonzero(dup):
        where.setdefault(stripped[pos], []).append(c.lines[int(pos)])
    c.add(
        dup,
        col.name,
        lambda p: _duplicate_message(table, stripped[p], c.lines[p], where[stripped[p]]),
        everywhere=True,  # even on a row that could not be read whole: its id was
    )


def _check_urls(c: _Collector, col: Column, values: np.ndarray, filled: np.ndarray) -> None:
    """Each filled cell is an absolute http(s) URL (or only spaces)."""
    nonempty = np.flatnonzero(filled)
    ok = np.ones(len(values), dtype=bool)
    # One compiled-regex match per filled cell, run by map() in C.
    stripped_urls = list(map(str.strip, values[nonempty]))
    ok[nonempty] = [m is not None for m in map(URL.fullmatch, stripped_urls)]
    ok[nonempty] |= np.array([u == "" for u in stripped_urls], dtype=bool)
    c.add(
        ~ok,
        col.name,
        lambda p: Message(
            N_(
                "'%(value)s' is not an absolute http(s) URL; paste the full "
                "address of the page, starting with https:// (javascript:, data: and relative links are "
                "refused), or leave the cell empty"
            ),
            value=clip(values[p], 60),
        ),
    )


def _check_verdicts(c: _Collector, col: Column, values: np.ndarray, filled: np.ndarray) -> None:
    """Each filled cell is a verdict key (spaces around it allowed)."""
    allowed = set(VERDICT_KEYS)
    ok = np.fromiter(map(allowed.__contains__, values), dtype=bool, count=len(values))
    bad = filled & ~ok
    for pos in np.flatnonzero(bad):
        bad[pos] = str(values[pos]).strip() not in allowed
    c.add(
        bad,
        col.name,
        lambda p: _guess(
            str(values[p]),
            VERDICT_KEYS,
            N_(
                "'%(value)s' is not a verdict; did you mean '%(match)s'? If not, use one of: %(keys)s"
            ),
            N_("'%(value)s' is not a verdict; use one of: %(keys)s"),
            value=clip(values[p], 60),
            keys=", ".join(VERDICT_KEYS),
        ),
    )


def _check_formulas(c: _Collector, col: Column, values: np.ndarray, first: np.ndarray) -> None:
    """A warning for each text cell a spreadsheet would run as a formula."""
    risky = np.isin(first.view(np.uint32), [ord(x) for x in FORMULA_PREFIXES])
    c.add(
        risky,
        col.name,
        lambda p: Message(
            N_(
                "'%(value)s' starts with '%(char)s', which a spreadsheet runs as a formula if the "
                "file is opened in one; reword the cell so that it starts with another character"
            ),
            value=clip(values[p], 60),
            char=str(first[p]),
        ),
        "warning",
    )


def _check_refs(
    c: _Collector, col: Column, values: np.ndarray, known: set[str], first: np.ndarray | None
) -> None:
    """Each id in a ``ref`` (one id) or ``refs`` (``;``-separated ids) column names a row of ``col.ref``.

    The distinct values are compared with the known ids as sets; rows are looked up
    only for the values that are not known (after stripping spaces).
    """
    assert col.ref is not None
    n = len(values)
    unknown: list[tuple[int, str]] = []

    def not_known(candidates: set[str]) -> set[str]:
        return {v for v in candidates if v.strip() and v.strip() not in known}

    if col.kind == "ref":
        strange = not_known(set(values.tolist()) - known)
        several = np.zeros(n, dtype=bool)
        if strange:
            rows = np.flatnonzero(
                np.fromiter(map(strange.__contains__, values), dtype=bool, count=n)
            )
            for pos in rows:
                value = str(values[pos]).strip()
                if LIST_SEPARATOR in value:
                    several[pos] = True
                else:
                    unknown.append((int(pos), value))
        c.add(
            several,
            col.name,
            lambda p: Message(SEVERAL[col.ref or ""], value=clip(values[p], 60), column=col.name),
        )
    else:
        parts = LIST_SEPARATOR.join(values.tolist()).split(LIST_SEPARATOR)
        strange = not_known(set(parts) - known)
        if strange:
            at = np.flatnonzero(
                np.fromiter(map(strange.__contains__, parts), dtype=bool, count=len(parts))
            )
            counts = np.fromiter(
                map(str.count, values, [LIST_SEPARATOR] * n), dtype=np.int64, count=n
            )
            row_of = np.repeat(np.arange(n), counts + 1)
            unknown = [(int(row_of[i]), parts[i].strip()) for i in at]
        if first is not None:  # required: a cell such as ";" lists no id at all
            listless = first == LIST_SEPARATOR
            for pos in np.flatnonzero(listless):
                listless[pos] = not any(x.strip() for x in str(values[pos]).split(LIST_SEPARATOR))
            c.add(listless, col.name, lambda _p: _empty_message(c.table, col))
    for row, value in unknown:
        if c.skip.size and c.skip[row]:
            continue
        with_match, without = UNKNOWN[col.ref]
        c.problems.append(
            Problem(
                c.file,
                c.lines[row],
                col.name,
                _guess(value, sorted(known), with_match, without, value=clip(value, 60)),
            )
        )


def _cross_checks(
    c: _Collector,
    cells: Mapping[str, np.ndarray],
    dates: Mapping[tuple[str, str], tuple[np.ndarray, ...]],
) -> list[Problem]:
    """Checks across columns of one table: an event's end after its start; lone categories."""
    if c.table.name != "events" or not len(cells["id"]):
        return []
    c.problems = []
    start, end = dates.get(("events", "start")), dates.get(("events", "end"))
    if start is not None and end is not None:
        backwards = _ends_before(start, end)
        starts, ends = cells["start"], cells["end"]
        c.add(
            backwards,
            "end",
            lambda p: Message(
                N_(
                    "'%(end)s' is before the start '%(start)s'; correct one of the dates, "
                    "or swap them if they were entered the wrong way round"
                ),
                end=str(ends[p]).strip(),
                start=str(starts[p]).strip(),
            ),
        )
        _check_display_dates(c, cells, start, end)
    if c.skip.any():
        return c.problems  # lone categories mean little while some rows cannot be read
    # "military " and "military" are two categories: the lone one is warned about.
    categories = cells["category"]
    codes, names = pd.factorize(categories)
    counts = np.bincount(codes, minlength=len(names))
    lanes = names != ""
    if len(categories) > 2 and np.count_nonzero(lanes) > 1 and (counts[lanes] == 1).any():
        once = (counts[codes] == 1) & (categories != "")
        others = [str(k) for k, v in zip(names, counts) if v > 1 and k != ""]
        c.add(
            once,
            "category",
            lambda p: _guess(
                str(categories[p]),
                others,
                N_(
                    "category '%(value)s' is used by this event only; a typo of '%(match)s'? "
                    "Correct it, or ignore this warning if it is a new lane"
                ),
                N_(
                    "category '%(value)s' is used by this event only; check it is not a typo "
                    "(if it is a new lane, ignore this warning)"
                ),
                value=str(categories[p]),
            ),
            "warning",
        )
    return c.problems


def _check_display_dates(
    c: _Collector,
    cells: Mapping[str, np.ndarray],
    start: tuple[np.ndarray, ...],
    end: tuple[np.ndarray, ...],
) -> None:
    """A warning where a display date's leading date names a day the event is not on."""
    display = cells["display_date"]
    rows = np.flatnonzero((display != "") & ~np.isnat(start[0]))
    if not rows.size:
        return
    first, last, timed = _local_days(start, rows)
    has_end = ~np.isnat(end[0][rows])
    if has_end.any():
        _e_first, e_last, e_timed = _local_days(end, rows)
        last = np.where(has_end, np.maximum(last, e_last), last)
        timed = timed | (has_end & e_timed)
    firsts, lasts = first.astype(object).tolist(), last.astype(object).tolist()
    found: dict[int, str] = {}
    for k, pos in enumerate(rows.tolist()):
        text = " ".join(str(display[pos]).split())
        s_text, e_text = str(cells["start"][pos]).strip(), str(cells["end"][pos]).strip()
        why = display_contradiction(text, s_text, e_text, (firsts[k], lasts[k]), bool(timed[k]))
        if why:
            found[pos] = why
    mask = np.zeros(len(display), dtype=bool)
    mask[list(found)] = True
    c.add(mask, "display_date", found.__getitem__, "warning")


def _local_days(
    parsed: tuple[np.ndarray, ...], rows: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For ``rows``: the first and last calendar days of each period on its own clock (``datetime64[D]``),
    and which periods are times."""
    at, until, _precision, offset, _error = (a[rows] for a in parsed)
    timed = ~np.isnan(offset)
    shift = np.nan_to_num(offset).astype("timedelta64[m]")
    first = (at + shift).astype("datetime64[D]")
    last = np.maximum(first, (until + shift - np.timedelta64(1, "s")).astype("datetime64[D]"))
    return first, last, timed


def _ends_before(start: tuple[np.ndarray, ...], end: tuple[np.ndarray, ...]) -> np.ndarray:
    """Where an event's end period closes before its start begins.

    Two times are compared as instants. A date (a year, month or day) has no clock,
    so a time is compared with it on its own clock: ``2020-01-08T01:30+03:30`` is on
    8 January, after an end of ``2020-01-07``, although it is still 7 January in UTC.
    """
    s_at, _s_until, _s_precision, s_off, _s_error = start
    _e_at, e_until, _e_precision, e_off, _e_error = end
    both_timed = ~np.isnan(s_off) & ~np.isnan(e_off)
    s_local = s_at + np.nan_to_num(s_off).astype("timedelta64[m]")
    e_local = e_until + np.nan_to_num(e_off).astype("timedelta64[m]")
    return np.where(both_timed, e_until <= s_at, e_local <= s_local)  # NaT compares False


def _duplicate_message(table: Table, value: str, line: int | None, where: list[int | None]) -> str:
    others = [str(x) for x in where if x != line]
    args = {"value": clip(value, 60), "file": table.filename}
    if not others:
        template = N_(
            "duplicate id '%(value)s' (also on line a row not yet saved); ids must be unique "
            "within %(file)s: rename one of them and update the references to it"
        )
        return Message(template, **args)
    if len(others) == 1:
        template = N_(
            "duplicate id '%(value)s' (also on line %(lines)s); ids must be unique within "
            "%(file)s: rename one of them and update the references to it"
        )
    else:
        template = N_(
            "duplicate id '%(value)s' (also on lines %(lines)s); ids must be unique within "
            "%(file)s: rename one of them and update the references to it"
        )
    return Message(template, lines=", ".join(others), **args)


def _empty_message(table: Table, col: Column) -> str:
    """Why an empty required cell is an error, and what to write (one whole sentence per table)."""
    if col.kind == "refs" and col.ref == "sources":
        return Message(EMPTY["cited"][table.name])
    if col.ref == "sources":
        return Message(EMPTY["source"][table.name])
    if col.ref:
        return Message(EMPTY[col.ref][table.name], file=TABLE_BY_NAME[col.ref].filename)
    if col.kind == "id":
        return Message(EMPTY["id"][table.name])
    if col.kind == "verdict":
        return Message(EMPTY["verdict"][table.name], keys=", ".join(VERDICT_KEYS))
    if col.kind == "date":
        return Message(EMPTY["date"][table.name], column=col.name, forms=Message(HINT_FORMS))
    what = col.help.rstrip(".").replace("`", "")
    # the help as the schema writes it, said in the analyst's language by the authoring app
    what = Message.said_as(what[:1].lower() + what[1:], col.help)
    return Message(EMPTY["text"][table.name], column=col.name, what=what)


def _slug(value: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", value.strip().lower()).strip("-")
    return s or "event-1"
