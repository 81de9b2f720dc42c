"""The page's static assets: our stylesheet and script, and the vendored plotly.js bundle.

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


#: plotly.js "basic" bundle (scatter, bar, pie) v4.1.1, MIT licence, vendored from npm
#: (plotly.js-basic-dist-min): the version plotly.py 7.1 ships, a quarter of the size of the
#: full bundle (1.2 MB against 4.8 MB). The dashboard serves it as a file: the browser paints
#: the story while it loads, then evaluates it in a quarter of the time. timeline.js only
#: draws scatter traces and checks for scattergl before using it.
PLOTLY_BASIC = STATIC / "vendor" / "plotly-basic.min.js"


@cache
def plotly_js() -> str:
    """The full plotly.min.js shipped inside the plotly package, for inlining (snapshots).

    Snapshots keep the full bundle: inlined at the end of the page, its long evaluation
    lets the browser paint the story's text first (measured: text at ~0.1 s).
    """
    from plotly.offline import get_plotlyjs

    return get_plotlyjs()


def plotly_js_path() -> Path:
    """The plotly.js bundle the dashboard serves as a file: the vendored basic bundle."""
    if not PLOTLY_BASIC.exists():
        raise FileNotFoundError(f"{PLOTLY_BASIC} is missing; reinstall the timeline package")
    return PLOTLY_BASIC
