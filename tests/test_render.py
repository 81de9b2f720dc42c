"""The story fragment: what every reader gets before any script runs."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import timeline
from timeline.figure import build_figure, event_frame
from timeline.render import json_for_script, render_error, render_event_card, render_story, safe_url
from timeline.schema import VERDICT_BY_KEY


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
            self.links.append({**a, "claim": next((i for i in reversed(self.stack) if i and i.startswith("claim-")), None)})
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
        found = sorted(a["href"] for a in links if a["claim"] == f"claim-{claim.id}" and a.get("class") == "tl-source")
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
        assert re.search(rf'class="tl-verdict tl-verdict--{claim.verdict}".*?aria-hidden="true">.+?</span> {label}</span>', block)


def test_day_precision_is_shown_as_a_day_never_midnight(valid_folder: Path) -> None:
    html = render_story(timeline.load(valid_folder))
    assert '<time class="tl-when" datetime="2020-01-06">Monday 6 January 2020</time>' in html
    assert ", 00:00 (" not in html and "T00:00" not in html
    # a time keeps the clock it was written on, with its offset, and offers UTC and London
    assert 'data-utc="Thursday 2 January 2020, 21:47 (UTC)"' in html
    assert 'data-london="Thursday 2 January 2020, 21:47 (London, GMT)"' in html
    assert ">Friday 3 January 2020, 00:47 (UTC+03:00)</time>" in html


def test_hostile_text_is_escaped_and_bad_urls_are_never_links(valid_folder: Path) -> None:
    ds = timeline.load(valid_folder)
    payload = '<img src=x onerror=alert(1)></script><script>alert(2)</script>'
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
    for bad in ["javascript:alert(1)", "data:text/html,x", "/relative", "ftp://x.org", "https://", ""]:
        assert safe_url(bad) == ""


def test_chart_data_matches_the_list(shipped_folder: Path) -> None:
    ds = timeline.load(shipped_folder)
    html = render_story(ds)
    raw = html[html.index('id="tl-data">') + len('id="tl-data">') : html.index("</script>", html.index('id="tl-data">'))]
    data = json.loads(raw)
    assert data["events"]["id"] == list(event_frame(ds)["id"])
    assert {v["key"] for v in data["verdicts"]} >= set(VERDICT_BY_KEY)
    ev = data["events"]
    strike = ev["id"].index("strike-kills-soleimani")
    assert ev["own"][strike] == 180 and ev["london"][strike] == 0
    assert ev["span"][strike] is False  # a time is a point
    day = ev["id"].index("johnson-call-iraqi-pm")
    assert ev["span"][day] is True and ev["e"][day] - ev["s"][day] == 86_400_000  # a day is the whole day


def test_header_has_title_standfirst_last_updated_counts_and_legend(shipped_folder: Path) -> None:
    ds = timeline.load(shipped_folder)
    html = render_story(ds)
    newest = max(ds.claims["reviewed"])
    assert f'Last updated <time datetime="{newest}">' in html
    assert f"{len(ds.events)} events" in html and f"{len(ds.claims)} claims checked" in html
    for v in VERDICT_BY_KEY.values():
        assert f"<dd>{v.meaning}</dd>" in html
    assert '<h1 class="tl-title">The UK&#39;s response to the killing of Qasem Soleimani</h1>' in html


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
