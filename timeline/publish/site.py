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
    <lang>/...                each other edition of the story, when ``folder`` is several (below)

Pages carry a strict Content-Security-Policy (``<meta>``) and ask no other host for
anything; only ``index.html`` and ``embed.html`` run scripts (files in ``assets/``).
With ``base_url`` pages get a canonical link, Open Graph and Twitter card tags, and
ClaimReview ``url``s are absolute. ``SOURCE_DATE_EPOCH`` fixes the one build time shown
(index.html's footer); everything else comes from the data, so two builds of the same
data are byte-identical. A rebuild writes only the files whose bytes change and removes
the files of deleted claims (``sitefiles.SiteWriter``); a share card is drawn again, and a
claim, claimant, category or sources page, a feed, a list file or a plain page of the list
made again, only when what it shows changed: each is keyed in the build manifest by a digest
of what it is made from (a claim page's: ``ClaimPages.key``, the digests of the rows it shows,
``Dataset.row_digests``; a list file's: its event's, claims' and sources' rows,
``sitelist.item_keys``; a card's: its text) with the code and what every page shares
(``shared_key``), computed before anything of it is built. Cards and those pages are made by
``jobs`` worker processes (``publish.pool``), each from a small payload, while the index, its
list files and its search index are made in one more process forked beside the build
(``pool.side``): the bytes do not depend on ``jobs``.

Editions: given several data folders (one story in several languages, the same event and
claim ids), the first is built at ``out_dir`` as above and each other at ``<lang>/`` as a
whole site of its own (``edition_home``); every page links the same page in the other
editions (``publish.siteeditions``; ``views.editions``: a switcher, and with ``base_url``
reciprocal ``hreflang`` links and the sitemaps' alternates). ``robots.txt`` and ``_headers``
are the root's only, for all.
Every edition is built in memory before any file is written.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import jinja2
from markupsafe import Markup

from ..core.dataset import Dataset
from ..core.editions import Edition, language_problems, load_editions
from ..core.schema import VERDICTS
from ..core.story import DEFAULT_PUBLISHER, STORY_FILE, publisher_info, publisher_name
from ..errors import ExportError, ValidationError
from ..i18n.tags import language
from ..views.assets import ARABIC_FONTS, asset_text, font_bytes, plotly_js
from ..views.claim_page import PAGES, ClaimPages, Head, PageLinks, render_claim, verdict_views
from ..views.contract import CLAIM_HREF
from ..views.corrections_html import render_corrections
from ..views.language import PageLanguage, page_language
from ..views.listing import Listing
from ..views.render import StaticList, render_story
from . import cards, embed, pool, sitedata, siteeditions, sitelist, typeset
from .claimreview import claim_review, claimant_schema_type, script_text
from .groups import CATEGORIES_DIR, CLAIMANTS_DIR, Group, Groups
from .methodology import methodology_text
from .provenance import collect
from .sitefiles import MANIFEST, SiteWriter, digest
from .snapshot import check_base_url

CARD_SIZE = (1200, 630)
#: The other editions' folders, at the root of a site of several (``["fa/", "ar/"]``).
EDITIONS_FILE = ".timeline-editions.json"
INDEX_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; base-uri 'none'; form-action 'none'"
)
PAGE_CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "base-uri 'none'; form-action 'none'"
)


@dataclass
class SiteReport:
    """What a build did: files written, left as they were, removed; the embed code to paste."""

    out_dir: Path
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    embed_code: str = ""


SITE_TEMPLATES = ("timeline.publish", "templates/site")


def _env(lang: PageLanguage) -> jinja2.Environment:
    return lang.env(SITE_TEMPLATES, PAGES)


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


@lru_cache(maxsize=1)
def _page_code() -> str:
    """A digest of the code and templates that render the pages (and their translations, and the
    core's vocabulary and dates they show): a page whose data is unchanged is rendered again when
    these change."""
    package = Path(__file__).resolve().parent.parent
    h = hashlib.sha256()
    for folder in ("core", "views", "publish", "i18n"):
        for path in sorted((package / folder).rglob("*")):
            if path.suffix in (".py", ".j2", ".mo", ".po") and path.is_file():
                h.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def make(kind: str, payload: Any) -> bytes:
    """A file's bytes from its payload (``publish.pool``'s maker: runs in a worker or here)."""
    if kind == "claim":
        return render_claim(payload).encode("utf-8")
    if kind == "page":
        template, context, folder = payload
        return _env(page_language(folder)).get_template(template).render(**context).encode("utf-8")
    if kind == "claim-card":
        return cards.draw_claim_card(**payload)
    return cards.draw_story_card(**payload)


class _Site:
    """One build: the dataset, where things go, and the writer."""

    def __init__(
        self,
        ds: Dataset,
        out: Path,
        base_url: str | None,
        publisher: str | None,
        environ: Mapping[str, str] | None,
        jobs: int = 1,
    ) -> None:
        self.ds = ds
        self.jobs = jobs
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
        self.lang = self.pages.lang
        if self.publisher == DEFAULT_PUBLISHER:  # the kit's own default name, in the language
            self.publisher = self.lang.gettext(DEFAULT_PUBLISHER)
        self.meta = self.pages.meta
        self.groups = Groups(self.pages)
        self.assets: dict[str, str] = {}
        self.reviews: dict[str, dict[str, Any] | None] = {}
        self.tag = ds.language.tag
        self.embed_snippet = ""
        self._shared = ""
        self.home = ""  # this edition's folder in the site: "" (the first) or "fa/"
        self.editions: list[_Site] = [self]  # every edition of the story, the first one first

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
                (self.lang.gettext("Claims"), f"{up}feeds/claims.xml"),
                (self.lang.gettext("Corrections"), f"{up}feeds/corrections.xml"),
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
        # Open Graph's og:locale:alternate: the languages of the other editions that have this page.
        others = siteeditions.locale_alternates(self, rel)
        meta = (
            ("property", "og:type", kind),
            ("property", "og:site_name", self.meta["title"]),
            ("property", "og:locale", self.lang.og_locale),
            *others,
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
        for name in ARABIC_FONTS:  # where timeline.css's @font-face url()s point: assets/fonts/
            self.w.put(f"assets/{name}", font_bytes(name))

    def event_date(self, event_id: str) -> str:
        e = self.pages.events.get(event_id)
        return (e["display_date"] or e["label"]) if e else ""

    def card_date(self, event_id: str) -> str:
        """An event's date on a share card: as the timeline shows it; in a story of another language
        than English, unless the analyst wrote it, as that language writes it (``cards.card_date``)."""
        e = self.pages.events.get(event_id)
        if not e or e["display_date"] or language(self.tag).base == "en":
            return self.event_date(event_id)
        return cards.card_date(e["datetime"], self.tag)

    def write_claims(self) -> None:
        """Every claim's page and card, and the story's card, made on ``jobs`` processes."""
        pool.run(self.claim_tasks(), self.w, make, self.jobs)

    def task(self, rel: str, kind: str, payload: Any) -> list[pool.Task]:
        """``rel`` to make from ``payload``, unless the build that made it had the same payload."""
        code = _card_code() if kind.endswith("card") else _page_code()
        key = digest(kind, code, payload)
        return [] if self.w.fresh(rel, key) else [(rel, kind, payload, key)]

    def claim_tasks(self) -> Iterator[pool.Task]:
        links = replace(self.links("../"), scripts=("../" + self.assets["share.js"],))
        labels = self.card_labels()
        for cid in self.pages.ids:
            c = self.pages.claims[cid]
            rel = CLAIM_HREF.format(id=cid)
            claimant = self.groups.claimants.get(self.groups.claimant_of[cid])
            lane = self.groups.categories.get(self.groups.lane_of[cid])
            editions = siteeditions.edition_links(self, rel)
            # The page's key: what it shows of the data and what it is given, not the context made of
            # them (building and digesting 30,000 contexts took most of a rebuild).
            fresh, key = self.fresh(rel, self.pages.key(cid), editions,
                                    (claimant.name, claimant.rel, claimant.claimant_type) if claimant else None,
                                    (lane.name, lane.rel) if lane else None)  # fmt: skip
            if not fresh:
                yield (
                    rel,
                    "claim",
                    self.claim_context(cid, rel, replace(links, editions=editions)),
                    key,
                )
            elif self.w.keep(f"cards/{cid}.png"):
                continue  # the page's key covers all its card shows, and the page code the card's
            yield from self.task(f"cards/{cid}.png", "claim-card", dict(
                verdict=c["verdict"], headline=self.pages.title(cid), claimant=c["claimant"],
                date=self.card_date(c["event_id"]), story_title=self.meta["title"],
                language=self.tag, **labels,
            ))  # fmt: skip
        counts = {v.key: 0 for v in VERDICTS}
        for c in self.pages.claims.values():
            if c["verdict"] in counts:
                counts[c["verdict"]] += 1
        yield from self.task("cards/story.png", "story-card", dict(
            title=self.meta["title"], standfirst=self.meta["standfirst"], counts=counts,
            language=self.tag, **labels,
        ))  # fmt: skip

    def shared_key(self) -> str:
        """A digest of what every page of this edition is given besides its own data: the story
        (story.json: its title, language, the desk's words), the publisher, the addresses, the
        links and assets, the editions. Made once per build."""
        if not self._shared:
            story = Path(self.ds.folder or ".") / STORY_FILE
            self._shared = digest(
                story.read_text(encoding="utf-8") if story.is_file() else None,
                self.meta, self.publisher, self.publisher_url, self.base, self.language_folder(),
                repr(self.links()), self.assets,
                [(e.tag, e.home, e.base, e.lang.og_locale) for e in self.editions],
            )  # fmt: skip
        return self._shared

    def fresh(self, rel: str, *inputs: object) -> tuple[bool, str]:
        """Whether page ``rel``, keyed by a digest of ``inputs`` (with the page code and what every
        page shares), was made by the last build from the same key; and the key."""
        key = digest(rel, _page_code(), self.shared_key(), *inputs)
        return self.w.fresh(rel, key), key

    def review(self, cid: str) -> dict[str, Any] | None:
        """The claim's ClaimReview (None for a claim that is not rated), made once per build."""
        if cid not in self.reviews:
            c = self.pages.claims[cid]
            claimant = self.groups.claimants.get(self.groups.claimant_of[cid])
            rel = CLAIM_HREF.format(id=cid)
            self.reviews[cid] = claim_review(
                {**c, "claimant_type": claimant.claimant_type} if claimant else c,
                self.pages.sources.get(c["said_in"]), url=self.url(rel) or f"{cid}.html",
                publisher=self.publisher, publisher_url=self.publisher_url,
                claimant_url=self.url(f"{CLAIMANTS_DIR}/{claimant.rel}") if claimant else None,
                lang=self.lang,
            )  # fmt: skip
        return self.reviews[cid]

    def claim_context(self, cid: str, rel: str, links: PageLinks) -> dict[str, Any]:
        """The claim page's context (``views.claim_page``), with its share tags and ClaimReview."""
        c = self.pages.claims[cid]
        title = self.pages.title(cid)
        verdict = self.pages.verdict(cid)
        claimant = self.groups.claimants.get(self.groups.claimant_of[cid])
        lane = self.groups.categories.get(self.groups.lane_of[cid])
        review = self.review(cid)
        alt = self.lang.gettext("%(verdict)s: %(title)s (%(claimant)s)") % {
            "verdict": verdict.label, "title": title, "claimant": c["claimant"]}  # fmt: skip
        head = self.share_tags(
            rel,
            self.pages.share_title(cid),
            self.pages.description(cid),
            f"cards/{cid}.png",
            alt,
            "article",
        )
        head = Head(head.canonical, head.meta, script_text(review) if review else None)
        return self.pages.context(
            cid, links=links, head=head, publisher=self.publisher,
            claimant_href=f"../{CLAIMANTS_DIR}/{claimant.rel}" if claimant else None,
            category=(lane.name, f"../{CATEGORIES_DIR}/{lane.rel}") if lane else None,
        )  # fmt: skip

    def card_labels(self) -> dict[str, dict[str, str]]:
        """The desk's own verdict labels (story.json's ``verdicts``) for the cards, when it gives any."""
        own = {k: d["label"] for k, d in self.lang.options.verdicts.items() if d.get("label")}
        return {"labels": own} if own else {}

    def language_folder(self) -> str | None:
        """The story folder whose language the pages speak (``make`` finds it again in a worker)."""
        return str(self.ds.folder) if self.ds.folder else None

    def page(self, rel: str, template: str, *, key: str | None = None, **context: Any) -> None:
        """Render ``template`` to ``rel``, unless the last build rendered it from the same context
        (or, given ``key``, a digest of what it shows: the caller found it changed)."""
        context["links"] = replace(context["links"], editions=siteeditions.edition_links(self, rel))
        payload = (template, dict(story=self.meta, **context), self.language_folder())
        tasks = [(rel, "page", payload, key)] if key else self.task(rel, "page", payload)
        pool.run(tasks, self.w, make, 1)

    def write_index(self) -> str:
        # The embed code needs the page's address: only a site built with --base-url has one.
        embed_url = self.url("embed.html")
        snippet = embed.embed_code(embed_url, title=self.meta["title"]) if embed_url else ""
        static = self.write_list() if len(self.ds.events) > sitelist.PAGED_ABOVE else None
        story_html = render_story(
            self.ds, mode="snapshot", claim_href=CLAIM_HREF, static_list=static
        )
        _ = self.lang.gettext
        counts = self.lang.summary(self.ds.counts())
        head = self.share_tags("", self.meta["title"], self.meta["standfirst"] or counts, "cards/story.png",
                               _("%(title)s: %(counts)s") % {"title": self.meta["title"], "counts": counts},
                               "website")  # fmt: skip
        downloads = [(name, f"downloads/{name}") for name in sitedata.download_names(self)]
        self.page(
            "index.html", "index.html.j2", links=self.links(), head=head, csp=INDEX_CSP,
            title=self.meta["title"],
            description=_("Fact-check timeline: %(counts)s, every claim linked to its sources.") % {"counts": counts},
            scripts=[self.assets["plotly-basic.js"], self.assets["timeline.js"]],
            story_html=Markup(story_html), embed_snippet=snippet, embed_href="embed.html",
            provenance=self.provenance, summary=_("Data: %(counts)s") % {"counts": counts}, downloads=downloads,
            groups=self.group_list(),
        )  # fmt: skip
        self.embed_snippet = str(snippet)
        return self.embed_snippet

    def write_list(self) -> StaticList:
        """A long story's list, chart data and search index as files (publish.sitelist)."""
        links = self.links("../")
        _ = self.lang.gettext
        nav = {
            "label": _("Pages of the list of events"),
            "end": _("end of the page"),
            "prev_words": _("Earlier events"),
            "next_words": _("Later events"),
            "home_words": _("Back to the timeline"),
            "home": "../index.html",
        }

        def page(heading: str, intro: str, items: str, prev: str, nxt: str) -> str:
            return _env(self.lang).get_template("list-page.html.j2").render(
                story=self.meta, links=links, head=Head(), csp=PAGE_CSP,
                title=f"{heading}: {self.meta['title']}", heading=heading, intro=intro,
                items=Markup(items), nav={**nav, "prev": prev, "next": nxt},
            )  # fmt: skip

        listing = Listing(self.ds, claim_href=CLAIM_HREF)
        shared = digest(_page_code(), self.shared_key(), CLAIM_HREF)
        return sitelist.write_paged(listing, self.w.put, page, self.lang, keep=self.w.fresh,
                                    kept=self.w.kept, cache=self.w.cache, shared=shared)  # fmt: skip

    def group_list(self) -> dict[str, list[dict[str, Any]]]:
        """The index's list of claimants and categories: name, page, number of claims."""
        return {
            key: [{"name": g.name, "href": f"{folder}/{g.rel}", "total": len(g.claims)} for g in groups.values()]
            for key, folder, groups in (("claimants", CLAIMANTS_DIR, self.groups.claimants),
                                        ("categories", CATEGORIES_DIR, self.groups.categories))
        }  # fmt: skip

    def write_groups(self) -> None:
        pool.run(self.group_tasks(), self.w, make, self.jobs)

    def group_tasks(self) -> Iterator[pool.Task]:
        links = self.links("../")
        for kind, folder, groups in (("Claimant", CLAIMANTS_DIR, self.groups.claimants),
                                     ("Category", CATEGORIES_DIR, self.groups.categories)):  # fmt: skip
            for g in groups.values():
                yield from self.group_task(kind, f"{folder}/{g.rel}", g, links)

    def group_task(self, kind: str, rel: str, g: Group, links: PageLinks) -> list[pool.Task]:
        links = replace(links, editions=siteeditions.edition_links(self, rel))
        # Keyed by what it shows of its claims (a rationale's edit leaves a claimant's page of 1,500
        # claims alone) and the rows of their events and of a category's (``Dataset.row_digests``),
        # before its context is built.
        claims, events, title = self.pages.claims, self.pages.rows("events"), self.pages.title
        members = "\x1e".join(f"{cid}\x1f{title(cid)}\x1f{claims[cid]['claimant']}\x1f{claims[cid]['verdict']}"
                               f"\x1f{events.get(claims[cid]['event_id'], '-')}" for cid in g.claims)  # fmt: skip
        lane = self.groups.lane_events.get(g.name, []) if kind == "Category" else []
        fresh, key = self.fresh(rel, kind, g.name, g.claimant_type, links.editions, g.claims, members,
                                lane, "".join(events.get(e, "-") for e in lane))  # fmt: skip
        if fresh:
            return []
        canonical = self.url(rel)
        jsonld = None
        if canonical and kind == "Claimant":  # the same identity as the ClaimReviews' claim author
            who = {"@id": f"{canonical}#id", "@type": claimant_schema_type({"claimant_type": g.claimant_type}),
                   "name": g.name, "url": canonical}  # fmt: skip
            jsonld = script_text({"@context": "https://schema.org", "@type": "ProfilePage", "url": canonical,
                                  "mainEntity": who})  # fmt: skip
        _ = self.lang.gettext
        kind_label = _(kind)
        return [(rel, "page", ("group.html.j2", dict(
            story=self.meta, links=links, head=Head(canonical=canonical, jsonld=jsonld), csp=PAGE_CSP,
            title=_("%(kind)s: %(name)s (%(title)s)") % {"kind": kind_label, "name": g.name, "title": self.meta["title"]},
            kind=kind, kind_label=kind_label, name=g.name,
            description=self.lang.ngettext(
                "%(kind)s %(name)s: %(num)s claim checked, with its verdict.",
                "%(kind)s %(name)s: %(num)s claims checked, with their verdicts.", len(g.claims),
                kind=kind_label, name=g.name,
            ),
            counts=self.groups.counts(g), items=self.groups.items(g, lambda cid: f"../{CLAIM_HREF.format(id=cid)}"),
            total=len(g.claims), index_href="../index.html#tl-groups",
            events=self.groups.events(g, "../index.html") if kind == "Category" else [],
        ), self.language_folder()), key)]  # fmt: skip

    def write_embed(self) -> None:
        html = embed.render_embed(
            self.ds,
            assets={name: self.assets[name] for name in ("timeline.css", "embed.css", "embed.js")},
            claim_href=lambda cid: CLAIM_HREF.format(id=cid),
            story_href="index.html",
        )
        self.w.put("embed.html", html)

    def write_sources(self) -> None:
        # Keyed by the columns it shows (a rebuild after a claim's rationale changed keeps it).
        ev = self.ds.raw("events")
        claims = self.pages.claims
        fresh, key = self.fresh(
            "sources.html", self.pages.sources, ev["id"].tolist(), ev["title"].tolist(), ev["sources"].tolist(),
            [(cid, self.pages.title(cid), c["said_in"], c["evidence"]) for cid, c in claims.items()],
        )  # fmt: skip
        if fresh:
            return
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
                  csp=PAGE_CSP, title=self.lang.gettext("Sources: %(title)s") % self.meta, sources=sources,
                  key=key)  # fmt: skip

    def write_corrections(self) -> None:
        self.page(
            "corrections.html", "corrections.html.j2", links=self.links(), head=Head(canonical=self.url("corrections.html")),
            csp=PAGE_CSP, title=self.lang.gettext("Corrections: %(title)s") % self.meta,
            corrections=render_corrections(self.ds, home="index.html", heading=None),
        )  # fmt: skip

    def write_about(self) -> None:
        self.page(
            "about.html", "about.html.j2", links=self.links(), head=Head(canonical=self.url("about.html")),
            csp=PAGE_CSP, title=self.lang.gettext("Who we are: %(title)s") % self.meta, publisher=self.publisher,
            about=self.about if self.about.get("name") == self.publisher else {},
        )  # fmt: skip

    def write_methodology(self) -> None:
        self.page(
            "methodology.html", "methodology.html.j2", links=self.links(), head=Head(canonical=self.url("methodology.html")),
            csp=PAGE_CSP, title=self.lang.gettext("Methodology: %(title)s") % self.meta,
            verdicts=verdict_views(self.lang), text=methodology_text(self.ds.folder, self.lang.gettext),
        )  # fmt: skip

    def base_join(self, rel: str) -> str:
        return urljoin(self.base or "", rel)

    def write_all(self) -> None:
        """The whole site, staged; moved into place only when every part succeeded."""
        self.write_assets()
        # The index (a long story's list and search files: whole-archive passes) is made in a
        # process beside this one while this one makes the rest: a rebuild uses both cores.
        index = pool.side(self.write_index, self.w, self.jobs)
        try:
            self.write_claims()
            self.write_groups()
            self.write_embed()
            self.write_sources()
            self.write_corrections()
            self.write_methodology()
            self.write_about()
            sitedata.write_feeds(self)
            sitedata.write_sitemap(self)
            sitedata.write_downloads(self)
            sitedata.write_headers(self)
            self.embed_snippet = index.result()
        finally:
            index.stop()


def build_site(
    folder: str | os.PathLike[str] | Sequence[str | os.PathLike[str]] = "data",
    out_dir: str | os.PathLike[str] = "site",
    *,
    base_url: str | None = None,
    publisher: str | None = None,
    environ: Mapping[str, str] | None = None,
    jobs: int | None = None,
) -> SiteReport:
    """Write the microsite of the story in ``folder`` to ``out_dir`` (see the module's docstring).

    ``folder`` may be several data folders, editions of one story in several languages (the same
    event and claim ids, a language each in story.json): the first is written at ``out_dir``'s
    root, each other in ``out_dir/<language>/`` (:func:`edition_home`), and every page links the
    same page in the other editions. ``base_url`` is where ``out_dir`` will be served
    (``https://example.org/timeline/``);
    ``publisher`` is the fact-checker, the author of every ClaimReview and feed; without it,
    the ``publisher`` of ``story.json`` (whose details ``about.html`` shows), else
    ``DEFAULT_PUBLISHER``. ``jobs`` is how many processes draw the cards and render the claim,
    claimant and category pages (default: every core this process may use; the output is the
    same for any number). Refuses, writing nothing, when the data has errors (in any edition)
    or two editions share a language. Returns what was written, kept and removed (paths
    relative to ``out_dir``).
    """
    base_url = check_base_url(base_url)
    if base_url and not base_url.endswith("/"):  # the folder index.html is served from
        last = urlsplit(base_url).path.rsplit("/", 1)[-1]
        base_url = base_url[: -len(last)] if last.endswith(".html") else base_url + "/"
    if publisher is not None and not publisher.strip():
        raise ExportError("the publisher name is empty; give who publishes the fact checks")
    folders = [folder] if isinstance(folder, (str, os.PathLike)) else list(folder)
    if not folders:
        raise ExportError("no data folder given; give the folders holding the story's editions")
    for data in map(Path, folders):
        if not data.is_dir():
            raise ExportError(
                f"{data}: no such data folder; give the folder holding events.csv, claims.csv and sources.csv"
            )
    editions = load_editions(folders)
    for ed in editions:
        errors = ed.dataset.errors()
        if errors:
            raise ValidationError(errors, action="build the site")
        publisher_info(ed.folder)  # a bad publisher in story.json: refused before any writing
    errors = language_problems(editions)
    if errors:
        raise ValidationError(errors, action="build the site")
    out = Path(out_dir)
    for where in (out / edition_home(ed, i) for i, ed in enumerate(editions)):
        if where.exists() and not where.is_dir():
            raise ExportError(
                f"{where} is a file; give a folder to write the site into (-o FOLDER)"
            )
    typeset.check_fonts()  # the share cards' fonts: checked before anything is built
    if jobs is not None and jobs < 1:
        raise ExportError(f"--jobs {jobs}: give 1 or more processes to build with")
    # Every file is staged beside its edition's folder and moved into place at the end
    # (SiteWriter.finish): a build that fails leaves out as it was, whichever edition fails.
    sites: list[_Site] = []
    for i, ed in enumerate(editions):
        home = edition_home(ed, i)
        site = _Site(ed.dataset, out / home, urljoin(base_url, home) if base_url else None,
                     publisher.strip() if publisher else None, environ,
                     jobs or pool.default_jobs())  # fmt: skip
        site.home, site.editions = home, sites
        sites.append(site)
    dropped = _dropped_editions(out, [site.home for site in sites])
    try:
        if len(sites) > 1:  # what the next build removes if it leaves an edition out
            sites[0].w.put(EDITIONS_FILE, json.dumps([site.home for site in sites[1:]]) + "\n")
        for site in sites:
            site.write_all()
    except BaseException:
        for site in sites:
            site.w.abort()
        raise
    for site in sites:
        site.w.finish()
    for _, writer in dropped:
        # Nothing put: it removes the files (and what it kept) the last build wrote there, and the
        # folders they leave empty; a file of yours keeps its own.
        writer.finish()
        (writer.root / MANIFEST).unlink(missing_ok=True)
        if not any(writer.root.iterdir()):
            writer.root.rmdir()
    return SiteReport(
        out,
        sorted(site.home + rel for site in sites for rel in site.w.written),
        sorted(site.home + rel for site in sites for rel in site.w.unchanged),
        [site.home + rel for site in sites for rel in site.w.removed]
        + [home + rel for home, writer in dropped for rel in writer.removed],
        sites[0].embed_snippet,
    )


def _dropped_editions(out: Path, homes: list[str]) -> list[tuple[str, SiteWriter]]:
    """The editions the last build wrote (``EDITIONS_FILE``) that this one leaves out, each with a
    writer of its folder: finished with nothing put, it removes the files that build wrote there
    (and only those)."""
    try:
        last = json.loads((out / EDITIONS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    names = [h for h in last if isinstance(h, str) and re.fullmatch(r"[a-z0-9-]+/", h)]
    return [(h, SiteWriter(out / h)) for h in names if h not in homes and (out / h).is_dir()]


def edition_home(edition: Edition, position: int) -> str:
    """Where an edition goes in the site: the first at the root (``""``), so a one-folder site keeps
    its addresses; each other in a folder named by its language tag, lower case (``fa/``, ``ar-iq/``)."""
    return "" if position == 0 else f"{edition.tag.lower()}/"


__all__ = ["SiteReport", "build_site", "edition_home", "hashed_name"]
