"""The corrections log: load, validate (file:line messages), render, and draft rows from a diff."""

from __future__ import annotations

import shutil
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

import timeline
from timeline.core.changes import describe_changes, draft_corrections, dumps_drafts
from timeline.core.corrections import (
    CORRECTION_KINDS,
    CORRECTIONS,
    check_corrections,
    load_corrections,
    parse_target,
    validate_corrections,
)
from timeline.core.dates import explain, today
from timeline.views.corrections_html import render_corrections

TEST_DATA = Path(__file__).resolve().parents[1] / "data"
HEADER = "date,target,change,note\n"
GOOD = (
    HEADER
    + '2020-01-08,event:strike,correction,"Time corrected: 00:47, not 01:00 <b>Baghdad</b> time."\n'
    + "2020-01-10,claim:right-to-act,verdict-change,Verdict changed from Accurate to Disputed.\n"
    + "2020-01-09,source:src-a,update,Link updated.\n"
    + "2020-01-11,event:duplicate-strike,removal,Removed a duplicate of the strike.\n"
)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    dest = tmp_path / "data"
    shutil.copytree(TEST_DATA / "valid", dest)
    return dest


def write(folder: Path, text: str) -> Path:
    path = folder / "corrections.csv"
    path.write_text(text, encoding="utf-8")
    return path


def messages(folder: Path) -> list[str]:
    ds = timeline.load(folder)
    df, problems = load_corrections(folder)
    return [str(p) for p in problems + validate_corrections(df, ds.target_ids())]


def test_the_file_is_optional(folder: Path) -> None:
    df, problems = load_corrections(folder)
    assert (len(df), problems) == (0, [])
    assert list(df.columns) == [*CORRECTIONS.names, "line"]
    assert check_corrections(folder, timeline.load(folder).target_ids()) == []


def test_a_good_log_loads_with_lines_and_has_no_problems(folder: Path) -> None:
    write(folder, GOOD)
    df, problems = load_corrections(folder)
    assert problems == []
    assert df["line"].tolist() == [2, 3, 4, 5]
    assert df["target"].tolist()[:2] == ["event:strike", "claim:right-to-act"]
    assert check_corrections(folder, timeline.load(folder).target_ids()) == []


def test_every_problem_with_file_line_column_and_fix(folder: Path) -> None:
    path = write(
        folder,
        HEADER
        + '2020-02-30,strike,corection,=HYPERLINK("x")\n'
        + "03/01/2020,event:strik,update,\n"
        + "2020-01-12,claim:nope,removal,Removed a claim.\n"  # a removal's target may be gone
        + "2020-01-12,story:intro,update,Rewrote the introduction.\n"
        + "2020-01-12,page:about,update,Rewrote the about page.\n",
    )
    assert messages(folder) == [
        f"{path}:2: date: {explain('2020-02-30')}",
        f"{path}:2: target: 'strike' is not a target; did you mean 'event:strike'? write event:<id>, "
        "claim:<id> or source:<id> with the id from events.csv, claims.csv or sources.csv, or story:title "
        "or story:standfirst",
        f"{path}:2: change: 'corection' is not a change kind; did you mean 'correction'? use one of: "
        "correction, verdict-change, clarification, update, removal",
        f"{path}:3: note: is empty but required; fill it in (What changed and why, in a sentence readers can "
        "follow.)",
        f"{path}:3: date: {explain('03/01/2020')}",  # the dates module's wording, tested there
        f"{path}:3: target: unknown event id 'strik'; did you mean 'strike'? fix the id, add the event to "
        "events.csv, or use change 'removal' if it was taken out",
        f"{path}:5: target: unknown story field 'intro'; write story:title or story:standfirst",
        f"{path}:6: target: 'page:about' is not a target; write event:<id>, claim:<id> or source:<id> with "
        "the id from events.csv, claims.csv or sources.csv, or story:title or story:standfirst",
        f"{path}:2: note: warning: '=HYPERLINK(\"x\")' starts with '=', which a spreadsheet runs as a "
        "formula; reword it or start it with another character",
    ]


def test_read_problems_come_back_too(folder: Path) -> None:
    path = write(folder, 'date,target,note\n2020-01-08,event:strike,"unclosed\n')
    df, problems = load_corrections(folder)
    # The store reads the file (its wording is tested with the store): each problem keeps file and line.
    assert [(p.file, p.line, p.column) for p in problems if p.line == 1] == [
        (str(path), 1, "change")
    ]
    assert [(p.file, p.line) for p in problems if p.line != 1] == [(str(path), 2)]
    assert "change" in df.columns  # the missing column is there, empty, so validation can go on


def test_targets_and_vocabulary_are_data() -> None:
    assert parse_target("event:strike") == ("events", "strike")
    assert parse_target("claim:c1-x") == ("claims", "c1-x")
    assert parse_target("source:src-a") == ("sources", "src-a")
    assert parse_target("Event:Strike") is None and parse_target("strike") is None
    assert parse_target("story:standfirst") == ("story", "standfirst")


def test_a_story_target_is_checked_and_shown_by_name(folder: Path) -> None:
    write(folder, HEADER + "2020-01-12,story:title,clarification,The title now names the place.\n"
          "2020-01-13,story:standfirst,correction,The standfirst gave the wrong day.\n")  # fmt: skip
    ds = timeline.load(folder)
    assert check_corrections(ds.folder, ds.target_ids()) == []
    html = str(render_corrections(ds, home="index.html"))
    assert "the story&#39;s title</a>" in html and "the story&#39;s standfirst</a>" in html
    assert 'href="index.html"' in html and "story:" not in html
    assert [c.key for c in CORRECTION_KINDS] == [
        "correction",
        "verdict-change",
        "clarification",
        "update",
        "removal",
    ]
    assert [c.key for c in CORRECTION_KINDS if not c.target_must_exist] == ["removal"]


def test_today_follows_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1578614400")
    assert today() == "2020-01-10"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "soon")
    with pytest.raises(
        ValueError, match="SOURCE_DATE_EPOCH='soon' is not a number of seconds since 1970"
    ):
        today()


class Section(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.starts: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        self.starts.append((tag, dict(attrs)))

    def handle_data(self, data):  # type: ignore[no-untyped-def]
        self.text.append(data)


def test_render_newest_first_dated_linked_and_escaped(folder: Path) -> None:
    write(folder, GOOD)
    html = str(render_corrections(timeline.load(folder)))
    p = Section()
    p.feed(html)
    assert p.starts[0] == (
        "section",
        {"class": "tl-corrections", "aria-labelledby": "tl-corrections-h"},
    )
    assert p.starts[1] == ("h2", {"id": "tl-corrections-h"})
    assert "Corrections and updates" in p.text
    times = [a["datetime"] for tag, a in p.starts if tag == "time"]
    assert times == ["2020-01-11", "2020-01-10", "2020-01-09", "2020-01-08"]
    hrefs = [a["href"] for tag, a in p.starts if tag == "a"]
    assert hrefs == [
        "#claim-right-to-act",
        "https://example.org/a",
        "#event-strike",
    ]  # the removed event: no link
    assert [a.get("rel") for tag, a in p.starts if tag == "a"] == [
        None,
        "noopener noreferrer",
        None,
    ]
    assert "b" not in [tag for tag, _ in p.starts]  # CSV text is escaped
    assert "Time corrected: 00:47, not 01:00 &lt;b&gt;Baghdad&lt;/b&gt; time." in html
    assert "Saturday 11 January 2020" in p.text
    assert "Verdict changed" in p.text and "US strike kills Soleimani" in p.text


def test_render_a_frame_never_links_another_scheme(folder: Path) -> None:
    ds = timeline.load(folder)
    ds.update("sources", "src-a", url="javascript:alert(1)")
    df = pd.DataFrame(
        [{"date": "2020-01", "target": "source:src-a", "change": "update", "note": "x"}]
    )
    html = str(render_corrections(df, dataset=ds, heading_id="corr"))
    assert "javascript" not in html and "<a " not in html
    assert (
        'aria-labelledby="corr"' in html and '<time datetime="2020-01">January 2020</time>' in html
    )


def test_render_empty_log(folder: Path) -> None:
    ds = timeline.load(folder)
    assert "No corrections or updates have been published" in str(render_corrections(ds))
    assert str(render_corrections(ds, empty_text=None)) == ""


def test_drafts_from_a_diff_validate_against_the_new_data(folder: Path, tmp_path: Path) -> None:
    old = timeline.load(folder)
    new = old.copy()
    new.update(
        "claims", "right-to-act", verdict="inaccurate", rationale="The record contradicts it."
    )
    new.update("events", "briefing", start="2020-01-07", title="Lobby briefing (Tuesday)")
    new.add_event(
        id="talks", start="2020-01-06", title="Crisis talks", category="diplomacy", sources="src-b"
    )
    new.remove("claims", "appeal")
    new.update("sources", "src-b", accessed="2020-02-01")  # a re-read, not a correction
    rows = draft_corrections(describe_changes(old, new), date="2020-01-10")
    assert dumps_drafts(rows) == (
        "2020-01-10,event:talks,update,Added event: Crisis talks.\n"
        "2020-01-10,event:briefing,correction,Start changed from '2020-01-06' to '2020-01-07'; title changed "
        "from 'Lobby briefing' to 'Lobby briefing (Tuesday)'.\n"
        "2020-01-10,claim:appeal,removal,\"Removed claim by Prime Minister's official spokesman: "
        '“We urge restraint.”, not rated."\n'
        "2020-01-10,claim:right-to-act,verdict-change,Verdict changed from Disputed to Inaccurate.\n"
        "2020-01-10,claim:right-to-act,update,Rationale revised.\n"
    )
    df = pd.DataFrame(rows)
    df["line"] = pd.array(range(2, len(rows) + 2), dtype="Int64")
    assert validate_corrections(df, new.target_ids(), file="corrections.csv") == []
    assert (
        dumps_drafts(rows[:1], header=True)
        == HEADER + "2020-01-10,event:talks,update,Added event: Crisis talks.\n"
    )
