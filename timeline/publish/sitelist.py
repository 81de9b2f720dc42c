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
    search/<i>.js           the search index, one shard per term prefix (``publish.sitesearch``)

Every ``.js`` file is a script that hands its value to ``window.__timelinePut(key, value)``
(JSONP): a page opened from disk may load scripts, never ``fetch()`` a file, in Chromium.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from ..views.chart_parts import grouped_chart, words
from ..views.language import ENGLISH, PageLanguage
from ..views.listing import Listing
from ..views.render import PAGED_ABOVE as PAGED_ABOVE
from ..views.render import StaticList, json_for_script
from .sitefiles import digest
from .sitesearch import SEARCH_DIR, write_search

#: Events on the index, per "show more" and per plain page.
SITE_PAGE = 25
#: Events per list file (``list/items-<k>.js``): one, so that a search's first results, spread over
#: the archive, load only their own events (an event with its claims is some 3 KB of markup).
CHUNK = 1
#: Events rendered at a time (then written one file each).
RENDER_BATCH = 1000
LIST_DIR = "list"
CALLBACK = "__timelinePut"


def jsonp(key: str, value: Any) -> str:
    """A script handing ``value`` to the page: ``window.__timelinePut(key, value);``."""
    return f"window.{CALLBACK}({json_for_script(key)},{json_for_script(value)});\n"


def item_keys(listing: Listing, shared: str) -> list[str]:
    """Per event in reading order, a digest of everything its list item shows: its row, its claims'
    rows and the rows of the sources they cite (each by ``Dataset.row_digests``), and ``shared``
    (what every item shares: the code, the story's language and words)."""
    ds = listing.ds
    cl = ds.raw("claims")
    sources = dict(zip(ds.ids("sources"), ds.row_digests("sources")))
    by_event: dict[str, list[str]] = {}
    claim_refs: dict[str, list[str]] = {}
    claims = zip(cl["event_id"], ds.row_digests("claims"), cl["said_in"], cl["evidence"])
    for eid, row, said, evidence in claims:
        key = str(eid).strip()
        by_event.setdefault(key, []).append(row)
        claim_refs.setdefault(key, []).extend((str(said), str(evidence)))
    rows, ids, refs_of = (
        ds.row_digests("events"),
        ds.ids("events"),
        ds.raw("events")["sources"].tolist(),
    )
    out = []
    for pos in listing.frame["row"].tolist():
        eid = ids[pos]
        refs = ";".join([str(refs_of[pos]), *claim_refs.get(eid, [])])
        cited = [sources.get(s.strip(), "-") for s in dict.fromkeys(refs.split(";")) if s.strip()]
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
    kept: Callable[[str], bytes | None] | None = None,
    cache: Callable[[str, bytes], None] | None = None,
    shared: str = "",
) -> StaticList:
    """Write the list's files, the plain pages and the search index (see the module's docstring);
    return how the index pages its list (``render.render_story``'s ``static_list``).

    ``put(rel, text)`` writes a file; ``page(heading, intro, list_html, prev, next)`` renders a plain
    page of the list (the site's page template; ``next`` is empty on the last page). With ``keep``
    (``SiteWriter.fresh``), each list file and plain page is keyed by a digest of its events'
    data (:func:`item_keys`, with ``shared``) and neither rendered nor written when ``keep(rel,
    key)`` says the last build made it from the same key. With ``kept`` and ``cache``
    (``SiteWriter.kept``, ``SiteWriter.cache``) the search index is made from the last build's
    where that is the same (``sitesearch.write_search``)."""
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
    prefixes = write_search(listing, put, jsonp, kept=kept, keep=cache, shared=shared)

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
            "search": {"keys": prefixes, "file": f"{SEARCH_DIR}/{{i}}.js"},
            "words": words(lang),
        }

    return StaticList(
        page=SITE_PAGE,
        more_href=f"{LIST_DIR}/page-2.html",
        sources_href="sources.html",
        defer=defer,
    )


__all__ = ["CHUNK", "SITE_PAGE", "item_keys", "jsonp", "write_paged"]
