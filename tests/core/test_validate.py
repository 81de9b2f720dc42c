"""The validator: every bad input of the data contract, with the exact message users see.

Data-driven: each folder under ``tests/data/invalid/`` (errors: exit 1) and
``tests/data/warnings/`` (warnings only: exit 0) holds the three CSV files (one may
be missing on purpose), a ``README.md`` saying what is wrong, and ``expected.txt``:
the exact output of ``timeline validate data`` run on a copy named ``data``. A
missing ``expected.txt`` is written from the current output and the test fails, so
that a new golden file is reviewed before it is committed.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

import timeline
from timeline.cli import cli
from timeline.core.schema import TABLES, VERDICTS
from timeline.core.validate import validate_tables
from timeline.problems import Problem

TEST_DATA = Path(__file__).resolve().parents[1] / "data"
INVALID = sorted(p for p in (TEST_DATA / "invalid").iterdir() if p.is_dir())
WARNINGS = sorted(p for p in (TEST_DATA / "warnings").iterdir() if p.is_dir())
NOT_DATA = shutil.ignore_patterns("expected.txt", "README.md")

# Every bad input issue 2 lists, and the case folder that covers it.
COVERED = {
    "a missing file": "missing-file",
    "a missing column": "missing-column",
    "a misspelt column (the closest is suggested)": "misspelt-column",
    "a duplicated column": "duplicated-column",
    "a row with too many fields": "too-many-fields",
    "a row with too few fields": "too-few-fields",
    "an unclosed quote": "unclosed-quote",
    "an unclosed quote at the end of the file": "unclosed-quote-last-row",
    "an undoubled quote inside a quoted cell": "text-after-quote",
    "bytes that are not UTF-8": "not-utf8",
    "a duplicate id (naming both lines)": "duplicate-id",
    "a reference to an unknown event (misspelt: closest suggested)": "unknown-event",
    "a reference to an unknown source": "unknown-source",
    "an event without a source": "event-without-source",
    "a claim without a source": "claim-without-source",
    "an ambiguous date": "ambiguous-date",
    "an impossible date": "impossible-date",
    "a time without offset": "time-without-offset",
    "an end before its start": "end-before-start",
    "a URL that is not absolute http(s)": "bad-urls",
    "an unknown verdict (closest suggested)": "unknown-verdict",
    "an empty required field": "empty-required",
    "physical lines after a cell spanning lines": "multiline-cell",
    "all of them together in one run": "everything",
    "formula injection (= + - @)": "formula-injection",
    "a category used once": "category-once",
    "a claimant_type outside its vocabulary (closest suggested)": "unknown-claimant-type",
    "a headline over 110 characters": "long-headline",
    "unambiguous dates in other shapes (what to write)": "non-iso-dates",
    "a display date contradicting start/end": "display-date-contradicts",
    "a story without a title": "no-title",
    "a bottom line over 200 characters, or on two lines": "long-bottom-line",
}


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file in ``folder`` (hidden ones too) and its bytes."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def run_validate(case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, int]:
    """Run ``timeline validate data`` on a copy of ``case`` named ``data``; check it changed nothing."""
    data = tmp_path / "data"
    shutil.copytree(case, data, ignore=NOT_DATA)
    before = snapshot(data)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["validate", "data"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert snapshot(data) == before, "validate must never change, add or remove a file"
    return result.output, result.exit_code


def expect(case: Path, output: str) -> None:
    golden = case / "expected.txt"
    if not golden.exists():
        golden.write_text(output, encoding="utf-8")
        pytest.fail(f"wrote {golden}: review it, then commit it")
    assert output == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("case", INVALID, ids=lambda p: p.name)
def test_each_bad_input_is_an_error_with_its_exact_message(case, tmp_path, monkeypatch):
    output, code = run_validate(case, tmp_path, monkeypatch)
    expect(case, output)
    assert code == 1
    assert re.search(r"^\d+ errors?, \d+ warnings? in data; no file was changed$", output, re.M)


@pytest.mark.parametrize("case", WARNINGS, ids=lambda p: p.name)
def test_warnings_alone_keep_the_exit_code_at_zero(case, tmp_path, monkeypatch):
    output, code = run_validate(case, tmp_path, monkeypatch)
    expect(case, output)
    assert code == 0
    assert output.splitlines()[-1].startswith("OK: ")
    assert all(" warning: " in line for line in output.splitlines()[:-1])


def test_every_listed_bad_input_has_a_case_with_a_readme():
    names = {p.name for p in INVALID + WARNINGS}
    assert set(COVERED.values()) <= names
    for case in INVALID + WARNINGS:
        assert (case / "README.md").read_text(encoding="utf-8").strip(), case


def test_every_problem_line_names_file_line_and_column(tmp_path, monkeypatch):
    output, _code = run_validate(TEST_DATA / "invalid" / "everything", tmp_path, monkeypatch)
    problems = output.splitlines()[:-1]
    assert len(problems) == 17
    for line in problems:
        # FILE:LINE: COLUMN: message, or FILE:LINE: message for a whole row.
        assert re.match(
            r"^data/(events|claims|sources)\.csv:\d+: ([a-z_]+: )?(warning: )?\S", line
        ), line
    # Errors come first, then warnings; every file is reported in the one run.
    kinds = [" warning: " in line for line in problems]
    assert kinds == sorted(kinds)
    assert {line.split(":")[0] for line in problems} == {
        "data/events.csv",
        "data/claims.csv",
        "data/sources.csv",
    }


@pytest.mark.parametrize("case", INVALID + WARNINGS, ids=lambda p: p.name)
def test_each_message_says_what_where_and_how_to_fix(case, tmp_path, monkeypatch):
    output, _code = run_validate(case, tmp_path, monkeypatch)
    for line in output.splitlines()[:-1]:
        message = line.split(": ", 1)[1]
        # A fix follows the description of what is wrong: after a ';' or as a question.
        assert ";" in message or "?" in message, line
        assert len(message) > 40, line


# ----------------------------------------------------------------- library


def test_a_duplicate_id_is_reported_on_both_lines_each_naming_the_other(tmp_path):
    shutil.copytree(TEST_DATA / "invalid" / "duplicate-id", tmp_path / "d", ignore=NOT_DATA)
    problems = timeline.load(tmp_path / "d").validate()
    dup = [p for p in problems if p.column == "id"]
    assert [(p.line, p.severity) for p in dup] == [(4, "error"), (5, "error")]
    assert "(also on line 5)" in dup[0].message
    assert "(also on line 4)" in dup[1].message


def test_all_problems_come_back_from_one_call_errors_first(tmp_path):
    shutil.copytree(TEST_DATA / "invalid" / "everything", tmp_path / "d", ignore=NOT_DATA)
    problems = timeline.load(tmp_path / "d").validate()
    severities = [p.severity for p in problems]
    assert severities.count("error") == 16
    assert severities == sorted(severities, key=lambda s: s != "error")
    assert all(isinstance(p, Problem) for p in problems)


def test_a_valid_folder_has_no_problem_at_all(tmp_path):
    shutil.copytree(TEST_DATA / "contract", tmp_path / "d", ignore=NOT_DATA)
    assert timeline.load(tmp_path / "d").validate() == []


def test_the_shipped_data_has_no_error(shipped_folder):
    assert timeline.load(shipped_folder).errors() == []


def frames(**changes: dict[str, str]) -> dict[str, pd.DataFrame]:
    """The contract folder as frames, with ``changes[table] = {"row": .., column: value}``."""
    out = {
        t.name: pd.read_csv(
            TEST_DATA / "contract" / t.filename, dtype=object, keep_default_na=False
        )
        for t in TABLES
    }
    for table, change in changes.items():
        row = change.pop("row")
        df = out[table]
        for column, value in change.items():
            df.loc[df["id"] == row, column] = value
    return out


def check(**changes: dict[str, str]) -> list[Problem]:
    f = frames(**changes)
    lines = {name: list(range(2, len(df) + 2)) for name, df in f.items()}
    return validate_tables(f, lines, {t.name: t.filename for t in TABLES})


@pytest.mark.parametrize("verdict", [v.key for v in VERDICTS])
def test_every_verdict_in_the_table_is_accepted(verdict):
    assert check(claims={"row": "imminent", "verdict": verdict}) == []


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://example.org/a?b=c#d", True),
        ("http://example.org", True),
        ("  https://example.org/padded  ", True),
        ("javascript:alert(1)", False),
        ("JavaScript:alert(1)", False),
        ("data:text/html;base64,PHNjcmlwdD4=", False),
        ("/relative/path", False),
        ("example.org/no-scheme", False),
        ("ftp://example.org/file", False),
        ("https://", False),
        ("https://user@evil.example/", False),
        ("https://exa mple.org/", False),
    ],
)
def test_only_absolute_http_urls_are_accepted(url, ok):
    problems = check(sources={"row": "src-news", "url": url})
    assert (problems == []) is ok, problems


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("src-a;src-b", True),
        ("src-dod; src-news", True),
        (" src-dod ", True),
        ("src-dod;;src-news", True),
        (";", False),
        (" ; ", False),
        ("src-dod;src-missing", False),
    ],
)
def test_a_list_of_sources_is_read_id_by_id(value, ok):
    value = value.replace("src-a", "src-dod").replace("src-b", "src-gov")
    problems = [
        p for p in check(events={"row": "strike", "sources": value}) if p.severity == "error"
    ]
    assert (problems == []) is ok, problems


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("strike-2", True),
        ("2020-strike", True),
        ("Strike", False),
        ("-strike", False),
        ("strike_2", False),
        ("stríke", False),
        ("s" * 200, True),
        ("s" * 199 + "!", False),
    ],
)
def test_ids_are_lowercase_slugs(value, ok):
    problems = check(events={"row": "commons", "id": value})
    problems = [p for p in problems if p.column == "id"]
    assert (problems == []) is ok, problems
    if not ok:
        assert "is not a valid id" in problems[0].message


def test_a_claim_naming_two_sources_in_said_in_is_told_to_use_evidence():
    (problem,) = check(claims={"row": "restraint", "said_in": "src-gov;src-news"})
    assert (problem.column, problem.line) == ("said_in", 3)
    assert "takes exactly one id (list further sources in evidence)" in problem.message


def test_rows_not_yet_saved_are_reported_without_a_line():
    f = frames(events={"row": "commons", "title": ""})
    lines = {name: [None] * len(df) for name, df in f.items()}
    (problem,) = validate_tables(f, lines, {t.name: t.filename for t in TABLES})
    assert (problem.file, problem.line, problem.column) == ("events.csv", None, "title")
    assert str(problem).startswith("events.csv: title: is empty;")


def test_numbers_set_through_the_api_are_checked_as_text():
    f = frames()
    f["events"]["title"] = f["events"]["title"].astype(object)
    f["events"].loc[0, "title"] = 2020
    lines = {name: list(range(2, len(df) + 2)) for name, df in f.items()}
    assert validate_tables(f, lines, {t.name: t.filename for t in TABLES}) == []


@pytest.mark.parametrize(
    ("title", "warned"),
    [
        ("=1+1", True),
        ("  =1+1", True),
        ("\u3000@handle", True),
        ("-5 degrees", True),
        ("+44 20 7946 0000", True),
        ("中文标题", False),
        ("😀 emoji first", False),
        ("Élysée statement", False),
        ("a = b", False),
    ],
)
def test_formula_prefixes_are_found_after_any_leading_space(title, warned):
    problems = check(events={"row": "strike", "title": title})
    assert [(p.column, p.severity) for p in problems] == ([("title", "warning")] if warned else [])


def test_a_cell_of_spaces_is_empty():
    problems = check(
        events={"row": "strike", "title": " \t "}, sources={"row": "src-dod", "url": "  "}
    )
    assert [(p.file, p.column, p.message.split(";")[0]) for p in problems] == [
        ("events.csv", "title", "is empty")
    ]
