"""The chart's data of a long story in parts, fetched as the page needs them: one implementation
for the dashboard's server (``timeline serve``: ``chart`` and ``chart?titles=K``, answered by
:class:`~timeline.views.listing.Listing`) and the microsite's files (:mod:`timeline.publish.sitelist`).

A page of a long story carries none of its events' data: 100,000 events made a 13.4 MB page
(13.0 MB of it the chart's data) that the browser's HTML parser took seconds to read before
anything was drawn. Its data holds instead:

- ``grouped_chart``: the chart as the page's script groups a long story (one marker per lane,
  worst verdict and period; chart.js ``groupTraces``), a few thousand numbers drawn at once;
- the address of :func:`chart_payload`, every event's chart data (what the filters, the list's
  paging and deep links need: ids, dates, lanes, verdicts, each event's claims' verdicts, the
  desk's actor groups), fetched once the chart is drawn;
- on the dashboard, without the events' titles (half of it): the hover of single events, once a
  reader zooms in to :data:`GROUP_ABOVE` events or fewer, fetches the titles of those events
  :data:`TITLES_PER` at a time (:func:`title_block`).
"""

from __future__ import annotations

import hashlib
from typing import Any

import numpy as np
import pandas as pd

from ..core.actor_groups import read_actor_groups
from ..core.schema import NO_CLAIMS
from ..errors import ValidationError
from .figure import chart_data, verdict_styles
from .language import ENGLISH, PageLanguage

#: The chart's groups, as timeline.js groups a long story (chart.js: GROUP_ABOVE, BINS, MAX_BINS).
GROUP_ABOVE = 5000
HOUR, DAY = 3_600_000, 86_400_000
BINS = (HOUR, 6 * HOUR, DAY, 7 * DAY, 30 * DAY, 91 * DAY, 365 * DAY, 3652 * DAY)
MAX_BINS = 60
#: Events' titles per ``chart?titles=K`` answer (a block of reading order).
TITLES_PER = 1000


def claim_verdicts(ds: Any, frame: pd.DataFrame) -> list[list[int]]:
    """Per event of ``frame``, its claims' verdicts (indices of ``verdict_styles()``), in file order."""
    vpos = {v["key"]: i for i, v in enumerate(verdict_styles())}
    none = vpos[NO_CLAIMS.key]
    by_event: dict[str, list[int]] = {}
    for event_id, verdict in zip(ds.claims["event_id"].tolist(), ds.claims["verdict"].tolist()):
        by_event.setdefault(str(event_id).strip(), []).append(vpos.get(verdict, none))
    return [by_event.get(i, []) for i in frame["id"].tolist()]


def actor_group_events(ds: Any, frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The desk's actor groups (core/actor_groups.py): each with its names and the positions in
    ``frame`` of the events that name one of them as an actor or as a claim's claimant. A bad
    ``actor_groups.csv`` raises ValidationError, naming its file, line and column."""
    groups, problems = read_actor_groups(ds.folder)
    if problems:
        raise ValidationError(problems, action="show the story")
    if not groups:
        return []
    names: dict[str, set[str]] = {}
    for event_id, claimant in zip(ds.claims["event_id"].tolist(), ds.claims["claimant"].tolist()):
        names.setdefault(str(event_id).strip(), set()).add(str(claimant).strip())
    per_event = [
        set(actors) | names.get(eid, set()) for eid, actors in zip(frame["id"], frame["actors"])
    ]
    return [
        {
            "name": group,
            "names": members,
            "ev": [i for i, ns in enumerate(per_event) if ns & set(members)],
        }
        for group, members in groups.items()
    ]


def chart_payload(
    ds: Any, frame: pd.DataFrame, groups: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """Every event's chart data (``events``: figure.chart_data and ``cv``, each event's claims'
    verdicts: its marker shows the worst of those the filters leave in view) and the desk's actor
    groups (``groups``, :func:`actor_group_events` when not given)."""
    events = chart_data(frame)
    events["cv"] = claim_verdicts(ds, frame)
    return {"events": events, "groups": actor_group_events(ds, frame) if groups is None else groups}


def without_titles(payload: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """``payload`` without its events' titles, and the titles; ``events.v`` then names the data's
    version (ids and titles), which each :func:`title_block` carries too: a page whose data is
    older than the server's shows no title rather than another event's."""
    events = dict(payload["events"])
    titles: list[str] = events.pop("title")
    digest = hashlib.sha256()
    for part in (events["id"], titles):
        digest.update("\n".join(part).encode())
        digest.update(b"\0")
    events["version"] = digest.hexdigest()[:16]
    return {**payload, "events": events}, titles


def title_block(titles: list[str], k: int, version: str) -> dict[str, Any]:
    """The titles of events ``k * TITLES_PER`` to ``(k + 1) * TITLES_PER - 1`` (reading order), with
    the data's ``version``; ``IndexError`` past the last event."""
    if k < 0 or k * TITLES_PER >= max(len(titles), 1):
        raise IndexError(k)
    return {"version": version, "titles": titles[k * TITLES_PER : (k + 1) * TITLES_PER]}


def grouped_chart(ev: dict[str, Any]) -> dict[str, Any]:
    """The chart of every event grouped as timeline.js groups a long story (chart.js groupTraces:
    category lanes, times on their own clocks): ``width`` (ms), ``lanes`` and ``cells``, each
    ``[verdict, lane, bin, count]``; ``ev`` is :func:`chart_payload`'s ``events``."""
    n = len(ev["s"])
    s = np.asarray(ev["s"], dtype="int64") * 1000
    own = np.asarray([m if m is not None else 0 for m in ev["own"]], dtype="int64") * 60_000
    d = np.asarray(ev["d"], dtype="int64") * 1000
    x = (s + own).astype("float64")
    x = np.where(np.asarray(ev["span"], dtype=bool), x + d / 2, x)
    if not n:
        return {"width": BINS[-1], "lanes": [], "cells": []}
    span = float(x.max() - x.min())
    width = next((b for b in BINS if span / b <= MAX_BINS), BINS[-1])
    cat = np.asarray(ev["cat"], dtype="int64")
    first = {int(c): k for k, c in reversed(list(enumerate(cat.tolist())))}
    order = sorted(first, key=first.__getitem__)  # lanes in order of first appearance
    lane_of = np.zeros(max(order) + 1, dtype="int64")
    lane_of[order] = np.arange(len(order))
    keys = np.stack(
        [np.asarray(ev["v"]), lane_of[cat], np.floor(x / width).astype("int64")], axis=1
    )
    cells, counts = np.unique(keys, axis=0, return_counts=True)
    return {
        "width": width,
        "lanes": [ev["cats"][c] for c in order],
        "cells": [[*map(int, c), int(k)] for c, k in zip(cells.tolist(), counts.tolist())],
    }


def words(lang: PageLanguage = ENGLISH) -> dict[str, str]:
    """What the page's script says while a long story's data loads, in the page's language."""
    return {
        "failed": lang.gettext(
            "The timeline's data could not be loaded: reload the page to try again."
        ),
    }


__all__ = [
    "BINS",
    "GROUP_ABOVE",
    "MAX_BINS",
    "TITLES_PER",
    "actor_group_events",
    "chart_payload",
    "claim_verdicts",
    "grouped_chart",
    "title_block",
    "without_titles",
    "words",
]
