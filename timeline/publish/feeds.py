"""The microsite's Atom feeds (claims, corrections), sitemap and robots.txt.

Feeds are written by feedgen (Atom, RFC 4287). They are deterministic: every date comes
from the data (a claim's ``reviewed``, a correction's ``date``), the generator is named
with our version, and entries are sorted. Entry ids never change: the claim page's
permanent URL when the site has a base URL, else a ``urn:uuid:`` derived from the claim
id (or from a correction's date, target and change). A re-reviewed claim is the same
entry with a new ``updated``. Text that XML cannot hold (control characters) is dropped.
The sitemap (sitemaps.org 0.9) is written with ``xml.etree``.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from xml.etree import ElementTree as ET

from ..core.dates import parse
from ..version import __version__

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"  # the sitemap's hreflang alternates (xhtml:link)
#: Namespace of the ``urn:uuid:`` ids of a site built without a base URL.
ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://timeline.invalid/feeds")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
#: The newest entries a feed holds. A feed reader asks for the feed again and again, so it holds the
#: latest news, not the archive (a feed of every claim was 20 MB at 30,000 claims); the site's pages,
#: sitemap and downloads hold every claim.
FEED_ENTRIES = 100


def xml_text(value: str) -> str:
    """``value`` without the characters XML 1.0 cannot hold."""
    return _NOT_XML.sub("", value or "")


@lru_cache(maxsize=65536)
def when(value: str) -> datetime:
    """A contract date (``2020-01-05``, ``2020-01-03T00:47+03:00``) as an aware datetime (start of its
    period); remembered (a feed of 30,000 claims reads each review date again and again)."""
    try:
        return parse(value).at
    except (ValueError, AttributeError):
        return EPOCH


def newest(dates: Mapping[str, datetime]) -> list[str]:
    """The keys of ``dates`` that may be among a feed's ``FEED_ENTRIES`` newest: every key dated on
    or after the ``FEED_ENTRIES``-th newest date (those tied with it too: ``atom`` breaks the tie by
    entry id), in ``dates``' order. A build makes the entries of these only."""
    if len(dates) <= FEED_ENTRIES:
        return list(dates)
    last = sorted(dates.values(), reverse=True)[FEED_ENTRIES - 1]
    return [key for key, at in dates.items() if at >= last]


def stable_id(kind: str, key: str, base_url: str | None, href: str | None = None) -> str:
    """The permanent URL (with a base URL and ``href``), else ``urn:uuid:`` of ``kind:key``."""
    if base_url and href:
        return href
    return f"urn:uuid:{uuid.uuid5(ID_NAMESPACE, f'{kind}:{key}')}"


@dataclass(frozen=True)
class Entry:
    id: str
    title: str
    updated: datetime
    link: str
    summary: str


def atom(
    *,
    feed_id: str,
    title: str,
    subtitle: str,
    author: str,
    link: str,
    self_link: str | None,
    entries: Iterable[Entry],
    language: str = "en",
    editions: Sequence[tuple[str, str]] = (),
) -> bytes:
    """An Atom feed (bytes, UTF-8): the newest ``FEED_ENTRIES`` entries, newest first (then by id);
    ``updated`` is the newest entry's.

    ``language`` (the story's BCP 47 tag) is the feed's ``xml:lang`` (feedgen writes it on ``<feed>``).
    ``editions``: the same feed in the story's other languages, ``(hreflang, URL)`` pairs written as
    ``<link rel="alternate" type="application/atom+xml" hreflang>`` (RFC 4287 4.2.7.4).
    """
    from feedgen.feed import FeedGenerator

    items = sorted(entries, key=lambda e: (-e.updated.timestamp(), e.id))[:FEED_ENTRIES]
    fg = FeedGenerator()
    fg.id(feed_id)
    fg.title(xml_text(title))
    fg.subtitle(xml_text(subtitle) or "-")
    fg.author({"name": xml_text(author)})
    fg.link(href=link, rel="alternate")
    if self_link:
        fg.link(href=self_link, rel="self")
    for hreflang, href in editions:
        fg.link(href=href, rel="alternate", type="application/atom+xml", hreflang=hreflang)
    fg.generator("timeline", version=__version__)
    fg.updated(items[0].updated if items else EPOCH)
    fg.language(language)
    for e in reversed(items):  # feedgen puts each new entry first
        fe = fg.add_entry()
        fe.id(e.id)
        fe.title(xml_text(e.title))
        fe.updated(e.updated)
        fe.link(href=e.link, rel="alternate")
        fe.summary(xml_text(e.summary))
    return fg.atom_str(pretty=True)  # type: ignore[no-any-return]


def sitemap(
    urls: Iterable[tuple[str, str | None]],
    alternates: Mapping[str, Sequence[tuple[str, str]]] | None = None,
) -> bytes:
    """``sitemap.xml`` of ``(absolute URL, lastmod or None)`` pairs; ``alternates`` gives a URL its
    pages in other languages, ``(hreflang, URL)`` pairs written as ``<xhtml:link rel="alternate">``
    (the URL's own language and ``x-default`` included, as search engines ask)."""
    ET.register_namespace("", SITEMAP_NS)
    ET.register_namespace("xhtml", XHTML_NS)
    root = ET.Element(f"{{{SITEMAP_NS}}}urlset")
    for loc, lastmod in urls:
        url = ET.SubElement(root, f"{{{SITEMAP_NS}}}url")
        ET.SubElement(url, f"{{{SITEMAP_NS}}}loc").text = xml_text(loc)
        if lastmod:
            ET.SubElement(url, f"{{{SITEMAP_NS}}}lastmod").text = lastmod
        for hreflang, href in (alternates or {}).get(loc, ()):
            ET.SubElement(
                url, f"{{{XHTML_NS}}}link", rel="alternate", hreflang=hreflang, href=xml_text(href)
            )
    ET.indent(root)
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return data + b"\n"


def w3c_date(value: str) -> str | None:
    """A contract date as a sitemap ``lastmod`` (W3C datetime): the day, in UTC for a time."""
    try:
        p = parse(value)
    except (ValueError, AttributeError):
        return None
    return str(p.at.strftime("%Y-%m-%d")) if p.precision in ("day", "minute", "second") else None


def robots(*sitemap_urls: str) -> bytes:
    """``robots.txt`` allowing everything and naming each sitemap (one per edition of the story)."""
    lines = "".join(f"Sitemap: {url}\n" for url in sitemap_urls)
    return f"User-agent: *\nAllow: /\n\n{lines}".encode()


__all__ = [
    "FEED_ENTRIES",
    "SITEMAP_NS",
    "Entry",
    "atom",
    "newest",
    "robots",
    "sitemap",
    "stable_id",
    "w3c_date",
    "when",
    "xml_text",
]
