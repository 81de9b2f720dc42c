"""The embed: ``embed.html`` framed by a host page of another origin, in real headless Chromium.

Two local HTTP servers (port 0): the "newsroom" on 127.0.0.1 serves a page holding the
embed code; the "site" on localhost serves ``embed.html`` and its assets. The host
sizes the frame from the frame's messages, only from that frame.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import DATA
from serve_support import QuietFiles, QuietHTTPServer
from snapshot_support import AXE, axe_violations
from test_hostile import INJECTED, PAYLOADS, hostile_folder

from timeline import load
from timeline.core.schema import VERDICT_BY_KEY
from timeline.publish.embed import EMBED_ASSETS, EMBED_JS, embed_code, render_embed
from timeline.views.assets import asset_text
from timeline.views.render import GLYPHS

ASSETS = {
    "timeline.css": "assets/timeline.css",
    "embed.css": "assets/embed.css",
    "embed.js": "assets/embed.js",
}
FRAME = "iframe[src*='embed']"
#: Another frame on the host page that tries to set the timeline's height.
ROGUE = """<!DOCTYPE html><title>rogue</title><script>
window.addEventListener("message", function () {
  parent.postMessage({type: "timeline:height", height: 7, rogue: true}, "*");
});
</script>"""


def claim_href(cid: str) -> str:
    return f"./claims/{cid}/"


def build(folder: Path, out: Path, name: str = "embed.html") -> None:
    (out / "assets").mkdir(parents=True, exist_ok=True)
    (out / "assets" / "timeline.css").write_text(asset_text("timeline.css"), encoding="utf-8")
    for asset, text in EMBED_ASSETS.items():
        (out / "assets" / asset).write_text(text, encoding="utf-8")
    html = render_embed(load(folder), assets=ASSETS, claim_href=claim_href, story_href="./")
    (out / name).write_text(html, encoding="utf-8")


def serve(root: Path, host: str) -> tuple[QuietHTTPServer, str]:
    server = QuietHTTPServer((host, 0), functools.partial(QuietFiles, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://{host}:{server.server_address[1]}"


@pytest.fixture(scope="module")
def origins(tmp_path_factory) -> Iterator[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """(host origin, site origin): the newsroom's pages and the timeline site with two embeds."""
    tmp = tmp_path_factory.mktemp("embed")
    site, newsroom = tmp / "site", tmp / "newsroom"
    build(DATA, site)
    build(hostile_folder(tmp / "hostile"), site, "embed-hostile.html")
    (site / "rogue.html").write_text(ROGUE, encoding="utf-8")
    newsroom.mkdir()
    # The newsroom's own page has its icon: Chromium asks each new origin for /favicon.ico once per
    # browser, and a 404 would land in the console of whichever test opened the host page first.
    (newsroom / "favicon.ico").write_bytes(b"")
    site_server, site_origin = serve(site, "localhost")
    host_server, host_origin = serve(newsroom, "127.0.0.1")
    for name in ("embed.html", "embed-hostile.html"):
        code = embed_code(f"{site_origin}/{name}", title="Timeline: the UK's response")
        (newsroom / f"host-{name}").write_text(
            "<!DOCTYPE html><html lang='en'><head><title>An article</title></head><body>"
            "<main><h1>An article</h1><p>Text before the timeline.</p>"
            f"{code}<p>Text after the timeline.</p>"
            f"<iframe src='{site_origin}/rogue.html' title='another frame' height='40'></iframe></main>"
            "<script>window.addEventListener('message', function (e) {"
            " if (e.data && e.data.rogue) document.body.dataset.rogue = 'seen'; });</script>"
            "</body></html>",
            encoding="utf-8",
        )
    yield host_origin, site_origin
    for server in (site_server, host_server):
        server.shutdown()
        server.server_close()


def frame_of(page):  # type: ignore[no-untyped-def]
    return page.frame(url=re.compile(r"/embed(-hostile)?\.html$"))


def frame_height(page) -> int:  # type: ignore[no-untyped-def]
    return int(
        frame_of(page).evaluate(
            "() => Math.ceil(document.documentElement.getBoundingClientRect().height)"
        )
    )


def expect_sized(page) -> int:  # type: ignore[no-untyped-def]
    """Wait until the iframe is exactly as tall as its document and the document fits in it (no
    scrollbar); returns that height. A taller frame may give the host page a scrollbar, narrow the
    frame and wrap the text again: the embed's script then sizes it once more."""
    from playwright.sync_api import expect

    for _ in range(10):  # the document may still be settling: read it again, wait again
        height = frame_height(page)
        try:
            expect(page.locator(FRAME)).to_have_css("height", f"{height}px", timeout=3000)
        except AssertionError:
            continue
        if frame_of(page).evaluate(
            "() => document.documentElement.scrollHeight <= window.innerHeight"
        ):
            return height
    raise AssertionError(f"the iframe never took its document's height ({frame_height(page)}px)")


def open_host(page, origins, name: str = "embed.html") -> list[str]:  # type: ignore[no-untyped-def]
    """Open the host page; returns the list every request's URL is added to."""
    from playwright.sync_api import expect

    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("dialog", lambda d: (requests.append(f"dialog:{d.message}"), d.dismiss()))
    page.set_viewport_size({"width": 1000, "height": 700})
    page.goto(f"{origins[0]}/host-{name}")
    expect(page.frame_locator(FRAME).locator("main h1")).to_be_visible()
    return requests


def test_embed_code_is_an_iframe_and_a_host_script_that_checks_the_source():
    code = embed_code("https://example.org/t/embed.html", title='A "quoted" <title>')
    assert code.startswith(
        '<iframe src="https://example.org/t/embed.html" title="A &#34;quoted&#34; &lt;title&gt;" '
        'loading="lazy" height="600" style="width:100%;border:0"></iframe>\n<script>'
    )
    assert "event.source !== frame.contentWindow" in code and '"timeline:height"' in code
    for bad in ("javascript:alert(1)", "embed.html", "//example.org/embed.html"):
        with pytest.raises(ValueError, match="absolute http"):
            embed_code(bad, title="x")


def test_embed_page_has_a_strict_csp_and_no_inline_script_or_style():
    html = render_embed(load(DATA), assets=ASSETS, claim_href=claim_href, story_href="./")
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1)
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp and "http" not in csp
    assert re.findall(r"<script[^>]*>", html) == ['<script src="assets/embed.js">']
    assert "<style" not in html and " style=" not in html
    assert "timeline:height" in EMBED_JS and "ResizeObserver" in EMBED_JS
    with pytest.raises(ValueError, match="missing: embed.js"):
        render_embed(
            load(DATA),
            assets={"timeline.css": "a", "embed.css": "b"},
            claim_href=claim_href,
            story_href="./",
        )


@pytest.mark.browser
def test_embed_lists_events_in_order_with_their_dates_and_claims_with_badges(page, origins):
    open_host(page, origins)
    frame = frame_of(page)
    ds = load(DATA)
    assert frame.locator("ol.tl-embed-list > li").count() == len(ds.events)
    links = frame.locator(".tl-embed-claims a")
    assert links.count() == len(ds.claims)
    first = ds.claims.iloc[0]
    link = frame.locator(f'a[href="./claims/{first["id"]}/"]')
    assert link.get_attribute("target") == "_blank" and link.get_attribute("rel") == "noopener"
    badge = link.locator("xpath=..").locator(".tl-verdict")
    verdict = VERDICT_BY_KEY[first["verdict"]]
    assert badge.count() == 1 and badge.inner_text().split() == [
        GLYPHS[verdict.symbol],
        *verdict.label.split(),
    ]
    assert frame.locator("time").first.get_attribute("datetime")
    assert frame.locator('a[href="./"]').count() == 2  # title and "the full timeline"


@pytest.mark.browser
def test_the_iframe_takes_its_document_height_and_follows_a_width_change(page, origins):
    open_host(page, origins)
    wide = expect_sized(page)
    frame = frame_of(page)
    assert frame.evaluate(
        "() => document.documentElement.scrollHeight <= window.innerHeight"
    )  # no scrollbar
    page.set_viewport_size({"width": 360, "height": 700})
    narrow = expect_sized(page)
    assert narrow > wide  # a narrower frame wraps more lines
    assert frame.evaluate("() => document.documentElement.scrollHeight <= window.innerHeight")
    assert page.console_errors == []


@pytest.mark.browser
def test_a_message_from_another_frame_is_ignored(page, origins):
    from playwright.sync_api import expect

    open_host(page, origins)
    height = expect_sized(page)
    # Once the timeline is sized (and quiet), the other frame posts a height of its own.
    page.locator("iframe[title='another frame']").evaluate(
        "f => f.contentWindow.postMessage('go', '*')"
    )
    expect(page.locator("body[data-rogue='seen']")).to_have_count(1)
    assert page.locator(FRAME).evaluate("f => f.getBoundingClientRect().height") == height != 7


@pytest.mark.browser
def test_the_embed_makes_no_external_request_and_is_accessible(page, origins):
    page.add_init_script(path=str(AXE))  # runs outside the page's CSP, like an extension
    requests = open_host(page, origins)
    expect_sized(page)
    assert [u for u in requests if not u.startswith(origins)] == []
    assert any(u.endswith("/assets/embed.js") for u in requests)
    assert axe_violations(frame_of(page)) == []
    assert page.console_errors == []


@pytest.mark.browser
def test_the_embed_works_without_javascript(browser, origins):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{origins[1]}/embed.html")
        assert page.locator(".tl-embed-claims a").count() == len(load(DATA).claims)
    finally:
        context.close()


@pytest.mark.browser
def test_hostile_data_stays_inert_in_the_embed(page, origins):
    requests = open_host(page, origins, "embed-hostile.html")
    expect_sized(page)
    frame = frame_of(page)
    found = frame.evaluate(INJECTED)
    assert found == {
        "imgs": 0,
        "svgs": 0,
        "iframes": 0,
        "handlers": 0,
        "scripts": ["src"],
        "jsLinks": [],
    }
    text = frame.locator("main").inner_text()
    assert all(p.replace("\u202e", "") in text.replace("\u202e", "") for p in PAYLOADS[:3])
    assert not [u for u in requests if u.startswith("dialog:")]
    assert page.console_errors == []


def test_each_embedded_claim_is_heard_as_its_verdict_then_its_claimant():
    # The badge's label is said after a hidden "Verdict:", and ". Claim by" keeps it from running
    # into the claimant's name (as on the index's claim cards).
    import lxml.html

    doc = lxml.html.fromstring(
        render_embed(load(DATA), assets=ASSETS, claim_href=claim_href, story_href="./")
    )
    claimants = doc.xpath("//li/span[@class='tl-claimant']")
    assert len(claimants) == len(load(DATA).claims)
    for name in claimants:
        before = "".join(reversed([el.text_content() for el in name.itersiblings(preceding=True)]))
        assert re.fullmatch(r"Verdict: \S+ \S.*\. Claim by", before.strip()), before
