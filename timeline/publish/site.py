"""The fact-check microsite: ``build_site(folder, out_dir)`` writes a static site of the story.

What it writes (paths relative to ``out_dir``; every link between them is relative, so
the site works from any address and from ``file://``)::

    index.html                the timeline, as the snapshot shows it; each claim links its page
                              (a story of more than 2,000 events: its first page, publish.sitelist)
    list/, search/            such a story's list in files, plain pages of it, its search index
    claims/<id>.html          a page per claim (views.claim_page), with its one ClaimReview
    claimants/<slug>.html     a page per claimant: their claims in time order, a count per verdict
    categories/<slug>.html    the same per category (lane) of events (publish.groups)
    cards/<id>.png            a share card per claim, and cards/story.png (publish.cards)
    sources.html              every source: publisher, date, archived copy, who cites it
    corrections.html          the corrections log
    methodology.html          the verdict scale, sourcing, time zones, corrections policy
    about.html                who publishes the fact checks: name, address, contact, funding
    embed.html                a compact view for an <iframe> elsewhere (publish.embed)
    feeds/claims.xml          Atom: one entry per claim, updated when it is re-reviewed
    feeds/corrections.xml     Atom: one entry per correction
    downloads/*.csv           the data folder's CSV files
    downloads/claimreviews.json   every ClaimReview in one file
    assets/<name>.<hash>.<ext>    the stylesheet and scripts, once, named by content
    _headers                  HTTP headers for Netlify/Cloudflare Pages (framing: embed.html only)
    sitemap.xml, robots.txt   with a base URL only

Pages carry a strict Content-Security-Policy (``<meta>``) and ask no other host for
anything; only ``index.html`` and ``embed.html`` run scripts (files in ``assets/``).
With ``base_url`` pages get a canonical link, Open Graph and Twitter card tags, and
ClaimReview ``url``s are absolute. ``SOURCE_DATE_EPOCH`` fixes the one build time shown
(index.html's footer); everything else comes from the data, so two builds of the same
data are byte-identical. A rebuild writes only the files whose bytes change and removes
the files of deleted claims (``sitefiles.SiteWriter``); a share card is drawn again only
when what it shows changed.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import jinja2
from markupsafe import Markup

from ..core.corrections import CORRECTION_KIND_BY_KEY, load_corrections
from ..core.dataset import Dataset, load
from ..core.schema import VERDICTS
from ..core.story import publisher_info, publisher_name
from ..errors import ExportError, ValidationError
from ..i18n.catalogues import gettext
from ..views.assets import asset_text, plotly_js
from ..views.claim_page import PAGES, ClaimPages, Head, PageLinks, verdict_views
from ..views.contract import CLAIM_HREF
from ..views.corrections_html import render_corrections, target_label
from ..views.listing import Listing
from ..views.render import StaticList, render_story, templates
from . import cards, embed, feeds, sitelist, typeset
from .claimreview import claim_review, claimant_schema_type, script_text
from .groups import CATEGORIES_DIR, CLAIMANTS_DIR, Group, Groups
from .methodology import methodology_text
from .provenance import collect
from .sitefiles import SiteWriter, digest
from .snapshot import check_base_url

CARD_SIZE = (1200, 630)
INDEX_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; base-uri 'none'; form-action 'none'"
)
PAGE_CSP = "default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'"
#: The pages other sites may not frame (all but embed.html), as _headers paths under the site's root.
NO_FRAME_PATHS = (
    "", "index.html", "claims/*", "claimants/*", "categories/*", "sources.html", "corrections.html",
    "methodology.html", "about.html",
    "feeds/*", "downloads/*", "list/*", "search/*", "cards/*", "assets/*", "sitemap.xml", "robots.txt",
)  # fmt: skip


@dataclass
class SiteReport:
    """What a build did: files written, left as they were, removed; the embed code to paste."""

    out_dir: Path
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    embed_code: str = ""


def _env() -> jinja2.Environment:
    return templates(("timeline.publish", "templates/site"), PAGES)


def hashed_name(name: str, body: bytes) -> str:
    """``assets/timeline.css`` -> ``assets/timeline.<12 hex of sha256>.css``."""
    stem, _, ext = name.rpartition(".")
    return f"assets/{stem}.{hashlib.sha256(body).hexdigest()[:12]}.{ext}"


@lru_cache(maxsize=1)
def _card_code() -> str:
    """A digest of the code that draws the cards (cards.py, typeset.py): a card is drawn again
    when its inputs or this code change. Read once per process, not once per card."""
    h = hashlib.sha256()
    for module in (cards, typeset):
        h.update(Path(module.__file__ or "").read_bytes())
    return h.hexdigest()


class _Site:
    """One build: the dataset, where things go, and the writer."""

    def __init__(
        self,
        ds: Dataset,
        out: Path,
        base_url: str | None,
        publisher: str | None,
        environ: Mapping[str, str] | None,
    ) -> None:
        self.ds = ds
        self.base = base_url
        # Who publishes: --publisher first, then story.json's publisher, then the default name.
        # story.json's address (url) is the ClaimReview author's url only when its name is used.
        self.about = publisher_info(ds.folder)
        self.publisher = publisher_name(publisher, ds.folder)
        own = self.about.get("name") == self.publisher
        self.publisher_url = (self.about.get("url") if own else None) or base_url
        self.w = SiteWriter(out)
        self.provenance = collect(ds.folder or ".", environ=environ)
        self.pages = ClaimPages(ds)
        self.meta = self.pages.meta
        self.groups = Groups(self.pages)
        self.assets: dict[str, str] = {}
        self.reviews: dict[str, dict[str, Any]] = {}

    def url(self, rel: str) -> str | None:
        return urljoin(self.base, rel) if self.base else None

    def links(self, up: str = "") -> PageLinks:
        return PageLinks(
            home=f"{up}index.html",
            stylesheets=(up + self.assets["timeline.css"],),
            methodology=f"{up}methodology.html",
            sources=f"{up}sources.html",
            corrections=f"{up}corrections.html",
            about=f"{up}about.html",
            feeds=(
                ("Claims", f"{up}feeds/claims.xml"),
                ("Corrections", f"{up}feeds/corrections.xml"),
            ),
            claim="{id}.html",
        )

    def share_tags(
        self, rel: str, title: str, description: str, card: str, alt: str, kind: str
    ) -> Head:
        canonical = self.url(rel)
        if canonical is None:
            return Head()
        image = self.url(card) or ""
        meta = (
            ("property", "og:type", kind),
            ("property", "og:site_name", self.meta["title"]),
            ("property", "og:locale", "en_GB"),
            ("property", "og:title", title),
            ("property", "og:description", description),
            ("property", "og:url", canonical),
            ("property", "og:image", image),
            ("property", "og:image:type", "image/png"),
            ("property", "og:image:width", str(CARD_SIZE[0])),
            ("property", "og:image:height", str(CARD_SIZE[1])),
            ("property", "og:image:alt", alt),
            ("name", "twitter:card", "summary_large_image"),
            ("name", "twitter:title", title),
            ("name", "twitter:description", description),
            ("name", "twitter:image", image),
            ("name", "twitter:image:alt", alt),
        )
        return Head(canonical=canonical, meta=meta)

    # ------------------------------------------------------------------ parts
    def write_assets(self) -> None:
        bodies = {
            "timeline.css": asset_text("timeline.css").encode(),
            "timeline.js": asset_text("timeline.js").encode(),
            "share.js": asset_text("share.js").encode(),
            "plotly-basic.js": plotly_js().encode(),
            **{name: str(text).encode() for name, text in embed.EMBED_ASSETS.items()},
        }
        for name, body in bodies.items():
            rel = hashed_name(name, body)
            self.assets[name] = rel
            self.w.put(rel, body)

    def event_date(self, event_id: str) -> str:
        e = self.pages.events.get(event_id)
        return (e["display_date"] or e["label"]) if e else ""

    def write_claims(self) -> None:
        links = replace(self.links("../"), scripts=("../" + self.assets["share.js"],))
        sources = self.pages.sources
        for cid in self.pages.ids:
            c = self.pages.claims[cid]
            rel = CLAIM_HREF.format(id=cid)
            title = self.pages.title(cid)
            verdict = self.pages.verdict(cid)
            claimant = self.groups.claimants.get(self.groups.claimant_of[cid])
            lane = self.groups.categories.get(self.groups.lane_of[cid])
            review = claim_review(
                {**c, "claimant_type": claimant.claimant_type} if claimant else c,
                sources.get(c["said_in"]), url=self.url(rel) or f"{cid}.html",
                publisher=self.publisher, publisher_url=self.publisher_url,
                claimant_url=self.url(f"{CLAIMANTS_DIR}/{claimant.rel}") if claimant else None,
            )  # fmt: skip
            if review is not None:
                self.reviews[cid] = review
            alt = f"{verdict.label}: {title} ({c['claimant']})"
            head = self.share_tags(
                rel,
                self.pages.share_title(cid),
                self.pages.description(cid),
                f"cards/{cid}.png",
                alt,
                "article",
            )
            head = Head(head.canonical, head.meta, script_text(review) if review else None)
            self.w.put(rel, self.pages.render(
                cid, links=links, head=head, publisher=self.publisher,
                claimant_href=f"../{CLAIMANTS_DIR}/{claimant.rel}" if claimant else None,
                category=(lane.name, f"../{CATEGORIES_DIR}/{lane.rel}") if lane else None,
            ))  # fmt: skip
            self.card(
                f"cards/{cid}.png", "claim", verdict=c["verdict"], headline=title,
                claimant=c["claimant"], date=self.event_date(c["event_id"]), story_title=self.meta["title"],
            )  # fmt: skip
        counts = {v.key: 0 for v in VERDICTS}
        for c in self.pages.claims.values():
            if c["verdict"] in counts:
                counts[c["verdict"]] += 1
        self.card(
            "cards/story.png",
            "story",
            title=self.meta["title"],
            standfirst=self.meta["standfirst"],
            counts=counts,
        )

    def card(self, rel: str, kind: str, **inputs: Any) -> None:
        key = digest(kind, _card_code(), inputs)
        if self.w.fresh(rel, key):
            return
        draw = cards.draw_claim_card if kind == "claim" else cards.draw_story_card
        self.w.put(rel, draw(**inputs))

    def page(self, rel: str, template: str, **context: Any) -> None:
        self.w.put(rel, _env().get_template(template).render(story=self.meta, **context))

    def write_index(self) -> str:
        # The embed code needs the page's address: only a site built with --base-url has one.
        embed_url = self.url("embed.html")
        snippet = embed.embed_code(embed_url, title=self.meta["title"]) if embed_url else ""
        static = self.write_list() if len(self.ds.events) > sitelist.PAGED_ABOVE else None
        story_html = render_story(self.ds, mode="snapshot", claim_href=CLAIM_HREF, static_list=static)
        counts = self.ds.summary()
        head = self.share_tags("", self.meta["title"], self.meta["standfirst"] or counts, "cards/story.png",
                               f"{self.meta['title']}: {counts}", "website")  # fmt: skip
        downloads = [(name, f"downloads/{name}") for name in self.download_names()]
        self.page(
            "index.html", "index.html.j2", links=self.links(), head=head, csp=INDEX_CSP,
            title=self.meta["title"], description=f"Fact-check timeline: {counts}, every claim linked to its sources.",
            scripts=[self.assets["plotly-basic.js"], self.assets["timeline.js"]],
            story_html=Markup(story_html), embed_snippet=snippet, embed_href="embed.html",
            provenance=self.provenance, summary=f"Data: {counts}", downloads=downloads,
            groups=self.group_list(),
        )  # fmt: skip
        return str(snippet)

    def write_list(self) -> StaticList:
        """A long story's list, chart data and search index as files (publish.sitelist)."""
        links = self.links("../")
        lang = sitelist.LANG
        nav = {
            "label": gettext("Pages of the list of events", lang),
            "end": gettext("end of the page", lang),
            "prev_words": gettext("Earlier events", lang),
            "next_words": gettext("Later events", lang),
            "home_words": gettext("Back to the timeline", lang),
            "home": "../index.html",
        }

        def page(heading: str, intro: str, items: str, prev: str, nxt: str) -> str:
            return _env().get_template("list-page.html.j2").render(
                story=self.meta, links=links, head=Head(), csp=PAGE_CSP,
                title=f"{heading}: {self.meta['title']}", heading=heading, intro=intro,
                items=Markup(items), nav={**nav, "prev": prev, "next": nxt},
            )  # fmt: skip

        return sitelist.write_paged(Listing(self.ds, claim_href=CLAIM_HREF), self.w.put, page)

    def group_list(self) -> dict[str, list[dict[str, Any]]]:
        """The index's list of claimants and categories: name, page, number of claims."""
        return {
            key: [{"name": g.name, "href": f"{folder}/{g.rel}", "total": len(g.claims)} for g in groups.values()]
            for key, folder, groups in (("claimants", CLAIMANTS_DIR, self.groups.claimants),
                                        ("categories", CATEGORIES_DIR, self.groups.categories))
        }  # fmt: skip

    def write_groups(self) -> None:
        links = self.links("../")
        for kind, folder, groups in (("Claimant", CLAIMANTS_DIR, self.groups.claimants),
                                     ("Category", CATEGORIES_DIR, self.groups.categories)):  # fmt: skip
            for g in groups.values():
                self.write_group(kind, f"{folder}/{g.rel}", g, links)

    def write_group(self, kind: str, rel: str, g: Group, links: PageLinks) -> None:
        canonical = self.url(rel)
        jsonld = None
        if canonical and kind == "Claimant":  # the same identity as the ClaimReviews' claim author
            who = {"@id": f"{canonical}#id", "@type": claimant_schema_type({"claimant_type": g.claimant_type}),
                   "name": g.name, "url": canonical}  # fmt: skip
            jsonld = script_text({"@context": "https://schema.org", "@type": "ProfilePage", "url": canonical,
                                  "mainEntity": who})  # fmt: skip
        self.page(
            rel, "group.html.j2", links=links, head=Head(canonical=canonical, jsonld=jsonld), csp=PAGE_CSP,
            title=f"{kind}: {g.name} ({self.meta['title']})", kind=kind, name=g.name,
            description=f"{kind} {g.name}: {len(g.claims)} claims checked, with their verdicts.",
            counts=self.groups.counts(g), items=self.groups.items(g, lambda cid: f"../{CLAIM_HREF.format(id=cid)}"),
            total=len(g.claims), index_href="../index.html#tl-groups",
            events=self.groups.events(g, "../index.html") if kind == "Category" else [],
        )  # fmt: skip

    def write_embed(self) -> None:
        html = embed.render_embed(
            self.ds,
            assets={name: self.assets[name] for name in ("timeline.css", "embed.css", "embed.js")},
            claim_href=lambda cid: CLAIM_HREF.format(id=cid),
            story_href="index.html",
        )
        self.w.put("embed.html", html)

    def write_sources(self) -> None:
        cited: dict[str, dict[str, list[dict[str, str]]]] = {
            sid: {"events": [], "claims": []} for sid in self.pages.sources
        }
        for row in self.ds.raw("events").to_dict("records"):
            eid = str(row["id"]).strip()
            for sid in {s.strip() for s in str(row["sources"]).split(";") if s.strip()}:
                if sid in cited:
                    cited[sid]["events"].append({"id": eid, "title": str(row["title"]).strip()})
        for cid, c in self.pages.claims.items():
            refs = [c["said_in"], *c["evidence"].split(";")]
            for sid in dict.fromkeys(s.strip() for s in refs if s.strip()):
                if sid in cited:
                    cited[sid]["claims"].append({"id": cid, "title": self.pages.title(cid)})
        sources = [{**s, **cited[sid]} for sid, s in self.pages.sources.items()]
        self.page("sources.html", "sources.html.j2", links=self.links(), head=Head(canonical=self.url("sources.html")),
                  csp=PAGE_CSP, title=f"Sources: {self.meta['title']}", sources=sources)  # fmt: skip

    def write_corrections(self) -> None:
        self.page(
            "corrections.html", "corrections.html.j2", links=self.links(), head=Head(canonical=self.url("corrections.html")),
            csp=PAGE_CSP, title=f"Corrections: {self.meta['title']}",
            corrections=render_corrections(self.ds, home="index.html", heading=None),
        )  # fmt: skip

    def write_about(self) -> None:
        self.page(
            "about.html", "about.html.j2", links=self.links(), head=Head(canonical=self.url("about.html")),
            csp=PAGE_CSP, title=f"Who we are: {self.meta['title']}", publisher=self.publisher,
            about=self.about if self.about.get("name") == self.publisher else {},
        )  # fmt: skip

    def write_methodology(self) -> None:
        self.page(
            "methodology.html", "methodology.html.j2", links=self.links(), head=Head(canonical=self.url("methodology.html")),
            csp=PAGE_CSP, title=f"Methodology: {self.meta['title']}", verdicts=verdict_views(),
            text=methodology_text(self.ds.folder),
        )  # fmt: skip

    def write_feeds(self) -> None:
        claims = []
        for cid, c in self.pages.claims.items():
            rel = CLAIM_HREF.format(id=cid)
            verdict = self.pages.verdict(cid)
            claims.append(feeds.Entry(
                id=feeds.stable_id("claim", cid, self.base, self.url(rel)),
                title=f"{verdict.label}: {self.pages.share_title(cid)}",
                updated=feeds.when(c["reviewed"]),
                link=self.url(rel) or f"../{rel}",
                summary=f"{c['claimant']}: \u201c{c['claim']}\u201d {verdict.label}. {c['rationale']}",
            ))  # fmt: skip
        title = self.meta["title"]
        self.w.put("feeds/claims.xml", feeds.atom(
            feed_id=self.url("feeds/claims.xml") or feeds.stable_id("feed", "claims", None),
            title=f"Claims checked: {title}", subtitle=self.meta["standfirst"], author=self.publisher,
            link=self.url("index.html") or "../index.html", self_link=self.url("feeds/claims.xml"), entries=claims,
        ))  # fmt: skip
        frame, _ = load_corrections(self.ds.folder)
        entries = []
        for row in frame.to_dict("records"):
            date, change, target = (
                str(row.get(k, "") or "").strip() for k in ("date", "change", "target")
            )
            kind = CORRECTION_KIND_BY_KEY.get(change)
            what = target_label(target, self.ds)
            entries.append(feeds.Entry(
                id=feeds.stable_id("correction", f"{date}|{change}|{target}", None),
                title=f"{kind.label if kind else change}: {what}",
                updated=feeds.when(date),
                link=self.url("corrections.html") or "../corrections.html",
                summary=str(row.get("note", "") or ""),
            ))  # fmt: skip
        self.w.put("feeds/corrections.xml", feeds.atom(
            feed_id=self.url("feeds/corrections.xml") or feeds.stable_id("feed", "corrections", None),
            title=f"Corrections: {title}", subtitle="Corrections and updates, newest first.", author=self.publisher,
            link=self.url("corrections.html") or "../corrections.html", self_link=self.url("feeds/corrections.xml"),
            entries=entries,
        ))  # fmt: skip

    def write_sitemap(self) -> None:
        if not self.base:
            return
        dates = [feeds.w3c_date(c["reviewed"]) for c in self.pages.claims.values()]
        last = max((d for d in dates if d), default=None)
        urls: list[tuple[str, str | None]] = [(self.base_join("index.html"), last)]
        for cid, d in zip(self.pages.ids, dates):
            urls.append((self.base_join(CLAIM_HREF.format(id=cid)), d))
        for folder, groups in (
            (CLAIMANTS_DIR, self.groups.claimants),
            (CATEGORIES_DIR, self.groups.categories),
        ):
            for g in groups.values():
                latest = max((d for d in (feeds.w3c_date(self.pages.claims[c]["reviewed"]) for c in g.claims) if d),
                             default=None)  # fmt: skip
                urls.append((self.base_join(f"{folder}/{g.rel}"), latest))
        for rel in ("sources.html", "corrections.html", "methodology.html", "about.html"):
            urls.append((self.base_join(rel), None))
        self.w.put("sitemap.xml", feeds.sitemap(urls))
        self.w.put("robots.txt", feeds.robots(self.base_join("sitemap.xml")))

    def base_join(self, rel: str) -> str:
        return urljoin(self.base or "", rel)

    def download_names(self) -> list[str]:
        folder = self.ds.folder
        csvs = sorted(p.name for p in Path(folder).glob("*.csv")) if folder else []
        return [*csvs, "claimreviews.json"]

    def write_downloads(self) -> None:
        folder = Path(self.ds.folder or ".")
        for name in self.download_names()[:-1]:
            self.w.put(f"downloads/{name}", (folder / name).read_bytes())
        reviews = [self.reviews[cid] for cid in self.pages.ids if cid in self.reviews]
        self.w.put(
            "downloads/claimreviews.json", json.dumps(reviews, ensure_ascii=False, indent=1) + "\n"
        )

    def write_headers(self) -> None:
        prefix = urlsplit(self.base).path if self.base else "/"
        prefix = prefix if prefix.endswith("/") else prefix.rsplit("/", 1)[0] + "/"
        lines = [
            "# HTTP headers for Netlify and Cloudflare Pages (see README, Microsite: hosting).",
            "# Framing by other sites is refused for every page but embed.html; CSP",
            "# frame-ancestors and X-Frame-Options work only as HTTP headers, not in <meta>.",
        ]
        for path in NO_FRAME_PATHS:
            lines += [
                f"{prefix}{path}",
                "  Content-Security-Policy: frame-ancestors 'none'",
                "  X-Frame-Options: DENY",
                "  X-Content-Type-Options: nosniff",
                "  Referrer-Policy: no-referrer",
            ]
        lines += [f"{prefix}embed.html", "  Content-Security-Policy: frame-ancestors *",
                  "  X-Content-Type-Options: nosniff", "  Referrer-Policy: no-referrer"]  # fmt: skip
        self.w.put("_headers", "\n".join(lines) + "\n")


def build_site(
    folder: str | os.PathLike[str] = "data",
    out_dir: str | os.PathLike[str] = "site",
    *,
    base_url: str | None = None,
    publisher: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> SiteReport:
    """Write the microsite of the story in ``folder`` to ``out_dir`` (see the module's docstring).

    ``base_url`` is where ``out_dir`` will be served (``https://example.org/timeline/``);
    ``publisher`` is the fact-checker, the author of every ClaimReview and feed; without it,
    the ``publisher`` of ``story.json`` (whose details ``about.html`` shows), else
    ``DEFAULT_PUBLISHER``. Refuses, writing
    nothing, when the data has errors. Returns what was written, kept and removed.
    """
    base_url = check_base_url(base_url)
    if base_url and not base_url.endswith("/"):  # the folder index.html is served from
        last = urlsplit(base_url).path.rsplit("/", 1)[-1]
        base_url = base_url[: -len(last)] if last.endswith(".html") else base_url + "/"
    if publisher is not None and not publisher.strip():
        raise ExportError("the publisher name is empty; give who publishes the fact checks")
    data = Path(folder)
    if not data.is_dir():
        raise ExportError(
            f"{folder}: no such data folder; give the folder holding events.csv, claims.csv and sources.csv"
        )
    ds = load(data)
    errors = ds.errors()
    if errors:
        raise ValidationError(errors, action="build the site")
    publisher_info(data)  # a bad publisher in story.json stops the build before anything is written
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise ExportError(f"{out} is a file; give a folder to write the site into (-o FOLDER)")
    typeset.check_fonts()  # the share cards' fonts: checked before anything is built
    # Every file is written at the end (SiteWriter.finish): a build that fails leaves out as it was.
    site = _Site(ds, out, base_url, publisher.strip() if publisher else None, environ)
    site.write_assets()
    site.write_claims()
    site.write_groups()
    snippet = site.write_index()
    site.write_embed()
    site.write_sources()
    site.write_corrections()
    site.write_methodology()
    site.write_about()
    site.write_feeds()
    site.write_sitemap()
    site.write_downloads()
    site.write_headers()
    site.w.finish()
    return SiteReport(
        out, sorted(site.w.written), sorted(site.w.unchanged), site.w.removed, snippet
    )


__all__ = ["SiteReport", "build_site", "hashed_name"]
