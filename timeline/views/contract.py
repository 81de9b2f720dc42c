"""What a rendered page is, for whoever renders it and whoever serves or saves it.

The kernel that renders the story (``notebooks/dashboard.ipynb``) is told how by environment
variables; the server (:mod:`timeline.serve`) and the exporter (:mod:`timeline.publish`)
read what it produced by its kind: the story, the validator's errors, or a failed render.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

#: The dashboard notebook of the checkout this package runs from (``timeline serve`` serves it,
#: ``timeline snapshot`` executes it); an installed package without one runs NOTEBOOK_SOURCE.
DASHBOARD_NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "dashboard.ipynb"
#: What ``notebooks/dashboard.ipynb`` runs.
NOTEBOOK_SOURCE = "from timeline.notebook import show\n\nshow()"
MODE_ENV = "TIMELINE_MODE"  # "dashboard" (Voila) or "snapshot" (nbconvert)
#: Set by `timeline serve`: the URL (relative to the page) of its ``events`` endpoint,
#: which lets the page hold a long list a page at a time (render.render_story).
LIST_URL_ENV = "TIMELINE_LIST_URL"
#: Set by `timeline serve`, and by `timeline snapshot --base-url`: each claim card links to
#: this URL with ``{id}`` replaced by the claim's id (the claim's own page).
CLAIM_HREF_ENV = "TIMELINE_CLAIM_HREF"
#: Where a claim's own page is, relative to the story's page: the same on the microsite and on
#: `timeline serve`, so a claim's permalink works on both.
CLAIM_HREF = "claims/{id}.html"

#: What a rendered page holds: the story, the validator's errors, or a failed render.
STORY, DATA_ERROR, FAILED = "story", "data-error", "failed"
FAILED_MARKER = 'data-timeline-failed="render"'
#: The story's root element (render.render_story) and the validator's error page's (error.html.j2).
STORY_ID = 'id="timeline-app"'
ERROR_ID = 'id="timeline-error"'
_PROBLEMS = re.compile(r'<ul class="tl-problems">(.*?)</ul>', re.S)
_ITEM = re.compile(r"<li>(.*?)</li>", re.S)
_TAG = re.compile(r"<[^>]+>")


def page_kind(page: str) -> str:
    """STORY, DATA_ERROR (the validator's messages) or FAILED (the notebook or its kernel)."""
    if FAILED_MARKER in page:
        return FAILED
    if STORY_ID in page:
        return STORY
    if ERROR_ID in page:
        return DATA_ERROR
    return FAILED


def page_problems(page: str) -> list[str]:
    """The validator's messages shown on a DATA_ERROR page, as plain text."""
    found = _PROBLEMS.search(page)
    if not found:
        return []
    return [html.unescape(_TAG.sub("", m)).strip() for m in _ITEM.findall(found.group(1))]
