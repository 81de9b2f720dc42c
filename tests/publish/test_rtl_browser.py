"""A right-to-left site in headless Chromium (issue 24.5): the tests' own Persian story, built once, its
index, a claim page, the sources and corrections pages and the embed at phone and desktop widths. The layout mirrors (navigation, lists, badges,
previous/next, the filters, the claim's borders), nothing overlaps or overflows, the page's own
Arabic-script font is the one used, and no request leaves the site. The English edition of the same
story never downloads that font.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from serve_support import static_server
from snapshot_support import Tab

from timeline.i18n.tags import language
from timeline.publish.site import build_site

pytestmark = pytest.mark.browser
EDITIONS = Path(__file__).resolve().parents[1] / "data" / "editions"
WIDTHS = ((375, 740), (1280, 900))
CLAIM = "claims/c-new-buses.html"  # the middle claim: it has a previous and a next
FONT = "Timeline Arabic"

#: Boxes of the children of each container that must not overlap one another.
OVERLAPS = """(selectors) => {
  const out = [];
  for (const sel of selectors) {
    for (const box of document.querySelectorAll(sel)) {
      // Each child's boxes: one per line for inline text that wraps.
      const kids = [...box.children].map(k => [k, [...k.getClientRects()]]).filter(([, rs]) => rs.length);
      for (let i = 0; i < kids.length; i++) for (let j = i + 1; j < kids.length; j++) {
        const [a, ras] = kids[i], [b, rbs] = kids[j];
        const hit = ras.some(ra => rbs.some(rb =>
          Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left) > 1 &&
          Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top) > 1));
        if (hit) out.push(`${sel}: <${a.tagName}> "${a.textContent.slice(0, 30)}" and <${b.tagName}> "${b.textContent.slice(0, 30)}"`);
      }
    }
  }
  return out;
}"""
CONTAINERS = [
    ".tl-site-header nav", ".tl-claim-facts", ".tl-claim-nav ul", ".tl-verdict-line", ".tl-strip ul",
    ".tl-filters", ".tl-meta", ".tl-claim-head", ".tl-legend dl", ".tl-share-actions",
]  # fmt: skip
#: Where the text of an element ends on the right, and where the content box of its list (indented on
#: the right in right to left), else of its .tl-app, does.
TEXT_END = """(sel) => { const e = document.querySelector(sel), m = e.parentElement.closest('ol, ul, .tl-app'), s = getComputedStyle(m);
  const range = document.createRange(); range.selectNodeContents(e);
  return [range.getBoundingClientRect().right,
          m.getBoundingClientRect().right - parseFloat(s.paddingRight) - parseFloat(s.borderRightWidth)]; }"""
#: Per page, text of the data (Persian) that starts a line: it is set flush right.
FLUSH_RIGHT = {
    "index.html": ".tl-title",
    CLAIM: ".tl-title",
    "sources.html": "#tl-source-list > li",
    "corrections.html": ".tl-correction-note",
    "embed.html": ".tl-embed-title",
}
#: Where each thing is: the box of an element (its first line's box for inline text), in CSS px.
BOX = """(sel) => { const e = document.querySelector(sel); if (!e) return null;
  const r = e.getClientRects()[0]; return {left: r.left, right: r.right}; }"""


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The Persian and English editions built as sites, served over HTTP: edition -> URL."""
    base = tmp_path_factory.mktemp("rtl-sites")
    env = {"SOURCE_DATE_EPOCH": "1767225600"}
    for edition in ("fa", "en"):
        build_site(EDITIONS / edition, base / edition, environ=env)
    with static_server(base) as url:
        yield {edition: f"{url}{edition}/" for edition in ("fa", "en")}


def _open(tab: Tab, url: str):  # type: ignore[no-untyped-def]
    page = tab.goto(url)
    # The page's direction is the story's (pages set it; until then the test sets it from the story).
    direction = language("fa").direction
    page.evaluate("(d) => { document.documentElement.dir ||= d; }", direction)
    return page, tab.requests


def _fonts(page) -> list[str]:  # type: ignore[no-untyped-def]
    """The page's web fonts that loaded, once every font the page needs has (``document.fonts.ready``)."""
    return page.evaluate(
        "document.fonts.ready.then(fs => [...fs].filter(f => f.status === 'loaded')"
        ".map(f => `${f.family.replaceAll('\"', '')} ${f.weight}`))"
    )


@pytest.mark.parametrize("size", WIDTHS, ids=lambda s: f"{s[0]}px")
def test_a_persian_page_mirrors_fits_and_uses_its_own_font(browser, sites, size) -> None:  # type: ignore[no-untyped-def]
    root = sites["fa"]
    # one page, the cache off: each load asks for its font itself (and _fonts waits until every
    # font the page needs has come, so no request of one page is left to be put down to the next)
    with Tab(browser, size, cache=False) as tab:
        for rel in ("index.html", CLAIM, "sources.html", "corrections.html", "embed.html"):
            page, requests = _open(tab, root + rel)
            assert page.evaluate("getComputedStyle(document.documentElement).direction") == "rtl"
            # The font: ours, regular and bold, from the site itself.
            # (the bold face only where bold Arabic-script text is: headings of the index and a claim)
            faces = (
                {f"{FONT} 400", f"{FONT} 700"} if rel in ("index.html", CLAIM) else {f"{FONT} 400"}
            )
            assert faces <= set(_fonts(page)), rel
            family = page.evaluate("getComputedStyle(document.querySelector('h1')).fontFamily")
            assert family.startswith(f'"{FONT}"'), family
            assert all(r.startswith(root) for r in requests), [
                r for r in requests if not r.startswith(root)
            ]
            assert any(r.endswith("assets/fonts/NotoSansArabic-Regular.woff2") for r in requests)
            # Nothing wider than the screen, nothing on top of anything else.
            width = page.evaluate(
                "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
            )
            assert width[0] <= width[1], f"{rel} at {size[0]} px overflows: {width}"
            assert page.evaluate(OVERLAPS, CONTAINERS) == [], rel
            end, edge = page.evaluate(TEXT_END, FLUSH_RIGHT[rel])
            assert abs(end - edge) <= 2, (rel, FLUSH_RIGHT[rel], end, edge)
            if rel == "sources.html":  # a nested list is indented from the right
                outer, inner = (
                    page.evaluate(BOX, ".tl-cited-by"),
                    page.evaluate(BOX, ".tl-cited-by > li"),
                )
                assert (
                    outer["right"] - inner["right"] > 20 and abs(inner["left"] - outer["left"]) <= 1
                )
            if (
                rel == "embed.html"
            ):  # the compact view in a newsroom's frame: its claims run from the right
                claim, badge = (
                    page.evaluate(BOX, ".tl-embed-claims > li"),
                    page.evaluate(BOX, ".tl-embed-claims .tl-verdict"),
                )
                assert abs(badge["right"] - claim["right"]) <= 1, (badge, claim)
                continue
            # The site's navigation runs from the right: the story's own link (first) is the rightmost.
            # (on a phone the links wrap: those of the first line run leftwards from it).
            nav = page.evaluate(
                "[...document.querySelectorAll('.tl-site-header nav a')]"
                ".map(a => { const r = a.getClientRects()[0]; return [r.top, r.right]; })"
            )
            first = [right for top, right in nav if top == nav[0][0]]
            assert len(first) > 1 and first == sorted(first, reverse=True), nav
            assert first[0] == max(right for _, right in nav), nav
            main = page.evaluate(BOX, "main")
            if rel == CLAIM:
                _claim_page_mirrors(page, main)
            elif rel == "index.html":
                _index_mirrors(page, size)


def _claim_page_mirrors(page, main) -> None:  # type: ignore[no-untyped-def]
    # Previous and next start at the right: flush with the list's right edge, and on a wide screen
    # (where they fit on one line) clear of its left edge.
    nav = page.evaluate(BOX, ".tl-claim-nav ul")
    for rel in ("prev", "next"):
        link = page.evaluate(
            f"document.querySelector('.tl-claim-nav a[rel={rel}]').getBoundingClientRect().toJSON()"
        )
        assert abs(link["right"] - nav["right"]) <= 1, (rel, link, nav)
        if nav["right"] - nav["left"] > 600:
            assert link["left"] > nav["left"] + 50, (rel, link, nav)
    # The quote's rule is on its right (border-inline-start), the facts' terms right of their values.
    border = page.evaluate(
        "(() => { const s = getComputedStyle(document.querySelector('.tl-claim-quote'));"
        " return [s.borderRightWidth, s.borderLeftWidth]; })()"
    )
    assert border == ["4px", "0px"]
    term, value = page.evaluate(BOX, ".tl-claim-facts dt"), page.evaluate(BOX, ".tl-claim-facts dd")
    assert term["left"] >= value["right"] - 1
    kicker = page.evaluate(BOX, ".tl-kicker")
    assert abs(kicker["right"] - main["right"]) <= 20  # inside main's padding, on the right


def _index_mirrors(page, size) -> None:  # type: ignore[no-untyped-def]
    # The verdict strip's first badge is the rightmost; a claim's verdict rule is on its right.
    # (on a phone the strip wraps: the badges of its first line run leftwards from the right)
    strip = page.evaluate(
        "[...document.querySelectorAll('.tl-strip li')]"
        ".map(li => { const r = li.getBoundingClientRect(); return [r.top, r.right]; })"
    )
    first = [right for top, right in strip if top == strip[0][0]]
    assert first == sorted(first, reverse=True) and len(strip) > 1
    assert first[0] == max(right for _, right in strip), strip
    claim = page.evaluate(
        "(() => { const s = getComputedStyle(document.querySelector('.tl-claim'));"
        " return [s.borderRightWidth, s.borderLeftWidth]; })()"
    )
    assert claim == ["4px", "0px"]
    if size[0] >= 600:  # the filters are laid out in a row from the right (a phone folds them away)
        labels = page.evaluate(
            "[...document.querySelectorAll('.tl-filters label')].slice(0, 3).map(l => l.getBoundingClientRect().right)"
        )
        assert labels == sorted(labels, reverse=True)
    else:
        toggle, heading = page.evaluate(BOX, "#tl-filter-toggle"), page.evaluate(BOX, ".tl-title")
        assert abs(toggle["right"] - heading["right"]) <= 20


def test_an_english_page_never_downloads_the_arabic_script_font(browser, sites) -> None:  # type: ignore[no-untyped-def]
    with Tab(browser, (1280, 900), cache=False) as tab:
        for rel in ("index.html", CLAIM):
            page, requests = tab.goto(sites["en"] + rel), tab.requests
            assert _fonts(page) == []
            assert page.evaluate("getComputedStyle(document.documentElement).direction") == "ltr"
            assert not [r for r in requests if r.endswith(".woff2")]
            nav = page.evaluate(
                "[...document.querySelectorAll('.tl-site-header nav a')].map(a => a.getClientRects()[0].left)"
            )
            assert nav[0] == min(nav)
