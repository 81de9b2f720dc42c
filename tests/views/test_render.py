"""The story fragment: what every reader gets before any script runs."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markupsafe import escape

import timeline
from timeline.core.dates import humanize
from timeline.core.schema import VERDICT_BY_KEY
from timeline.core.urls import safe_url
from timeline.views.figure import build_figure, date_labels, event_frame
from timeline.views.render import (
    SCRIPTS_AFTER,
    SCRIPTS_MARKER,
    json_for_script,
    render_error,
    render_event_card,
    render_story,
)


class Links(HTMLParser):
    """Collects every <a>, with the id of the claim (li.tl-claim) it sits in."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str | None] = []
        self.links: list[dict[str, str | None]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        a = dict(attrs)
        if tag == "li":
            self.stack.append(a.get("id"))
        if tag == "a":
            self.links.append(
                {
                    **a,
                    "claim": next(
                        (i for i in reversed(self.stack) if i and i.startswith("claim-")), None
                    ),
                }
            )
        if tag == "script":
            self._in_script = a.get("type") != "application/json"
            if self._in_script:
                self.scripts.append(a.get("src") or "inline")

    def handle_endtag(self, tag):  # type: ignore[no-untyped-def]
        if tag == "li" and self.stack:
            self.stack.pop()


def parse(html: str) -> Links:
    p = Links()
    p.feed(html)
    return p


def test_every_claim_links_said_in_and_evidence_to_their_source_urls(shipped_folder: Path) -> None:
    ds = timeline.load(shipped_folder)
    html = render_story(ds)
    links = parse(html).links
    urls = dict(zip(ds.sources["id"], ds.sources["url"]))
    for claim in ds.claims.itertuples():
        cited = [claim.said_in] + [s for s in claim.evidence.split(";") if s]
        expected = sorted(urls[s] for s in cited if urls[s])
        found = sorted(
            a["href"]
            for a in links
            if a["claim"] == f"claim-{claim.id}" and a.get("class") == "tl-source"
        )
        assert found == expected, claim.id
    for a in links:
        if a.get("class") == "tl-source":
            assert a["target"] == "_blank"
            assert a["rel"] == "noopener noreferrer"


def test_unverified_source_is_named_without_a_link(valid_folder: Path) -> None:
    html = render_story(timeline.load(valid_folder))
    assert '<span class="tl-source tl-source--unlinked">Example article B</span>' in html
    assert "no verified link" in html
    assert 'href=""' not in html


def test_every_event_and_claim_is_in_the_list_in_reading_order(shipped_folder: Path) -> None:
    ds = timeline.load(shipped_folder)
    html = render_story(ds)
    ids = re.findall(r'<li class="tl-event" id="event-([a-z0-9-]+)"', html)
    assert sorted(ids) == sorted(ds.events["id"])
    assert ids == list(event_frame(ds)["id"])
    claim_ids = re.findall(r'<li class="tl-claim" id="claim-([a-z0-9-]+)"', html)
    assert sorted(claim_ids) == sorted(ds.claims["id"])


def test_verdict_badges_carry_label_and_glyph_not_colour_alone(shipped_folder: Path) -> None:
    ds = timeline.load(shipped_folder)
    html = render_story(ds)
    for claim in ds.claims.itertuples():
        label = VERDICT_BY_KEY[claim.verdict].label
        block = html[html.index(f'id="claim-{claim.id}"') :]
        block = block[: block.index("</li>")]
        assert re.search(
            rf'class="tl-verdict tl-verdict--{claim.verdict}".*?aria-hidden="true">.+?</span> {label}</span>',
            block,
        )


def test_day_precision_is_shown_as_a_day_never_midnight(valid_folder: Path) -> None:
    html = render_story(timeline.load(valid_folder))
    assert '<p class="tl-date"><time datetime="2020-01-06">Monday 6 January 2020</time></p>' in html
    assert ", 00:00 (" not in html and "T00:00" not in html
    # a time keeps the clock it was written on, with its offset; the page offers UTC and
    # London from the chart data (test_times_follow_the_zone_control checks the labels)
    assert (
        '<time datetime="2020-01-03T00:47+03:00">Friday 3 January 2020, 00:47 (UTC+03:00)</time>'
        in html
    )


def test_hostile_text_is_escaped_and_bad_urls_are_never_links(valid_folder: Path) -> None:
    ds = timeline.load(valid_folder)
    payload = "<img src=x onerror=alert(1)></script><script>alert(2)</script>"
    ds.update("events", "strike", title=payload, summary=payload)
    ds.update("claims", "appeal", claim=payload, claimant=payload, rationale=payload)
    ds.update("sources", "src-b", title=payload, url="javascript:alert(3)")
    html = render_story(ds)
    assert "<img" not in html and "<script>alert" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "javascript:" not in html
    # the JSON block cannot be closed early by data
    data = html[html.index('id="tl-data">') :]
    assert "</script>" in data and data.index("</script>") > data.index("alert(2)")
    assert parse(html).scripts == []  # no executable script in the fragment itself


def test_json_for_script_round_trips_and_is_inert() -> None:
    value = {"t": "</script><!-- \u2028 & >"}
    text = json_for_script(value)
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == value


def test_safe_url_keeps_only_absolute_http() -> None:
    assert safe_url(" https://example.org/a?b=1 ") == "https://example.org/a?b=1"
    for bad in [
        "javascript:alert(1)",
        "data:text/html,x",
        "/relative",
        "ftp://x.org",
        "https://",
        "",
    ]:
        assert safe_url(bad) == ""


def test_chart_data_matches_the_list(shipped_folder: Path) -> None:
    ds = timeline.load(shipped_folder)
    html = render_story(ds)
    raw = html[
        html.index('id="tl-data">') + len('id="tl-data">') : html.index(
            "</script>", html.index('id="tl-data">')
        )
    ]
    data = json.loads(raw)
    assert data["events"]["id"] == list(event_frame(ds)["id"])
    assert {v["key"] for v in data["verdicts"]} >= set(VERDICT_BY_KEY)
    ev = data["events"]
    strike = ev["id"].index("strike-kills-soleimani")
    assert ev["own"][strike] == 180 and ev["london"][strike] == 0
    assert ev["span"][strike] == 0  # a time is a point
    day = ev["id"].index("johnson-call-iraqi-pm")
    assert ev["span"][day] == 1 and ev["d"][day] == 86_400  # a day is the whole day
    frame = event_frame(ds)
    assert [ev["cats"][i] for i in ev["cat"]] == list(frame["category"])
    assert [[ev["actors"][i] for i in xs] for xs in ev["act"]] == list(frame["actors"])
    assert [data["verdicts"][i]["key"] for i in ev["v"]] == list(frame["verdict"])
    assert [s * 1000 for s in ev["s"]] == list(frame["s"])
    assert [(s + d) * 1000 for s, d in zip(ev["s"], ev["d"])] == list(frame["e"])


def test_header_has_title_standfirst_last_updated_counts_and_legend(shipped_folder: Path) -> None:
    ds = timeline.load(shipped_folder)
    html = render_story(ds)
    newest = max(ds.claims["reviewed"])
    assert f'Last updated <time datetime="{newest}">' in html
    assert f"{len(ds.events)} events" in html and f"{len(ds.claims)} claims checked" in html
    for v in VERDICT_BY_KEY.values():
        assert f"<dd>{v.meaning}</dd>" in html
    assert (
        '<h1 class="tl-title" dir="auto">The UK&#39;s response to the killing of Qasem Soleimani</h1>'
        in html
    )


def test_event_card_and_error_fragment(valid_folder: Path) -> None:
    ds = timeline.load(valid_folder)
    card = render_event_card(ds, "briefing")
    assert card.startswith('<li class="tl-event" id="event-briefing"') and card.endswith("</li>")
    assert "claim-right-to-act" in card
    err = render_error([f"{valid_folder}/events.csv:3: start: bad"], valid_folder)
    assert "data/events.csv:3: start: bad" in err
    assert str(valid_folder.parent) not in err
    assert "Traceback" not in err


def test_build_figure_encodes_verdict_by_colour_and_symbol(valid_folder: Path) -> None:
    fig = build_figure(timeline.load(valid_folder), lanes="actor", zone="utc")
    markers = [t for t in fig.data if t.mode == "markers"]
    names = {t.name: t.marker.symbol for t in markers}
    assert names == {"Disputed": "square", "No claims checked": "line-ns-open"}
    lanes = {y for t in markers for y in t.y}
    assert "Donald Trump" in lanes and "US Department of Defense" in lanes


def test_sources_section_holds_each_cited_source_once_with_its_details(
    shipped_folder: Path,
) -> None:
    ds = timeline.load(shipped_folder)
    html = render_story(ds)
    section = html[
        html.index('<ol id="tl-source-list"') : html.index(
            "</ol>", html.index('<ol id="tl-source-list"')
        )
    ]
    entries = re.findall(r'<li id="source-([a-z0-9-]+)">(.*?)</li>', section)
    claims = ds.claims.groupby("event_id")
    order: dict[str, None] = {}  # in the order a reader meets them: each card, then its claims
    for event in event_frame(ds)["id"]:
        refs = [ds.events.set_index("id").loc[event, "sources"]]
        if event in claims.groups:
            refs += [
                r for c in claims.get_group(event).itertuples() for r in (c.said_in, c.evidence)
            ]
        order.update((s.strip(), None) for r in refs for s in r.split(";") if s.strip())
    assert [i for i, _ in entries] == list(
        order
    )  # each cited source once, in order of first citation
    by_id = dict(entries)
    for s in ds.sources.itertuples():
        if s.id not in by_id:
            continue
        entry = by_id[s.id]
        assert str(escape(s.publisher)) in entry
        if s.url:
            assert (
                f'<a class="tl-source" href="{escape(s.url)}" target="_blank" rel="noopener noreferrer">'
                in entry
            )
        else:
            assert "no verified link" in entry
        if s.published:
            assert f'<time datetime="{s.published}">{humanize(s.published)}</time>' in entry
        if s.archived_url:
            assert (
                f'href="{escape(s.archived_url)}" target="_blank" rel="noopener noreferrer">archived copy</a>'
                in entry
            )
    # in the cards, each citation is a short link: title and publisher
    card = html[html.index('<li class="tl-event" id="event-strike-kills-soleimani"') :]
    card = card[: card.index("</li>\n")]
    sources = ds.sources.set_index("id")
    for sid in ds.events.set_index("id").loc["strike-kills-soleimani", "sources"].split(";"):
        src = sources.loc[sid]
        if src.url:
            assert (
                f'<a class="tl-source" href="{escape(src.url)}" target="_blank" rel="noopener noreferrer">{escape(src.title)}</a> (<bdi>{escape(src.publisher)}</bdi>)'
                in card
            )
        else:
            assert (
                f'<span class="tl-source tl-source--unlinked">{escape(src.title)}</span> (<bdi>{escape(src.publisher)}</bdi>; no verified link)'
                in card
            )


def test_event_card_is_the_item_of_the_list(shipped_folder: Path) -> None:
    ds = timeline.load(shipped_folder)
    html = render_story(ds)
    for event_id in ds.events["id"]:
        card = render_event_card(ds, event_id)
        assert f"\n{card}\n" in html
    try:
        render_event_card(ds, "no-such-event")
    except KeyError as e:
        assert "no-such-event" in str(e)
    else:
        raise AssertionError("an unknown id must raise KeyError")


def test_a_long_list_marks_where_a_page_may_put_its_scripts(valid_folder: Path) -> None:
    ds = timeline.load(valid_folder)
    assert SCRIPTS_MARKER not in render_story(ds)  # a short list: scripts go after it
    base = ds.get("events", "briefing")
    for i in range(SCRIPTS_AFTER + 5):
        ds.add_event(**{**base, "id": f"extra-{i:03d}", "title": f"Extra {i}"})
    html = render_story(ds)
    assert html.count(SCRIPTS_MARKER) == 1
    head, tail = html.split(SCRIPTS_MARKER)
    assert head.count('<li class="tl-event"') == SCRIPTS_AFTER
    assert head.index('id="tl-data"') < head.index(
        '<ol id="tl-list"'
    )  # the chart's data comes first
    assert head.endswith("</li>\n") and tail.startswith('\n<li class="tl-event"')
    assert tail.count('<li class="tl-event"') == len(ds.events) - SCRIPTS_AFTER


def _page(tmp_path: Path, fragment: str) -> Path:
    """The fragment in a page as the snapshot lays it out: CSS in the head, scripts after the story."""
    from timeline.views.assets import asset_text, plotly_js

    path = tmp_path / "page.html"
    path.write_text(
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><style>{asset_text("timeline.css")}</style>'
        f"</head><body>{fragment}<script>{plotly_js()}</script><script>{asset_text('timeline.js')}</script></body></html>",
        encoding="utf-8",
    )
    return path


def _text(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


LIST_TIMES = """() => Object.fromEntries(Array.from(document.querySelectorAll('#tl-list > li.tl-event'))
  .map(li => [li.id.slice(6), li.querySelector('.tl-date time').textContent]))"""
HOVER = """() => Object.fromEntries(document.getElementById('tl-chart').data
  .filter(t => t.mode === 'markers').flatMap(t => t.customdata.map((id, i) => [id, t.text[i]])))"""


@pytest.mark.browser
def test_times_follow_the_zone_control(page, shipped_folder: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ds = timeline.load(shipped_folder)
    page.goto(_page(tmp_path, render_story(ds)).as_uri())
    page.locator("html[data-timeline-ready]").wait_for(state="attached")
    ev = ds.events.set_index("id")
    timed = ev["start_precision"].isin(["minute", "second"])
    for zone in ("own", "utc", "london"):
        page.select_option("#tl-zone", zone)
        labels = date_labels(ev["start_at"], ev["start_precision"], ev["start_offset"], zone=zone)
        # one date each: the desk's display date on the event's own clock (and for a date without
        # a time), else the time in the zone chosen, as dates.humanize reads it
        shown = labels.where(
            (zone != "own") & timed | (ev["display_date"].str.strip() == ""),
            ev["display_date"].str.strip(),
        )
        assert page.evaluate(LIST_TIMES) == shown.to_dict(), zone
        expected = {}  # hover labels: Plotly's pseudo-HTML, with the text's <, > and & escaped
        for event_id, label in labels.items():
            dd = _text(ev.loc[event_id, "display_date"].strip())
            when = f"{dd}<br>{_text(label)}" if dd and timed[event_id] else dd or _text(label)
            expected[event_id] = f"{when}<br><b>{_text(ev.loc[event_id, 'title'])}</b>"
        assert page.evaluate(HOVER) == expected, zone
    strike = page.locator("#event-strike-kills-soleimani .tl-date time")
    page.select_option("#tl-zone", "utc")
    assert strike.text_content() == "Thursday 2 January 2020, 21:47 (UTC)"
    page.select_option("#tl-zone", "london")
    assert strike.text_content() == "Thursday 2 January 2020, 21:47 (London, GMT)"
    page.select_option("#tl-zone", "own")
    assert strike.text_content() == ev.loc["strike-kills-soleimani", "display_date"].strip()
    assert strike.get_attribute("title") == "Friday 3 January 2020, 00:47 (UTC+03:00)"
    page.press("#tl-search", "Enter")  # the form never submits (no inline handler either)
    assert page.url.endswith("page.html")
    assert page.console_errors == []
