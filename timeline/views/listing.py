"""The list of a long story, a page at a time: what ``timeline serve`` answers at ``events`` and ``search``.

A story of more than ``render.PAGED_ABOVE`` events is too long to send whole (100,000
events make a page of hundreds of megabytes). Its dashboard page then holds the chart's
data for every event but the list's first ``render.LIST_PAGE`` events only, and asks
the server for the rest:

- ``events?ids=ID,ID,...``: those events' list items (the same markup as the page's
  own, from ``render``), for the page's script, as JSON: ``{"items": HTML, "left": [ID, ...]}``.
  An answer holds at most ``MAX_ANSWER`` bytes (but always one event): the events that do
  not fit are named in ``left``, in the order asked, and the script asks for them next;
- ``events?offset=N``: a plain page of ``LIST_PAGE`` events from the N-th, with links to
  the pages before and after it (readers without JavaScript);
- ``sources?offset=N``: a plain page of sources (each with its publisher, date and
  archived copy, as a short story's "Sources" section shows them), linked from the page;
- ``chart``: every event's chart data but its title, as JSON (``chart_parts.chart_payload``
  without the titles): the page draws its chart from its groups first, then fetches this;
- ``chart?titles=K``: the titles of events ``K * TITLES_PER`` on, for the hover of single
  events once a reader zooms in (``chart_parts.title_block``);
- ``search?q=TEXT``: which events match a text search, as JSON: ``{"events": [i, ...],
  "claims": {"i": [k, ...]}}``, ``i`` an event's position in the chart's data, and, for an
  event matched only through some of its claims, the positions ``k`` of those claims
  among its own (file order). Every word must occur, case-insensitively, in the
  event's card (date, title, category, actors, place, summary, its sources' titles and
  publishers) or in one claim (verdict, claimant, claim, rationale, sources, review date).
  The text is cut to ``MAX_QUERY`` characters; a word inside another word of the search
  adds nothing and is dropped, and of the rest the ``MAX_WORDS`` longest are used, so a
  search costs at most ``MAX_WORDS`` passes over the texts still matching.

:class:`Listing` answers these from a loaded :class:`~timeline.core.dataset.Dataset`; the
server keeps one per data version (``pages.Listings``).
"""

from __future__ import annotations

import json
import threading
from typing import Any

import numpy as np
import pandas as pd
from markupsafe import escape

from ..core.schema import NO_CLAIMS, VERDICT_BY_KEY, split_list
from ..core.story import story_meta
from .chart_parts import chart_payload, title_block, without_titles
from .figure import date_labels, event_frame
from .render import LIST_PAGE, MAX_IDS, EventMarkup

#: Bytes of an ``events?ids=`` answer (its JSON, before gzip); events past it are named in ``left``.
MAX_ANSWER = 2 * 1024 * 1024
#: Events rendered at a time while an ``events?ids=`` answer is filled (it stops when full).
RENDER_BATCH = 50
#: Longer search texts are cut to this many characters.
MAX_QUERY = 200
#: A search uses at most this many words (its longest different ones), so that its cost is bounded.
MAX_WORDS = 8
#: Sources per page of ``sources?offset=N``.
SOURCES_PAGE = 500
#: Answers to this many different searches are kept.
SEARCHES_KEPT = 64


def _pager(
    path: str,
    offset: int,
    size: int,
    total: int,
    labels: tuple[str, str, str],
    home: str,
    back: str = "Back to the timeline",
) -> tuple[int, int, str]:
    """The page holding ``offset`` (its first and end index) and its navigation links."""
    first = max(0, min(offset, max(total - 1, 0)))
    first -= first % size
    last = min(first + size, total)
    nav = []
    if first > 0:
        nav.append(f'<a rel="prev" href="{path}?offset={first - size}">{escape(labels[0])}</a>')
    nav.append(f'<a href="{escape(home)}">{escape(back)}</a>')
    if last < total:
        nav.append(f'<a rel="next" href="{path}?offset={last}">{escape(labels[1])}</a>')
    return (
        first,
        last,
        f'<nav class="tl-pager" aria-label="{escape(labels[2])}">' + " · ".join(nav) + "</nav>",
    )


def _json(value: Any) -> bytes:
    """``value`` as compact UTF-8 JSON (what the server sends)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def _joined(columns: list[Any]) -> pd.Series:
    """The columns' texts joined by spaces, row by row, in lower case (vectorised)."""
    cols = [
        pd.Series(list(c) if not isinstance(c, pd.Series) else c.to_numpy(), dtype=object)
        .fillna("")
        .astype(str)
        for c in columns
    ]
    joined: pd.Series = cols[0].str.cat(cols[1:], sep=" ").str.lower()
    return joined


def search_words(query: str) -> list[str]:
    """The words a search uses: lower-cased, each once, none inside another, the MAX_WORDS
    longest (ties in the order typed), longest first; from the first MAX_QUERY characters."""
    words = list(dict.fromkeys(query[:MAX_QUERY].lower().split()))
    kept = [w for w in words if not any(w != o and w in o for o in words)]
    return sorted(kept, key=len, reverse=True)[:MAX_WORDS]


def _matching(texts: np.ndarray, terms: list[str]) -> np.ndarray:
    """Which ``texts`` hold every term: each term is looked for only in the texts holding the ones before."""
    hit = np.zeros(len(texts), dtype=bool)
    rows = np.arange(len(texts))
    for term in terms:
        if not len(rows):
            break
        rows = rows[np.fromiter((term in t for t in texts[rows]), dtype=bool, count=len(rows))]
    hit[rows] = True
    return hit


class Listing:
    """Items, pages and text search over one data version's events (in reading order)."""

    def __init__(self, ds: Any, *, claim_href: str | None = None) -> None:
        self.ds = ds
        self._markup = EventMarkup(ds, claim_href=claim_href)
        self.frame = event_frame(ds, zones=("own",), lang=self._markup.lang.tag)
        self.ids: list[str] = self.frame["id"].tolist()
        self.pos = {event_id: i for i, event_id in enumerate(self.ids)}
        self._index: tuple[pd.Series, pd.DataFrame] | None = None
        self._chart: tuple[bytes, list[str], str] | None = None
        self._searches: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self.ids)

    def items(self, positions: list[int]) -> list[str]:
        """The list items (``li.tl-event``) of the events at ``positions``."""
        frame = self.frame.iloc[positions]
        return self._markup.event_items(frame)

    def fragment(self, ids: list[str]) -> str:
        """The list items of ``ids`` that exist, in the order asked (unknown ids are left out)."""
        positions = [self.pos[i] for i in ids[:MAX_IDS] if i in self.pos]
        return "\n".join(self.items(positions))

    def items_answer(self, ids: list[str], *, max_bytes: int = MAX_ANSWER) -> bytes:
        """The JSON answer to ``events?ids=``: ``{"items": HTML, "left": [id, ...]}``.

        ``items`` holds the list items of the first ``MAX_IDS`` ids that exist (each once, in the
        order asked) as long as the answer stays within ``max_bytes`` (the first one whatever
        its size, so that every event can be had); ``left`` names those that did not fit, for
        the next request. Unknown ids are left out of both.
        """
        wanted = [i for i in dict.fromkeys(ids[:MAX_IDS]) if i in self.pos]
        # The most the answer's frame can take: no item sent, every id left.
        room = max_bytes - len(_json({"items": "", "left": wanted}))
        sent: list[str] = []
        for start in range(0, len(wanted), RENDER_BATCH):
            for item in self.items([self.pos[i] for i in wanted[start : start + RENDER_BATCH]]):
                cost = len(_json(item)) - 2 + (2 if sent else 0)  # without its quotes; "\n" between
                if sent and cost > room:
                    return _json({"items": "\n".join(sent), "left": wanted[len(sent) :]})
                sent.append(item)
                room -= cost
        return _json({"items": "\n".join(sent), "left": []})

    # ----------------------------------------------------------------- the chart's data
    def _chart_parts(self) -> tuple[bytes, list[str], str]:
        """The ``chart`` answer, the titles and the data's version (made once)."""
        with self._lock:
            if self._chart is None:
                lean, titles = without_titles(chart_payload(self.ds, self.frame))
                self._chart = (_json(lean), titles, lean["events"]["version"])
            return self._chart

    def chart_answer(self) -> bytes:
        """The JSON answer to ``chart``: every event's chart data but its title."""
        return self._chart_parts()[0]

    def titles_answer(self, k: int) -> bytes:
        """The JSON answer to ``chart?titles=K`` (``IndexError`` past the last event)."""
        _, titles, version = self._chart_parts()
        return _json(title_block(titles, k, version))

    def page(self, offset: int, *, css_url: str, home: str = "./") -> str:
        """A plain HTML page of ``LIST_PAGE`` events from ``offset``, with links before and after."""
        lang = self._markup.lang
        _ = lang.gettext
        first, last, nav = _pager(
            "events", offset, LIST_PAGE, len(self),
            (_("Earlier events"), _("Later events"), _("Pages of events")), home,
            _("Back to the timeline"),
        )  # fmt: skip
        items = "\n".join(self.items(list(range(first, last))))
        n = {
            "first": lang.number(first + 1),
            "last": lang.number(last),
            "total": lang.number(len(self)),
        }
        return self._plain_page(
            _("Events %(first)s to %(last)s") % n,
            _("Events %(first)s to %(last)s of %(total)s, in order.") % n,
            nav,
            f'<ol id="tl-list" class="tl-list" start="{first + 1}">\n{items}\n</ol>',
            css_url,
        )

    def sources_page(self, offset: int, *, css_url: str, home: str = "./") -> str:
        """A plain HTML page of ``SOURCES_PAGE`` sources (in sources.csv's order) from ``offset``:
        each with its link, publisher, date and archived copy, as the "Sources" section shows them."""
        entries = self._markup.source_entries()
        lang = self._markup.lang
        _ = lang.gettext
        first, last, nav = _pager(
            "sources", offset, SOURCES_PAGE, len(entries),
            (_("Previous sources"), _("Next sources"), _("Pages of sources")), home,
            _("Back to the timeline"),
        )  # fmt: skip
        n = {
            "first": lang.number(first + 1),
            "last": lang.number(last),
            "total": lang.number(len(entries)),
        }
        return self._plain_page(
            _("Sources %(first)s to %(last)s") % n,
            _("Sources %(first)s to %(last)s of %(total)s, as listed in sources.csv.") % n,
            nav,
            f'<ol id="tl-source-list" class="tl-source-list" start="{first + 1}">\n'
            + "\n".join(entries[first:last])
            + "\n</ol>",
            css_url,
        )

    def _plain_page(self, heading: str, intro: str, nav: str, body: str, css_url: str) -> str:
        title = str(escape(story_meta(self.ds.folder)["title"]))
        lang = self._markup.lang
        heading = str(escape(heading))
        intro = str(escape(intro))
        rtl = ' dir="rtl"' if lang.direction == "rtl" else ""
        return (
            f'<!DOCTYPE html>\n<html lang="{escape(lang.tag)}"{rtl}>\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{heading}{escape(lang.gettext(': '))}{title}</title>\n"
            '<link rel="icon" href="data:,">\n'
            f'<link rel="stylesheet" href="{escape(css_url)}">\n</head>\n<body class="tl-page">\n'
            f'<main id="timeline-app" class="tl-app">\n<h1 class="tl-title" dir="auto">{title}</h1>\n'
            f"<p>{intro}</p>\n{nav}\n{body}\n{nav}\n"
            "</main>\n</body>\n</html>\n"
        )

    # ----------------------------------------------------------------- search
    def _texts(self) -> tuple[pd.Series, pd.DataFrame]:
        """Lower-case search text per event (by position) and per claim (with its event and rank)."""
        if self._index is not None:
            return self._index
        ds, frame = self.ds, self.frame
        src = ds.sources
        cite = dict(
            zip(
                src["id"].astype(str).str.strip(),
                (src["title"].fillna("") + " " + src["publisher"].fillna("")).tolist(),
            )
        )

        def cited(refs: pd.Series) -> list[str]:
            return [" ".join(cite.get(s, s) for s in split_list(r)) for r in refs]

        ev = ds.events.iloc[frame["row"].to_numpy()]
        parts = [
            frame["display_date"],
            frame["label_own"],
            frame["title"],
            frame["category"],
            frame["actors"].map(" ".join),
            ev["location"].fillna("").to_numpy(),
            ev["summary"].fillna("").to_numpy(),
            cited(ev["sources"]),
        ]
        events = _joined(parts)

        cl = ds.claims
        labels = date_labels(cl["reviewed_at"], cl["reviewed_precision"], cl["reviewed_offset"])
        verdicts = cl["verdict"].map(
            lambda v: VERDICT_BY_KEY[v].label if v in VERDICT_BY_KEY else NO_CLAIMS.label
        )
        claim_parts = [
            verdicts.tolist(),
            cl["claimant"].fillna("").tolist(),
            cl["claim"].fillna("").tolist(),
            cl["rationale"].fillna("").tolist(),
            cited(cl["said_in"]),
            cited(cl["evidence"]),
            labels.tolist(),
        ]
        event_ids = cl["event_id"].astype(str).str.strip()
        claims = pd.DataFrame(
            {
                "event": event_ids.map(self.pos).to_numpy(),
                "rank": event_ids.groupby(event_ids).cumcount().to_numpy(),
                "text": _joined(claim_parts).to_numpy(),
            }
        ).dropna(subset=["event"])
        claims["event"] = claims["event"].astype(int)
        self._index = (events, claims)
        return self._index

    def search(self, query: str) -> dict[str, Any]:
        """The events (positions) matching every word of ``query``, and for events matched
        only through claims, which of their claims (ranks among the event's own) match.

        The last ``SEARCHES_KEPT`` answers are kept: many readers type the same words.
        """
        terms = search_words(query)
        if not terms:
            return {"events": list(range(len(self))), "claims": {}}
        key = " ".join(terms)
        with self._lock:  # the server answers searches in threads
            found = self._searches.pop(key, None)
        if found is None:
            found = self._search(terms)
        with self._lock:
            self._searches[key] = found  # newest last
            while len(self._searches) > SEARCHES_KEPT:
                del self._searches[next(iter(self._searches))]
        return found

    def _search(self, terms: list[str]) -> dict[str, Any]:
        events, claims = self._texts()
        ev_hit = _matching(events.to_numpy(), terms)
        cl_hit = _matching(claims["text"].to_numpy(), terms)
        hits = claims[cl_hit & ~ev_hit[claims["event"].to_numpy()]]
        by_event: dict[str, list[int]] = {}
        for event, rank in zip(hits["event"].tolist(), hits["rank"].tolist()):
            by_event.setdefault(str(event), []).append(int(rank))
        matched = sorted({*np.flatnonzero(ev_hit).tolist(), *map(int, by_event)})
        return {"events": matched, "claims": by_event}


__all__ = ["MAX_ANSWER", "MAX_QUERY", "MAX_WORDS", "SEARCHES_KEPT", "SOURCES_PAGE", "Listing"]
