"""A page per claim: what the microsite writes at ``claims/<id>.html`` and ``timeline serve`` answers there.

:class:`ClaimPages` prepares a dataset once (the events' dates as the timeline shows
them, the sources, the corrections log, the claims' order) and renders any claim's
page: the claim in full, its claimant, where and when it was said, the verdict with its
meaning, our check, the evidence, the event it belongs to (linked to its place on the
timeline), the corrections that touched it, the review date, the previous and next
claims. The page needs no script. What differs between the static site and the server
is passed in: the links (:class:`PageLinks`) and extra ``<head>`` markup (ClaimReview
JSON-LD, canonical and share tags, which only the site with a base URL carries).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import jinja2
import pandas as pd
from markupsafe import Markup, escape

from ..core.corrections import CORRECTION_KIND_BY_KEY, load_corrections, parse_target
from ..core.dates import parse
from ..core.schema import NO_CLAIMS, VERDICT_BY_KEY, VERDICTS
from ..core.story import DEFAULTS, story_meta
from ..core.urls import safe_url
from ..i18n.markers import N_
from .corrections_html import render_corrections
from .editions import EditionLink
from .figure import date_labels, event_frame
from .language import ENGLISH, PageLanguage, page_language
from .render import GLYPHS, badges, event_date, say_verdict

#: The page's Content-Security-Policy: no script at all, our stylesheet and font only, no request elsewhere.
PAGE_CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "base-uri 'none'; form-action 'none'"
)


@dataclass(frozen=True)
class PageLinks:
    """Where a page's links go, relative to the page (``None``: no such page, no link)."""

    home: str  # the timeline: "../index.html" on the static site, "../" on the server
    stylesheets: tuple[str, ...]
    methodology: str | None = None
    sources: str | None = None
    corrections: str | None = None
    about: str | None = None  # who publishes the fact checks (IFCN: organisation, funding, contact)
    feeds: tuple[tuple[str, str], ...] = ()  # (title, href) of Atom feeds
    claim: str = "{id}.html"  # another claim's page, from a claim page
    scripts: tuple[str, ...] = ()  # a claim page's share.js (its Copy link and Share buttons)
    editions: tuple[EditionLink, ...] = ()  # the story in its other languages (views.editions)


@dataclass(frozen=True)
class Head:
    """What goes in a page's ``<head>`` besides the basics (all already safe markup)."""

    canonical: str | None = None
    meta: tuple[tuple[str, str, str], ...] = ()  # (attribute, name, content): property/name tags
    jsonld: str | None = None  # JSON text for one <script type="application/ld+json">
    extra: dict[str, Any] = field(default_factory=dict)


#: A note's first sentence (what changed): up to the first full stop, colon or semicolon before a space.
_FIRST_SENTENCE = re.compile(r".+?[.:;](?=\s|$)")

#: The word a corrected claim's line starts with, by the kind of its latest correction.
_LEAD = {"clarification": N_("Clarified"), "update": N_("Updated")}

#: Where the pages' templates are (``templates/pages``); the microsite extends them.
PAGES = ("timeline.views", "templates/pages")


def env(lang: PageLanguage = ENGLISH) -> jinja2.Environment:
    """The Jinja environment of the pages, in ``lang`` (``_()``, ``lang``, ``dir``, ``L``)."""
    return lang.env(PAGES)


def _s(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


@lru_cache(maxsize=4096)
def _name(name: str) -> re.Pattern[str]:
    """``name`` as a whole word (compiled once per name: ``re``'s own cache holds 512 patterns, and
    an archive has thousands of claimants)."""
    return re.compile(rf"(?<!\w){re.escape(name)}(?!\w)")


def claimant_title(claimant: str, headline: str) -> str:
    """A claim's headline that names who claimed it, for titles seen away from the page:
    the headline itself when it already names the claimant (the name before any comma,
    "City A.M." of "City A.M., quoting Donald Trump", or that name's last word when it is a
    proper name, "Pompeo" of "Mike Pompeo"), else ``"<claimant>: <headline>"``."""
    claimant, headline = " ".join(claimant.split()), " ".join(headline.split())
    lead = claimant.split(",", 1)[0].strip()
    names = [lead] if lead else []
    last = lead.split()[-1] if len(lead.split()) > 1 else ""
    if len(last) > 2 and last[0].isupper():
        names.append(last)
    if not claimant or any(_name(n).search(headline) for n in names):
        return headline
    return f"{claimant}: {headline}"


def verdict_views(lang: PageLanguage = ENGLISH) -> list[dict[str, Any]]:
    """Each verdict of the contract for a page: key, label, meaning, rating, badge markup (in ``lang``,
    in the desk's own words where story.json gives them)."""
    marks = badges(lang)
    return [
        {"key": v.key, "label": lang.verdict_label(v), "meaning": lang.verdict_meaning(v),
         "rating": v.rating, "badge": Markup(marks[v.key]), "glyph": GLYPHS.get(v.symbol, "")}
        for v in VERDICTS
    ]  # fmt: skip


def render_claim(context: Mapping[str, Any]) -> str:
    """A claim's page as HTML from its :meth:`ClaimPages.context`, in its story's language."""
    values = dict(context)
    lang = page_language(values.pop("language_folder", None))
    return env(lang).get_template("claim.html.j2").render(**values)


class ClaimPages:
    """Every claim's page for one dataset (prepared once, rendered one claim at a time)."""

    def __init__(self, ds: Any) -> None:
        self.ds = ds
        self.meta = story_meta(ds.folder)
        self.lang = lang = page_language(ds)
        if self.meta["title"] == DEFAULTS["title"]:  # the kit's own default title, in the language
            self.meta["title"] = lang.gettext(DEFAULTS["title"])
        self._to = lang.gettext(" to ")
        frame = event_frame(ds, zones=("own",))
        self.events: dict[str, dict[str, str]] = {}
        for eid, title, dd, label, start in zip(
            frame["id"].tolist(),
            frame["title"].tolist(),
            frame["display_date"].tolist(),
            frame["label_own"].tolist()
            if lang.english
            else [lang.date_label(x) for x in ds.events.iloc[frame["row"].to_numpy()]["start"]],
            ds.events.iloc[frame["row"].to_numpy()]["start"].tolist() if len(frame) else [],
        ):
            # Its date as a page shows it ("when") is made by event() for the pages made only.
            self.events[str(eid).strip()] = {
                "title": _s(title),
                "display_date": _s(dd),
                "label": _s(label),
                "datetime": _s(start),
            }
        src = ds.sources
        labels = (
            date_labels(src["published_at"], src["published_precision"], src["published_offset"])
            if lang.english
            else pd.Series([lang.date_label(x) for x in src["published"]], dtype=object)
        )
        self.sources: dict[str, dict[str, str]] = {}
        for row, label in zip(ds.raw("sources").to_dict("records"), labels.tolist()):
            sid = _s(row["id"])
            self.sources.setdefault(
                sid,
                {
                    "id": sid,
                    "title": _s(row["title"]),
                    "publisher": _s(row["publisher"]),
                    "url": safe_url(row["url"]),
                    "archived": safe_url(row["archived_url"]),
                    "published": _s(row["published"]),
                    "published_label": _s(label),
                },
            )
        cl = ds.claims
        reviewed = (
            date_labels(cl["reviewed_at"], cl["reviewed_precision"], cl["reviewed_offset"]).tolist()
            if lang.english
            else [lang.date_label(x) for x in cl["reviewed"]]
        )
        self.claims: dict[str, dict[str, Any]] = {}
        raw = ds.raw("claims")
        names = [*raw.columns, "reviewed_label"]
        # Column by column: a cell at a time through to_dict took twice as long at 30,000 claims.
        cells = [[_s(v) for v in raw[c].tolist()] for c in raw.columns] + [
            [_s(v) for v in reviewed]
        ]
        for values in zip(*cells):
            row = dict(zip(names, values))
            self.claims.setdefault(row["id"], row)
        # Timeline order, as the dashboard reads: by event (``event_frame``'s order), then file order.
        rank = {eid: i for i, eid in enumerate(self.events)}
        self.ids: list[str] = sorted(
            self.claims, key=lambda cid: rank.get(self.claims[cid]["event_id"], len(rank))
        )
        self.claims = {
            cid: self.claims[cid] for cid in self.ids
        }  # one order for pages, feeds and sitemap
        self.position = {cid: i for i, cid in enumerate(self.ids)}
        corrections, _ = load_corrections(ds.folder)
        self.corrections = corrections
        self._rows: dict[str, dict[str, str]] = {}  # each table's row digests, by id (rows)
        self.corrections_of: dict[str, list[int]] = {}
        for pos, target in enumerate(corrections["target"].tolist() if len(corrections) else []):
            parsed = parse_target(str(target))
            if parsed and parsed[0] == "claims":
                self.corrections_of.setdefault(parsed[1], []).append(pos)

    def event(self, event_id: str) -> dict[str, Any] | None:
        """The event as a claim's page shows it: :attr:`events`' entry and its date (``when``)."""
        e = self.events.get(event_id)
        if e is None:
            return None
        dd, start, label = (str(escape(e[k])) for k in ("display_date", "datetime", "label"))
        return {**e, "when": Markup(event_date(dd, start, label, to=self._to))}

    def title(self, claim_id: str) -> str:
        """The page's heading: the claim's headline, else the whole claim on one line."""
        c = self.claims[claim_id]
        return " ".join((c.get("headline") or c["claim"]).split())

    def share_title(self, claim_id: str) -> str:
        """The title that travels without the page (``<title>``, ``og:title``, ``twitter:title``,
        a feed entry): it names the claimant (:func:`claimant_title`)."""
        return claimant_title(self.claims[claim_id]["claimant"], self.title(claim_id))

    def bottom_line(self, claim_id: str) -> str:
        """The desk's one-sentence answer for the claim, or ``""`` when it has none."""
        return " ".join(self.claims[claim_id].get("bottom_line", "").split())

    def description(self, claim_id: str) -> str:
        """The page's social description: the bottom line, else the verdict and its meaning."""
        c = self.claims[claim_id]
        verdict = self.verdict(claim_id)
        return self.bottom_line(claim_id) or self.lang.gettext(
            "%(verdict)s. %(claimant)s: %(meaning)s"
        ) % {"verdict": verdict.label, "claimant": c["claimant"], "meaning": verdict.meaning}

    def verdict(self, claim_id: str) -> Any:
        """The claim's verdict, its label and meaning in the page's language (the desk's own words)."""
        key = self.claims[claim_id]["verdict"]
        if self.lang is ENGLISH:
            return VERDICT_BY_KEY.get(key, NO_CLAIMS)
        return self.lang.verdict(key)

    def cited(self, refs: str) -> list[dict[str, str]]:
        out = []
        for sid in (x.strip() for x in refs.split(";")):
            if sid:
                out.append(
                    self.sources.get(sid)
                    or {
                        "id": sid,
                        "title": sid,
                        "publisher": "",
                        "url": "",
                        "archived": "",
                        "published": "",
                        "published_label": "",
                    }
                )
        return out  # fmt: skip

    def corrected(self, claim_id: str) -> dict[str, Any] | None:
        """The line under the verdict of a corrected claim: the latest correction's date, kind and
        first sentence (what changed), and how many earlier ones the log holds; ``None`` if none."""
        rows = [self.corrections.iloc[pos] for pos in self.corrections_of.get(claim_id, [])]
        if not rows:
            return None

        def when(row: Any) -> float:
            try:
                return parse(str(row["date"]).strip()).at.timestamp()
            except ValueError:
                return float("-inf")

        latest = max(rows, key=when)
        date = _s(latest["date"])
        kind = CORRECTION_KIND_BY_KEY.get(_s(latest["change"]))
        note = " ".join(_s(latest["note"]).split())
        first = _FIRST_SENTENCE.match(note)
        what = first.group(0).rstrip(":;") if first else note
        if what and what[-1] not in ".!?":
            what += "."
        return {
            "datetime": date if when(latest) > float("-inf") else "",
            "when": self.lang.date_label(date),
            "lead": self.lang.gettext(_LEAD.get(_s(latest["change"]), N_("Corrected"))),
            "label": self.lang.pgettext("correction", kind.label) if kind else _s(latest["change"]),
            "what": what,
            "earlier": len(rows) - 1,
        }

    def rows(self, table: str) -> dict[str, str]:
        """The digest of each row of ``table`` (``Dataset.row_digests``), by id."""
        if table not in self._rows:
            self._rows[table] = dict(zip(self.ds.ids(table), self.ds.row_digests(table)))
        return self._rows[table]

    def key(self, claim_id: str) -> str:
        """What the claim's page shows of the data, as one digest: the rows it is made from (the
        claim's, its event's, its sources', by ``Dataset.row_digests``, and the corrections of
        it), its neighbours' titles and claimants, its place in the order. With what
        :meth:`context` is given (links, head, publisher, claimant, category) and the story (its
        meta and language), it is all the page depends on: a site build keys the page with it and
        builds no context for a page whose key is unchanged. A row's digest changes with any of
        its cells, shown or not: a page may be made again for nothing, never kept stale."""
        claims, events, sources = self.rows("claims"), self.rows("events"), self.rows("sources")
        c = self.claims[claim_id]
        pos = self.position[claim_id]
        near = [self.ids[p] if 0 <= p < len(self.ids) else None for p in (pos - 1, pos + 1)]
        refs = [s.strip() for s in f"{c['said_in']};{c['evidence']}".split(";")]
        parts = [
            claims[claim_id], events.get(c["event_id"], "-"),
            *(sources.get(s, "-" + s) for s in refs if s),
            repr([self.corrections.iloc[r].to_dict() for r in self.corrections_of.get(claim_id, [])]),
            *(f"{n}\x1f{self.title(n)}\x1f{self.claims[n]['claimant']}" if n else "-" for n in near),
            str(pos), str(len(self.ids)),
        ]  # fmt: skip
        return hashlib.sha256("\x1e".join(parts).encode("utf-8", "surrogatepass")).hexdigest()

    def render(self, claim_id: str, **kwargs: Any) -> str:
        """The claim's page as HTML (``KeyError`` for an unknown id); the arguments are
        :meth:`context`'s."""
        return render_claim(self.context(claim_id, **kwargs))

    def context(
        self,
        claim_id: str,
        *,
        links: PageLinks,
        head: Head | None = None,
        publisher: str | None = None,
        claimant_href: str | None = None,
        category: tuple[str, str] | None = None,
    ) -> dict[str, Any]:
        """What the claim's page shows, as plain picklable data: :func:`render_claim` writes it
        as HTML (in this process or in a worker of the site build's pool).

        Its "Share and cite" section links the page's public address (``head.canonical``), else
        its own file; ``publisher`` (else the story's title) names who published the check.
        ``claimant_href`` links the claimant's name to their page; ``category`` is the
        event's category and its page, ``(name, href)`` (the microsite has both).
        """
        c = self.claims[claim_id]
        pos = self.position[claim_id]
        prev_id = self.ids[pos - 1] if pos > 0 else None
        next_id = self.ids[pos + 1] if pos + 1 < len(self.ids) else None
        rows = self.corrections_of.get(claim_id, [])
        corrections = (
            render_corrections(
                self.corrections.iloc[rows], dataset=self.ds, heading_id="tl-claim-corrections-h",
                empty_text=None, home=links.home,
            )
            if rows
            else Markup("")
        )  # fmt: skip
        said_in = self.cited(c["said_in"])
        head = head or Head()
        return dict(
            story=self.meta,
            links=links,
            head=head,
            csp=PAGE_CSP.replace("; ", "; script-src 'self'; ", 1)
            if links.scripts
            else PAGE_CSP,
            address=head.canonical,
            own_href=links.claim.replace("{id}", claim_id),
            publisher=publisher or self.meta["title"],
            title=self.title(claim_id),
            page_title=self.share_title(claim_id),
            bottom_line=self.bottom_line(claim_id),
            claim=c,
            verdict=self.verdict(claim_id),
            badge=Markup(badges(self.lang).get(c["verdict"], badges(self.lang)[NO_CLAIMS.key])),
            say_verdict=Markup(say_verdict(self.lang)),
            event=self.event(c["event_id"]),
            said_in=said_in[0] if said_in else None,
            evidence=self.cited(c["evidence"]),
            corrections=corrections,
            corrected=self.corrected(claim_id),
            prev=self._neighbour(prev_id, links),
            next=self._neighbour(next_id, links),
            position=pos + 1,
            total=len(self.ids),
            claimant_href=claimant_href,
            category=category,
            # the story folder whose language the page speaks (render_claim, in any process)
            language_folder=str(self.ds.folder) if getattr(self.ds, "folder", None) else None,
        )  # fmt: skip

    def _neighbour(self, claim_id: str | None, links: PageLinks) -> dict[str, str] | None:
        if claim_id is None:
            return None
        return {"href": links.claim.replace("{id}", claim_id), "title": self.title(claim_id),
                "claimant": self.claims[claim_id]["claimant"]}  # fmt: skip

    def render_all(
        self,
        ids: Iterable[str] | None = None,
        *,
        links: PageLinks,
        heads: Mapping[str, Head] | None = None,
    ) -> dict[str, str]:
        return {
            cid: self.render(cid, links=links, head=(heads or {}).get(cid))
            for cid in (ids or self.ids)
        }


__all__ = [
    "PAGE_CSP", "ClaimPages", "Head", "PageLinks", "claimant_title", "env", "render_claim", "verdict_views",
]  # fmt: skip
