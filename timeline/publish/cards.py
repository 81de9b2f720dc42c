"""Share cards: the 1200x630 PNG a social network or a messaging app shows with a link.

``draw_claim_card`` draws one claim's check: a band in the verdict's colour with its
glyph and label (colour is never the only carrier), the claim's headline, the
claimant, the date and the story's title. ``draw_story_card`` draws the story: its
title, its standfirst and how many claims got each verdict.

A card speaks the story's ``language`` (BCP 47): the verdicts' labels and the kit's
words come from the catalogues (context ``share card``), counts are written in the
language's digits, and ``card_date`` writes a date in its calendar (Solar Hijri with
Persian digits for ``fa``). A right-to-left language's card is mirrored: the glyph
sits at the right of the band with the label to its left and the tag at the left,
the verdict strip and chips run from the right, and the lines are set flush right.

Text stays inside a margin (platforms crop the edges on small screens), wraps
between words and, where it cannot fit, ends with an ellipsis at a word boundary
(the card only: pages always show the whole text). Fonts, fallback per script and
right-to-left lines are ``typeset``'s. Text is only ever drawn: markup, control
characters and bidi overrides cannot change the layout. The same input gives the
same bytes: the PNG carries no time, no text chunks, no metadata.

A build draws thousands of claim cards in each worker, so what is the same on many
is drawn once per process and pasted (the verdict's band, the story's footer) and a
line of one font and one direction is drawn in one call, each only where that gives
the pixels of drawing the card from scratch word by word (``tests/publish/test_cards.py``
checks it); the PNG is written unfiltered (``png``).
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, lru_cache, partial
from pathlib import Path
from typing import Any

from PIL import Image, ImageChops, ImageDraw, ImageFont, features

from ..core import dates
from ..core.schema import VERDICT_BY_KEY, VERDICTS
from ..core.vocabulary import verdict_in
from ..i18n import formats
from ..i18n.catalogues import pgettext
from ..i18n.markers import NP_
from ..i18n.tags import DEFAULT_LANGUAGE, Language
from ..i18n.tags import language as language_of
from ..views.render import GLYPHS
from . import typeset
from .typeset import Face, clean_text, direction, font_runs, visual_order, wrap_text

WIDTH, HEIGHT = 1200, 630
#: Text keeps this far from the left and right edges, and from the top and bottom.
MARGIN_X, MARGIN_Y = 72, 48
TEXT_WIDTH = WIDTH - 2 * MARGIN_X
INK = "#1f2328"  # 15.8:1 on white
INK_SECONDARY = "#424a53"  # 9.0:1
INK_MUTED = "#57606a"  # 6.3:1
RULE = "#d0d7de"
PAPER = "#ffffff"
BAND_HEIGHT = 150
#: The headline's sizes (px) and the lines each may take, largest first: the largest that
#: fits the whole headline is used, else the last, ending with an ellipsis.
HEADLINE_SIZES = ((58, 3), (50, 4), (44, 4))
TITLE_SIZES = ((60, 3), (52, 3), (46, 3))
LINE_SPACING = 1.22
RAQM = features.check("raqm")
#: The kit's own words on a card, in the story's language (the catalogues' context ``share card``).
FACT_CHECK = NP_("share card", "FACT CHECK")
TIMELINE_TAG = NP_("share card", "FACT-CHECK TIMELINE")
NO_CLAIMS_YET = NP_("share card", "No claims checked yet")


def _said(message: str, lang: Language) -> str:
    return pgettext("share card", message, lang.tag)


@cache
def _font(face: Face, size: int, bold: bool) -> ImageFont.FreeTypeFont:
    layout = ImageFont.Layout.RAQM if RAQM else ImageFont.Layout.BASIC
    return ImageFont.truetype(str(face.path(bold)), size, layout_engine=layout)


@dataclass(frozen=True)
class Style:
    """A text style: size in px, weight, colour."""

    size: int
    bold: bool = False
    fill: str = INK

    @property
    def line_height(self) -> int:
        return round(self.size * LINE_SPACING)

    def font(self, face: Face) -> ImageFont.FreeTypeFont:
        return _font(face, self.size, self.bold)


@cache
def _word_width(word: str, size: int, bold: bool) -> float:
    d = direction(word) or "ltr"
    return sum(
        _font(f, size, bold).getlength(run, direction=d if RAQM else None)
        for f, run in font_runs(word)
    )


def measure(text: str, style: Style) -> float:
    """How wide ``text`` is drawn in ``style`` (px), words and the spaces between them."""
    words = text.split(" ")
    space = _word_width(" ", style.size, style.bold)
    return sum(_word_width(w, style.size, style.bold) for w in words) + space * (len(words) - 1)


def draw_line(
    draw: ImageDraw.ImageDraw,
    line: str,
    style: Style,
    *,
    x: float,
    baseline: float,
    width: float = TEXT_WIDTH,
    align: str | None = None,
    rtl: bool | None = None,
) -> None:
    """Draw one laid-out line at ``baseline``, from ``x`` (left) or aligned right in ``width``.

    ``rtl`` is the paragraph's direction (by default the line's first strong letter's);
    a right-to-left line is set flush right unless ``align`` says otherwise.
    """
    words = line.split(" ")
    if rtl is None:
        rtl = direction(line) == "rtl"
    space = _word_width(" ", style.size, style.bold)
    total = measure(line, style)
    if (align or ("right" if rtl else "left")) == "right":
        x = x + width - total
    face = _whole_line_face(line, words, rtl)
    if face is not None:
        font = style.font(face)
        d = "rtl" if rtl else "ltr"
        if font.getlength(line, direction=d if RAQM else None) == total:
            draw.text((x, baseline), line, font=font, fill=style.fill, anchor="ls",
                      direction=d if RAQM else None)  # fmt: skip
            return
    for i in visual_order([direction(w) for w in words], rtl=rtl):
        word = words[i]
        d = direction(word) or ("rtl" if rtl else "ltr")
        runs = font_runs(word)
        for face, run in reversed(runs) if d == "rtl" else runs:
            font = style.font(face)
            draw.text(
                (x, baseline),
                run,
                font=font,
                fill=style.fill,
                anchor="ls",
                direction=d if RAQM else None,
            )
            x += font.getlength(run, direction=d if RAQM else None)
        x += space


#: Characters that change the direction of the text around them (embeddings, overrides, isolates
#: and the implicit marks LRM, RLM, ALM): a line with one is drawn word by word.
BIDI_FORMATTING = frozenset(map(chr, [*typeset.BIDI_CONTROLS, 0x200E, 0x200F, 0x061C]))


def _whole_line_face(line: str, words: list[str], rtl: bool) -> Face | None:
    """The face that can draw ``line`` in one call with the pixels of drawing it word by word, or None.

    Word by word, each run is drawn at the end of the one before (its advance, in 1/64 px) and each
    space is the first face's; in one call HarfBuzz places the same glyphs at the same pen positions
    when the line is one face, its words all run the paragraph's way (neutral ones too: the bidi
    algorithm gives them the paragraph's direction, as ``visual_order`` does) and nothing in it
    changes direction (a mark or an override would act across words). ``draw_line`` also checks the
    line's length in one call is the sum of its words' and spaces' (no kerning or ligature across
    a space, spaces of the same width). Checked against word-by-word drawing on 1,500 headline lines
    (English, Persian, Arabic): identical pixels, a third less time a line (fewer layouts and masks).
    Without raqm a right-to-left line is never drawn whole (Pillow's basic layout has no bidi).
    """
    if (rtl and not RAQM) or not BIDI_FORMATTING.isdisjoint(line):
        return None
    base = "rtl" if rtl else "ltr"
    face = None
    for word in words:
        if direction(word) not in (None, base):
            return None
        for f, _ in font_runs(word):
            if face is not None and f != face:
                return None
            face = f
    return face


def draw_block(
    draw: ImageDraw.ImageDraw,
    lines: list[str],
    style: Style,
    *,
    x: float,
    top: float,
    width: float = TEXT_WIDTH,
    rtl: bool | None = None,
) -> float:
    """Draw the lines of one paragraph from ``top``; returns the y below the last one.

    ``rtl`` is the paragraph's direction: by default its first strong letter's; a
    right-to-left card gives its own for the lines that follow the card (claimant, date).
    """
    ascent = style.font(typeset.FONT_STACK[0]).getmetrics()[0]
    if rtl is None:
        rtl = direction(" ".join(lines)) == "rtl"
    for i, line in enumerate(lines):
        draw_line(
            draw,
            line,
            style,
            x=x,
            baseline=top + ascent + i * style.line_height,
            width=width,
            rtl=rtl,
        )
    return top + len(lines) * style.line_height


def fit(
    text: str,
    sizes: tuple[tuple[int, int], ...],
    *,
    bold: bool,
    fill: str = INK,
    width: float = TEXT_WIDTH,
) -> tuple[list[str], Style]:
    """``text`` wrapped at the largest of ``sizes`` that holds all of it, else at the last."""
    text = clean_text(text)
    for size, max_lines in sizes:
        style = Style(size, bold, fill)
        lines = wrap_text(
            text, width=width, max_lines=max_lines, measure=partial(measure, style=style)
        )
        if not lines or not lines[-1].endswith(typeset.ELLIPSIS) or (size, max_lines) == sizes[-1]:
            return lines, style
    raise AssertionError("unreachable")  # pragma: no cover


def one_line(text: str, style: Style, width: float = TEXT_WIDTH) -> str:
    """``text`` on one line, ended with an ellipsis when it is longer."""
    lines = wrap_text(
        clean_text(text), width=width, max_lines=1, measure=lambda s: measure(s, style)
    )
    return lines[0] if lines else ""


def _glyph(key: str, size: int) -> tuple[str, ImageFont.FreeTypeFont, float, float]:
    glyph = GLYPHS.get(VERDICT_BY_KEY[key].symbol, "\u25cf")
    font = _font(typeset.SYMBOLS, size, True)
    left, _, right, _ = font.getbbox(glyph, anchor="lm")
    return glyph, font, left, right


def glyph_width(key: str, size: int) -> float:
    """How wide verdict ``key``'s glyph is drawn at ``size`` (px)."""
    _, _, left, right = _glyph(key, size)
    return right - left


def draw_glyph(
    draw: ImageDraw.ImageDraw, key: str, *, x: float, middle: float, size: int, fill: str
) -> float:
    """Draw a verdict's glyph (as the pages show it) with its left edge at ``x``; returns its width."""
    glyph, font, left, right = _glyph(key, size)
    draw.text((x - left, middle), glyph, font=font, fill=fill, anchor="lm")
    return right - left


def card_date(text: str, tag: str) -> str:
    """A date of the data (``2020-01-03``, ``2020-01``, ``2020-01-03T09:00+03:30``) as language ``tag``
    writes it, at its precision, in the language's calendar and digits: ``2020-01-03`` in ``fa`` is
    ``جمعه ۱۳ دی ۱۳۹۸``. Text that is not such a date is returned as written."""
    try:
        p = dates.parse(text)
    except ValueError:
        return text
    if p.precision == "year":
        return formats.format_year(p.at.year, tag)
    if p.precision == "month":
        return formats.format_month(p.at.year, p.at.month, tag)
    local = p.local
    day = formats.format_date(local.date(), tag, width="full")
    if p.offset_minutes is None:
        return day
    clock = formats.format_time(local, tag, width="medium" if p.precision == "second" else "short")
    zone = formats.to_digits(dates.format_offset(p.offset_minutes), formats.conventions(tag).digits)
    pattern = str(language_of(tag).locale.datetime_formats["full"])
    return f"{pattern.replace('{1}', day).replace('{0}', clock)} ({zone})"


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png(image: Image.Image) -> bytes:
    """``image`` (RGB) as PNG bytes with nothing but pixels: no time, no text, no profile.

    Written here, not by Pillow: Pillow filters every row of an RGB image five ways and keeps the
    best (PNG's adaptive filtering), which was two thirds of encoding a card. A card is flat colour
    and antialiased text, which zlib compresses better unfiltered: filter 0 (None) on every row at
    zlib level 3 took 5.3 ms a card against Pillow's 10.4 ms, for 56 KB against 66 KB (300 claim
    cards, English and right-to-left). Level 4 was 8.4 ms for 51 KB; 1 and 2 no faster than 3 and
    larger. The pixels are the same: the decoder does not care which filter a row has.
    """
    if image.mode != "RGB":
        raise ValueError(f"a card is an RGB image, not {image.mode}")
    raw = memoryview(image.tobytes())
    stride = image.width * 3
    # Each row after its filter byte, 0: b"\0" + row 0 + b"\0" + row 1 ..., the rows not copied twice.
    rows = b"\0".join([b"", *(raw[i : i + stride] for i in range(0, len(raw), stride))])
    header = struct.pack(">IIBBBBB", image.width, image.height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return b"".join(
        (
            b"\x89PNG\r\n\x1a\n",
            _chunk(b"IHDR", header),
            _chunk(b"IDAT", zlib.compress(rows, 3)),
            _chunk(b"IEND", b""),
        )
    )


def _verdict(key: str) -> Any:
    if key not in VERDICT_BY_KEY:
        raise ValueError(f"verdict {key!r} is not one of: {', '.join(v.key for v in VERDICTS)}")
    return VERDICT_BY_KEY[key]


@cache
def _fonts_checked(folder: Path) -> None:
    """``typeset.check_fonts`` once a process for a font folder (it raises while one is missing):
    checking the 24 files again for every card was 0.3 ms of it."""
    typeset.check_fonts()


def _canvas() -> tuple[Image.Image, ImageDraw.ImageDraw]:
    _fonts_checked(typeset.FONT_DIR)
    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    return image, ImageDraw.Draw(image)


def _inked_rows(image: Image.Image) -> tuple[int, int]:
    """The first row and the row after the last where ``image`` is not blank paper."""
    box = ImageChops.difference(image, Image.new("RGB", image.size, PAPER)).getbbox()
    return (box[1], box[3]) if box else (0, 0)


def _band(draw: ImageDraw.ImageDraw, v: Any, lang: Language, said: str) -> None:
    """The verdict: a band in its colour, edge to edge; glyph and label inside the margin,
    the glyph at the start of the line (the left, or the right of a right-to-left card)."""
    draw.rectangle((0, 0, WIDTH - 1, BAND_HEIGHT - 1), fill=v.colour)
    middle = BAND_HEIGHT / 2 + 4
    label = Style(64, True, PAPER)
    tag = Style(26, True, PAPER)
    if lang.direction == "rtl":
        gx = WIDTH - MARGIN_X - glyph_width(v.key, 58)
        draw_glyph(draw, v.key, x=gx, middle=middle, size=58, fill=PAPER)
        room = gx - 26 - MARGIN_X
        draw_line(
            draw, said, label, x=MARGIN_X, baseline=middle + 23, width=room, align="right", rtl=True
        )
        draw_line(
            draw,
            _said(FACT_CHECK, lang),
            tag,
            x=MARGIN_X,
            baseline=middle + 9,
            align="left",
            rtl=True,
        )
    else:
        gw = draw_glyph(draw, v.key, x=MARGIN_X, middle=middle, size=58, fill=PAPER)
        draw_line(draw, said, label, x=MARGIN_X + gw + 26, baseline=middle + 23, align="left")
        draw_line(
            draw, _said(FACT_CHECK, lang), tag, x=MARGIN_X, baseline=middle + 9, align="right"
        )


@lru_cache(maxsize=4 * len(VERDICTS))
def _band_drawn(key: str, tag: str, said: str) -> Image.Image:
    """The top of a claim card (``_band``) drawn on a blank one, down to the last row it inked.

    A build's cards have one language and one label per verdict, so a worker draws six bands, not
    one per card: pasted on blank paper, a band gives the pixels of drawing it there (it was the
    first thing drawn), and keeps 0.5 MB, not a card's 2.3 MB.
    """
    image, draw = _canvas()
    _band(draw, VERDICT_BY_KEY[key], language_of(tag), said)
    return image.crop((0, 0, WIDTH, _inked_rows(image)[1]))


def _footer(draw: ImageDraw.ImageDraw, text: str, *, rtl: bool | None = None) -> None:
    """A rule and one muted line at the foot of the card."""
    style = Style(26, False, INK_MUTED)
    top = HEIGHT - MARGIN_Y - style.line_height
    draw.rectangle((MARGIN_X, top - 18, WIDTH - MARGIN_X, top - 16), fill=RULE)
    draw_block(draw, [one_line(text, style)], style, x=MARGIN_X, top=top, rtl=rtl)


@lru_cache(maxsize=8)
def _footer_drawn(text: str, rtl: bool | None) -> tuple[int, Image.Image, Image.Image]:
    """The foot of a card (``_footer``) drawn on a blank one: where its rows start (a little above
    the first it inked), those rows to the bottom, and the same rows blank."""
    image, draw = _canvas()
    _footer(draw, text, rtl=rtl)
    top = max(0, _inked_rows(image)[0] - 4)
    return top, image.crop((0, top, WIDTH, HEIGHT)), Image.new("RGB", (WIDTH, HEIGHT - top), PAPER)


def _put_footer(image: Image.Image, draw: ImageDraw.ImageDraw, text: str, rtl: bool | None) -> None:
    """``_footer``, drawn last, as a copy of the story's once nothing drawn before reached its rows.

    Every card of a story has the same foot (its title): drawn once per process, it is pasted where
    those rows are still blank, which gives the pixels of drawing it there (the footer inks no row
    above the ones pasted); where the text above reached them (it never does at the card's sizes,
    but marks stacked below a line could), it is drawn as before. Drawing it was 3.6 ms of an
    English card (a title of 15 words), 1.6 ms of a Persian one.
    """
    top, foot, blank = _footer_drawn(text, rtl)
    if ImageChops.difference(image.crop((0, top, WIDTH, HEIGHT)), blank).getbbox() is None:
        image.paste(foot, (0, top))
    else:
        _footer(draw, text, rtl=rtl)


def draw_claim_card(
    *,
    verdict: str,
    headline: str,
    claimant: str,
    date: str,
    story_title: str,
    language: str = DEFAULT_LANGUAGE,
    labels: Mapping[str, str] | None = None,
) -> bytes:
    """One claim's share card: a 1200x630 PNG (see the module's docstring).

    ``verdict`` is a key of ``schema.VERDICTS``; the other arguments are text as the
    reader should see it (``date`` as the timeline shows it: ``card_date`` writes one);
    ``language`` is the story's (BCP 47); ``labels`` the desk's own verdict labels by key
    (story.json's ``verdicts``), else the catalogue's.
    """
    v = _verdict(verdict)
    lang = language_of(language)
    rtl = lang.direction == "rtl"
    said = (labels or {}).get(v.key) or verdict_in(v, lang.tag).label
    image, draw = _canvas()
    image.paste(_band_drawn(v.key, lang.tag, said), (0, 0))
    # The claim.
    lines, style = fit(headline, HEADLINE_SIZES, bold=True)
    top = draw_block(draw, lines, style, x=MARGIN_X, top=BAND_HEIGHT + 40)
    # Who said it and when, under the headline (set as the card runs).
    who = Style(32, True, INK_SECONDARY)
    when = Style(28, False, INK_MUTED)
    along = True if rtl else None
    top = draw_block(draw, [one_line(claimant, who)], who, x=MARGIN_X, top=top + 14, rtl=along)
    draw_block(draw, [one_line(date, when)], when, x=MARGIN_X, top=top + 2, rtl=along)
    _put_footer(image, draw, story_title, along)
    return png(image)


def _chips(
    draw: ImageDraw.ImageDraw,
    counts: list[tuple[str, int]],
    *,
    top: float,
    lang: Language,
    labels: Mapping[str, str] | None = None,
) -> None:
    """One chip per verdict (its colour, white glyph, count and label), in rows from ``top``;
    from the right, each glyph at its chip's right, on a right-to-left card."""
    style = Style(28, True, PAPER)
    height, pad, gap, glyph = 56, 20, 16, 26
    rtl = lang.direction == "rtl"
    x: float = MARGIN_X
    y: float = top
    for key, n in counts:
        v = VERDICT_BY_KEY[key]
        label = (labels or {}).get(v.key) or verdict_in(v, lang.tag).label
        text = f"{formats.format_number(n, lang.tag)} {label}"
        w = pad + glyph + 12 + measure(text, style) + pad
        if x > MARGIN_X and x + w > WIDTH - MARGIN_X:
            x, y = MARGIN_X, y + height + gap
        if rtl:  # the same chip, mirrored: x counts from the right edge
            right = WIDTH - x
            draw.rounded_rectangle((right - w, y, right, y + height), radius=10, fill=v.colour)
            gw = glyph_width(key, glyph)
            draw_glyph(draw, key, x=right - pad - gw, middle=y + height / 2, size=glyph, fill=PAPER)
            draw_line(
                draw, text, style, x=right - w + pad, baseline=y + height / 2 + 10,
                width=w - 2 * pad - gw - 12, align="right", rtl=True,
            )  # fmt: skip
        else:
            draw.rounded_rectangle((x, y, x + w, y + height), radius=10, fill=v.colour)
            gw = draw_glyph(draw, key, x=x + pad, middle=y + height / 2, size=glyph, fill=PAPER)
            draw_line(
                draw, text, style, x=x + pad + gw + 12, baseline=y + height / 2 + 10, align="left"
            )
        x += w + gap


def draw_story_card(
    *,
    title: str,
    standfirst: str,
    counts: Mapping[str, int],
    language: str = DEFAULT_LANGUAGE,
    labels: Mapping[str, str] | None = None,
) -> bytes:
    """The story's share card: title, the standfirst shortened, and its claims' verdict counts.

    ``counts`` maps verdict keys (``schema.VERDICTS``) to how many claims got each;
    verdicts with no claim are left out, in the contract's order otherwise. ``language``
    is the story's (BCP 47).
    """
    for key, n in counts.items():
        _verdict(key)
        if not isinstance(n, int) or isinstance(n, bool) or n < 0:
            raise ValueError(f"count of {key!r} must be a whole number of claims, not {n!r}")
    shown = [(v.key, counts[v.key]) for v in VERDICTS if counts.get(v.key)]
    total = sum(n for _, n in shown)
    lang = language_of(language)
    rtl = lang.direction == "rtl"
    image, draw = _canvas()
    # A strip across the top, in the verdicts' colours, as wide as their share of the claims
    # (the best verdict first: at the left, or the right of a right-to-left card).
    x = 0.0
    for key, n in shown:
        w = WIDTH * n / total
        box = (round(x), 0, round(x + w), 16)
        if rtl:
            box = (WIDTH - box[2], 0, WIDTH - box[0], 16)
        draw.rectangle(box, fill=VERDICT_BY_KEY[key].colour)
        x += w
    if not shown:
        draw.rectangle((0, 0, WIDTH, 16), fill=INK_MUTED)
    tag = Style(26, True, INK_MUTED)
    along = True if rtl else None
    draw_block(draw, [_said(TIMELINE_TAG, lang)], tag, x=MARGIN_X, top=MARGIN_Y + 8, rtl=along)
    lines, style = fit(title, TITLE_SIZES, bold=True)
    top = draw_block(draw, lines, style, x=MARGIN_X, top=MARGIN_Y + 56)
    sub = Style(30, False, INK_SECONDARY)
    room = 3 if len(lines) < 3 else 2
    sub_lines = wrap_text(
        clean_text(standfirst), width=TEXT_WIDTH, max_lines=room, measure=lambda s: measure(s, sub)
    )
    draw_block(draw, sub_lines, sub, x=MARGIN_X, top=top + 14)
    rows = 2 if len(shown) > 3 else 1
    chips_top = HEIGHT - MARGIN_Y - rows * 56 - (rows - 1) * 16
    if shown:
        _chips(draw, shown, top=chips_top, lang=lang, labels=labels)
    else:
        draw_block(
            draw, [_said(NO_CLAIMS_YET, lang)], Style(30, True, INK_MUTED), x=MARGIN_X,
            top=chips_top, rtl=along,
        )  # fmt: skip
    return png(image)


__all__ = ["HEIGHT", "WIDTH", "card_date", "draw_claim_card", "draw_story_card"]
