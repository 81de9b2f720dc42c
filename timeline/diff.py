"""What changed between two datasets: rows added, removed and changed, per table."""

from __future__ import annotations

from dataclasses import dataclass, field

from .schema import TABLES


@dataclass
class TableDiff:
    table: str
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: dict[str, dict[str, tuple[str, str]]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)


@dataclass
class Diff:
    tables: dict[str, TableDiff]

    def __bool__(self) -> bool:
        return any(self.tables.values())

    def __str__(self) -> str:
        if not self:
            return "No changes."
        out: list[str] = []
        for name, d in self.tables.items():
            if not d:
                continue
            out.append(f"{name}.csv: {len(d.added)} added, {len(d.changed)} changed, {len(d.removed)} removed")
            out += [f"  + {i}" for i in d.added]
            out += [f"  - {i}" for i in d.removed]
            for i, cols in d.changed.items():
                for col, (old, new) in cols.items():
                    out.append(f"  ~ {i}: {col}: {old!r} -> {new!r}")
        return "\n".join(out)


def diff_datasets(old, new) -> Diff:  # type: ignore[no-untyped-def]
    """Rows added, removed and changed (by id) from ``old`` to ``new``."""
    tables: dict[str, TableDiff] = {}
    for t in TABLES:
        a = old.raw(t.name).set_index("id", drop=False)
        b = new.raw(t.name).set_index("id", drop=False)
        a = a[~a.index.duplicated()]
        b = b[~b.index.duplicated()]
        d = TableDiff(t.name)
        d.added = [i for i in b.index if i not in a.index]
        d.removed = [i for i in a.index if i not in b.index]
        cols = [c for c in b.columns if c in a.columns] + [c for c in b.columns if c not in a.columns]
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
