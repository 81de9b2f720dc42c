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
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, partial
from typing import Any

from PIL import Image, ImageDraw, ImageFont, features

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


def png(image: Image.Image) -> bytes:
    """``image`` as PNG bytes with nothing but pixels: no time, no text, no profile."""
    image.info.clear()
    out = io.BytesIO()
    # zlib level 3: 30% less time to encode than 6 (a third of drawing a card) for 18% more bytes
    # (50 KB a card, not 42); 9 took 3.5x the time of 6 for 5% less. The pixels are the same.
    image.save(out, format="PNG", optimize=False, compress_level=3)
    return out.getvalue()


def _verdict(key: str) -> Any:
    if key not in VERDICT_BY_KEY:
        raise ValueError(f"verdict {key!r} is not one of: {', '.join(v.key for v in VERDICTS)}")
    return VERDICT_BY_KEY[key]


def _canvas() -> tuple[Image.Image, ImageDraw.ImageDraw]:
    typeset.check_fonts()
    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    return image, ImageDraw.Draw(image)


def _footer(draw: ImageDraw.ImageDraw, text: str, *, rtl: bool | None = None) -> None:
    """A rule and one muted line at the foot of the card."""
    style = Style(26, False, INK_MUTED)
    top = HEIGHT - MARGIN_Y - style.line_height
    draw.rectangle((MARGIN_X, top - 18, WIDTH - MARGIN_X, top - 16), fill=RULE)
    draw_block(draw, [one_line(text, style)], style, x=MARGIN_X, top=top, rtl=rtl)


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
    # The verdict: a band in its colour, edge to edge; glyph and label inside the margin,
    # the glyph at the start of the line (the left, or the right of a right-to-left card).
    draw.rectangle((0, 0, WIDTH - 1, BAND_HEIGHT - 1), fill=v.colour)
    middle = BAND_HEIGHT / 2 + 4
    label = Style(64, True, PAPER)
    tag = Style(26, True, PAPER)
    if rtl:
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
    # The claim.
    lines, style = fit(headline, HEADLINE_SIZES, bold=True)
    top = draw_block(draw, lines, style, x=MARGIN_X, top=BAND_HEIGHT + 40)
    # Who said it and when, under the headline (set as the card runs).
    who = Style(32, True, INK_SECONDARY)
    when = Style(28, False, INK_MUTED)
    along = True if rtl else None
    top = draw_block(draw, [one_line(claimant, who)], who, x=MARGIN_X, top=top + 14, rtl=along)
    draw_block(draw, [one_line(date, when)], when, x=MARGIN_X, top=top + 2, rtl=along)
    _footer(draw, story_title, rtl=along)
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
