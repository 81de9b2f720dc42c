"""Reading and writing the CSV files: what is accepted, line numbers, round trips, safe saves."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

import timeline
from timeline.core.schema import EVENTS, TABLES
from timeline.core.store import _read_careful, _read_fast, dumps, read_table
from timeline.errors import ValidationError

TEST_DATA = Path(__file__).resolve().parents[1] / "data"
CONTRACT = TEST_DATA / "contract"
HEADER = "id,start,end,display_date,title,summary,category,actors,location,sources"


def copy(case: Path, tmp_path: Path, name: str = "data") -> Path:
    dest = tmp_path / name
    shutil.copytree(case, dest, ignore=shutil.ignore_patterns("expected.txt", "README.md"))
    return dest


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def events_file(tmp_path: Path, body: str | bytes) -> Path:
    path = tmp_path / "events.csv"
    path.write_bytes(body if isinstance(body, bytes) else body.encode("utf-8"))
    return path


# ------------------------------------------------------------------ accepted input


def test_a_bom_and_crlf_line_ends_are_accepted(tmp_path):
    excel = timeline.load(copy(TEST_DATA / "bom-crlf", tmp_path))
    plain = timeline.load(CONTRACT)
    assert excel.validate() == []
    for t in TABLES:
        pd.testing.assert_frame_equal(excel.raw(t.name), plain.raw(t.name))
        assert list(excel._parsed(t.name)["line"]) == list(plain._parsed(t.name)["line"])
    assert excel.raw("events").columns[0] == "id"  # the BOM is not part of the first column's name


def test_saving_an_excel_folder_writes_the_canonical_form(tmp_path):
    folder = copy(TEST_DATA / "bom-crlf", tmp_path)
    written = timeline.save(timeline.load(folder))
    assert sorted(written) == ["claims.csv", "events.csv", "sources.csv"]
    for t in TABLES:
        assert (folder / t.filename).read_bytes() == (CONTRACT / t.filename).read_bytes()


def test_line_numbers_are_physical_when_a_quoted_cell_spans_lines(tmp_path):
    body = (
        f"{HEADER}\n"
        'a,2020,,,A,"one\ntwo\nthree",x,,,s\n'  # lines 2-4
        "b,2020,,,B,,x,,,s\n"  # line 5
        'c,2020,,,"C\r\nstill C",,x,,,s\n'  # lines 6-7
        "d,2020,,,D,,x,,,s"  # line 8, no final line end
    )
    raw = read_table(events_file(tmp_path, body), EVENTS)
    assert raw.problems == []
    assert raw.lines == [2, 5, 6, 8]
    assert list(raw.frame["id"]) == ["a", "b", "c", "d"]
    assert raw.frame.loc[0, "summary"] == "one\ntwo\nthree"
    assert (
        raw.frame.loc[2, "title"] == "C\nstill C"
    )  # CRLF inside a cell is read as LF, as it is saved


def test_line_numbers_stay_physical_when_the_careful_reader_takes_over(tmp_path):
    body = (
        f"{HEADER}\n"
        'a,2020,,,A,"one\ntwo",x,,,s\n'  # lines 2-3
        "\n"  # a blank line (4) sends the file to the careful reader
        "b,2020,,,B,,x,,,s\n"  # line 5
        "c,2020,,,C,,x,,s\n"  # line 6: one field short
        "d,2020,,,D,,x,,,s\n"  # line 7
    )
    raw = read_table(events_file(tmp_path, body), EVENTS)
    assert raw.lines == [2, 5, 6, 7]
    assert [(p.line, p.message[:40]) for p in raw.problems] == [
        (6, "row has 9 fields but the header has 10 c")
    ]


WELL_FORMED = {
    "plain": f"{HEADER}\na,2020,,,A,,x,,,s\nb,2020-01,,,B,,x,,,s\n",
    "quoted commas and quotes": f'{HEADER}\na,2020,,,"A, B","He said ""no"", then left",x,"P;Q","Baghdad, Iraq",s\n',
    "a cell that is only a quote": f'{HEADER}\na,2020,,,"""",,x,,,s\n',
    "empty quoted cells": f'{HEADER}\na,2020,"",,A,"",x,,,s\n',
    "multi-line cells": f'{HEADER}\na,2020,,,A,"x\n\ny",x,,,s\nb,2020,,,B,"\n",x,,,s\n',
    "crlf": f"{HEADER}\r\na,2020,,,A,,x,,,s\r\nb,2020,,,B,,x,,,s\r\n",
    "no final line end": f"{HEADER}\na,2020,,,A,,x,,,s",
    "header only": f"{HEADER}\n",
    "unicode": f"{HEADER}\na,2020,,,Ébène — “quoted”,Тегеран,x,,,s\n",
    "last cell empty": f'{HEADER}\na,2020,,,A,,x,,,\nb,2020,,,"B,",,x,,,\n',
    "spaces kept": f"{HEADER}\na,2020, , ,  A  ,,x,,,s\n",
    "extra column": f"{HEADER},notes\na,2020,,,A,,x,,,s,a note\n",
}


@pytest.mark.parametrize("text", WELL_FORMED.values(), ids=WELL_FORMED.keys())
def test_the_fast_and_the_careful_reader_agree_on_well_formed_files(text):
    fast = _read_fast(text.encode("utf-8"))
    assert fast is not None, "a well-formed file should take the fast path"
    header, frame, lines = fast
    c_header, c_line, rows, c_lines, problems = _read_careful(text, "events.csv")
    assert problems == []
    assert (header, lines) == ([h.strip() for h in c_header], c_lines)
    assert c_line == 1
    assert frame.to_numpy().tolist() == rows


BROKEN = {
    "too few fields": f"{HEADER}\na,2020,,,A,,x,,,s\nb,2020,,,B,,x,,s\n",
    "too few fields, last cell empty": f"{HEADER}\na,2020,,,A,,x,,,\nb,2020,,,B,,x,,\n",
    "too many fields": f"{HEADER}\na,2020,,,A,,x,,,s\nb,2020,,,B,,x,,,s,extra\n",
    "too many fields on the first row": f"{HEADER}\na,2020,,,A,,x,,Baghdad, Iraq,s\n",
    "text after a closing quote": f'{HEADER}\na,2020,,,"He said "no" today",,x,,,s\n',
    "an unclosed quote": f'{HEADER}\na,2020,,,"A,,x,,,s\nb,2020,,,B,,x,,,s\n',
    "a blank line": f"{HEADER}\na,2020,,,A,,x,,,s\n\nb,2020,,,B,,x,,,s\n",
    "a lone CR": f"{HEADER}\ra,2020,,,A,,x,,,s\r",
    "a NUL byte": f"{HEADER}\na,2020,,,A\x00,,x,,,s\n",
    "a duplicated column": f"{HEADER},title\na,2020,,,A,,x,,,s,B\n",
    "a quoted header": '"id",start\na,2020\n',
}


@pytest.mark.parametrize("text", BROKEN.values(), ids=BROKEN.keys())
def test_the_fast_reader_hands_every_structural_problem_to_the_careful_one(text):
    assert _read_fast(text.encode("utf-8")) is None


def test_a_quote_inside_an_unquoted_cell_is_read_as_it_is_by_the_careful_reader(tmp_path):
    body = f'{HEADER}\na,2020,,,5" screen,,x,,,s\n'
    assert _read_fast(body.encode()) is None  # the quick quote check cannot tell, so it declines
    raw = read_table(events_file(tmp_path, body), EVENTS)
    assert raw.problems == []
    assert raw.frame.loc[0, "title"] == '5" screen'


def test_bytes_that_are_not_utf8_go_to_the_careful_reader(tmp_path):
    body = f"{HEADER}\na,2020,,,Caf\xe9,,x,,,s\n".encode("latin-1")
    assert _read_fast(body) is None
    raw = read_table(events_file(tmp_path, body), EVENTS)
    assert [p.line for p in raw.problems] == [2]
    assert raw.frame.loc[0, "title"] == "Caf\ufffd"  # the row is still read, for the other checks


def test_reading_never_raises_on_garbage(tmp_path):
    garbage = bytes(range(256)) * 7 + b'"\n,,"\r\x00'
    raw = read_table(events_file(tmp_path, garbage), EVENTS)
    assert raw.problems
    assert list(raw.frame.columns[: len(EVENTS.names)]) or raw.frame.empty


@pytest.mark.parametrize(
    ("body", "message"), [(b"", "file is empty"), (b"\n \r\n", "file is empty")]
)
def test_an_empty_file_is_reported(tmp_path, body, message):
    raw = read_table(events_file(tmp_path, body), EVENTS)
    assert [(p.line, p.message.split(";")[0]) for p in raw.problems] == [(1, message)]


def test_a_missing_file_is_reported_without_a_line(tmp_path):
    raw = read_table(tmp_path / "events.csv", EVENTS, shown="data/events.csv")
    (problem,) = raw.problems
    assert (
        str(problem)
        == f"data/events.csv: file is missing; create it with this header row: {HEADER}"
    )
    assert not raw.exists and raw.digest is None


# ------------------------------------------------------------------ saving


@pytest.mark.parametrize("source", ["contract", "valid", "shipped"])
def test_load_then_save_of_a_canonical_folder_is_byte_identical(source, tmp_path, shipped_folder):
    folder = shipped_folder if source == "shipped" else copy(TEST_DATA / source, tmp_path)
    before = snapshot(folder)
    assert timeline.save(timeline.load(folder)) == []
    assert snapshot(folder) == before
    other = tmp_path / "elsewhere"
    timeline.save(timeline.load(folder), other)
    assert snapshot(other) == {t.filename: before[t.filename] for t in TABLES}


def test_extra_columns_are_kept_on_load_and_written_back_on_save(tmp_path):
    folder = copy(CONTRACT, tmp_path)
    text = (folder / "events.csv").read_text(encoding="utf-8").splitlines()
    notes = ["notes,checked_by"] + [f'"note {i}, with a comma",ana' for i in range(1, len(text))]
    (folder / "events.csv").write_text(
        "\n".join(f"{a},{b}" for a, b in zip(text, notes)) + "\n", encoding="utf-8"
    )
    ds = timeline.load(folder)
    assert ds.validate() == []
    assert list(ds.raw("events").columns[-2:]) == ["notes", "checked_by"]
    assert ds.events.loc[0, "notes"] == "note 1, with a comma"
    ds.update("events", "strike", title="US strike kills Qasem Soleimani")
    assert timeline.save(ds) == ["events.csv"]
    lines = (folder / "events.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == f"{HEADER},notes,checked_by"
    assert lines[1].endswith(',"note 1, with a comma",ana')
    assert "US strike kills Qasem Soleimani" in lines[1]
    assert lines[2:] == [f"{a},{b}" for a, b in zip(text, notes)][2:]


def test_extra_columns_come_after_the_contract_columns_whatever_the_file_order(tmp_path):
    df = pd.DataFrame({"notes": ["n"], **{c: [""] for c in reversed(EVENTS.names)}})
    assert dumps(df, EVENTS).splitlines()[0] == f"{HEADER},notes"


def test_save_refuses_an_invalid_dataset_and_writes_nothing(tmp_path):
    folder = copy(TEST_DATA / "invalid" / "unknown-verdict", tmp_path)
    before = snapshot(folder)
    ds = timeline.load(folder)
    with pytest.raises(
        ValidationError, match=r"Refusing to save: 1 error in the data \(nothing was written\)"
    ) as e:
        timeline.save(ds)
    assert [p.column for p in e.value.problems] == ["verdict"]
    assert snapshot(folder) == before
    with pytest.raises(ValidationError):
        timeline.save(ds, tmp_path / "new")
    assert not (tmp_path / "new").exists()


def test_save_is_atomic_when_the_rename_fails(tmp_path, monkeypatch):
    folder = copy(CONTRACT, tmp_path)
    before = snapshot(folder)
    ds = timeline.load(folder)
    ds.update("events", "strike", title="Changed")

    def fail(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError, match="No space left"):
        timeline.save(ds)
    assert snapshot(folder) == before, (
        "the original is intact, and no temporary or lock file is left"
    )


def test_save_is_atomic_when_writing_fails_midway(tmp_path, monkeypatch):
    folder = copy(CONTRACT, tmp_path)
    before = snapshot(folder)
    ds = timeline.load(folder)
    ds.update("events", "strike", title="Changed")
    ds.update("claims", "restraint", rationale="Changed too.")
    real_fsync = os.fsync
    calls = []

    def fsync_then_fail(fd):
        calls.append(fd)
        if (
            len(calls) == 2
        ):  # the second file: the first one is already written to its temporary file
            raise OSError(5, "Input/output error")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync_then_fail)
    with pytest.raises(OSError, match="Input/output error"):
        timeline.save(ds)
    assert len(calls) == 2
    assert snapshot(folder) == before


def test_a_successful_save_leaves_no_temporary_file(tmp_path):
    folder = copy(CONTRACT, tmp_path)
    ds = timeline.load(folder)
    ds.update("events", "strike", title="Changed")
    timeline.save(ds)
    assert sorted(p.name for p in folder.iterdir()) == [
        "claims.csv",
        "events.csv",
        "sources.csv",
        "story.json",
    ]


def test_a_day_stays_a_day(tmp_path):
    folder = copy(CONTRACT, tmp_path)
    ds = timeline.load(folder)
    events = ds.events.set_index("id")
    assert events.loc["statement", "start_precision"] == "day"
    assert pd.isna(events.loc["statement", "start_offset"])
    assert events.loc["strike", "start_precision"] == "minute"
    assert events.loc["strike", "start_offset"] == 180
    assert str(events.loc["strike", "start_at"]) == "2020-01-02 21:47:00+00:00"
    ds.update("events", "commons", start="2020-01", end="2021")
    timeline.save(ds)
    again = timeline.load(folder).events.set_index("id")
    assert (again.loc["commons", "start"], again.loc["commons", "start_precision"]) == (
        "2020-01",
        "month",
    )
    assert (again.loc["commons", "end"], again.loc["commons", "end_precision"]) == ("2021", "year")
    assert again.loc["statement", "start"] == "2020-01-05"  # never written back as a midnight time
    assert "2020-01-05T00:00" not in (folder / "events.csv").read_text(encoding="utf-8")


def test_a_lone_cr_inside_a_cell_is_saved_as_lf(tmp_path):
    folder = copy(CONTRACT, tmp_path)
    ds = timeline.load(folder)
    ds.update("events", "strike", summary="one\rtwo\r\nthree")
    timeline.save(ds)
    assert timeline.load(folder).raw("events").loc[0, "summary"] == "one\ntwo\nthree"
    assert b"\r" not in (folder / "events.csv").read_bytes()


def test_write_atomic_replaces_whole_and_leaves_a_readable_file(tmp_path, monkeypatch):
    from timeline.core.store import write_atomic

    target = tmp_path / "index.html"
    target.write_text("old", encoding="utf-8")
    monkeypatch.setattr(
        os, "replace", lambda src, dst: (_ for _ in ()).throw(OSError(28, "No space"))
    )
    with pytest.raises(OSError, match="No space"):
        write_atomic(target, "new")
    assert [p.name for p in tmp_path.iterdir()] == ["index.html"]
    assert target.read_text(encoding="utf-8") == "old"
    monkeypatch.undo()
    write_atomic(target, "néw".encode())
    assert target.read_bytes() == "néw".encode()
    assert target.stat().st_mode & 0o777 == 0o644
