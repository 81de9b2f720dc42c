"""Starting a story: ``new_story`` and ``timeline new`` make a valid empty story or write nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import timeline
from timeline.cli import cli
from timeline.core.schema import TABLES
from timeline.core.story import STORY_FILES, data_folder, launch_dir, new_story, story_meta
from timeline.errors import OptionError, SaveError

WRITTEN = ["events.csv", "claims.csv", "sources.csv", "story.json"]


def test_a_new_story_holds_the_header_rows_and_its_words(tmp_path: Path) -> None:
    folder = tmp_path / "desk" / "floods"
    written = new_story(folder, title="Floods in the valley", standfirst="What was said, and when.")
    assert written == WRITTEN
    for table in TABLES:
        assert (folder / table.filename).read_text(encoding="utf-8") == ",".join(
            table.header
        ) + "\n"
    assert story_meta(folder) == {
        "title": "Floods in the valley",
        "standfirst": "What was said, and when.",
    }
    assert sorted(p.name for p in folder.iterdir()) == sorted(WRITTEN)


def test_a_new_story_validates_clean_and_loads_empty(tmp_path: Path) -> None:
    new_story(tmp_path / "s", title="T")
    ds = timeline.load(tmp_path / "s")
    assert ds.validate() == []
    assert ds.summary() == "0 events, 0 claims, 0 sources"


def test_the_title_and_standfirst_keep_their_characters(tmp_path: Path) -> None:
    new_story(tmp_path, title="  «Qui a dit quoi» — Ελλάδα ", standfirst='He said "no".')
    text = (tmp_path / "story.json").read_text(encoding="utf-8")
    assert json.loads(text) == {"title": "«Qui a dit quoi» — Ελλάδα", "standfirst": 'He said "no".'}
    assert "«" in text and text.endswith("}\n")


@pytest.mark.parametrize("name", STORY_FILES)
def test_a_folder_holding_any_story_file_is_refused_and_left_as_it_was(
    tmp_path: Path, name: str
) -> None:
    (tmp_path / name).write_text("mine\n", encoding="utf-8")
    with pytest.raises(SaveError, match=rf"already holds {name}; nothing was written"):
        new_story(tmp_path, title="T")
    assert [p.name for p in tmp_path.iterdir()] == [name]
    assert (tmp_path / name).read_text(encoding="utf-8") == "mine\n"


def test_an_empty_existing_folder_and_other_files_are_fine(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    assert new_story(tmp_path, title="T") == WRITTEN


def test_an_empty_title_is_refused_before_anything_is_made(tmp_path: Path) -> None:
    with pytest.raises(OptionError, match="the story needs a title"):
        new_story(tmp_path / "s", title="  ")
    assert not (tmp_path / "s").exists()


@pytest.mark.parametrize("existing", [False, True], ids=["new-folder", "empty-folder"])
def test_a_full_disk_leaves_no_file_and_no_new_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, existing: bool
) -> None:
    folder = tmp_path / "s"
    if existing:
        folder.mkdir()
    calls = {"n": 0}
    real_fsync = os.fsync

    def failing_fsync(fd: int) -> None:
        calls["n"] += 1
        if calls["n"] == 3:  # the third file's bytes do not fit
            raise OSError(28, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(
        SaveError,
        match=r"s: cannot create the story \(No space left on device\); nothing was written",
    ):
        new_story(folder, title="T")
    monkeypatch.undo()
    assert folder.exists() is existing
    assert list(tmp_path.rglob("*")) == ([folder] if existing else [])


def test_a_file_in_place_of_the_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "s").write_text("x", encoding="utf-8")
    with pytest.raises(timeline.LoadError, match="is a file, not a folder"):
        new_story(tmp_path / "s", title="T")


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_timeline_new_writes_the_story_and_says_what_next(in_tmp: Path) -> None:
    result = CliRunner().invoke(
        cli, ["new", "floods", "--title", "Floods", "--standfirst", "Who said what."]
    )
    assert (result.exit_code, result.output) == (
        0,
        "Wrote floods: events.csv, claims.csv, sources.csv, story.json\n"
        "Add its events, claims and sources in the authoring app: "
        "TIMELINE_DATA=floods jupyter lab notebooks/authoring.ipynb\n",
    )
    validated = CliRunner().invoke(cli, ["validate", "floods"])
    assert (validated.exit_code, validated.output) == (0, "OK: 0 events, 0 claims, 0 sources\n")


def test_timeline_new_refuses_an_existing_story(in_tmp: Path) -> None:
    assert CliRunner().invoke(cli, ["new", "s", "--title", "One"]).exit_code == 0
    result = CliRunner().invoke(cli, ["new", "s", "--title", "Two"])
    assert (result.exit_code, result.output) == (
        1,
        "Error: s already holds events.csv, claims.csv, sources.csv, story.json; nothing was written. "
        "Choose a new or empty folder, or open this story as it is\n",
    )
    assert story_meta(in_tmp / "s")["title"] == "One"


def test_timeline_new_needs_a_title(in_tmp: Path) -> None:
    result = CliRunner().invoke(cli, ["new", "s"])
    assert result.exit_code == 2
    assert result.output.endswith("Error: Missing option '--title'.\n")
    assert not (in_tmp / "s").exists()


def test_timeline_new_has_help() -> None:
    result = CliRunner().invoke(cli, ["new", "--help"])
    assert result.exit_code == 0
    assert result.output.startswith(
        "Usage: cli new [OPTIONS] FOLDER\n\n  Start a story: create FOLDER"
    )
    assert "--title TEXT" in result.output and "--standfirst TEXT" in result.output


# --- a relative TIMELINE_DATA is read from where the analyst launched ---------------------------


def test_a_relative_timeline_data_is_made_absolute_from_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TIMELINE_DATA", "stories/floods")
    monkeypatch.delenv("JPY_PARENT_PID", raising=False)
    assert data_folder() == tmp_path / "stories" / "floods"
    assert data_folder().is_absolute()


def test_in_a_kernel_it_is_read_from_the_servers_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A kernel runs in notebooks/; its parent (the server, named by JPY_PARENT_PID) where launched."""
    launched, notebooks = tmp_path / "desk", tmp_path / "desk" / "notebooks"
    notebooks.mkdir(parents=True)
    server = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"], cwd=launched)
    try:
        monkeypatch.chdir(notebooks)
        monkeypatch.setenv("TIMELINE_DATA", "stories/floods")
        monkeypatch.setenv("JPY_PARENT_PID", str(server.pid))
        assert launch_dir() == launched
        assert data_folder() == launched / "stories" / "floods"
    finally:
        server.kill()
        server.wait()


def test_a_real_kernel_started_in_notebooks_reads_it_from_the_launch_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As JupyterLab does: the server (here, this process) launched in the checkout, the kernel in
    notebooks/. The message for a folder that does not exist names the absolute path tried."""
    from jupyter_client.manager import start_new_kernel

    launched, notebooks = tmp_path / "desk", tmp_path / "desk" / "notebooks"
    notebooks.mkdir(parents=True)
    new_story(launched / "stories" / "floods", title="Floods")
    monkeypatch.chdir(launched)
    env = {**os.environ, "TIMELINE_DATA": "stories/floods"}
    km, kc = start_new_kernel(cwd=str(notebooks), env=env)
    code = (
        "import os\n"
        "from timeline.core.dataset import load\n"
        "from timeline.core.story import data_folder\n"
        "print(os.getcwd()); print(load(data_folder()))\n"
        "os.environ['TIMELINE_DATA'] = 'stories/missing'\n"
        "try:\n    load(data_folder())\nexcept Exception as e:\n    print(e)\n"
    )
    out: list[str] = []
    try:
        reply = kc.execute_interactive(
            code,
            timeout=120,
            output_hook=lambda msg: out.append(msg["content"].get("text", "")),
        )
        assert reply["content"]["status"] == "ok"
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    assert "".join(out).splitlines() == [
        str(notebooks),
        f"<Dataset from {launched / 'stories' / 'floods'}: 0 events, 0 claims, 0 sources>",
        f"{launched / 'stories' / 'missing'}: no such data folder; give the folder holding events.csv, "
        "claims.csv and sources.csv",
    ]


def test_timeline_validate_names_a_publisher_the_site_would_refuse(tmp_path: Path) -> None:
    folder = tmp_path / "story"
    new_story(folder, title="Floods")
    story = folder / "story.json"
    meta = json.loads(story.read_text(encoding="utf-8"))
    meta["publisher"] = {"name": "Desk", "url": "example.org"}
    story.write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(folder)])
    assert result.exit_code == 1
    assert (
        f"{story}:4: publisher.url 'example.org' is not an absolute http(s) address; "
        "fix it or remove it"
    ) in result.output
