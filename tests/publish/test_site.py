"""The microsite (`timeline site`): built once per module and crawled the way readers and software read it.

Every internal link and #anchor resolves on disk and over HTTP (a real http.server);
JSON-LD and Open Graph are read with extruct, feeds with feedparser, the sitemap as XML;
two builds with SOURCE_DATE_EPOCH are byte-identical; a rebuild after one edit writes only
the files whose bytes change; hostile data stays inert everywhere. Browser checks are in
test_site_browser.py.
"""

from __future__ import annotations

import csv
import functools
import gzip
import io
import json
import re
import shutil
import threading
import urllib.request
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit
from xml.etree import ElementTree as ET

import pytest
from click.testing import CliRunner
from markupsafe import escape
from serve_support import QuietFiles, QuietHTTPServer

from timeline.cli import cli
from timeline.core.schema import VERDICT_BY_KEY
from timeline.errors import ValidationError
from timeline.publish.site import build_site  # noqa: E402
from timeline.publish.sitefiles import CACHE_DIR, MANIFEST

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
TEST_DATA = Path(__file__).resolve().parents[1] / "data"
BASE_URL = "https://factcheck.example.org/soleimani/"
PUBLISHER = "Example Fact Check"
EPOCH = "1767225600"
ENV = {"SOURCE_DATE_EPOCH": EPOCH}


# ----------------------------------------------------------------------------- helpers
class Links(HTMLParser):
    """Every href/src of a page, its ids, and its scripts' types."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.refs: list[str] = []
        self.ids: set[str] = set()
        self.scripts: list[dict[str, str | None]] = []
        self.handlers: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(str(a["id"]))
        for key in ("href", "src"):
            if a.get(key) and not (tag == "link" and a.get("rel") == "canonical"):
                self.refs.append(str(a[key]))
        if tag == "script":
            self.scripts.append(a)
        self.handlers += [k for k in a if k.startswith("on")]


def parse(path: Path) -> Links:
    p = Links()
    p.feed(path.read_text(encoding="utf-8"))
    return p


def pages(out: Path) -> list[Path]:
    return sorted(out.rglob("*.html"))


def internal(ref: str) -> bool:
    return not ref.startswith(("http://", "https://", "mailto:", "data:"))


def copy_data(src: Path, dest: Path) -> Path:
    shutil.copytree(src, dest)
    return dest


def read_rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def write_rows(path: Path, rows: list[dict[str, str]]) -> None:
    names = list(rows[0])
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=names, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def files(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


# ------------------------------------------------------------------------------ builds
@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    """The shipped story with a methodology.md and a correction, built by the CLI with a base URL."""
    base = tmp_path_factory.mktemp("site")
    folder = copy_data(DATA, base / "data")
    (folder / "methodology.md").write_text(
        "# Our method\n\nWe check *facts*. <script>alert(1)</script>\n\n## Corrections policy\n\n"
        "[Write to us](mailto:desk@example.org). [x](javascript:alert(1))\n",
        encoding="utf-8",
    )
    claims = read_rows(folder / "claims.csv")
    (folder / "corrections.csv").write_text(
        "date,change,target,note\n"
        f"2026-11-26,correction,claim:{claims[0]['id']},The rationale now cites the resolution's text.\n",
        encoding="utf-8",
    )
    out = base / "out"
    result = CliRunner().invoke(
        cli,
        ["site", str(folder), "-o", str(out), "--base-url", BASE_URL, "--publisher", PUBLISHER],
        env=ENV,
    )
    assert result.exit_code == 0, result.output
    return folder, out, result.output


@pytest.fixture(scope="module")
def server(shipped: tuple[Path, Path, str]) -> Iterator[str]:
    """The built site served by Python's http.server on a free port, in a thread."""
    httpd = QuietHTTPServer(
        ("127.0.0.1", 0), functools.partial(QuietFiles, directory=str(shipped[1]))
    )
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


# ----------------------------------------------------------------------------- the files
def test_cli_reports_and_prints_the_embed_code(shipped: tuple[Path, Path, str]) -> None:
    folder, out, output = shipped
    assert output.startswith(f"Wrote {out}: ")
    assert "Embed code:\n" in output and f"{BASE_URL}embed.html" in output
    claims = read_rows(folder / "claims.csv")
    for c in claims:
        assert (out / "claims" / f"{c['id']}.html").is_file()
        png = (out / "cards" / f"{c['id']}.png").read_bytes()
        assert png.startswith(b"\x89PNG\r\n\x1a\n")
    for name in ("index.html", "sources.html", "corrections.html", "methodology.html", "embed.html",
                 "feeds/claims.xml", "feeds/corrections.xml", "sitemap.xml", "robots.txt", "_headers",
                 "cards/story.png", "downloads/claimreviews.json"):  # fmt: skip
        assert (out / name).is_file(), name
    for csv_file in folder.glob("*.csv"):
        assert (out / "downloads" / csv_file.name).read_bytes() == csv_file.read_bytes()
    assets = sorted(p.name for p in (out / "assets").iterdir() if p.is_file())
    # timeline.css's Arabic-script font, where its @font-face url()s point (assets/fonts/)
    fonts = sorted(p.name for p in (out / "assets" / "fonts").iterdir())
    assert fonts == ["NotoSansArabic-Bold.woff2", "NotoSansArabic-Regular.woff2"]
    kinds = sorted(f"{n.split('.')[0]}.{n.split('.')[2]}" for n in assets)
    assert kinds == [
        "embed.css",
        "embed.js",
        "plotly-basic.js",
        "share.js",
        "timeline.css",
        "timeline.js",
    ]
    assert all(len(n.split(".")[1]) == 12 for n in assets)


def test_every_internal_link_and_anchor_resolves_on_disk(shipped: tuple[Path, Path, str]) -> None:
    out = shipped[1]
    ids = {p.resolve(): parse(p).ids for p in pages(out)}
    checked = 0
    for page in pages(out):
        for ref in parse(page).refs:
            if not internal(ref):
                continue
            parts = urlsplit(ref)
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            assert target.is_file(), f"{page.relative_to(out)}: {ref} -> missing"
            # "#verdict=accurate" (the count strip) is a filtered view of the index, not an anchor
            if parts.fragment and "=" not in parts.fragment and target.suffix == ".html":
                assert parts.fragment in ids[target], (
                    f"{page.relative_to(out)}: {ref} -> no such anchor"
                )
            checked += 1
    assert checked > 100


def test_every_internal_link_resolves_over_http(
    shipped: tuple[Path, Path, str], server: str
) -> None:
    out = shipped[1]
    urls = {server}
    for page in pages(out):
        page_url = urljoin(server, str(page.relative_to(out)))
        urls |= {urljoin(page_url, r).split("#")[0] for r in parse(page).refs if internal(r)}
    for url in sorted(urls):
        with urllib.request.urlopen(url) as resp:  # raises on 404
            assert resp.status == 200, url


def test_every_page_has_a_strict_csp_and_no_inline_script(shipped: tuple[Path, Path, str]) -> None:
    for page in pages(shipped[1]):
        html = page.read_text(encoding="utf-8")
        assert "Content-Security-Policy" in html and "default-src 'none'" in html.replace(
            "&#39;", "'"
        )
        parsed = parse(page)
        for script in parsed.scripts:
            assert script.get("src") or script.get("type") in (
                "application/ld+json",
                "application/json",
            ), page
        assert parsed.handlers == []


def test_every_page_names_its_icon(shipped: tuple[Path, Path, str]) -> None:
    """A page without ``<link rel="icon">`` makes a browser that opens it on its own ask the host
    for /favicon.ico: a 404 in the reader's console on most hosts (the embed had none)."""
    for page in pages(shipped[1]):
        head = page.read_text(encoding="utf-8").split("</head>", 1)[0]
        assert '<link rel="icon" href="data:,">' in head, page


def test_claim_pages_are_small_with_one_small_script(shipped: tuple[Path, Path, str]) -> None:
    for page in (shipped[1] / "claims").iterdir():
        body = page.read_bytes()
        assert len(body) < 25_000 and len(gzip.compress(body)) < 8_000, page.name
        scripts = [s for s in parse(page).scripts if s.get("type") != "application/ld+json"]
        assert [Path(s["src"]).name.split(".")[0] for s in scripts] == ["share"], (
            page.name
        )  # Copy link, Share
        assert b"plotly" not in body


def test_claim_page_shows_the_claim(shipped: tuple[Path, Path, str]) -> None:
    folder, out, _ = shipped
    claims = read_rows(folder / "claims.csv")
    first, second = claims[0], claims[1]
    html = (out / "claims" / f"{second['id']}.html").read_text(encoding="utf-8")
    assert f'href="{first["id"]}.html"' in html and 'rel="prev"' in html
    assert f"../index.html#event-{second['event_id']}" in html
    assert "../methodology.html#verdicts" in html
    assert VERDICT_BY_KEY[second["verdict"]].meaning in html
    corrected = (out / "claims" / f"{first['id']}.html").read_text(encoding="utf-8")
    assert "The rationale now cites the resolution&#39;s text." in corrected


# ------------------------------------------------------------------- structured data
def _extract(page: Path, url: str) -> dict:
    import extruct

    return extruct.extract(
        page.read_text(encoding="utf-8"),
        base_url=url,
        syntaxes=["json-ld", "opengraph"],
        uniform=True,
    )


def test_one_claimreview_per_rated_claim_page_and_none_elsewhere(
    shipped: tuple[Path, Path, str],
) -> None:
    folder, out, _ = shipped
    claims = {c["id"]: c for c in read_rows(folder / "claims.csv")}
    sources = {s["id"]: s for s in read_rows(folder / "sources.csv")}
    for page in pages(out):
        rel = str(page.relative_to(out))
        data = _extract(page, BASE_URL + rel)
        reviews = [d for d in data["json-ld"] if d.get("@type") == "ClaimReview"]
        cid = page.stem
        if rel.startswith("claims/") and VERDICT_BY_KEY[claims[cid]["verdict"]].rating is not None:
            assert len(reviews) == 1, rel
            (r,) = reviews
            c = claims[cid]
            assert r["url"] == BASE_URL + rel
            assert r["claimReviewed"] == " ".join((c.get("headline") or c["claim"]).split())
            assert r["author"] == {"@type": "Organization", "name": PUBLISHER, "url": BASE_URL}
            assert r.get("reviewBody") == (" ".join(c.get("bottom_line", "").split()) or None)
            v = VERDICT_BY_KEY[c["verdict"]]
            assert r["reviewRating"] == {"@type": "Rating", "ratingValue": v.rating, "bestRating": 5,
                                         "worstRating": 1, "alternateName": v.label}  # fmt: skip
            assert r["datePublished"] == c["reviewed"]
            item = r["itemReviewed"]
            assert item["@type"] == "Claim" and item["author"]["name"] == " ".join(
                c["claimant"].split()
            )
            assert item["author"]["@type"] in ("Person", "Organization", "Thing")
            said = sources[c["said_in"]]
            if said["url"]:
                assert item["appearance"]["url"] == said["url"]
            canonical = (
                page.read_text(encoding="utf-8")
                .split('<link rel="canonical" href="')[1]
                .split('"')[0]
            )
            assert canonical == r["url"]
        else:
            assert reviews == [], rel


def test_open_graph_and_twitter_tags(shipped: tuple[Path, Path, str]) -> None:
    folder, out, _ = shipped
    cid = read_rows(folder / "claims.csv")[0]["id"]
    page = out / "claims" / f"{cid}.html"
    og = _extract(page, f"{BASE_URL}claims/{cid}.html")["opengraph"][0]
    assert og["og:url"] == f"{BASE_URL}claims/{cid}.html"
    assert og["og:image"] == f"{BASE_URL}cards/{cid}.png"
    assert og["og:image:width"] == "1200" and og["og:image:height"] == "630"
    assert og["og:image:alt"] and og["og:title"] and og["@type"] == "article"
    bottom_line = read_rows(folder / "claims.csv")[0]["bottom_line"]
    assert bottom_line and og["og:description"] == bottom_line
    html = page.read_text(encoding="utf-8")
    assert f'<meta name="twitter:description" content="{escape(bottom_line)}">' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    assert f'<meta name="twitter:image" content="{BASE_URL}cards/{cid}.png">' in html


def test_downloads_hold_every_claimreview(shipped: tuple[Path, Path, str]) -> None:
    folder, out, _ = shipped
    from timeline import load
    from timeline.views.claim_page import ClaimPages

    rated = {c["id"] for c in read_rows(folder / "claims.csv") if c["verdict"] != "not-rated"}
    in_order = [cid for cid in ClaimPages(load(folder)).ids if cid in rated]  # timeline order
    text = (out / "downloads" / "claimreviews.json").read_text(encoding="utf-8")
    reviews = json.loads(text)
    assert [r["url"] for r in reviews] == [f"{BASE_URL}claims/{cid}.html" for cid in in_order]
    # One ClaimReview per line, so that a diff of two builds names the claims that changed.
    lines = text.splitlines()
    assert lines[0] == "[" and lines[-1] == "]" and len(lines) == len(reviews) + 2
    assert [json.loads(line.removesuffix(",")) for line in lines[1:-1]] == reviews


# ---------------------------------------------------------------------- feeds, sitemap
def test_feeds_parse_without_errors(shipped: tuple[Path, Path, str]) -> None:
    import feedparser

    folder, out, _ = shipped
    claims = read_rows(folder / "claims.csv")
    feed = feedparser.parse((out / "feeds" / "claims.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert len(feed.entries) == len(claims)
    assert {e.id for e in feed.entries} == {f"{BASE_URL}claims/{c['id']}.html" for c in claims}
    assert feed.feed.author == PUBLISHER
    corrections = feedparser.parse((out / "feeds" / "corrections.xml").read_bytes())
    assert not corrections.bozo and len(corrections.entries) == 1


def test_the_claims_feed_holds_the_newest_claims_newest_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A feed holds the latest news (``FEED_ENTRIES``, 100; at 30,000 claims a feed of every claim
    was 20 MB, asked for again at every poll): here 5 of the shipped story's 16 claims."""
    import feedparser

    from timeline.publish import feeds

    monkeypatch.setattr(feeds, "FEED_ENTRIES", 5, raising=False)  # raising: fails on behaviour
    folder = copy_data(DATA, tmp_path / "data")
    build_site(folder, tmp_path / "out", base_url=BASE_URL, environ=ENV)
    claims = read_rows(folder / "claims.csv")
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d", c["reviewed"]) for c in claims)  # days sort as text
    assert len({c["reviewed"] for c in claims}) > 1 and len(claims) > 5
    url = {c["id"]: f"{BASE_URL}claims/{c['id']}.html" for c in claims}
    newest = sorted(claims, key=lambda c: (-int(c["reviewed"].replace("-", "")), url[c["id"]]))
    feed = feedparser.parse((tmp_path / "out" / "feeds" / "claims.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert [e.id for e in feed.entries] == [url[c["id"]] for c in newest[:5]]
    assert feed.feed.updated.startswith(newest[0]["reviewed"])


def test_sitemap_and_robots(shipped: tuple[Path, Path, str]) -> None:
    folder, out, _ = shipped
    claims = read_rows(folder / "claims.csv")
    root = ET.parse(out / "sitemap.xml").getroot()
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
    locs = {
        u.findtext("s:loc", namespaces=ns): u.findtext("s:lastmod", namespaces=ns)
        for u in root.findall("s:url", ns)
    }
    for c in claims:
        assert locs[f"{BASE_URL}claims/{c['id']}.html"] == c["reviewed"]
    assert f"{BASE_URL}index.html" in locs
    assert (out / "robots.txt").read_text().endswith(f"Sitemap: {BASE_URL}sitemap.xml\n")


def test_headers_let_only_the_embed_be_framed(shipped: tuple[Path, Path, str]) -> None:
    text = (shipped[1] / "_headers").read_text()
    blocks = {b.split("\n", 1)[0]: b for b in text.split("\n/") if not b.startswith("#")}
    embed = next(b for k, b in blocks.items() if k.endswith("embed.html"))
    assert "frame-ancestors *" in embed and "X-Frame-Options" not in embed
    claims = next(b for k, b in blocks.items() if k.endswith("claims/*"))
    assert "frame-ancestors 'none'" in claims and "X-Frame-Options: DENY" in claims


def test_methodology_is_rendered_and_sanitised(shipped: tuple[Path, Path, str]) -> None:
    html = (shipped[1] / "methodology.html").read_text(encoding="utf-8")
    assert "<em>facts</em>" in html and 'href="mailto:desk@example.org"' in html
    assert "<script>alert" not in html and 'href="javascript:' not in html
    for v in VERDICT_BY_KEY.values():
        assert v.meaning in html


# ------------------------------------------------------------ determinism, incremental
def test_two_builds_with_source_date_epoch_are_byte_identical(
    shipped: tuple[Path, Path, str], tmp_path: Path
) -> None:
    build_site(shipped[0], tmp_path / "a", base_url=BASE_URL, publisher=PUBLISHER, environ=ENV)
    build_site(shipped[0], tmp_path / "b", base_url=BASE_URL, publisher=PUBLISHER, environ=ENV)
    assert files(tmp_path / "a") == files(tmp_path / "b")
    assert files(tmp_path / "a") == files(shipped[1])


def test_a_rebuild_writes_only_what_changed_and_removes_deleted_claims(tmp_path: Path) -> None:
    folder = copy_data(TEST_DATA / "valid", tmp_path / "data")
    out = tmp_path / "out"
    first = build_site(folder, out, base_url=BASE_URL, environ=ENV)
    assert first.unchanged == []
    mtimes = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    again = build_site(folder, out, base_url=BASE_URL, environ=ENV)
    assert again.written == [] and again.removed == []
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()} == mtimes

    claims = read_rows(folder / "claims.csv")
    edited = next(c for c in claims if c["verdict"] != "not-rated")
    edited["rationale"] += " Re-reviewed."
    edited["reviewed"] = "2027-01-02"
    write_rows(folder / "claims.csv", claims)
    report = build_site(folder, out, base_url=BASE_URL, environ=ENV)
    expected = {f"claims/{edited['id']}.html", "index.html", "embed.html", "feeds/claims.xml", "sitemap.xml",
                "downloads/claims.csv", "downloads/claimreviews.json"}  # fmt: skip
    assert set(report.written) <= expected | {"embed.html"}
    assert {
        f"claims/{edited['id']}.html",
        "index.html",
        "feeds/claims.xml",
        "downloads/claims.csv",
    } <= set(report.written)
    assert f"cards/{edited['id']}.png" not in report.written  # the card shows nothing that changed
    for p, t in mtimes.items():  # the manifest records the edited page's new inputs
        rel = p.relative_to(out).as_posix()  # the build's own records change with the data
        if rel not in [*report.written, MANIFEST] and not rel.startswith(CACHE_DIR + "/"):
            assert p.stat().st_mtime_ns == t, p

    gone = claims.pop()
    write_rows(folder / "claims.csv", claims)
    report = build_site(folder, out, base_url=BASE_URL, environ=ENV)
    assert {f"claims/{gone['id']}.html", f"cards/{gone['id']}.png"} <= set(report.removed)
    assert not (out / "claims" / f"{gone['id']}.html").exists()


def test_refuses_data_with_errors_and_writes_nothing(tmp_path: Path) -> None:
    folder = copy_data(TEST_DATA / "invalid" / "unknown-verdict", tmp_path / "data")
    with pytest.raises(ValidationError, match="Refusing to build the site"):
        build_site(folder, tmp_path / "out")
    assert not (tmp_path / "out").exists()
    result = CliRunner().invoke(cli, ["site", str(folder), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1 and "claims.csv:2: verdict" in result.output


def test_missing_fonts_are_refused_before_anything_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`timeline site` checks its preconditions first: a build that fails leaves the folder as it was."""
    from timeline.publish import typeset

    folder = copy_data(TEST_DATA / "valid", tmp_path / "data")
    out = tmp_path / "out"
    build_site(folder, out, base_url=BASE_URL, environ=ENV)
    claims = read_rows(folder / "claims.csv")
    claims[0]["rationale"] += " Re-reviewed."  # a build would now change pages and a card
    write_rows(folder / "claims.csv", claims)
    before = files(out)
    mtimes = {p: p.stat().st_mtime_ns for p in out.rglob("*")}
    monkeypatch.setattr(
        typeset, "FONT_DIR", tmp_path / "no-fonts"
    )  # a machine without Debian's fonts
    result = CliRunner().invoke(cli, ["site", str(folder), "-o", str(out)])
    assert result.exit_code == 1
    assert (
        "share cards need fonts that are not installed" in result.output
        and "make fonts" in result.output
    )
    assert files(out) == before and {p: p.stat().st_mtime_ns for p in out.rglob("*")} == mtimes
    fresh = tmp_path / "fresh"
    assert CliRunner().invoke(cli, ["site", str(folder), "-o", str(fresh)]).exit_code == 1
    assert not fresh.exists()


def test_nothing_is_written_until_the_build_finishes(tmp_path: Path) -> None:
    from timeline.publish.sitefiles import SiteWriter

    w = SiteWriter(tmp_path / "out")
    w.put("index.html", "<p>new</p>")
    w.put("claims/a.html", b"a")
    assert not (tmp_path / "out").exists() and w.written == ["index.html", "claims/a.html"]
    w.finish()
    written = files(tmp_path / "out")
    assert set(written) == {"index.html", "claims/a.html", ".timeline-site.json"}
    assert (written["index.html"], written["claims/a.html"]) == (b"<p>new</p>", b"a")


def test_without_a_base_url_no_share_tags_no_sitemap(tmp_path: Path) -> None:
    folder = copy_data(TEST_DATA / "valid", tmp_path / "data")
    build_site(folder, tmp_path / "out", environ=ENV)
    out = tmp_path / "out"
    assert not (out / "sitemap.xml").exists() and not (out / "robots.txt").exists()
    for page in pages(out):
        html = page.read_text(encoding="utf-8")
        assert 'rel="canonical"' not in html and "og:" not in html
    r = json.loads((out / "downloads" / "claimreviews.json").read_text())[0]
    assert not r["url"].startswith("http")


# ------------------------------------------------------------------------ hostile data
@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from test_hostile import HOSTILE, hostile_folder

    base = tmp_path_factory.mktemp("hostile-site")
    folder = hostile_folder(base / "data")
    claims = read_rows(folder / "claims.csv")
    for c in claims:
        c["headline"] = HOSTILE[:200]
    write_rows(folder / "claims.csv", claims)
    (folder / "methodology.md").write_text(HOSTILE + "\n\n" + HOSTILE, encoding="utf-8")
    (folder / "corrections.csv").write_text(
        f'date,change,target,note\n2026-11-26,correction,claim:claim-text,"{HOSTILE.replace(chr(34), chr(34) * 2)}"\n',
        encoding="utf-8",
    )
    build_site(folder, base / "out", base_url=BASE_URL, publisher=HOSTILE, environ=ENV)
    return base / "out"


def test_hostile_data_is_inert_on_every_page(hostile_site: Path) -> None:
    for page in pages(hostile_site):
        parsed = parse(page)
        assert parsed.handlers == [], page
        for script in parsed.scripts:
            assert script.get("src", "").startswith(("assets/", "../assets/")) or script.get(
                "type"
            ) in ("application/ld+json", "application/json")  # type: ignore[union-attr]
        for ref in parsed.refs:
            assert not ref.strip().lower().startswith(("javascript:", "data:text")), (page, ref)
        html = page.read_text(encoding="utf-8")
        assert (
            "<script>alert" not in html and "<img src=x" not in html and "<svg onload" not in html
        )


def test_hostile_data_in_feeds_and_sitemap(hostile_site: Path) -> None:
    import feedparser

    for name in ("claims.xml", "corrections.xml"):
        feed = feedparser.parse((hostile_site / "feeds" / name).read_bytes())
        assert not feed.bozo, (name, feed.get("bozo_exception"))
        for e in feed.entries:
            assert (
                "<script>" not in e.get("summary_detail", {}).get("value", "")
                or e.summary_detail.type == "text/plain"
            )
    ET.parse(hostile_site / "sitemap.xml")
    for review in json.loads((hostile_site / "downloads" / "claimreviews.json").read_text()):
        assert review["author"]["name"].startswith("<script>")  # data, kept as text


def test_not_rated_claim_page_has_no_claimreview(tmp_path: Path) -> None:
    folder = copy_data(TEST_DATA / "valid", tmp_path / "data")
    build_site(folder, tmp_path / "out", base_url=BASE_URL, environ=ENV)
    for c in read_rows(folder / "claims.csv"):
        html = (tmp_path / "out" / "claims" / f"{c['id']}.html").read_text(encoding="utf-8")
        assert ("application/ld+json" in html) == (c["verdict"] != "not-rated")


def test_csv_text_stays_csv(tmp_path: Path) -> None:
    folder = copy_data(TEST_DATA / "contract", tmp_path / "data")
    build_site(folder, tmp_path / "out", environ=ENV)
    rows = list(
        csv.DictReader(io.StringIO((tmp_path / "out" / "downloads" / "claims.csv").read_text()))
    )
    assert rows[0]["headline"] and rows[0]["claimant_type"] == "person"
    html = (tmp_path / "out" / "claims" / f"{rows[0]['id']}.html").read_text(encoding="utf-8")
    assert (
        f"<title>{rows[0]['headline']}</title>" in html
    )  # "Pompeo says ...": it names Mike Pompeo
    ld = json.loads(html.split('<script type="application/ld+json">')[1].split("</script>")[0])
    assert (
        ld["itemReviewed"]["author"]["@type"] == "Person"
        and ld["claimReviewed"] == rows[0]["headline"]
    )


# ------------------------------------------------------- bottom lines and the publisher (#20, #23)
def test_without_a_bottom_line_the_description_is_the_verdict_and_there_is_no_review_body(
    tmp_path: Path,
) -> None:
    import extruct

    folder = copy_data(TEST_DATA / "valid", tmp_path / "data")
    build_site(folder, tmp_path / "out", base_url=BASE_URL, environ=ENV)
    c = read_rows(folder / "claims.csv")[0]
    html = (tmp_path / "out" / "claims" / f"{c['id']}.html").read_text(encoding="utf-8")
    data = extruct.extract(html, base_url=BASE_URL, syntaxes=["json-ld", "opengraph"], uniform=True)
    v = VERDICT_BY_KEY[c["verdict"]]
    assert data["opengraph"][0]["og:description"] == f"{v.label}. {c['claimant']}: {v.meaning}"
    assert "reviewBody" not in data["json-ld"][0]
    assert "tl-bottom-line" not in html


def test_a_bottom_line_shows_under_the_verdict_on_the_page_the_card_and_the_embed(
    tmp_path: Path,
) -> None:
    folder = copy_data(TEST_DATA / "valid", tmp_path / "data")
    rows = read_rows(folder / "claims.csv")
    for n, row in enumerate(rows):
        row["bottom_line"] = f"Bottom <b>line</b> {n} & more." if n == 0 else ""
    write_rows(folder / "claims.csv", rows)
    build_site(folder, tmp_path / "out", base_url=BASE_URL, environ=ENV)
    out, cid, shown = (
        tmp_path / "out",
        rows[0]["id"],
        "Bottom &lt;b&gt;line&lt;/b&gt; 0 &amp; more.",
    )
    page = (out / "claims" / f"{cid}.html").read_text(encoding="utf-8")
    verdict_line = page.index('class="tl-verdict-line"')
    assert (
        verdict_line
        < page.index(f'<p class="tl-bottom-line"><b>Bottom line:</b> <bdi>{shown}</bdi></p>')
        < page.index("tl-claim-h")
    )
    index = (out / "index.html").read_text(encoding="utf-8")
    card = index.split(f'id="claim-{cid}"', 1)[1].split("</li>", 1)[0]
    assert card.index("tl-claimant") < card.index(
        f'<p class="tl-bottom-line"><b>Bottom line:</b> <bdi>{shown}</bdi></p>'
    )
    assert index.count("tl-bottom-line") == 1
    assert f'<p class="tl-bottom-line" dir="auto">{shown}</p>' in (out / "embed.html").read_text(
        encoding="utf-8"
    )


def test_story_json_names_the_publisher_and_the_command_line_wins(tmp_path: Path) -> None:
    folder = copy_data(TEST_DATA / "valid", tmp_path / "data")
    (folder / "story.json").write_text(json.dumps({"title": "T", "publisher": {
        "name": "Desk <One>", "url": "https://desk.example.org/", "address": "1 High St",
        "contact": "desk@example.org", "funding": "Readers' subscriptions"}}), encoding="utf-8")  # fmt: skip
    rated = next(c["id"] for c in read_rows(folder / "claims.csv") if c["verdict"] != "not-rated")

    def author(out: Path) -> dict:
        html = (out / "claims" / f"{rated}.html").read_text(encoding="utf-8")
        return json.loads(
            html.split('<script type="application/ld+json">')[1].split("</script>")[0]
        )["author"]

    build_site(folder, tmp_path / "a", base_url=BASE_URL, environ=ENV)
    assert author(tmp_path / "a") == {
        "@type": "Organization",
        "name": "Desk <One>",
        "url": "https://desk.example.org/",
    }
    about = (tmp_path / "a" / "about.html").read_text(encoding="utf-8")
    for text in ("Desk &lt;One&gt;", "1 High St", "desk@example.org", "Readers&#39; subscriptions"):
        assert text in about
    for page in pages(tmp_path / "a"):
        if page.name != "embed.html":
            assert 'about.html">Who we are</a>' in page.read_text(encoding="utf-8"), page
    result = CliRunner().invoke(cli, ["site", str(folder), "-o", str(tmp_path / "b"), "--base-url", BASE_URL,
                                      "--publisher", PUBLISHER], env=ENV)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert author(tmp_path / "b") == {"@type": "Organization", "name": PUBLISHER, "url": BASE_URL}
    assert "desk.example.org" not in (tmp_path / "b" / "about.html").read_text(encoding="utf-8")


def test_a_bad_publisher_in_story_json_is_refused_with_the_fix(tmp_path: Path) -> None:
    folder = copy_data(TEST_DATA / "valid", tmp_path / "data")
    (folder / "story.json").write_text(
        '{"publisher": {"name": "D", "phone": "1"}}', encoding="utf-8"
    )
    result = CliRunner().invoke(cli, ["site", str(folder), "-o", str(tmp_path / "out")], env=ENV)
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert (
        "story.json:1: publisher has unknown field(s) phone; use only name, url, address"
        in result.output
    )
    assert not (tmp_path / "out" / "index.html").exists()
