"""Validation of a dataset: every problem at once, each with file, line, column and fix.

Pure: takes the tables, returns problems; never prints, never exits. The
checks are vectorised over columns; only failing cells reach Python code.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence

import pandas as pd

from .dates import parse_series
from .problems import Problem, sort_problems
from .schema import (
    FORMULA_PREFIXES,
    ID_PATTERN,
    LIST_SEPARATOR,
    TABLE_BY_NAME,
    TABLES,
    VERDICTS,
    Column,
    Table,
)

URL_PATTERN = r"https?://[^\s/?#@]+(?:[/?#][^\s]*)?"
VERDICT_KEYS = [v.key for v in VERDICTS]


def _closest(value: str, choices: Sequence[str]) -> str:
    match = difflib.get_close_matches(value.strip().lower(), list(choices), n=1, cutoff=0.6)
    return f"did you mean '{match[0]}'? " if match else ""


def _at(lines: Sequence[int | None], index: pd.Index) -> list[int | None]:
    return [lines[i] for i in index]


def explode(column: pd.Series) -> pd.Series:
    """A `;`-separated column as one stripped value per row, index repeated."""
    parts = column.fillna("").astype(str).str.split(LIST_SEPARATOR).explode().str.strip()
    return parts[parts != ""]


class _Collector:
    def __init__(self, table: Table, file: str, lines: Sequence[int | None]):
        self.table, self.file, self.lines = table, file, lines
        self.problems: list[Problem] = []

    def add(self, mask: pd.Series, column: str | None, message, severity: str = "error") -> None:
        """Add a problem for each row where ``mask`` holds; ``message(row_position) -> str``."""
        for pos in mask[mask].index:
            self.problems.append(Problem(self.file, self.lines[pos], column, message(pos), severity))


def validate_tables(
    frames: Mapping[str, pd.DataFrame],
    lines: Mapping[str, Sequence[int | None]],
    files: Mapping[str, str],
    read_problems: Sequence[Problem] = (),
) -> list[Problem]:
    """Check the three tables against the contract and each other.

    ``frames`` hold string cells with a RangeIndex; ``lines[name][i]`` is row i's
    physical line (``None`` for rows not yet saved); ``files`` name each table's file.
    """
    problems: list[Problem] = list(read_problems)
    ids: dict[str, pd.Series] = {}
    for table in TABLES:
        df = frames[table.name]
        ids[table.name] = df["id"].astype(str).str.strip() if "id" in df else pd.Series(dtype=object)

    id_sets = {name: set(s[s != ""]) for name, s in ids.items()}
    for table in TABLES:
        df = frames[table.name].reset_index(drop=True)
        c = _Collector(table, files[table.name], lines[table.name])
        for col in table.columns:
            if col.name not in df:
                continue
            values = df[col.name].fillna("").astype(str)
            stripped = values.str.strip()
            empty = stripped == ""
            if col.required:
                c.add(empty, col.name, lambda _p, col=col: _empty_message(col))
            if col.kind == "id":
                bad = ~empty & ~stripped.str.fullmatch(ID_PATTERN)
                c.add(
                    bad,
                    col.name,
                    lambda p, v=stripped: f"'{v[p]}' is not a valid id; use lowercase letters, digits and "
                    f"hyphens, starting with a letter or digit (e.g. '{_slug(v[p])}')",
                )
                dup = ~empty & stripped.duplicated(keep=False)
                if dup.any():
                    first_line = {}
                    for pos in dup[dup].index:
                        first_line.setdefault(stripped[pos], []).append(c.lines[pos])
                    c.add(
                        dup,
                        col.name,
                        lambda p, v=stripped, fl=first_line: f"duplicate id '{v[p]}' (also on line"
                        f"{'s' if len(fl[v[p]]) > 2 else ''} "
                        f"{', '.join(str(x) for x in fl[v[p]] if x != c.lines[p])}); ids must be unique, rename one",
                    )
            elif col.kind == "date":
                parsed = parse_series(values)
                c.add(parsed["error"] != "", col.name, lambda p, e=parsed["error"]: e[p])
            elif col.kind == "url":
                bad = ~empty & ~stripped.str.fullmatch(URL_PATTERN)
                c.add(
                    bad,
                    col.name,
                    lambda p, v=stripped: f"'{_short(v[p])}' is not an absolute http(s) URL; "
                    "paste the full verified address starting with https:// (or leave it empty)",
                )
            elif col.kind == "verdict":
                bad = ~empty & ~stripped.isin(VERDICT_KEYS)
                c.add(
                    bad,
                    col.name,
                    lambda p, v=stripped: f"'{v[p]}' is not a verdict; {_closest(v[p], VERDICT_KEYS)}"
                    f"use one of: {', '.join(VERDICT_KEYS)}",
                )
            elif col.kind in ("ref", "refs") and col.ref:
                target = TABLE_BY_NAME[col.ref]
                known = id_sets[col.ref]
                if col.kind == "ref":
                    multi = ~empty & stripped.str.contains(LIST_SEPARATOR, regex=False)
                    c.add(
                        multi,
                        col.name,
                        lambda p, v=stripped: f"'{v[p]}' names more than one id; {col.name} takes exactly "
                        "one (list further sources in evidence)",
                    )
                    refs = stripped[~empty & ~multi]
                else:
                    refs = explode(values)
                missing = refs[~refs.isin(known)]
                for pos, ref in missing.items():
                    c.problems.append(
                        Problem(
                            c.file,
                            c.lines[pos],
                            col.name,
                            f"unknown {col.ref[:-1]} id '{ref}'; {_closest(ref, sorted(known))}"
                            f"add it to {target.filename} or fix the id",
                        )
                    )
            # Spreadsheet formula injection: warn on any cell a spreadsheet would run.
            if col.kind in ("text", "list"):
                risky = stripped.str[:1].isin(FORMULA_PREFIXES)
                c.add(
                    risky,
                    col.name,
                    lambda p, v=stripped: f"'{_short(v[p])}' starts with '{v[p][0]}', which a spreadsheet "
                    "runs as a formula; reword it or start it with another character",
                    "warning",
                )
        problems.extend(c.problems)

    problems.extend(_cross_checks(frames, lines, files))
    return sort_problems(problems)


def _cross_checks(
    frames: Mapping[str, pd.DataFrame],
    lines: Mapping[str, Sequence[int | None]],
    files: Mapping[str, str],
) -> list[Problem]:
    out: list[Problem] = []
    events = frames["events"].reset_index(drop=True)
    ev = _Collector(TABLE_BY_NAME["events"], files["events"], lines["events"])
    if len(events):
        start = parse_series(events["start"])
        end = parse_series(events["end"])
        backwards = end["until"].notna() & start["at"].notna() & (end["until"] <= start["at"])
        ev.add(
            backwards,
            "end",
            lambda p: f"'{events['end'][p].strip()}' is before the start '{events['start'][p].strip()}'; "
            "swap them or correct the date",
        )
        cats = events["category"].fillna("").astype(str).str.strip()
        counts = cats[cats != ""].value_counts()
        if len(events) > 2 and len(counts) > 1:
            once = cats.map(counts).eq(1) & (cats != "")
            others = [k for k, n in counts.items() if n > 1]
            ev.add(
                once,
                "category",
                lambda p: f"category '{cats[p]}' is used by this event only; "
                f"{_closest(cats[p], others)}check it is not a typo",
                "warning",
            )
    out.extend(ev.problems)
    return out


def _empty_message(col: Column) -> str:
    if col.ref == "sources":
        return "is empty: every event and claim cites at least one source; add a source id from sources.csv"
    if col.ref:
        return f"is empty; give the id of one of the {col.ref} in {TABLE_BY_NAME[col.ref].filename}"
    return f"is empty but required; fill it in ({col.help})"


def _slug(value: str) -> str:
    import re

    s = re.sub(r"[^a-z0-9]+", "-", value.strip().lower()).strip("-")
    return s or "event-1"


def _short(value: str, limit: int = 60) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"
