"""The only CSV reader and writer: contract files in, canonical files out.

Reading never raises for bad content: every problem (undecodable bytes, an
unclosed quote, a row with too many fields, a missing column) becomes a
:class:`Problem` with its file and physical line, and the rows that could be
read are kept so that one run reports everything.

Writing is canonical (UTF-8, LF, minimal quoting, contract column order then
extra columns) and atomic (a temporary file in the same folder, then a rename).
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .problems import Problem
from .schema import Table


@dataclass
class RawTable:
    """A table as read: string cells, each row's physical start line, and read problems."""

    frame: pd.DataFrame
    lines: list[int]
    problems: list[Problem] = field(default_factory=list)
    digest: str | None = None  # sha256 of the bytes read; None when the file is missing
    exists: bool = True


def _decode(data: bytes, shown: str) -> tuple[str, list[Problem]]:
    problems: list[Problem] = []
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), problems
    except UnicodeDecodeError:
        pass
    # Report each line holding bytes that are not UTF-8, then read on with replacements.
    for number, raw in enumerate(data.split(b"\n"), start=1):
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as e:
            bad = raw[e.start : e.start + 1].hex()
            problems.append(
                Problem(
                    shown,
                    number,
                    None,
                    f"byte 0x{bad} at character {e.start + 1} is not UTF-8; "
                    "re-save the file as UTF-8 (in Excel: Save As > CSV UTF-8)",
                )
            )
            if len(problems) >= 20:
                break
    return data.decode("utf-8", errors="replace"), problems


def read_table(path: Path, table: Table, shown: str | None = None) -> RawTable:
    """Read one contract CSV file into string cells, collecting every problem."""
    shown = shown or str(path)
    empty = pd.DataFrame({c: pd.Series(dtype=object) for c in table.names})
    if not path.exists():
        return RawTable(
            empty,
            [],
            [
                Problem(
                    shown,
                    None,
                    None,
                    f"file is missing; create it with the header row: {','.join(table.names)}",
                )
            ],
            None,
            exists=False,
        )
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    text, problems = _decode(data, shown)
    if not text.strip():
        problems.append(
            Problem(shown, 1, None, f"file is empty; its first line must be the header: {','.join(table.names)}")
        )
        return RawTable(empty, [], problems, digest)

    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[list[str]] = []
    lines: list[int] = []
    last = 0
    try:
        for row in reader:
            start = last + 1
            last = reader.line_num
            if not row or row == [""]:
                continue
            rows.append(row)
            lines.append(start)
    except csv.Error as e:
        start = last + 1
        reason = str(e)
        if "unexpected end of data" in reason or "EOF" in reason:
            message = (
                'a quoted field opened on this line is never closed; close the quote, and write a quote '
                'inside a field as two quotes ("")'
            )
        else:
            message = f"{reason}: a quote must close the field; write a quote inside a field as two quotes (\"\")"
        problems.append(Problem(shown, start, None, message))

    if not rows:
        return RawTable(empty, [], problems, digest)
    header = [h.strip() for h in rows[0]]
    body, body_lines = rows[1:], lines[1:]
    width = len(header)

    seen: set[str] = set()
    for name in header:
        if name in seen:
            problems.append(
                Problem(shown, lines[0], name, f"column '{name}' appears twice in the header; remove or rename one")
            )
        seen.add(name)
    for name in table.names:
        if name not in seen:
            problems.append(
                Problem(
                    shown,
                    lines[0],
                    name,
                    f"required column '{name}' is missing from the header; the header must hold: "
                    f"{','.join(table.names)}",
                )
            )

    for row, line in zip(body, body_lines):
        if len(row) != width:
            more = "too many" if len(row) > width else "too few"
            fix = (
                'quote cells that contain a comma ("a, b") or remove the extra separator'
                if len(row) > width
                else "add the missing cells (an empty cell is two commas in a row)"
            )
            problems.append(
                Problem(shown, line, None, f"row has {more} fields: {len(row)} for {width} columns; {fix}")
            )
    fixed = [(r + [""] * width)[:width] for r in body]
    # Deduplicate header names for the frame (the duplicate is reported above).
    names: list[str] = []
    for name in header:
        n, k = name, 2
        while n in names:
            n, k = f"{name}.{k}", k + 1
        names.append(n)
    frame = pd.DataFrame(fixed, columns=names, dtype=object) if fixed else pd.DataFrame(columns=names, dtype=object)
    for name in table.names:
        if name not in frame.columns:
            frame[name] = ""
    return RawTable(frame.fillna(""), body_lines, problems, digest)


def dumps(frame: pd.DataFrame, table: Table) -> str:
    """The canonical CSV text of a table: contract columns first, then extra columns."""
    columns = table.names + [c for c in frame.columns if c not in table.names]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(frame[columns].fillna("").astype(str).itertuples(index=False, name=None))
    return out.getvalue()


def digest_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` via a temporary file in the same folder and a rename."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
