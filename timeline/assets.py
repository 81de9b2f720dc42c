"""The page's static assets: our stylesheet and script, and plotly.js from the plotly package.

Pages include, in this order: ``timeline.css`` in the head; the story fragment;
then ``plotly.min.js`` and ``timeline.js`` at the end of the body, so the story's
text is readable before any script runs.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path

STATIC = Path(str(files("timeline") / "static"))
ASSET_NAMES = ("timeline.css", "timeline.js")


@cache
def asset_text(name: str) -> str:
    """The text of one of our static assets (``timeline.css`` or ``timeline.js``)."""
    if name not in ASSET_NAMES:
        raise KeyError(f"unknown asset '{name}'; one of {', '.join(ASSET_NAMES)}")
    return (STATIC / name).read_text(encoding="utf-8")


@cache
def plotly_js() -> str:
    """plotly.min.js as shipped inside the installed plotly package (no CDN)."""
    from plotly.offline import get_plotlyjs

    return get_plotlyjs()


def plotly_js_path() -> Path:
    """Where plotly.min.js lies inside the installed plotly package (to serve it as a file)."""
    import plotly

    path = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing; reinstall plotly")
    return path
