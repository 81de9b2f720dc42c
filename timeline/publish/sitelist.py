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
from collections.abc import Callable
from typing import Any

import numpy as np

from ..core.schema import NO_CLAIMS, VERDICT_BY_KEY
from ..views.chart_parts import grouped_chart, words
from ..views.language import ENGLISH, PageLanguage
from ..views.listing import Listing
from ..views.render import PAGED_ABOVE as PAGED_ABOVE
from ..views.render import StaticList, json_for_script

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


def terms(text: str) -> set[str]:
    """The words of ``text`` as the search index and the page's script read them (timeline.js)."""
    return {w for w in WORD.findall(text.lower()) if len(w) <= MAX_TERM}


def encode(ids: list[int], n: int) -> str:
    """Sorted positions among ``n``: ``b`` + a base64 bitmap, or ``d`` + base-36 gaps, whichever is shorter."""
    if not ids:
        return ""
    bits = np.zeros(n, dtype=bool)
    bits[ids] = True
    bitmap = "b" + base64.b64encode(np.packbits(bits, bitorder="little").tobytes()).decode()
    if len(bitmap) < 2 * len(ids):  # gaps cost at least two characters each
        return bitmap
    gaps, last = [], 0
    for i in ids:
        gaps.append(np.base_repr(i - last, 36).lower())
        last = i
    text = "d" + ",".join(gaps)
    return bitmap if len(bitmap) < len(text) else text


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
    postings: dict[str, tuple[list[int], list[int]]] = {}
    for which, texts in ((0, event_texts), (1, claim_texts)):
        for i, text in enumerate(texts):
            for t in terms(text):
                postings.setdefault(t, ([], []))[which].append(i)
    n_ev, n_cl = len(event_texts), len(claim_texts)
    encoded = {t: [encode(e, n_ev), encode(c, n_cl)] for t, (e, c) in postings.items()}
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


def write_paged(
    listing: Listing,
    put: Callable[[str, str], None],
    page: Callable[[str, str, str, str, str], str],
    lang: PageLanguage = ENGLISH,
) -> StaticList:
    """Write the list's files, the plain pages and the search index (see the module's docstring);
    return how the index pages its list (``render.render_story``'s ``static_list``).

    ``put(rel, text)`` writes a file; ``page(heading, intro, list_html, prev, next)`` renders a plain
    page of the list (the site's page template; ``next`` is empty on the last page)."""
    total = len(listing)
    positions = list(range(total))
    items: list[str] = []
    for start in range(0, total, RENDER_BATCH):  # rendered in batches: a call per event costs 100x
        items += listing.items(positions[start : start + RENDER_BATCH])
    for start in range(0, total, CHUNK):
        k = start // CHUNK
        put(
            f"{LIST_DIR}/items-{k}.js", jsonp(f"items/{k}", "\n".join(items[start : start + CHUNK]))
        )
    pages = (total + SITE_PAGE - 1) // SITE_PAGE
    for n in range(2, pages + 1):
        first, last = (n - 1) * SITE_PAGE, min(n * SITE_PAGE, total)
        body = "\n".join(items[first:last]).replace('href="claims/', 'href="../claims/')
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
