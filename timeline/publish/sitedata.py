"""The site's files for machines and hosts: the Atom feeds, the sitemap and robots.txt, the
downloads (the data folder's CSV files, every ClaimReview in one file) and ``_headers``.

Each is written through a :class:`Site` (``publish.site``'s build of one edition): what these
files need of it is named by the protocol, so this module does not import the build.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

from ..core.corrections import CORRECTION_KIND_BY_KEY, load_corrections
from ..views.contract import CLAIM_HREF
from ..views.corrections_html import target_label
from . import feeds, siteeditions
from .groups import CATEGORIES_DIR, CLAIMANTS_DIR
from .sitefiles import SiteWriter

#: The pages other sites may not frame (all but embed.html), as _headers paths under the site's root.
NO_FRAME_PATHS = (
    "", "index.html", "claims/*", "claimants/*", "categories/*", "sources.html", "corrections.html",
    "methodology.html", "about.html",
    "feeds/*", "downloads/*", "list/*", "search/*", "cards/*", "assets/*", "sitemap.xml", "robots.txt",
)  # fmt: skip


class Site(siteeditions.Site, Protocol):
    """What these files need of one edition's build (``publish.site._Site``): what the links
    between editions need (the sitemap's alternates), and more."""

    meta: dict[str, Any]
    publisher: str
    base: str | None
    w: SiteWriter

    @property
    def editions(self) -> Sequence[Site]: ...
    def fresh(self, rel: str, *inputs: object) -> tuple[bool, str]: ...
    def review(self, cid: str) -> dict[str, Any] | None: ...


def write_feeds(site: Site) -> None:
    _ = site.lang.gettext
    claims = []
    dates = {cid: feeds.when(c["reviewed"]) for cid, c in site.pages.claims.items()}
    for cid in feeds.newest(dates):  # the feed holds the newest claims only (FEED_ENTRIES)
        c = site.pages.claims[cid]
        rel = CLAIM_HREF.format(id=cid)
        verdict = site.pages.verdict(cid)
        claims.append(feeds.Entry(
            id=feeds.stable_id("claim", cid, site.base, site.url(rel)),
            title=_("%(verdict)s: %(title)s") % {"verdict": verdict.label, "title": site.pages.share_title(cid)},
            updated=dates[cid],
            link=site.url(rel) or f"../{rel}",
            summary=_("%(claimant)s: \u201c%(claim)s\u201d %(verdict)s. %(rationale)s") % {
                "claimant": c["claimant"], "claim": c["claim"], "verdict": verdict.label,
                "rationale": c["rationale"]},
        ))  # fmt: skip
    title = site.meta["title"]
    put_feed(site, "claims.xml", dict(
        feed_id=site.url("feeds/claims.xml") or feeds.stable_id("feed", "claims", None),
        title=_("Claims checked: %(title)s") % {"title": title}, subtitle=site.meta["standfirst"],
        author=site.publisher, language=site.lang.tag, editions=feed_editions(site, "claims.xml"),
        link=site.url("index.html") or "../index.html", self_link=site.url("feeds/claims.xml"), entries=claims,
    ))  # fmt: skip
    frame, _problems = load_corrections(site.ds.folder)
    entries = []
    for row in frame.to_dict("records"):
        date, change, target = (
            str(row.get(k, "") or "").strip() for k in ("date", "change", "target")
        )
        kind = CORRECTION_KIND_BY_KEY.get(change)
        what = target_label(target, site.ds)
        entries.append(feeds.Entry(
            id=feeds.stable_id("correction", f"{date}|{change}|{target}", None),
            title=_("%(verdict)s: %(title)s") % {
                "verdict": site.lang.pgettext("correction", kind.label) if kind else change, "title": what},
            updated=feeds.when(date),
            link=site.url("corrections.html") or "../corrections.html",
            summary=str(row.get("note", "") or ""),
        ))  # fmt: skip
    put_feed(site, "corrections.xml", dict(
        feed_id=site.url("feeds/corrections.xml") or feeds.stable_id("feed", "corrections", None),
        title=_("Corrections: %(title)s") % {"title": title}, subtitle=_("Corrections and updates, newest first."),
        author=site.publisher, language=site.lang.tag, editions=feed_editions(site, "corrections.xml"),
        link=site.url("corrections.html") or "../corrections.html", self_link=site.url("feeds/corrections.xml"),
        entries=entries,
    ))  # fmt: skip


def put_feed(site: Site, name: str, feed: dict[str, Any]) -> None:
    """Write ``feeds/<name>`` (``feeds.atom`` of ``feed``) unless the last build wrote it from the same entries."""
    rel = f"feeds/{name}"
    entries = [(e.id, e.title, e.updated.isoformat(), e.link, e.summary) for e in feed["entries"]]
    fresh, _ = site.fresh(rel, {k: v for k, v in feed.items() if k != "entries"}, entries)
    if not fresh:
        site.w.put(rel, feeds.atom(**feed))


def feed_editions(site: Site, name: str) -> list[tuple[str, str]]:
    """Feed ``name`` in the other editions: (hreflang, URL), relative to this feed without a base URL."""
    rel = f"feeds/{name}"
    return [(e.tag, e.url(rel) or posixpath.relpath(e.home + rel, site.home + "feeds"))
            for e in site.editions if e is not site]  # fmt: skip


def write_sitemap(site: Site) -> None:
    if not site.base:
        return
    dates = [feeds.w3c_date(c["reviewed"]) for c in site.pages.claims.values()]
    last = max((d for d in dates if d), default=None)
    urls: list[tuple[str, str | None]] = [(site.base_join("index.html"), last)]
    for cid, d in zip(site.pages.ids, dates):
        urls.append((site.base_join(CLAIM_HREF.format(id=cid)), d))
    for folder, groups in (
        (CLAIMANTS_DIR, site.groups.claimants),
        (CATEGORIES_DIR, site.groups.categories),
    ):
        for g in groups.values():
            latest = max((d for d in (feeds.w3c_date(site.pages.claims[c]["reviewed"]) for c in g.claims) if d),
                         default=None)  # fmt: skip
            urls.append((site.base_join(f"{folder}/{g.rel}"), latest))
    for rel in ("sources.html", "corrections.html", "methodology.html", "about.html"):
        urls.append((site.base_join(rel), None))
    alternates = {
        loc: siteeditions.alternate_urls(site, loc.removeprefix(site.base)) for loc, _ in urls
    }
    site.w.put("sitemap.xml", feeds.sitemap(urls, alternates))
    # robots.txt is read at the site's root only: the first edition's names every edition's sitemap.
    if site is site.editions[0]:
        sitemaps = (e.base_join("sitemap.xml") for e in site.editions)
        site.w.put("robots.txt", feeds.robots(*sitemaps))


def download_names(site: Site) -> list[str]:
    folder = site.ds.folder
    csvs = sorted(p.name for p in Path(folder).glob("*.csv")) if folder else []
    return [*csvs, "claimreviews.json"]


#: Every ClaimReview in one file; and what the next build keeps of it (``SiteWriter.cache``).
REVIEWS = "downloads/claimreviews.json"
REVIEWS_KEPT = "claimreviews.json"


def write_downloads(site: Site) -> None:
    folder = Path(site.ds.folder or ".")
    for name in download_names(site)[:-1]:
        site.w.put(f"downloads/{name}", (folder / name).read_bytes())
    # One ClaimReview per line: a diff of two builds shows the claims that changed, and each line
    # is written by json's C encoder (indented, the whole list took Python's: 0.5 s at 30,000).
    lines, claims = review_lines(site)
    body = ("[\n" + ",\n".join(lines) + "\n]\n" if lines else "[]\n").encode("utf-8")
    site.w.put(REVIEWS, body)
    kept = {"sha256": hashlib.sha256(body).hexdigest(), "claims": claims}
    site.w.cache(REVIEWS_KEPT, json.dumps(kept, sort_keys=True, separators=(",", ":")).encode())


def review_lines(site: Site) -> tuple[list[str], dict[str, list[Any]]]:
    """Each rated claim's ClaimReview as a line of JSON, in the pages' order; and per claim, its
    page's key and its line (1 for the first, -1 for none). A claim whose page's key is the last
    build's (``SiteWriter.inputs``: it covers all a ClaimReview shows) keeps its line from the last
    build's file, when that file is the one the last build wrote (its digest, kept). Called
    once the claim pages are keyed (``site._Site.claim_tasks``)."""
    last: list[str] = []
    old: dict[str, tuple[str, int]] = {}
    kept = site.w.kept(REVIEWS_KEPT)
    if kept is not None:
        try:
            meta = json.loads(kept)
            body = (site.w.root / REVIEWS).read_bytes()
            if hashlib.sha256(body).hexdigest() == meta["sha256"]:
                last = body.decode("utf-8").split("\n")  # "[", the lines, "]", ""
                old = {c: (str(k), int(n)) for c, (k, n) in meta["claims"].items()}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            last, old = [], {}
    lines: list[str] = []
    claims: dict[str, list[Any]] = {}
    for cid in site.pages.ids:
        key = site.w.inputs.get(CLAIM_HREF.format(id=cid), "")
        was = old.get(cid)
        line: str | None
        if (
            key
            and was is not None
            and was[0] == key
            and (was[1] == -1 or 0 < was[1] < len(last) - 2)
        ):
            line = last[was[1]].removesuffix(",") if was[1] > 0 else None  # the last build's line
        else:
            review = site.review(cid)
            line = None if review is None else json.dumps(review, ensure_ascii=False)
        claims[cid] = [key, -1 if line is None else len(lines) + 1]
        if line is not None:
            lines.append(line)
    return lines, claims


def write_headers(site: Site) -> None:
    if site is not site.editions[0]:  # hosts read _headers at the root: the first one's has all
        return
    prefix = urlsplit(site.base).path if site.base else "/"
    prefix = prefix if prefix.endswith("/") else prefix.rsplit("/", 1)[0] + "/"
    lines = [
        "# HTTP headers for Netlify and Cloudflare Pages (see README, Microsite: hosting).",
        "# Framing by other sites is refused for every page but embed.html; CSP",
        "# frame-ancestors and X-Frame-Options work only as HTTP headers, not in <meta>.",
    ]
    for home in (prefix + e.home for e in site.editions):
        for path in NO_FRAME_PATHS:
            lines += [
                f"{home}{path}",
                "  Content-Security-Policy: frame-ancestors 'none'",
                "  X-Frame-Options: DENY",
                "  X-Content-Type-Options: nosniff",
                "  Referrer-Policy: no-referrer",
            ]
        lines += [f"{home}embed.html", "  Content-Security-Policy: frame-ancestors *",
                  "  X-Content-Type-Options: nosniff", "  Referrer-Policy: no-referrer"]  # fmt: skip
    site.w.put("_headers", "\n".join(lines) + "\n")


__all__ = [
    "NO_FRAME_PATHS",
    "Site",
    "download_names",
    "write_downloads",
    "write_feeds",
    "write_headers",
    "write_sitemap",
]
