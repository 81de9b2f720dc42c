"""`timeline diff OLD NEW`: two folders or two git revisions, and --draft-corrections."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from timeline.cli import cli

TEST_DATA = Path(__file__).resolve().parent / "data"

EXPECTED = """\
events.csv: 1 added, 2 changed, 0 removed
  + event talks: Crisis talks
  ~ event strike: sources removed src-b
  ~ event briefing: start '2020-01-06' -> '2020-01-07'
claims.csv: 0 added, 1 changed, 1 removed
  - claim appeal: Prime Minister's official spokesman: “We urge restraint.”
  ~ claim right-to-act: verdict Disputed -> Inaccurate
  ~ claim right-to-act: rationale revised
  ~ claim right-to-act: sources added src-a
sources.csv: 0 added, 1 changed, 0 removed
  ~ source src-a: url 'https://example.org/a' -> 'https://example.org/a2'
"""
DRAFTS = """\
2020-01-10,event:talks,update,Added event: Crisis talks.
2020-01-10,event:strike,update,Sources updated: removed src-b.
2020-01-10,event:briefing,correction,Start changed from '2020-01-06' to '2020-01-07'.
2020-01-10,claim:appeal,removal,"Removed claim by Prime Minister's official spokesman: “We urge restraint.”, not rated."
2020-01-10,claim:right-to-act,verdict-change,Verdict changed from Disputed to Inaccurate.
2020-01-10,claim:right-to-act,update,Rationale revised.
2020-01-10,claim:right-to-act,update,Sources updated: added src-a.
2020-01-10,source:src-a,update,URL changed from 'https://example.org/a' to 'https://example.org/a2'.
"""


def edit(folder: Path) -> None:
    """The changes EXPECTED lists, made to the CSV text as an analyst would."""

    def sub(name: str, old: str, new: str) -> None:
        path = folder / name
        text = path.read_text(encoding="utf-8")
        assert old in text, (name, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    sub("events.csv", "briefing,2020-01-06,", "briefing,2020-01-07,")
    sub("events.csv", '"Baghdad, Iraq",src-a;src-b\n', '"Baghdad, Iraq",src-a\n')
    with open(folder / "events.csv", "a", encoding="utf-8") as fh:
        fh.write("talks,2020-01-06T12:31+00:00,,,Crisis talks,,diplomacy,,,src-b\n")
    sub(
        "claims.csv",
        "src-a,disputed,Contested.,src-b,",
        "src-a,inaccurate,The record contradicts it.,src-b;src-a,",
    )
    sub(
        "claims.csv",
        "appeal,briefing,Prime Minister's official spokesman,We urge restraint.,src-a,not-rated,An appeal.,,2026-11-25\n",
        "",
    )
    sub("sources.csv", "https://example.org/a,", "https://example.org/a2,")


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, list(args))


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path]:
    old, new = tmp_path / "old", tmp_path / "new"
    shutil.copytree(TEST_DATA / "valid", old)
    shutil.copytree(TEST_DATA / "valid", new)
    edit(new)
    return old, new


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        [
            "git",
            "-c",
            "user.name=Test",
            "-c",
            "user.email=test@example.org",
            "-c",
            "commit.gpgsign=false",
            *args,
        ],
        cwd=repo,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repository with two commits of data/: the valid data, then the edits."""
    for var in [v for v in os.environ if v.startswith("GIT_")]:
        monkeypatch.delenv(var)
    root = tmp_path / "repo"
    shutil.copytree(TEST_DATA / "valid", root / "data")
    git(root, "init", "-q")
    git(root, "add", "data")
    git(root, "commit", "-q", "-m", "first")
    edit(root / "data")
    git(root, "commit", "-q", "-a", "-m", "second")
    monkeypatch.chdir(root)
    return root


def test_two_folders(folders: tuple[Path, Path]) -> None:
    old, new = folders
    result = run("diff", str(old), str(new))
    assert (result.exit_code, result.output) == (0, EXPECTED)
    assert run("diff", str(old), str(old)).output == "No changes.\n"


def test_two_git_revisions(repo: Path) -> None:
    result = run("diff", "HEAD~1", "HEAD")
    assert (result.exit_code, result.output) == (0, EXPECTED)
    first = git(repo, "rev-parse", "HEAD~1").strip()
    assert run("diff", first, "data").output == EXPECTED  # a revision against the working folder
    assert run("diff", "HEAD", "data").output == "No changes.\n"


def test_draft_corrections_are_dated_by_source_date_epoch(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1578614400")  # 2020-01-10
    result = run("diff", "HEAD~1", "HEAD", "--draft-corrections")
    assert (result.exit_code, result.output) == (0, DRAFTS)


def test_a_bad_source_date_epoch_is_one_error_line_not_a_traceback(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "soon")
    result = run("diff", "HEAD~1", "HEAD", "--draft-corrections")
    assert (result.exit_code, result.output) == (
        1,
        "Error: SOURCE_DATE_EPOCH='soon' is not a number of seconds since 1970\n",
    )


def test_draft_rows_append_to_a_valid_corrections_log(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1578614400")
    drafts = run("diff", "HEAD~1", "data", "--draft-corrections").output
    (repo / "data" / "corrections.csv").write_text(
        "date,target,change,note\n" + drafts, encoding="utf-8"
    )
    import timeline
    from timeline.core.corrections import check_corrections

    assert check_corrections(repo / "data", timeline.load(repo / "data").target_ids()) == []


def test_unknown_revision_and_missing_path_say_how_to_fix(repo: Path) -> None:
    result = run("diff", "no-such-rev", "HEAD")
    assert (result.exit_code, result.output) == (
        1,
        "Error: 'no-such-rev' is neither a data folder nor a git revision here; give a folder (data) or a "
        "revision such as HEAD, HEAD~1, a tag or a commit id\n",
    )
    result = run("diff", "HEAD~1", "HEAD", "--path", "story")
    assert result.exit_code == 1
    assert result.output.startswith("Error: HEAD~1:story/events.csv: not in that revision (fatal: ")
    assert result.output.endswith(
        "check the revision and --path (the data folder, relative to here)\n"
    )


def test_path_is_relative_to_the_current_directory(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sub = repo / "notebooks"
    sub.mkdir()
    monkeypatch.chdir(sub)
    result = run("diff", "HEAD~1", "HEAD", "--path", "../data")
    assert (result.exit_code, result.output) == (0, EXPECTED)


def test_an_option_like_revision_is_refused(repo: Path) -> None:
    result = run("diff", "--", "--output=/tmp/x", "HEAD")
    assert result.exit_code == 1
    assert result.output == "Error: '--output=/tmp/x' is neither a data folder nor a git revision\n"
