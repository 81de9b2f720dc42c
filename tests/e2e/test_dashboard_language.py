"""The dashboard and the snapshot in the story's language, read in the shared headless Chromium.

The tests' own Persian edition (tests/data/editions/fa; story.json ``language`` ``fa``) served by
one real `timeline serve` for the module, and exported once as a snapshot opened from file://:
``lang="fa" dir="rtl"``, the script's words (the count, the filter button) and the list's in
Persian with Persian digits, the time axis right to left with Solar Hijri ticks, no horizontal
overflow at 375 and 1280 px, axe-core clean, no request to any other host.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import pytest
from conftest import open_page
from playwright.sync_api import expect
from serve_support import ROOT, Server, make_tree
from snapshot_support import AXE, Offline, axe_violations, count_text, wait_ready

from timeline.publish.snapshot import export_snapshot

pytestmark = [pytest.mark.server, pytest.mark.browser]

FA = ROOT / "tests" / "data" / "editions" / "fa"
READY = "html[data-timeline-ready] #tl-chart .scatterlayer .point"
WIDTHS = (375, 1280)
#: The whole story shown: 4 of 4 events, 3 of 3 claims, in Persian words and digits.
COUNT = "۴ از ۴ رویداد، ۳ از ۳ ادعا"
PERSIAN_DIGITS = set("۰۱۲۳۴۵۶۷۸۹")
CHART = """() => {
  const c = document.getElementById('tl-chart'), x = c._fullLayout.xaxis;
  return {autorange: x.autorange, reversed: x.range[0] > x.range[1],
          ticks: Array.from(c.querySelectorAll('.xtick text')).map(t => t.textContent),
          legend: c._fullLayout.legend.title.text, label: c.getAttribute('aria-label')};
}"""
MODEBAR = "() => Array.from(document.querySelectorAll('.modebar-btn')).map(b => b.dataset.title)"
OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Server:
    tree = make_tree(tmp_path_factory.mktemp("fa"), FA)
    s = Server.start(
        tree / "data",
        notebook=tree / "notebooks" / "dashboard.ipynb",
        log_path=tree / "server.log",
        pool_size=0,
    )
    yield s
    try:
        s.check_log("Traceback", "Uncaught exception")
    finally:
        s.stop()


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("fa-snapshot")
    return export_snapshot(FA, out, environ={"SOURCE_DATE_EPOCH": "1700000000"})


def _check_page(page) -> None:  # type: ignore[no-untyped-def]
    """What the dashboard and the snapshot in Persian both show."""
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "fa")
    expect(html).to_have_attribute("dir", "rtl")
    assert count_text(page) == COUNT
    expect(page.locator("#tl-list .tl-meta b").first).to_have_text("دسته:")
    chart = page.evaluate(CHART)
    assert chart["reversed"], "the time axis runs right to left"
    assert chart["ticks"] and all(" " in t for t in chart["ticks"]), chart["ticks"]
    assert all(set(t.split(" ")[0]) <= PERSIAN_DIGITS for t in chart["ticks"]), chart["ticks"]
    assert {t.split(" ")[1] for t in chart["ticks"]} <= {"دی", "بهمن"}, chart["ticks"]
    assert chart["legend"] == "بدترین داوری"
    assert chart["label"].startswith("نمودار خط زمانی ۴ رویداد از ")
    if page.viewport_size["width"] >= 600:  # a phone has no toolbar
        titles = page.evaluate(MODEBAR)
        assert "بازنشانی محورها" in titles and "Reset axes" not in titles, titles


@pytest.mark.parametrize("width", WIDTHS)
def test_dashboard_speaks_persian(browser, server: Server, width: int) -> None:  # type: ignore[no-untyped-def]
    page = open_page(browser, viewport={"width": width, "height": 900})
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url))
    try:
        page.add_init_script(path=str(AXE))  # runs outside the page's CSP, like an extension
        page.goto(server.url, timeout=150_000)
        page.locator(READY).first.wait_for(state="attached", timeout=150_000)
        _check_page(page)
        toggle = page.locator("#tl-filter-toggle")
        expect(toggle).to_have_text("پالایش")
        assert page.evaluate(OVERFLOW) <= 0, f"horizontal overflow at {width} px"
        assert axe_violations(page) == []
        assert page.console_errors == []  # type: ignore[attr-defined]
    finally:
        page.context.close()
    home = urlparse(server.url).netloc
    assert [u for u in asked if urlparse(u).netloc != home] == []


@pytest.mark.parametrize("width", WIDTHS)
def test_snapshot_speaks_persian(browser, snapshot: Path, width: int) -> None:  # type: ignore[no-untyped-def]
    page = open_page(browser, viewport={"width": width, "height": 900})
    try:
        offline = Offline().attach(page)
        page.add_init_script(path=str(AXE))
        page.goto(snapshot.resolve().as_uri())
        wait_ready(page)
        _check_page(page)
        expect(page.locator(".tl-provenance-title")).to_have_text("دربارهٔ این نسخهٔ ثابت")
        assert page.evaluate(OVERFLOW) <= 0, f"horizontal overflow at {width} px"
        assert axe_violations(page) == []
        assert offline.blocked == []
    finally:
        page.context.close()
