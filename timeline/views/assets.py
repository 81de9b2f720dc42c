"""The page's static assets: our stylesheet and script, and plotly.js.

Pages include ``timeline.css`` in the head, then the story fragment, then plotly.js
and ``timeline.js`` after it (one file, joined here from the parts in ``static/timeline/``,
one per job: see :data:`SCRIPT_PARTS`) (for stories over 100 events the snapshot places them
after the first 100 cards, so the chart draws while the rest of the list is parsed).
Both use the vendored plotly.js basic bundle: the dashboard serves it as a file
(``plotly_js_path``), snapshots inline it (``plotly_js``) and run it after the first
paint (``snapshot.LOADER``).
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path

STATIC = Path(str(files("timeline.views") / "static"))
ASSET_NAMES = ("timeline.css", "timeline.js", "share.js")

#: The page's script, one file per job, in the order they are joined into ``timeline.js``:
#: shared helpers and the Timeline object; time-zone labels; fetching with retry; the list and
#: its filters; the chart's traces; selection and the URL hash; a static site's list, chart data and
#: search from files; mounting on the page. Each part
#: declares what it takes from the others in a ``/* global ... */`` line (ESLint checks it,
#: ``make lint``); tests/js runs the pure ones under Node's test runner.
SCRIPT_PARTS = ("base.js", "zones.js", "fetch.js", "list.js", "chart.js", "select.js", "files.js", "mount.js")
SCRIPT_DIR = STATIC / "timeline"


def script_text() -> str:
    """``timeline.js``: the parts of :data:`SCRIPT_PARTS` in one strict-mode function scope."""
    parts = [
        f"/* {name} */\n{(SCRIPT_DIR / name).read_text(encoding='utf-8')}" for name in SCRIPT_PARTS
    ]
    return '(function () {\n"use strict";\n' + "\n".join(parts) + "})();\n"


@cache
def asset_text(name: str) -> str:
    """The text of one of our static assets (``timeline.css``, ``timeline.js``, ``share.js``)."""
    if name not in ASSET_NAMES:
        raise KeyError(f"unknown asset '{name}'; one of {', '.join(ASSET_NAMES)}")
    if name == "timeline.js":
        return script_text()
    return (STATIC / name).read_text(encoding="utf-8")


#: plotly.js "basic" bundle (scatter, bar, pie) v4.1.1, MIT licence, vendored from npm
#: (plotly.js-basic-dist-min): the version plotly.py 7.1 ships, a quarter of the size of the
#: full bundle (1.2 MB against 4.8 MB). The dashboard serves it as a file: the browser paints
#: the story while it loads, then evaluates it in a quarter of the time. timeline.js only
#: draws scatter traces (a story with many events in view is drawn as groups, never with WebGL).
PLOTLY_BASIC = STATIC / "vendor" / "plotly-basic.min.js"


@cache
def plotly_js() -> str:
    """The plotly.js that snapshots inline: the vendored basic bundle (1.2 MB, scatter only).

    It is what the dashboard serves too. Snapshots run it after the story's text is
    painted (``snapshot.LOADER``); evaluating it takes a quarter of the full bundle's time.
    """
    return plotly_js_path().read_text(encoding="utf-8")


def plotly_js_path() -> Path:
    """The plotly.js bundle the dashboard serves as a file: the vendored basic bundle."""
    if not PLOTLY_BASIC.exists():
        raise FileNotFoundError(f"{PLOTLY_BASIC} is missing; reinstall the timeline package")
    return PLOTLY_BASIC
