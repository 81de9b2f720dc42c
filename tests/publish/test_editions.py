"""Editions (issue 24 point 6): one story in English, Persian and Arabic (tests/data/editions), built as
one site; every page links the same page in the other editions (switcher, hreflang, sitemap), feeds
per edition, the validator naming what an edition lacks, and the build all or nothing."""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import urljoin
from xml.etree import ElementTree as ET

import feedparser
import lxml.html
import pytest
from click.testing import CliRunner
from playwright.sync_api import expect
from serve_support import static_server
from snapshot_support import AXE, axe_violations

from timeline.cli import cli
from timeline.errors import ExportError, ValidationError
from timeline.publish import sitedata
from timeline.publish.site import build_site

ROOT = Path(__file__).resolve().parents[2]
EDITIONS = ROOT / "tests" / "data" / "editions"
BASE = "https://factcheck.example.org/fares/"
EPOCH = {"SOURCE_DATE_EPOCH": "1767225600"}
#: Each edition's folder in the site and its language, the first (English) at the root.
HOMES = {"": "en-GB", "fa/": "fa", "ar/": "ar"}
NAMES = {"en-GB": "English", "fa": "فارسی", "ar": "العربية"}
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
NAV = '//nav[@class="tl-editions"]'


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("editions") / "site"
    build_site(
        [EDITIONS / "en", EDITIONS / "fa", EDITIONS / "ar"], out, base_url=BASE, environ=EPOCH
    )
    return out


def pages(site: Path) -> dict[str, lxml.html.HtmlElement]:
    """Every page that carries the site's header (all but embed.html), by path in the site."""
    out = {}
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        if not rel.endswith("embed.html"):
            out[rel] = lxml.html.fromstring(path.read_bytes())
    return out


def home_of(rel: str) -> str:
    first = rel.split("/", 1)[0] + "/"
    return first if first in HOMES else ""


def test_layout_first_edition_at_the_root_each_other_in_its_language_folder(site: Path) -> None:
    for home in HOMES:
        for rel in ("index.html", "claims/c-five-years.html", "sources.html", "feeds/claims.xml",
                    "sitemap.xml", "cards/c-five-years.png", "downloads/claims.csv"):  # fmt: skip
            assert (site / home / rel).is_file(), home + rel
    # What hosts read at the root only is there once and covers every edition.
    assert not (site / "fa" / "robots.txt").exists() and not (site / "fa" / "_headers").exists()
    robots = (site / "robots.txt").read_text(encoding="utf-8")
    assert [
        line.split(" ", 1)[1] for line in robots.splitlines() if line.startswith("Sitemap:")
    ] == [f"{BASE}{home}sitemap.xml" for home in HOMES]
    headers = (site / "_headers").read_text(encoding="utf-8").splitlines()
    for home in HOMES:
        assert f"/fares/{home}claims/*" in headers and f"/fares/{home}embed.html" in headers
    # Each edition's data is its own.
    assert "کرایه" in (site / "fa" / "index.html").read_text(encoding="utf-8")
    assert (site / "ar" / "downloads" / "claims.csv").read_bytes() == (
        EDITIONS / "ar" / "claims.csv"
    ).read_bytes()


def test_every_switcher_link_resolves_to_the_same_page_in_another_edition(site: Path) -> None:
    checked = 0
    for rel, doc in pages(site).items():
        here = home_of(rel)
        nav = doc.xpath(NAV)
        assert len(nav) == 1, rel
        links = nav[0].xpath(".//a")
        assert {a.get("hreflang") for a in links} == set(HOMES.values()) - {HOMES[here]}, rel
        for a in links:
            tag = a.get("hreflang")
            assert a.get("lang") == tag and a.text == NAMES[tag], rel
            assert a.get("dir") == ("rtl" if tag in ("fa", "ar") else "ltr")
            target = (site / rel).parent.joinpath(a.get("href")).resolve()
            assert target.is_file(), (rel, a.get("href"))
            other = next(h for h, t in HOMES.items() if t == tag)
            # The same page: its path inside its edition is this page's (claim ids are shared);
            # a claimant's or category's page is the one of the same claims, under another name.
            inside = target.relative_to((site / other).resolve()).as_posix()
            mine = rel[len(here) :]
            if not mine.startswith(("claimants/", "categories/")):
                assert inside == mine, (rel, a.get("href"))
            else:
                assert inside.split("/")[0] == mine.split("/")[0], (rel, a.get("href"))
            checked += 1
    assert checked > 60


def test_the_switcher_speaks_the_pages_language(site: Path) -> None:
    words = {"": ("Other languages", "Read in:"), "fa/": ("زبان‌های دیگر", "خواندن به زبان:"),
             "ar/": ("لغات أخرى", "اقرأ باللغة:")}  # fmt: skip
    for home, (label, lead) in words.items():
        nav = lxml.html.fromstring((site / home / "claims" / "c-five-years.html").read_bytes())
        switcher = nav.xpath(NAV)[0]
        assert switcher.get("aria-label") == label
        assert switcher.text_content().split()[: len(lead.split())] == lead.split()


def alternates(doc: lxml.html.HtmlElement) -> dict[str, str]:
    return {
        link.get("hreflang"): link.get("href")
        for link in doc.xpath('//link[@rel="alternate"][@hreflang]')
    }


def test_hreflang_links_are_reciprocal_with_x_default(site: Path) -> None:
    docs = pages(site)
    by_url = {}
    for rel, doc in docs.items():
        canonical = doc.xpath('//link[@rel="canonical"]/@href')[0]
        by_url[canonical] = rel
    claimed = 0
    for rel, doc in docs.items():
        alt = alternates(doc)
        own = HOMES[home_of(rel)]
        canonical = doc.xpath('//link[@rel="canonical"]/@href')[0]
        assert set(alt) == {*HOMES.values(), "x-default"}, rel  # every page exists in every edition
        assert alt[own] == canonical, rel  # itself, under its own language
        assert alt["x-default"] == alt["en-GB"], rel  # the first edition
        for tag, url in alt.items():
            assert url in by_url, (rel, url)  # an address the site has
            assert alternates(docs[by_url[url]]) == alt, (rel, tag)  # and it says the same back
            claimed += 1
    assert claimed > 100


def test_share_tags_name_the_other_editions_locales(site: Path) -> None:
    """Open Graph's og:locale:alternate: every page names the locales of its other editions."""
    locales = {"en-GB": "en_GB", "fa": "fa_IR", "ar": "ar_SA"}
    shared = 0
    for rel, doc in pages(site).items():
        own = HOMES[home_of(rel)]
        others = doc.xpath('//meta[@property="og:locale:alternate"]/@content')
        if not doc.xpath('//meta[@property="og:locale"]'):  # a page without share tags
            assert others == [], rel
            continue
        assert doc.xpath('//meta[@property="og:locale"]/@content') == [locales[own]], rel
        assert sorted(others) == sorted(v for k, v in locales.items() if k != own), rel
        shared += 1
    assert shared >= 3 * 4  # each edition's index and three claim pages at least


def test_sitemaps_carry_each_pages_alternates(site: Path) -> None:
    locs: dict[str, set[str]] = {}
    trees = {}
    for home in HOMES:
        tree = ET.parse(site / home / "sitemap.xml").getroot()
        trees[home] = tree
        locs[home] = {u.findtext(f"{SITEMAP}loc") for u in tree.iter(f"{SITEMAP}url")}
    every = set().union(*locs.values())
    for home, tree in trees.items():
        urls = list(tree.iter(f"{SITEMAP}url"))
        assert len(urls) == len(locs[""])
        for url in urls:
            loc = url.findtext(f"{SITEMAP}loc")
            links = {x.get("hreflang"): x.get("href") for x in url.iter(f"{XHTML}link")}
            assert all(x.get("rel") == "alternate" for x in url.iter(f"{XHTML}link"))
            assert set(links) == {*HOMES.values(), "x-default"}, loc
            assert links[HOMES[home]] == loc and links["x-default"] == links["en-GB"]
            assert set(links.values()) <= every, (
                loc
            )  # each alternate is listed in its edition's sitemap


def test_feeds_per_edition_in_its_language(site: Path) -> None:
    for home, tag in HOMES.items():
        for name in ("claims", "corrections"):
            feed = feedparser.parse((site / home / "feeds" / f"{name}.xml").read_bytes())
            assert not feed.bozo, (home, name)
            assert feed.feed.language == tag
            for entry in feed.entries:
                assert entry.link.startswith(urljoin(BASE, home)), entry.link
        claims = feedparser.parse((site / home / "feeds" / "claims.xml").read_bytes())
        assert {e.link.rsplit("/", 1)[1] for e in claims.entries} == {
            "c-five-years.html", "c-new-buses.html", "c-cheapest.html"
        }  # fmt: skip
        # each feed links the same feed in the other editions, in their languages
        others = {
            link.hreflang: link.href
            for link in claims.feed.links
            if link.get("type") == "application/atom+xml" and link.rel == "alternate"
        }
        assert others == {
            t: urljoin(BASE, h + "feeds/claims.xml") for h, t in HOMES.items() if t != tag
        }
    ar = feedparser.parse((site / "ar" / "feeds" / "claims.xml").read_bytes())
    assert "أجور" in ar.feed.title


def test_a_one_folder_site_is_as_before(site: Path, tmp_path: Path) -> None:
    """Alone, the first edition builds the site it built before editions existed: the root of the
    three-edition site minus the switcher and the alternates, byte for byte, and nothing else."""
    alone = tmp_path / "alone"
    build_site(EDITIONS / "en", alone, base_url=BASE, environ=EPOCH)
    files = {p.relative_to(alone).as_posix() for p in alone.rglob("*") if p.is_file()}
    assert not any(f.startswith(("fa/", "ar/")) for f in files)
    assert ".timeline-editions.json" not in files and (site / ".timeline-editions.json").is_file()
    robots = (alone / "robots.txt").read_text(encoding="utf-8")
    assert robots == f"User-agent: *\nAllow: /\n\nSitemap: {BASE}sitemap.xml\n"
    sitemap = (alone / "sitemap.xml").read_text(encoding="utf-8")
    assert "xhtml" not in sitemap and "hreflang" not in sitemap
    for rel in sorted(files):
        mine = (alone / rel).read_bytes()
        if rel.endswith(".html"):
            assert b"hreflang" not in mine and b"tl-editions" not in mine, rel
        theirs = (site / rel).read_bytes()
        if rel.endswith(".html") and not rel.endswith("embed.html"):
            text = theirs.decode()
            start = text.index('<nav class="tl-editions"')
            text = text[:start] + text[text.index("</nav>", start) + len("</nav>") :]
            lines = text.split("\n")
            theirs = "\n".join(
                x
                for x in lines
                if not x.startswith(
                    ('<link rel="alternate" hreflang=', '<meta property="og:locale:alternate"')
                )
            ).encode()
        if rel.startswith("feeds/"):  # less the links to the other editions' feeds
            lines = theirs.decode().split("\n")
            theirs = "\n".join(x for x in lines if "hreflang=" not in x).encode()
        if rel in ("sitemap.xml", "robots.txt", "_headers", ".timeline-site.json"):
            continue
        if rel.startswith(
            ".timeline-cache/"
        ):  # the build's own records: its pages' keys name the editions
            continue
        assert mine == theirs, rel
    headers = (alone / "_headers").read_text(encoding="utf-8")
    assert headers in (site / "_headers").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def lagging(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The three editions, the Persian one lacking claim c-cheapest."""
    base = tmp_path_factory.mktemp("lagging")
    for lang in ("en", "fa", "ar"):
        shutil.copytree(EDITIONS / lang, base / lang)
    claims = base / "fa" / "claims.csv"
    rows = claims.read_text(encoding="utf-8").splitlines(keepends=True)
    claims.write_text("".join(r for r in rows if not r.startswith("c-cheapest,")), encoding="utf-8")
    return base


def test_validate_names_the_ids_an_edition_lacks(lagging: Path) -> None:
    folders = [str(lagging / lang) for lang in ("en", "fa", "ar")]
    result = CliRunner().invoke(cli, ["validate", *folders])
    assert result.exit_code == 0, result.output  # a translation that lags still publishes
    warnings = [line for line in result.output.splitlines() if "missing" in line]
    en_line = next(
        n
        for n, row in enumerate(
            (lagging / "en" / "claims.csv").read_text(encoding="utf-8").splitlines(), 1
        )
        if row.startswith("c-cheapest,")
    )
    assert warnings == [
        f"{lagging / 'fa' / 'claims.csv'}: id: warning: claim 'c-cheapest' ({lagging / 'en' / 'claims.csv'}:"
        f"{en_line}) is missing from this edition (fa); add its row, in this edition's language, with the "
        "same id, or remove it from the other editions"
    ]
    assert f"OK: {lagging / 'fa'} (fa): 4 events, 2 claims, 3 sources" in result.output
    assert "OK: 3 editions (1 warning)" in result.output


@pytest.fixture(scope="module")
def lagging_site(lagging: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("lagging-site") / "site"
    build_site([lagging / "en", lagging / "fa"], out, base_url=BASE, environ=EPOCH)
    return out


def test_a_missing_page_links_the_other_editions_home(lagging_site: Path) -> None:
    out = lagging_site
    doc = lxml.html.fromstring((out / "claims" / "c-cheapest.html").read_bytes())
    (fa,) = doc.xpath(NAV + "//a")
    assert fa.get("href") == "../fa/index.html"
    assert alternates(doc) == {}  # no equivalent page: no hreflang at all
    assert not (out / "fa" / "claims" / "c-cheapest.html").exists()
    sitemap = ET.parse(out / "sitemap.xml").getroot()
    cheapest = next(
        u
        for u in sitemap.iter(f"{SITEMAP}url")
        if u.findtext(f"{SITEMAP}loc", "").endswith("c-cheapest.html")
    )
    assert list(cheapest.iter(f"{XHTML}link")) == []
    assert (
        len(alternates(lxml.html.fromstring((out / "claims" / "c-five-years.html").read_bytes())))
        == 3
    )


def test_two_editions_in_one_language_are_refused_naming_both(tmp_path: Path) -> None:
    twin = tmp_path / "data-fa-2"
    shutil.copytree(EDITIONS / "fa", twin)
    out = tmp_path / "site"
    result = CliRunner().invoke(
        cli, ["site", str(EDITIONS / "en"), str(EDITIONS / "fa"), str(twin), "-o", str(out)]
    )
    assert result.exit_code == 1
    assert f"{twin} and {EDITIONS / 'fa'} are both in 'fa'" in result.output
    assert f'set "language" in {twin / "story.json"}' in result.output
    assert "Traceback" not in result.output and not out.exists()
    check = CliRunner().invoke(cli, ["validate", str(EDITIONS / "fa"), str(twin)])
    assert check.exit_code == 1 and f"{twin} and {EDITIONS / 'fa'} are both in 'fa'" in check.output


def _state(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in folder.rglob("*") if p.is_file()}  # fmt: skip


def test_a_failed_edition_leaves_the_site_as_it_was(
    lagging: Path, lagging_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fa = tmp_path / "fa"
    shutil.copytree(lagging / "fa", fa)
    folders = [lagging / "en", fa, lagging / "ar"]
    out = tmp_path / "site"
    shutil.copytree(lagging_site, out)  # built from en and fa (times kept)
    before = _state(out)
    # A real failure found before building: the Arabic edition's folder is taken by a file.
    (out / "ar").write_text("not a folder", encoding="utf-8")
    with pytest.raises(ExportError, match="ar is a file"):
        build_site(folders, out, base_url=BASE, environ=EPOCH)
    (out / "ar").unlink()
    assert _state(out) == before
    # A failure while the last edition is built, after the others were built in memory.
    story = fa / "story.json"
    story.write_text(story.read_text(encoding="utf-8").replace("کرایه", "بلیت"), encoding="utf-8")
    write_feeds = sitedata.write_feeds

    def failing(site: sitedata.Site) -> None:
        if site.tag == "ar":
            raise ExportError("the Arabic feeds failed")
        write_feeds(site)

    monkeypatch.setattr(sitedata, "write_feeds", failing)
    with pytest.raises(ExportError, match="Arabic feeds"):
        build_site(folders, out, base_url=BASE, environ=EPOCH)
    assert _state(out) == before  # the Persian edition's new title was not written either
    monkeypatch.undo()
    report = build_site(
        folders, out, base_url=BASE, environ=EPOCH
    )  # and the same build, not failing
    assert "fa/index.html" in report.written and "ar/index.html" in report.written
    assert "بلیت" in (out / "fa" / "index.html").read_text(encoding="utf-8")


def test_bad_data_in_one_edition_refuses_the_build(lagging: Path, tmp_path: Path) -> None:
    broken = tmp_path / "ar"
    shutil.copytree(lagging / "ar", broken)
    events = broken / "events.csv"
    events.write_text(
        events.read_text(encoding="utf-8").replace("2020-01-", "2020-13-", 1), encoding="utf-8"
    )
    with pytest.raises(ValidationError, match=str(broken / "events.csv")):
        build_site([lagging / "en", broken], tmp_path / "site", environ=EPOCH)
    assert not (tmp_path / "site").exists()


@pytest.mark.browser
def test_the_switcher_is_visible_keyboard_reachable_and_axe_clean(browser, site: Path) -> None:  # type: ignore[no-untyped-def]
    """On a phone: the Persian claim page's switcher is seen, reached with Tab before the page's
    content, followed with Enter to the same claim in English; no axe-core violation."""
    with static_server(site) as root:
        context = browser.new_context(viewport={"width": 375, "height": 740})
        page = context.new_page()
        try:
            page.add_init_script(path=str(AXE))
            page.goto(root + "fa/claims/c-five-years.html")
            nav = page.get_by_role("navigation", name="زبان‌های دیگر")
            english = nav.get_by_role("link", name="English")
            expect(english).to_be_visible()
            expect(nav.get_by_role("link", name="العربية")).to_be_visible()
            assert page.evaluate("() => document.documentElement.scrollWidth <= innerWidth")
            for _ in range(
                12
            ):  # from the top of the page: the skip link, the site's links, then it
                page.keyboard.press("Tab")
                if page.evaluate(
                    "() => document.activeElement.closest('nav.tl-editions') !== null"
                ):
                    break
            expect(english).to_be_focused()
            assert axe_violations(page) == []
            page.keyboard.press("Enter")
            expect(page).to_have_url(root + "claims/c-five-years.html")
            other = page.get_by_role("navigation", name="Other languages")
            expect(other.get_by_role("link", name="فارسی")).to_be_visible()
        finally:
            context.close()


def test_an_edition_left_out_is_removed_but_not_your_files(tmp_path: Path) -> None:
    out = tmp_path / "site"
    build_site([EDITIONS / "en", EDITIONS / "fa"], out, environ=EPOCH)
    (out / "fa" / "notes").mkdir()
    (out / "fa" / "notes" / "mine.txt").write_text("kept", encoding="utf-8")
    report = build_site(EDITIONS / "en", out, environ=EPOCH)
    assert "fa/index.html" in report.removed and "fa/claims/c-five-years.html" in report.removed
    assert ".timeline-editions.json" in report.removed
    left = sorted(p.relative_to(out / "fa").as_posix() for p in (out / "fa").rglob("*"))
    assert left == ["notes", "notes/mine.txt"]
    assert "hreflang" not in (out / "index.html").read_text(encoding="utf-8")
