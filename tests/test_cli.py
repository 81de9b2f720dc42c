"""`timeline validate` as users run it: exact output and exit codes.

Every bad input of the contract is covered, data-driven, in test_validate.py
(``tests/data/invalid/*/expected.txt``); this file covers the command itself.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from timeline.cli import cli

TEST_DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def in_tmp(tmp_path, monkeypatch) -> Path:
    """Run from an empty folder, as a user in a checkout would."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def copy(case: str, dest: Path) -> Path:
    shutil.copytree(
        TEST_DATA / case, dest, ignore=shutil.ignore_patterns("expected.txt", "README.md")
    )
    return dest


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_a_valid_folder_prints_a_one_line_summary_and_exits_0(in_tmp):
    copy("contract", in_tmp / "story")
    result = invoke("validate", "story")
    assert (result.exit_code, result.output) == (0, "OK: 4 events, 3 claims, 3 sources\n")


def test_the_folder_defaults_to_data(in_tmp):
    copy("contract", in_tmp / "data")
    result = invoke("validate")
    assert (result.exit_code, result.output) == (0, "OK: 4 events, 3 claims, 3 sources\n")


def test_an_excel_folder_with_bom_and_crlf_passes(in_tmp):
    copy("bom-crlf", in_tmp / "data")
    result = invoke("validate", "data")
    assert (result.exit_code, result.output) == (0, "OK: 4 events, 3 claims, 3 sources\n")


def test_warnings_are_counted_in_the_summary_and_keep_exit_0(in_tmp):
    copy("warnings/category-once", in_tmp / "data")
    result = invoke("validate", "data")
    assert result.exit_code == 0
    assert result.output == (
        "data/events.csv:6: category: warning: category 'diplomcy' is used by this event only; "
        "a typo of 'diplomacy'? Correct it, or ignore this warning if it is a new lane\n"
        "OK: 5 events, 3 claims, 3 sources (1 warning)\n"
    )


def test_an_error_exits_1_with_the_problem_and_a_count(in_tmp):
    copy("invalid/unknown-verdict", in_tmp / "data")
    result = invoke("validate", "data")
    assert result.exit_code == 1
    assert result.output == (
        "data/claims.csv:2: verdict: 'inacurate' is not a verdict; did you mean 'inaccurate'? If not, "
        "use one of: accurate, needs-context, disputed, unsubstantiated, inaccurate, not-rated\n"
        "1 error, 0 warnings in data; no file was changed\n"
    )


def test_the_count_goes_to_stderr_and_the_problems_to_stdout(in_tmp):
    copy("invalid/unknown-verdict", in_tmp / "data")
    result = invoke("validate", "data")
    assert result.stdout.startswith("data/claims.csv:2: verdict: 'inacurate'")
    assert result.stderr == "1 error, 0 warnings in data; no file was changed\n"


def test_a_missing_folder_is_an_error_that_says_what_to_give(in_tmp):
    result = invoke("validate", "nope")
    assert result.exit_code == 1
    assert result.output == (
        "Error: nope: no such data folder; give the folder holding events.csv, claims.csv and sources.csv\n"
    )


def test_a_file_instead_of_a_folder_is_a_usage_error(in_tmp):
    (in_tmp / "events.csv").write_text("id\n", encoding="utf-8")
    result = invoke("validate", "events.csv")
    assert result.exit_code == 2
    assert "Directory 'events.csv' is a file." in result.output


def test_a_folder_without_any_file_reports_all_three(in_tmp):
    (in_tmp / "empty").mkdir()
    result = invoke("validate", "empty")
    assert result.exit_code == 1
    assert result.output == (
        "empty/events.csv: file is missing; create it with this header row: "
        "id,start,end,display_date,title,summary,category,actors,location,sources\n"
        "empty/claims.csv: file is missing; create it with this header row: "
        "id,event_id,claimant,claim,said_in,verdict,rationale,evidence,reviewed,headline,claimant_type,bottom_line\n"
        "empty/sources.csv: file is missing; create it with this header row: "
        "id,title,publisher,url,published,archived_url,accessed,notes\n"
        "empty/story.json: warning: the folder holds no story; start one with: "
        "timeline new empty --title TITLE\n"
        "3 errors, 1 warning in empty; no file was changed\n"
    )
    assert list((in_tmp / "empty").iterdir()) == []


def test_the_shipped_data_validates(shipped_folder, monkeypatch):
    monkeypatch.chdir(shipped_folder.parent)
    result = invoke("validate", shipped_folder.name)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1].startswith("OK: ")


def test_validate_has_help_describing_the_output():
    result = invoke("validate", "--help")
    assert result.exit_code == 0
    assert "FILE:LINE: COLUMN: message" in result.output
    assert "exits 1 if there is any error" in result.output


def test_the_version_option():
    from timeline import __version__

    result = invoke("--version")
    assert (result.exit_code, result.output) == (0, f"timeline, version {__version__}\n")


def test_serve_exposes_every_serve_option_with_the_library_default():
    from timeline.serve.options import options

    params = {p.name: p for p in cli.commands["serve"].params}
    shown = [f for f in options() if f.metadata["cli"]]
    assert {f.name for f in shown} == set(params) - {"folder"}
    for field in shown:
        assert params[field.name].default == field.default, field.name
        assert params[field.name].help == field.metadata["help"], field.name


def test_the_server_traitlets_are_the_serve_options():
    """One declaration: TimelineVoila's traitlets have ServeOptions' defaults and help texts."""
    from timeline.serve.app import TimelineVoila
    from timeline.serve.options import options

    traits = TimelineVoila.class_traits(config=True)
    made = [f for f in options() if f.metadata["app"]]
    assert len(made) == 10
    for field in made:
        trait = traits[field.name]
        default = trait.default()
        assert (default if not isinstance(default, list) else tuple(default)) == field.default, (
            field.name
        )
        assert trait.help == field.metadata["help"], field.name
