"""Helpers for tests/publish/test_snapshot.py and benchmarks/bench_snapshot.py.

* ``read_story(folder)``: the three CSV files read with the csv module, not with
  ``timeline``, so that the tests compare the page with the data independently;
* ``Offline``: blocks every request that is not ``file:`` and records them all;
* ``open_snapshot`` / ``wait_ready``: load a snapshot from disk and wait for the chart;
* page probes (visible events, links of a card) and ``axe_violations``;
* ``Tab``: one browser context and page that a test loads several pages in, one after another.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "tests" / "js" / "node_modules" / "axe-core" / "axe.min.js"
#: The page once timeline.js has drawn the chart (a locator: the pages' CSP forbids the eval
#: that ``page.wait_for_function`` needs).
READY = "html[data-timeline-ready='1']"


def split_list(value: str) -> list[str]:
    return [x.strip() for x in value.split(";") if x.strip()]


@dataclass
class Story:
    """The rows of a data folder as plain dicts of strings."""

    events: list[dict[str, str]]
    claims: list[dict[str, str]]
    sources: dict[str, dict[str, str]]

    def urls(self, source_ids: list[str]) -> list[str]:
        """The URLs of these sources, for those that have one, sorted."""
        return sorted(self.sources[s]["url"] for s in source_ids if self.sources[s]["url"].strip())

    def claim_source_ids(self, claim: dict[str, str]) -> list[str]:
        return [claim["said_in"].strip(), *split_list(claim["evidence"])]

    @property
    def rated(self) -> list[dict[str, str]]:
        return [c for c in self.claims if c["verdict"] != "not-rated"]


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return [dict(r) for r in csv.DictReader(f)]


def read_story(folder: Path) -> Story:
    sources = {r["id"]: r for r in _rows(folder / "sources.csv")}
    return Story(_rows(folder / "events.csv"), _rows(folder / "claims.csv"), sources)


def write_rows(path: Path, rows: list[dict[str, str]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


# ----------------------------------------------------------------------------- browser
@dataclass
class Offline:
    """Route every request of a page or context: ``file:`` goes through, anything else is aborted."""

    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)

    def attach(self, target: Any) -> Offline:
        target.route("**/*", self._handle)
        return self

    def _handle(self, route: Any) -> None:
        url = route.request.url
        self.requests.append(url)
        if url.startswith("file:"):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()


class Tab:
    """One browser context for a test that loads several pages one after another, which costs
    one context, not one per page (the site's pages keep nothing between loads: no storage, no
    cookies, no service worker). ``goto`` loads the next page in the same page object, or, with
    ``fresh=True``, in a fresh page (the one before closed, so that nothing it still does, a late
    request or console error, is put down to the next: for tests of what each page asks for or
    logs). Each load's requests are in ``requests``, its console errors and uncaught exceptions
    in ``errors``. ``axe`` loads axe-core into every page (an init script, outside the page's
    CSP), for ``axe_violations``; ``cache=False`` turns the browser's cache off (as DevTools'
    "Disable cache"), so that each page asks for every file it uses. Use it as a context
    manager: the context is closed at the end."""

    def __init__(
        self,
        browser: Any,
        size: tuple[int, int] = (1280, 900),
        *,
        axe: bool = False,
        cache: bool = True,
        fresh: bool = False,
        **options: Any,
    ) -> None:
        self.context = browser.new_context(
            viewport={"width": size[0], "height": size[1]}, **options
        )
        if axe:
            self.context.add_init_script(path=str(AXE))
        self.cache, self.fresh = cache, fresh
        self.page: Any = None
        self.requests: list[str] = []
        self.errors: list[str] = []

    def _new_page(self) -> Any:
        page = self.context.new_page()
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        if not self.cache:
            cdp = self.context.new_cdp_session(page)
            cdp.send("Network.enable")
            cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        return page

    def goto(self, url: str, size: tuple[int, int] | None = None) -> Any:
        """The page, once it has loaded ``url`` (at ``size``, when given), with fresh logs."""
        if self.fresh and self.page is not None:
            self.page.close()
            self.page = None
        self.requests, self.errors = [], []
        if self.page is None:
            self.page = self._new_page()
        if size is not None:
            self.page.set_viewport_size({"width": size[0], "height": size[1]})
        self.page.goto(url, wait_until="load")
        return self.page

    def __enter__(self) -> Tab:
        return self

    def __exit__(self, *exc: object) -> None:
        self.context.close()


def wait_ready(page: Any, timeout: float = 30_000) -> None:
    """Until timeline.js has drawn the chart (it sets ``data-timeline-ready``)."""
    page.locator(READY).wait_for(state="attached", timeout=timeout)


def open_snapshot(page: Any, path: Path, fragment: str = "", *, ready: bool = True) -> Offline:
    """Load ``path`` from disk with the network blocked; returns the request log."""
    offline = Offline().attach(page)
    page.goto(path.resolve().as_uri() + (f"#{fragment}" if fragment else ""))
    if ready:
        wait_ready(page)
    return offline


VISIBLE_EVENTS = """() => Array.from(document.querySelectorAll('#tl-list > li.tl-event'))
  .filter(li => li.getClientRects().length > 0).map(li => li.id.slice(6))"""

CARD_LINKS = """() => {
  const out = {events: {}, claims: {}};
  for (const li of document.querySelectorAll('li.tl-event')) {
    out.events[li.id.slice(6)] = Array.from(li.querySelectorAll('a.tl-source'))
      .filter(a => a.closest('li.tl-claim') === null).map(a => a.getAttribute('href')).sort();
  }
  for (const li of document.querySelectorAll('li.tl-claim')) {
    out.claims[li.id.slice(6)] = Array.from(li.querySelectorAll('a.tl-source'))
      .map(a => a.getAttribute('href')).sort();
  }
  return out;
}"""

JSONLD = """() => Array.from(document.querySelectorAll('script[type="application/ld+json"]'))
  .map(s => JSON.parse(s.textContent))"""


def visible_events(page: Any) -> list[str]:
    return list(page.evaluate(VISIBLE_EVENTS))


def card_links(page: Any) -> dict[str, dict[str, list[str]]]:
    return dict(page.evaluate(CARD_LINKS))


def count_text(page: Any) -> str:
    return " ".join((page.text_content("#tl-count") or "").split())


def axe_violations(page: Any, impacts: tuple[str, ...] = ("serious", "critical")) -> list[str]:
    """axe-core's violations of these impacts, one line each (axe must be loaded in the page)."""
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {', '.join(str(n['target']) for n in v['nodes'][:5])}"
        for v in result["violations"]
        if v["impact"] in impacts
    ]


#: The first line of the inlined plotly.js's licence comment (the bundle names itself once).
PLOTLY_BANNER = "* plotly.js (basic - minified) v"


def without_plotly(html: str) -> str:
    """The page's HTML with the inlined plotly.js left out (it names CDNs it never calls)."""
    return re.sub(
        r'<script type="text/plain" id="tl-plotly-src">.*?</script>',
        "<script>PLOTLY</script>",
        html,
        flags=re.S,
    )


def page_scripts(html: str) -> list[str]:
    """The texts of the scripts a snapshot runs, as its CSP lists them: plotly.js and
    timeline.js (held inert as text/plain until the loader runs them), then the loader."""
    held = [
        re.search(rf'<script type="text/plain" id="{name}">(.*?)</script>', html, flags=re.S)
        for name in ("tl-plotly-src", "tl-timeline-src")
    ]
    assert all(held), "the page holds plotly.js and timeline.js"
    return [m.group(1) for m in held if m] + re.findall(r"<script>(.*?)</script>", html, flags=re.S)
