"""A page per claimant and per category (issue 25, point 3): content and links read from the
built HTML, one claimant identity in ClaimReview (read by extruct), the sitemap, stable slugs."""

from __future__ import annotations

import csv
import shutil
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from timeline.core.claimants import page_slugs, slug, spelling_key
from timeline.publish.site import build_site

ROOT = Path(__file__).resolve().parents[2]
BASE_URL = "https://factcheck.example.org/archive/"
ENV = {"SOURCE_DATE_EPOCH": "1767225600"}

# Two claimants whose names slug alike (neither has a Latin letter) and one with three claims
# given out of time order in claims.csv.
CLAIMS = [
    # id, event_id, claimant, verdict, claimant_type
    ("late", "retaliation", "Donald Trump", "disputed", "person"),
    ("early", "strike", "Donald Trump", "needs-context", "person"),
    ("middle", "statement", "Donald Trump", "inaccurate", ""),
    ("ru", "statement", "Министерство обороны", "accurate", "organization"),
    ("fa", "commons", "وزارت خارجه", "not-rated", "organization"),
]


class Page(HTMLParser):
    """A page's links (href -> text), ids, and the text of elements by id."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []
        self.ids: set[str] = set()
        self.text: list[str] = []
        self._href: str | None = None
        self._open: list[str] = []
        self.rows: list[tuple[str, str]] = []  # (verdict key, count text) in the verdict table
        self._row: str | None = None
        self._cell = ""
        self.claims: list[str] = []  # the claim hrefs of the page's list, in order
        self._in_list = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(str(a["id"]))
        if tag == "a":
            self._href, self.text = str(a.get("href")), []
            if self._in_list:
                self.claims.append(str(a.get("href")))
        if tag == "tr" and a.get("data-verdict"):
            self._row = str(a["data-verdict"])
        if tag == "td" and "tl-count" in str(a.get("class")):
            self._cell = "count"
        if tag == "ol" and "tl-group-claims" in str(a.get("class")):
            self._in_list = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href is not None:
            self.links.append((self._href, "".join(self.text).strip()))
            self._href = None
        if tag == "ol":
            self._in_list = False

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._cell == "count" and self._row:
            self.rows.append((self._row, data.strip()))
            self._cell, self._row = "", None


def parse(path: Path) -> Page:
    p = Page()
    p.feed(path.read_text(encoding="utf-8"))
    return p


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("groups")
    folder = base / "data"
    shutil.copytree(
        ROOT / "tests" / "data" / "warnings" / "category-once",
        folder,
        ignore=shutil.ignore_patterns("*.md", "*.txt"),
    )
    header = "id,event_id,claimant,claim,said_in,verdict,rationale,evidence,reviewed,headline,claimant_type\n"
    with open(folder / "claims.csv", "w", encoding="utf-8", newline="") as f:
        f.write(header)
        w = csv.writer(f, lineterminator="\n")
        for cid, event, who, verdict, kind in CLAIMS:
            w.writerow([cid, event, who, f"Claim {cid}.", "src-news", verdict, "Checked.", "src-dod", "2026-11-25",
                        f"Headline {cid}", kind])  # fmt: skip
    build_site(folder, base / "out", base_url=BASE_URL, environ=ENV)
    return folder, base / "out"


def test_slugs_are_readable_stable_and_never_collide() -> None:
    assert slug("Prime Minister's official spokesman") == "prime-minister-s-official-spokesman"
    assert slug("José Pérez") == "jose-perez"
    names = ["Министерство обороны", "وزارت خارجه", "Jose Perez", "José Pérez"]
    slugs = page_slugs(names)
    assert len(set(slugs.values())) == 4
    assert slugs["Министерство обороны"] == "claimant" and slugs["Jose Perez"] == "jose-perez"
    # Adding a later name never renames an earlier page.
    assert page_slugs([*names, "Jose  Perez!"]).items() >= slugs.items()
    assert page_slugs(names) == slugs


def test_spelling_key_is_conservative() -> None:
    assert spelling_key("PM's spokesman") == spelling_key("Prime Minister's official spokesman")
    assert spelling_key("the Prime Minister’s Official Spokesman") == spelling_key(
        "Prime Minister's official spokesman"
    )
    assert spelling_key("City A.M.") == spelling_key("city am")
    for a, b in [("Donald Trump", "City A.M., quoting Donald Trump"), ("Iranian official", "Iranian"),
                 ("PM", "Prime Minister's spokesman"), ("Department of Defense", "Department of State")]:  # fmt: skip
        assert spelling_key(a) != spelling_key(b), (a, b)


def test_claimant_page_lists_claims_in_time_order_with_counts(built: tuple[Path, Path]) -> None:
    _, out = built
    page = parse(out / "claimants" / "donald-trump.html")
    # strike (3 Jan) < statement (5 Jan) < retaliation (8 Jan), whatever claims.csv's order.
    assert page.claims == ["../claims/early.html", "../claims/middle.html", "../claims/late.html"]
    assert dict(page.rows) == {"accurate": "0", "needs-context": "1", "disputed": "1", "unsubstantiated": "0",
                               "inaccurate": "1", "not-rated": "0"}  # fmt: skip
    html = (out / "claimants" / "donald-trump.html").read_text(encoding="utf-8")
    assert "<caption>Verdicts: <bdi>Donald Trump</bdi> (3 claims)</caption>" in html
    assert (
        html.count('class="tl-verdict tl-verdict--') == 6 + 3
    )  # the table's badges, then each claim's
    assert '<rect class="tl-bar--disputed" width="100.0"' in html and "<script" not in html.replace(
        '<script type="application/ld+json">', ""
    )
    for href, _text in page.links:
        if not href.startswith(("http", "#")):
            assert (out / "claimants" / href.split("#")[0]).resolve().is_file(), href


def test_two_names_that_slug_alike_get_two_pages(built: tuple[Path, Path]) -> None:
    _, out = built
    pages = sorted(p.name for p in (out / "claimants").iterdir())
    assert len(pages) == 3 and "claimant.html" in pages and "donald-trump.html" in pages
    names = {p: parse(out / "claimants" / p).links for p in pages}
    assert any(("../claims/ru.html", "Headline ru") in v for v in names.values())
    assert any(("../claims/fa.html", "Headline fa") in v for v in names.values())


def test_category_pages_and_links_from_claim_pages_and_the_index(built: tuple[Path, Path]) -> None:
    _, out = built
    military = parse(out / "categories" / "military.html")
    assert military.claims == ["../claims/early.html", "../claims/late.html"]
    assert dict(military.rows)["needs-context"] == "1" and dict(military.rows)["disputed"] == "1"
    claim = parse(out / "claims" / "early.html")
    assert ("../claimants/donald-trump.html", "Donald Trump") in claim.links
    assert ("../categories/military.html", "military") in claim.links
    index = parse(out / "index.html")
    assert ("claimants/donald-trump.html", "Donald Trump") in index.links
    assert ("categories/diplomacy.html", "diplomacy") in index.links
    assert {"tl-claimant-list", "tl-category-list"} <= index.ids
    # A lane's events, in time order, each linked to its place on the timeline (the index's anchor).
    html = (out / "categories" / "diplomacy.html").read_text(encoding="utf-8")
    events = [h for h, _ in parse(out / "categories" / "diplomacy.html").links if "#event-" in h]
    assert events == [
        "../index.html#event-statement",
        "../index.html#event-commons",
    ]
    assert all(f"event-{e.split('#event-')[1]}" in index.ids for e in events)
    assert "in this category's 2 events" in html
    assert "No claim checked yet." in (out / "categories" / "diplomcy.html").read_text(
        encoding="utf-8"
    )
    lanes = {p.stem for p in (out / "categories").iterdir()}
    assert lanes == {"military", "diplomacy", "diplomcy"}


def test_one_claimant_identity_in_claimreview(built: tuple[Path, Path]) -> None:
    import extruct

    _, out = built
    identity = f"{BASE_URL}claimants/donald-trump.html"
    authors = []
    for cid in ("early", "middle", "late"):
        html = (out / "claims" / f"{cid}.html").read_text(encoding="utf-8")
        data = extruct.extract(
            html, base_url=f"{BASE_URL}claims/{cid}.html", syntaxes=["json-ld"], uniform=True
        )
        (review,) = [d for d in data["json-ld"] if d.get("@type") == "ClaimReview"]
        authors.append(review["itemReviewed"]["author"])
    # "middle" has no claimant_type: the claimant's first one holds for every review.
    assert (
        authors
        == [{"@id": f"{identity}#id", "@type": "Person", "name": "Donald Trump", "url": identity}]
        * 3
    )
    html = (out / "claimants" / "donald-trump.html").read_text(encoding="utf-8")
    (profile,) = extruct.extract(html, base_url=identity, syntaxes=["json-ld"], uniform=True)[
        "json-ld"
    ]
    assert profile["@type"] == "ProfilePage" and profile["mainEntity"] == authors[0]


def test_sitemap_lists_every_claimant_and_category_page(built: tuple[Path, Path]) -> None:
    _, out = built
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = {
        u.findtext("s:loc", namespaces=ns)
        for u in ET.parse(out / "sitemap.xml").getroot().findall("s:url", ns)
    }
    written = {
        f"{BASE_URL}{p.relative_to(out).as_posix()}"
        for d in ("claimants", "categories")
        for p in (out / d).iterdir()
    }
    assert len(written) == 6 and written <= locs


def test_without_a_base_url_no_identity(tmp_path: Path, built: tuple[Path, Path]) -> None:
    folder, _ = built
    build_site(folder, tmp_path / "out", environ=ENV)
    html = (tmp_path / "out" / "claims" / "early.html").read_text(encoding="utf-8")
    assert '"@id"' not in html and 'href="../claimants/donald-trump.html"' in html
    assert "application/ld+json" not in (
        tmp_path / "out" / "claimants" / "donald-trump.html"
    ).read_text(encoding="utf-8")


def test_the_shipped_story_has_no_claimant_spelling_warning() -> None:
    import timeline

    problems = timeline.load(ROOT / "data").validate()
    assert [str(p) for p in problems if p.column == "claimant"] == []


def test_a_rebuild_removes_the_page_of_a_claimant_who_is_gone(
    tmp_path: Path, built: tuple[Path, Path]
) -> None:
    folder = shutil.copytree(built[0], tmp_path / "data")
    out = tmp_path / "out"
    build_site(folder, out, environ=ENV)
    text = (folder / "claims.csv").read_text(encoding="utf-8")
    (folder / "claims.csv").write_text(
        text.replace("Donald Trump", "Mike Pompeo"), encoding="utf-8"
    )
    report = build_site(folder, out, environ=ENV)
    assert "claimants/donald-trump.html" in report.removed
    assert "claimants/mike-pompeo.html" in report.written
    assert (
        "claimants/claimant.html" in report.unchanged
    )  # the other claimants' pages keep their bytes
