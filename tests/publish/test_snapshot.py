"""`timeline snapshot`: one offline HTML file, checked in headless Chromium against the data.

Each snapshot is built once per module (a build starts a kernel): the shipped
story through the CLI, the same story again through the library (determinism),
and a hostile variant of tests/data/valid (escaping, JSON-LD safety).
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import DATA, TEST_DATA, open_page
from playwright.sync_api import expect
from snapshot_support import (
    AXE,
    PLOTLY_BANNER,
    Offline,
    Story,
    axe_violations,
    card_links,
    count_text,
    open_snapshot,
    page_scripts,
    read_story,
    split_list,
    visible_events,
    without_plotly,
    write_rows,
)

from timeline.cli import cli
from timeline.core.schema import VERDICT_BY_KEY
from timeline.errors import ExportError
from timeline.publish import claimreview, provenance, snapshot
from timeline.publish.snapshot import (
    DEFAULT_PUBLISHER,
    LOADER,
    check_base_url,
    content_security_policy,
    export_snapshot,
    script_safe,
)
from timeline.version import __version__
from timeline.views.render import SCRIPTS_AFTER

EPOCH = "1767225600"  # 2026-01-01T00:00:00Z
BUILT = "2026-01-01T00:00:00Z"
PUBLISHER = "Example Fact Desk"
BASE_URL = "https://example.org/timeline/"
XSS_TITLE = "<img src=x onerror=alert(1)>"
XSS_CLAIM = 'He said "</script><script>alert(2)</script>" and <!-- <script> then more words well past the limit'


# ------------------------------------------------------------------------------ builds
@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    """The shipped story, built by the CLI: (data folder, index.html, CLI output)."""
    base = tmp_path_factory.mktemp("shipped")
    folder = base / "data"
    shutil.copytree(DATA, folder)
    out = base / "site"
    result = CliRunner().invoke(
        cli,
        [
            "snapshot",
            str(folder),
            "-o",
            str(out),
            "--publisher",
            PUBLISHER,
            "--base-url",
            BASE_URL,
            "--claimreview",
        ],  # fmt: skip
        env={"SOURCE_DATE_EPOCH": EPOCH},
    )
    assert result.exit_code == 0, result.output
    return folder, out / "index.html", result.output


@pytest.fixture(scope="module")
def story(shipped: tuple[Path, Path, str]) -> Story:
    return read_story(shipped[0])


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """tests/data/valid with markup and script in its texts, built by the library, no base URL.

    Built as an installed package would be, without the checkout's notebooks/ folder
    (export_snapshot then runs the same one call the dashboard notebook holds).
    """
    base = tmp_path_factory.mktemp("hostile")
    folder = base / "data"
    shutil.copytree(TEST_DATA / "valid", folder)
    s = read_story(folder)
    for e in s.events:
        if e["id"] == "statement":
            e["title"] = XSS_TITLE
            e["summary"] = '"><svg onload=alert(3)> & <b>bold</b>'
    for c in s.claims:
        if c["id"] == "right-to-act":
            c["claim"] = XSS_CLAIM
            c["claimant"] = "</script>Spokes<i>person</i>"
    write_rows(folder / "events.csv", s.events)
    write_rows(folder / "claims.csv", s.claims)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(snapshot, "DASHBOARD_NOTEBOOK", base / "no-such-notebook.ipynb")
        path = export_snapshot(
            folder, base / "site", environ={"SOURCE_DATE_EPOCH": EPOCH}, claimreview=True
        )
    return folder, path


def _html(path: Path) -> str:
    return path.read_text(encoding="utf-8")


# --------------------------------------------------------------------- the file itself
def test_cli_reports_the_file(shipped: tuple[Path, Path, str]) -> None:
    _, path, output = shipped
    assert output == f"Wrote {path}\n"
    assert sorted(p.name for p in path.parent.iterdir()) == ["index.html"]


def test_one_self_contained_file(shipped: tuple[Path, Path, str]) -> None:
    from timeline.views.assets import asset_text, plotly_js

    html = _html(shipped[1])
    assert html.count(PLOTLY_BANNER) == 1, "plotly.js must be inlined exactly once"
    assert script_safe(plotly_js()) in html
    assert script_safe(asset_text("timeline.js")) in html
    rest = without_plotly(html)
    tags = re.findall(r"<script\b[^>]*>", rest)
    data_blocks = [t for t in tags if re.search(r'type="application/(ld\+)?json"', t)]
    assert '<script type="application/ld+json" id="tl-claimreview">' in data_blocks
    # plotly.js (left out above) and timeline.js held inert, then the loader that runs them
    assert [t for t in tags if t not in data_blocks] == [
        "<script>",
        '<script type="text/plain" id="tl-timeline-src">',
        "<script>",
    ]
    for needle in ("<script src", '<link rel="stylesheet', "@import", "<iframe", "<img"):
        assert needle not in rest.lower(), needle
    for needle in (
        "require.js",
        "require.min.js",
        "mathjax",
        "jupyter-widgets",
        "unpkg.com",
        "jsdelivr",
        "cdnjs",
        "fonts.googleapis",
    ):
        assert needle not in rest.lower(), needle
    assert "from timeline.notebook import show" not in html  # no input cell
    assert "jp-" not in rest  # no Jupyter CSS classes or wrappers
    assert (
        rest.index("<style>")
        < rest.index('id="timeline-app"')
        < rest.index("<script>PLOTLY</script>")
    )


def test_content_security_policy_allows_only_our_scripts(shipped: tuple[Path, Path, str]) -> None:
    html = _html(shipped[1])
    csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html)
    assert csp is not None
    policy = csp.group(1).replace("&#39;", "'")
    scripts = page_scripts(html)
    assert len(scripts) == 3 and scripts[2] == LOADER
    assert policy == content_security_policy(*scripts)
    assert "default-src 'none'" in policy
    assert "'unsafe-inline'" not in policy.split("script-src", 1)[1].split(";", 1)[0]


def test_provenance_in_meta_and_footer(shipped: tuple[Path, Path, str]) -> None:
    folder, path, _ = shipped
    html = _html(path)
    meta = dict(re.findall(r'<meta name="(timeline:[^"]+)" content="([^"]*)">', html))
    digests = {
        name: hashlib.sha256((folder / name).read_bytes()).hexdigest()
        for name in ("events.csv", "claims.csv", "sources.csv", "story.json")
    }
    assert meta == {
        "timeline:built": BUILT,
        "timeline:version": __version__,
        "timeline:git-commit": "none",  # the copy is outside any git checkout
        **{f"timeline:sha256:{n}": d for n, d in digests.items()},
    }
    footer = html[html.index('<footer id="tl-provenance"') : html.index("</footer>")]
    assert f'<time datetime="{BUILT}">1 Jan 2026, 00:00 UTC</time>' in footer
    assert f"timeline {__version__}" in footer
    for name, digest in digests.items():
        assert f"<dt>SHA-256 of {name}</dt><dd><code>{digest}</code></dd>" in footer


def test_same_data_and_epoch_give_the_same_bytes(
    shipped: tuple[Path, Path, str], tmp_path: Path
) -> None:
    folder, first, _ = shipped
    again = export_snapshot(
        folder,
        tmp_path / "again",
        publisher=PUBLISHER,
        base_url=BASE_URL,
        environ={"SOURCE_DATE_EPOCH": EPOCH},
        claimreview=True,
    )
    assert again.read_bytes() == first.read_bytes()


def test_claimreview_only_when_asked_and_claims_link_their_pages(
    shipped: tuple[Path, Path, str], story: Story, tmp_path: Path
) -> None:
    html = _html(shipped[1])
    for c in story.claims:  # --base-url: each claim links its page of the microsite built there
        assert f'<a href="{BASE_URL}claims/{c["id"]}.html">' in html
    plain = export_snapshot(shipped[0], tmp_path / "plain", environ={"SOURCE_DATE_EPOCH": EPOCH})
    text = _html(plain)
    assert "application/ld+json" not in text
    assert 'class="tl-permalink"' not in text  # no base URL: no claim pages to link


def test_refuses_data_with_errors(valid_folder: Path, tmp_path: Path) -> None:
    s = read_story(valid_folder)
    s.claims[0]["verdict"] = "Flase"
    write_rows(valid_folder / "claims.csv", s.claims)
    from timeline import load

    problems = [str(p) for p in load(valid_folder).errors()]
    out = tmp_path / "site"
    result = CliRunner().invoke(cli, ["snapshot", str(valid_folder), "-o", str(out)])
    assert result.exit_code == 1
    assert result.output == (
        f"Error: Refusing to snapshot: {len(problems)} error{'s' * (len(problems) != 1)} in the data "
        "(nothing was written).\n" + "\n".join(problems) + "\n"
    )
    assert not out.exists()


def test_cli_rejects_a_base_url_that_is_not_http() -> None:
    result = CliRunner().invoke(cli, ["snapshot", "data", "--base-url", "javascript:alert(1)"])
    assert result.exit_code == 2
    assert (
        "Invalid value for '--base-url': base URL 'javascript:alert(1)' is not an absolute http(s) URL"
        in result.output
    )


@pytest.mark.parametrize(
    "bad", ["example.org", "ftp://example.org/", "https://", "https://a b/", "https://e.org/#x"]
)
def test_check_base_url_refuses(bad: str) -> None:
    with pytest.raises(ExportError):
        check_base_url(bad)


# ----------------------------------------------------------------------- provenance
def test_source_date_epoch_fixes_the_build_time() -> None:
    assert (
        provenance.build_time({"SOURCE_DATE_EPOCH": EPOCH}).strftime("%Y-%m-%dT%H:%M:%SZ") == BUILT
    )
    with pytest.raises(ExportError, match="SOURCE_DATE_EPOCH='yesterday' is not a number"):
        provenance.build_time({"SOURCE_DATE_EPOCH": "yesterday"})


def test_git_commit_and_dirty_data(valid_folder: Path) -> None:
    repo = valid_folder.parent
    git = [
        "git",
        "-C",
        str(repo),
        "-c",
        "user.name=t",
        "-c",
        "user.email=t@example.org",
        "-c",
        "commit.gpgsign=false",
    ]
    assert provenance.git_state(valid_folder) == (None, False)
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "data"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "data"], check=True)
    head = subprocess.run(
        [*git, "rev-parse", "HEAD"], check=True, capture_output=True, text=True
    ).stdout.strip()
    assert provenance.git_state(valid_folder) == (head, False)
    p = provenance.collect(valid_folder, environ={"SOURCE_DATE_EPOCH": EPOCH})
    assert ("timeline:git-commit", head) in p.meta()
    assert ("timeline:git-data-committed", "yes") in p.meta()
    with open(valid_folder / "events.csv", "a", encoding="utf-8") as f:
        f.write("late,2020-02-01,,,Late,,diplomacy,,,src-a\n")
    assert provenance.git_state(valid_folder) == (head, True)


# ---------------------------------------------------------------------- ClaimReview
def test_claim_reviewed_is_the_headline_else_the_whole_claim() -> None:
    long = "The States have a right to take action such as this in self defence, said the spokesman today"
    assert claimreview.claim_reviewed({"claim": f"  {long}\n", "headline": ""}) == long
    assert (
        claimreview.claim_reviewed({"claim": long, "headline": " Short  summary "})
        == "Short summary"
    )


def test_claimant_types_come_from_the_data_never_a_guess() -> None:
    assert claimreview.claimant_schema_type({"claimant_type": "person"}) == "Person"
    assert claimreview.claimant_schema_type({"claimant_type": "organization"}) == "Organization"
    assert claimreview.claimant_schema_type({"claimant_type": ""}) == "Thing"
    assert claimreview.claimant_schema_type({}) == "Thing"


def test_script_text_cannot_close_its_element() -> None:
    reviews = [{"claimReviewed": "</script><!-- <script>", "x": "a<b"}]
    text = claimreview.script_text(reviews)
    assert "<" not in text
    assert json.loads(text) == reviews


def _expected_reviews(story: Story, base_url: str, publisher: str) -> dict[str, dict[str, object]]:
    out = {}
    for c in story.rated:
        said_in = story.sources[c["said_in"]]
        item: dict[str, object] = {"@type": "Claim", "author": c["claimant"]}
        if said_in["published"]:
            item["datePublished"] = said_in["published"]
        if said_in["url"]:
            item["appearance"] = {"@type": "CreativeWork", "url": said_in["url"]}
        v = VERDICT_BY_KEY[c["verdict"]]
        out[f"{base_url}#claim-{c['id']}"] = {
            "claim": c["claim"],
            "headline": c.get("headline", ""),
            "datePublished": c["reviewed"],
            "author": {"@type": "Organization", "name": publisher},
            "reviewRating": {
                "@type": "Rating",
                "ratingValue": v.rating,
                "bestRating": 5,
                "worstRating": 1,
                "alternateName": v.label,
            },
            "itemReviewed": item,
        }
    return out


def _check_reviews(found: list[dict[str, object]], expected: dict[str, dict[str, object]]) -> None:
    assert len(found) == len(expected)
    by_url = {r["url"]: r for r in found}
    assert set(by_url) == set(expected)
    for url, want in expected.items():
        got = dict(by_url[url])
        assert got["@context"] == "https://schema.org"
        assert got["@type"] == "ClaimReview"
        claim = " ".join(str(want["headline"] or want["claim"]).split())
        assert got["claimReviewed"] == claim
        for key in ("datePublished", "author", "reviewRating"):
            assert got[key] == want[key], (url, key)
        item = dict(got["itemReviewed"])  # type: ignore[arg-type]
        want_item = dict(want["itemReviewed"])  # type: ignore[arg-type]
        author = item.pop("author")
        assert author["name"] == want_item.pop("author")
        assert author["@type"] in ("Person", "Organization", "Thing")
        assert item == want_item, url


# ---------------------------------------------------------------- in the browser, offline
@pytest.fixture(scope="module")
def loaded(browser, shipped):  # type: ignore[no-untyped-def]
    """The shipped snapshot loaded once, offline, its chart drawn: (page, its request log), for
    the checks that only read the page as it comes up (they change nothing in it)."""
    page = open_page(browser)
    try:
        yield page, open_snapshot(page, shipped[1])
    finally:
        page.context.close()


@pytest.mark.browser
def test_loads_offline_draws_the_chart_without_errors(loaded, shipped, story) -> None:  # type: ignore[no-untyped-def]
    page, offline = loaded
    assert offline.requests == [shipped[1].resolve().as_uri()]
    assert offline.blocked == []
    assert page.locator("#tl-chart .scatterlayer .point").count() == len(story.events)
    assert page.console_errors == []


@pytest.mark.browser
def test_counts_match_the_data(loaded, story) -> None:  # type: ignore[no-untyped-def]
    page, _ = loaded
    n, c = len(story.events), len(story.claims)
    assert page.locator("#tl-list > li.tl-event").count() == n
    assert page.locator("li.tl-claim").count() == c
    assert count_text(page) == f"{n} of {n} events, {c} of {c} claims"
    ids = [
        li.split("event-", 1)[1]
        for li in page.eval_on_selector_all("#tl-list > li.tl-event", "ls => ls.map(l => l.id)")
    ]
    assert Counter(ids) == Counter(e["id"] for e in story.events)
    badges = page.eval_on_selector_all(
        "li.tl-claim",
        "ls => ls.map(l => [l.id.slice(6), l.querySelector('.tl-verdict').textContent])",
    )
    for claim_id, text in badges:
        label = next(
            VERDICT_BY_KEY[c["verdict"]].label for c in story.claims if c["id"] == claim_id
        )
        assert label in text, (claim_id, text)
    assert len(badges) == c


def _check_links(links: dict[str, dict[str, list[str]]], story: Story) -> None:
    assert links["claims"] == {c["id"]: story.urls(story.claim_source_ids(c)) for c in story.claims}
    assert links["events"] == {e["id"]: story.urls(split_list(e["sources"])) for e in story.events}


@pytest.mark.browser
def test_every_claim_links_to_its_sources(loaded, story) -> None:  # type: ignore[no-untyped-def]
    page, _ = loaded
    _check_links(card_links(page), story)
    hrefs = page.eval_on_selector_all("a[href]", "as => as.map(a => a.getAttribute('href'))")
    assert hrefs and all(re.match(r"^(https?://|#)", h) for h in hrefs), [
        h for h in hrefs if not re.match(r"^(https?://|#)", h)
    ]


def _choose(page, select: str, value: str, expected: set[str], total: int) -> None:  # type: ignore[no-untyped-def]
    page.select_option(select, value=value)
    expect(page.locator("#tl-count")).to_have_text(
        re.compile(rf"^{len(expected)} of {total} events")
    )
    assert set(visible_events(page)) == expected, (select, value)
    page.click("#tl-clear")
    expect(page.locator("#tl-count")).to_have_text(re.compile(rf"^{total} of {total} events"))


def _unique_title_word(story: Story) -> tuple[str, str]:
    """A word in exactly one event's title and in no other cell of the three files."""

    def words(text: str) -> set[str]:
        return {w.casefold() for w in re.findall(r"[A-Za-z]{6,}", text)}

    seen: Counter[str] = Counter()
    for rows in (story.events, story.claims, list(story.sources.values())):
        for row in rows:
            for word in words(" ".join(row.values())):
                seen[word] += 1
    for e in story.events:
        for word in sorted(words(e["title"])):
            if seen[word] == 1:
                return e["id"], word
    raise AssertionError("no event title has a word of its own to search for")


@pytest.mark.browser
def test_filters_and_search(page, shipped, story) -> None:  # type: ignore[no-untyped-def]
    open_snapshot(page, shipped[1])
    n = len(story.events)
    categories = Counter(e["category"] for e in story.events)
    category = min(categories, key=lambda k: (categories[k], k))
    _choose(
        page,
        "#tl-filter-category",
        category,
        {e["id"] for e in story.events if e["category"] == category},
        n,
    )

    actors = Counter(a for e in story.events for a in split_list(e["actors"]))
    actor = max(actors, key=lambda k: (actors[k] < n, actors[k], k))
    _choose(
        page,
        "#tl-filter-actor",
        actor,
        {e["id"] for e in story.events if actor in split_list(e["actors"])},
        n,
    )

    for verdict in sorted({c["verdict"] for c in story.claims}):
        events = {c["event_id"] for c in story.claims if c["verdict"] == verdict}
        _choose(page, "#tl-filter-verdict", verdict, events, n)

    event_id, word = _unique_title_word(story)
    page.fill("#tl-search", word.upper())
    expect(page.locator("#tl-count")).to_have_text(re.compile(rf"^1 of {n} events"))
    assert visible_events(page) == [event_id]
    page.press("#tl-search", "Enter")  # must not submit the form (no reload, no CSP error)
    page.fill("#tl-search", "zzqx no such text anywhere")
    expect(page.locator("#tl-empty")).to_be_visible()
    expect(page.locator("#tl-count")).to_have_text(re.compile(rf"^0 of {n} events"))
    assert visible_events(page) == []
    page.click("#tl-clear")
    expect(page.locator("#tl-count")).to_have_text(re.compile(rf"^{n} of {n} events"))
    expect(page.locator("#tl-empty")).to_be_hidden()
    assert len(visible_events(page)) == n
    assert page.url == shipped[1].resolve().as_uri()
    assert page.console_errors == []


@pytest.mark.parametrize("kind", ["event", "claim"])
@pytest.mark.browser
def test_deep_links_land_and_highlight(page, shipped, story, kind: str) -> None:  # type: ignore[no-untyped-def]
    rows = story.events if kind == "event" else story.claims
    target = rows[len(rows) * 3 // 4]["id"]  # far enough down the page to need a scroll
    open_snapshot(page, shipped[1], f"{kind}-{target}")
    el = page.locator(f"#{kind}-{target}")
    expect(el).to_have_class(re.compile(r"\btl-highlight\b"))
    expect(el).to_be_in_viewport()
    assert page.evaluate("window.scrollY") > 0
    other = rows[0]["id"]
    page.evaluate(f"location.hash = '#{kind}-{other}'")
    expect(page.locator(f"#{kind}-{other}")).to_have_class(re.compile(r"\btl-highlight\b"))
    expect(el).not_to_have_class(re.compile(r"\btl-highlight\b"))
    assert page.console_errors == []


@pytest.mark.browser
def test_claimreview_json_ld_matches_the_data(loaded, story) -> None:  # type: ignore[no-untyped-def]
    page, _ = loaded
    blocks = page.evaluate(
        "() => Array.from(document.querySelectorAll('script[type=\"application/ld+json\"]')).map(s => JSON.parse(s.textContent))"
    )
    assert len(blocks) == 1 and isinstance(blocks[0], list)
    _check_reviews(blocks[0], _expected_reviews(story, BASE_URL, PUBLISHER))
    assert page.get_attribute('link[rel="canonical"]', "href") == BASE_URL


@pytest.mark.browser
def test_without_javascript_the_list_and_every_link_are_there(browser, shipped, story) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        offline = Offline().attach(page)
        page.goto(shipped[1].resolve().as_uri())
        expect(page.locator("#tl-list")).to_be_visible()
        assert len(visible_events(page)) == len(story.events)
        assert page.locator("li.tl-claim:visible").count() == len(story.claims)
        _check_links(card_links(page), story)
        assert offline.blocked == []
        assert page.locator("#tl-chart .scatterlayer .point").count() == 0
    finally:
        context.close()


@pytest.mark.browser
def test_no_serious_or_critical_accessibility_violation(page, shipped) -> None:  # type: ignore[no-untyped-def]
    assert AXE.exists(), f"{AXE} is missing: run `make install-test` (npm ci in tests/js)"
    page.add_init_script(path=str(AXE))  # runs outside the page's CSP, like an extension
    open_snapshot(page, shipped[1])
    assert axe_violations(page) == []


# ------------------------------------------------------------------------- hostile data
@pytest.mark.browser
def test_markup_in_the_data_shows_as_text_and_runs_nothing(page, hostile) -> None:  # type: ignore[no-untyped-def]
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    offline = open_snapshot(page, hostile[1])
    expect(page.locator("#event-statement h3")).to_contain_text(XSS_TITLE)
    expect(page.locator("#event-statement")).to_contain_text(
        '"><svg onload=alert(3)> & <b>bold</b>'
    )
    expect(page.locator("#claim-right-to-act")).to_contain_text(XSS_CLAIM)
    page.fill("#tl-search", "onerror")
    expect(page.locator("#tl-count")).to_have_text(re.compile(r"^1 of 3 events"))
    assert (
        page.evaluate(
            "document.querySelectorAll('#timeline-app img, #timeline-app svg:not(.main-svg) b').length"
        )
        == 0
    )
    assert dialogs == []
    assert offline.requests == [hostile[1].resolve().as_uri()]
    assert page.console_errors == []


@pytest.mark.browser
def test_json_ld_survives_script_breaking_text(page, hostile) -> None:  # type: ignore[no-untyped-def]
    html = _html(hostile[1])
    block = re.search(
        r'<script type="application/ld\+json" id="tl-claimreview">(.*?)</script>', html, flags=re.S
    )
    assert block is not None
    assert "</" not in block.group(1) and "<!--" not in block.group(1)
    open_snapshot(page, hostile[1], ready=False)
    blocks = page.evaluate(
        "() => Array.from(document.querySelectorAll('script[type=\"application/ld+json\"]')).map(s => JSON.parse(s.textContent))"
    )
    expected = _expected_reviews(read_story(hostile[0]), "", DEFAULT_PUBLISHER)
    _check_reviews(blocks[0], expected)  # the not-rated claim has no ClaimReview
    (review,) = blocks[0]
    assert review["url"] == "#claim-right-to-act"
    assert review["itemReviewed"]["author"]["name"] == "</script>Spokes<i>person</i>"


def test_a_broken_story_fragment_is_refused(tmp_path: Path, valid_folder: Path) -> None:
    nb = tmp_path / "broken.ipynb"
    nb.write_text(
        json.dumps(
            {
                "cells": [
                    {
                        "cell_type": "code",
                        "execution_count": None,
                        "id": "c",
                        "metadata": {},
                        "outputs": [],
                        "source": "print('hello')",
                    }
                ],
                "metadata": {
                    "kernelspec": {
                        "name": "python3",
                        "display_name": "Python 3",
                        "language": "python",
                    }
                },
                "nbformat": 4,
                "nbformat_minor": 5,
            }
        ),
        encoding="utf-8",
    )
    with pytest.raises(ExportError, match="displayed no story"):
        export_snapshot(valid_folder, tmp_path / "site", notebook=nb)
    assert not (tmp_path / "site").exists()


# ------------------------------------------------------------------- a long story
@pytest.fixture(scope="module")
def long_story(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """tests/data/valid with SCRIPTS_AFTER + 20 more events: the scripts go after the first events."""
    base = tmp_path_factory.mktemp("long")
    folder = base / "data"
    shutil.copytree(TEST_DATA / "valid", folder)
    s = read_story(folder)
    template = next(e for e in s.events if e["id"] == "briefing")
    extra = [
        {
            **template,
            "id": f"extra-{i:03d}",
            "title": f"Extra event {i}",
            "start": f"2020-02-{1 + i % 28:02d}",
        }
        for i in range(SCRIPTS_AFTER + 20)
    ]
    write_rows(folder / "events.csv", s.events + extra)
    return folder, export_snapshot(folder, base / "site", environ={"SOURCE_DATE_EPOCH": EPOCH})


@pytest.mark.browser
def test_a_long_story_draws_its_chart_before_the_rest_of_its_list(page, long_story) -> None:  # type: ignore[no-untyped-def]
    folder, path = long_story
    html = _html(path)
    scripts = page_scripts(html)
    assert len(scripts) == 3 and html.count(PLOTLY_BANNER) == 1
    csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html)
    assert csp is not None and csp.group(1).replace("&#39;", "'") == content_security_policy(
        *scripts
    )
    head, tail = without_plotly(html).split("<script>PLOTLY</script>")
    assert head.count('<li class="tl-event"') == SCRIPTS_AFTER  # the first events come first
    assert head.index('id="tl-data"') < head.index('<ol id="tl-list"')
    assert tail.count('<li class="tl-event"') == 3 + 20
    assert tail.rstrip().endswith("</footer>\n</body>\n</html>")  # no script after the story
    story = read_story(folder)
    n, c = len(story.events), len(story.claims)
    offline = open_snapshot(page, path, "event-extra-111")  # on the last day, after the scripts
    assert page.locator("#tl-chart .scatterlayer .point").count() == n
    assert count_text(page) == f"{n} of {n} events, {c} of {c} claims"
    last = page.locator("#event-extra-111")
    expect(last).to_have_class(re.compile(r"\btl-highlight\b"))
    expect(last).to_be_in_viewport()
    _check_links(card_links(page), story)
    _choose(page, "#tl-filter-verdict", "disputed", {"briefing"}, n)
    assert offline.blocked == [] and page.console_errors == []
