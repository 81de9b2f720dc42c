"""What changed between two datasets: rows added, removed and changed, per file.

``diff_tables(old, new)`` compares two datasets' tables (``Dataset.raw_tables()``: this module
is handed data and never imports the dataset that calls it) rows by id (``Diff.tables``) and keeps the
canonical CSV text of both sides, so ``Diff.unified()`` shows the exact lines a
save will change, as ``git diff`` will show them.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from .schema import TABLES
from .store import dumps


@dataclass
class TableDiff:
    """One file's row diff: ids added and removed, and the cells that differ in the other rows."""

    table: str
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: dict[str, dict[str, tuple[str, str]]] = field(default_factory=dict)
    old_text: str = ""
    new_text: str = ""

    @property
    def filename(self) -> str:
        return f"{self.table}.csv"

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed or self.old_text != self.new_text)

    def summary(self) -> str:
        """``events.csv: 1 added, 2 changed, 0 removed``."""
        return f"{self.filename}: {len(self.added)} added, {len(self.changed)} changed, {len(self.removed)} removed"

    def unified(self, *, context: int = 0) -> str:
        """The line diff of the canonical file, as git shows it."""
        lines = difflib.unified_diff(
            self.old_text.splitlines(keepends=True),
            self.new_text.splitlines(keepends=True),
            fromfile=f"a/{self.filename}",
            tofile=f"b/{self.filename}",
            n=context,
        )
        return "".join(lines)


@dataclass
class Diff:
    """Changes per table, in contract order (events, claims, sources)."""

    tables: dict[str, TableDiff]

    def __bool__(self) -> bool:
        return any(self.tables.values())

    def counts(self) -> dict[str, dict[str, int]]:
        """``{"events": {"added": 1, "changed": 0, "removed": 0}, ...}``."""
        return {
            name: {"added": len(d.added), "changed": len(d.changed), "removed": len(d.removed)}
            for name, d in self.tables.items()
        }

    def records(self) -> list[dict[str, Any]]:
        """One record per changed row: file, change (added/changed/removed), id, detail."""
        out: list[dict[str, Any]] = []
        for d in self.tables.values():
            out += [{"file": d.filename, "change": "added", "id": i, "detail": ""} for i in d.added]
            for i, cols in d.changed.items():
                detail = "; ".join(f"{c}: {old!r} -> {new!r}" for c, (old, new) in cols.items())
                out.append({"file": d.filename, "change": "changed", "id": i, "detail": detail})
            out += [
                {"file": d.filename, "change": "removed", "id": i, "detail": ""} for i in d.removed
            ]
        return out

    def unified(self, *, context: int = 0) -> str:
        """The line diff of every changed file."""
        return "".join(d.unified(context=context) for d in self.tables.values())

    def __str__(self) -> str:
        if not self:
            return "No changes."
        out: list[str] = []
        for d in self.tables.values():
            if not d:
                continue
            out.append(d.summary())
            out += [f"  + {i}" for i in d.added]
            out += [f"  - {i}" for i in d.removed]
            for i, cols in d.changed.items():
                for col, (old, new) in cols.items():
                    out.append(f"  ~ {i}: {col}: {old!r} -> {new!r}")
            if not (d.added or d.removed or d.changed):
                out.append("  (rows unchanged; the file is rewritten in canonical form)")
        return "\n".join(out)


def diff_tables(old: Mapping[str, pd.DataFrame], new: Mapping[str, pd.DataFrame]) -> Diff:
    """Rows added, removed and changed (by id) from ``old`` to ``new`` (each table's string
    cells by table name, as ``Dataset.raw_tables()`` gives them)."""
    tables: dict[str, TableDiff] = {}
    for t in TABLES:
        raw_a, raw_b = old[t.name], new[t.name]
        a = raw_a.set_index("id", drop=False)
        b = raw_b.set_index("id", drop=False)
        a = a[~a.index.duplicated()]
        b = b[~b.index.duplicated()]
        d = TableDiff(t.name, old_text=dumps(raw_a, t), new_text=dumps(raw_b, t))
        d.added = [str(i) for i in b.index if i not in a.index]
        d.removed = [str(i) for i in a.index if i not in b.index]
        cols = [c for c in b.columns if c in a.columns] + [
            c for c in b.columns if c not in a.columns
        ]
        for i in b.index.intersection(a.index, sort=False):
            changes = {}
            for c in cols:
                old_v = str(a.at[i, c]) if c in a.columns else ""
                new_v = str(b.at[i, c])
                if old_v != new_v:
                    changes[c] = (old_v, new_v)
            if changes:
                d.changed[str(i)] = changes
        tables[t.name] = d
    return Diff(tables)
