"""The microsite's claim pages and cards as readers meet them, in headless Chromium: the correction
line under the verdict, one readable date each, sharing and citing a claim, what assistive
technology hears of a claim card, print, the dark colour scheme and a 320 px wide screen.

The site is built once from the shipped data (its corrections log as shipped); the server and the
page opener are test_site_browser's."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import open_page
from PIL import Image
from playwright.sync_api import expect
from serve_support import static_server
from snapshot_support import Tab, axe_violations
from test_site_browser import BASE_URL, _open, page_types

from timeline.core.corrections import load_corrections, parse_target
from timeline.core.dataset import load
from timeline.core.schema import VERDICT_BY_KEY
from timeline.core.story import publisher_name
from timeline.publish.site import build_site
from timeline.views.render import render_story

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("claim-pages")
    # the repository's own data folder (only read): the footer names its git commit, as a
    # published site's does (a long word a narrow screen must wrap)
    build_site(
        ROOT / "data", base / "out", base_url=BASE_URL, environ={"SOURCE_DATE_EPOCH": "1767225600"}
    )
    return base / "out"


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[str]:
    with static_server(site) as url:
        yield url


def corrected_claims() -> set[str]:
    """The claims the shipped corrections log names."""
    log, _ = load_corrections(ROOT / "data")
    targets = (parse_target(str(t)) for t in log["target"])
    return {t[1] for t in targets if t and t[0] == "claims"}


def claim_ids(site: Path) -> list[str]:
    return sorted(p.stem for p in (site / "claims").glob("*.html"))


# ---------------------------------------------------------------- 8. corrections and dates
def test_a_corrected_claim_says_so_under_its_verdict(browser, site: Path, server: str) -> None:  # type: ignore[no-untyped-def]
    corrected = corrected_claims()
    assert corrected, "the shipped corrections log names no claim"
    with Tab(browser) as tab:
        for cid in claim_ids(site):
            page = tab.goto(f"{server}claims/{cid}.html")
            line = page.locator(".tl-corrected")
            if cid not in corrected:
                expect(line).to_have_count(0)
                continue
            expect(line).to_be_visible()
            # right under the verdict, before the claim itself
            order = page.evaluate(
                "() => [...document.querySelectorAll('.tl-verdict-line, .tl-corrected, #tl-claim-h')]"
                ".map(e => e.className || e.id)"
            )
            assert order == ["tl-verdict-line", "tl-corrected", "tl-claim-h"], (cid, order)
            date = line.locator("time")
            assert date.get_attribute("datetime"), cid
            expect(line).to_contain_text(date.inner_text())
            link = line.get_by_role("link")
            link.click()
            expect(page).to_have_url(f"{server}claims/{cid}.html#tl-claim-corrections-h")
            notes = page.locator(".tl-corrections .tl-correction-note")
            expect(notes.first).to_be_in_viewport()
            # what changed, in the note's own words (its first sentence)
            what = line.inner_text().split(": ", 1)[1].rsplit(" Read the note", 1)[0].rstrip(".")
            assert what and what in " ".join(notes.all_inner_texts()), (cid, what)
            assert tab.errors == []


# Every <time> whose text is not its exact reading keeps that reading in its title, and the
# reading is not in the visible text around it: the date is shown, and read, once.
ONE_DATE = """() => [...document.querySelectorAll('time')].map(t => ({
  text: t.innerText, title: t.getAttribute('title'), datetime: t.getAttribute('datetime'),
  around: (t.closest('.tl-date, dd, p, li') || t.parentElement).innerText}))"""


def test_every_date_is_shown_once(browser, site: Path, server: str) -> None:  # type: ignore[no-untyped-def]
    pages = page_types(site)
    with Tab(browser) as tab:
        for kind in ("index", "claim", "claim-not-rated", "sources", "corrections", "embed"):
            page = tab.goto(server + pages[kind])
            times = page.evaluate(ONE_DATE)
            assert times, kind
            for t in times:
                assert t["datetime"], (kind, t)
                if t["title"]:
                    assert t["title"] != t["text"], (kind, t)
                    assert t["title"] not in t["around"], (kind, t)
            if kind in ("index", "embed"):
                # an event's date line is its one <time> (and the end of a span)
                for line in page.locator(".tl-date").all():
                    rest = line.evaluate(
                        "e => { const c = e.cloneNode(true); c.querySelectorAll('time').forEach(t => t.remove());"
                        " return c.innerText.trim(); }"
                    )
                    assert rest in ("", "to"), (kind, line.inner_text())


def ax_nodes(page) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    """Chromium's accessibility tree (what a screen reader is given), in reading order: each
    unignored node's role and name (CDP Accessibility.getFullAXTree, walked from its root)."""
    cdp = page.context.new_cdp_session(page)
    try:
        nodes = cdp.send("Accessibility.getFullAXTree")["nodes"]
    finally:
        cdp.detach()
    by_id = {n["nodeId"]: n for n in nodes}
    out: list[dict[str, str]] = []
    stack = [n["nodeId"] for n in nodes if not n.get("parentId")]
    while stack:
        n = by_id.get(stack.pop())
        if n is None:
            continue
        if not n.get("ignored"):
            out.append(
                {
                    "role": n.get("role", {}).get("value", ""),
                    "name": n.get("name", {}).get("value", ""),
                }
            )
        stack.extend(reversed(n.get("childIds", [])))
    return out


#: Two frames: an element scrolled into view is laid out (a card off screen is skipped,
#: content-visibility: auto, and Chromium leaves it out of the accessibility tree until then).
PAINTED = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"


def ax_of(page, selector: str) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """Role and accessible name Chromium gives each element ``selector`` matches, each
    scrolled into view first (CDP Accessibility.getPartialAXTree)."""
    cdp = page.context.new_cdp_session(page)
    out = []
    try:
        for k, element in enumerate(page.locator(selector).all()):
            element.scroll_into_view_if_needed()
            page.evaluate(PAINTED)
            root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
            node = cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": selector})[
                "nodeIds"
            ][k]
            ax = cdp.send(
                "Accessibility.getPartialAXTree", {"nodeId": node, "fetchRelatives": False}
            )["nodes"][0]
            out.append((ax.get("role", {}).get("value", ""), ax.get("name", {}).get("value", "")))
    finally:
        cdp.detach()
    return out


def test_a_claims_event_date_is_read_once(browser, site: Path, server: str) -> None:  # type: ignore[no-untyped-def]
    context, page, _, _ = _open(browser, f"{server}claims/{claim_ids(site)[0]}.html")
    try:
        when = page.locator(".tl-claim-facts dt", has_text="When").locator(
            "xpath=following-sibling::dd[1]"
        )
        time = when.locator("time")
        expect(time).to_have_count(1)
        assert when.inner_text() == time.inner_text()
        shown, exact = time.inner_text(), time.get_attribute("title")
        # what is read between the terms "When" and "Said in" (the tree is in reading order)
        texts = [n["name"] for n in ax_nodes(page) if n["role"] == "StaticText"]
        start, end = texts.index("When"), texts.index("Said in")
        assert "".join(texts[start + 1 : end]) == shown
        assert exact is None or exact not in shown
    finally:
        context.close()


def test_the_corrections_page_names_itself_once(browser, site: Path, server: str) -> None:  # type: ignore[no-untyped-def]
    context, page, _, _ = _open(browser, f"{server}corrections.html")
    try:
        expect(page.get_by_role("heading", name="Corrections and updates")).to_have_count(1)
        expect(page.locator("h1")).to_have_text("Corrections and updates")
        expect(page.get_by_role("region", name="Corrections and updates")).to_have_count(1)
    finally:
        context.close()


# ---------------------------------------------------------------- 6. sharing and citing
#: A stand-in for the share sheet, which headless Chromium on Linux lacks: it records what it got.
SHARE_SHEET = """Object.defineProperty(Navigator.prototype, 'share', {configurable: true,
  value: function (data) { window.__shared = data; return Promise.resolve(); }});"""


def _claim(site: Path) -> tuple[str, str]:
    cid = claim_ids(site)[0]
    return cid, f"{BASE_URL}claims/{cid}.html"


def test_copy_link_copies_the_claims_address_and_says_so(browser, site: Path, server: str) -> None:  # type: ignore[no-untyped-def]
    cid, address = _claim(site)
    page = open_page(browser)
    try:
        page.context.grant_permissions(
            ["clipboard-read", "clipboard-write"], origin=server.rstrip("/")
        )
        page.goto(f"{server}claims/{cid}.html")
        share = page.get_by_role("region", name="Share and cite")
        expect(share.get_by_role("link", name=address)).to_have_attribute("href", address)
        status = share.get_by_role("status")
        share.get_by_role("button", name="Copy link").click()
        expect(status).to_have_text(f"Link copied: {address}")
        expect(status).to_be_visible()
        assert page.evaluate("() => navigator.clipboard.readText()") == address
        assert page.console_errors == []
    finally:
        page.context.close()


def test_share_opens_the_devices_share_sheet_where_there_is_one(
    browser, site: Path, server: str
) -> None:  # type: ignore[no-untyped-def]
    cid, address = _claim(site)
    page = open_page(browser)
    try:
        page.goto(f"{server}claims/{cid}.html")
        share = page.get_by_role("region", name="Share and cite")
        expect(share.get_by_role("button", name="Copy link")).to_be_visible()
        expect(share.get_by_role("button", name="Share…")).to_have_count(
            0
        )  # no share sheet here: no button
        expect(share.get_by_role("link", name=address)).to_be_visible()  # the plain link instead
        page.add_init_script(SHARE_SHEET)
        page.reload()
        share.get_by_role("button", name="Share…").click()
        expect(share.get_by_role("status")).to_have_text("Shared.")
        title = page.locator("h1").inner_text()
        assert page.evaluate("() => window.__shared") == {"title": title, "url": address}
        assert page.console_errors == []
    finally:
        page.context.close()


def test_the_link_and_the_citation_need_no_script(browser, site: Path, server: str) -> None:  # type: ignore[no-untyped-def]
    cid, address = _claim(site)
    page = open_page(browser, java_script_enabled=False)
    try:
        page.goto(f"{server}claims/{cid}.html")
        share = page.get_by_role("region", name="Share and cite")
        expect(share.get_by_role("link", name=address)).to_have_attribute("href", address)
        expect(share.get_by_role("button")).to_have_count(
            0
        )  # buttons that would do nothing stay hidden
        expect(share.get_by_role("heading", name="Cite this fact check")).to_be_visible()
        cite = share.locator(".tl-cite")
        title = page.locator("h1").inner_text()
        reviewed = page.locator(".tl-reviewed time")
        expect(cite).to_have_text(
            f"{publisher_name(None, ROOT / 'data')}. “{title}”. Fact check, reviewed {reviewed.inner_text()}. {address}"
        )
        expect(cite.locator("time")).to_have_attribute(
            "datetime", reviewed.get_attribute("datetime") or ""
        )
    finally:
        page.context.close()


def test_without_a_public_address_the_page_shares_its_own(browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "out"
    build_site(ROOT / "data", out, environ={"SOURCE_DATE_EPOCH": "1767225600"})
    cid = claim_ids(out)[0]
    url = (out / "claims" / f"{cid}.html").resolve().as_uri()
    page = open_page(browser)
    try:
        page.goto(url)
        share = page.get_by_role("region", name="Share and cite")
        expect(share.get_by_role("link", name=url)).to_be_visible()
        expect(share.locator(".tl-cite")).to_contain_text(url)
        assert page.console_errors == []
    finally:
        page.context.close()


# ---------------------------------------------------------------- 7. what assistive technology hears
def _spoken(texts: list[str]) -> str:
    """Text nodes as a screen reader runs them together (spaces normalised)."""
    return " ".join(" ".join(texts).split()).replace(" .", ".")


def test_each_claim_card_has_a_heading_that_says_verdict(browser, site: Path, server: str) -> None:  # type: ignore[no-untyped-def]
    ds = load(ROOT / "data")
    expected = {
        " ".join(f"Verdict: {VERDICT_BY_KEY[c.verdict].label}. Claim by {c.claimant}".split())
        for c in ds.claims.itertuples()
    }
    context, page, _, _ = _open(browser, server + "index.html")
    try:
        expect(page.locator("li.tl-claim")).to_have_count(len(ds.claims))
        ax = ax_of(page, "li.tl-claim h4")
        assert {role for role, _ in ax} == {"heading"}
        headings = {" ".join(name.split()).replace(" .", ".") for _, name in ax}
        assert expected <= headings, sorted(expected - headings)[:3]
        card = page.locator("li.tl-claim").first
        expect(card.get_by_role("heading", level=4)).to_have_count(1)
        # shown as before, the badge then the name: "Verdict:" and "Claim by" are heard, not seen
        for hidden in card.locator("h4 .tl-visually-hidden").all():
            assert hidden.bounding_box()["width"] <= 1  # type: ignore[index]
    finally:
        context.close()


def test_a_claim_pages_verdict_is_heard_as_a_verdict(browser, site: Path, server: str) -> None:  # type: ignore[no-untyped-def]
    ds = load(ROOT / "data")
    with Tab(browser) as tab:
        for c in ds.claims.head(3).itertuples():
            page = tab.goto(f"{server}claims/{c.id}.html")
            verdict = VERDICT_BY_KEY[c.verdict]
            texts = [n["name"] for n in ax_nodes(page) if n["role"] == "StaticText"]
            assert f"Verdict: {verdict.label}. {verdict.meaning}" in _spoken(texts), c.id
            hidden = page.locator(".tl-verdict-line .tl-visually-hidden").first  # heard, not seen
            expect(hidden).to_have_text("Verdict:")
            assert hidden.bounding_box()["width"] <= 1  # type: ignore[index]


# ---------------------------------------------------------------- 9. print, dark scheme, 320 px
#: WCAG contrast of an element's text against the background behind it (the first ancestor,
#: itself included, with an opaque background; the canvas otherwise), from computed styles.
CONTRAST = """(el) => {
  const rgb = s => s.match(/[\\d.]+/g).map(Number);
  const lum = ([r, g, b]) => { const f = c => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  let bg = null;
  for (let e = el; e; e = e.parentElement) {
    const c = getComputedStyle(e).backgroundColor, v = rgb(c);
    if (v.length < 4 || v[3] === 1) { bg = v.slice(0, 3); break; }
  }
  if (!bg) bg = getComputedStyle(document.documentElement).colorScheme === 'dark' ? [18, 18, 18] : [255, 255, 255];
  const fg = rgb(getComputedStyle(el).color).slice(0, 3);
  const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
  return {ratio: (a + 0.05) / (b + 0.05), bg: lum(bg), text: el.innerText.trim().slice(0, 40)};
}"""


@pytest.fixture(scope="module")
def all_page_types(site: Path) -> dict[str, str]:
    """Every page type of the site, and the dashboard's page (the story fragment `timeline serve`
    sends, in its page shell: body.tl-page, our stylesheet, plotly.js and timeline.js)."""
    assets = site / "assets"
    css, js, plotly = (
        next(assets.glob(f"{n}.*.{e}")).name
        for n, e in (("timeline", "css"), ("timeline", "js"), ("plotly-basic", "js"))
    )
    story = render_story(load(ROOT / "data"), mode="dashboard")
    (site / "dashboard.html").write_text(
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" '
        f'content="width=device-width, initial-scale=1"><title>Dashboard</title>'
        f'<link rel="stylesheet" href="assets/{css}"></head><body class="tl-page">{story}'
        f'<script src="assets/{plotly}"></script><script src="assets/{js}"></script></body></html>',
        encoding="utf-8",
    )
    return {**page_types(site), "dashboard": "dashboard.html"}


def test_print_keeps_the_verdict_and_ends_with_the_address(
    browser, site: Path, server: str
) -> None:  # type: ignore[no-untyped-def]
    cid, address = _claim(site)
    context, page, _, _ = _open(browser, f"{server}claims/{cid}.html")
    try:
        footer = page.locator(".tl-print-footer")
        expect(footer).to_be_hidden()  # on screen the page says it elsewhere
        page.emulate_media(media="print")
        for badge in page.locator(".tl-verdict").all():
            style = badge.evaluate(
                "e => { const s = getComputedStyle(e); return [s.backgroundColor, s.borderTopWidth, s.borderTopStyle,"
                " s.borderTopColor, s.getPropertyValue('--tl-v').trim()]; }"
            )
            background, width, line, colour, verdict = style
            assert background == "rgba(0, 0, 0, 0)", style  # nothing a printer would drop
            assert float(width.removesuffix("px")) >= 2 and line == "solid" and verdict, style
            assert colour != "rgba(0, 0, 0, 0)", style
            assert badge.evaluate(CONTRAST)["ratio"] >= 4.5, style
        expect(footer).to_be_visible()
        reviewed = page.locator(".tl-reviewed time").inner_text()
        expect(footer).to_contain_text(address)
        expect(footer).to_contain_text(f"Reviewed {reviewed}")
        pdf = page.pdf(format="A4")
        assert pdf.startswith(b"%PDF")
    finally:
        context.close()


def test_every_page_type_has_a_dark_scheme_with_aa_verdicts(
    browser, all_page_types: dict[str, str], server: str
) -> None:  # type: ignore[no-untyped-def]
    with Tab(browser, (1280, 900), axe=True, color_scheme="dark") as tab:
        for kind, rel in all_page_types.items():
            page = tab.goto(server + rel)
            assert axe_violations(page) == [], kind  # colour contrast of all text included
            heading = page.locator("h1, h2").first
            text = heading.evaluate(CONTRAST)
            assert text["bg"] < 0.05 and text["ratio"] >= 7, (kind, text)  # light on dark
            links = page.locator("a:not(.tl-skip)")
            assert links.count(), kind
            assert links.first.evaluate(CONTRAST)["ratio"] >= 4.5, kind
            badges = page.locator(".tl-verdict")
            if kind in ("index", "claim", "methodology", "embed", "dashboard"):
                assert badges.count(), kind
            # the first 40 badges, measured in one call
            for contrast in badges.evaluate_all(f"els => els.slice(0, 40).map({CONTRAST})"):
                assert contrast["ratio"] >= 4.5, (kind, contrast)


def test_no_page_type_scrolls_sideways_at_320px(
    browser, all_page_types: dict[str, str], server: str
) -> None:  # type: ignore[no-untyped-def]
    with Tab(browser) as tab:
        for kind, rel in all_page_types.items():
            page = tab.goto(server + rel, (1280, 900))  # each page loads in the wide window
            if kind in ("index", "dashboard"):
                expect(page.locator("#tl-chart .scatterlayer .point").first).to_be_attached()
            page.set_viewport_size(
                {"width": 320, "height": 640}
            )  # a 1280 px window zoomed to 400 %
            page.evaluate(PAINTED)
            width = page.evaluate("() => document.documentElement.scrollWidth")
            widest = page.evaluate(
                "() => [...document.querySelectorAll('body *')].filter(e => !e.closest('svg')).map(e => [e.getBoundingClientRect().right, e.tagName + '.' + e.className])"
                ".filter(([r]) => r > 320.5).slice(0, 3)"
            )
            assert width <= 320, (kind, width, widest)


# ---------------------------------------------------------------- README's screenshots
def test_the_readme_shows_the_pages_the_script_shoots(browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import importlib.util

    spec = importlib.util.spec_from_file_location("screenshots", ROOT / "docs" / "screenshots.py")
    assert spec and spec.loader
    screenshots = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(screenshots)
    written = screenshots.shoot(ROOT / "data", tmp_path, browser=browser)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for png in written:
        width = Image.open(png).size[0]
        assert width == screenshots.SIZES[png.stem.split("-")[-1]][0], png.name
        committed = ROOT / "docs" / "img" / png.name
        assert f"](docs/img/{png.name})" in readme and committed.exists(), png.name
        assert (
            Image.open(committed).size == Image.open(png).size
            and committed.stat().st_size < 150_000
        )
    assert sorted(p.name for p in written) == sorted(
        [f"{page}-{size}.png" for page in ("claim", "index") for size in ("desktop", "phone")]
        + ["claim-rtl-phone.png", "index-rtl-phone.png"]  # README, Languages (issue 24)
    )
