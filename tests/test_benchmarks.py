"""Every benchmark offers ``--json FILE`` (README: each "prints its figures (and writes them as
JSON with --json FILE)"), through ``benchmarks/figures.py``, the shared writer. The benchmarks
themselves are not run here: they measure, they do not test (``make bench``)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = sorted((ROOT / "benchmarks").glob("bench_*.py"))


def test_there_are_benchmarks() -> None:
    assert len(BENCHMARKS) >= 10, [b.name for b in BENCHMARKS]


@pytest.fixture(scope="module")
def helps() -> Iterator[dict[Path, subprocess.Popen[str]]]:
    """Every benchmark's ``--help``, all started at once (each mostly waits for its imports;
    one after another they took ~10 s). Each test reads its own."""
    procs = {
        script: subprocess.Popen(
            [sys.executable, str(script), "--help"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for script in BENCHMARKS
    }
    yield procs
    for proc in procs.values():
        if proc.poll() is None:
            proc.kill()
        proc.communicate()


@pytest.mark.parametrize("script", BENCHMARKS, ids=lambda p: p.name)
def test_every_benchmark_offers_json_through_the_shared_writer(
    script: Path, helps: dict[Path, subprocess.Popen[str]]
) -> None:
    stdout, stderr = helps[script].communicate(timeout=120)
    assert helps[script].returncode == 0, stderr
    assert "--json FILE" in stdout, f"{script.name} --help offers no --json FILE:\n{stdout}"
    source = script.read_text(encoding="utf-8")
    assert "add_json_option(" in source and "write_json(" in source, (
        f"{script.name} does not use figures.py"
    )
