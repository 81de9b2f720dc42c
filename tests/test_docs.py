"""The README is the user's manual: its commands exist, its worked example and quickstart run, its
command reference is the commands' own help, and the docs/ pages it links are kept true alike."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
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
        [sys.executable, "-c", code.group(1)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
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


# --- README's pages in docs/, its quickstart and its command reference (issues 21, 22) ---------

DOCS = sorted((ROOT / "docs").glob("*.md"))
PAGES = {"README.md": README, **{f"docs/{p.name}": p.read_text(encoding="utf-8") for p in DOCS}}


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lowercase, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def _anchors(text: str) -> set[str]:
    body = re.sub(r"^```.*?^```", "", text, flags=re.S | re.M)
    return {_slug(h) for h in re.findall(r"^#{1,6} (.+)$", body, re.M)}


def test_readme_links_every_docs_page_and_every_link_lands() -> None:
    assert DOCS, "docs/ holds the long material README links"
    for page in DOCS:
        assert f"(docs/{page.name}" in README, f"README does not link docs/{page.name}"
    for name, text in PAGES.items():
        base = (ROOT / name).parent
        for target in re.findall(r"\]\(([^)\s]+)\)", text):
            if re.match(r"[a-z]+:", target):
                continue  # https:, mailto:
            path, _, anchor = target.partition("#")
            dest = (base / path).resolve() if path else ROOT / name
            assert dest.exists(), f"{name}: link to {target}: no such file"
            if anchor:
                assert anchor in _anchors(dest.read_text(encoding="utf-8")), (
                    f"{name}: link to {target}: no such heading"
                )


def test_make_targets_and_commands_named_in_the_docs_exist() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    commands = set(cli.commands)
    for name, text in PAGES.items():
        for target in set(re.findall(r"`make (\w[\w-]*)", text)):
            assert re.search(rf"^{target}:", makefile, re.M), f"{name}: make {target}"
        for command in set(re.findall(r"`(?:\.venv/bin/)?timeline ([a-z][a-z-]*)", text)):
            assert command in commands, f"{name}: timeline {command}"


def test_files_named_in_the_docs_exist() -> None:
    for name, text in PAGES.items():
        for path in set(
            re.findall(
                r"`((?:benchmarks|tests|timeline|notebooks|docs)/[\w./-]+\.(?:py|ipynb|md|js|css))`",
                text,
            )
        ):
            assert (ROOT / path).exists(), f"{name}: {path}"


def _quickstart() -> list[str]:
    block = re.search(r"```sh\n(.*?)```", README.split("## Your own story", 1)[1], re.S)
    assert block, "README's quickstart is missing"
    return [line for line in block.group(1).splitlines() if line.strip()]


def _run(line: str, tmp: Path) -> str:
    """One quickstart line, run from the checkout with its folders put in ``tmp``."""
    words = [
        w.replace("stories/floods", str(tmp / "stories" / "floods")) for w in shlex.split(line)
    ]
    words = [w.replace("floods-site", str(tmp / "floods-site")) for w in words]
    result = subprocess.run(words, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"{line}\n{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.mark.server
def test_the_readme_quickstart_runs_as_written(tmp_path: Path) -> None:
    """Each line of "Your own story", in order, from the checkout; the story's folders are put in a
    temporary folder. JupyterLab is the one line not run here (tests/e2e/test_authoring_lab.py drives
    the app); `make serve` runs on a free port (PORT=0) until it serves the page."""
    lines = _quickstart()
    lab = [line for line in lines if "jupyter lab" in line]
    assert lab == ["TIMELINE_DATA=stories/floods .venv/bin/jupyter lab notebooks/authoring.ipynb"]
    story = tmp_path / "stories" / "floods"
    for line in lines:
        if line in lab:
            continue
        if line.startswith("make serve"):
            _serve_until_ready(line, tmp_path)
            continue
        out = _run(line, tmp_path)
        if " validate " in line:
            assert out == "OK: 0 events, 0 claims, 0 sources\n"
    assert (
        json.loads((story / "story.json").read_text(encoding="utf-8"))["title"]
        == "Floods in the valley"
    )
    index = (tmp_path / "floods-site" / "index.html").read_text(encoding="utf-8")
    assert "<title>Floods in the valley" in index


def _serve_until_ready(line: str, tmp: Path) -> None:
    words = [
        w.replace("stories/floods", str(tmp / "stories" / "floods")) for w in shlex.split(line)
    ]
    proc = subprocess.Popen(
        [*words, "PORT=0"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        url = None
        for out in proc.stdout:
            found = re.match(r"^Serving .* at (http://127\.0\.0\.1:\d+/)$", out.strip())
            if found:
                url = found.group(1)
                break
        assert url, "make serve ended without serving"
        with urllib.request.urlopen(url, timeout=120) as answer:
            page = answer.read().decode("utf-8")
        assert "Floods in the valley" in page
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(60)


# The command reference: each command's own --help, at a fixed width.
REFERENCE_START = "## Command reference\n"
REFERENCE_NOTE = (
    "Each command's own `--help`, copied by `.venv/bin/python tests/test_docs.py` (`tests/test_docs.py`\n"
    "fails when this section and the commands' help differ).\n"
)


def _help(path: list[str]) -> str:
    import click

    command: click.Command = cli
    for name in path:
        assert isinstance(command, click.Group)
        command = command.commands[name]
    ctx = click.Context(
        command, info_name="timeline " + " ".join(path), terminal_width=100, max_content_width=100
    )
    return command.get_help(ctx)


def command_reference() -> str:
    """The README's command reference, made from the commands' help."""
    import click

    parts = [REFERENCE_START, "\n", REFERENCE_NOTE]
    for name, command in cli.commands.items():
        paths = (
            [[name, sub] for sub in command.commands]
            if isinstance(command, click.Group)
            else [[name]]
        )
        for path in paths:
            parts.append(f"\n### `timeline {' '.join(path)}`\n\n```\n{_help(path)}\n```\n")
    return "".join(parts)


def _readme_reference(text: str) -> tuple[int, int]:
    start = text.index(REFERENCE_START)
    following = re.search(r"^## ", text[start + len(REFERENCE_START) :], re.M)
    end = start + len(REFERENCE_START) + following.start() if following else len(text)
    return start, end


def test_the_command_reference_is_the_commands_own_help() -> None:
    start, end = _readme_reference(README)
    assert README[start:end].rstrip("\n") == command_reference().rstrip("\n"), (
        "README's command reference differs from the commands' --help: "
        "run .venv/bin/python tests/test_docs.py to copy it"
    )


if __name__ == "__main__":
    path = ROOT / "README.md"
    text = path.read_text(encoding="utf-8")
    start, end = _readme_reference(text)
    path.write_text(text[:start] + command_reference() + "\n" + text[end:], encoding="utf-8")
    print(f"Wrote the command reference into {path}")
