"""Share cards in the story's language (issue 24): kit words and verdicts from the catalogues, dates in
the language's calendar and digits, and a right-to-left card mirrored (band, glyph, strip, chips).

Golden images (tests/publish/golden/) are compared pixel by pixel with a small tolerance (the fonts
are Debian's pinned packages; a FreeType or HarfBuzz update may move an edge pixel). The English
card's golden was drawn by the code before this change: English cards stay byte-identical (re-encoded
twice since, for a faster build: at zlib level 3, then unfiltered by ``cards.png`` itself; its pixels
checked identical to the first golden's each time).
Regenerate the right-to-left goldens after a deliberate change to the cards:
``TIMELINE_REGENERATE_GOLDEN=1 .venv/bin/python -m pytest tests/publish/test_cards_i18n.py``
(then look at the PNGs before committing them).
"""

from __future__ import annotations

import io
import math
import os
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from timeline.core.schema import VERDICT_BY_KEY
from timeline.errors import OptionError
from timeline.publish.cards import (
    BAND_HEIGHT,
    MARGIN_X,
    WIDTH,
    card_date,
    draw_claim_card,
    draw_story_card,
    glyph_width,
)

GOLDEN = Path(__file__).parent / "golden"
REGENERATE = os.environ.get("TIMELINE_REGENERATE_GOLDEN") == "1"
#: The tests' own Persian and Arabic stories (tests/data/editions): one claim each, as the site draws it.
FA_CLAIM = {
    "verdict": "unsubstantiated",
    "headline": "ادعای شهردار دربارهٔ ارزان‌ترین کرایه‌های کشور",
    "claimant": "شهردار شهر نمونه",
    "date": card_date("2020-01-20", "fa"),
    "story_title": "کرایهٔ تازهٔ اتوبوس در شهر نمونه",
    "language": "fa",
}
AR_CLAIM = {
    "verdict": "unsubstantiated",
    "headline": "ادعاء رئيس البلدية أن أجور المدينة هي الأرخص",
    "claimant": "رئيس بلدية مدينة المثال",
    "date": card_date("2020-01-20", "ar"),
    "story_title": "أجور الحافلات الجديدة في مدينة المثال",
    "language": "ar",
}
FA_STORY = {
    "title": "کرایهٔ تازهٔ اتوبوس در شهر نمونه",
    "standfirst": "شورای شهر نمونه در دی ۱۳۹۸ کرایهٔ اتوبوس را افزایش داد.",
    "counts": {"accurate": 2, "needs-context": 1, "unsubstantiated": 1, "inaccurate": 3},
    "language": "fa",
}
EN_CLAIM = {
    "verdict": "unsubstantiated",
    "headline": "Soleimani was plotting imminent attacks on US diplomats",
    "claimant": "Donald Trump",
    "date": "Friday 3 January 2020",
    "story_title": "The UK's response to the killing of Qasem Soleimani",
}


def decode(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image.convert("RGB")


def assert_like_golden(data: bytes, name: str) -> None:
    """The card looks like ``golden/name``: at most 0.2% of its pixels differ by more than a little."""
    path = GOLDEN / name
    if REGENERATE:
        path.write_bytes(data)
    golden = decode(path.read_bytes())
    image = decode(data)
    assert image.size == golden.size
    diff = ImageChops.difference(image, golden).convert("L").point(lambda v: 255 if v > 48 else 0)
    changed = diff.histogram()[255]
    assert changed <= image.width * image.height * 0.002, (
        f"{name}: {changed} pixels differ from the golden image (box {diff.getbbox()}); "
        "if the change is deliberate, regenerate (see the module's docstring)"
    )


def white_columns(image: Image.Image, top: int, bottom: int) -> list[int]:
    """The columns of ``image`` with white (glyph or letter) pixels between rows ``top`` and ``bottom``."""
    band = image.crop((0, top, image.width, bottom)).convert("L")
    return [
        x for x in range(band.width) if any(band.getpixel((x, y)) > 230 for y in range(band.height))
    ]


def test_persian_and_arabic_claim_cards_match_their_golden_images() -> None:
    assert_like_golden(draw_claim_card(**FA_CLAIM), "claim-fa.png")
    assert_like_golden(draw_claim_card(**AR_CLAIM), "claim-ar.png")
    assert_like_golden(draw_story_card(**FA_STORY), "story-fa.png")


def test_an_english_card_is_byte_identical_to_the_one_drawn_before_cards_spoke_languages() -> None:
    data = draw_claim_card(**EN_CLAIM)
    assert data == draw_claim_card(**EN_CLAIM, language="en-GB")
    assert data == (GOLDEN / "claim-en.png").read_bytes()


def test_a_right_to_left_card_puts_its_glyph_at_the_right_of_the_band() -> None:
    # The glyph (white on the verdict's colour) is the first thing from the start of the line:
    # the band's rightmost white pixels in Persian, its leftmost in English; the kit's tag is at the other end.
    fa = decode(draw_claim_card(**FA_CLAIM))
    en = decode(draw_claim_card(**EN_CLAIM))
    gw = math.ceil(glyph_width("unsubstantiated", 58))
    right = fa.crop((WIDTH - MARGIN_X - gw, 4, WIDTH - MARGIN_X, BAND_HEIGHT - 4))
    left = en.crop((MARGIN_X, 4, MARGIN_X + gw, BAND_HEIGHT - 4))
    assert white_columns(right, 0, right.height)  # the glyph is there, ...
    diff = ImageChops.difference(right, left).convert("L").point(lambda v: 255 if v > 96 else 0)
    assert (
        diff.histogram()[255] < gw
    )  # ... the same as the English card's at the left (edges aside)
    # Then the gap (26 px) before the label, which runs leftwards.
    assert not white_columns(
        fa.crop((WIDTH - MARGIN_X - gw - 24, 0, WIDTH - MARGIN_X - gw - 2, BAND_HEIGHT)),
        4,
        BAND_HEIGHT - 4,
    )
    assert min(white_columns(fa, 4, BAND_HEIGHT - 4)) < WIDTH / 4  # the kit's tag, at the left


def test_a_right_to_left_story_card_runs_its_verdict_strip_from_the_right() -> None:
    image = decode(draw_story_card(**FA_STORY))
    best, worst = VERDICT_BY_KEY["accurate"].colour, VERDICT_BY_KEY["inaccurate"].colour
    as_rgb = lambda h: tuple(int(h[i : i + 2], 16) for i in (1, 3, 5))  # noqa: E731
    assert image.getpixel((WIDTH - 2, 8)) == as_rgb(best)
    assert image.getpixel((1, 8)) == as_rgb(worst)
    english = decode(draw_story_card(**{**FA_STORY, "language": "en"}))
    assert english.getpixel((1, 8)) == as_rgb(best)


def test_the_kit_words_and_the_verdict_come_from_the_language_catalogue() -> None:
    # The same text in a Persian card and a card of the same story said to be English differ only in
    # the band (the verdict's label and the kit's tag); a language with no catalogue reads English.
    fa = decode(draw_claim_card(**FA_CLAIM))
    as_en = decode(draw_claim_card(**{**FA_CLAIM, "language": "en"}))
    assert ImageChops.difference(fa, as_en).getbbox()[1] < BAND_HEIGHT  # type: ignore[index]
    assert draw_claim_card(**EN_CLAIM, language="en") == draw_claim_card(**EN_CLAIM, language="it")
    with pytest.raises(OptionError, match="fa"):
        draw_claim_card(**{**FA_CLAIM, "language": "farsi"})


def test_card_dates_are_written_in_the_language_calendar_and_digits() -> None:
    assert card_date("2020-01-03", "fa") == "جمعه ۱۳ دی ۱۳۹۸"
    assert card_date("2020-01", "fa") == "دی–بهمن ۱۳۹۸"
    assert card_date("2020", "fa") == "۱۳۹۸–۱۳۹۹"
    assert card_date("2020-01-03T09:00+03:30", "fa") == "جمعه ۱۳ دی ۱۳۹۸، ساعت ۹:۰۰ (UTC+۰۳:۳۰)"
    assert "يناير" in card_date("2020-01-03", "ar") and "كانون الثاني" in card_date(
        "2020-01-03", "ar-IQ"
    )
    assert card_date("2020-01-03", "de") == "Freitag, 3. Januar 2020"
    assert card_date("the morning after", "fa") == "the morning after"


def test_the_desks_own_verdict_label_is_the_one_the_card_shows(tmp_path: Path) -> None:
    """story.json's ``verdicts`` names the scale in the desk's words: the site's card shows that
    label (the same card as one drawn with it), not the catalogue's."""
    import json
    import shutil

    from timeline.publish.site import build_site

    folder = tmp_path / "fa"
    shutil.copytree(Path(__file__).parents[1] / "data" / "editions" / "fa", folder)
    story = json.loads((folder / "story.json").read_text(encoding="utf-8"))
    story["verdicts"] = {"unsubstantiated": {"label": "بی‌پشتوانه"}}
    (folder / "story.json").write_text(json.dumps(story, ensure_ascii=False), encoding="utf-8")
    build_site(folder, tmp_path / "site", jobs=1)
    card = (tmp_path / "site" / "cards" / "c-cheapest.png").read_bytes()
    own = {**FA_CLAIM, "labels": {"unsubstantiated": "بی‌پشتوانه"}}
    assert card == draw_claim_card(**own)
    assert card != draw_claim_card(**FA_CLAIM)
