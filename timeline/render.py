"""HTML of the story: header, verdict legend, filters, chart container, and every event and claim.

``render_story`` returns one HTML fragment (no ``<html>`` or ``<head>``) shared by
the Voila dashboard and the nbconvert snapshot. All text from the CSV files is
escaped by Jinja's autoescaping; only http(s) URLs are ever emitted as links.
The fragment carries the chart's data as JSON that ``static/timeline.js`` reads.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
import pandas as pd

from .corrections import render_corrections
from .dates import humanize
from .figure import chart_data, event_frame, verdict_styles
from .schema import NO_CLAIMS, VERDICT_BY_KEY, VERDICTS, Verdict
from .story import story_meta
from .validate import URL_PATTERN

GLYPHS = {
    "circle": "●",
    "diamond": "◆",
    "square": "■",
    "triangle-up": "▲",
    "x": "✕",
    "circle-open": "○",
    "line-ns-open": "│",
}
_URL = re.compile(URL_PATTERN)


@lru_cache(maxsize=1)
def _env() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("timeline", "templates/story"),
        autoescape=True,
        trim_blocks=False,
        lstrip_blocks=False,
        undefined=jinja2.StrictUndefined,
    )


def safe_url(value: str) -> str:
    """``value`` if it is an absolute http(s) URL, else ``""`` (never emit another scheme)."""
    value = (value or "").strip()
    return value if _URL.fullmatch(value) else ""


def json_for_script(data: Any) -> str:
    """JSON that is safe inside ``<script type="application/json">`` (no ``</script>`` break-out)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026").replace(
        "\u2028", "\\u2028"
    ).replace("\u2029", "\\u2029")


def _verdict_view(v: Verdict) -> dict[str, Any]:
    return {"key": v.key, "label": v.label, "meaning": v.meaning, "glyph": GLYPHS.get(v.symbol, "●")}


def _split(value: str) -> list[str]:
    return [x.strip() for x in (value or "").split(";") if x.strip()]


def render_story(ds: Any, *, mode: str = "dashboard", only: list[str] | None = None) -> str:
    """The story as one HTML fragment: a ``<div id="timeline-app">`` with every event and claim.

    ``only`` limits the list to those event ids (for previews of one card).
    """
    frame = event_frame(ds)
    if only is not None:
        frame = frame[frame["id"].isin(only)].reset_index(drop=True)
    events = ds.events.set_index("id", drop=False)
    claims = ds.claims
    sources = {}
    for s in ds.sources.itertuples(index=False):
        sources[s.id] = {
            "id": s.id,
            "title": s.title,
            "publisher": s.publisher,
            "url": safe_url(s.url),
            "archived_url": safe_url(s.archived_url),
            "published": s.published.strip(),
            "published_label": humanize(s.published) if s.published.strip() else "",
        }

    def source(sid: str) -> dict[str, Any]:
        return sources.get(sid) or {"id": sid, "title": sid, "publisher": "unknown source", "url": "",
                                    "archived_url": "", "published": "", "published_label": ""}

    verdict_views = {v.key: _verdict_view(v) for v in (*VERDICTS, NO_CLAIMS)}
    claims_by_event: dict[str, list[dict[str, Any]]] = {}
    for c in claims.itertuples(index=False):
        claims_by_event.setdefault(c.event_id, []).append(
            {
                "id": c.id,
                "claimant": c.claimant,
                "claim": c.claim,
                "verdict": verdict_views.get(c.verdict, verdict_views[NO_CLAIMS.key]),
                "rationale": c.rationale,
                "said_in": source(c.said_in.strip()),
                "evidence": [source(x) for x in _split(c.evidence)],
                "reviewed": c.reviewed.strip(),
                "reviewed_label": humanize(c.reviewed),
            }
        )

    items = []
    for row in frame.itertuples(index=False):
        e = events.loc[row.id]
        if isinstance(e, pd.DataFrame):  # duplicate ids cannot pass validation; be defensive
            e = e.iloc[0]
        timed = row.precision in ("minute", "second")
        items.append(
            {
                "id": row.id,
                "title": row.title,
                "start": e["start"].strip(),
                "start_label": row.label_own,
                "zones": [row.label_own, row.label_utc, row.label_london] if timed else None,
                "end": e["end"].strip(),
                "end_label": humanize(e["end"]) if e["end"].strip() else "",
                "display_date": row.display_date,
                "category": row.category,
                "actors": row.actors,
                "location": e["location"].strip(),
                "summary": e["summary"],
                "sources": [source(x) for x in _split(e["sources"])],
                "claims": claims_by_event.get(row.id, []),
                "verdict": verdict_views[row.verdict],
            }
        )

    reviewed = claims["reviewed_at"].dropna()
    last = ""
    if len(reviewed):
        last = claims.loc[reviewed.idxmax(), "reviewed"].strip()
    starts = frame["s"] if len(frame) else pd.Series(dtype="int64")
    ends = frame["e"] if len(frame) else pd.Series(dtype="int64")
    date_min = pd.Timestamp(int(starts.min()), unit="ms").strftime("%Y-%m-%d") if len(starts) else ""
    date_max = (pd.Timestamp(int(ends.max()), unit="ms") - pd.Timedelta(milliseconds=1)).strftime("%Y-%m-%d") if len(ends) else ""
    actors = sorted({a for xs in frame["actors"] for a in xs}, key=str.casefold)
    data = {"events": chart_data(frame), "verdicts": verdict_styles(), "mode": mode}
    return _env().get_template("story.html.j2").render(
        mode=mode,
        meta=story_meta(ds.folder),
        events=items,
        verdicts=[verdict_views[v.key] for v in VERDICTS],
        categories=sorted(set(frame["category"]), key=str.casefold),
        actors=actors,
        n_events=len(items),
        n_claims=len(claims),
        last_updated=last,
        last_updated_label=humanize(last) if last else "",
        date_min=date_min,
        date_max=date_max,
        data_json=jinja2.utils.markupsafe.Markup(json_for_script(data)),
        corrections=render_corrections(ds),
    )


def render_event_card(ds: Any, event_id: str) -> str:
    """One event's card (as in the list), e.g. for the authoring notebook's preview."""
    html = render_story(ds, only=[event_id])
    start = html.find(f'<li class="tl-event" id="event-{event_id}"')
    if start < 0:
        raise KeyError(f"no event with id '{event_id}'")
    end = html.find("</li>\n", html.find("</article>", start))
    return html[start : end + 5]


def render_error(messages: list[str], folder: Path) -> str:
    """A short, plain error fragment naming the file and line of each problem (no traceback)."""
    prefix = str(Path(folder))
    shown = [m.replace(prefix, Path(folder).name) for m in messages]
    return _env().get_template("error.html.j2").render(messages=shown, folder=Path(folder).name)


__all__ = ["render_error", "render_event_card", "render_story", "safe_url", "VERDICT_BY_KEY"]
