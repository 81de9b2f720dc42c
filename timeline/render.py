"""HTML of the story: header, verdict legend, filters, chart container, events and claims.

STUB: being written. Signatures are final.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any


def render_story(ds: Any, *, mode: str = "dashboard") -> str:
    """The story as one HTML fragment (no <html>/<head>): a ``<div id="timeline-app">``."""
    items = "".join(f'<article id="event-{html.escape(r.id)}"><h3>{html.escape(r.title)}</h3></article>' for r in ds.events.itertuples())
    return f'<div id="timeline-app" class="tl-app" data-mode="{mode}"><div id="tl-chart" class="tl-chart"></div>{items}</div>'


def render_error(messages: list[str], folder: Path) -> str:
    """A short, plain error fragment naming the file and line of each problem."""
    lis = "".join(f"<li><code>{html.escape(m)}</code></li>" for m in messages)
    return f'<div id="timeline-error" class="tl-error" role="alert"><h1>This timeline cannot be shown</h1><ul>{lis}</ul></div>'
