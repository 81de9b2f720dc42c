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

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import jinja2
from markupsafe import Markup

from ..core.corrections import load_corrections, parse_target
from ..core.schema import NO_CLAIMS, VERDICT_BY_KEY, VERDICTS
from ..core.story import story_meta
from ..core.urls import safe_url
from .corrections_html import render_corrections
from .figure import date_labels, event_frame
from .render import BADGES, GLYPHS, templates

#: The page's Content-Security-Policy: no script at all, our stylesheet only, no request elsewhere.
PAGE_CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; "
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
    feeds: tuple[tuple[str, str], ...] = ()  # (title, href) of Atom feeds
    claim: str = "{id}.html"  # another claim's page, from a claim page


@dataclass(frozen=True)
class Head:
    """What goes in a page's ``<head>`` besides the basics (all already safe markup)."""

    canonical: str | None = None
    meta: tuple[tuple[str, str, str], ...] = ()  # (attribute, name, content): property/name tags
    jsonld: str | None = None  # JSON text for one <script type="application/ld+json">
    extra: dict[str, Any] = field(default_factory=dict)


#: Where the pages' templates are (``templates/pages``); the microsite extends them.
PAGES = ("timeline.views", "templates/pages")


def env() -> jinja2.Environment:
    """The Jinja environment of the pages."""
    return templates(PAGES)


def _s(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def verdict_views() -> list[dict[str, Any]]:
    """Each verdict of the contract for a page: key, label, meaning, rating, badge markup."""
    return [
        {"key": v.key, "label": v.label, "meaning": v.meaning, "rating": v.rating,
         "badge": Markup(BADGES[v.key]), "glyph": GLYPHS.get(v.symbol, "")}
        for v in VERDICTS
    ]  # fmt: skip


class ClaimPages:
    """Every claim's page for one dataset (prepared once, rendered one claim at a time)."""

    def __init__(self, ds: Any) -> None:
        self.ds = ds
        self.meta = story_meta(ds.folder)
        frame = event_frame(ds, zones=("own",))
        self.events: dict[str, dict[str, str]] = {}
        for eid, title, dd, label, start in zip(
            frame["id"].tolist(),
            frame["title"].tolist(),
            frame["display_date"].tolist(),
            frame["label_own"].tolist(),
            ds.events.iloc[frame["row"].to_numpy()]["start"].tolist() if len(frame) else [],
        ):
            self.events[str(eid).strip()] = {
                "title": _s(title),
                "display_date": _s(dd),
                "label": _s(label),
                "datetime": _s(start),
            }
        src = ds.sources
        labels = date_labels(src["published_at"], src["published_precision"], src["published_offset"])
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
        reviewed = date_labels(cl["reviewed_at"], cl["reviewed_precision"], cl["reviewed_offset"]).tolist()
        self.claims: dict[str, dict[str, Any]] = {}
        for row, label in zip(ds.raw("claims").to_dict("records"), reviewed):
            row = {k: _s(v) for k, v in row.items()}
            row["reviewed_label"] = _s(label)
            self.claims.setdefault(row["id"], row)
        self.ids: list[str] = list(self.claims)
        self.position = {cid: i for i, cid in enumerate(self.ids)}
        corrections, _ = load_corrections(ds.folder)
        self.corrections = corrections
        self.corrections_of: dict[str, list[int]] = {}
        for pos, target in enumerate(corrections["target"].tolist() if len(corrections) else []):
            parsed = parse_target(str(target))
            if parsed and parsed[0] == "claims":
                self.corrections_of.setdefault(parsed[1], []).append(pos)

    def title(self, claim_id: str) -> str:
        """The page's title: the claim's headline, else the whole claim on one line."""
        c = self.claims[claim_id]
        return " ".join((c.get("headline") or c["claim"]).split())

    def verdict(self, claim_id: str) -> Any:
        return VERDICT_BY_KEY.get(self.claims[claim_id]["verdict"], NO_CLAIMS)

    def cited(self, refs: str) -> list[dict[str, str]]:
        out = []
        for sid in (x.strip() for x in refs.split(";")):
            if sid:
                out.append(self.sources.get(sid) or {"id": sid, "title": sid, "publisher": "", "url": "",
                                                     "archived": "", "published": "", "published_label": ""})
        return out  # fmt: skip

    def render(
        self, claim_id: str, *, links: PageLinks, head: Head | None = None, claimant_href: str | None = None,
        category: tuple[str, str] | None = None,
    ) -> str:
        """The claim's page as HTML (``KeyError`` for an unknown id).

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
        return env().get_template("claim.html.j2").render(
            story=self.meta,
            links=links,
            head=head or Head(),
            csp=PAGE_CSP,
            title=self.title(claim_id),
            claim=c,
            verdict=self.verdict(claim_id),
            badge=Markup(BADGES.get(c["verdict"], BADGES[NO_CLAIMS.key])),
            event=self.events.get(c["event_id"]),
            said_in=said_in[0] if said_in else None,
            evidence=self.cited(c["evidence"]),
            corrections=corrections,
            prev=self._neighbour(prev_id, links),
            next=self._neighbour(next_id, links),
            position=pos + 1,
            total=len(self.ids),
            claimant_href=claimant_href,
            category=category,
        )

    def _neighbour(self, claim_id: str | None, links: PageLinks) -> dict[str, str] | None:
        if claim_id is None:
            return None
        return {"href": links.claim.replace("{id}", claim_id), "title": self.title(claim_id),
                "claimant": self.claims[claim_id]["claimant"]}  # fmt: skip

    def render_all(
        self, ids: Iterable[str] | None = None, *, links: PageLinks, heads: Mapping[str, Head] | None = None
    ) -> dict[str, str]:
        return {cid: self.render(cid, links=links, head=(heads or {}).get(cid)) for cid in (ids or self.ids)}


__all__ = ["PAGE_CSP", "ClaimPages", "Head", "PageLinks", "env", "verdict_views"]
