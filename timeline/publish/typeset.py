"""Setting text for images: the font stack, font fallback per script, line order, wrapping.

The share cards (``cards.py``) draw text with Pillow and fonts from Debian packages,
listed once in ``FONT_STACK``. Pillow draws one font per call, so a text is cut into
runs, each drawn with the first font whose character map (read with fontTools)
covers its letters: Latin, Greek and Cyrillic in Noto Sans, Arabic and Persian in
Noto Sans Arabic, Hebrew in Noto Sans Hebrew (and eight more Noto scripts), Chinese,
Japanese and Korean in WenQuanYi Micro Hei (1.6 MB; Noto CJK is 57 MB), symbols in
DejaVu Sans. Pillow's raqm layout (HarfBuzz and FriBiDi)
shapes each run, so Arabic letters join and right-to-left runs read right to left;
the words of a line are put in visual order here (the Unicode bidi rule L2, word by
word). A character no font covers is drawn as U+FFFD.

``wrap_text`` is the pure line breaker: words, a measure and a width in, lines out,
the last one ending with an ellipsis at a word boundary when the text does not fit.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..errors import ExportError

FONT_DIR = Path("/usr/share/fonts/truetype")
ELLIPSIS = "\u2026"
#: Characters a card never draws: bidi embeddings, overrides and isolates (U+202A-U+202E,
#: U+2066-U+2069) would reorder what follows them; text is laid out by its own letters.
BIDI_CONTROLS = dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A)])
#: More text than this can never fit on a card (5 lines of the narrowest letters at the
#: smallest size hold ~550 characters): longer text is cut before it is measured.
MAX_CHARS = 1000


@dataclass(frozen=True)
class Face:
    """One font family: its Debian package and its files (under ``FONT_DIR``)."""

    name: str
    package: str
    regular: str
    bold: str | None = None  # the regular file when the family has no bold

    def path(self, bold: bool = False) -> Path:
        return FONT_DIR / (self.bold if bold and self.bold else self.regular)


def _noto(script: str) -> Face:
    stem = f"noto/NotoSans{script}"
    return Face(f"Noto Sans {script}", "fonts-noto-core", f"{stem}-Regular.ttf", f"{stem}-Bold.ttf")


#: The fonts, in order of preference: a character is drawn with the first that covers it.
FONT_STACK: tuple[Face, ...] = (
    Face("Noto Sans", "fonts-noto-core", "noto/NotoSans-Regular.ttf", "noto/NotoSans-Bold.ttf"),
    *(
        _noto(s)
        for s in (
            "Arabic",
            "Hebrew",
            "Devanagari",
            "Bengali",
            "Tamil",
            "Thai",
            "Armenian",
            "Georgian",
            "Ethiopic",
        )
    ),
    Face("WenQuanYi Micro Hei", "fonts-wqy-microhei", "wqy/wqy-microhei.ttc"),
    Face("DejaVu Sans", "fonts-dejavu-core", "dejavu/DejaVuSans.ttf", "dejavu/DejaVuSans-Bold.ttf"),
)
SYMBOLS = FONT_STACK[-1]  # the verdicts' glyphs (render.GLYPHS) come from DejaVu Sans
FONT_PACKAGES = tuple(dict.fromkeys(f.package for f in FONT_STACK))


def check_fonts() -> None:
    """Raise ``ExportError`` naming the Debian package of every font file that is missing."""
    missing = [(f, f.path(b)) for f in FONT_STACK for b in (False, True) if not f.path(b).exists()]
    if missing:
        packages = " ".join(dict.fromkeys(f.package for f, _ in missing))
        files = ", ".join(str(p) for _, p in dict.fromkeys(missing))
        raise ExportError(
            f"share cards need fonts that are not installed ({files}); "
            f"install the Debian package(s) {packages}: `make fonts` "
            f"(or `sudo apt-get install {packages}`)"
        )


@cache
def coverage(face: Face) -> frozenset[int]:
    """The code points ``face`` has glyphs for (its cmap; regular and bold cover the same)."""
    from fontTools.ttLib import TTFont

    check_fonts()
    with TTFont(face.path(), lazy=True, fontNumber=0) as font:
        return frozenset(font.getBestCmap())


def clean_text(text: str) -> str:
    """``text`` as a card draws it: NFC, controls and line breaks as spaces, no bidi controls.

    Spaces are collapsed and the text is cut at ``MAX_CHARS`` (it could not fit anyway).
    Markup is not special: ``<script>`` is seven characters to draw.
    """
    text = unicodedata.normalize("NFC", str(text)).translate(BIDI_CONTROLS)
    text = "".join(
        " " if unicodedata.category(c) == "Cc" or c in "\u2028\u2029" else c for c in text
    )
    return " ".join(text.split())[:MAX_CHARS]


def face_for(char: str, prefer: Face | None = None) -> Face | None:
    """The first face of the stack covering ``char``, or ``prefer`` when it covers it; None if none does."""
    cp = ord(char)
    if prefer is not None and cp in coverage(prefer):
        return prefer
    for face in FONT_STACK:
        if cp in coverage(face):
            return face
    return None


def font_runs(word: str) -> list[tuple[Face, str]]:
    """``word`` cut into runs of one face each, in logical order.

    Letters take the first face covering them; marks, digits and punctuation stay
    with the run before them when its face covers them (so an Arabic word keeps its
    comma in the Arabic font). A character no face covers becomes U+FFFD.
    """
    runs: list[tuple[Face, str]] = []
    for ch in word:
        prev = runs[-1][0] if runs else None
        letter = unicodedata.category(ch).startswith("L")
        face = face_for(ch, None if letter else prev)
        if face is None:
            ch, face = "\ufffd", SYMBOLS
        if runs and runs[-1][0] == face:
            runs[-1] = (face, runs[-1][1] + ch)
        else:
            runs.append((face, ch))
    return runs


def direction(text: str) -> str | None:
    """``"rtl"`` or ``"ltr"`` from the first strong letter of ``text``; digits read ``"ltr"``; else None."""
    weak = None
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
        if kind in ("EN", "AN") and weak is None:
            weak = "ltr"
    return weak


def visual_order(directions: list[str | None], *, rtl: bool) -> list[int]:
    """The order (indices) to draw a line's words in, left to right (bidi rule L2, per word).

    A word without a direction takes its neighbours' when both agree, else the
    paragraph's. Left-to-right words in a right-to-left paragraph (and digits) stay
    in reading order inside it.
    """
    base = "rtl" if rtl else "ltr"
    strong = [d for d in directions]
    for i, d in enumerate(directions):
        if d is None:
            before = next((x for x in reversed(directions[:i]) if x), None)
            after = next((x for x in directions[i + 1 :] if x), None)
            strong[i] = before if before == after and before else base
    levels = [(1 if d == "rtl" else 2) if rtl else (1 if d == "rtl" else 0) for d in strong]
    order = list(range(len(levels)))
    for level in range(max(levels, default=0), 0, -1):
        i = 0
        while i < len(order):
            if levels[order[i]] >= level:
                j = i
                while j < len(order) and levels[order[j]] >= level:
                    j += 1
                order[i:j] = order[i:j][::-1]
                i = j
            else:
                i += 1
    return order


def _is_mark(ch: str) -> bool:
    return unicodedata.category(ch) in ("Mn", "Mc", "Me") or ch in "\u200c\u200d"


def _longest_prefix(
    word: str, width: float, measure: Callable[[str], float], tail: str = ""
) -> str:
    """The longest start of ``word`` that fits in ``width`` with ``tail`` after it (at least one character).

    A cut never leaves a combining mark or a joiner at the start of the rest.
    """
    lo, hi = 1, len(word)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if measure(word[:mid] + tail) <= width:
            lo = mid
        else:
            hi = mid - 1
    while 1 < lo < len(word) and _is_mark(word[lo]):
        lo -= 1
    return word[:lo]


def _with_ellipsis(line: str, width: float, measure: Callable[[str], float]) -> str:
    """``line`` ended with an ellipsis after the last whole word that leaves room for it."""
    words = line.split(" ")
    while words:
        kept = " ".join(words).rstrip(",;:.-\u2013\u2014 ")
        if kept and measure(kept + ELLIPSIS) <= width:
            return kept + ELLIPSIS
        if len(words) == 1:
            break
        words.pop()
    # One piece of a word longer than a line: cut between characters.
    return _longest_prefix(words[0], width, measure, ELLIPSIS) + ELLIPSIS


def wrap_text(
    text: str, *, width: float, max_lines: int, measure: Callable[[str], float]
) -> list[str]:
    """``text`` broken into at most ``max_lines`` lines no wider than ``width`` (by ``measure``).

    Lines break between words (runs of white space); a word longer than a line is
    broken between characters. When the text does not fit, the last line ends with
    an ellipsis after the last word that leaves room for it. Empty text gives ``[]``.
    """
    if max_lines < 1:
        raise ValueError("max_lines must be at least 1")
    words = text.split()
    lines: list[str] = []
    line = ""
    i = 0
    while i < len(words):
        trial = f"{line} {words[i]}" if line else words[i]
        if measure(trial) <= width:
            line, i = trial, i + 1
            continue
        if not line:  # a word longer than a line
            line = _longest_prefix(words[i], width, measure)
            words[i] = words[i][len(line) :]
        if len(lines) + 1 == max_lines:
            return [*lines, _with_ellipsis(line, width, measure)]
        lines.append(line)
        line = ""
    return [*lines, line] if line else lines
