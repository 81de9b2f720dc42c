"""What notebooks call: one function per notebook, so the notebooks hold no logic.

``notebooks/dashboard.ipynb`` runs ``show()``. The data folder comes from the
argument, else the ``TIMELINE_DATA`` environment variable (set by ``timeline
serve`` and ``timeline snapshot``), else the nearest ``data/`` folder upwards.
Broken data shows the validator's messages as a short page, never a traceback.
"""

from __future__ import annotations

import os
from pathlib import Path

DATA_ENV = "TIMELINE_DATA"
MODE_ENV = "TIMELINE_MODE"  # "dashboard" (Voila) or "snapshot" (nbconvert)
#: Set by `timeline serve`: the URL (relative to the page) of its ``events`` endpoint,
#: which lets the page hold a long list a page at a time (render.render_story).
LIST_URL_ENV = "TIMELINE_LIST_URL"


def data_folder(folder: str | os.PathLike[str] | None = None) -> Path:
    if folder is not None:
        return Path(folder)
    if os.environ.get(DATA_ENV):
        return Path(os.environ[DATA_ENV])
    here = Path.cwd()
    for candidate in (here, *here.parents):
        if (candidate / "data" / "events.csv").exists():
            return candidate / "data"
    return here / "data"


def story_html(folder: str | os.PathLike[str] | None = None, *, mode: str | None = None) -> str:
    """The story's HTML fragment for ``folder``, or a plain error fragment for broken data."""
    from .dataset import load
    from .errors import TimelineError
    from .render import render_error, render_story

    path = data_folder(folder)
    mode = mode or os.environ.get(MODE_ENV, "dashboard")
    try:
        ds = load(path)
    except TimelineError as e:
        return render_error([str(e)], path)
    errors = ds.errors()
    if errors:
        return render_error([str(p) for p in errors], path)
    list_url = os.environ.get(LIST_URL_ENV) if mode == "dashboard" else None
    return render_story(ds, mode=mode, list_url=list_url or None)


def show(folder: str | os.PathLike[str] | None = None) -> None:
    """Display the story (dashboard or snapshot body) as one HTML output."""
    from IPython.display import HTML, display

    display(HTML(story_html(folder)))
