"""Hostile data: HTML and script in every text field, right-to-left overrides, 100 KB fields,
an event with 10,000 actors, and ``javascript:`` where a URL should be.

The validator accepts the text (it is only text) and refuses the URLs; the dashboard
(a real `timeline serve`) and the offline snapshot show every payload as text and run
none of it: in headless Chromium no dialog opens, no console error, no element the
payloads try to inject. Nothing here measures time; every wait has a generous limit.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from playwright.sync_api import expect
from serve_support import Server

from timeline import load
from timeline.cli import cli
from timeline.core.schema import TABLES

TEST_DATA = Path(__file__).resolve().parents[1] / "data"
READY = "html[data-timeline-ready] #tl-chart .scatterlayer .point"
RLO = "\u202e"
PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    f"{RLO}gnp.exe{RLO}",
    '"><svg onload=alert(1)>',
    "</script><script>alert(1)</script>",
    "</textarea><iframe src=javascript:alert(1)>",
    "&lt;b&gt;{{7*7}} ${alert(1)} <!--",
]
HOSTILE = " ".join(PAYLOADS)
BIG = ("<b onmouseover=alert(1)>big</b> <script>alert(1)</script> " * 2000)[:100_000]
CROWD = 10_000
EVIL_URL = "https://example.org/?q=\"><script>alert(1)</script>&x='onerror=alert(1)"
BAD_URLS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "  javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "//example.org/relative",
]

# What a payload would leave in the page if it were parsed as HTML, not shown as text.
INJECTED = """() => ({
  imgs: document.querySelectorAll('img[src="x"], img[onerror]').length,
  svgs: document.querySelectorAll('svg[onload]').length,
  iframes: document.querySelectorAll('iframe').length,
  handlers: [...document.querySelectorAll('*')].filter(
    (el) => [...el.attributes].some((a) => a.name.startsWith('on'))).length,
  scripts: [...document.scripts].map((s) => /json$/.test(s.type) ? 'json' : (s.src ? 'src' : 'inline')),
  jsLinks: [...document.querySelectorAll('a[href]')].filter(
    (a) => !/^(https?:|#|\\.\\/|claims\\/[a-z0-9-]+\\.html$|$)/i.test(a.getAttribute('href'))).map((a) => a.getAttribute('href')),
})"""


def write(folder: Path, name: str, rows: list[dict[str, str]]) -> None:
    table = next(t for t in TABLES if t.name == name)
    with open(folder / table.filename, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=table.names, lineterminator="\n")
        w.writeheader()
        for row in rows:
            w.writerow({c: row.get(c, "") for c in table.names})


def hostile_folder(folder: Path) -> Path:
    """A valid story whose every text field is hostile."""
    folder.mkdir(parents=True)
    actors = ";".join(p for p in PAYLOADS if ";" not in p)
    events = [
        {
            "id": "hostile-text",
            "start": "2020-01-03T00:47+03:00",
            "display_date": HOSTILE,
            "title": f"First {HOSTILE}",
            "summary": HOSTILE,
            "category": "<script>alert(1)</script>",
            "actors": actors,
            "location": HOSTILE,
            "sources": "src-evil;src-plain",
        },
        {
            "id": "hostile-big",
            "start": "2020-01-05",
            "title": f"Big {RLO}txt.exe",
            "summary": BIG,
            "category": '"><img src=x onerror=alert(1)>',
            "actors": actors,
            "location": RLO,
            "sources": "src-plain",
        },
        {
            "id": "hostile-crowd",
            "start": "2020-01",
            "end": "2020-02",
            "title": "Crowd <img src=x onerror=alert(1)>",
            "summary": "Ten thousand actors.",
            "category": "<script>alert(1)</script>",
            "actors": ";".join(f"<b>actor {i}</b>" for i in range(CROWD)),
            "sources": "src-evil",
        },
    ]
    claims = [
        {
            "id": "claim-text",
            "event_id": "hostile-text",
            "claimant": HOSTILE,
            "claim": HOSTILE,
            "said_in": "src-evil",
            "verdict": "inaccurate",
            "rationale": HOSTILE,
            "evidence": "src-plain;src-evil",
            "reviewed": "2026-11-25",
        },
        {
            "id": "claim-big",
            "event_id": "hostile-big",
            "claimant": RLO + "Someone",
            "claim": BIG,
            "said_in": "src-rtl",
            "verdict": "disputed",
            "rationale": BIG,
            "reviewed": "2026-11-24",
        },
    ]
    sources = [
        {
            "id": "src-evil",
            "title": HOSTILE,
            "publisher": HOSTILE,
            "url": EVIL_URL,
            "published": "2020-01-03",
            "accessed": "2026-11-25",
        },
        {
            "id": "src-plain",
            "title": BIG,
            "publisher": RLO + "Publisher",
            "url": "https://example.org/a",
        },
        {
            "id": "src-rtl",
            "title": RLO + "abc",
            "publisher": "Pub",
            "url": "https://example.org/rtl",
        },
    ]
    write(folder, "events", events)
    write(folder, "claims", claims)
    write(folder, "sources", sources)
    story = {"title": f"Story </title><script>alert(1)</script> {RLO}", "standfirst": HOSTILE}
    (folder / "story.json").write_text(json.dumps(story), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return hostile_folder(tmp_path_factory.mktemp("hostile") / "data")


@pytest.fixture(scope="module")
def server(hostile: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    s = Server.start(hostile, log_path=tmp_path_factory.mktemp("log") / "server.log", pool_size=1)
    yield s
    s.stop()


def watch(page) -> list[str]:  # type: ignore[no-untyped-def]
    """Every dialog (alert, confirm, prompt) the page opens; each is dismissed."""
    dialogs: list[str] = []

    def on_dialog(dialog) -> None:  # type: ignore[no-untyped-def]
        dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return dialogs


def check_nothing_ran(page, dialogs: list[str]) -> None:  # type: ignore[no-untyped-def]
    found = page.evaluate(INJECTED)
    assert found["imgs"] == 0 and found["svgs"] == 0 and found["iframes"] == 0, found
    assert found["handlers"] == 0, found
    assert "inline" not in found["scripts"], found["scripts"]
    assert found["jsLinks"] == [], found["jsLinks"]
    assert dialogs == []
    assert page.console_errors == []


def poke(page) -> None:  # type: ignore[no-untyped-def]
    """Hover every marker, open each event's card, filter and search with payloads."""
    for point in page.locator("#tl-chart .scatterlayer .point").all()[:10]:
        point.hover(force=True)
    for link in page.locator("li.tl-event > h3 > a").all():
        link.click()
    page.select_option("select#tl-filter-category", "<script>alert(1)</script>")
    page.select_option("select#tl-filter-category", "")
    # The search runs 120 ms after the last keystroke: wait for its result before clearing it
    # (cleared at once, the payload was never searched). Only the crowd event has both.
    count = page.locator("#tl-count")
    page.fill("input#tl-search", "<img src=x onerror=alert(1)> Crowd")
    expect(count).to_have_text(re.compile(r"^1 of 3 events"))
    page.fill("input#tl-search", "")
    expect(count).to_have_text(re.compile(r"^3 of 3 events"))


# --------------------------------------------------------------------------- the validator
def test_validate_accepts_hostile_text(hostile: Path) -> None:
    result = CliRunner().invoke(cli, ["validate", str(hostile)])
    assert result.exit_code == 0, result.output
    assert "OK: 3 events" in result.output
    ds = load(hostile)
    assert ds.errors() == []
    assert len(ds.events.set_index("id").loc["hostile-crowd", "actors"].split(";")) == CROWD
    assert len(ds.events.set_index("id").loc["hostile-big", "summary"]) == 100_000


@pytest.mark.parametrize("url", BAD_URLS)
def test_validate_refuses_script_and_relative_urls(hostile: Path, tmp_path: Path, url: str) -> None:
    folder = tmp_path / "data"
    shutil.copytree(hostile, folder)
    with open(folder / "sources.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    rows[1]["url"] = url
    write(folder, "sources", rows)
    result = CliRunner().invoke(cli, ["validate", str(folder)])
    assert result.exit_code == 1
    line = f"{folder}/sources.csv:3: url: '{url.strip()}' is not an absolute http(s) URL; paste the full address"
    assert line in result.output, result.output
    assert "(javascript:, data: and relative links are refused)" in result.output


# --------------------------------------------------------------------------- the dashboard
def test_the_served_page_escapes_every_payload(server: Server) -> None:
    from serve_support import get

    status, body = get(server.url)
    assert status == 200 and 'id="timeline-app"' in body
    for raw in (
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<svg onload=alert(1)>",
    ):
        assert raw not in body, raw
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "<title>Story &lt;/title&gt;&lt;script&gt;" in body
    assert len(body) > 100_000


# Where a source's title (which opens with a U+202E override) and its publisher sit on screen.
BIDI = """() => {
  const p = [...document.querySelectorAll('#claim-claim-big p')].find((x) => x.textContent.startsWith('Said in'));
  const link = p.querySelector('a.tl-source');
  const walk = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walk.nextNode()) && !node.data.includes('Pub'));
  const range = document.createRange();
  range.selectNodeContents(node);
  const styles = ['li.tl-event h3', '.tl-claimant', 'a.tl-source', '.tl-summary'].map(
    (sel) => getComputedStyle(document.querySelector(sel)).unicodeBidi);
  return {link: link.getBoundingClientRect().right, pub: range.getBoundingClientRect().left, styles};
}"""


@pytest.mark.browser
def test_the_dashboard_runs_no_payload_and_keeps_overrides_in_their_field(
    page, server: Server
) -> None:  # type: ignore[no-untyped-def]
    dialogs = watch(page)
    page.goto(server.url)
    page.wait_for_selector(READY, timeout=120_000)
    # Right-to-left overrides stay inside their field (on the page as it comes up): isolated,
    # the publisher reads after the title; leaked, the title's override would reverse the rest
    # of the line and put "(buP)" first.
    found = page.evaluate(BIDI)
    assert found["link"] <= found["pub"], found
    assert found["styles"] == ["plaintext", "isolate", "isolate", "plaintext"]
    # No payload runs, shown or poked at.
    assert "<script>alert(1)</script>" in page.locator("#tl-list").inner_text()
    assert page.locator("#tl-list li.tl-event").count() == 3
    poke(page)
    check_nothing_ran(page, dialogs)


# --------------------------------------------------------------------------- the snapshot
@pytest.mark.browser
def test_the_snapshot_runs_no_payload(page, hostile: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from timeline.publish.snapshot import export_snapshot

    target = export_snapshot(hostile, tmp_path / "out", timeout=600)
    html = target.read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    dialogs = watch(page)
    page.goto(target.as_uri())
    page.wait_for_selector(READY, timeout=120_000)
    assert "<script>alert(1)</script>" in page.locator("#tl-list").inner_text()
    poke(page)
    found = page.evaluate(INJECTED)
    # The snapshot inlines its scripts (allowed by CSP hashes): plotly.js and timeline.js held
    # as text, the loader, and the two scripts it made from them; the data stays JSON.
    assert found["scripts"].count("inline") == 5, found["scripts"]
    found["scripts"] = []
    assert found["imgs"] == found["svgs"] == found["iframes"] == found["handlers"] == 0, found
    assert found["jsLinks"] == []
    assert dialogs == []
    assert page.console_errors == []
