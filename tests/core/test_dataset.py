"""The editing API and save safety: stable rows, atomic writes, stale data and the lock."""

from __future__ import annotations

import difflib
import multiprocessing
import threading
from pathlib import Path

import pytest

import timeline
from timeline.core import dataset as dataset_module
from timeline.core.dataset import LOCK_NAME, folder_lock
from timeline.errors import LockedError, StaleDataError, TimelineError, ValidationError

FILES = ("events.csv", "claims.csv", "sources.csv")
NEW_EVENT = {
    "id": "talks",
    "start": "2020-01-06",
    "display_date": "Monday 6 January 2020, afternoon (UTC+00:00)",
    "title": "Johnson convenes senior ministers",
    "category": "diplomacy",
    "actors": ["Boris Johnson", "Dominic Raab"],
    "sources": ["src-a"],
}


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def line_changes(before: bytes, after: bytes) -> list[str]:
    """The byte-level line diff of a file: its '-old' and '+new' lines only."""
    diff = difflib.diff_bytes(
        difflib.unified_diff, before.split(b"\n"), after.split(b"\n"), lineterm=b"", n=0
    )
    lines = [raw.decode("utf-8") for raw in diff]
    return [line for line in lines if not line.startswith(("---", "+++", "@@"))]


# ------------------------------------------------------------- stable order
def test_load_and_save_unchanged_writes_nothing(valid_folder):
    before = snapshot(valid_folder)
    assert timeline.save(timeline.load(valid_folder)) == []
    assert snapshot(valid_folder) == before


def test_one_edit_is_one_changed_line(valid_folder):
    before = (valid_folder / "events.csv").read_bytes()
    ds = timeline.load(valid_folder)
    ds.update("events", "statement", title="Joint statement by Johnson, Merkel and Macron")
    assert timeline.save(ds) == ["events.csv"]
    after = (valid_folder / "events.csv").read_bytes()
    assert line_changes(before, after) == [
        "-statement,2020-01-05,,Sunday evening,Joint statement,Leaders urge restraint.,diplomacy,"
        "Boris Johnson;Angela Merkel,,src-b",
        '+statement,2020-01-05,,Sunday evening,"Joint statement by Johnson, Merkel and Macron",'
        "Leaders urge restraint.,diplomacy,Boris Johnson;Angela Merkel,,src-b",
    ]
    # the line stays where it was: same line number before and after
    assert before.split(b"\n").index(line_changes(before, after)[0][1:].encode()) == 2
    assert after.split(b"\n")[2].startswith(b"statement,")


def test_an_add_is_one_appended_line_and_a_remove_one_removed_line(valid_folder):
    before = (valid_folder / "events.csv").read_bytes()
    ds = timeline.load(valid_folder)
    ds.add_event(**NEW_EVENT)
    timeline.save(ds)
    added = (valid_folder / "events.csv").read_bytes()
    assert added.startswith(before)
    assert line_changes(before, added) == [
        '+talks,2020-01-06,,"Monday 6 January 2020, afternoon (UTC+00:00)",Johnson convenes senior ministers,,'
        "diplomacy,Boris Johnson;Dominic Raab,,src-a"
    ]
    ds.remove("events", "talks")
    timeline.save(ds)
    assert (valid_folder / "events.csv").read_bytes() == before


def test_an_edit_of_the_shipped_data_is_one_changed_line(shipped_folder):
    """The shipped data is canonical: a save changes only the edited row."""
    before = snapshot(shipped_folder)
    ds = timeline.load(shipped_folder)
    assert timeline.save(ds) == [], "data/ is not in canonical form: run a load + save once"
    first = ds.ids("events")[0]
    ds.update("events", first, title=ds.get("events", first)["title"] + " (edited)")
    assert timeline.save(ds) == ["events.csv"]
    after = snapshot(shipped_folder)
    changes = line_changes(before["events.csv"], after["events.csv"])
    assert (
        len(changes) == 2
        and changes[0].startswith(f"-{first},")
        and changes[1].startswith(f"+{first},")
    )
    assert {k: v for k, v in after.items() if k != "events.csv"} == {
        k: v for k, v in before.items() if k != "events.csv"
    }


# ---------------------------------------------------------------- editing
def test_add_claim_with_its_source_in_one_step(valid_folder):
    ds = timeline.load(valid_folder)
    ds.add_claim(
        id="no-warning",
        event_id="briefing",
        claimant="Prime Minister's official spokesman",
        claim="The UK was given no prior warning of the attack.",
        verdict="accurate",
        rationale="Confirmed by the Foreign Secretary.",
        reviewed="2020-01-07",
        source={
            "id": "src-c",
            "title": "Raab statement",
            "publisher": "FCO",
            "published": "2020-01-03",
        },
    )
    assert ds.get("claims", "no-warning")["said_in"] == "src-c"
    assert ds.errors() == []
    timeline.save(ds)
    again = timeline.load(valid_folder)
    assert again.get("sources", "src-c")["publisher"] == "FCO"
    assert again.errors() == []


def test_a_refused_claim_does_not_leave_its_source_behind(valid_folder):
    ds = timeline.load(valid_folder)
    with pytest.raises(TimelineError, match="claim id 'appeal' already exists"):
        ds.add_claim(
            id="appeal", event_id="briefing", source={"id": "src-c", "title": "T", "publisher": "P"}
        )
    assert "src-c" not in ds.ids("sources")


def test_remove_is_refused_while_referenced(valid_folder):
    ds = timeline.load(valid_folder)
    with pytest.raises(TimelineError) as e:
        ds.remove("sources", "src-b")
    assert str(e.value) == (
        "cannot remove source 'src-b': it is referenced by events/strike (sources), events/statement (sources), "
        "claims/right-to-act (evidence); remove or change those first"
    )
    assert "src-b" in ds.ids("sources")
    ds.remove("claims", "appeal")
    assert ds.ids("claims") == ["right-to-act"]


def test_update_refuses_a_referenced_rename_an_existing_id_and_an_unknown_column(valid_folder):
    ds = timeline.load(valid_folder)
    with pytest.raises(
        TimelineError,
        match="cannot rename event 'briefing': it is referenced by claims/right-to-act",
    ):
        ds.update("events", "briefing", id="lobby")
    with pytest.raises(
        TimelineError, match="cannot rename event 'strike' to 'statement': that id already exists"
    ):
        ds.update("events", "strike", id="statement")
    with pytest.raises(TimelineError, match="events have no column 'titel'; did you mean 'title'"):
        ds.update("events", "strike", titel="x")
    ds.update(
        "event", "strike", id="us-strike"
    )  # unreferenced: fine; singular table names work too
    assert ds.ids("events")[0] == "us-strike"
    with pytest.raises(KeyError, match="no event with id 'nope'"):
        ds.update("events", "nope", title="x")


def test_cells_are_stripped_and_lists_joined(valid_folder):
    ds = timeline.load(valid_folder)
    row = ds.add_event(**{**NEW_EVENT, "title": "  Talks  ", "sources": [" src-a ", "", "src-b"]})
    assert row["title"] == "Talks" and row["sources"] == "src-a;src-b"


def test_draft_problems_are_the_drafts_own(valid_folder):
    ds = timeline.load(valid_folder)
    problems = ds.draft_problems(
        "events", {**NEW_EVENT, "start": "2020-01-06T14:00", "sources": "nope"}
    )
    assert [(p.line, p.column) for p in problems] == [(None, "start"), (None, "sources")]
    assert "has a time but no UTC offset" in problems[0].message
    assert "unknown source id 'nope'" in problems[1].message
    edit = ds.draft_problems("claims", {"verdict": "flase"}, id="appeal")
    assert [(p.line, p.column) for p in edit] == [(3, "verdict")]
    assert ds.get("claims", "appeal")["verdict"] == "not-rated", "a draft never changes the dataset"
    assert ds.draft_problems("events", NEW_EVENT) == []


# ------------------------------------------------------------------- diff
def test_diff_lists_rows_per_file_and_the_line_diff(valid_folder):
    ds = timeline.load(valid_folder)
    ds.add_event(**NEW_EVENT)
    ds.update("claims", "appeal", verdict="needs-context")
    ds.remove("claims", "right-to-act")
    diff = ds.diff(timeline.load(valid_folder))
    assert diff.counts() == {
        "events": {"added": 1, "changed": 0, "removed": 0},
        "claims": {"added": 0, "changed": 1, "removed": 1},
        "sources": {"added": 0, "changed": 0, "removed": 0},
    }
    assert str(diff).splitlines() == [
        "events.csv: 1 added, 0 changed, 0 removed",
        "  + talks",
        "claims.csv: 0 added, 1 changed, 1 removed",
        "  - right-to-act",
        "  ~ appeal: verdict: 'not-rated' -> 'needs-context'",
    ]
    unified = diff.unified()
    assert "+++ b/events.csv" in unified and "\n+talks,2020-01-06," in unified
    assert "\n-right-to-act," in unified and "\n+appeal," in unified
    assert not timeline.load(valid_folder).diff(timeline.load(valid_folder))
    assert str(timeline.load(valid_folder).diff(timeline.load(valid_folder))) == "No changes."


# ------------------------------------------------------------ save safety
def test_save_refuses_an_invalid_dataset_and_writes_nothing(valid_folder):
    before = snapshot(valid_folder)
    ds = timeline.load(valid_folder)
    ds.update("claims", "appeal", verdict="Flase")
    with pytest.raises(ValidationError, match="claims.csv:3: verdict: 'Flase' is not a verdict"):
        timeline.save(ds)
    assert snapshot(valid_folder) == before


def test_save_refuses_after_an_outside_change(valid_folder):
    ds = timeline.load(valid_folder)
    ds.update("events", "strike", title="Mine")
    outside = (
        (valid_folder / "claims.csv")
        .read_text(encoding="utf-8")
        .replace("Contested.", "Colleague's edit.")
    )
    (valid_folder / "claims.csv").write_text(outside, encoding="utf-8")
    before = snapshot(valid_folder)
    with pytest.raises(StaleDataError, match="claims.csv changed on disk since it was loaded"):
        timeline.save(ds)
    assert snapshot(valid_folder) == before
    fresh = timeline.load(valid_folder)
    fresh.update("events", "strike", title="Mine")
    timeline.save(fresh)
    assert "Colleague's edit." in (valid_folder / "claims.csv").read_text(encoding="utf-8")


def test_a_second_save_after_the_first_is_stale(valid_folder):
    one, two = timeline.load(valid_folder), timeline.load(valid_folder)
    one.update("events", "strike", title="One")
    two.update("events", "statement", title="Two")
    timeline.save(one)
    with pytest.raises(StaleDataError):
        timeline.save(two)
    timeline.save(one)  # the saver's own later saves are not stale
    one.update("events", "strike", title="One again")
    assert timeline.save(one) == ["events.csv"]


def test_save_refuses_while_the_lock_is_held(valid_folder):
    ds = timeline.load(valid_folder)
    ds.update("events", "strike", title="Locked out")
    before = snapshot(valid_folder)
    with folder_lock(valid_folder):
        with pytest.raises(LockedError, match=r"\.timeline\.lock: another save is in progress"):
            timeline.save(ds)
        assert (valid_folder / LOCK_NAME).exists()
    assert not (valid_folder / LOCK_NAME).exists()
    assert snapshot(valid_folder) == before
    timeline.save(ds)
    assert sorted(p.name for p in valid_folder.iterdir()) == sorted(FILES), (
        "nothing else in the folder changes"
    )


def test_two_concurrent_saves_cannot_interleave(valid_folder, monkeypatch):
    """While one save is between its writes, the other is refused; the files are the winner's."""
    one, two = timeline.load(valid_folder), timeline.load(valid_folder)
    one.add_event(**NEW_EVENT)
    one.update("claims", "appeal", rationale="One's rationale.")
    two.update("events", "strike", title="Two")
    two.update("claims", "appeal", rationale="Two's rationale.")
    inside, release = threading.Event(), threading.Event()
    commit = dataset_module._commit

    def slow_commit(folder, texts):
        inside.set()
        assert release.wait(120)
        commit(folder, texts)

    monkeypatch.setattr(dataset_module, "_commit", slow_commit)
    errors: list[BaseException] = []
    first = threading.Thread(target=lambda: _run(timeline.save, one, errors))
    first.start()
    assert inside.wait(120)
    with pytest.raises(LockedError):
        timeline.save(two)
    release.set()
    first.join(120)
    assert not first.is_alive(), "the first save never finished"
    assert errors == []
    monkeypatch.setattr(dataset_module, "_commit", commit)
    with pytest.raises(StaleDataError):  # and afterwards the loser is stale, never overwriting
        timeline.save(two)
    on_disk = timeline.load(valid_folder)
    assert on_disk.get("claims", "appeal")["rationale"] == "One's rationale."
    assert on_disk.get("events", "strike")["title"] == "US strike kills Soleimani"
    assert "talks" in on_disk.ids("events") and on_disk.errors() == []


def _run(fn, arg, errors):
    try:
        fn(arg)
    except BaseException as e:  # reported to the test thread
        errors.append(e)


ROUNDS = 3


def _racer(folder: str, me: str, start, barrier, results) -> None:  # runs in a child process
    """Each round: once the test says go, load, edit, wait for the others, save. ``me`` and the
    round make each edit unique, so every edit changes the files. One process races every round
    (spawning a process imports pandas anew: 4 racers for 3 rounds, not 12)."""
    for round_ in range(ROUNDS):
        start.wait(120)  # the test has checked the last round's files
        who = f"{me}-r{round_}"
        ds = timeline.load(folder)
        ds.update("claims", "appeal", rationale=f"Saved by {who}.")
        ds.update("events", "briefing", summary=f"Briefing edited by {who}.")
        barrier.wait(60)  # every racer has loaded the same files; now all save at once
        try:
            timeline.save(ds)
        except timeline.SaveError as e:
            results.put((round_, who, type(e).__name__))
        else:
            results.put((round_, who, "saved"))


def test_concurrent_saves_from_processes_have_exactly_one_winner(valid_folder):
    ctx = multiprocessing.get_context("spawn")
    start, barrier, results = ctx.Barrier(5), ctx.Barrier(4), ctx.Queue()
    racers = [
        ctx.Process(target=_racer, args=(str(valid_folder), f"p{i}", start, barrier, results))
        for i in range(4)
    ]
    for r in racers:
        r.start()
    try:
        for round_ in range(ROUNDS):
            start.wait(120)
            answers = [results.get(timeout=120) for _r in racers]
            assert {a[0] for a in answers} == {round_}, answers
            outcomes = {who: outcome for _round, who, outcome in answers}
            assert sorted(outcomes.values()).count("saved") == 1, outcomes
            assert set(outcomes.values()) <= {"saved", "LockedError", "StaleDataError"}
            winner = next(me for me, outcome in outcomes.items() if outcome == "saved")
            ds = timeline.load(valid_folder)
            assert ds.errors() == []
            assert ds.get("claims", "appeal")["rationale"] == f"Saved by {winner}."
            assert ds.get("events", "briefing")["summary"] == f"Briefing edited by {winner}."
            assert sorted(p.name for p in valid_folder.iterdir()) == sorted(FILES)
        for r in racers:
            r.join(60)
        assert [r.exitcode for r in racers] == [0, 0, 0, 0]
    finally:
        for r in racers:
            if r.is_alive():
                r.kill()


def test_a_failed_write_leaves_every_file_as_it_was(valid_folder, monkeypatch):
    ds = timeline.load(valid_folder)
    ds.add_event(**NEW_EVENT)
    ds.update("claims", "appeal", rationale="Changed.")
    before = snapshot(valid_folder)
    calls = {"n": 0}
    real_fsync = dataset_module.os.fsync

    def failing_fsync(fd):
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError(28, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(dataset_module.os, "fsync", failing_fsync)
    with pytest.raises(OSError, match="No space left"):
        timeline.save(ds)
    monkeypatch.undo()
    assert snapshot(valid_folder) == before, (
        "no file replaced, no temporary file or lock left behind"
    )


def test_lines_follow_the_saved_file(valid_folder):
    ds = timeline.load(valid_folder)
    ds.remove("events", "strike")
    ds.add_event(**NEW_EVENT)
    timeline.save(ds)
    assert ds.events["line"].tolist() == [2, 3, 4]
    ds.update("events", "talks", start="2020-01-06T15:00")
    assert [(p.line, p.column) for p in ds.errors()] == [(4, "start")]


def test_missing_ok_reads_a_missing_folder_or_file_as_empty_tables_that_save_creates(
    tmp_path, valid_folder
):
    with pytest.raises(timeline.LoadError, match="no such data folder"):
        timeline.load(tmp_path / "new")
    ds = timeline.load(tmp_path / "new", missing_ok=True)
    assert ds.summary() == "0 events, 0 claims, 0 sources" and ds.errors() == []
    (valid_folder / "claims.csv").unlink()
    assert [p.message for p in timeline.load(valid_folder).errors()][0].startswith(
        "file is missing"
    )
    ds = timeline.load(valid_folder, missing_ok=True)
    assert ds.errors() == [] and ds.counts()["claims"] == 0
    # references are checked against the working tables, whatever is on disk
    bad = timeline.load(tmp_path / "new", missing_ok=True).draft_problems("events", NEW_EVENT)
    assert [p.message for p in bad if p.column == "sources"][0].startswith(
        "unknown source id 'src-a'"
    )
    assert timeline.save(ds) == ["claims.csv"]
    assert (valid_folder / "claims.csv").read_text(encoding="utf-8").startswith("id,event_id,")
    new = timeline.load(tmp_path / "new", missing_ok=True)
    assert sorted(timeline.save(new)) == sorted(FILES) and sorted(
        p.name for p in (tmp_path / "new").iterdir()
    ) == sorted(FILES)


def test_save_writes_also_files_in_the_same_commit_and_refuses_them_stale(valid_folder):
    ds = timeline.load(valid_folder)
    ds.add_event(**NEW_EVENT)
    story = '{\n  "title": "T",\n  "standfirst": ""\n}\n'
    assert timeline.save(ds, also={"story.json": (story, None)}) == ["events.csv", "story.json"]
    assert (valid_folder / "story.json").read_text(encoding="utf-8") == story
    assert (
        timeline.save(ds, also={"story.json": (story, story.encode())}) == []
    )  # unchanged: not written
    (valid_folder / "story.json").write_text("{}", encoding="utf-8")  # a colleague's
    ds.update("events", "talks", title="Changed")
    before = snapshot(valid_folder)
    with pytest.raises(StaleDataError, match=r"story\.json changed on disk since it was loaded"):
        timeline.save(ds, also={"story.json": (story, story.encode())})
    assert snapshot(valid_folder) == before


def test_what_views_derive_is_made_once_and_again_after_an_edit(valid_folder):
    """``Dataset.derived`` remembers a value made from the tables (the chart's event frame, asked
    for by four parts of a site build) until an edit, an undone edit or a copy."""
    from timeline.views.figure import event_frame

    ds = timeline.load(valid_folder)
    made: list[int] = []
    assert ds.derived("n", lambda: made.append(1) or len(made)) == 1
    assert ds.derived("n", lambda: made.append(1) or len(made)) == 1 and made == [1]
    frame = event_frame(ds)
    assert event_frame(ds) is frame  # shared, not made again
    first = ds.ids("events")[0]
    ds.update("events", first, title="A title edited in the notebook")
    assert ds.derived("n", lambda: made.append(1) or len(made)) == 2
    again = event_frame(ds)
    assert again is not frame
    assert "A title edited in the notebook" in again["title"].tolist()
    assert "A title edited in the notebook" not in frame["title"].tolist()
    clone = ds.copy()
    assert (
        event_frame(clone) is not again
        and event_frame(clone)["title"].tolist() == again["title"].tolist()
    )
