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

import base64
import re
from functools import cache
from importlib.resources import files
from pathlib import Path

from ..i18n.tags import language

STATIC = Path(str(files("timeline.views") / "static"))
ASSET_NAMES = ("timeline.css", "timeline.js", "share.js")

#: The page's script, one file per job, in the order they are joined into ``timeline.js``:
#: shared helpers and the Timeline object; the words in the story's language; time-zone labels;
#: fetching with retry; the list and its filters; the chart's traces; selection and the URL hash; a
#: static site's list, chart data and search from files; mounting on the page (a long story's
#: chart drawn from its groups before its data comes). Each part
#: declares what it takes from the others in a ``/* global ... */`` line (ESLint checks it,
#: ``make lint``); tests/js runs the pure ones under Node's test runner.
SCRIPT_PARTS = (
    "base.js",
    "i18n.js",
    "zones.js",
    "fetch.js",
    "list.js",
    "chart.js",
    "select.js",
    "files.js",
    "mount.js",
)
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


#: The page font for Arabic script (Persian, Arabic, Urdu, Kurdish...): Noto Sans Arabic 2.005 from
#: Debian's fonts-noto-core, OFL 1.1 (``static/fonts/OFL.txt``), cut to the Arabic-script blocks and
#: converted to WOFF2 (``make webfonts``), regular and bold, 70 kB each. ``timeline.css`` declares
#: them with ``@font-face`` and :data:`ARABIC_RANGE` as their ``unicode-range``, so a browser fetches
#: one (from the page's own server) only for a page that shows Arabic-script letters.
FONT_DIR = STATIC / "fonts"
ARABIC_FONTS = ("fonts/NotoSansArabic-Regular.woff2", "fonts/NotoSansArabic-Bold.woff2")
#: The code points the bundled Arabic-script font is for (the ``unicode-range`` of its ``@font-face``).
ARABIC_RANGES = (
    (0x0600, 0x06FF),  # Arabic (Persian letters and digits included)
    (0x0750, 0x077F),  # Arabic Supplement
    (0x0870, 0x089F),  # Arabic Extended-B
    (0x08A0, 0x08FF),  # Arabic Extended-A
    (0xFB50, 0xFDFF),  # Arabic Presentation Forms-A
    (0xFE70, 0xFEFF),  # Arabic Presentation Forms-B
    (0x200C, 0x200D),  # zero-width non-joiner and joiner (Persian writes the ZWNJ inside words)
    (0x25CC, 0x25CC),  # the dotted circle a lone vowel mark sits on
)
ARABIC_RANGE = ", ".join(f"U+{a:04X}" if a == b else f"U+{a:04X}-{b:04X}" for a, b in ARABIC_RANGES)
_FONT_URL = re.compile(r'url\("(fonts/[A-Za-z0-9-]+\.woff2)"\)')
_FONT_FACE = re.compile(r"@font-face\s*\{[^}]*\}\s*")


def font_bytes(name: str) -> bytes:
    """The bytes of a bundled font (a name of :data:`ARABIC_FONTS`)."""
    if name not in ARABIC_FONTS:
        raise KeyError(f"unknown font '{name}'; one of {', '.join(ARABIC_FONTS)}")
    return (STATIC / name).read_bytes()


_ARABIC_LETTER = re.compile(
    "[" + "".join(f"\\u{a:04x}-\\u{b:04x}" for a, b in ARABIC_RANGES[:-2]) + "]"
)


def needs_arabic_font(text: str) -> bool:
    """Whether ``text`` has a letter of Arabic script (a code point of :data:`ARABIC_RANGES` but the joiners)."""
    return _ARABIC_LETTER.search(text) is not None


def writes_arabic_script(tag: str) -> bool:
    """Whether language ``tag`` is written in Arabic script (``fa``, ``ar-IQ``, ``ur``, ``pa-Arab``; CLDR's likely script)."""
    from babel.core import get_global

    locale = language(tag).locale
    script = locale.script
    if script is None:  # CLDR's likely subtags: fa -> fa_Arab_IR
        likely = str(get_global("likely_subtags").get(locale.language, "")).split("_")
        script = likely[1] if len(likely) > 2 else None
    return script == "Arab"


def inline_fonts(css: str, *, embed: bool) -> str:
    """``css`` (``timeline.css``) for a page that carries its stylesheet inline (a snapshot, the app).

    With ``embed`` each font's ``url()`` becomes a ``data:`` URL (base64: 93 kB per face), so the one
    file still needs nothing else; without, the ``@font-face`` rules are left out (the page has no
    Arabic-script letter, or accepts the system's font for them) and nothing points at a missing file.
    """
    if not embed:
        return _FONT_FACE.sub("", css)

    def data_url(m: re.Match[str]) -> str:
        encoded = base64.b64encode(font_bytes(m.group(1))).decode("ascii")
        return f'url("data:font/woff2;base64,{encoded}")'

    return _FONT_URL.sub(data_url, css)
