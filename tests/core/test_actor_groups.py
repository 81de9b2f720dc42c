"""actor_groups.csv, the desk's vocabulary of actors: read, and its mistakes named by line and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from timeline.core.actor_groups import read_actor_groups
from timeline.errors import ValidationError
from timeline.views.render import render_story


def write(folder: Path, text: str) -> Path:
    (folder / "actor_groups.csv").write_text(text, encoding="utf-8")
    return folder


def test_no_file_no_groups(tmp_path: Path) -> None:
    assert read_actor_groups(tmp_path) == ({}, [])
    assert read_actor_groups(None) == ({}, [])


def test_groups_in_file_order(tmp_path: Path) -> None:
    write(
        tmp_path,
        "\ufeffgroup,name\nUK Government,UK Government\n\nUK Government,United Kingdom\nIran,Government of Iran\n",
    )
    groups, problems = read_actor_groups(tmp_path)
    assert problems == []
    assert groups == {
        "UK Government": ["UK Government", "United Kingdom"],
        "Iran": ["Government of Iran"],
    }


@pytest.mark.parametrize(
    ("text", "line", "column", "words"),
    [
        ("actor,group\nA,B\n", 1, None, "the header must start with group,name"),
        ("group,name\nUK,\n", 2, "name", "the name is empty"),
        ("group,name\n,United Kingdom\n", 2, "group", "the group is empty"),
        (
            "group,name\nUK,United Kingdom\nBritain,United Kingdom\n",
            3,
            "name",
            "also in group 'UK' (line 2)",
        ),
        ("group,name\nUK,United Kingdom\nUK,United Kingdom\n", 3, "name", "is again (line 2)"),
    ],
)
def test_each_mistake_is_named_and_nothing_is_half_read(
    tmp_path: Path, text: str, line: int, column, words: str
) -> None:  # type: ignore[no-untyped-def]
    groups, problems = read_actor_groups(write(tmp_path, text))
    assert groups == {}
    (problem,) = problems
    assert (problem.file, problem.line, problem.column) == (
        str(tmp_path / "actor_groups.csv"),
        line,
        column,
    )
    assert words in problem.message


def test_a_bad_file_stops_the_page_with_its_line(valid_folder: Path) -> None:
    from timeline import load

    write(valid_folder, "group,name\nUK,\n")
    with pytest.raises(ValidationError, match="actor_groups.csv:2: name: the name is empty"):
        render_story(load(valid_folder))


def test_timeline_validate_names_a_bad_groups_file(valid_folder: Path) -> None:
    from click.testing import CliRunner

    from timeline.cli import cli

    write(valid_folder, "group,name\nUK Government,United Kingdom\nUK,United Kingdom\n")
    result = CliRunner().invoke(cli, ["validate", str(valid_folder)])
    assert result.exit_code == 1
    assert (
        f"{valid_folder / 'actor_groups.csv'}:3: name: 'United Kingdom' is also in group "
        "'UK Government' (line 2); keep one row for it"
    ) in result.output
