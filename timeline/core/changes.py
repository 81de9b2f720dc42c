"""What a reader would call a change: the corrections-log view of :func:`timeline.core.rowdiff.diff_tables`.

``describe_changes(old, new)`` lists events and claims added or removed, verdicts changed
(old -> new), rationales revised, cited sources changed and other contract fields changed;
``load_side(spec)`` reads a data folder or a git revision's data folder; ``diff_report`` is
what ``timeline diff OLD NEW`` prints (the changes, or draft corrections.csv rows).
"""

from __future__ import annotations

import csv
import io
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..errors import LoadError
from .corrections import CORRECTIONS
from .dataset import Dataset, load
from .dates import today
from .rowdiff import diff_tables
from .schema import TABLES, split_list, verdict_label
from .text import clip

__all__ = [
    "Change",
    "describe_changes",
    "diff_report",
    "draft_corrections",
    "dumps_drafts",
    "format_changes",
    "load_side",
]

LONG_TEXT = frozenset({"summary", "claim", "rationale"})
REF_COLUMNS = {"events": ("sources",), "claims": ("said_in", "evidence")}


@dataclass(frozen=True)
class Change:
    """One change a reader may need to know about.

    ``kind`` is ``added``, ``removed``, ``verdict`` (old -> new verdict keys), ``rationale``,
    ``sources`` (cited source ids; ``detail`` says which were added and removed) or
    ``field`` (any other contract column). ``title`` names the row for people.
    """

    kind: str
    table: str  # events | claims | sources
    id: str
    column: str = ""
    old: str = ""
    new: str = ""
    title: str = ""
    detail: str = ""

    def __str__(self) -> str:
        what = f"{self.table[:-1]} {self.id}"
        if self.kind == "added":
            return f"+ {what}: {self.title}"
        if self.kind == "removed":
            return f"- {what}: {self.title}"
        if self.kind == "verdict":
            return f"~ {what}: verdict {verdict_label(self.old)} -> {verdict_label(self.new)}"
        if self.kind == "sources":
            return f"~ {what}: sources {self.detail}"
        if self.column in LONG_TEXT:
            return f"~ {what}: {self.column} revised"
        return f"~ {what}: {self.column} {self.old!r} -> {self.new!r}"


def _row_title(table: str, row: dict[str, str]) -> str:
    if table == "claims":
        return f"{row.get('claimant', '')}: \u201c{clip(row.get('claim', ''), 60)}\u201d"
    return clip(row.get("title", ""))


def describe_changes(old: Dataset, new: Dataset) -> list[Change]:
    """Events and claims added or removed, verdicts, rationales, cited sources and other contract
    fields changed, and sources added, removed or changed, from ``old`` to ``new``.

    Extra columns (such as ``checked`` and ``status`` written by check-links) are not compared.
    """
    d = diff_tables(old.raw_tables(), new.raw_tables())
    out: list[Change] = []
    for t in TABLES:
        td = d.tables[t.name]
        a = {r["id"]: r for r in old.records(t.name)}
        b = {r["id"]: r for r in new.records(t.name)}
        # For claims, ``new`` (added) and ``old`` (removed) carry the verdict.
        out += [
            Change("added", t.name, i, new=b[i].get("verdict", ""), title=_row_title(t.name, b[i]))
            for i in td.added
        ]
        out += [
            Change(
                "removed", t.name, i, old=a[i].get("verdict", ""), title=_row_title(t.name, a[i])
            )
            for i in td.removed
        ]
        refs = REF_COLUMNS.get(t.name, ())
        for i, cols in td.changed.items():
            title = _row_title(t.name, b[i])
            cited_old: list[str] = []
            cited_new: list[str] = []
            for col in t.names:
                if col not in cols:
                    continue
                before, after = cols[col]
                if col in refs:
                    cited_old += split_list(before)
                    cited_new += split_list(after)
                elif col == "verdict":
                    out.append(Change("verdict", t.name, i, col, before, after, title))
                elif col == "rationale":
                    out.append(Change("rationale", t.name, i, col, before, after, title))
                else:
                    out.append(Change("field", t.name, i, col, before, after, title))
            if refs and any(c in cols for c in refs):
                gained = [s for s in dict.fromkeys(cited_new) if s not in cited_old]
                lost = [s for s in dict.fromkeys(cited_old) if s not in cited_new]
                parts = [f"added {', '.join(gained)}"] if gained else []
                parts += [f"removed {', '.join(lost)}"] if lost else []
                if parts:
                    out.append(Change("sources", t.name, i, title=title, detail="; ".join(parts)))
    return out


def format_changes(changes: list[Change]) -> str:
    """One line per change, grouped by table, with a count line per table; ``No changes.``"""
    if not changes:
        return "No changes."
    lines: list[str] = []
    for t in TABLES:
        mine = [c for c in changes if c.table == t.name]
        if not mine:
            continue
        added = sum(c.kind == "added" for c in mine)
        removed = sum(c.kind == "removed" for c in mine)
        changed = len({c.id for c in mine if c.kind not in ("added", "removed")})
        lines.append(f"{t.filename}: {added} added, {changed} changed, {removed} removed")
        lines += [f"  {c}" for c in mine]
    return "\n".join(lines)


def load_side(spec: str, *, path: str = "data", cwd: str | None = None) -> Dataset:
    """A dataset from a folder or, when ``spec`` is not a folder, from a git revision's ``path``.

    A revision is read with ``git show REV:./PATH/FILE`` (``path`` relative to the current
    directory) into a temporary folder; messages then name ``REV:PATH/events.csv``.
    """
    if Path(cwd or ".", spec).is_dir():
        return load(Path(cwd or ".", spec))
    if not spec or spec.startswith("-"):
        raise LoadError(f"'{spec}' is neither a data folder nor a git revision", spec)
    rev = subprocess.run(
        ["git", "rev-parse", "--verify", "--quiet", f"{spec}^{{commit}}"],
        cwd=cwd,
        capture_output=True,
        text=True,
    )
    if rev.returncode != 0:
        raise LoadError(
            f"'{spec}' is neither a data folder nor a git revision here; give a folder (data) "
            "or a revision such as HEAD, HEAD~1, a tag or a commit id",
            spec,
        )
    rel = PurePosixPath(path.replace("\\", "/"))
    with tempfile.TemporaryDirectory(prefix="timeline-diff-") as tmp:
        for name in ("events.csv", "claims.csv", "sources.csv", "corrections.csv", "story.json"):
            shown = f"{spec}:{rel / name}"
            got = subprocess.run(
                ["git", "show", f"{spec}:./{rel / name}"], cwd=cwd, capture_output=True
            )
            if got.returncode == 0:
                (Path(tmp) / name).write_bytes(got.stdout)
            elif name.endswith(".csv") and name != "corrections.csv":
                reason = got.stderr.decode("utf-8", "replace").strip().splitlines()
                raise LoadError(
                    f"{shown}: not in that revision ({reason[-1] if reason else 'git show failed'}); "
                    "check the revision and --path (the data folder, relative to here)",
                    shown,
                )
        ds = load(tmp)
    ds.folder = Path(f"{spec}:{rel}")
    return ds


def diff_report(
    old: str, new: str, *, path: str = "data", draft: bool = False, date: str | None = None
) -> str:
    """What ``timeline diff OLD NEW`` prints: the change list, or draft corrections.csv rows."""
    changes = describe_changes(load_side(old, path=path), load_side(new, path=path))
    if not draft:
        return format_changes(changes)
    return dumps_drafts(draft_corrections(changes, date=date))


# ----------------------------------------------------------------- draft
_LONG = frozenset({"summary", "claim", "rationale", "display_date"})
_QUIET = frozenset({"reviewed", "accessed"})  # re-review dates: listed by diff, not drafted


_COLUMN_NAMES = {
    "url": "URL",
    "archived_url": "archived URL",
    "display_date": "display date",
    "event_id": "event",
}


def _sentence(text: str) -> str:
    return text if text.endswith((".", "!", "?")) else text + "."


def draft_corrections(changes: list[Change], *, date: str | None = None) -> list[dict[str, str]]:
    """Draft corrections rows for ``changes`` (from :func:`timeline.core.changes.describe_changes`).

    One row per added or removed event or claim, per verdict change, per revised
    rationale and per change of cited sources; other field changes of one row are
    merged into one ``correction``. Re-review dates are not drafted. Review every
    note before publishing it.
    """
    when = date or today()
    rows: list[dict[str, str]] = []
    merged: dict[str, dict[str, str]] = {}
    singular = {"events": "event", "claims": "claim", "sources": "source"}
    for c in changes:
        target = f"{singular[c.table]}:{c.id}"
        what = "claim by" if c.table == "claims" else f"{singular[c.table]}:"
        if c.kind in ("added", "removed"):
            verb = "Added" if c.kind == "added" else "Removed"
            note = f"{verb} {what} {c.title}" if c.title else f"{verb} {singular[c.table]} {c.id}"
            verdict = c.new if c.kind == "added" else c.old
            if c.table == "claims" and verdict:
                note += (
                    ", not rated" if verdict == "not-rated" else f", rated {verdict_label(verdict)}"
                )
            change = "update" if c.kind == "added" else "removal"
            rows.append({"date": when, "target": target, "change": change, "note": _sentence(note)})
        elif c.kind == "verdict":
            note = f"Verdict changed from {verdict_label(c.old)} to {verdict_label(c.new)}."
            rows.append({"date": when, "target": target, "change": "verdict-change", "note": note})
        elif c.kind == "rationale":
            rows.append(
                {"date": when, "target": target, "change": "update", "note": "Rationale revised."}
            )
        elif c.kind == "sources":
            rows.append(
                {
                    "date": when,
                    "target": target,
                    "change": "update",
                    "note": f"Sources updated: {c.detail}.",
                }
            )
        elif c.kind == "field" and c.column not in _QUIET:
            name = _COLUMN_NAMES.get(c.column, c.column.replace("_", " "))
            if c.column in _LONG:
                text = f"{name} revised"
            else:
                text = f"{name} changed from '{c.old}' to '{c.new}'"
            if target in merged:
                merged[target]["note"] = merged[target]["note"][:-1] + f"; {text}."
            else:
                kind = "update" if c.table == "sources" else "correction"
                merged[target] = {
                    "date": when,
                    "target": target,
                    "change": kind,
                    "note": text[0].upper() + text[1:] + ".",
                }
                rows.append(merged[target])
    return rows


def dumps_drafts(rows: list[dict[str, str]], *, header: bool = False) -> str:
    """CSV text of draft rows in contract column order (no header unless asked), ready to append."""
    out = io.StringIO()
    writer = csv.DictWriter(
        out, fieldnames=CORRECTIONS.names, lineterminator="\n", extrasaction="ignore"
    )
    if header:
        writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()
