"""What notebooks call: one function per notebook, so the notebooks hold no logic.

``notebooks/dashboard.ipynb`` runs ``show()``. The data folder comes from the
argument, else the ``TIMELINE_DATA`` environment variable (set by ``timeline
serve`` and ``timeline snapshot``; a relative one is read from where JupyterLab or
the server was launched), else the nearest ``data/`` folder upwards.
Broken data shows the validator's messages as a short page, never a traceback.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from .core.story import DATA_ENV, data_folder
from .views.contract import CLAIM_HREF_ENV, LIST_URL_ENV, MODE_ENV

__all__ = ["DATA_ENV", "MODE_ENV", "data_folder", "prepare", "show", "story_html"]


class _Prepared:
    """A story rendered ahead of time in a background thread (see :func:`prepare`)."""

    def __init__(self, folder: Path, mode: str) -> None:
        self.key = (folder.resolve(), mode, _stamp(folder))
        self.html: str | None = None
        self.thread = threading.Thread(target=self._run, name="timeline-prepare", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        try:
            self.html = _render(self.key[0], self.key[1])
        except Exception:  # show() renders again and reports it
            self.html = None

    def take(self, folder: Path, mode: str) -> str | None:
        """The prepared HTML if it is for ``folder`` and ``mode`` and the files are unchanged."""
        self.thread.join()
        if self.key != (folder.resolve(), mode, _stamp(folder)):
            return None
        return self.html


_prepared: _Prepared | None = None


def _stamp(folder: Path) -> tuple[tuple[str, int, int], ...]:
    """The data files' names, sizes and modification times (what ``timeline serve`` watches)."""
    from .core.watch import DataWatch

    return DataWatch(folder).stat()


def prepare() -> None:
    """Start rendering the story of ``TIMELINE_DATA`` in a background thread.

    ``timeline snapshot`` runs this while its kernel boots (``--IPKernelApp.exec_lines``),
    so that the render overlaps the exporter's own start-up; ``show()`` then uses the
    result when the data files have not changed since (same size and mtime), and
    renders afresh otherwise. Does nothing without ``TIMELINE_DATA``.
    """
    global _prepared
    if os.environ.get(DATA_ENV):
        _prepared = _Prepared(data_folder(), os.environ.get(MODE_ENV, "dashboard"))


def story_html(folder: str | os.PathLike[str] | None = None, *, mode: str | None = None) -> str:
    """The story's HTML fragment for ``folder``, or a plain error fragment for broken data."""
    global _prepared
    path = data_folder(folder)
    mode = mode or os.environ.get(MODE_ENV, "dashboard")
    prepared, _prepared = _prepared, None
    if prepared is not None:
        html = prepared.take(path, mode)
        if html is not None:
            return html
    return _render(path, mode)


def _render(path: Path, mode: str) -> str:
    from .core.dataset import load
    from .errors import TimelineError
    from .views.render import render_error, render_story

    try:
        ds = load(path)
    except TimelineError as e:
        return render_error([str(e)], path)
    errors = ds.errors()
    if errors:
        return render_error([str(p) for p in errors], path)
    list_url = os.environ.get(LIST_URL_ENV) if mode == "dashboard" else None
    claim_href = os.environ.get(CLAIM_HREF_ENV) or None
    return render_story(ds, mode=mode, list_url=list_url or None, claim_href=claim_href)


def show(folder: str | os.PathLike[str] | None = None) -> None:
    """Display the story (dashboard or snapshot body) as one HTML output."""
    from IPython.display import HTML, display

    display(HTML(story_html(folder)))
