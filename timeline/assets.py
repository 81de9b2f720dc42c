"""The page's static assets: our stylesheet and script, and plotly.js.

Pages include ``timeline.css`` in the head, then the story fragment, then plotly.js
and ``timeline.js`` after it (for stories over 100 events the snapshot places them
after the first 100 cards, so the chart draws while the rest of the list is parsed).
The dashboard serves the vendored basic bundle as a file (``plotly_js_path``);
snapshots inline the full bundle from the plotly package (``plotly_js``).
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
