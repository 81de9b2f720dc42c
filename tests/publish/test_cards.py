"""Share cards: real PNGs drawn by Pillow with Debian's fonts, read back with Pillow.

The line breaker is tested as a pure function (a measure of one unit per character);
the cards are decoded and their pixels looked at: size, the verdict's colour, real
glyphs for right-to-left and CJK text (never the font's empty "tofu" box).
"""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageChops, ImageDraw, features

from timeline.core.schema import VERDICT_BY_KEY, VERDICTS
from timeline.errors import ExportError
from timeline.publish import cards, typeset
from timeline.publish.cards import draw_claim_card, draw_story_card
from timeline.publish.typeset import ELLIPSIS, clean_text, font_runs, visual_order, wrap_text

RLO = "\u202e"
HOSTILE = (
    f"<script>alert(1)</script> <img src=x onerror=alert(1)> {RLO}gnp.exe{RLO} \x00\x07\x1b[31m"
)
ARABIC = "قال وزير الخارجية إن الضربة كانت دفاعا عن النفس"
PERSIAN = "انتقام سخت در انتظار جنایتکاران است"
HEBREW = "שר החוץ אמר כי התקיפה הייתה הגנה עצמית"
CJK = "外交大臣表示 日本語のテキスト 한국어 문장"
CLAIM = {
    "verdict": "unsubstantiated",
    "headline": "Soleimani was plotting imminent attacks on US diplomats",
    "claimant": "Donald Trump",
    "date": "Friday 3 January 2020",
    "story_title": "The UK's response to the killing of Qasem Soleimani",
}
COUNTS = {
    "accurate": 5,
    "needs-context": 4,
    "disputed": 2,
    "unsubstantiated": 3,
    "inaccurate": 1,
    "not-rated": 1,
}


def one_per_char(s: str) -> float:
    return float(len(s))


def decode(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def colours(image: Image.Image) -> set[tuple[int, int, int]]:
    return {c for _, c in image.getcolors(maxcolors=1 << 20)}


def rgb(hex_colour: str) -> tuple[int, int, int]:
    return tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


# ----------------------------------------------------------------------------- line breaking
def test_wrap_breaks_between_words_within_the_width():
    assert wrap_text("the quick brown fox jumps", width=10, max_lines=5, measure=one_per_char) == [
        "the quick",
        "brown fox",
        "jumps",
    ]


def test_wrap_ends_with_an_ellipsis_at_a_word_boundary_when_the_text_does_not_fit():
    lines = wrap_text(
        "the quick brown fox jumps over the lazy dog", width=10, max_lines=2, measure=one_per_char
    )
    assert lines == ["the quick", "brown fox" + ELLIPSIS]
    # The ellipsis needs room: the last word that leaves none goes.
    assert wrap_text("aaaa bbbbb cc", width=10, max_lines=1, measure=one_per_char) == [
        "aaaa" + ELLIPSIS
    ]


def test_wrap_drops_trailing_punctuation_before_the_ellipsis():
    assert wrap_text("one two, three four", width=9, max_lines=1, measure=one_per_char) == [
        "one two" + ELLIPSIS
    ]


def test_wrap_breaks_a_word_longer_than_a_line_between_characters():
    assert wrap_text("abcdefghijklmnop", width=5, max_lines=5, measure=one_per_char) == [
        "abcde",
        "fghij",
        "klmno",
        "p",
    ]
    assert wrap_text("x " + "y" * 50, width=6, max_lines=2, measure=one_per_char) == [
        "x",
        "yyyyy" + ELLIPSIS,
    ]


def test_wrap_keeps_a_combining_mark_with_its_letter():
    lines = wrap_text("abcde\u0301fgh", width=5, max_lines=3, measure=one_per_char)
    assert lines[0] == "abcd" and lines[1].startswith("e\u0301")


def test_wrap_of_text_that_fits_exactly_has_no_ellipsis_and_empty_text_no_lines():
    assert wrap_text("abc def", width=7, max_lines=1, measure=one_per_char) == ["abc def"]
    assert wrap_text("   ", width=7, max_lines=1, measure=one_per_char) == []
    with pytest.raises(ValueError, match="max_lines"):
        wrap_text("abc", width=7, max_lines=0, measure=one_per_char)


def test_clean_text_draws_markup_as_text_and_drops_controls_and_bidi_overrides():
    assert (
        clean_text(HOSTILE) == "<script>alert(1)</script> <img src=x onerror=alert(1)> gnp.exe [31m"
    )
    assert clean_text("a\u2066b\u2069\tc\nd") == "ab c d"
    assert len(clean_text("x" * 100_000)) == typeset.MAX_CHARS
    assert clean_text("e\u0301") == "\u00e9"  # NFC


def test_visual_order_reverses_right_to_left_words_and_keeps_numbers_in_order():
    assert visual_order(["ltr", "rtl", "rtl", "ltr"], rtl=False) == [0, 2, 1, 3]
    assert visual_order(["rtl", "rtl", "ltr", "ltr", "rtl"], rtl=True) == [4, 2, 3, 1, 0]
    assert visual_order(["rtl", None, "rtl"], rtl=False) == [
        2,
        1,
        0,
    ]  # a neutral between two rtl words
    assert visual_order(["ltr", None, "rtl"], rtl=False) == [0, 1, 2]


# ----------------------------------------------------------------------------- fonts
@pytest.mark.parametrize(
    "text",
    [ARABIC, PERSIAN, HEBREW, CJK, "Ελληνικά Кириллица Tiếng Việt"],
    ids=["arabic", "persian", "hebrew", "cjk", "greek-cyrillic-vietnamese"],
)
def test_every_character_of_each_script_has_a_font_that_covers_it(text):
    for face, run in font_runs(text.replace(" ", "")):
        assert "\ufffd" not in run
        assert all(ord(c) in typeset.coverage(face) for c in run), (face.name, run)


def test_scripts_get_their_own_font():
    assert {f.name for f, _ in font_runs("Tehranتهران")} == {"Noto Sans", "Noto Sans Arabic"}
    assert font_runs("שלום")[0][0].name == "Noto Sans Hebrew"
    assert font_runs("한국어")[0][0].name == "WenQuanYi Micro Hei"


def test_raqm_layout_is_available():
    # Without raqm (libraqm, FriBiDi, HarfBuzz) Arabic letters would not join.
    assert features.check("raqm"), (
        "Pillow's raqm layout is missing: install Pillow's wheel (it bundles libraqm)"
    )


def _ink(text: str, face: typeset.Face) -> Image.Image:
    image = Image.new("L", (900, 120), 0)
    ImageDraw.Draw(image).text((10, 10), text, font=cards._font(face, 48, False), fill=255)
    return image


@pytest.mark.parametrize("text", [ARABIC, HEBREW, CJK], ids=["arabic", "hebrew", "cjk"])
def test_text_is_drawn_with_real_glyphs_not_the_notdef_box(text):
    """Each word drawn in its chosen font differs from the same number of .notdef boxes."""
    for face, run in font_runs(text.split()[0]):
        drawn = _ink(run, face)
        tofu = _ink("\U0010fffd" * len(run), face)  # a private-use code point no font has
        assert ImageChops.difference(drawn, tofu).getbbox() is not None, face.name
        assert drawn.getbbox() is not None


def test_arabic_letters_join_when_shaped():
    # Shaped, the word is narrower than its isolated letters drawn one by one.
    font = cards._font(typeset.FONT_STACK[1], 48, False)
    word = "الخارجية"
    assert font.getlength(word) < sum(font.getlength(c) for c in word)


def test_a_missing_font_names_its_debian_package(monkeypatch, tmp_path):
    monkeypatch.setattr(typeset, "FONT_DIR", tmp_path)
    with pytest.raises(ExportError, match=r"fonts-noto-core .*fonts-wqy-microhei.*make fonts"):
        draw_claim_card(**CLAIM)


# ----------------------------------------------------------------------------- the cards
@pytest.mark.parametrize("verdict", [v.key for v in VERDICTS])
def test_claim_card_is_a_1200x630_rgb_png_in_the_verdict_colour(verdict):
    image = decode(draw_claim_card(**{**CLAIM, "verdict": verdict}))
    assert (image.format, image.size, image.mode) == ("PNG", (1200, 630), "RGB")
    assert image.getpixel((0, 0)) == rgb(VERDICT_BY_KEY[verdict].colour)  # the band, edge to edge
    assert image.getpixel((600, 620)) == (255, 255, 255)


def test_claim_card_is_byte_identical_for_the_same_input_and_carries_no_metadata():
    first = draw_claim_card(**CLAIM)
    assert draw_claim_card(**CLAIM) == first
    assert draw_claim_card(**{**CLAIM, "date": "Saturday 4 January 2020"}) != first
    image = decode(first)
    assert not image.info.get("dpi") and not image.text  # type: ignore[attr-defined]
    assert (
        b"tIME" not in first
        and b"tEXt" not in first
        and b"iTXt" not in first
        and b"eXIf" not in first
    )


#: Cards for the shortcuts below: English, Persian with digits and Latin, English lines on a Persian
#: card, Arabic, mixed scripts, a
#: desk's label with an override, and marks stacked under the date down into the footer's rows.
SHORTCUT_CARDS = [
    CLAIM,
    {**CLAIM, "headline": f"{PERSIAN} ۱۳۹۶ Radio Example {PERSIAN}", "language": "fa"},
    {**CLAIM, "claimant": "Donald J. Trump (R) - 45th!", "date": "3 (Jan.) 2020", "language": "fa"},
    {**CLAIM, "headline": ARABIC * 2, "claimant": ARABIC, "story_title": ARABIC, "language": "ar"},
    {**CLAIM, "headline": f"{HEBREW} {CJK} {ARABIC} and English", "claimant": HOSTILE},
    {**CLAIM, "verdict": "accurate", "labels": {"accurate": f"{RLO}Right  on"}},
    {**CLAIM, "headline": "A " * 80, "date": "Friday" + "\u0317" * 120},
]


@pytest.mark.parametrize(
    "claim", SHORTCUT_CARDS, ids=["en", "fa", "en-on-fa", "ar", "mixed", "label", "marks"]
)
def test_a_card_has_the_pixels_of_one_drawn_from_scratch_word_by_word(claim, monkeypatch):
    # The band and the footer are drawn once per process and pasted, lines drawn in one call where
    # that is the same: drawing every card from a blank one, word by word, gives the same pixels.
    fast = decode(draw_claim_card(**claim)).tobytes()

    def band_on_a_blank_card(key, tag, said):
        image, draw = cards._canvas()
        cards._band(draw, VERDICT_BY_KEY[key], cards.language_of(tag), said)
        return image

    monkeypatch.setattr(cards, "_band_drawn", band_on_a_blank_card)
    monkeypatch.setattr(
        cards, "_put_footer", lambda _, draw, text, rtl: cards._footer(draw, text, rtl=rtl)
    )
    monkeypatch.setattr(cards, "_whole_line_face", lambda *_: None)
    assert decode(draw_claim_card(**claim)).tobytes() == fast


def test_the_png_has_the_image_s_pixels():
    image = Image.effect_noise((300, 200), 64).convert("RGB")
    image.paste((10, 200, 30), (20, 20, 120, 80))
    data = cards.png(image)
    assert decode(data).tobytes() == image.tobytes() and decode(data).mode == "RGB"
    with pytest.raises(ValueError, match="RGB"):
        cards.png(image.convert("L"))


def test_text_keeps_inside_the_margins():
    long = " ".join(["Supercalifragilistic"] * 60)
    image = decode(
        draw_claim_card(
            verdict="accurate", headline=long, claimant=long, date=long, story_title=long
        )
    )
    body = image.crop((0, cards.BAND_HEIGHT, 1200, 630))
    # Nothing but paper in the side margins and the bottom margin.
    for box in [
        (0, 0, cards.MARGIN_X - 4, body.height),
        (1200 - cards.MARGIN_X + 4, 0, 1200, body.height),
        (0, body.height - cards.MARGIN_Y + 8, 1200, body.height),
    ]:
        assert colours(body.crop(box)) == {(255, 255, 255)}, box


def test_hostile_text_is_drawn_and_does_not_break_the_layout():
    hostile = {k: HOSTILE * 3 + "x" * 5000 for k in ("headline", "claimant", "date", "story_title")}
    image = decode(draw_claim_card(verdict="inaccurate", **hostile))
    assert image.size == (1200, 630)
    assert image.getpixel((0, 0)) == rgb(VERDICT_BY_KEY["inaccurate"].colour)
    assert colours(image.crop((0, cards.BAND_HEIGHT, cards.MARGIN_X - 4, 630))) == {(255, 255, 255)}


def test_right_to_left_text_is_set_flush_right():
    image = decode(
        draw_claim_card(**{**CLAIM, "headline": "שלום", "claimant": "x", "story_title": "x"})
    )
    row = image.crop((0, cards.BAND_HEIGHT + 30, 1200, cards.BAND_HEIGHT + 120))
    left, _, right, _ = ImageChops.invert(row.convert("L")).getbbox()
    assert right > 1200 - cards.MARGIN_X - 10 and left > 600


def test_unknown_verdict_is_refused_with_the_allowed_ones():
    with pytest.raises(ValueError, match="'flase' is not one of: accurate, needs-context"):
        draw_claim_card(**{**CLAIM, "verdict": "flase"})


def test_story_card_shows_each_verdict_colour_and_is_deterministic():
    data = draw_story_card(
        title="The UK's response", standfirst="A week of statements. " * 20, counts=COUNTS
    )
    assert data == draw_story_card(
        title="The UK's response", standfirst="A week of statements. " * 20, counts=COUNTS
    )
    image = decode(data)
    assert image.size == (1200, 630)
    present = colours(image)
    assert all(rgb(v.colour) in present for v in VERDICTS)


def test_story_card_leaves_out_verdicts_without_claims_and_checks_counts():
    image = decode(
        draw_story_card(title="T", standfirst="", counts={"accurate": 2, "inaccurate": 0})
    )
    present = colours(image)
    assert rgb(VERDICT_BY_KEY["accurate"].colour) in present
    assert rgb(VERDICT_BY_KEY["inaccurate"].colour) not in present
    with pytest.raises(ValueError, match="'bogus' is not one of"):
        draw_story_card(title="T", standfirst="", counts={"bogus": 1})
    with pytest.raises(ValueError, match="whole number"):
        draw_story_card(title="T", standfirst="", counts={"accurate": -1})
    assert decode(draw_story_card(title="T", standfirst="", counts={})).size == (1200, 630)
