"""The corrections log: ``data/corrections.csv``, a public record of every change readers should know about.

The file is optional. Its columns (``date, target, change, note``) and the ``change``
vocabulary are data (:data:`CORRECTIONS`, :data:`CORRECTION_KINDS`). A ``target`` names one row
of the story as ``event:<id>``, ``claim:<id>`` or ``source:<id>``; it must exist,
except for a ``removal``, whose target is gone. ``story:title`` and ``story:standfirst`` name
the story's own words in ``story.json`` (:data:`STORY_FIELDS`).

``load_corrections(folder) -> (frame, problems)`` reads it and ``validate_corrections(frame,
ids) -> problems`` checks it against the story's ids (``Dataset.target_ids()``: this module
is handed data and never imports the dataset that calls it). Its HTML section is
:func:`timeline.views.corrections_html.render_corrections`; rows are drafted from a diff by
:func:`timeline.core.changes.draft_corrections`.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..i18n.markers import N_, NP_, Message
from ..problems import Problem, sort_problems
from .dates import explain
from .schema import FORMULA_PREFIXES, ID_PATTERN, Column, Table
from .store import read_table

__all__ = [
    "CORRECTIONS",
    "CORRECTION_KINDS",
    "CORRECTION_KIND_BY_KEY",
    "STORY_FIELDS",
    "STORY_TARGET",
    "TARGET_KINDS",
    "CorrectionKind",
    "check_corrections",
    "load_corrections",
    "parse_target",
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
            N_("When the change was published: ISO 8601 (usually a day, 2020-01-10)."),
        ),
        Column(
            "target",
            "target",
            True,
            N_(
                "What changed: `event:<id>`, `claim:<id>`, `source:<id>`, or the story's "
                "`story:title` or `story:standfirst` (story.json)."
            ),
        ),
        Column("change", "change", True, N_("One of the change kinds below.")),
        Column("note", "text", True, N_("What changed and why, in a sentence readers can follow.")),
    ),
)


@dataclass(frozen=True)
class CorrectionKind:
    """One kind of published correction (the log's ``change`` column): a reader-facing word,
    not a :class:`timeline.core.changes.Change` (a difference found between two datasets)."""

    key: str
    label: str  # shown to readers
    meaning: str
    target_must_exist: bool = True


CORRECTION_KINDS: tuple[CorrectionKind, ...] = (
    CorrectionKind(
        "correction",
        NP_("correction", "Correction"),
        "An error of fact was fixed (a date, a name, a quote, a figure).",
    ),
    CorrectionKind(
        "verdict-change",
        NP_("correction", "Verdict changed"),
        "A claim's verdict changed; the note gives old and new.",
    ),
    CorrectionKind(
        "clarification",
        NP_("correction", "Clarification"),
        "Wording was made clearer; the facts did not change.",
    ),
    CorrectionKind(
        "update",
        NP_("correction", "Update"),
        "New information was added: an event, a claim, a source, later record.",
    ),
    CorrectionKind(
        "removal",
        NP_("correction", "Removal"),
        "An event, claim or source was taken out; the note says why.",
        target_must_exist=False,
    ),
)
CORRECTION_KIND_BY_KEY: dict[str, CorrectionKind] = {c.key: c for c in CORRECTION_KINDS}
TARGET_KINDS: dict[str, str] = {"event": "events", "claim": "claims", "source": "sources"}
#: ``story:<field>``: the story's own words in story.json, each with the name readers see.
STORY_TARGET = "story"
STORY_FIELDS: dict[str, str] = {
    "title": N_("the story's title"),
    "standfirst": N_("the story's standfirst"),
}
_TARGET = re.compile(rf"^(?P<kind>[a-z]+):(?P<id>{ID_PATTERN})$")


def parse_target(text: str) -> tuple[str, str] | None:
    """``("events", "strike")`` for ``event:strike``, ``("story", "title")`` for ``story:title``;
    ``None`` if it is not a target."""
    m = _TARGET.match((text or "").strip())
    if not m:
        return None
    if m.group("kind") == STORY_TARGET:
        return STORY_TARGET, m.group("id")
    if m.group("kind") not in TARGET_KINDS:
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
def _closest(value: str, choices: list[str]) -> str | None:
    match = difflib.get_close_matches(value, choices, n=1, cutoff=0.6)
    return match[0] if match else None


def _guess(match: str | None, with_match: str, without: str, /, **args: str) -> str:
    """The message that suggests ``match`` (``with_match``), or ``without`` when there is none."""
    return Message(without, **args) if match is None else Message(with_match, match=match, **args)


#: A target naming no row, by its kind: with the closest id, and without one.
UNKNOWN_TARGET = {
    "event": (
        N_(
            "unknown event id '%(id)s'; did you mean '%(match)s'? fix the id, add the event to "
            "events.csv, or use change 'removal' if it was taken out"
        ),
        N_(
            "unknown event id '%(id)s'; fix the id, add the event to events.csv, or use change "
            "'removal' if it was taken out"
        ),
    ),
    "claim": (
        N_(
            "unknown claim id '%(id)s'; did you mean '%(match)s'? fix the id, add the claim to "
            "claims.csv, or use change 'removal' if it was taken out"
        ),
        N_(
            "unknown claim id '%(id)s'; fix the id, add the claim to claims.csv, or use change "
            "'removal' if it was taken out"
        ),
    ),
    "source": (
        N_(
            "unknown source id '%(id)s'; did you mean '%(match)s'? fix the id, add the source to "
            "sources.csv, or use change 'removal' if it was taken out"
        ),
        N_(
            "unknown source id '%(id)s'; fix the id, add the source to sources.csv, or use change "
            "'removal' if it was taken out"
        ),
    ),
}


def validate_corrections(
    df: pd.DataFrame, target_ids: Mapping[str, list[str]], *, file: str | None = None
) -> list[Problem]:
    """Every problem of a corrections frame, checked against the story's ids (targets must
    exist): ``target_ids`` maps each table of TARGET_KINDS to its ids (``Dataset.target_ids()``)."""
    if df.empty:
        return []
    shown = file or df.attrs.get("file") or CORRECTIONS.filename
    ids = {table: [i for i in target_ids[table] if i] for table in TARGET_KINDS.values()}
    known = {table: set(v) for table, v in ids.items()}
    every = [f"{kind}:{i}" for kind, table in TARGET_KINDS.items() for i in ids[table]]
    every += [f"{STORY_TARGET}:{name}" for name in STORY_FIELDS]
    change_keys = [c.key for c in CORRECTION_KINDS]
    problems: list[Problem] = []
    lines = list(df["line"]) if "line" in df else [None] * len(df)
    for pos, row in enumerate(df.to_dict("records")):
        cell = lines[pos]
        line = None if cell is None or pd.isna(cell) else int(cell)

        def add(
            column: str, message: str, severity: str = "error", line: int | None = line
        ) -> None:
            problems.append(Problem(shown, line, column, message, severity))

        values = {c: str(row.get(c, "") or "").strip() for c in CORRECTIONS.names}
        for col in CORRECTIONS.columns:
            if not values[col.name]:
                add(
                    col.name,
                    Message(
                        N_("is empty but required; fill it in (%(help)s)"),
                        help=Message(col.help),
                    ),
                )
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
                said = _guess(
                    guess,
                    N_(
                        "'%(target)s' is not a target; did you mean '%(match)s'? write event:<id>, "
                        "claim:<id> or source:<id> with the id from events.csv, claims.csv or "
                        "sources.csv, or story:title or story:standfirst"
                    ),
                    N_(
                        "'%(target)s' is not a target; write event:<id>, claim:<id> or source:<id> "
                        "with the id from events.csv, claims.csv or sources.csv, or story:title or "
                        "story:standfirst"
                    ),
                    target=target,
                )
                add("target", said)
            elif parsed[0] == STORY_TARGET:
                if parsed[1] not in STORY_FIELDS:
                    said = _guess(
                        _closest(parsed[1], list(STORY_FIELDS)),
                        N_(
                            "unknown story field '%(field)s'; did you mean '%(match)s'? write "
                            "story:title or story:standfirst"
                        ),
                        N_(
                            "unknown story field '%(field)s'; write story:title or story:standfirst"
                        ),
                        field=parsed[1],
                    )
                    add("target", said)
            else:
                table, rid = parsed
                kind = CORRECTION_KIND_BY_KEY.get(change)
                if rid not in known[table] and (kind is None or kind.target_must_exist):
                    with_match, without = UNKNOWN_TARGET[target.split(":", 1)[0]]
                    add("target", _guess(_closest(rid, ids[table]), with_match, without, id=rid))
        if change and change not in CORRECTION_KIND_BY_KEY:
            said = _guess(
                _closest(change.lower(), change_keys),
                N_(
                    "'%(change)s' is not a change kind; did you mean '%(match)s'? use one of: %(keys)s"
                ),
                N_("'%(change)s' is not a change kind; use one of: %(keys)s"),
                change=change,
                keys=", ".join(change_keys),
            )
            add("change", said)
        note = values["note"]
        if note[:1] in FORMULA_PREFIXES:
            said = Message(
                N_(
                    "'%(note)s' starts with '%(char)s', which a spreadsheet runs as a formula; "
                    "reword it or start it with another character"
                ),
                note=note[:40],
                char=note[0],
            )
            add("note", said, "warning")
    return sort_problems(problems)


def check_corrections(folder: Path | None, target_ids: Mapping[str, list[str]]) -> list[Problem]:
    """Read problems and contract problems of ``folder``'s corrections.csv (none if the file is
    absent), its targets checked against ``target_ids`` (see :func:`validate_corrections`)."""
    df, problems = load_corrections(folder)
    return sort_problems(problems + validate_corrections(df, target_ids))
