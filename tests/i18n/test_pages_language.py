# ruff: noqa: F401, F811 -- ``sites`` is pages_support's fixture, imported here and named by the tests
"""The pages speak the story's language (issue 24, points 1-4): the Persian and Arabic test stories
built as microsites (once a session, pages_support.sites), read as a reader, a feed reader and a search
engine read them."""

from __future__ import annotations

import re
from pathlib import Path

import extruct
import feedparser
import pytest
from pages_support import (
    DESK_LABEL,
    DESK_MEANING,
    EDITIONS,
    EPOCH,
    sites,
)
from pages_support import copy_edition as _copy

from timeline.core.dataset import load
from timeline.core.story import check_story, story_locale
from timeline.errors import LoadError
from timeline.views.claim_page import ClaimPages, PageLinks
from timeline.views.language import page_language
from timeline.views.listing import Listing
from timeline.views.render import render_story


def text(html: str) -> str:
    """The page's words, tags and isolation marks left out, spaces collapsed."""
    body = html[html.find("<body") + 1 :] if "<body" in html else html
    body = re.sub(r"<script.*?</script>", " ", body, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)).replace("&#34;", '"')


@pytest.mark.parametrize("edition", ["fa", "ar"])
def test_every_page_says_its_language_and_direction(sites, edition) -> None:  # type: ignore[no-untyped-def]
    pages = sorted(sites[edition].rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        head = page.read_text(encoding="utf-8")[:200]
        assert f'<html lang="{edition}" dir="rtl">' in head, page.name


def test_the_claim_page_in_persian(sites) -> None:  # type: ignore[no-untyped-def]
    html = (sites["fa"] / "claims" / "c-cheapest.html").read_text(encoding="utf-8")
    words = text(html)
    for expected in ("راستی‌آزمایی ۳ از ۳", "ادعا", "گوینده", "داوری: اثبات‌نشده", "راستی‌آزمایی ما",
                     "شواهد", "بازبینی‌شده در سه‌شنبه ۱ بهمن ۱۳۹۸", "روی خط زمانی", "هم‌رسانی و استناد"):  # fmt: skip
        assert expected in words, expected
    # 3 January 2020 (the evidence's date) in the Solar Hijri calendar with Persian digits
    assert "جمعه ۱۳ دی ۱۳۹۸" in words
    # a month is the span of Solar Hijri months it overlaps, never a month renamed
    assert "دی–بهمن ۱۳۹۸" in words
    for english in (
        "The claim",
        "Claimant",
        "Verdict",
        "Our check",
        "Evidence",
        "Reviewed",
        "January",
    ):
        assert english not in words, english
    assert not re.search(r"[0-9]", re.sub(r"https?://\S+|\d+(?=\.html)", "", words))


def test_the_index_in_persian_dates_events_in_the_solar_hijri_calendar(sites) -> None:  # type: ignore[no-untyped-def]
    words = text((sites["fa"] / "index.html").read_text(encoding="utf-8"))
    assert "جمعه ۱۳ دی ۱۳۹۸" in words  # the council's announcement, 2020-01-03T09:00+03:30
    assert "صبح یکشنبه" in words  # the analyst's own display date, as written
    assert "۴ رویداد" in words and "۳ ادعای راستی‌آزمایی‌شده" in words
    assert "رویدادها و ادعاها، به ترتیب" in words


def test_the_index_in_arabic_names_january_as_egypt_does(sites) -> None:  # type: ignore[no-untyped-def]
    words = text((sites["ar"] / "index.html").read_text(encoding="utf-8"))
    assert "3 يناير 2020" in words
    assert "صباح الأحد" in words
    assert "الأحداث والادعاءات بالترتيب" in words


def test_iraqi_arabic_names_january_kanun_al_thani(tmp_path: Path) -> None:
    folder = _copy(tmp_path, "ar", language="ar-IQ")
    pages = ClaimPages(load(folder))
    html = pages.render("c-cheapest", links=PageLinks(home="../index.html", stylesheets=()))
    assert '<html lang="ar-IQ" dir="rtl">' in html
    assert "3 كانون الثاني 2020" in text(html)
    assert "يناير" not in html


def test_the_hijri_calendar_is_an_option_for_arabic_with_the_gregorian_date_beside(
    tmp_path: Path,
) -> None:
    folder = _copy(tmp_path, "ar", calendar="islamic-umalqura", also_gregorian=True)
    assert story_locale(folder).calendar == "islamic-umalqura"
    words = text(render_story(load(folder), mode="snapshot"))
    # 3 January 2020 is 8 Jumada al-Awwal 1441 AH; the Gregorian date follows in brackets
    assert re.search(r"8 جمادى الأولى 1441 هـ \([^)]*3 يناير 2020\)", words), words[:2000]


def test_persian_can_show_the_gregorian_date_beside(tmp_path: Path) -> None:
    folder = _copy(tmp_path, "fa", also_gregorian=True)
    html = render_story(load(folder))  # the dashboard's fragment carries the language itself
    assert (
        '<div id="timeline-app" class="tl-app" data-mode="dashboard" lang="fa" dir="rtl">' in html
    )
    assert "جمعه ۱۳ دی ۱۳۹۸ (جمعه ۳ ژانویه ۲۰۲۰)" in text(html)


def test_the_desk_s_own_verdict_words_are_shown_and_read_by_search_engines(sites) -> None:  # type: ignore[no-untyped-def]
    html = (sites["fa"] / "claims" / "c-five-years.html").read_text(encoding="utf-8")
    assert f"داوری: {DESK_LABEL}" in text(html) and DESK_MEANING in text(html)
    data = extruct.extract(html, base_url="https://example.org/fa/claims/c-five-years.html",
                           syntaxes=["json-ld"])["json-ld"]  # fmt: skip
    review = next(d for d in data if d.get("@type") == "ClaimReview")
    assert review["inLanguage"] == "fa"
    assert review["reviewRating"]["alternateName"] == DESK_LABEL
    methodology = text((sites["fa"] / "methodology.html").read_text(encoding="utf-8"))
    assert DESK_LABEL in methodology and "نیازمند زمینه" in methodology
    assert "## " not in methodology and "ادعاها چگونه انتخاب می‌شوند" in methodology


def test_claimreview_speaks_arabic(sites) -> None:  # type: ignore[no-untyped-def]
    html = (sites["ar"] / "claims" / "c-new-buses.html").read_text(encoding="utf-8")
    data = extruct.extract(html, syntaxes=["json-ld"])["json-ld"]
    review = next(d for d in data if d.get("@type") == "ClaimReview")
    assert review["inLanguage"] == "ar"
    assert review["reviewRating"]["alternateName"] == "يحتاج إلى سياق"
    assert "الحكم: يحتاج إلى سياق" in text(html)


@pytest.mark.parametrize(("edition", "locale"), [("fa", "fa_IR"), ("ar", "ar_SA")])
def test_og_locale_is_the_language_with_a_region(sites, edition, locale) -> None:  # type: ignore[no-untyped-def]
    for rel in ("index.html", "claims/c-cheapest.html"):
        html = (sites[edition] / rel).read_text(encoding="utf-8")
        assert f'<meta property="og:locale" content="{locale}">' in html, rel


def test_og_locale_keeps_a_region_the_tag_names(tmp_path: Path) -> None:
    assert page_language(_copy(tmp_path, "en")).og_locale == "en_GB"
    assert page_language(_copy(tmp_path / "x", "ar", language="ar-IQ")).og_locale == "ar_IQ"


@pytest.mark.parametrize("edition", ["fa", "ar"])
def test_feeds_say_their_language(sites, edition) -> None:  # type: ignore[no-untyped-def]
    for name in ("claims.xml", "corrections.xml"):
        feed = feedparser.parse((sites[edition] / "feeds" / name).read_bytes())
        assert feed.feed.language == edition, name
        assert feed.entries
    claims = feedparser.parse((sites["fa"] / "feeds" / "claims.xml").read_bytes())
    assert claims.feed.title.startswith("ادعاهای راستی‌آزمایی‌شده: ")


def test_the_no_javascript_list_speaks_persian(tmp_path: Path) -> None:
    listing = Listing(load(EDITIONS / "fa"))
    html = listing.page(0, css_url="timeline.css")
    assert html.startswith('<!DOCTYPE html>\n<html lang="fa" dir="rtl">')
    assert "رویدادهای ۱ تا ۴ از ۴، به ترتیب." in html and "بازگشت به خط زمانی" in html
    sources = listing.sources_page(0, css_url="timeline.css")
    assert "منابع ۱ تا ۳ از ۳" in sources


def test_embed_speaks_arabic(sites) -> None:  # type: ignore[no-untyped-def]
    html = (sites["ar"] / "embed.html").read_text(encoding="utf-8")
    assert html.startswith('<!DOCTYPE html>\n<html lang="ar" dir="rtl">')
    assert "الخط الزمني كاملًا، مع كل المصادر" in html
    assert "4 أحداث" in text(html)


def test_data_text_is_isolated_from_the_kit_s_words(sites) -> None:  # type: ignore[no-untyped-def]
    """A Latin name in Persian text is isolated (bdi), as titles, quotes and claimants are."""
    html = (sites["fa"] / "sources.html").read_text(encoding="utf-8")
    assert "<bdi>Radio Example</bdi>" in html
    claim = (sites["fa"] / "claims" / "c-cheapest.html").read_text(encoding="utf-8")
    assert '<blockquote class="tl-claim-quote" dir="auto">' in claim
    assert '<b class="tl-claimant" dir="auto">' in claim


def test_story_json_s_calendar_and_verdicts_are_checked_with_file_and_line(tmp_path: Path) -> None:
    folder = _copy(tmp_path, "fa", calendar="jalali", also_gregorian="yes",
                   verdicts={"flase": {"label": "x"}, "accurate": {"name": "y"}})  # fmt: skip
    problems = [p for p in check_story(folder) if p.severity == "error"]
    messages = [str(p) for p in problems]
    assert len(problems) == 4, messages
    assert all(p.line is not None for p in problems)
    assert any('unknown calendar "jalali"' in m and '"persian"' in m for m in messages)
    assert any("also_gregorian" in m and "true or false" in m for m in messages)
    assert any("unknown verdict 'flase'" in m and "did you mean 'false'" not in m for m in messages)
    assert any("verdicts.accurate" in m for m in messages)
    with pytest.raises(LoadError, match="story.json:"):
        story_locale(folder)


def test_the_snapshot_s_page_shell_speaks_persian() -> None:
    """The nbconvert template around the story (no kernel: the story's fragment as the one output)."""
    import nbformat

    from timeline.publish.provenance import collect
    from timeline.publish.snapshot import PageParts, _exporter_class, snapshot_words

    ds = load(EDITIONS / "fa")
    lang = page_language(ds)
    provenance = collect(EDITIONS / "fa", environ=EPOCH)
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("show()")
    cell.outputs = [
        nbformat.v4.new_output(
            "display_data", data={"text/html": render_story(ds, mode="snapshot")}
        )
    ]
    nb.cells = [cell]
    parts = PageParts(title="t", description="d", summary=lang.summary(ds.counts()), lang=lang.tag,
                      csp="default-src 'none'", canonical=None, css="", jsonld=None, scripts="",
                      provenance=provenance, dir="rtl", words=snapshot_words(lang, provenance))  # fmt: skip
    html, _ = _exporter_class()().from_notebook_node(nb, resources={"timeline": parts})
    assert '<html lang="fa" dir="rtl">' in html
    words = text(html)
    assert "دربارهٔ این نسخهٔ ثابت" in words and "ساخته‌شده در" in words
    assert "۴ رویداد، ۳ ادعا، ۳ منبع" in words
    assert "SHA-256 پروندهٔ events.csv" in words


def test_a_claim_page_hands_its_share_buttons_their_words(sites) -> None:  # type: ignore[no-untyped-def]
    """share.js reads its words from the page: a Persian page gives them in Persian."""
    import json

    html = (sites["fa"] / "claims" / "c-cheapest.html").read_text(encoding="utf-8")
    found = re.search(r'class="tl-share-actions" hidden data-tl-words="([^"]*)"', html)
    assert found, "no data-tl-words on the share buttons"
    words = json.loads(found.group(1).replace("&#34;", '"').replace("&quot;", '"'))
    assert words and all(v and v.isascii() is False for v in words.values()), words
