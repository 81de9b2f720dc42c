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
import difflib
import hashlib
import io
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..i18n.markers import N_, Message
from ..problems import Problem
from .schema import Table
from .text import clip


@dataclass
class RawTable:
    """A table as read: string cells, each row's physical start line, and read problems."""

    frame: pd.DataFrame
    lines: list[int]
    problems: list[Problem] = field(default_factory=list)
    digest: str | None = None  # sha256 of the bytes read; None when the file is missing
    exists: bool = True


# Wordings validate.py looks for: a missing file or column is reported once, not again
# row by row; a row with bytes that are not UTF-8 is still checked, while a row with any
# other read problem (quotes, field count) is not, as its cells cannot be trusted.
MISSING_FILE = "file is missing"
MISSING_COLUMN = "is missing from the header"
NOT_UTF8 = "is not UTF-8"


def _decode(data: bytes, shown: str) -> tuple[str, list[Problem]]:
    """Decode UTF-8 text; each line holding other bytes is a problem, then decoding goes on."""
    problems: list[Problem] = []
    try:
        return data.decode("utf-8"), problems
    except UnicodeDecodeError:
        pass
    for number, raw in enumerate(data.split(b"\n"), start=1):
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as e:
            bad = raw[e.start : e.start + 1].hex()
            guess = raw.decode("cp1252", errors="replace").strip()
            problems.append(
                Problem(
                    shown,
                    number,
                    None,
                    Message(
                        N_(
                            "byte 0x%(byte)s at position %(position)s of the line is not UTF-8 "
                            "(the line reads '%(line)s' in Windows-1252); re-save the file as UTF-8 "
                            "(in Excel: Save As > CSV UTF-8; in LibreOffice: Character set Unicode "
                            "(UTF-8))"
                        ),
                        byte=bad,
                        position=e.start + 1,
                        line=clip(guess, 60),
                    ),
                )
            )
    return data.decode("utf-8", errors="replace"), problems


def _csv_message(reason: str) -> str:
    if "unexpected end of data" in reason or "EOF" in reason:
        return Message(
            N_(
                "a quoted cell that starts on this line is never closed; add the closing quote, "
                'and write a quote inside a cell as two quotes (""), e.g. "He said ""no"" today"'
            )
        )
    if "expected after" in reason:
        return Message(
            N_(
                "the quotes in this row do not pair up (a quote never closed, or a quote inside a "
                "cell not doubled): a quoted cell must end with a quote right before the next comma "
                "or the end of the line; close each quote you open, and write a quote inside a cell "
                'as two quotes (""), e.g. "He said ""no"" today"'
            )
        )
    return Message(
        # Translators: %(reason)s is the CSV reader's own words (English).
        N_("this row cannot be read as CSV (%(reason)s); check its quotes and commas"),
        reason=reason,
    )


def _read_careful(
    text: str, shown: str
) -> tuple[list[str], int, list[list[str]], list[int], list[Problem]]:
    """Read CSV text record by record with the csv module, recovering after a broken record.

    Returns the header and its line, the data rows, each row's physical start line
    and the problems.
    After a record that cannot be read (a quote never closed, text after a closing
    quote), reading starts again on the next physical line, so that one bad quote does
    not hide the rest of the file.
    """
    physical = io.StringIO(text, newline="").readlines()
    records: list[list[str]] = []
    starts: list[int] = []
    problems: list[Problem] = []
    offset = 0  # physical lines consumed before the current reader started
    while offset < len(physical):
        reader = csv.reader(iter(physical[offset:]), strict=True)
        last = 0
        try:
            for row in reader:
                start = offset + last + 1
                last = reader.line_num
                if not row or row == [""]:
                    continue
                records.append(row)
                starts.append(start)
        except csv.Error as e:
            start = offset + last + 1
            problems.append(Problem(shown, start, None, _csv_message(str(e))))
            # Keep what the broken line alone holds (its id above all, so that references to
            # it are not reported too), then read on from the next line.
            salvaged = next(csv.reader([physical[start - 1].rstrip("\r\n")]), [])
            if salvaged:
                records.append(salvaged)
                starts.append(start)
            offset = start
            continue
        break
    if not records:
        return [], 1, [], [], problems
    return records[0], starts[0], records[1:], starts[1:], problems


def _check_header(header: list[str], table: Table, shown: str, line: int) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[str] = set()
    for name in header:
        if name in seen:
            problems.append(
                Problem(
                    shown,
                    line,
                    name,
                    Message(
                        N_(
                            "column '%(name)s' appears twice in the header; delete one of the two "
                            "columns (or rename it if it holds other data)"
                        ),
                        name=name,
                    ),
                )
            )
        seen.add(name)
    needed = table.header
    for name in needed:
        if name not in seen:
            close = difflib.get_close_matches(
                name, [h for h in header if h not in table.names], n=1
            )
            args = {"name": name, "header": ",".join(needed)}
            said = (
                Message(
                    N_(
                        "column '%(name)s' is missing from the header; rename column '%(close)s' "
                        "to '%(name)s' (the header must hold: %(header)s)"
                    ),
                    close=close[0],
                    **args,
                )
                if close
                else Message(
                    N_(
                        "column '%(name)s' is missing from the header; add a '%(name)s' column "
                        "(the header must hold: %(header)s)"
                    ),
                    **args,
                )
            )
            problems.append(Problem(shown, line, name, said))
    return problems


def _unique_names(header: list[str]) -> list[str]:
    names: list[str] = []
    for name in header:
        n, k = name, 2
        while n in names:
            n, k = f"{name}.{k}", k + 1
        names.append(n)
    return names


_OPENS_AFTER = np.zeros(256, dtype=bool)  # the bytes an opening quote may follow
_OPENS_AFTER[[ord(","), ord("\n"), ord('"')]] = True
_CLOSES_BEFORE = np.zeros(256, dtype=bool)  # the bytes a closing quote may precede
_CLOSES_BEFORE[[ord(","), ord("\n"), ord("\r"), ord('"')]] = True


def _read_fast(
    data: bytes, source: Path | None = None
) -> tuple[list[str], pd.DataFrame, list[int]] | None:
    """Read well-formed CSV bytes with pandas' C parser; ``None`` when the careful reader must.

    pandas reports neither physical lines nor rows with too few fields (it pads
    them) nor text after a closing quote (it joins it), so these are checked with
    numpy over the positions of quotes and line ends instead of per row: every quote
    must open a cell, close it or be doubled; a record ends at a line end with an
    even number of quotes before it, and there must be one such line end per record
    (a blank line breaks this); a padded row (its last cell empty) must hold
    ``width - 1`` commas outside quotes. Any doubt (also a lone CR, a NUL byte, a
    quoted or duplicated header) sends the file to :func:`_read_careful`, which
    locates the problem.

    ``source``, the file ``data`` was read from, lets pandas read it itself, which
    is faster than from memory; the caller checks that it did not change meanwhile.
    """
    end = data.find(b"\n")
    first = data if end < 0 else data[:end]
    if (
        b'"' in first
        or b"\x00" in data
        or (b"\r" in data and data.count(b"\r") != data.count(b"\r\n"))
    ):
        return None
    try:
        header = [h.strip() for h in first.rstrip(b"\r").decode("utf-8").split(",")]
    except UnicodeDecodeError:
        return None
    if len(set(header)) != len(header) or "" in header:
        return None

    buf = np.frombuffer(data, dtype=np.uint8)
    quotes = _paired_quotes(buf)
    if quotes is None:
        return None
    try:
        # The header is read as a data row (then dropped): as the first row it sets the
        # width, so that pandas refuses any longer row instead of taking an index from it.
        frame = pd.read_csv(
            io.BytesIO(data) if source is None else source,
            dtype=object,
            header=None,
            names=header,
            keep_default_na=False,
            na_filter=False,
            encoding="utf-8",
            engine="c",
        )
    except (ValueError, pd.errors.ParserError):
        return None  # too many fields, an unclosed quote, bytes that are not UTF-8 (a ValueError)
    frame = frame.iloc[1:].reset_index(drop=True)
    n, width = frame.shape
    records = n + data.endswith(b"\n")  # line ends that end a record
    if data.count(b"\n") == records:
        ends = np.arange(records)  # no blank line and no cell spanning lines: line i ends record i
        newlines = None
    else:
        # A record ends at a line end with an even number of quotes before it.
        newlines = np.flatnonzero(buf == 10)
        ends = np.flatnonzero(np.searchsorted(quotes, newlines) % 2 == 0)
        if ends.size != records:
            return None  # a blank line (pandas skips it), or records pandas split differently
    if n and not _short_rows_absent(frame, buf, quotes, newlines, ends):
        return None
    # Data row i starts on the line after the line end that closes record i (the header is record 0).
    return header, frame, (ends[:n] + 2).tolist()


def _paired_quotes(buf: np.ndarray) -> np.ndarray | None:
    """The positions of the quotes in ``buf``, or ``None`` unless they pair up as CSV quotes.

    An opening quote follows a comma, a line end or a closing quote (a doubled quote);
    a closing one is followed by a comma, a line end or an opening quote. (A quote
    inside an unquoted cell breaks this too: the careful reader then reads it.) The
    header holds no quote, so no quote is at either end.
    """
    quotes = np.flatnonzero(buf == 34)
    if quotes.size % 2:
        return None  # a quote is never closed
    if quotes.size:
        before = buf[quotes[0::2] - 1]
        after = buf[np.minimum(quotes[1::2] + 1, buf.size - 1)]
        after[quotes[1::2] == buf.size - 1] = ord("\n")
        if not (_OPENS_AFTER[before].all() and _CLOSES_BEFORE[after].all()):
            return None  # text right after a closing quote, or a quote inside an unquoted cell
    return quotes


def _short_rows_absent(
    frame: pd.DataFrame,
    buf: np.ndarray,
    quotes: np.ndarray,
    newlines: np.ndarray | None,
    ends: np.ndarray,
) -> bool:
    """Whether every row whose last cell pandas gives as empty really has all its fields.

    pandas fills a short row's missing cells with "": such a row holds fewer than
    ``width - 1`` commas outside quotes.
    """
    n, width = frame.shape
    padded = np.flatnonzero(frame.iloc[:, -1].to_numpy() == "")
    if not padded.size:
        return True
    commas = np.flatnonzero(buf == 44)
    if quotes.size:
        commas = commas[np.searchsorted(quotes, commas) % 2 == 0]
    if newlines is None:
        newlines = np.flatnonzero(buf == 10)
    bounds = np.concatenate(([-1], newlines[ends], [buf.size]))[: n + 2]
    per_record = np.diff(np.searchsorted(commas, bounds))
    return not (per_record[padded + 1] != width - 1).any()


def _normalise_line_ends(frame: pd.DataFrame) -> pd.DataFrame:
    """CRLF or CR inside a cell becomes LF, as it is saved."""
    for col in frame.columns:
        values = frame[col]
        if "\r" in "".join(values.tolist()):
            frame[col] = values.str.replace("\r\n", "\n", regex=False).str.replace(
                "\r", "\n", regex=False
            )
    return frame


def read_table(path: Path, table: Table, shown: str | None = None) -> RawTable:
    """Read one contract CSV file into string cells, collecting every problem.

    Well-formed files are read by pandas' C parser; a file with any structural
    problem is read again record by record so that each problem gets its line.
    """
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
                    Message(
                        N_("file is missing; create it with this header row: %(header)s"),
                        header=",".join(table.names),
                    ),
                )
            ],
            None,
            exists=False,
        )
    before = path.stat()
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if not data[:4096].strip() and not data.strip():
        problem = Problem(
            shown,
            1,
            None,
            Message(
                N_("file is empty; its first line must be the header: %(header)s"),
                header=",".join(table.names),
            ),
        )
        return RawTable(empty, [], [problem], digest)

    fast = _read_fast(data, path)
    after = path.stat()
    if (before.st_mtime_ns, before.st_size, before.st_ino) != (
        after.st_mtime_ns,
        after.st_size,
        after.st_ino,
    ):
        fast = _read_fast(data)  # the file changed while pandas read it: read the bytes we hold
    if fast is not None:
        header, frame, lines = fast
        problems = _check_header(header, table, shown, 1)
    else:
        text, problems = _decode(data, shown)
        header, header_line, rows, lines, read_problems = _read_careful(text, shown)
        problems += read_problems
        if not header:
            return RawTable(empty, [], problems, digest)
        header = [h.strip() for h in header]
        problems += _check_header(header, table, shown, header_line)
        width = len(header)
        reported = {p.line for p in read_problems}
        for row, line in zip(rows, lines):
            if len(row) != width and line not in reported:
                if len(row) > width:
                    message = Message(
                        N_(
                            "row has %(fields)s fields but the header has %(width)s columns; put a "
                            'cell that contains a comma in quotes ("Baghdad, Iraq") or remove the '
                            "extra comma"
                        ),
                        fields=len(row),
                        width=width,
                    )
                else:
                    message = Message(
                        N_(
                            "row has %(fields)s fields but the header has %(width)s columns; add the "
                            "missing cells (an empty cell is nothing between two commas)"
                        ),
                        fields=len(row),
                        width=width,
                    )
                problems.append(Problem(shown, line, None, message))
        fixed = [(r + [""] * width)[:width] for r in rows]
        frame = pd.DataFrame(fixed, columns=_unique_names(header), dtype=object)
    if b"\r" in data:
        frame = _normalise_line_ends(frame)
    for name in table.names:
        if name not in frame.columns:
            frame[name] = ""
    return RawTable(frame, list(lines), problems, digest)


def dumps(frame: pd.DataFrame, table: Table) -> str:
    """The canonical CSV text of a table: contract columns first, then extra columns.

    A contract column that may be left out of the header (``Column.in_header`` False) is
    written only when one of its cells holds something.
    """
    columns = [
        c.name
        for c in table.columns
        if c.in_header
        or (
            c.name in frame.columns
            and frame[c.name].fillna("").astype(str).str.strip().ne("").any()
        )
    ]
    columns += [c for c in frame.columns if c not in table.names]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    cells = frame[columns].fillna("").astype(str)
    # LF is the only line end, inside cells too (the csv module would not quote a lone CR).
    cells = (
        _normalise_line_ends(cells) if "\r" in "".join(cells.to_numpy().ravel().tolist()) else cells
    )
    writer.writerows(cells.itertuples(index=False, name=None))
    return out.getvalue()


def digest_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def stage_file(path: Path, data: str | bytes) -> Path:
    """Write ``data`` (text as UTF-8) to a temporary file beside ``path``, flushed to disk and
    readable by all (mode 0644); the caller renames it onto ``path`` or deletes it."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write ``data`` (text as UTF-8) to ``path`` via a temporary file in the same folder and a
    rename: a reader sees the old file or the new one, never a part."""
    tmp = stage_file(path, data)
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def commit_files(folder: Path, texts: dict[str, str]) -> None:
    """Write files in two phases: every temporary file first (flushed to disk), then the renames.

    A failure while writing leaves every file as it was; the renames are atomic
    per file and follow one another with no work in between.
    """
    temps: list[tuple[Path, Path]] = []
    try:
        for filename, text in texts.items():
            dest = folder / filename
            temps.append((stage_file(dest, text), dest))
        for tmp, dest in temps:
            os.replace(tmp, dest)
    finally:
        for tmp, _dest in temps:
            tmp.unlink(missing_ok=True)
