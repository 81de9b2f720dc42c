"""TimelineJS in and out: one function pair per format.

``to_timelinejs(ds) -> dict`` builds TimelineJS3's JSON; ``from_timelinejs_json(path)`` and
``from_timelinejs_csv(path)`` read its JSON and its spreadsheet template into a
:class:`~timeline.core.dataset.Dataset`: they, and ``import_timelinejs``, live in
:mod:`timeline.interop.timelinejs_import`. ``export_timelinejs`` is the file-level step
``timeline export-timelinejs`` calls.

Dates keep their precision both ways (``2020``, ``2020-01``, ``2020-01-05``, a time). TimelineJS
has no time zones: a time is exported as the wall time of the event's own UTC offset, and the
slide's ``display_date`` names that offset; on import a time needs an explicit ``offset``.
All CSV text is escaped on export, and only http(s) links are emitted.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

from ..core.dataset import Dataset, load
from ..core.dates import humanize, parse
from ..core.schema import VERDICT_BY_KEY, split_list
from ..core.store import write_atomic
from ..core.story import story_meta
from ..core.urls import safe_url
from ..errors import ExportError, ValidationError

__all__ = ["export_timelinejs", "to_timelinejs"]

REL = "noopener noreferrer"


def _date_object(text: str) -> dict[str, int] | None:
    """TimelineJS date parts at the date's own precision; times on their own clock."""
    text = (text or "").strip()
    if not text:
        return None
    p = parse(text)
    t = p.local
    out = {"year": t.year}
    if p.precision in ("month", "day", "minute", "second"):
        out["month"] = t.month
    if p.precision in ("day", "minute", "second"):
        out["day"] = t.day
    if p.precision in ("minute", "second"):
        out["hour"] = t.hour
        out["minute"] = t.minute
    if p.precision == "second":
        out["second"] = t.second
    return out


def _has_time(text: str) -> bool:
    return "T" in (text or "")


def _display_date(event: dict[str, str]) -> str | None:
    """The slide's date line: the analyst's own, else one naming the clock for times."""
    own = event.get("display_date", "").strip()
    if own:
        return own
    start, end = event.get("start", "").strip(), event.get("end", "").strip()
    if not (_has_time(start) or _has_time(end)):
        return None  # TimelineJS shows a year, month or day at its own precision
    text = humanize(start)
    if end:
        text += " – " + humanize(end)
    return text


def _link(url: str, label: str) -> Markup:
    return Markup('<a href="{}" target="_blank" rel="{}">{}</a>').format(url, REL, label)


def _source_html(src: dict[str, str] | None, sid: str) -> Markup:
    if src is None:
        return Markup("<li>{}</li>").format(sid)
    title = src.get("title", "").strip() or sid
    url = safe_url(src.get("url", ""))
    archived = safe_url(src.get("archived_url", ""))
    head = _link(url, title) if url else escape(title)
    meta = [src.get("publisher", "").strip()]
    if not url:
        meta.append("no verified link")
    tail = Markup("; ").join(escape(m) for m in meta if m)
    if archived:
        tail = Markup("{}; {}").format(tail, _link(archived, "archived copy"))
    return Markup('<li class="tl-source">{} ({})</li>').format(head, tail)


def _event_html(
    event: dict[str, str], claims: list[dict[str, str]], sources: dict[str, dict[str, str]]
) -> str:
    parts: list[Markup] = []
    summary = event.get("summary", "").strip()
    if summary:
        parts.append(Markup('<p class="tl-summary">{}</p>').format(summary))
    cited: list[str] = split_list(event.get("sources", ""))
    if claims:
        items = []
        for c in claims:
            v = VERDICT_BY_KEY.get(c.get("verdict", "").strip())
            label = v.label if v else c.get("verdict", "")
            items.append(
                Markup(
                    '<li class="tl-claim" data-verdict="{}"><p><span class="tl-claimant">{}</span>: '
                    "<q>{}</q></p><p><strong>Verdict: {}.</strong> {}</p></li>"
                ).format(
                    c.get("verdict", ""),
                    c.get("claimant", ""),
                    c.get("claim", ""),
                    label,
                    c.get("rationale", ""),
                )
            )
            cited += split_list(c.get("said_in", "")) + split_list(c.get("evidence", ""))
        parts.append(Markup('<ul class="tl-claims">{}</ul>').format(Markup("").join(items)))
    unique = list(dict.fromkeys(cited))
    if unique:
        parts.append(
            Markup('<p class="tl-sources-h">Sources:</p><ul class="tl-sources">{}</ul>').format(
                Markup("").join(_source_html(sources.get(s), s) for s in unique)
            )
        )
    return str(Markup("").join(parts))


def to_timelinejs(ds: Dataset) -> dict[str, Any]:
    """TimelineJS3 JSON for ``ds``: a title slide and one slide per event, claims and sources as HTML."""
    meta = story_meta(ds.folder)
    events = ds.records("events")
    claims = ds.records("claims")
    sources = {s["id"].strip(): s for s in ds.records("sources")}
    by_event: dict[str, list[dict[str, str]]] = {}
    for c in claims:
        by_event.setdefault(c["event_id"].strip(), []).append(c)
    slides: list[dict[str, Any]] = []
    for e in events:
        eid = e["id"].strip()
        slide: dict[str, Any] = {
            "unique_id": eid,
            "start_date": _date_object(e["start"]),
            "text": {
                "headline": str(escape(e["title"].strip())),
                "text": _event_html(e, by_event.get(eid, []), sources),
            },
            "group": e["category"].strip(),
        }
        end = _date_object(e.get("end", ""))
        if end:
            slide["end_date"] = end
        shown = _display_date(e)
        if shown:
            slide["display_date"] = str(escape(shown))
        slides.append(slide)
    title_text = meta.get("standfirst", "").strip()
    return {
        "title": {
            "text": {
                "headline": str(escape(meta["title"])),
                "text": str(Markup('<p class="tl-standfirst">{}</p>').format(title_text))
                if title_text
                else "",
            }
        },
        "events": slides,
        "scale": "human",
    }


def export_timelinejs(folder: str | os.PathLike[str], out: str | os.PathLike[str] | None) -> str:
    """Write ``folder`` as TimelineJS JSON to ``out`` (``None``: return the text only).

    Refuses a folder with errors. Returns the JSON text.
    """
    ds = load(folder)
    errors = ds.errors()
    if errors:
        raise ValidationError(errors, action="export")
    text = json.dumps(to_timelinejs(ds), ensure_ascii=False, indent=2) + "\n"
    if out is not None:
        path = Path(out)
        if not path.parent.is_dir():
            raise ExportError(
                f"{path}: folder {path.parent} does not exist; create it or choose another -o path"
            )
        write_atomic(path, text)
    return text
