"""The microsite of a long story (issue 25): a light index whose list is paged from script files,
a grouped chart, search from a sharded index, plain pages for readers without JavaScript and a
light embed; in headless Chromium from file:// and over HTTP, axe-core clean.

The archive is the benchmarks' generator's (many claimants, categories, long texts, all verdicts);
to keep the suite fast it has 300 events and the site pages lists above 200 (``sitelist.PAGED_ABOVE``,
2,000 in use): the same code as at 60,000 events (benchmarks/bench_site.py --index-sizes).
"""

from __future__ import annotations

import csv
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect
from serve_support import static_server
from snapshot_support import AXE, axe_violations

from timeline.publish import embed, sitelist
from timeline.publish.site import build_site

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from bench_load import generate  # noqa: E402

pytestmark = pytest.mark.browser
EVENTS, CLAIMS = 300, 120
READY = "html[data-timeline-ready='1']"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("site-paged")
    generate(base / "data", events=EVENTS, claims=CLAIMS, sources=40)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(sitelist, "PAGED_ABOVE", 200)
        build_site(base / "data", base / "out", environ={"SOURCE_DATE_EPOCH": "1767225600"})
    return base / "out"


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[str]:
    with static_server(site) as url:
        yield url


def rows(site: Path, name: str) -> list[dict[str, str]]:
    with open(site.parent / "data" / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_index_holds_one_page_of_the_list_and_no_chart_data(site: Path) -> None:
    html = (site / "index.html").read_text(encoding="utf-8")
    assert html.count('class="tl-event"') == sitelist.SITE_PAGE
    data = re.search(r'<script type="application/json" id="tl-data">(.*?)</script>', html, re.S)
    assert data and '"static":true' in data.group(1) and '"events"' not in data.group(1)
    assert 'href="list/page-2.html"' in html
    assert len(list((site / "list").glob("items-*.js"))) == -(-EVENTS // sitelist.CHUNK)
    # The whole list lives in the files: the index is a small part of it.
    assert len(html) < sum(p.stat().st_size for p in (site / "list").glob("items-*.js")) / 5


def test_plain_pages_reach_every_claim(site: Path) -> None:
    """Readers without JavaScript follow "Later events" from the index to the last page."""
    seen: set[str] = set()
    path, pages = site / "index.html", 0
    while path is not None:
        html = path.read_text(encoding="utf-8")
        seen |= set(re.findall(r'href="(?:\.\./)?claims/([^"]+)\.html"', html))
        nxt = re.search(
            r'<a (?:rel="next" )?href="([^"]+)"[^>]*>(?:Later events|Events [\d,]+ to)', html
        )
        path = (path.parent / nxt.group(1)).resolve() if nxt else None
        pages += 1
    assert pages == -(-EVENTS // sitelist.SITE_PAGE)
    assert seen == {r["id"] for r in rows(site, "claims.csv")}


def test_embed_shows_the_latest_events_and_stays_light(site: Path) -> None:
    html = (site / "embed.html").read_text(encoding="utf-8")
    assert len(html.encode()) <= 200 * 1024
    assert html.count("<h2 ") == embed.EMBED_EVENTS
    assert f"The latest {embed.EMBED_EVENTS} of {EVENTS} events" in html


def _expected(site: Path, word: str) -> tuple[int, int]:
    """Events and claims holding ``word`` as a whole word, from the CSV files (not the index)."""
    pattern = re.compile(rf"\b{re.escape(word)}\b", re.I)
    claims = [c for c in rows(site, "claims.csv")
              if any(pattern.search(c[k]) for k in ("claimant", "claim", "rationale", "headline"))]  # fmt: skip
    hit = {e["id"] for e in rows(site, "events.csv")
           if any(pattern.search(e[k]) for k in ("title", "summary", "actors", "category", "location"))}  # fmt: skip
    by_claims = {c["event_id"] for c in claims} - hit
    shown = sum(1 for c in rows(site, "claims.csv") if c["event_id"] in hit) + sum(
        1 for c in claims if c["event_id"] in by_claims
    )
    return len(hit | by_claims), shown


@pytest.mark.parametrize("where", ["file", "http"])
def test_paged_index_in_chromium(browser, site: Path, server: str, where: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    asked: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: asked.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.add_init_script(path=str(AXE))
    base = site.resolve().as_uri() + "/" if where == "file" else server
    page.goto(base + "index.html")
    try:
        expect(page.locator("#timeline-app[data-chart-drawn]")).to_have_count(1)
        expect(page.locator("#tl-chart .scatterlayer .point").first).to_be_attached()
        items = page.locator("#tl-list > li.tl-event")
        expect(items).to_have_count(sitelist.SITE_PAGE)
        # The first load: the page, its assets and nothing of the list's files.
        assert not [u for u in asked if "/list/" in u or "/search/" in u]
        # Scrolling on: "Show more" loads the chart's data, then the next page from its file.
        # (Links are followed from the keyboard here: a mouse click at the link's place could miss
        # it on a machine busy enough to scroll the page late, and that would test nothing ours.)
        page.locator("#tl-more-link a").press("Enter")
        expect(page.locator(READY)).to_have_count(1)
        expect(items).to_have_count(2 * sitelist.SITE_PAGE)
        n = sitelist.SITE_PAGE
        files = sorted({u.rsplit("/", 1)[1] for u in asked if "/items-" in u})
        assert files == sorted(
            f"items-{k}.js" for k in range(n // sitelist.CHUNK, -(-2 * n // sitelist.CHUNK))
        )
        n_claims = len(rows(site, "claims.csv"))
        expect(page.locator("#tl-count")).to_have_text(
            f"{EVENTS} of {EVENTS} events, {n_claims} of {n_claims} claims"
        )
        page.locator("#tl-more").click()
        expect(items).to_have_count(3 * sitelist.SITE_PAGE)
        assert not page.locator("#tl-list-problem").is_visible()
        # A filter covers every event, not just those loaded.
        page.select_option("#tl-filter-verdict", "inaccurate")
        false_claims = [c for c in rows(site, "claims.csv") if c["verdict"] == "inaccurate"]
        events = len({c["event_id"] for c in false_claims})
        expect(page.locator("#tl-count")).to_have_text(
            f"{events} of {EVENTS} events, {len(false_claims)} of {n_claims} claims"
        )
        visible = page.locator("#tl-list li.tl-claim:not([hidden])")
        expect(visible.first).to_be_visible()
        assert set(visible.evaluate_all("els => els.map(e => e.dataset.verdict)")) == {"inaccurate"}
        page.locator("#tl-clear").click()
        # Search: every event and claim, from the shards of its words only.
        before = len(asked)
        page.fill("#tl-search", "pompeo")
        events, shown = _expected(site, "pompeo")
        expect(page.locator("#tl-count")).to_have_text(
            f"{events} of {EVENTS} events, {shown} of {n_claims} claims"
        )
        shards = [u for u in asked[before:] if "/search/" in u]
        assert shards and len(shards) < len(list((site / "search").glob("*.js"))) / 4
        # A claim's own words find it; its result links to its page.
        target = rows(site, "claims.csv")[100]
        page.fill("#tl-search", f"claim {target['headline'].split()[1]}")
        claim = page.locator(f"#claim-{target['id']}")
        expect(claim).to_be_visible()
        expect(page.locator("#tl-list li.tl-claim:not([hidden])")).to_have_count(1)
        link = claim.locator("a", has_text="The full check of this claim")
        assert link.get_attribute("href") == f"claims/{target['id']}.html"
        assert not [u for u in asked if not u.startswith(base)], "a request left the site"
        assert errors == []
        # After the errors: axe asks for the stylesheet, which the CSP refuses (a console error).
        assert axe_violations(page) == []
    finally:
        context.close()


def test_filters_set_before_the_data_came_are_kept(browser, site: Path) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto((site / "index.html").resolve().as_uri())
        expect(page.locator("#timeline-app[data-chart-drawn]")).to_have_count(1)
        page.select_option("#tl-filter-verdict", "accurate")  # the first touch loads the data
        expect(page.locator(READY)).to_have_count(1)
        expect(page.locator("#tl-filter-verdict")).to_have_value("accurate")
        assert "verdict=accurate" in page.url
        accurate = [c for c in rows(site, "claims.csv") if c["verdict"] == "accurate"]
        expect(page.locator("#tl-count")).to_contain_text(
            f", {len(accurate)} of {len(rows(site, 'claims.csv'))} claims"
        )
    finally:
        context.close()


@pytest.mark.parametrize("where", ["file", "http"])
def test_plain_page_in_chromium(browser, site: Path, server: str, where: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    base = site.resolve().as_uri() + "/" if where == "file" else server
    try:
        page.goto(base + "index.html")
        page.locator("#tl-more-link a").press("Enter")  # from the keyboard, as in the test above
        expect(page).to_have_url(base + "list/page-2.html")
        expect(page.locator("#tl-list > li.tl-event")).to_have_count(sitelist.SITE_PAGE)
        page.locator("a[rel=next]").first.press("Enter")
        expect(page).to_have_url(base + "list/page-3.html")
        link = page.locator("#tl-list .tl-claim a", has_text="The full check of this claim").first
        link.press("Enter")
        expect(page.locator("h1")).to_be_visible()
        assert "/claims/" in page.url
    finally:
        context.close()


def test_plain_page_is_accessible(browser, site: Path) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context()
    page = context.new_page()
    page.add_init_script(path=str(AXE))
    try:
        page.goto((site / "list" / "page-2.html").resolve().as_uri())
        assert axe_violations(page) == []
    finally:
        context.close()


#: The order in which the count (it changes with the list) and the chart change after a search,
#: written on <html data-test-order="count,chart"> for a locator to wait for (no polled script: the
#: page's CSP forbids eval).
WATCH_ORDER = """() => {
  const order = [];
  const note = what => () => {
    if (order.indexOf(what) >= 0) return;
    order.push(what);
    document.documentElement.setAttribute("data-test-order", order.join(","));
  };
  new MutationObserver(note("count")).observe(document.querySelector("#tl-count"),
    {childList: true, characterData: true, subtree: true});
  const react = window.Plotly.react; // the chart's redraw: when our script asks for it
  window.Plotly.react = function () { note("chart")(); return react.apply(this, arguments); };
}"""

#: Type a word as one input event; the search's shards asked for at once (script elements in the
#: page's head), before the search box's pause for typing has run the search.
TYPE_AND_LIST_SHARDS = """word => {
  const box = document.querySelector("#tl-search");
  box.value = word;
  box.dispatchEvent(new Event("input", {bubbles: true}));
  return Array.from(document.querySelectorAll('script[src*="search/"]')).map(s => s.src);
}"""


def test_a_search_asks_for_its_shards_as_the_reader_types_and_shows_the_list_first(
    browser,  # type: ignore[no-untyped-def]
    site: Path,
    server: str,
) -> None:
    """Issue 25's first results: a static site's search loads the shards of the words typed so far
    while the search box waits for the typing to pause; when the search runs, its list (and the
    count with it) comes before the chart's redraw, which would otherwise hold the list's files."""
    page = browser.new_page()
    try:
        page.goto(server + "index.html")
        expect(page.locator("#timeline-app[data-chart-drawn]")).to_have_count(1)
        page.focus("#tl-search")  # the first touch loads the chart's data and mounts the timeline
        expect(page.locator(READY)).to_have_count(1)
        page.evaluate(WATCH_ORDER)
        shards = page.evaluate(TYPE_AND_LIST_SHARDS, "pompeo")
        assert shards and all(re.search(r"/search/\d+\.js$", s) for s in shards), shards
        events, shown = _expected(site, "pompeo")
        n_claims = len(rows(site, "claims.csv"))
        expect(page.locator("#tl-count")).to_have_text(
            f"{events} of {EVENTS} events, {shown} of {n_claims} claims"
        )
        html = page.locator("html")
        expect(html).to_have_attribute("data-test-order", re.compile(r"^\w+,\w+$"))
        assert html.get_attribute("data-test-order") == "count,chart"
        # One letter asks for nothing yet (every shard of its words would be many): the scripts
        # asked for before have all arrived and left the head.
        assert page.evaluate(TYPE_AND_LIST_SHARDS, "q") == []
    finally:
        page.close()
