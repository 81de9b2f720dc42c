"""TimelineJS in and out: the JSON export (checked in a real TimelineJS in headless Chromium),
and the import of TimelineJS's own examples, JSON and spreadsheet CSV."""

from __future__ import annotations

import functools
import json
import shutil
import threading
from collections.abc import Iterator
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

import timeline
from timeline.cli import cli
from timeline.core.dataset import Dataset
from timeline.core.dates import explain
from timeline.errors import ValidationError
from timeline.interop.timelinejs_export import to_timelinejs
from timeline.interop.timelinejs_import import (
    from_timelinejs_csv,
    from_timelinejs_json,
    import_timelinejs,
)

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = Path(__file__).resolve().parents[3] / "shared" / "examples" / "timelinejs"
TIMELINEJS = ROOT / "tests" / "js" / "node_modules" / "@knight-lab" / "timelinejs" / "dist"
TEST_DATA = Path(__file__).resolve().parents[1] / "data"

EXTRA_EVENTS = '''\
founding,2019,,,Coalition founded,Year only.,military,,,src-a
month-span,2019-12,2020-01,,Weeks of tension,A span of months.,diplomacy,,,src-a
talks,2020-01-06T12:31+00:00,2020-01-06T14:05+00:00,,Crisis talks,Times on the London clock.,diplomacy,,,src-a
hostile,2020-01-07,,,"<img src=x onerror=alert(1)> & ""quotes""","<script>alert(1)</script> Rock & roll",diplomacy,,,src-a;src-c
'''
EXTRA_SOURCES = """\
src-c,Archived only,Archive Publisher,,2020-01,https://web.archive.org/web/2020/https://example.org/c,
"""
STORY = {"title": "Test story: <b>bold</b> & more", "standfirst": "What happened, in order."}


def run(*args: str) -> object:
    return CliRunner().invoke(cli, list(args))


@pytest.fixture
def story_folder(tmp_path: Path) -> Path:
    """tests/data/valid plus events at every precision, hostile text, an archive-only source and story.json."""
    dest = tmp_path / "data"
    shutil.copytree(TEST_DATA / "valid", dest)
    with open(dest / "events.csv", "a", encoding="utf-8", newline="") as fh:
        fh.write(EXTRA_EVENTS)
    with open(dest / "sources.csv", "a", encoding="utf-8", newline="") as fh:
        fh.write(EXTRA_SOURCES)
    (dest / "story.json").write_text(json.dumps(STORY), encoding="utf-8")
    assert timeline.load(dest).errors() == []
    return dest


class Anchors(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.anchors: list[dict[str, str | None]] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        self.tags.append(tag)
        if tag == "a":
            self.anchors.append(dict(attrs))


def anchors(html: str) -> Anchors:
    p = Anchors()
    p.feed(html)
    return p


def slides_by_id(data: dict) -> dict[str, dict]:
    return {s["unique_id"]: s for s in data["events"]}


# ------------------------------------------------------------------ export
def test_dates_keep_their_precision(story_folder: Path) -> None:
    s = slides_by_id(to_timelinejs(timeline.load(story_folder)))
    assert s["founding"]["start_date"] == {"year": 2019}
    assert s["month-span"]["start_date"] == {"year": 2019, "month": 12}
    assert s["month-span"]["end_date"] == {"year": 2020, "month": 1}
    assert s["statement"]["start_date"] == {"year": 2020, "month": 1, "day": 5}
    assert "end_date" not in s["statement"]
    assert s["talks"]["start_date"] == {
        "year": 2020,
        "month": 1,
        "day": 6,
        "hour": 12,
        "minute": 31,
    }
    assert s["talks"]["end_date"] == {"year": 2020, "month": 1, "day": 6, "hour": 14, "minute": 5}


def test_times_are_on_the_events_own_clock_and_the_date_line_names_it(story_folder: Path) -> None:
    s = slides_by_id(to_timelinejs(timeline.load(story_folder)))
    # 00:47 in Baghdad (UTC+03:00) is exported as 00:47 on 3 January, not 21:47 on the 2nd.
    assert s["strike"]["start_date"] == {
        "year": 2020,
        "month": 1,
        "day": 3,
        "hour": 0,
        "minute": 47,
    }
    assert s["strike"]["display_date"] == "Friday 3 January 2020, 00:47 (UTC+03:00)"
    assert s["talks"]["display_date"] == (
        "Monday 6 January 2020, 12:31 (UTC+00:00) – Monday 6 January 2020, 14:05 (UTC+00:00)"
    )
    assert s["statement"]["display_date"] == "Sunday evening"  # the analyst's own wins
    assert "display_date" not in s["founding"]  # TimelineJS shows a year at its precision


def test_slides_carry_id_group_claims_and_sources(story_folder: Path) -> None:
    data = to_timelinejs(timeline.load(story_folder))
    s = slides_by_id(data)
    assert [e["unique_id"] for e in data["events"]] == [
        "strike", "statement", "briefing", "founding", "month-span", "talks", "hostile",
    ]  # fmt: skip
    assert s["strike"]["group"] == "military" and s["briefing"]["group"] == "diplomacy"
    text = s["briefing"]["text"]["text"]
    assert '<span class="tl-claimant">Prime Minister&#39;s official spokesman</span>' in text
    assert "<strong>Verdict: Disputed.</strong> Contested." in text
    assert "<strong>Verdict: Not rated.</strong> An appeal." in text
    assert "<q>&#34;States have a right to take action&#34;</q>" in text
    links = anchors(text).anchors
    assert [a["href"] for a in links] == [
        "https://example.org/a"
    ]  # src-b has no URL: named, not linked
    assert "Example article B (Another Publisher; no verified link)" in text
    assert data["title"]["text"] == {
        "headline": "Test story: &lt;b&gt;bold&lt;/b&gt; &amp; more",
        "text": '<p class="tl-standfirst">What happened, in order.</p>',
    }


def test_csv_text_is_escaped_and_only_http_links_are_emitted(story_folder: Path) -> None:
    s = slides_by_id(to_timelinejs(timeline.load(story_folder)))
    hostile = s["hostile"]
    assert (
        hostile["text"]["headline"] == "&lt;img src=x onerror=alert(1)&gt; &amp; &#34;quotes&#34;"
    )
    parsed = anchors(hostile["text"]["text"])
    assert "script" not in parsed.tags and "img" not in parsed.tags
    assert [(a["href"], a["rel"], a["target"]) for a in parsed.anchors] == [
        ("https://example.org/a", "noopener noreferrer", "_blank"),
        ("https://web.archive.org/web/2020/https://example.org/c", "noopener noreferrer", "_blank"),
    ]
    # A dataset that never passed validation still gets no other scheme.
    ds = timeline.load(story_folder)
    ds.update("sources", "src-a", url="javascript:alert(1)")
    ds.update("sources", "src-c", archived_url="data:text/html,x")
    for slide in to_timelinejs(ds)["events"]:
        hrefs = [a["href"] or "" for a in anchors(slide["text"]["text"]).anchors]
        assert all(h.startswith(("https://", "http://")) for h in hrefs), hrefs


def test_cli_export_writes_json_and_refuses_data_with_errors(
    story_folder: Path, tmp_path: Path
) -> None:
    out = tmp_path / "tl.json"
    result = run("export", "timelinejs", str(story_folder), "-o", str(out))
    assert (result.exit_code, result.output) == (0, f"Wrote {out}\n")
    assert json.loads(out.read_text(encoding="utf-8")) == to_timelinejs(timeline.load(story_folder))
    stdout = run("export", "timelinejs", str(story_folder))
    assert json.loads(stdout.output) == json.loads(out.read_text(encoding="utf-8"))

    events = story_folder / "events.csv"
    events.write_text(
        events.read_text(encoding="utf-8").replace(",military,", ",,", 1), encoding="utf-8"
    )
    result = run("export", "timelinejs", str(story_folder), "-o", str(tmp_path / "bad.json"))
    errors = timeline.load(story_folder).errors()  # the validator's own wording, tested with it
    assert [(p.line, p.column) for p in errors] == [(2, "category")]
    assert result.exit_code == 1
    assert result.output == (
        f"Error: Refusing to export: 1 error in the data (nothing was written).\n{errors[0]}\n"
    )
    assert not (tmp_path / "bad.json").exists()


# ------------------------------------------------------------ in TimelineJS
PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>TimelineJS export</title>
<link rel="stylesheet" href="timelinejs/css/timeline.css">
<script src="timelinejs/js/timeline.js"></script></head>
<body><div id="timeline-embed" style="width: 1000px; height: 650px"></div>
<script>
window.timeline = new TL.Timeline("timeline-embed", "timeline.json", {
  hash_bookmark: false, font: null, script_path: new URL("timelinejs/js/", location.href).href
});
window.timeline.on("loaded", function () { document.documentElement.setAttribute("data-tl-loaded", "1"); });
</script></body></html>
"""


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def site(tmp_path: Path, story_folder: Path) -> Iterator[str]:
    """The export, TimelineJS's dist files and a page, served from this test's folder on 127.0.0.1."""
    if not (TIMELINEJS / "js" / "timeline.js").exists():
        pytest.fail(f"{TIMELINEJS} is missing: run `make install-test` (npm ci in tests/js)")
    root = tmp_path / "site"
    shutil.copytree(TIMELINEJS, root / "timelinejs")
    result = run("export", "timelinejs", str(story_folder), "-o", str(root / "timeline.json"))
    assert result.exit_code == 0, result.output
    (root / "index.html").write_text(PAGE, encoding="utf-8")
    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(root))
    )
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.mark.browser
def test_timelinejs_renders_every_exported_slide(site: str, page, story_folder: Path) -> None:  # type: ignore[no-untyped-def]
    blocked: list[str] = []

    def only_local(route):  # type: ignore[no-untyped-def]
        if route.request.url.startswith(site):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    page.route("**/*", only_local)
    page.goto(site + "index.html")
    page.locator("html[data-tl-loaded]").wait_for(state="attached", timeout=30_000)

    ds = timeline.load(story_folder)
    titles = list(ds.raw("events")["title"])
    headlines = page.locator(".tl-slide .tl-headline").all_text_contents()
    assert page.locator(".tl-slide").count() == len(titles) + 1
    assert headlines[0] == STORY["title"]  # escaped on export, shown as text
    assert sorted(headlines[1:]) == sorted(titles)
    assert page.locator(".tl-slide img[src=x], .tl-slide script").count() == 0

    link = page.locator('.tl-slide a[href="https://example.org/a"]').first
    assert link.inner_text() == "Example article A"
    assert link.get_attribute("rel") == "noopener noreferrer"
    strike = page.locator(".tl-slide", has_text="US strike kills Soleimani")
    assert (
        strike.locator(".tl-headline-date").text_content()
        == "Friday 3 January 2020, 00:47 (UTC+03:00)"
    )
    assert "Verdict: Disputed." in page.locator(".tl-slide", has_text="Lobby briefing").inner_text()
    groups = set(page.locator(".tl-timegroup-message").all_text_contents())
    assert {"military", "diplomacy"} <= groups
    assert blocked == []
    assert page.console_errors == []


# ------------------------------------------------------------------ import
EDITH = (
    "slide 2 ('Edith Clarke: Bucking the Trend') has no link to a source: every event must cite at least "
    "one, and its text, media, caption and credit hold no http(s) link; add a link to the slide's text "
    '(<a href="https://...">title</a>) or an http(s) Media URL, or re-run with --skip-unsourced to leave '
    "the slide out"
)


def test_import_json_example_names_the_slide_it_cannot_convert(tmp_path: Path) -> None:
    path = EXAMPLES / "women_in_computing.json"
    result = run("import", "timelinejs", str(path), "--into", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert result.output == (
        f"Error: Refusing to import: 1 error in the data (nothing was written).\n{path}: {EDITH}\n"
    )
    assert not (tmp_path / "out").exists()


def test_import_csv_example_names_the_slide_and_its_line(tmp_path: Path) -> None:
    path = EXAMPLES / "my_own_timeline.csv"
    with pytest.raises(ValidationError) as e:
        import_timelinejs(path, tmp_path / "out")
    assert [str(p) for p in e.value.problems] == [f"{path}:4: {EDITH}"]
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("name", ["women_in_computing.json", "my_own_timeline.csv"])
def test_import_example_skipping_unsourced_writes_a_valid_folder(tmp_path: Path, name: str) -> None:
    out = tmp_path / "out"
    result = run(
        "import", "timelinejs", str(EXAMPLES / name), "--into", str(out), "--skip-unsourced"
    )
    assert result.exit_code == 0, result.output
    n_sources = 13 if name.endswith(".json") else 14  # the CSV's Grace Hopper slide links two pages
    assert result.output == (
        "Skipped slide 2 ('Edith Clarke: Bucking the Trend'): no http(s) link in its text, media, caption "
        "or credit, so no source\n"
        f"Wrote {out}: 9 events, 0 claims, {n_sources} sources\n"
    )
    ds = timeline.load(out)
    assert ds.validate() == []
    events = ds.raw("events").set_index("id")
    assert list(events.index[:3]) == [
        "ada-lovelace",
        "and-the-women-who-made-it-work",
        "the-first-computer",
    ]
    assert events.loc["ada-lovelace", ["start", "end"]].tolist() == ["1815-12-10", "1852-11-27"]
    assert events.loc["and-the-women-who-made-it-work", ["start", "end"]].tolist() == [
        "1943-07",
        "1946",
    ]
    assert events.loc["rozsa-peter-writes-recursion", "title"] == "Rózsa Péter writes recursion"
    assert events.loc["the-mother-of-the-internet", "title"] == '"The Mother of the Internet"'
    assert events.loc["ada-lovelace", "summary"].startswith(
        "Women have been programming since before"
    )
    sources = ds.raw("sources").set_index("url")
    ada = sources.loc["https://en.wikipedia.org/wiki/Ada_Lovelace"]
    assert (ada["id"], ada["title"], ada["publisher"]) == (
        "en-wikipedia-org-ada-lovelace",
        "Ada Lovelace",
        "en.wikipedia.org",
    )
    engine = sources.loc["https://en.wikipedia.org/wiki/Analytical_Engine"]
    assert engine["title"] == "Charles Babbage's Analytical Engine"
    assert set(events.loc["ada-lovelace", "sources"].split(";")) >= {ada["id"], engine["id"]}
    vimeo = sources.loc["https://vimeo.com/304869290"]  # a Media URL, titled by its caption
    assert (vimeo["title"], vimeo["publisher"]) == ("Project Mercury training footage", "vimeo.com")
    story = json.loads((out / "story.json").read_text(encoding="utf-8"))
    assert story["title"] in ("Women in Computing", "MY OWN CSV")
    assert story["standfirst"].startswith("In this sample timeline")


def test_a_link_added_to_the_slide_makes_it_convertible(tmp_path: Path) -> None:
    data = json.loads((EXAMPLES / "women_in_computing.json").read_text(encoding="utf-8"))
    edith = data["events"][1]
    edith["text"]["text"] = (
        '<p>See <a href="https://example.org/clarke">Edith Clarke&#39;s biography</a>.</p>'
    )
    path = tmp_path / "fixed.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    ds = from_timelinejs_json(path)
    row = ds.raw("events").set_index("id").loc["edith-clarke-bucking-the-trend"]
    assert row["start"] == "1948-03-14"
    # The slide's media is a quotation, not a link: its words are kept in the summary.
    assert row["summary"] == (
        "See Edith Clarke's biography.\n\nThere is no demand for women engineers, as such, as there are for "
        "women doctors; but there's always a demand for anyone who can do a good piece of work. Edith Clarke, "
        "first female professor of electrical engineering in the United States"
    )
    src = ds.raw("sources").set_index("id").loc[row["sources"]]
    assert (src["title"], src["publisher"], src["url"]) == (
        "Edith Clarke's biography",
        "example.org",
        "https://example.org/clarke",
    )


def test_an_embed_codes_page_is_a_source_of_the_slide_like_a_media_url(tmp_path: Path) -> None:
    """Edith Clarke's slide cites nothing (its media is a quotation): an <iframe> embed code as its
    media makes the embedded page its source, titled by the caption, as a Media URL would be."""
    data = json.loads((EXAMPLES / "women_in_computing.json").read_text(encoding="utf-8"))
    edith = data["events"][1]
    edith["media"] = {
        "url": '<iframe width="560" height="315" src=" https://www.youtube.com/embed/abc123?start=5 " '
        'title="YouTube video player" allowfullscreen></iframe>',
        "caption": "Edith Clarke interviewed",
    }
    path = tmp_path / "embed.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    ds = from_timelinejs_json(path)
    row = ds.raw("events").set_index("id").loc["edith-clarke-bucking-the-trend"]
    src = ds.raw("sources").set_index("id").loc[row["sources"]]
    assert (src["title"], src["publisher"], src["url"]) == (
        "Edith Clarke interviewed",
        "youtube.com",
        "https://www.youtube.com/embed/abc123?start=5",
    )
    # Only an http(s) address counts: an embed of another scheme still leaves the slide unsourced.
    edith["media"]["url"] = '<iframe src="javascript:alert(1)"></iframe>'
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(
        ValidationError, match="Edith Clarke: Bucking the Trend.*no link to a source"
    ):
        from_timelinejs_json(path)


def slide_json(tmp_path: Path, start: dict, **extra: object) -> Path:
    slide = {
        "start_date": start,
        "text": {"headline": "Strike", "text": '<a href="https://example.org/s">S</a>'},
    }
    slide.update(extra)
    path = tmp_path / "t.json"
    path.write_text(json.dumps({"events": [slide]}), encoding="utf-8")
    return path


def test_a_time_without_a_zone_is_refused_unless_an_offset_is_given(tmp_path: Path) -> None:
    path = slide_json(
        tmp_path, {"year": "2020", "month": "1", "day": "3", "hour": "0", "minute": "47"}
    )
    with pytest.raises(ValidationError) as e:
        from_timelinejs_json(path)
    assert [p.message for p in e.value.problems] == [
        "slide 1 ('Strike'): its start date has a time (00:47) but TimelineJS times carry no UTC offset; "
        "re-run with --offset (e.g. --offset +03:00 for Baghdad, --offset Z for UTC) naming the clock the "
        "times were read on"
    ]
    ds = from_timelinejs_json(path, offset="+03:00")
    assert ds.raw("events")["start"].tolist() == ["2020-01-03T00:47+03:00"]
    assert ds.events["start_precision"].tolist() == ["minute"]


def test_bad_offset_and_bad_dates_get_clear_messages(tmp_path: Path) -> None:
    path = slide_json(tmp_path, {"year": "2020", "month": "2", "day": "30"})
    result = run("import", "timelinejs", str(path), "--into", str(tmp_path / "o"), "--offset", "3")
    assert result.exit_code == 2
    assert (
        "Invalid value for '--offset': offset '3' is not a UTC offset; write it as +03:00, -05:00 or Z"
        in (result.output)
    )
    result = run("import", "timelinejs", str(path), "--into", str(tmp_path / "o"))
    assert result.exit_code == 1
    assert result.output.endswith(
        f"{path}: slide 1 ('Strike'): its start date: {explain('2020-02-30')}\n"
    )
    path = slide_json(tmp_path, {"year": "-13800000000"})
    with pytest.raises(ValidationError, match=r"year '-13800000000' is not a year from 0 to 9999"):
        from_timelinejs_json(path)


def test_csv_times_titles_eras_and_groups(tmp_path: Path) -> None:
    header = ",".join(
        "Year,Month,Day,Time,End Year,End Month,End Day,End Time,Display Date,Headline,Text,Media,"
        "Media Credit,Media Caption,Media Thumbnail,Type,Group,Background".split(",")
    )
    rows = [
        ',,,,,,,,,My story,"<p>Standfirst &amp; more</p>",,,,,title,,',
        "2020,,,,2021,,,,,An era,,,,,,era,,",
        '2020,1,6,2:31 PM,2020,1,6,16:05,Monday afternoon,Talks,"Bare link https://example.org/t, here.",'
        ",,,,,diplomacy,",
    ]
    path = tmp_path / "sheet.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    ds = from_timelinejs_csv(path, offset="Z")
    ev = ds.raw("events").iloc[0].to_dict()
    assert (ev["id"], ev["start"], ev["end"], ev["display_date"], ev["category"]) == (
        "talks",
        "2020-01-06T14:31Z",
        "2020-01-06T16:05Z",
        "Monday afternoon",
        "diplomacy",
    )
    assert ds.raw("sources")[["id", "title", "url"]].values.tolist() == [
        ["example-org", "example.org", "https://example.org/t"]
    ]
    out = tmp_path / "folder"
    import_timelinejs(path, out, offset="Z")
    assert json.loads((out / "story.json").read_text(encoding="utf-8")) == {
        "title": "My story",
        "standfirst": "Standfirst & more",
    }
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("2:31 PM", "noon").replace("16:05", "25:99"), encoding="utf-8")
    with pytest.raises(ValidationError) as e:
        from_timelinejs_csv(path, offset="Z")
    assert [str(p) for p in e.value.problems] == [
        f"{path}:4: Time: time 'noon' is not a time of day; write it as HH:MM (24-hour) or H:MM AM/PM",
        f"{path}:4: slide 1 ('Talks'): its end date: {explain('2020-01-06T25:99Z')}",
    ]


def test_import_refuses_a_folder_that_holds_data(tmp_path: Path, story_folder: Path) -> None:
    path = slide_json(tmp_path, {"year": "2020"})
    result = run("import", "timelinejs", str(path), "--into", str(story_folder))
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {story_folder} already holds events.csv, claims.csv, sources.csv, story.json; "
        "import into a new or empty folder and merge by hand\n"
    )


def test_export_then_import_keeps_ids_dates_titles_and_groups(
    story_folder: Path, tmp_path: Path
) -> None:
    path = tmp_path / "tl.json"
    assert run("export", "timelinejs", str(story_folder), "-o", str(path)).exit_code == 0
    result = run("import", "timelinejs", str(path), "--into", str(tmp_path / "back"), "--offset", "+03:00",
                 "--skip-unsourced")  # fmt: skip
    assert result.exit_code == 0, result.output
    # src-b has no verified URL, so the statement slide links nothing: it is named and left out.
    assert result.output.startswith(
        "Skipped slide 2 ('Joint statement'): no http(s) link in its text"
    )
    before = timeline.load(story_folder).raw("events").set_index("id")
    after = timeline.load(tmp_path / "back").raw("events").set_index("id")
    assert list(after.index) == [i for i in before.index if i != "statement"]
    # One --offset names one clock: the talks, written on the London clock, now read as Baghdad time.
    assert (before.loc["talks", "start"], after.loc["talks", "start"]) == (
        "2020-01-06T12:31+00:00",
        "2020-01-06T12:31+03:00",
    )
    for eid in ("strike", "briefing", "founding", "month-span", "hostile"):
        assert (
            after.loc[eid, ["start", "end", "title", "category"]].tolist()
            == before.loc[eid, ["start", "end", "title", "category"]].tolist()
        ), eid


def test_library_functions_return_datasets(tmp_path: Path) -> None:
    ds = from_timelinejs_csv(EXAMPLES / "my_own_timeline.csv", skip_unsourced=True)
    assert isinstance(ds, Dataset)
    assert isinstance(ds.raw("events"), pd.DataFrame)
    assert ds.errors() == []
