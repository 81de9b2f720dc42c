# ruff: noqa: F401, F811 -- ``sites`` is pages_support's fixture, imported here and named by the tests
"""The Persian microsite in headless Chromium: each page type at phone and desktop widths is
right to left, fits the width, is axe-core clean and asks no other host for anything."""

from __future__ import annotations

from pathlib import Path

import pytest
from pages_support import sites
from snapshot_support import AXE, axe_violations

pytestmark = pytest.mark.browser
WIDTHS = {"desktop": (1280, 900), "phone": (375, 740)}
PAGES = {
    "index": "index.html",
    "claim": "claims/c-five-years.html",
    "sources": "sources.html",
    "corrections": "corrections.html",
    "methodology": "methodology.html",
    "about": "about.html",
    "embed": "embed.html",
}


@pytest.fixture(scope="module")
def site(sites: dict[str, Path]) -> Path:
    out = sites["fa"]
    PAGES["claimant"] = "claimants/" + sorted(p.name for p in (out / "claimants").iterdir())[0]
    PAGES["category"] = "categories/" + sorted(p.name for p in (out / "categories").iterdir())[0]
    return out


@pytest.mark.parametrize("width", list(WIDTHS))
def test_persian_pages_read_right_to_left_fit_and_are_axe_clean(
    browser, site: Path, width: str
) -> None:  # type: ignore[no-untyped-def]
    assert AXE.exists(), f"{AXE} is missing: run `make install-test`"
    size = WIDTHS[width]
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    try:
        page = context.new_page()
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.add_init_script(path=str(AXE))
        root = site.resolve().as_uri() + "/"
        for kind, rel in PAGES.items():
            requests.clear()
            page.goto(root + rel, wait_until="load")
            assert page.evaluate("() => [document.documentElement.lang, document.dir]") == [
                "fa",
                "rtl",
            ], kind
            assert page.evaluate("() => getComputedStyle(document.body).direction") == "rtl", kind
            overflow = page.evaluate(
                "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, (kind, width, overflow)
            assert axe_violations(page) == [], (kind, width)
            foreign = [u for u in requests if not u.startswith(root) and not u.startswith("data:")]
            assert foreign == [], (kind, foreign)
    finally:
        context.close()
