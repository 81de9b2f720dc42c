"""The microsite's long list, chart and search, from files: no server, from any address or ``file://``.

A story of more than ``PAGED_ABOVE`` events (the dashboard's threshold, ``render.PAGED_ABOVE``) is too long for one page (60,000 events
make a 48 MB ``index.html``). :func:`write_paged` then writes, besides ``index.html`` (which holds
the first ``SITE_PAGE`` events of the list and a grouped chart drawn from a few numbers,
``chart_parts.grouped_chart``, as the dashboard's page does)::

    list/data.<hash>.js     the chart's data for every event (what the filters need), loaded
                            by the page's script once the chart is drawn
    list/items-<k>.js       the list items of events k*CHUNK ... k*CHUNK+CHUNK-1, in reading order
    list/page-<n>.html      the n-th page of SITE_PAGE events, for readers without JavaScript,
                            linked each to the next and previous (page 1 is index.html)
    search/<i>.js           the search index, one shard per term prefix (``search_shards``)

Every ``.js`` file is a script that hands its value to ``window.__timelinePut(key, value)``
(JSONP): a page opened from disk may load scripts, never ``fetch()`` a file, in Chromium.

The search index maps each term (a word, lower case) of an event (title, date, category, actors,
place, summary) or a claim (verdict, claimant, claim, rationale, headline, bottom line) to the
events and claims holding it. Its shards are split by the terms' first letters until each
holds at most ``SHARD_BYTES``; the page's data lists the shards' prefixes, so a query loads
only the shards of its words' prefixes. A term's events (positions in reading order) and claims
(numbered in reading order: an event's claims in claims.csv's order) are written as a bitmap
when that is shorter (a word in most records costs an eighth of a byte per record), else as
the gaps between them in base 36.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections import defaultdict
from collections.abc import Callable
from typing import Any

import numpy as np

from ..core.schema import NO_CLAIMS, VERDICT_BY_KEY
from ..views.chart_parts import grouped_chart, words
from ..views.language import ENGLISH, PageLanguage
from ..views.listing import Listing
from ..views.render import PAGED_ABOVE as PAGED_ABOVE
from ..views.render import StaticList, json_for_script
from .sitefiles import digest

#: Events on the index, per "show more" and per plain page.
SITE_PAGE = 25
#: Events per list file (``list/items-<k>.js``): one, so that a search's first results, spread over
#: the archive, load only their own events (an event with its claims is some 3 KB of markup).
CHUNK = 1
#: Events rendered at a time (then written one file each).
RENDER_BATCH = 1000
#: At most this many bytes per search shard (a term's own postings may be more, alone in its shard).
SHARD_BYTES = 48_000
#: Terms longer than this are not indexed (hashes, URLs run together).
MAX_TERM = 40
LIST_DIR = "list"
SEARCH_DIR = "search"
CALLBACK = "__timelinePut"
WORD = re.compile(r"\w+")


def jsonp(key: str, value: Any) -> str:
    """A script handing ``value`` to the page: ``window.__timelinePut(key, value);``."""
    return f"window.{CALLBACK}({json_for_script(key)},{json_for_script(value)});\n"


def words_of(text: str) -> set[str]:
    """Every word of ``text``, lower case (the index leaves out those longer than MAX_TERM)."""
    return set(WORD.findall(text.lower()))


def terms(text: str) -> set[str]:
    """The words of ``text`` as the search index and the page's script read them (timeline.js)."""
    return {w for w in words_of(text) if len(w) <= MAX_TERM}


#: Base 36 of the numbers below 36 ** 2 (most gaps between a term's records), as np.base_repr writes them.
_B36 = [np.base_repr(i, 36).lower() for i in range(36**2)]


def _base36(i: int) -> str:
    if i < len(_B36):
        return _B36[i]
    return np.base_repr(i, 36).lower()


def encode(ids: list[int], n: int) -> str:
    """Sorted positions among ``n``: ``b`` + a base64 bitmap, or ``d`` + base-36 gaps, whichever is shorter."""
    if not ids:
        return ""
    size = 1 + 4 * (((n + 7) // 8 + 2) // 3)  # len("b" + base64 of the packed bits)
    if size >= 2 * len(ids):  # gaps cost at least two characters each: likely the shorter
        text = "d" + ",".join(map(_base36, (i - j for i, j in zip(ids, [0, *ids]))))
        if len(text) <= size:
            return text
    bits = np.zeros(n, dtype=bool)
    bits[ids] = True
    return "b" + base64.b64encode(np.packbits(bits, bitorder="little").tobytes()).decode()


def _shards(cost: dict[str, int], key: str, names: list[str]) -> list[tuple[str, list[str]]]:
    """``names`` (terms starting with ``key``) in shards of at most SHARD_BYTES, split by longer prefixes."""
    if sum(cost[t] for t in names) <= SHARD_BYTES or all(len(t) <= len(key) for t in names):
        return [(key, names)]
    exact = [t for t in names if len(t) <= len(key)]
    longer: dict[str, list[str]] = {}
    for t in names:
        if len(t) > len(key):
            longer.setdefault(t[: len(key) + 1], []).append(t)
    out = [(key, exact)] if exact else []
    for sub in sorted(longer):
        out += _shards(cost, sub, longer[sub])
    return out


def search_shards(
    event_texts: list[str], claim_texts: list[str]
) -> list[tuple[str, dict[str, list[str]]]]:
    """The search index in shards: ``(prefix, {term: [events, claims]})``, by prefix, postings encoded."""
    found: list[defaultdict[str, list[int]]] = []
    for texts in (event_texts, claim_texts):
        own: defaultdict[str, list[int]] = defaultdict(list)
        for i, text in enumerate(texts):
            for t in words_of(text):  # terms(text): the long words are left out below, once each
                own[t].append(i)
        found.append(own)
    n_ev, n_cl = len(event_texts), len(claim_texts)
    events, claims = found
    encoded = {
        t: [encode(events.get(t, []), n_ev), encode(claims.get(t, []), n_cl)]
        for t in {*events, *claims}
        if len(t) <= MAX_TERM
    }
    cost = {t: len(t) + len(e) + len(c) + 8 for t, (e, c) in encoded.items()}
    first: dict[str, list[str]] = {}
    for t in sorted(encoded):
        first.setdefault(t[:2], []).append(t)
    out = []
    for key in sorted(first):
        for prefix, names in _shards(cost, key, first[key]):
            out.append((prefix, {t: encoded[t] for t in names}))
    return out


def _texts(listing: Listing) -> tuple[list[str], list[str], list[int]]:
    """What the search reads of each event (reading order) and each claim (numbered in reading
    order), and each event's number of claims."""
    ds, frame = listing.ds, listing.frame
    ev = ds.events.iloc[frame["row"].to_numpy()]
    events = [
        " ".join(str(x) for x in row if isinstance(x, str))
        for row in zip(
            frame["display_date"], frame["label_own"], frame["title"], frame["category"],
            frame["actors"].map(" ".join), ev["location"], ev["summary"],
        )
    ]  # fmt: skip
    cl = ds.claims
    heads = cl["headline"] if "headline" in cl.columns else [""] * len(cl)
    bottoms = cl["bottom_line"] if "bottom_line" in cl.columns else [""] * len(cl)
    by_event: dict[str, list[str]] = {}
    for row in zip(
        cl["event_id"], cl["verdict"], cl["claimant"], cl["claim"], cl["rationale"], heads, bottoms
    ):
        verdict = VERDICT_BY_KEY[row[1]].label if row[1] in VERDICT_BY_KEY else NO_CLAIMS.label
        text = " ".join(str(x) for x in (verdict, *row[2:]) if isinstance(x, str))
        by_event.setdefault(str(row[0]).strip(), []).append(text)
    claims: list[str] = []
    per_event = []
    for eid in listing.ids:
        own = by_event.get(str(eid).strip(), [])
        claims += own
        per_event.append(len(own))
    return events, claims, per_event


def _rows(frame: Any) -> list[str]:
    """Each row of ``frame`` as one string of its cells (what a digest of the row reads): its
    times as numbers (a Timestamp's str costs 100x), without its line in the file (a row added
    above it changes nothing it shows)."""
    if not len(frame):
        return []
    cols = []
    for name in frame.columns:
        if name == "line":
            continue
        column = frame[name]
        values = column.array.asi8 if hasattr(column.array, "asi8") else column.tolist()
        cols.append(list(map(str, values)))
    return ["\x1f".join(cells) for cells in zip(*cols)]


def item_keys(listing: Listing, shared: str) -> list[str]:
    """Per event in reading order, a digest of everything its list item shows: its row, its claims'
    rows and the rows of the sources they cite (each as loaded, with their dates as read), and
    ``shared`` (what every item shares: the code, the story's language and words)."""
    ds = listing.ds
    ev, cl, src = ds.events, ds.claims, ds.sources
    sources = dict(zip((str(x).strip() for x in src["id"]), _rows(src)))
    by_event: dict[str, list[str]] = {}
    claim_refs: dict[str, list[str]] = {}
    for eid, row, said, evidence in zip(cl["event_id"], _rows(cl), cl["said_in"], cl["evidence"]):
        key = str(eid).strip()
        by_event.setdefault(key, []).append(row)
        claim_refs.setdefault(key, []).extend((str(said), str(evidence)))
    rows, ids, refs_of = _rows(ev), ev["id"].tolist(), ev["sources"].tolist()
    out = []
    for pos in listing.frame["row"].tolist():
        eid = str(ids[pos]).strip()
        refs = ";".join([str(refs_of[pos]), *claim_refs.get(eid, [])])
        cited = [sources.get(s.strip(), "") for s in dict.fromkeys(refs.split(";")) if s.strip()]
        text = "\x1e".join([shared, rows[pos], *by_event.get(eid, []), *cited])
        out.append(hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest())
    return out


def write_paged(
    listing: Listing,
    put: Callable[[str, str], None],
    page: Callable[[str, str, str, str, str], str],
    lang: PageLanguage = ENGLISH,
    *,
    keep: Callable[[str, str], bool] | None = None,
    shared: str = "",
) -> StaticList:
    """Write the list's files, the plain pages and the search index (see the module's docstring);
    return how the index pages its list (``render.render_story``'s ``static_list``).

    ``put(rel, text)`` writes a file; ``page(heading, intro, list_html, prev, next)`` renders a plain
    page of the list (the site's page template; ``next`` is empty on the last page). With ``keep``
    (``SiteWriter.fresh``), each list file and plain page is keyed by a digest of its events'
    data (:func:`item_keys`, with ``shared``) and neither rendered nor written when ``keep(rel,
    key)`` says the last build made it from the same key."""
    total = len(listing)
    keys = item_keys(listing, shared) if keep is not None else [""] * total
    pages = (total + SITE_PAGE - 1) // SITE_PAGE

    def fresh(rel: str, key: str) -> bool:
        return keep is not None and keep(rel, key)

    chunks = [k for k in range((total + CHUNK - 1) // CHUNK)
              if not fresh(f"{LIST_DIR}/items-{k}.js", "".join(keys[k * CHUNK : (k + 1) * CHUNK]))]  # fmt: skip
    stale = [n for n in range(2, pages + 1)
             if not fresh(f"{LIST_DIR}/page-{n}.html", digest(n, pages, total, keys[(n - 1) * SITE_PAGE : n * SITE_PAGE]))]  # fmt: skip
    wanted = sorted({*(i for k in chunks for i in range(k * CHUNK, min((k + 1) * CHUNK, total))),
                     *(i for n in stale for i in range((n - 1) * SITE_PAGE, min(n * SITE_PAGE, total)))})  # fmt: skip
    items: dict[int, str] = {}
    # Rendered in batches: a call per event costs 100x.
    for start in range(0, len(wanted), RENDER_BATCH):
        batch = wanted[start : start + RENDER_BATCH]
        items.update(zip(batch, listing.items(batch)))
    for k in chunks:
        start = k * CHUNK
        text = "\n".join(items[i] for i in range(start, min(start + CHUNK, total)))
        put(f"{LIST_DIR}/items-{k}.js", jsonp(f"items/{k}", text))
    for n in stale:
        first, last = (n - 1) * SITE_PAGE, min(n * SITE_PAGE, total)
        body = "\n".join(items[i] for i in range(first, last))
        body = body.replace('href="claims/', 'href="../claims/')
        prev = "../index.html#tl-list-h" if n == 2 else f"page-{n - 1}.html"
        nxt = f"page-{n + 1}.html" if n < pages else ""
        heading = lang.gettext("Events %(first)s to %(last)s") % {
            "first": lang.number(first + 1),
            "last": lang.number(last),
        }
        intro = lang.gettext("Events %(first)s to %(last)s of %(total)s, in order.") % {
            "first": lang.number(first + 1), "last": lang.number(last),
            "total": lang.number(total)}  # fmt: skip
        ol = f'<ol id="tl-list" class="tl-list" start="{first + 1}">\n{body}\n</ol>'
        put(f"{LIST_DIR}/page-{n}.html", page(heading, intro, ol, prev, nxt))
    event_texts, claim_texts, _ = _texts(listing)
    shards = search_shards(event_texts, claim_texts)
    for i, (_, postings) in enumerate(shards):
        put(f"{SEARCH_DIR}/{i}.js", jsonp(f"search/{i}", postings))

    def defer(data: dict[str, Any]) -> dict[str, Any]:
        script = jsonp("data", data)
        rel = f"{LIST_DIR}/data.{hashlib.sha256(script.encode()).hexdigest()[:12]}.js"
        put(rel, script)
        return {
            "static": True,
            "data": rel,
            "items": f"{LIST_DIR}/items-{{k}}.js",
            "per": CHUNK,
            "page": SITE_PAGE,
            "n": total,
            "chart": grouped_chart(data["events"]),
            "search": {"keys": [prefix for prefix, _ in shards], "file": f"{SEARCH_DIR}/{{i}}.js"},
            "words": words(lang),
        }

    return StaticList(
        page=SITE_PAGE,
        more_href=f"{LIST_DIR}/page-2.html",
        sources_href="sources.html",
        defer=defer,
    )


__all__ = ["CHUNK", "SITE_PAGE", "encode", "search_shards", "terms", "write_paged"]
