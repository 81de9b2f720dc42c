"""A story too long to send whole: the dashboard pages its list and groups its chart.

A made-up story of 6,000 events (paged_support.write_story: more than render.PAGED_ABOVE, more
than timeline.js's GROUP_ABOVE) with a few planted words, served by one real `timeline serve`
for the module and read in the shared headless Chromium; the server's ``events`` and ``search``
answers are checked against the data itself. Answers capped in bytes, the list behind a hub's
prefix and data changed under a reader (servers of their own): test_paged_long.py.
"""

from __future__ import annotations

import calendar
import email.utils
import json
import re
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from conftest import open_page
from paged_support import READY, N, event_ids, ids, list_request, settled, write_story
from playwright.sync_api import expect
from serve_support import Server, get, wait_for
from snapshot_support import AXE, axe_violations

from timeline import load
from timeline.core.schema import VERDICTS
from timeline.views.assets import asset_text
from timeline.views.chart_parts import TITLES_PER
from timeline.views.listing import SEARCHES_KEPT, Listing
from timeline.views.render import LIST_PAGE, MAX_IDS, PAGED_ABOVE, render_story

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("long") / "data"
    write_story(folder)
    assert not load(folder).errors()
    return folder


@pytest.fixture(scope="module")
def server(story: Path) -> Server:
    s = Server.start(story, log_path=story.parent / "server.log", pool_size=0, timeout=180)
    yield s
    s.stop()


def counted(events: int, claims: int) -> str:
    return f"{events} of {N} events, {claims} of {N // 3} claims"


class Held:
    """The server's answers to the requests whose URL ``matches``, held back on purpose
    until the test lets them go (``release``), to play out the races of a slow network."""

    def __init__(self, page, matches: Callable[[str], bool]) -> None:  # type: ignore[no-untyped-def]
        self.page = page
        self.routes: list = []  # type: ignore[type-arg]
        page.route(matches, lambda route: self.routes.append(route))

    def wait(self, n: int, timeout: float = 30) -> None:
        """Until ``n`` requests are held (Playwright delivers them while the page is waited on)."""
        deadline = time.monotonic() + timeout
        while len(self.routes) < n:
            assert time.monotonic() < deadline, f"{len(self.routes)} requests held, not {n}"
            self.page.wait_for_timeout(20)

    def release(self, *which: int) -> None:
        """Let these held requests (their indices; default: all) reach the server."""
        for k in which or range(len(self.routes)):
            self.routes[k].continue_()


# ---------------------------------------------------------------- the library


def test_short_stories_and_snapshots_are_never_paged(valid_folder: Path, story: Path) -> None:
    html = render_story(load(valid_folder), list_url="events")
    assert "data-src=" not in html and 'id="tl-more-link"' not in html
    long = load(story)
    full = render_story(long, mode="snapshot")  # no list_url: the whole list
    assert full.count('class="tl-event"') == N and "data-src=" not in full


def test_a_long_story_holds_the_first_page_and_its_chart_in_groups(story: Path) -> None:
    html = render_story(load(story), list_url="events")
    assert len(load(story).events) > PAGED_ABOVE
    assert html.count('class="tl-event"') == LIST_PAGE
    assert 'data-src="events"' in html
    assert f'<a href="events?offset={LIST_PAGE}">Events 201 to 400 of 6,000</a>' in html
    data = json.loads(
        html.split('<script type="application/json" id="tl-data">')[1].split("</script>")[0]
    )
    # No event's chart data (the server's ``chart`` sends it): the chart's groups, drawn at once.
    assert "events" not in data and "groups" not in data
    chart = data["list"].pop("chart")
    assert sum(cell[3] for cell in chart["cells"]) == N and chart["lanes"]
    assert data["list"] == {
        "src": "events",
        "search": "search",
        "page": LIST_PAGE,
        "max_ids": MAX_IDS,  # the server's limit, handed over
        "data": "chart",
        "titles": "chart?titles={k}",
        "titles_per": TITLES_PER,
        "words": {
            "failed": "The timeline's data could not be loaded: reload the page to try again."
        },
    }
    # The Sources section links the server's list of every source, not the first page's only.
    assert "tl-source-list" not in html
    assert (
        '<a id="tl-sources-link" href="sources">every source, with its publisher, date and archived copy</a>'
        in html
    )


def test_the_chart_data_comes_without_titles_which_come_a_block_at_a_time(story: Path) -> None:
    listing = Listing(load(story))
    data = json.loads(listing.chart_answer())
    events = data["events"]
    assert len(events["id"]) == N and "title" not in events and data["groups"] == []
    cv = events["cv"]
    assert sum(len(x) for x in cv) == len(load(story).claims)
    assert (
        cv[0] == [0] and cv[1] == [] and cv[3] == [1]
    )  # claims of e00000 and e00003: verdicts 0 and 1
    block = json.loads(listing.titles_answer(2))
    assert block["version"] == events["version"] and len(block["titles"]) == TITLES_PER
    assert block["titles"][0] == listing.frame["title"][2 * TITLES_PER]
    with pytest.raises(IndexError):
        listing.titles_answer(N // TITLES_PER)


def test_listing_search_matches_events_or_some_of_their_claims(story: Path) -> None:
    listing = Listing(load(story))
    zebra = listing.search("ZEBRA seen")
    assert zebra["events"] == [i for i in range(N) if i % 500 == 0] and zebra["claims"] == {}
    quagga = listing.search("quagga")
    assert quagga["events"] == [i for i in range(N) if i % 700 == 0 and i % 3 == 0]
    assert quagga["claims"] == {str(i): [0] for i in quagga["events"]}
    assert listing.search("zebra quagga")["events"] == []  # every word, in one text
    assert listing.search("   ")["events"] == list(range(N))
    assert listing.search("  zebra SEEN ") is listing.search("zebra seen")  # kept: the same words
    for i in range(SEARCHES_KEPT):
        listing.search(f"event {i}")
    assert "zebra seen" not in listing._searches and len(listing._searches) == SEARCHES_KEPT


def test_listing_items_pages_and_unknown_ids(story: Path) -> None:
    listing = Listing(load(story))
    frag = listing.fragment(["e00007", "nope", "e00002"])
    assert frag.index('id="event-e00007"') < frag.index('id="event-e00002"') and "nope" not in frag
    page = listing.page(LIST_PAGE + 5, css_url="x.css")  # rounds down to a page's start
    assert 'start="201"' in page and page.count('class="tl-event"') == LIST_PAGE
    assert 'href="events?offset=0"' in page and 'href="events?offset=400"' in page
    last = listing.page(10**9, css_url="x.css")
    assert "Later events" not in last and f"of {N:,}" in last
    sources = listing.sources_page(0, css_url="x.css")
    assert '<li id="source-s1"><a class="tl-source" href="https://example.org/s1"' in sources
    assert "Example Publisher" in sources and "Next sources" not in sources


# ---------------------------------------------------------------- the server


def test_the_server_answers_events_and_search(server: Server) -> None:
    status, body = get(server.url + "events?ids=e00010,e00003")
    items = json.loads(body)["items"]
    assert status == 200 and items.index("event-e00010") < items.index("event-e00003")
    status, body = get(server.url + "events?offset=400")
    assert status == 200 and 'start="401"' in body and "<!DOCTYPE html>" in body
    status, body = get(server.url + "sources?offset=0")
    assert status == 200 and 'id="source-s1"' in body
    status, body = get(server.url + "search?q=zebra")
    assert status == 200 and json.loads(body)["events"] == [i for i in range(N) if i % 500 == 0]
    assert get(server.url + "events?offset=x")[0] == 400
    # Hostile input: answered as data, never echoed as markup.
    status, body = get(server.url + "search?q=%3Cscript%3Ealert(1)%3C/script%3E")
    assert status == 200 and json.loads(body) == {"events": [], "claims": {}}
    assert (
        json.loads(get(server.url + "events?ids=%3Cscript%3E,e00001")[1])["items"].count("<script")
        == 0
    )
    assert get(server.url + "search?q=" + "a" * 10_000)[0] == 200  # cut to MAX_QUERY characters
    too_many = ",".join(f"e{i:05d}" for i in range(MAX_IDS + 1))
    assert get(server.url + "events?ids=" + too_many)[0] == 400
    # The chart's data, and its titles a block at a time (the last block is short).
    status, body = get(server.url + "chart")
    assert status == 200 and len(json.loads(body)["events"]["id"]) == N
    status, body = get(server.url + f"chart?titles={N // TITLES_PER - 1}")
    assert status == 200 and len(json.loads(body)["titles"]) == TITLES_PER
    assert [get(server.url + f"chart?titles={k}")[0] for k in (N // TITLES_PER, "x", "-1")] == [
        404,
        400,
        400,
    ]


def test_claims_loaded_later_link_their_own_pages_as_the_first_page_does(server: Server) -> None:
    # c04500 is far past the first page: the list fetches it, or a reader pages to it without script.
    for path in ("events?ids=e04501,e04500", "events?offset=4400"):
        status, body = get(server.url + path)
        html = json.loads(body)["items"] if "ids=" in path else body
        assert status == 200 and 'href="claims/c04500.html"' in html, path
    status, body = get(server.url + "claims/c04500.html")
    assert status == 200 and "Claim about event 4500" in body


@pytest.mark.browser
def test_the_page_shows_a_page_of_events_and_more_on_request(server: Server, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(server.url)
    page.wait_for_selector(READY, timeout=120_000)
    assert ids(page) == [f"e{i:05d}" for i in range(LIST_PAGE)]
    assert page.locator("#tl-more-link").is_hidden()  # the plain link is for readers without JS
    more = page.locator("#tl-more")
    assert more.inner_text() == "Show 200 more events (5,800 not shown yet)"
    more.click()
    expect(page.locator("#tl-list > li")).to_have_count(400)
    assert ids(page)[-1] == "e00399"
    # Focus moves to the first new event, where a keyboard or screen-reader user reads on.
    expect(page.locator("#event-e00200 > h3 > a")).to_be_focused()
    assert page.locator("#tl-count").inner_text() == counted(N, N // 3)
    assert page.console_errors == []


@pytest.mark.browser
def test_the_paged_page_has_no_serious_accessibility_violation(server: Server, page) -> None:  # type: ignore[no-untyped-def]
    page.add_init_script(path=str(AXE))  # runs outside the page's CSP, like an extension
    page.goto(server.url)
    page.wait_for_selector(READY, timeout=120_000)
    assert axe_violations(page) == []


@pytest.mark.browser
def test_search_and_verdict_filters_cover_every_event(server: Server, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(server.url)
    page.wait_for_selector(READY, timeout=120_000)
    page.fill("#tl-search", "quagga")
    expected = [i for i in range(N) if i % 700 == 0 and i % 3 == 0]
    expect(page.locator("#tl-count")).to_have_text(
        counted(len(expected), len(expected)), timeout=60_000
    )
    assert ids(page) == event_ids(expected)  # the count and the list change together
    assert page.locator("#tl-more").is_hidden()
    # A verdict: the count comes from the chart's data, the claims shown from the loaded cards.
    page.fill("#tl-search", "")
    key = VERDICTS[1].key
    page.select_option("#tl-filter-verdict", key)
    with_verdict = [i for i in range(0, N, 3) if (i // 3) % len(VERDICTS) == 1]
    expect(page.locator("#tl-count")).to_have_text(
        re.compile(f"^{len(with_verdict)} of "), timeout=60_000
    )
    settled(page)  # the search's emptying, 120 ms later, asks for the same list again
    assert ids(page) == [f"e{i:05d}" for i in with_verdict[:LIST_PAGE]]
    shown = page.locator("#tl-list .tl-claim:not([hidden])")
    assert (
        shown.count() == LIST_PAGE
        and page.locator(f"#tl-list .tl-claim:not([hidden])[data-verdict={key}]").count()
        == LIST_PAGE
    )
    assert page.console_errors == []


# ---------------------------------------------------------------- races (answers held back)

FIRST_PAGE = event_ids(list(range(LIST_PAGE)))


@pytest.mark.browser
def test_the_count_changes_with_the_list_which_is_busy_meanwhile(server: Server, page) -> None:  # type: ignore[no-untyped-def]
    """The count is an aria-live region: it must not announce a list that is not shown yet."""
    held = Held(page, list_request)
    page.goto(server.url)
    page.wait_for_selector(READY, timeout=120_000)
    page.fill("#tl-search", "quagga")
    held.wait(1)  # the search is answered; the quagga events are on their way
    assert page.locator("#tl-count").inner_text() == counted(N, N // 3)
    assert ids(page) == FIRST_PAGE
    expect(page.locator("#tl-list")).to_have_attribute("aria-busy", "true")
    held.release()
    expected = [i for i in range(N) if i % 700 == 0 and i % 3 == 0]
    expect(page.locator("#tl-count")).to_have_text(
        counted(len(expected), len(expected)), timeout=60_000
    )
    assert ids(page) == event_ids(expected)
    settled(page)
    assert page.console_errors == []


@pytest.mark.browser
def test_show_more_never_cancels_a_pending_search(server: Server, page) -> None:  # type: ignore[no-untyped-def]
    held = Held(page, lambda url: "/search?q=" in url)
    page.goto(server.url)
    page.wait_for_selector(READY, timeout=120_000)
    page.fill("#tl-search", "zebra")
    held.wait(1)
    page.click("#tl-more")  # the reader goes on with the list shown while the search is on its way
    held.release()
    zebra = [i for i in range(0, N, 500)]
    expect(page.locator("#tl-count")).to_have_text(
        counted(len(zebra), sum(1 for i in zebra if i % 3 == 0)), timeout=60_000
    )
    settled(page)
    assert ids(page) == event_ids(zebra)
    assert page.input_value("#tl-search") == "zebra" and page.locator("#tl-more").is_hidden()
    assert page.console_errors == []


@pytest.mark.browser
def test_a_request_in_flight_is_shared_not_sent_again(server: Server, page) -> None:  # type: ignore[no-untyped-def]
    # Every fetch the page makes, recorded as it is made (an init script runs outside the CSP).
    page.add_init_script(
        script="""(() => { const f = window.fetch; window.tlFetched = [];
          window.fetch = function (url) { window.tlFetched.push(String(url)); return f.apply(this, arguments); }; })()"""
    )
    held = Held(page, list_request)
    page.goto(server.url)
    page.wait_for_selector(READY, timeout=120_000)
    key = VERDICTS[1].key
    page.select_option("#tl-filter-verdict", key)
    held.wait(1)
    page.select_option("#tl-zone", "utc")  # the same events, in another time zone: the same ids
    expect(page.locator("#tl-chart .xtitle")).to_have_text("UTC")  # that update has run
    asked = [
        x
        for url in page.evaluate("() => window.tlFetched")
        if list_request(url)
        for x in url.split("ids=")[1].split(",")
    ]
    assert asked and len(asked) == len(set(asked)), (
        f"{len(asked) - len(set(asked))} ids asked twice"
    )
    held.release()
    with_verdict = [i for i in range(0, N, 3) if (i // 3) % len(VERDICTS) == 1]
    expect(page.locator("#tl-count")).to_have_text(
        re.compile(f"^{len(with_verdict)} of "), timeout=60_000
    )
    settled(page)
    assert ids(page) == event_ids(with_verdict[:LIST_PAGE])
    assert page.console_errors == []


@pytest.mark.browser
def test_the_last_selection_wins_when_answers_cross(server: Server, page) -> None:  # type: ignore[no-untyped-def]
    """Two events past the first page chosen quickly (deep links); the first one's answer comes last."""
    held = Held(page, list_request)
    page.goto(server.url)
    page.wait_for_selector(READY, timeout=120_000)
    page.evaluate("() => { location.hash = '#event-e05000'; }")
    held.wait(1)
    page.evaluate("() => { location.hash = '#event-e05999'; }")
    held.wait(2)
    panel = page.locator("#tl-selected")
    held.release(1)
    expect(panel).to_have_attribute("data-event", "e05999", timeout=60_000)
    held.release(0)
    wait_for(
        lambda: page.evaluate(
            "() => 'e05000' in document.getElementById('timeline-app').timeline.items"
        ),
        timeout=60,
        what="the first event's answer to be read",
    )
    assert panel.get_attribute("data-event") == "e05999"
    assert "Event number 5999" in panel.inner_text()
    assert page.console_errors == []


@pytest.mark.browser
def test_a_deep_link_past_the_first_page_opens_that_event(server: Server, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(server.url + "#event-e05999")
    page.wait_for_selector(READY, timeout=120_000)
    panel = page.locator("#tl-selected")
    assert panel.get_attribute("data-event") == "e05999"
    assert "Event number 5999" in panel.inner_text()


@pytest.mark.browser
def test_the_chart_groups_thousands_of_events_and_a_group_lists_them(server: Server, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(server.url)
    page.wait_for_selector(READY, timeout=120_000)
    assert page.locator("#tl-group-note").is_visible()
    points = page.locator("#tl-chart .scatterlayer .point").count()
    assert 0 < points < 1000  # 6,000 events in 4 lanes, grouped by week
    texts = page.evaluate("() => document.getElementById('tl-chart').data.flatMap(t => t.text)")
    total = sum(int(t.split(" event")[0].replace(",", "")) for t in texts)
    assert total == N
    # Clicking a group filters the dates to its period: the list shows its events.
    page.evaluate(
        "() => document.getElementById('timeline-app').timeline.openGroup('group:' + Date.UTC(2020, 0, 6) + ':' + 7 * 86400000)"
    )
    expect(page.locator("#tl-count")).to_have_text(re.compile("^168 of "), timeout=60_000)
    assert (
        page.input_value("#tl-from") == "2020-01-06" and page.input_value("#tl-to") == "2020-01-12"
    )
    assert page.locator("#tl-group-note").is_hidden()  # 168 events: single markers again
    assert page.console_errors == []


def test_a_long_storys_page_stays_light(story: Path) -> None:
    """The page of 6,000 events holds its first page of the list and its chart's groups, not
    every event's data: 575 KB before, 206 KB now (100,000 events: 13.4 MB before, 0.5 MB)."""
    html = render_story(load(story), list_url="events")
    data = html.split('<script type="application/json" id="tl-data">')[1].split("</script>")[0]
    assert len(html.encode()) < 300_000 and len(data.encode()) < 20_000
    assert "Event number 5999" not in html  # a title past the first page: the server's


def chart_request(url: str) -> bool:
    """The page's request for its chart's data (the relative URL ``chart``)."""
    return url.split("?")[0].endswith("/chart") and "?" not in url


def chart_events(page) -> tuple[int, list[str]]:  # type: ignore[no-untyped-def]
    """What the chart shows: the events its groups count (0 when it shows single events), and
    the ids of the single events it shows."""
    shown = page.evaluate(
        """() => document.getElementById('tl-chart').data.flatMap(t => (t.customdata || []).map(
             (id, k) => [id, t.text[k]]))"""
    )
    grouped = sum(
        int(t.split(" event")[0].replace(",", "")) for i, t in shown if i.startswith("group:")
    )
    return grouped, [i for i, _ in shown if not i.startswith("group:")]


@pytest.mark.browser
def test_the_chart_is_drawn_from_its_groups_before_its_data_comes(server: Server, page) -> None:  # type: ignore[no-untyped-def]
    held = Held(page, chart_request)
    page.goto(server.url)
    held.wait(1)
    # Drawn from the page's own groups: every event counted, while the data is on its way.
    page.wait_for_selector("#timeline-app[data-chart-drawn] #tl-chart .scatterlayer .point")
    assert chart_events(page) == (N, [])
    assert page.locator("#tl-group-note").is_visible()
    assert page.get_attribute("html", "data-timeline-ready") is None
    expect(page.locator("#tl-chart")).to_have_attribute("aria-busy", "true")
    held.release()
    page.wait_for_selector(READY, timeout=120_000)
    expect(page.locator("#tl-chart")).not_to_have_attribute("aria-busy", "true")
    # The data came: a filter redraws the chart with its events (single markers: 1,500 of them).
    page.select_option("#tl-filter-category", "diplomacy")
    expect(page.locator("#tl-count")).to_have_text(counted(N // 4, N // 12), timeout=60_000)
    wait_for(lambda: chart_events(page)[0] == 0, timeout=60, what="single markers")
    assert sorted(chart_events(page)[1]) == event_ids(list(range(1, N, 4)))
    page.select_option("#tl-filter-category", "")
    expect(page.locator("#tl-count")).to_have_text(counted(N, N // 3), timeout=60_000)
    wait_for(lambda: chart_events(page)[0] == N, timeout=60, what="the groups again")
    assert page.console_errors == []


@pytest.mark.browser
def test_a_chart_whose_data_cannot_be_had_says_so(server: Server, page) -> None:  # type: ignore[no-untyped-def]
    page.route(chart_request, lambda route: route.fulfill(status=500, body="no"))
    page.goto(server.url)
    alert = page.locator(".tl-list-problem[role=alert]")
    expect(alert).to_have_text(
        "The timeline's data could not be loaded: reload the page to try again.", timeout=60_000
    )
    assert chart_events(page) == (N, [])  # the groups stay on the chart


@pytest.mark.browser
def test_a_single_events_hover_shows_its_title_from_the_server(server: Server, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(server.url)
    page.wait_for_selector(READY, timeout=120_000)
    # Zoom in on 6 Sep 2020, 12:00 to 24:00 (events 5988 to 5999, an hour apart): single
    # markers, whose titles (events 5000 to 5999: the sixth block) the page asks the server for.
    with page.expect_request(lambda r: r.url.endswith("chart?titles=5"), timeout=60_000):
        page.evaluate(
            """() => window.Plotly.relayout('tl-chart',
                 {'xaxis.range[0]': '2020-09-06 12:00', 'xaxis.range[1]': '2020-09-07 00:00'})"""
        )
    wait_for(lambda: "e05999" in chart_events(page)[1], timeout=60, what="single markers")
    box = page.evaluate(
        """() => {
          const gd = document.getElementById('tl-chart');
          gd.scrollIntoView();
          const c = gd.data.findIndex(t => (t.customdata || []).includes('e05999'));
          const k = gd.data[c].customdata.indexOf('e05999');
          const trace = gd.querySelectorAll('.scatterlayer .trace')[c];
          const r = trace.querySelectorAll('.point')[k].getBoundingClientRect();
          return [r.x + r.width / 2, r.y + r.height / 2];
        }"""
    )
    page.mouse.move(*box)
    hover = page.locator("#tl-chart .hoverlayer .hovertext")
    expect(hover).to_contain_text("Event number 5999", timeout=30_000)
    assert "Sunday 6 September 2020, 23:00 (UTC+00:00)" in (hover.text_content() or "")
    assert page.console_errors == []


@pytest.mark.browser
def test_without_javascript_the_list_pages_through_plain_links(server: Server, browser) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(java_script_enabled=False)
    try:
        pg = context.new_page()
        pg.goto(server.url)
        assert len(ids(pg)) == LIST_PAGE
        # Each click loads a new page: wait for its URL and its first event, then read it.
        first = pg.locator("#tl-list > li").first
        pg.click("#tl-more-link a")
        pg.wait_for_url("**/events?offset=200")
        expect(first).to_have_id("event-e00200")
        pg.click("a[rel=next] >> nth=0")
        pg.wait_for_url("**/events?offset=400")
        expect(first).to_have_id("event-e00400")
        pg.click("a[rel=prev] >> nth=0")
        pg.wait_for_url("**/events?offset=200")
        expect(first).to_have_id("event-e00200")
        pg.goto(server.url)
        pg.click("#tl-sources-link")
        pg.wait_for_url("**/sources")
        expect(pg.locator("#source-s1 a")).to_have_attribute("href", "https://example.org/s1")
    finally:
        context.close()


# ---------------------------------------------------------------- a busy server (503, Retry-After)


def retries() -> int:
    """How often timeline.js sends a failed request again (its MAX_RETRIES), read from the script."""
    found = re.search(r"var MAX_RETRIES = (\d+);", asset_text("timeline.js"))
    assert found, "timeline.js no longer says `var MAX_RETRIES = N;`"
    return int(found.group(1))


BUSY_1S = "The server is busy; trying again in 1 s."


class Busy:
    """The answers to the requests whose URL ``matches``, one entry of ``script`` per request
    in turn: ``503`` (a busy server's answer, with ``Retry-After: retry_after``; likewise a
    proxy's ``502`` or ``504``), ``(status, header)`` (``None``: no ``Retry-After``), ``"abort"``
    (a network error) or ``"hold"`` (held back until :meth:`release`); past the script, the
    server's own answer. ``retry_after`` is 0 unless a test asks otherwise: the page asks
    again at once (its line still says 1 s, the least it says), so no test waits out a wait
    it does not check."""

    def __init__(
        self,
        page,
        matches: Callable[[str], bool],
        script: list[object],
        *,  # type: ignore[no-untyped-def]
        retry_after: str = "0",
    ) -> None:
        self.script, self.retry_after = script, retry_after
        self.urls: list[str] = []  # every request that matched, in order
        self.held: list = []  # type: ignore[type-arg]
        self.released = False
        page.route(matches, self.answer)

    def answer(self, route) -> None:  # type: ignore[no-untyped-def]
        self.urls.append(route.request.url)
        step = self.script[len(self.urls) - 1] if len(self.urls) <= len(self.script) else None
        if isinstance(step, (int, tuple)):
            status, header = step if isinstance(step, tuple) else (step, self.retry_after)
            headers = {} if header is None else {"Retry-After": header}
            route.fulfill(status=status, headers=headers, content_type="text/plain", body="busy")
        elif step == "abort":
            route.abort("connectionrefused")
        elif step == "hold" and not self.released:
            self.held.append(route)
        else:
            route.continue_()

    def release(self) -> None:
        """Let the held request through, and any later one."""
        self.released = True
        for route in self.held:
            route.continue_()
        self.held.clear()


def nth(matches: Callable[[str], bool], n: int) -> Callable[[object], bool]:
    """For ``page.expect_request``: true at the ``n``-th request (from now) whose URL ``matches``."""
    seen: list[str] = []

    def check(request) -> bool:  # type: ignore[no-untyped-def]
        if matches(request.url):
            seen.append(request.url)
        return len(seen) == n

    return check


def own_errors(page) -> list[str]:  # type: ignore[no-untyped-def]
    """The page's console errors, but Chromium's lines for the answers a test failed on purpose."""
    return [
        e
        for e in page.console_errors
        if not re.search(r"status of 50[234]|net::ERR_CONNECTION_REFUSED", e)
    ]


def searching(url: str) -> bool:
    return "/search?q=" in url


QUAGGA = [i for i in range(N) if i % 700 == 0 and i % 3 == 0]
ZEBRA = list(range(0, N, 500))


@pytest.mark.browser
def test_the_list_rides_out_a_busy_server(server: Server, page) -> None:  # type: ignore[no-untyped-def]
    """The search lost once, the list items answered 503 twice: the page waits as the server
    asks, says so politely, stays busy, then shows the whole list with its count."""
    search = Busy(page, searching, ["abort", "hold"])
    items = Busy(page, list_request, [503, (503, "soon"), "hold"])
    page.goto(server.url)
    page.wait_for_selector(READY, timeout=120_000)
    status, listed, count = (
        page.locator("#tl-list-status"),
        page.locator("#tl-list"),
        page.locator("#tl-count"),
    )
    with page.expect_request(nth(searching, 2), timeout=60_000):
        page.fill("#tl-search", "quagga")
    # No Retry-After (the network lost it): a backoff under 1 s; its second try is held.
    expect(status).to_have_text("The server cannot be reached; trying again in 1 s.")
    expect(status).to_have_attribute("role", "status")
    expect(listed).to_have_attribute("aria-busy", "true")
    with page.expect_request(nth(list_request, 3), timeout=60_000):
        search.release()
    # Retry-After: 0, then an unreadable one ("soon": a backoff of 1 to 2 s); the third try is held.
    expect(status).to_have_text("The server is busy; trying again in 2 s.")
    expect(listed).to_have_attribute("aria-busy", "true")
    assert count.inner_text() == counted(N, N // 3) and ids(page) == FIRST_PAGE
    assert page.locator("#tl-list-problem").is_hidden()
    items.release()
    expect(count).to_have_text(counted(len(QUAGGA), len(QUAGGA)), timeout=60_000)
    assert ids(page) == event_ids(QUAGGA)
    expect(status).to_have_text("")
    settled(page)
    assert len(search.urls) == 2 and len(items.urls) == 3
    assert (
        page.locator("#tl-list-problem").is_hidden() and page.locator("#tl-try-again").is_hidden()
    )
    assert own_errors(page) == []


@pytest.mark.browser
def test_a_new_search_wins_over_a_retry_still_waiting(server: Server, page) -> None:  # type: ignore[no-untyped-def]
    def quagga_items(url: str) -> bool:
        return list_request(url) and "e02100" in url

    old = Busy(page, quagga_items, [503], retry_after="120")
    page.goto(server.url)
    page.wait_for_selector(READY, timeout=120_000)
    status = page.locator("#tl-list-status")
    with page.expect_request(nth(quagga_items, 1), timeout=60_000):
        page.fill("#tl-search", "quagga")
    expect(status).to_have_text(
        "The server is busy; trying again in 30 s."
    )  # 120 s asked, 30 s at most
    page.fill("#tl-search", "zebra")
    expect(page.locator("#tl-count")).to_have_text(
        counted(len(ZEBRA), sum(1 for i in ZEBRA if i % 3 == 0)), timeout=60_000
    )
    settled(page)
    assert ids(page) == event_ids(ZEBRA)
    expect(status).to_have_text("")
    # The old retry is dropped, not merely ignored later: it waits for nothing more.
    assert (
        page.evaluate("() => Object.keys(document.getElementById('timeline-app').timeline.waits)")
        == []
    )
    assert len(old.urls) == 1 and page.locator("#tl-list-problem").is_hidden()
    assert own_errors(page) == []


@pytest.mark.browser
def test_the_last_selection_wins_over_a_retry(server: Server, page) -> None:  # type: ignore[no-untyped-def]
    """A deep link's event answered 503, its retry still on its way: a newer selection wins."""

    def first_items(url: str) -> bool:
        return list_request(url) and "e05000" in url

    first = Busy(page, first_items, [503, "hold"])
    page.goto(server.url)
    page.wait_for_selector(READY, timeout=120_000)
    status, panel = page.locator("#tl-list-status"), page.locator("#tl-selected")
    with page.expect_request(nth(first_items, 2), timeout=60_000):
        page.evaluate("() => { location.hash = '#event-e05000'; }")
    expect(status).to_have_text(BUSY_1S)
    page.evaluate("() => { location.hash = '#event-e05999'; }")
    expect(panel).to_have_attribute("data-event", "e05999", timeout=60_000)
    expect(status).to_have_text("")
    first.release()
    wait_for(
        lambda: page.evaluate(
            "() => 'e05000' in document.getElementById('timeline-app').timeline.items"
        ),
        timeout=60,
        what="the first event's answer to be read",
    )
    assert (
        panel.get_attribute("data-event") == "e05999" and "Event number 5999" in panel.inner_text()
    )
    assert status.inner_text() == "" and page.locator("#tl-list-problem").is_hidden()
    assert own_errors(page) == []


@pytest.mark.browser
def test_after_the_last_retry_the_reader_can_try_again(server: Server, page) -> None:  # type: ignore[no-untyped-def]
    retried = retries()
    items = Busy(page, list_request, [503] * (retried + 1))
    page.goto(server.url)
    page.wait_for_selector(READY, timeout=120_000)
    page.fill("#tl-search", "quagga")
    again, problem, count = (
        page.locator("#tl-try-again"),
        page.locator("#tl-list-problem"),
        page.locator("#tl-count"),
    )
    expect(again).to_be_visible(timeout=60_000)
    expect(problem).to_have_text("Some events could not be loaded (the server answered 503).")
    assert len(items.urls) == retried + 1
    # The list and its count stay as they were, no longer busy; the status line is quiet.
    settled(page)
    assert count.inner_text() == counted(N, N // 3) and ids(page) == FIRST_PAGE
    assert page.locator("#tl-list-status").inner_text() == ""
    again.click()
    expect(count).to_have_text(counted(len(QUAGGA), len(QUAGGA)), timeout=60_000)
    assert ids(page) == event_ids(QUAGGA)
    expect(problem).to_be_hidden()
    expect(again).to_be_hidden()
    assert len(items.urls) == retried + 2
    assert own_errors(page) == []


def searched(page, url: str, script: list[object], requests: int) -> Busy:  # type: ignore[no-untyped-def]
    """The page at ``url``, its list's requests answered by ``script`` (see :class:`Busy`), searches
    "quagga"; back once the ``requests``-th list request is sent."""
    items = Busy(page, list_request, script)
    page.goto(url)
    page.wait_for_selector(READY, timeout=120_000)
    with page.expect_request(nth(list_request, requests), timeout=60_000):
        page.fill("#tl-search", "quagga")
    return items


def quagga_listed(page) -> None:  # type: ignore[no-untyped-def]
    """Until the list shows the search's events, and no longer busy."""
    expect(page.locator("#tl-count")).to_have_text(
        counted(len(QUAGGA), len(QUAGGA)), timeout=60_000
    )
    settled(page)
    assert ids(page) == event_ids(QUAGGA)


@pytest.mark.browser
def test_a_proxys_502_and_504_are_ridden_out_like_a_503(server: Server, page) -> None:  # type: ignore[no-untyped-def]
    """A proxy in front of the server could not reach it (502, no Retry-After: a backoff), then
    timed out (504, Retry-After: 0): both are sent again; the third try is held to read the line,
    which says 1 s (the least it says; a Retry-After not read would be a backoff of 1 to 2 s
    there, which it shows as 2 s)."""
    items = searched(page, server.url, [(502, None), (504, "0"), "hold"], 3)
    expect(page.locator("#tl-list-status")).to_have_text(
        "The server cannot be reached; trying again in 1 s."
    )
    expect(page.locator("#tl-list")).to_have_attribute("aria-busy", "true")
    assert page.locator("#tl-list-problem").is_hidden()
    items.release()
    quagga_listed(page)
    assert len(items.urls) == 3
    assert (
        page.locator("#tl-list-problem").is_hidden() and page.locator("#tl-try-again").is_hidden()
    )
    assert own_errors(page) == []


#: RFC 9110's own example of an HTTP-date, in its two formats that name GMT: long past.
PAST_IMF, PAST_RFC850 = "Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT"


@pytest.mark.browser
def test_a_retry_after_date_in_the_past_means_at_once(server: Server, page) -> None:  # type: ignore[no-untyped-def]
    """Two 503s whose Retry-After is a date long past: each is sent again at once. The line
    after the second reads 1 s (the least it says); a date not read would be a backoff of
    1 to 2 s there, which it shows as 2 s."""
    items = searched(page, server.url, [(503, PAST_RFC850), (503, PAST_IMF), "hold"], 3)
    expect(page.locator("#tl-list-status")).to_have_text(BUSY_1S)
    items.release()
    quagga_listed(page)
    assert len(items.urls) == 3
    assert own_errors(page) == []


@pytest.mark.browser
def test_a_retry_after_that_is_neither_seconds_nor_a_date_is_a_backoff(
    server: Server, page
) -> None:  # type: ignore[no-untyped-def]
    """ "-1" and "1.5" are not Retry-After values (Date.parse alone reads them as dates in 2001,
    long past: at once); the page backs off instead, 1 to 2 s after the second: its line says 2 s."""
    items = searched(page, server.url, [(503, "-1"), (503, "1.5"), "hold"], 3)
    expect(page.locator("#tl-list-status")).to_have_text("The server is busy; trying again in 2 s.")
    items.release()
    quagga_listed(page)
    assert len(items.urls) == 3 and own_errors(page) == []


def in_an_hour(form: str) -> str:
    """An HTTP-date an hour from now (UTC), in one of RFC 9110's three formats."""
    when = datetime.now(timezone.utc) + timedelta(hours=1)
    if form == "IMF-fixdate":
        return email.utils.format_datetime(when, usegmt=True)
    if form == "RFC 850":
        return f"{calendar.day_name[when.weekday()]}, {when:%d}-{calendar.month_abbr[when.month]}-{when:%y %H:%M:%S} GMT"
    return time.asctime(when.timetuple())


#: RFC 9110's three HTTP-date formats.
DATE_FORMS = ("IMF-fixdate", "RFC 850", "asctime")


@pytest.mark.browser
def test_a_retry_after_date_ahead_is_read_in_utc_and_capped(server: Server, browser) -> None:  # type: ignore[no-untyped-def]
    """A date an hour ahead, in each HTTP-date format, read by a reader 14 hours ahead of UTC:
    the page waits the most it ever does (30 s). An asctime date names no zone but is UTC; read
    in the reader's zone it would be 13 hours past, and the page would come back at once.

    One page for the three: each form answers the list's request of a new search ("quagga",
    "zebra", "quagga" again), which drops the wait before it. A date not read as ahead would
    be sent again at once: one request more than the searches made, which the test counts."""
    page = open_page(browser, timezone_id="Pacific/Kiritimati")
    status = page.locator("#tl-list-status")
    try:
        items = Busy(page, list_request, [(503, in_an_hour(form)) for form in DATE_FORMS])
        page.goto(server.url)
        page.wait_for_selector(READY, timeout=120_000)
        for n, (form, words) in enumerate(zip(DATE_FORMS, ["quagga", "zebra", "quagga"]), 1):
            with page.expect_request(nth(list_request, 1), timeout=60_000):
                page.fill("#tl-search", words)
            expect(status, form).to_have_text("The server is busy; trying again in 30 s.")
            expect(page.locator("#tl-list"), form).to_have_attribute("aria-busy", "true")
            assert len(items.urls) == n, f"{form}: sent again at once ({items.urls})"
        assert own_errors(page) == []
    finally:
        page.context.close()


def test_the_lists_data_loads_beside_the_first_render(server: Server) -> None:
    """The server renders the page as it starts; a long story's list data starts loading in its
    worker at the same time, not once the page is rendered (the first reader's filters wait for
    the longer of the two, not for both)."""
    wait_for(lambda: "Rendered the page for data version" in server.log(), timeout=120,
             what="the first render")  # fmt: skip
    log = server.log()
    assert "Loading the list's data for version" in log
    assert log.index("Loading the list's data for version") < log.index(
        "Rendered the page for data version"
    )
