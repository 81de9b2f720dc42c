"""The desk's vocabulary of actors: ``actor_groups.csv`` (optional) files names under one group.

A government speaks through many names: No 10's words are filed under "Prime Minister's official
spokesman", with "United Kingdom" and "UK Government" as more names for the same side. Each row of
``actor_groups.csv`` (columns ``group``, ``name``) puts one name, as events.csv's ``actors`` or
claims.csv's ``claimant`` spell it, in a group; the reader's actor filter then offers the group, and
finds every event that names one of its names as an actor or a claimant. It is data, not code: each
desk keeps its own.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ..problems import Problem

FILE = "actor_groups.csv"
COLUMNS = ("group", "name")


def read_actor_groups(folder: Path | None) -> tuple[dict[str, list[str]], list[Problem]]:
    """``folder/actor_groups.csv`` as group -> its names (in file order), and its problems.

    No file (or no folder): no groups. A problem names the file, line and column and the fix; a
    file with any problem gives no groups at all (nothing half read).
    """
    path = folder / FILE if folder is not None else None
    if path is None or not path.exists():
        return {}, []
    shown = str(path)  # as the folder was given, like the tables' problems (data/actor_groups.csv)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        return {}, [Problem(shown, None, None, f"cannot be read ({e}); save it as UTF-8 CSV")]
    rows = csv.reader(io.StringIO(text, newline=""))
    header = next(rows, [])
    if [h.strip() for h in header[:2]] != list(COLUMNS):
        found = ", ".join(header) or "nothing"
        return {}, [
            Problem(
                shown,
                1,
                None,
                f"the header must start with group,name (found {found}); fix the first line",
            )
        ]
    groups: dict[str, list[str]] = {}
    home: dict[str, tuple[str, int]] = {}
    problems: list[Problem] = []
    for line, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = [c.strip() for c in row] + ["", ""]
        group, name = cells[0], cells[1]
        if not group or not name:
            column = "group" if not group else "name"
            problems.append(
                Problem(shown, line, column, f"the {column} is empty; write it, or delete the row")
            )
            continue
        if name in home:
            first, first_line = home[name]
            where = "again" if first == group else f"also in group '{first}'"
            problems.append(
                Problem(
                    shown,
                    line,
                    "name",
                    f"'{name}' is {where} (line {first_line}); keep one row for it",
                )
            )
            continue
        home[name] = (group, line)
        groups.setdefault(group, []).append(name)
    return ({} if problems else groups), problems
