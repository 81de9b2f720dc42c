"""Every word the kit puts on a page comes from the catalogues: the pages in a pseudo-locale.

A pseudo-translation is built here from ``timeline.pot`` (not shipped): every run of text of every
message, between its tags and placeholders, is wrapped in ``⟦…⟧``. The Persian test story is then
given a language with no catalogue of its own (Italian), the pseudo-translation is put in that
language's place, and every page type is rendered: the whole microsite, the paged list and its
sources pages, the error fragment and the feeds. A reader-visible text node or attribute (title,
aria-label, alt, placeholder, a meta description) is left with a Latin word that is neither inside
``⟦…⟧`` nor a word of the story's data fails the test: an untranslated string the kit added.
Dates and numbers are the locale's (inside ``<time>``, or digits).
"""

from __future__ import annotations

import csv
import json
import re
import shutil
from html.parser import HTMLParser
from io import BytesIO
from pathlib import Path

import feedparser
import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from timeline.core.dataset import load
from timeline.i18n import catalogues
from timeline.publish.site import build_site
from timeline.views.listing import Listing
from timeline.views.render import render_error

ROOT = Path(__file__).resolve().parents[2]
POT = ROOT / "timeline" / "i18n" / "locales" / "timeline.pot"
STORY = ROOT / "tests" / "data" / "editions" / "fa"
PSEUDO_TAG = "it"  # a language the kit ships no catalogue for
#: Tags, placeholders and HTML entities are kept as they are; the text runs between them are wrapped.
_KEEP = re.compile(r"(<[^>]+>|%\([a-z_]+\)s|&[a-z]+;|\n)")
#: Attributes a reader meets (read aloud, shown on hover, in a field, or by a search engine).
TEXT_ATTRS = ("title", "aria-label", "alt", "placeholder")
TEXT_META = {
    "description",
    "og:title",
    "og:description",
    "og:image:alt",
    "twitter:title",
    "twitter:description",
    "twitter:image:alt",
}
#: Elements whose text is code or data for a machine, not words for a reader.
SKIP = {"script", "style", "code", "textarea", "time"}
WORD = re.compile(r"[A-Za-z]{2,}")


def pseudo(text: str) -> str:
    return "".join(
        part if _KEEP.fullmatch(part) or not part.strip() else f"⟦{part}⟧"
        for part in _KEEP.split(text)
    )


def pseudo_translations() -> Translations:
    with POT.open("rb") as f:
        catalogue = read_po(f, locale="en")
    for message in catalogue:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            message.string = tuple(pseudo(s) for s in message.id)
        else:
            message.string = pseudo(message.id)
    buffer = BytesIO()
    write_mo(buffer, catalogue)
    buffer.seek(0)
    return Translations(buffer, domain=catalogues.DOMAIN)


class _Reader(HTMLParser):
    """Each text node and each reader-facing attribute, as (where, text)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[tuple[str, str]] = []
        self.stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        for name in TEXT_ATTRS:
            if name in a and tag != "time":
                self.out.append((f"<{tag} {name}>", a[name]))
        if tag == "meta" and (a.get("name") in TEXT_META or a.get("property") in TEXT_META):
            self.out.append((f"<meta {a.get('name') or a.get('property')}>", a.get("content", "")))
        if tag == "link" and a.get("rel") == "alternate":
            self.out.append(("<link title>", a.get("title", "")))
        if tag not in ("meta", "link", "input", "br", "img", "hr", "rect", "path"):
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.stack:
            while self.stack and self.stack.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if not any(t in SKIP for t in self.stack) and data.strip():
            self.out.append((f"<{self.stack[-1] if self.stack else ''}>", data))


def leftovers(text: str, data_words: set[str]) -> list[str]:
    """The Latin words of ``text`` outside ``⟦…⟧`` that are not the data's."""
    outside = re.sub(r"⟦[^⟧]*⟧|https?://\S+|[\w-]+\.(?:csv|jsonl?|zip|xml|html|png)\b", " ", text)
    return [w for w in WORD.findall(outside) if w.lower() not in data_words]


@pytest.fixture(scope="module")
def pseudo_story(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    base = tmp_path_factory.mktemp("pseudo")
    folder = base / "data"
    shutil.copytree(STORY, folder)
    story = json.loads((folder / "story.json").read_text(encoding="utf-8"))
    story["language"] = PSEUDO_TAG
    (folder / "story.json").write_text(json.dumps(story, ensure_ascii=False), encoding="utf-8")
    cells = [v for v in story.values() if isinstance(v, str)]
    for path in folder.glob("*.csv"):
        with path.open(encoding="utf-8", newline="") as f:
            cells += [v for row in csv.DictReader(f) for v in row.values()]
    words = {w.lower() for cell in cells for w in WORD.findall(cell)}
    words |= {"timeline", "csv", "png", "xml", "jsonl", "json", "zip", "sha"}  # names, as written
    fake = pseudo_translations()
    original = catalogues.translations

    def translations(tag: str):  # type: ignore[no-untyped-def]
        return fake if tag == PSEUDO_TAG else original(tag)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(catalogues, "translations", translations)
        build_site(
            folder,
            base / "site",
            base_url="https://example.org/it/",
            environ={"SOURCE_DATE_EPOCH": "1767225600"},
        )
        listing = Listing(load(folder), claim_href="claims/{id}.html")
        pages = {
            "list-page": listing.page(0, css_url="timeline.css"),
            "sources-page": listing.sources_page(0, css_url="timeline.css"),
            "error": render_error(["events.csv:2: a problem"], folder),
        }
    site = base / "site"
    for path in sorted(site.rglob("*.html")):
        pages[path.relative_to(site).as_posix()] = path.read_text(encoding="utf-8")
    return site, pages, words


def test_every_page_type_is_rendered(pseudo_story) -> None:  # type: ignore[no-untyped-def]
    _, pages, _ = pseudo_story
    kinds = {name.split("/")[0] for name in pages}
    assert {"index.html", "claims", "claimants", "categories", "sources.html", "corrections.html",
            "methodology.html", "about.html", "embed.html", "list-page", "sources-page",
            "error"} <= kinds  # fmt: skip
    assert all("⟦" in html for html in pages.values())


def test_no_page_shows_a_word_the_catalogues_did_not_give(pseudo_story) -> None:  # type: ignore[no-untyped-def]
    _, pages, words = pseudo_story
    found = []
    for name, html in pages.items():
        reader = _Reader()
        reader.feed(html)
        for where, text in reader.out:
            left = leftovers(text, words)
            if left:
                found.append(f"{name} {where}: {text.strip()[:80]!r} -> {left}")
    assert found == []


def test_the_feeds_kit_words_come_from_the_catalogues(pseudo_story) -> None:  # type: ignore[no-untyped-def]
    site, _, words = pseudo_story
    for name in ("claims.xml", "corrections.xml"):
        feed = feedparser.parse((site / "feeds" / name).read_bytes())
        texts = [feed.feed.title, feed.feed.get("subtitle", "")]
        texts += [e.title for e in feed.entries]
        assert feed.entries
        assert [t for t in texts if leftovers(t, words)] == [], name


def test_the_check_catches_a_word_left_in_english() -> None:
    """The checker itself: an English word the catalogue never saw is found; data words are not."""
    assert (
        leftovers("⟦Verdict: ⟧Radio Example https://example.org/a.html", {"radio", "example"}) == []
    )
    assert leftovers("⟦Verdict: ⟧Reviewed ۱۳ دی", {"radio"}) == ["Reviewed"]
    reader = _Reader()
    reader.feed('<p aria-label="Claims checked">x</p><time>3 gennaio</time>')
    assert [w for _, t in reader.out for w in leftovers(t, set())] == ["Claims", "checked"]
