"""The README is the user's manual: its commands exist and its worked example runs."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from timeline.cli import cli

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_command_is_documented_in_the_readme() -> None:
    for name, command in cli.commands.items():
        subs = getattr(command, "commands", None)
        if subs:
            for sub in subs:
                assert f"timeline {name} {sub}" in README, f"timeline {name} {sub}"
        else:
            assert f"timeline {name}" in README, name


def test_every_contract_column_is_documented() -> None:
    from timeline.core.schema import TABLES, VERDICTS

    for table in TABLES:
        for column in table.names:
            assert f"| `{column}` |" in README, f"{table.filename}: {column}"
    for verdict in VERDICTS:
        assert f"| `{verdict.key}` | {verdict.label} |" in README


def test_the_two_commands_lead_the_readme() -> None:
    first_screen = README[:1500]
    assert "make serve" in first_screen and "make test" in first_screen


def test_the_worked_library_example_runs(tmp_path: Path) -> None:
    block = README.split("### In code", 1)[1]
    code = re.search(r"```python\n(.*?)```", block, re.S)
    assert code, "the README's worked example is missing"
    shutil.copytree(ROOT / "data", tmp_path / "data")
    result = subprocess.run(
        [sys.executable, "-c", code.group(1)], cwd=tmp_path, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    assert "+ ministers-meet-6-jan" in result.stdout
    assert "ministers-meet-6-jan" in (tmp_path / "data" / "events.csv").read_text(encoding="utf-8")


def test_make_targets_named_in_the_readme_exist() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in set(re.findall(r"`make (\w+)", README)):
        assert re.search(rf"^{target}:", makefile, re.M), target


def test_cli_help_runs_for_every_command() -> None:
    runner = CliRunner()
    for name in cli.commands:
        result = runner.invoke(cli, [name, "--help"])
        assert result.exit_code == 0, name
