"""A page per claimant and per category (lane): a record of their claims in time order.

``claimants/<slug>.html`` lists one claimant's claims, ``categories/<slug>.html`` the
claims of one lane's events; both in the order of their events' times (then of
claims.csv), each with its verdict badge and a link to its page, above a count per
verdict: a table with the numbers as text and a bar for each (inline SVG, no script).
File names come from :func:`timeline.core.claimants.page_slugs`: stable, never colliding.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from markupsafe import Markup

from ..core.claimants import one_line, page_slugs
from ..core.schema import CLAIMANT_TYPES, NO_CLAIMS, VERDICTS
from ..views.claim_page import ClaimPages
from ..views.render import badges

CLAIMANTS_DIR = "claimants"
CATEGORIES_DIR = "categories"
NEVER = np.iinfo(np.int64).max  # the time of an event without one: after every other


@dataclass
class Group:
    """One claimant or category: its name, file name and claims (ids, in time order)."""

    name: str
    slug: str
    claims: list[str] = field(default_factory=list)
    claimant_type: str = ""  # a claimant's first claimant_type in claims.csv, for every ClaimReview

    @property
    def rel(self) -> str:
        return f"{self.slug}.html"


class Groups:
    """The claimants and categories of one dataset."""

    def __init__(self, pages: ClaimPages) -> None:
        self.pages = pages
        ds = pages.ds
        events = ds.events
        # Start times as integers (nanoseconds; none last): sorting 60,000 Timestamps cost 0.3 s.
        start = pd.to_datetime(events["start_at"], utc=True, errors="coerce")
        ns = (
            np.where(start.isna().to_numpy(), NEVER, start.array.asi8).tolist()
            if len(events)
            else []
        )
        when = dict(zip((str(e).strip() for e in events["id"].tolist()), ns))
        raw = ds.raw("events")
        lanes = [one_line(c) for c in raw["category"].tolist()]
        category = dict(zip((str(e).strip() for e in raw["id"].tolist()), lanes))

        def key(cid: str) -> tuple[int, int]:
            return (when.get(pages.claims[cid]["event_id"], NEVER), pages.position[cid])

        ordered = sorted(pages.ids, key=key)
        claimant_of = {cid: one_line(pages.claims[cid]["claimant"]) for cid in pages.ids}
        lane_of = {cid: category.get(pages.claims[cid]["event_id"], "") for cid in pages.ids}
        self.claimants = self._groups(
            [claimant_of[c] for c in pages.ids], ordered, claimant_of, "claimant"
        )
        self.categories = self._groups(lanes, ordered, lane_of, "category")
        for cid in pages.ids:
            g = self.claimants.get(claimant_of[cid])
            kind = pages.claims[cid].get("claimant_type", "")
            if g is not None and not g.claimant_type and kind in CLAIMANT_TYPES:
                g.claimant_type = kind
        self.claimant_of, self.lane_of = claimant_of, lane_of
        # A lane's events too (most have no claim), in time order, then events.csv's.
        self.lane_events: dict[str, list[str]] = {}
        rank = {eid: i for i, eid in enumerate(category)}
        for eid in sorted(category, key=lambda e: (when.get(e, NEVER), rank[e])):
            self.lane_events.setdefault(category[eid], []).append(eid)

    @staticmethod
    def _groups(
        names: list[str], ordered: list[str], of: dict[str, str], default: str
    ) -> dict[str, Group]:
        slugs = page_slugs((n for n in names if n), default)
        groups = {
            name: Group(name, s)
            for name, s in sorted(slugs.items(), key=lambda kv: kv[0].casefold())
        }
        for cid in ordered:
            if of[cid] in groups:
                groups[of[cid]].claims.append(cid)
        return groups

    def counts(self, group: Group) -> list[dict[str, Any]]:
        """One row per verdict of the scale: label, badge, count, the bar's width in % of the largest."""
        n = {v.key: 0 for v in VERDICTS}
        for cid in group.claims:
            key = self.pages.claims[cid]["verdict"]
            if key in n:
                n[key] += 1
        top = max(n.values(), default=0) or 1
        marks = badges(self.pages.lang)
        return [{"key": v.key, "label": self.pages.lang.verdict_label(v), "badge": Markup(marks[v.key]), "count": n[v.key],
                 "width": round(100 * n[v.key] / top, 1)} for v in VERDICTS]  # fmt: skip

    def events(self, group: Group, home: str) -> list[dict[str, str]]:
        """A category's events for its page: date, title, link to its place on the timeline."""
        out = []
        for eid in self.lane_events.get(group.name, []):
            e = self.pages.events.get(eid)
            if e is not None:
                out.append({"id": eid, "href": f"{home}#event-{eid}", "title": e["title"],
                            "date": e["display_date"] or e["label"], "datetime": e["datetime"]})  # fmt: skip
        return out

    def items(self, group: Group, claim_href: Callable[[str], str]) -> list[dict[str, Any]]:
        """The group's claims for its page: link, title, badge, claimant, the event's date."""
        out = []
        marks = badges(self.pages.lang)
        for cid in group.claims:
            c = self.pages.claims[cid]
            e = self.pages.events.get(c["event_id"]) or {}
            out.append({
                "id": cid, "href": claim_href(cid), "title": self.pages.title(cid), "claimant": c["claimant"],
                "badge": Markup(marks.get(c["verdict"], marks[NO_CLAIMS.key])),
                "date": e.get("display_date") or e.get("label", ""), "datetime": e.get("datetime", ""),
            })  # fmt: skip
        return out


__all__ = ["CATEGORIES_DIR", "CLAIMANTS_DIR", "Group", "Groups"]
