"""The corrections log: ``data/corrections.csv``, a public record of every change readers should know about.

The file is optional. Its columns (``date, target, change, note``) and the ``change``
vocabulary are data (:data:`CORRECTIONS`, :data:`CHANGES`). A ``target`` names one row
of the story as ``event:<id>``, ``claim:<id>`` or ``source:<id>``; it must exist,
except for a ``removal``, whose target is gone.

``load_corrections(folder) -> (frame, problems)`` reads it, ``validate_corrections(frame,
ds) -> problems`` checks it against a dataset, ``render_corrections(ds)`` gives the
"Corrections and updates" HTML section, and ``draft_corrections(changes)`` turns a
:mod:`timeline.diff` result into rows to review and append.
"""

from __future__ import annotations

import csv
import difflib
import io
import os
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
import pandas as pd
from markupsafe import Markup

from .dates import explain, humanize, parse
from .problems import Problem, sort_problems
from .schema import FORMULA_PREFIXES, ID_PATTERN, VERDICT_BY_KEY, Column, Table
from .store import read_table
from .validate import URL_PATTERN

if TYPE_CHECKING:
    from .changes import Change
    from .dataset import Dataset

__all__ = [
    "CHANGES",
    "CORRECTIONS",
    "TARGET_KINDS",
    "ChangeKind",
    "check_corrections",
    "draft_corrections",
    "dumps_drafts",
    "load_corrections",
    "parse_target",
    "render_corrections",
    "today",
    "validate_corrections",
]

CORRECTIONS = Table(
    "corrections",
    "corrections.csv",
    (
        Column(
            "date",
            "date",
            True,
            "When the change was published: ISO 8601 (usually a day, 2020-01-10).",
        ),
        Column(
            "target", "target", True, "What changed: `event:<id>`, `claim:<id>` or `source:<id>`."
        ),
        Column("change", "change", True, "One of the change kinds below."),
        Column("note", "text", True, "What changed and why, in a sentence readers can follow."),
    ),
)


@dataclass(frozen=True)
class ChangeKind:
    key: str
    label: str  # shown to readers
    meaning: str
    target_must_exist: bool = True


CHANGES: tuple[ChangeKind, ...] = (
    ChangeKind(
        "correction",
        "Correction",
        "An error of fact was fixed (a date, a name, a quote, a figure).",
    ),
    ChangeKind(
        "verdict-change",
        "Verdict changed",
        "A claim's verdict changed; the note gives old and new.",
    ),
    ChangeKind(
        "clarification", "Clarification", "Wording was made clearer; the facts did not change."
    ),
    ChangeKind(
        "update", "Update", "New information was added: an event, a claim, a source, later record."
    ),
    ChangeKind(
        "removal",
        "Removal",
        "An event, claim or source was taken out; the note says why.",
        target_must_exist=False,
    ),
)
CHANGE_BY_KEY: dict[str, ChangeKind] = {c.key: c for c in CHANGES}
TARGET_KINDS: dict[str, str] = {"event": "events", "claim": "claims", "source": "sources"}
_TARGET = re.compile(rf"^(?P<kind>[a-z]+):(?P<id>{ID_PATTERN})$")
_URL = re.compile(URL_PATTERN)


def today() -> str:
    """Today's date (UTC) as ``YYYY-MM-DD``, or ``SOURCE_DATE_EPOCH``'s date when it is set."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), tz=timezone.utc).date().isoformat()
        except (ValueError, OverflowError, OSError):
            raise ValueError(
                f"SOURCE_DATE_EPOCH='{epoch}' is not a number of seconds since 1970"
            ) from None
    return datetime.now(timezone.utc).date().isoformat()


def parse_target(text: str) -> tuple[str, str] | None:
    """``("events", "strike")`` for ``event:strike``; ``None`` if it is not a target."""
    m = _TARGET.match((text or "").strip())
    if not m or m.group("kind") not in TARGET_KINDS:
        return None
    return TARGET_KINDS[m.group("kind")], m.group("id")


# ------------------------------------------------------------------ load
def load_corrections(folder: str | os.PathLike[str] | None) -> tuple[pd.DataFrame, list[Problem]]:
    """``folder/corrections.csv`` as string cells plus a ``line`` column, and its read problems.

    A missing file (or ``folder=None``) is an empty log, not a problem. The frame's
    ``attrs["file"]`` names the file for messages.
    """
    empty = pd.DataFrame({c: pd.Series(dtype=object) for c in CORRECTIONS.names})
    empty["line"] = pd.array([], dtype="Int64")
    if folder is None:
        empty.attrs["file"] = CORRECTIONS.filename
        return empty, []
    path = Path(folder) / CORRECTIONS.filename
    empty.attrs["file"] = str(path)
    if not path.exists():
        return empty, []
    raw = read_table(path, CORRECTIONS, shown=str(path))
    frame = raw.frame.reset_index(drop=True).astype(object).fillna("")
    frame["line"] = pd.array(list(raw.lines)[: len(frame)], dtype="Int64")
    frame.attrs["file"] = str(path)
    return frame, list(raw.problems)


# -------------------------------------------------------------- validate
def _closest(value: str, choices: list[str]) -> str:
    match = difflib.get_close_matches(value, choices, n=1, cutoff=0.6)
    return f"did you mean '{match[0]}'? " if match else ""


def _ids(ds: Dataset, table: str) -> list[str]:
    return [i for i in ds.raw(table)["id"].astype(str).str.strip() if i]


def validate_corrections(
    df: pd.DataFrame, ds: Dataset, *, file: str | None = None
) -> list[Problem]:
    """Every problem of a corrections frame, checked against ``ds`` (targets must exist)."""
    if df.empty:
        return []
    shown = (
        file
        or df.attrs.get("file")
        or (
            str(ds.folder / CORRECTIONS.filename) if ds.folder is not None else CORRECTIONS.filename
        )
    )
    ids = {table: _ids(ds, table) for table in TARGET_KINDS.values()}
    known = {table: set(v) for table, v in ids.items()}
    every = [f"{kind}:{i}" for kind, table in TARGET_KINDS.items() for i in ids[table]]
    change_keys = [c.key for c in CHANGES]
    problems: list[Problem] = []
    lines = list(df["line"]) if "line" in df else [None] * len(df)
    for pos, row in enumerate(df.to_dict("records")):
        line = None if pd.isna(lines[pos]) else int(lines[pos])

        def add(
            column: str, message: str, severity: str = "error", line: int | None = line
        ) -> None:
            problems.append(Problem(shown, line, column, message, severity))

        values = {c: str(row.get(c, "") or "").strip() for c in CORRECTIONS.names}
        for col in CORRECTIONS.columns:
            if not values[col.name]:
                add(col.name, f"is empty but required; fill it in ({col.help})")
        if values["date"]:
            problem = explain(values["date"])
            if problem:
                add("date", problem)
        change = values["change"]
        target = values["target"]
        if target:
            parsed = parse_target(target)
            if parsed is None:
                bare = target.split(":", 1)[-1].strip()
                guess = next((t for t in every if t.split(":", 1)[1] == bare), None)
                hint = f"did you mean '{guess}'? " if guess else ""
                add(
                    "target",
                    f"'{target}' is not a target; {hint}write event:<id>, claim:<id> or source:<id> "
                    "with the id from events.csv, claims.csv or sources.csv",
                )
            else:
                table, rid = parsed
                kind = CHANGE_BY_KEY.get(change)
                if rid not in known[table] and (kind is None or kind.target_must_exist):
                    prefix = target.split(":", 1)[0]
                    add(
                        "target",
                        f"unknown {prefix} id '{rid}'; {_closest(rid, ids[table])}fix the id, add the "
                        f"{prefix} to {table}.csv, or use change 'removal' if it was taken out",
                    )
        if change and change not in CHANGE_BY_KEY:
            add(
                "change",
                f"'{change}' is not a change kind; {_closest(change.lower(), change_keys)}"
                f"use one of: {', '.join(change_keys)}",
            )
        note = values["note"]
        if note[:1] in FORMULA_PREFIXES:
            add(
                "note",
                f"'{note[:40]}' starts with '{note[0]}', which a spreadsheet runs as a formula; "
                "reword it or start it with another character",
                "warning",
            )
    return sort_problems(problems)


def check_corrections(ds: Dataset) -> list[Problem]:
    """Read problems and contract problems of ``ds``'s corrections.csv (none if the file is absent)."""
    df, problems = load_corrections(ds.folder)
    return sort_problems(problems + validate_corrections(df, ds))


# ---------------------------------------------------------------- render
_TEMPLATE = """\
<section class="tl-corrections" aria-labelledby="{{ heading_id }}">
<h2 id="{{ heading_id }}">Corrections and updates</h2>
{%- if entries %}
<ol class="tl-corrections-list">
{%- for e in entries %}
<li class="tl-correction" data-change="{{ e.change }}"><p>
{%- if e.datetime %}<time datetime="{{ e.datetime }}">{{ e.when }}</time>{% else %}{{ e.when }}{% endif %}
 <span class="tl-correction-kind">{{ e.label }}</span>
{%- if e.target_label %}: {% if e.href %}<a href="{{ e.href }}"
{%- if e.external %} target="_blank" rel="noopener noreferrer"{% endif %}>{{ e.target_label }}</a>
{%- else %}<span class="tl-correction-target">{{ e.target_label }}</span>{% endif %}{% endif %}</p>
{%- if e.note %}
<p class="tl-correction-note">{{ e.note }}</p>
{%- endif %}</li>
{%- endfor %}
</ol>
{%- else %}
<p class="tl-corrections-none">{{ empty_text }}</p>
{%- endif %}
</section>
"""


@lru_cache(maxsize=1)
def _template() -> jinja2.Template:
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    return env.from_string(_TEMPLATE)


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _target_view(target: str, ds: Dataset | None) -> dict[str, Any]:
    """Label and link of a target: ``#event-<id>``, ``#claim-<id>``, a source's own URL."""
    parsed = parse_target(target)
    if parsed is None:
        return {"target_label": target, "href": "", "external": False}
    table, rid = parsed
    row: dict[str, str] | None = None
    if ds is not None:
        frame = ds.raw(table)
        hits = frame[frame["id"].astype(str).str.strip() == rid]
        row = hits.iloc[0].to_dict() if len(hits) else None
    if table == "events":
        label = _short(row["title"]) if row else f"event {rid}"
        return {
            "target_label": label,
            "href": f"#event-{rid}" if row or ds is None else "",
            "external": False,
        }
    if table == "claims":
        label = (
            f"claim by {row['claimant']}: “{_short(row['claim'], 60)}”" if row else f"claim {rid}"
        )
        return {
            "target_label": label,
            "href": f"#claim-{rid}" if row or ds is None else "",
            "external": False,
        }
    url = str(row.get("url", "")).strip() if row else ""
    label = f"source: {_short(row['title'])}" if row else f"source {rid}"
    return {"target_label": label, "href": url if _URL.fullmatch(url) else "", "external": True}


def render_corrections(
    data: Dataset | pd.DataFrame,
    *,
    dataset: Dataset | None = None,
    heading_id: str = "tl-corrections-h",
    empty_text: str | None = "No corrections or updates have been published for this timeline.",
) -> Markup:
    """The "Corrections and updates" section: newest first, each entry dated and linked to its target.

    ``data`` is a dataset (its folder's corrections.csv is read) or a corrections frame
    (pass ``dataset=`` for titles and links). All text is escaped; only ``#event-<id>``,
    ``#claim-<id>`` and http(s) source links are emitted. With ``empty_text=None`` an
    empty log renders as an empty string.
    """
    if isinstance(data, pd.DataFrame):
        df = data
    else:
        dataset = data
        df, _ = load_corrections(data.folder)
    entries: list[dict[str, Any]] = []
    for pos, row in enumerate(df.to_dict("records")):
        date = str(row.get("date", "") or "").strip()
        change = str(row.get("change", "") or "").strip()
        try:
            at = parse(date).at.timestamp()
            ok = True
        except ValueError:
            at, ok = float("-inf"), False
        kind = CHANGE_BY_KEY.get(change)
        entry = {
            "sort": (at, pos),
            "datetime": date if ok else "",
            "when": humanize(date) if ok else date,
            "change": change,
            "label": kind.label if kind else change,
            "note": str(row.get("note", "") or "").strip(),
            **_target_view(str(row.get("target", "") or ""), dataset),
        }
        entries.append(entry)
    if not entries and empty_text is None:
        return Markup("")
    entries.sort(key=lambda e: e["sort"], reverse=True)
    return Markup(
        _template().render(entries=entries, heading_id=heading_id, empty_text=empty_text or "")
    )


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


def _verdict_label(key: str) -> str:
    v = VERDICT_BY_KEY.get(key.strip())
    return v.label if v else key


def draft_corrections(changes: list[Change], *, date: str | None = None) -> list[dict[str, str]]:
    """Draft corrections rows for ``changes`` (from :func:`timeline.changes.describe_changes`).

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
                    ", not rated"
                    if verdict == "not-rated"
                    else f", rated {_verdict_label(verdict)}"
                )
            change = "update" if c.kind == "added" else "removal"
            rows.append({"date": when, "target": target, "change": change, "note": _sentence(note)})
        elif c.kind == "verdict":
            note = f"Verdict changed from {_verdict_label(c.old)} to {_verdict_label(c.new)}."
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
