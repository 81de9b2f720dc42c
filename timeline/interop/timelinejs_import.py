"""TimelineJS in: its JSON and its spreadsheet template (CSV) as a data folder.

Every slide becomes an event; every http(s) link in its text, caption and credit, and its
Media URL, becomes a source (id from the host and the link text, publisher = host). A slide
that cannot be converted (no link, no start year, a time without ``offset``, an impossible
date) is named by number and headline, with the CSV line, and nothing is written.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pandas as pd

from ..core.dataset import Dataset, save
from ..core.dates import explain
from ..core.schema import LIST_SEPARATOR
from ..core.store import write_atomic
from ..core.story import STORY_FILE
from ..core.text import clip
from ..core.urls import safe_url
from ..errors import DateError, ExportError, LoadError, ValidationError
from ..problems import Problem
from .htmltext import html_to_text

__all__ = [
    "CSV_COLUMNS",
    "ImportResult",
    "check_offset",
    "from_timelinejs_csv",
    "from_timelinejs_json",
    "import_timelinejs",
]

_OFFSET = re.compile(r"^(Z|[+-](\d{2}):(\d{2}))$")
CSV_COLUMNS = (
    "Year",
    "Month",
    "Day",
    "Time",
    "End Year",
    "End Month",
    "End Day",
    "End Time",
    "Display Date",
    "Headline",
    "Text",
    "Media",
    "Media Credit",
    "Media Caption",
    "Media Thumbnail",
    "Type",
    "Group",
    "Background",
)
DEFAULT_CATEGORY = "event"


@dataclass
class _Slide:
    """One TimelineJS slide, whatever it was read from."""

    where: str  # file (for messages)
    line: int | None  # CSV physical line; None for JSON
    number: int  # 1-based position among the file's slides (title and eras excluded)
    start: dict[str, str]
    end: dict[str, str]
    display_date: str
    headline: str
    text: str
    media: str
    credit: str
    caption: str
    group: str
    unique_id: str = ""


@dataclass
class ImportResult:
    """What an import converted: the dataset, the story's title, and the slides left out."""

    dataset: Dataset
    story: dict[str, str] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)


def _slug(text: str, limit: int = 60) -> str:
    """A contract id: ASCII letters and digits joined by hyphens, cut at a word boundary."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    s = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(s) > limit:
        s = s[: limit + 1].rsplit("-", 1)[0] if "-" in s[:limit] else s[:limit]
    return s.strip("-")


def _unique(base: str, taken: set[str], fallback: str) -> str:
    base = base or fallback
    out, n = base, 2
    while out in taken:
        out, n = f"{base}-{n}", n + 1
    taken.add(out)
    return out


def check_offset(offset: str | None) -> str | None:
    """``offset`` if it is a UTC offset (``+03:00``, ``-05:00``, ``Z``); raises :class:`~timeline.errors.DateError` otherwise."""
    if offset is None:
        return None
    m = _OFFSET.match(offset.strip())
    if not m or (m.group(2) and (int(m.group(2)) > 14 or int(m.group(3)) > 59)):
        raise DateError(f"offset '{offset}' is not a UTC offset; write it as +03:00, -05:00 or Z")
    return offset.strip()


def _num(value: Any) -> str:
    return "" if value is None else str(value).strip()


_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*([AaPp][Mm])?$")


def _contract_date(parts: dict[str, str], offset: str | None, label: str) -> tuple[str, str | None]:
    """``(contract date text, problem)`` from TimelineJS date parts."""
    year, month, day = parts.get("year", ""), parts.get("month", ""), parts.get("day", "")
    hour, minute, second = parts.get("hour", ""), parts.get("minute", ""), parts.get("second", "")
    if not year:
        if any((month, day, hour, minute)):
            return "", f"{label} has no year; give the year"
        return "", None
    if not re.fullmatch(r"\d{1,4}", year):
        return "", (
            f"{label} year '{year}' is not a year from 0 to 9999; the data contract has no BCE or "
            "cosmological dates, so leave this slide out or give a year in that range"
        )
    text = f"{int(year):04d}"
    for value, name in ((month, "month"), (day, "day")):
        if not value:
            break
        if not value.isdigit():
            return "", f"{label} {name} '{value}' is not a number"
        text += f"-{int(value):02d}"
    if day and not month:
        return "", f"{label} has a day but no month; give the month"
    if hour:
        if not day:
            return "", f"{label} has a time but no day; give the month and day"
        if not (
            hour.isdigit() and (not minute or minute.isdigit()) and (not second or second.isdigit())
        ):
            return "", f"{label} time '{hour}:{minute}' is not a time of day"
        if offset is None:
            return "", (
                f"{label} has a time ({int(hour):02d}:{int(minute or 0):02d}) but TimelineJS times carry no UTC "
                "offset; re-run with --offset (e.g. --offset +03:00 for Baghdad, --offset Z for UTC) "
                "naming the clock the times were read on"
            )
        text += f"T{int(hour):02d}:{int(minute or 0):02d}"
        if second:
            text += f":{int(second):02d}"
        text += offset
    problem = explain(text)
    return (text, None) if problem is None else ("", f"{label}: {problem}")


def _time_parts(value: str) -> dict[str, str] | str:
    """``Time`` cell -> hour/minute/second, or an error message."""
    value = value.strip()
    if not value:
        return {}
    m = _TIME.match(value)
    if not m:
        return f"time '{value}' is not a time of day; write it as HH:MM (24-hour) or H:MM AM/PM"
    hour = int(m.group(1))
    if m.group(4):
        if not 1 <= hour <= 12:
            return f"time '{value}' has hour {hour}, which a 12-hour clock does not have"
        hour = hour % 12 + (12 if m.group(4).lower() == "pm" else 0)
    return {"hour": str(hour), "minute": m.group(2), "second": m.group(3) or ""}


def _where(s: _Slide) -> str:
    return f"slide {s.number} ('{clip(s.headline, 60)}')"


def _host(url: str) -> str:
    host = urlsplit(url).hostname or ""
    return host[4:] if host.startswith("www.") else host


@dataclass
class _Read:
    """What one slide gives: its event's cells, the links it cites, and what stops it."""

    cells: dict[str, str]
    links: list[tuple[str, str]]  # (url, label), http(s) only
    bad: list[str]


def _read_slide(s: _Slide, offset: str | None) -> _Read:
    """The slide's headline, dates, text and links, each problem worded for the slide."""
    here = _where(s)
    bad: list[str] = []
    headline = html_to_text(s.headline).text
    if not headline:
        bad.append(f"{here} has no headline; give it one (the event's title)")
    start, problem = _contract_date(s.start, offset, "its start date")
    if problem:
        bad.append(f"{here}: {problem}")
    elif not start:
        bad.append(f"{here} has no start date; give at least the year")
    end, problem = _contract_date(s.end, offset, "its end date")
    if problem:
        bad.append(f"{here}: {problem}")
    body = html_to_text(s.text)
    links = list(body.links)
    media = safe_url(s.media)
    caption = html_to_text(s.caption)
    credit = html_to_text(s.credit)
    summary = body.text
    media_title = caption.text or credit.text or f"Media: {headline}"
    if media:
        links.append((media, media_title))
    elif s.media.strip():  # an embedded quote or HTML, not a link: keep its words and links
        quoted = html_to_text(s.media)
        summary = "\n\n".join(x for x in (summary, quoted.text) if x)
        links += quoted.links
        # An embed code (<iframe src="...">) cites the page it shows, as a Media URL does.
        links += [(src, media_title) for src in quoted.embeds]
    links += caption.links + credit.links
    cells = {
        "start": start,
        "end": end,
        "display_date": html_to_text(s.display_date).text,
        "title": headline,
        "summary": summary,
        "category": html_to_text(s.group).text or DEFAULT_CATEGORY,
        "actors": "",
        "location": "",
    }
    return _Read(cells, [(u, t) for u, t in links if safe_url(u)], bad)


def _cite(
    links: list[tuple[str, str]], sources: dict[str, dict[str, str]], source_ids: set[str]
) -> str:
    """The ``sources`` cell for ``links``: each URL a source (added to ``sources`` on first sight)."""
    cited: list[str] = []
    for url, label in links:
        if url not in sources:
            host = _host(url)
            title_text = label.strip() or host
            sid = _unique(
                _slug(host if title_text == host else f"{host} {title_text}"),
                source_ids,
                "source",
            )
            sources[url] = {"id": sid, "title": title_text, "publisher": host, "url": url}
        cited.append(sources[url]["id"])
    return LIST_SEPARATOR.join(dict.fromkeys(cited))


def _convert(
    slides: list[_Slide], title: dict[str, str], *, offset: str | None, skip_unsourced: bool
) -> ImportResult:
    offset = check_offset(offset)
    problems: list[Problem] = []
    skipped: list[str] = []
    events: list[dict[str, str]] = []
    sources: dict[str, dict[str, str]] = {}  # by URL
    source_ids: set[str] = set()
    event_ids: set[str] = set()
    for s in slides:
        read = _read_slide(s, offset)
        if not read.links:
            here = _where(s)
            if skip_unsourced:
                skipped.append(
                    f"{here}: no http(s) link in its text, media, caption or credit, so no source"
                )
                continue
            read.bad.append(
                f"{here} has no link to a source: every event must cite at least one, and its text, "
                "media, caption and credit hold no http(s) link; add a link to the slide's text "
                '(<a href="https://...">title</a>) or an http(s) '
                "Media URL, or re-run with --skip-unsourced to leave the slide out"
            )
        if read.bad:
            problems += [Problem(s.where, s.line, None, b) for b in read.bad]
            continue
        eid = _unique(_slug(s.unique_id or read.cells["title"]), event_ids, f"slide-{s.number}")
        events.append({"id": eid, **read.cells, "sources": _cite(read.links, sources, source_ids)})
    if problems:
        raise ValidationError(problems, action="import")
    ds = Dataset(
        {
            "events": pd.DataFrame(events, dtype=object),
            "sources": pd.DataFrame(list(sources.values()), dtype=object),
        }
    )
    errors = ds.errors()
    if errors:
        raise ValidationError(errors, action="import")
    story = {k: html_to_text(v).text for k, v in title.items() if v}
    return ImportResult(ds, story, skipped)


def _parts(obj: Any) -> dict[str, str]:
    if not isinstance(obj, dict):
        return {}
    return {k: _num(obj.get(k)) for k in ("year", "month", "day", "hour", "minute", "second")}


def _text_of(obj: Any, key: str) -> str:
    value = obj.get(key) if isinstance(obj, dict) else None
    return value if isinstance(value, str) else ""


def _read_json(path: Path, *, offset: str | None, skip_unsourced: bool) -> ImportResult:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        line = getattr(e, "lineno", None)
        where = f"{path}:{line}" if line else str(path)
        raise LoadError(f"{where}: not a readable UTF-8 JSON file ({e})", str(path)) from e
    if not isinstance(data, dict) or not isinstance(data.get("events"), list):
        raise LoadError(
            f"{path}: not TimelineJS JSON: it needs an object with an 'events' list", str(path)
        )
    slides = []
    for i, ev in enumerate(data["events"], start=1):
        ev = ev if isinstance(ev, dict) else {}
        text, media = ev.get("text") or {}, ev.get("media") or {}
        shown = _text_of(ev, "display_date") or _text_of(ev.get("start_date"), "display_date")
        slides.append(
            _Slide(
                str(path),
                None,
                i,
                _parts(ev.get("start_date")),
                _parts(ev.get("end_date")),
                shown,
                _text_of(text, "headline"),
                _text_of(text, "text"),
                _text_of(media, "url"),
                _text_of(media, "credit"),
                _text_of(media, "caption"),
                _num(ev.get("group")),
                _num(ev.get("unique_id")),
            )
        )
    t = data.get("title")
    if not isinstance(t, dict):
        t = {}
    title = {
        "title": _text_of(t.get("text"), "headline"),
        "standfirst": _text_of(t.get("text"), "text"),
    }
    return _convert(slides, title, offset=offset, skip_unsourced=skip_unsourced)


def _read_csv(path: Path, *, offset: str | None, skip_unsourced: bool) -> ImportResult:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        raise LoadError(
            f"{path}: not a readable UTF-8 file ({e}); export the sheet as CSV UTF-8", str(path)
        ) from e
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[tuple[int, list[str]]] = []
    last = 0
    try:
        for row in reader:
            first_line, last = last + 1, reader.line_num
            if row and any(c.strip() for c in row):
                rows.append((first_line, row))
    except csv.Error as e:
        raise LoadError(f"{path}:{last + 1}: {e}; a quote must close its cell", str(path)) from e
    if not rows:
        raise LoadError(f"{path}: the file is empty; it needs the TimelineJS header row", str(path))
    header = [h.strip() for h in rows[0][1]]
    missing = [c for c in ("Year", "Headline", "Text") if c not in header]
    if missing:
        raise LoadError(
            f"{path}:{rows[0][0]}: not a TimelineJS spreadsheet: missing column(s) {', '.join(missing)}; "
            f"the header is: {','.join(CSV_COLUMNS)}",
            str(path),
        )
    slides: list[_Slide] = []
    title: dict[str, str] = {}
    problems: list[Problem] = []
    for line, row in rows[1:]:
        cell = dict(zip(header, [c.strip() for c in row]))
        kind = cell.get("Type", "").lower()
        if kind == "title":
            title = {"title": cell.get("Headline", ""), "standfirst": cell.get("Text", "")}
            continue
        if kind == "era":
            continue  # eras are bands across the timeline, not events
        start = {
            "year": cell.get("Year", ""),
            "month": cell.get("Month", ""),
            "day": cell.get("Day", ""),
        }
        end = {
            "year": cell.get("End Year", ""),
            "month": cell.get("End Month", ""),
            "day": cell.get("End Day", ""),
        }
        for parts, col in ((start, "Time"), (end, "End Time")):
            t = _time_parts(cell.get(col, ""))
            if isinstance(t, str):
                problems.append(Problem(str(path), line, col, t))
            else:
                parts.update(t)
        slides.append(
            _Slide(
                str(path),
                line,
                len(slides) + 1,
                start,
                end,
                cell.get("Display Date", ""),
                cell.get("Headline", ""),
                cell.get("Text", ""),
                cell.get("Media", ""),
                cell.get("Media Credit", ""),
                cell.get("Media Caption", ""),
                cell.get("Group", ""),
            )
        )
    try:
        result = _convert(slides, title, offset=offset, skip_unsourced=skip_unsourced)
    except ValidationError as e:
        raise ValidationError(problems + e.problems, action="import") from None
    if problems:
        raise ValidationError(problems, action="import")
    return result


def from_timelinejs_json(
    path: str | os.PathLike[str], *, offset: str | None = None, skip_unsourced: bool = False
) -> Dataset:
    """A dataset from TimelineJS JSON; raises ``ValidationError`` naming each slide it cannot convert."""
    return _read_json(Path(path), offset=offset, skip_unsourced=skip_unsourced).dataset


def from_timelinejs_csv(
    path: str | os.PathLike[str], *, offset: str | None = None, skip_unsourced: bool = False
) -> Dataset:
    """A dataset from the TimelineJS spreadsheet template saved as CSV."""
    return _read_csv(Path(path), offset=offset, skip_unsourced=skip_unsourced).dataset


def import_timelinejs(
    path: str | os.PathLike[str],
    folder: str | os.PathLike[str],
    *,
    offset: str | None = None,
    skip_unsourced: bool = False,
) -> ImportResult:
    """Convert a TimelineJS ``.json`` or ``.csv`` file into a new data folder.

    Writes events.csv, claims.csv (header only), sources.csv and story.json (the title
    slide) via :func:`timeline.save`; refuses a folder that already holds data and writes
    nothing when any slide cannot be converted.
    """
    src, dest = Path(path), Path(folder)
    if not src.is_file():
        raise LoadError(f"{src}: no such file; give a TimelineJS .json or .csv file", str(src))
    taken = [
        n for n in ("events.csv", "claims.csv", "sources.csv", STORY_FILE) if (dest / n).exists()
    ]
    if taken:
        raise ExportError(
            f"{dest} already holds {', '.join(taken)}; import into a new or empty folder and merge by hand"
        )
    reader = _read_csv if src.suffix.lower() == ".csv" else _read_json
    result = reader(src, offset=offset, skip_unsourced=skip_unsourced)
    result.written = save(result.dataset, dest)
    if result.story.get("title"):
        write_atomic(
            dest / STORY_FILE, json.dumps(result.story, ensure_ascii=False, indent=2) + "\n"
        )
        result.written.append(STORY_FILE)
    return result
