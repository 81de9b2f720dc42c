"""A paged list's server answers in bytes it caps, behind a hub's prefix, and on data changed
under a reader: the servers of their own that test_paged.py's tests do not share (a file of its
own, so that `make test`'s two workers start its servers and test_paged's at once).

One real `timeline serve` of a story with long texts (paged_support.write_story), started under
JupyterHub's prefix, serves the byte-cap and hub tests; the data-change test changes a story of
its own, served by a server of its own.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from paged_support import READY, event_ids, ids, list_request, settled, write_story
from playwright.sync_api import expect
from serve_support import Server, get, wait_for

from timeline import load
from timeline.views.listing import MAX_ANSWER, Listing
from timeline.views.render import LIST_PAGE, PAGED_ABOVE

pytestmark = pytest.mark.server

# ---------------------------------------------------------------- answers capped in bytes

#: Events past the first page, none with a claim, whose summaries hold LONG_CHARS characters
#: each: 2.8 MB in all, more than one answer holds (MAX_ANSWER, 2 MiB), so the page asks again.
LONG = range(1000, 2200, 90)
LONG_CHARS = 200_000
LONG_N = PAGED_ABOVE + LIST_PAGE
#: JupyterHub's prefix, which the long story's server is started under (as behind a hub).
HUB = "/services/timeline/"


@pytest.fixture(scope="module")
def long_texts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("long-texts") / "data"
    write_story(folder, LONG_N, long=LONG, long_chars=LONG_CHARS)
    assert not load(folder).errors()
    return folder


@pytest.fixture(scope="module")
def long_server(long_texts: Path) -> Iterator[Server]:
    """The long texts' server, behind a hub: JupyterHub proxies HUB without stripping it, so
    the page, its assets and its list live there (one server for both stories' checks)."""
    s = Server.start(
        long_texts,
        log_path=long_texts.parent / "server.log",
        pool_size=0,
        env={"JUPYTERHUB_SERVICE_PREFIX": HUB},
        prefix=HUB,
        timeout=180,
    )
    yield s
    s.stop()


def sent_ids(items: str) -> list[str]:
    return re.findall(r'<li class="tl-event" id="event-([a-z0-9]+)"', items)


def test_an_answer_holds_what_fits_and_names_the_rest(long_texts: Path) -> None:
    listing = Listing(load(long_texts))
    asked, got, answers = event_ids(list(LONG)), [], 0
    rest = asked
    while rest:
        answer = listing.items_answer(rest)
        body, answers = json.loads(answer), answers + 1
        sent = sent_ids(body["items"])
        assert (
            len(answer) <= MAX_ANSWER
            and sent == rest[: len(sent)]
            and body["left"] == rest[len(sent) :]
        )
        assert body["items"].count(" end</p>") == len(sent)  # each event whole
        got, rest = got + sent, body["left"]
    assert got == asked and answers == -(-len(LONG) * LONG_CHARS // MAX_ANSWER)
    # An event larger than the limit comes alone (never none); unknown ids and repeats are left out.
    alone = json.loads(listing.items_answer(asked[:3], max_bytes=1000))
    assert sent_ids(alone["items"]) == asked[:1] and alone["left"] == asked[1:3]
    mixed = json.loads(listing.items_answer(["e00001", "nope", "e00001", "e00002"]))
    assert mixed == {"items": listing.fragment(["e00001", "e00002"]), "left": []}


def test_the_server_caps_its_answer_in_bytes(long_server: Server) -> None:
    asked = event_ids(list(LONG))
    status, body = get(long_server.url + "events?ids=" + ",".join(asked))
    answer = json.loads(body)
    sent = sent_ids(answer["items"])
    assert status == 200 and len(body.encode()) <= MAX_ANSWER
    assert (
        1 < len(sent) < len(asked)
        and sent == asked[: len(sent)]
        and answer["left"] == asked[len(sent) :]
    )


@pytest.mark.browser
def test_the_page_asks_for_the_events_an_answer_left_out(long_server: Server, page) -> None:  # type: ignore[no-untyped-def]
    asked: list[list[str]] = []
    page.on(
        "request",
        lambda r: asked.append(r.url.split("ids=")[1].split(",")) if list_request(r.url) else None,
    )
    page.goto(long_server.url)
    page.wait_for_selector(
        "html[data-timeline-ready] #tl-chart .scatterlayer .point", timeout=120_000
    )
    page.fill("#tl-search", "okapi")
    long = event_ids(list(LONG))
    expect(page.locator("#tl-count")).to_have_text(
        f"{len(long)} of {LONG_N} events, 0 of {len(range(0, LONG_N, 3))} claims", timeout=120_000
    )
    settled(page)
    assert ids(page) == long
    # One request for them all, then one for what each answer left out.
    assert asked[0] == long and len(asked) > 1
    assert all(
        later == earlier[-len(later) :] and len(later) < len(earlier)
        for earlier, later in zip(asked, asked[1:])
    )
    last = (
        page.locator(f"#event-{long[-1]} .tl-summary").text_content() or ""
    )  # off screen: no inner_text
    assert last.endswith(" end") and len(last) == LONG_CHARS
    assert page.locator("#tl-list-problem").is_hidden()
    assert page.console_errors == []


# ---------------------------------------------------------------- behind a hub (the long story's server)


def test_serves_under_a_base_url_behind_a_hub(long_server: Server) -> None:
    """JupyterHub proxies /services/timeline/ without stripping it: the page lives there."""
    assert long_server.url.endswith(HUB)
    status, body = get(long_server.url)
    assert status == 200 and 'id="timeline-app"' in body
    urls = re.findall(r'(?:src|href)="(timeline/static/[^"]+)"', body)
    assert len(urls) == 3
    for url in urls:
        assert get(long_server.url + url)[0] == 200, url
    root = f"http://127.0.0.1:{long_server.port}/"
    assert get(root)[0] == 404
    assert get(root + "timeline/static/timeline.css")[0] == 404
    assert get(root + "events?offset=0")[0] == 404


@pytest.mark.browser
def test_the_paged_list_works_under_a_hub_prefix(long_server: Server, page) -> None:  # type: ignore[no-untyped-def]
    """Behind JupyterHub the page lives at /services/timeline/: its list asks that path, not /."""
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url))
    page.goto(long_server.url)
    page.wait_for_selector(READY, timeout=120_000)
    page.click("#tl-more")
    expect(page.locator("#tl-list > li")).to_have_count(2 * LIST_PAGE, timeout=60_000)
    assert any(u.startswith(long_server.url + "events?ids=") for u in asked), asked
    assert page.console_errors == []


# ---------------------------------------------------------------- data changed under a reader


@pytest.mark.browser
def test_a_reader_is_told_when_the_data_changed_under_the_page(page, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """It removes events 200-399 (and their claims) from a story of its own, served by a
    server of its own: the other tests' stories stay whole whatever the order. A story just
    long enough to be paged (LONG_N events, not N): it renders sooner, and pages the same."""
    story = tmp_path / "data"
    write_story(story, LONG_N)
    server = Server.start(story, log_path=tmp_path / "server.log", pool_size=0, timeout=180)
    try:
        told_of_the_change(server, story, page)
    finally:
        server.stop()


def told_of_the_change(server: Server, story: Path, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(server.url)
    page.wait_for_selector(READY, timeout=120_000)
    gone = {f"e{i:05d}" for i in range(200, 400)}
    for name, column in (("events", 0), ("claims", 1)):
        path = story / f"{name}.csv"
        with open(path, encoding="utf-8", newline="") as fh:
            rows = [r for r in csv.reader(fh) if r[column] not in gone]
        with open(path, "w", encoding="utf-8", newline="") as fh:
            csv.writer(fh, lineterminator="\n").writerows(rows)
    assert not load(story).errors()
    wait_for(
        lambda: get(server.url + "events?ids=e00200")[1] == '{"items":"","left":[]}',
        timeout=60,
        what="the server to reload",
    )
    page.click("#tl-more")
    problem = page.locator("#tl-list-problem")
    problem.wait_for(state="visible", timeout=30_000)
    assert "200 events are no longer in the data" in problem.inner_text()
    assert "Reload the page" in problem.inner_text()
    expect(page.locator("#tl-list")).not_to_have_attribute("aria-busy", "true")
