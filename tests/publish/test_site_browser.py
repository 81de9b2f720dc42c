"""The microsite in headless Chromium: every page type asks no other host for anything (over
HTTP and from file://), is axe-core clean at desktop and phone widths, and prints."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect
from serve_support import static_server
from snapshot_support import AXE, Tab, axe_violations

from timeline.publish.site import build_site  # noqa: E402

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
BASE_URL = "https://factcheck.example.org/soleimani/"
WIDTHS = {"desktop": (1280, 900), "phone": (375, 740)}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("site-browser")
    folder = base / "data"
    shutil.copytree(ROOT / "data", folder)
    claims = (folder / "claims.csv").read_text(encoding="utf-8").splitlines()
    first = claims[1].split(",", 1)[0]
    (folder / "corrections.csv").write_text(
        f"date,change,target,note\n2026-11-26,correction,claim:{first},A note.\n", encoding="utf-8"
    )
    build_site(folder, base / "out", base_url=BASE_URL, environ={"SOURCE_DATE_EPOCH": "1767225600"})
    return base / "out"


def page_types(site: Path) -> dict[str, str]:
    """One page of each type, as paths relative to the site."""
    claims = sorted((site / "claims").iterdir())
    html = {p.name: p.read_text(encoding="utf-8") for p in claims}
    rated = next(n for n, h in html.items() if "application/ld+json" in h)
    unrated = next(n for n, h in html.items() if "application/ld+json" not in h)
    return {
        "index": "index.html",
        "claim": f"claims/{rated}",
        "claim-not-rated": f"claims/{unrated}",
        "sources": "sources.html",
        "corrections": "corrections.html",
        "methodology": "methodology.html",
        "about": "about.html",
        "embed": "embed.html",
        "group-claimant": _fullest(site, "claimants"),
        "group-category": _fullest(site, "categories"),
    }


def _fullest(site: Path, folder: str) -> str:
    """The claimant's or category's page (issue 25) that lists the most claims."""
    pages = sorted((site / folder).iterdir())
    best = max(pages, key=lambda p: p.read_text(encoding="utf-8").count('<li id="claim-'))
    return f"{folder}/{best.name}"


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[str]:
    with static_server(site) as url:
        yield url


def _open(browser, url: str, size: tuple[int, int] = (1280, 900)):  # type: ignore[no-untyped-def]
    """A fresh context with ``url`` loaded: (context, page, requests, errors)."""
    tab = Tab(browser, size)
    tab.goto(url)
    return tab.context, tab.page, tab.requests, tab.errors


@pytest.mark.parametrize("origin", ["http", "file"])
def test_no_page_asks_another_host(browser, site: Path, server: str, origin: str) -> None:  # type: ignore[no-untyped-def]
    root = server if origin == "http" else site.resolve().as_uri() + "/"
    # one context, a fresh page for each load (its requests and errors are its own); with the
    # cache, a file is asked for once, so a foreign one is caught on the first page that uses it
    with Tab(browser, fresh=True) as tab:
        for kind, rel in page_types(site).items():
            page = tab.goto(root + rel)
            if kind == "index":
                expect(page.locator("#tl-chart .scatterlayer .point").first).to_be_attached()
            foreign = [
                u for u in tab.requests if not u.startswith(root) and not u.startswith("data:")
            ]
            assert foreign == [], (kind, foreign)
            assert tab.errors == [], (kind, tab.errors)


@pytest.mark.parametrize("width", list(WIDTHS))
def test_every_page_type_is_axe_clean(browser, site: Path, server: str, width: str) -> None:  # type: ignore[no-untyped-def]
    assert AXE.exists(), f"{AXE} is missing: run `make install-test`"
    with Tab(browser, WIDTHS[width], axe=True) as tab:
        for kind, rel in page_types(site).items():
            assert axe_violations(tab.goto(server + rel)) == [], (kind, width)


def test_pages_print(browser, site: Path, server: str) -> None:  # type: ignore[no-untyped-def]
    with Tab(browser) as tab:
        for kind, rel in page_types(site).items():
            page = tab.goto(server + rel)
            page.emulate_media(media="print")
            expect(page.locator("h1").first).to_be_visible()
            if kind.startswith("claim"):
                expect(page.locator(".tl-claim-nav")).to_be_hidden()
                expect(page.locator(".tl-claim-quote")).to_be_visible()
            pdf = page.pdf(format="A4")
            assert pdf.startswith(b"%PDF") and len(pdf) > 1000, kind
            page.emulate_media(media="screen")  # the next page loads on screen, as a reader's


def test_a_claim_card_on_the_index_opens_its_page(browser, site: Path) -> None:  # type: ignore[no-untyped-def]
    context, page, _, _ = _open(browser, (site / "index.html").resolve().as_uri())
    try:
        link = page.locator("li.tl-claim .tl-permalink a").first
        href = link.get_attribute("href")
        link.click()
        expect(page).to_have_url((site / href).resolve().as_uri())
        back = page.locator(".tl-claim-nav a", has_text="This claim on the timeline")
        back.click()
        cid = Path(href).stem
        expect(page.locator(f"#claim-{cid}")).to_be_attached()
    finally:
        context.close()


def test_a_claims_bottom_line_is_read_under_its_verdict(browser, site: Path, server: str) -> None:  # type: ignore[no-untyped-def]
    """On the claim page (under the verdict, before the claim; the page's social description), on
    the index's claim card (under the badge and claimant) and in the embed, for a phone and a desktop."""
    import csv

    with (ROOT / "data" / "claims.csv").open(encoding="utf-8", newline="") as f:
        claim = next(c for c in csv.DictReader(f) if c["verdict"] != "not-rated")
    with Tab(browser) as tab:
        for size in WIDTHS.values():
            page = tab.goto(f"{server}claims/{claim['id']}.html", size)
            line = page.locator(".tl-bottom-line")
            expect(line).to_have_text(f"Bottom line: {claim['bottom_line']}")
            expect(line).to_be_visible()
            verdict, claim_h = (
                page.locator(".tl-verdict-line").bounding_box(),
                page.locator("#tl-claim-h").bounding_box(),
            )
            box = line.bounding_box()
            assert verdict and claim_h and box and verdict["y"] < box["y"] < claim_h["y"]
            expect(page.locator('meta[property="og:description"]')).to_have_attribute(
                "content", claim["bottom_line"]
            )
            expect(page.locator('meta[name="twitter:description"]')).to_have_attribute(
                "content", claim["bottom_line"]
            )
            page.goto(f"{server}index.html#claim-{claim['id']}")
            card = page.locator(f"#claim-{claim['id']}")
            expect(card.locator(".tl-bottom-line")).to_have_text(
                f"Bottom line: {claim['bottom_line']}"
            )
            head, body = (
                card.locator(".tl-claim-head").bounding_box(),
                card.locator(".tl-bottom-line").bounding_box(),
            )
            assert head and body and head["y"] < body["y"]
            page.goto(f"{server}embed.html")
            expect(page.locator(".tl-bottom-line", has_text=claim["bottom_line"])).to_be_visible()
