"""Every benchmark offers ``--json FILE`` (README: each "prints its figures (and writes them as
JSON with --json FILE)"), through ``benchmarks/figures.py``, the shared writer. The benchmarks
themselves are not run here: they measure, they do not test (``make bench``)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = sorted((ROOT / "benchmarks").glob("bench_*.py"))


def test_there_are_benchmarks() -> None:
    assert len(BENCHMARKS) >= 10, [b.name for b in BENCHMARKS]


@pytest.mark.parametrize("script", BENCHMARKS, ids=lambda p: p.name)
def test_every_benchmark_offers_json_through_the_shared_writer(script: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(script), "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "--json FILE" in result.stdout, (
        f"{script.name} --help offers no --json FILE:\n{result.stdout}"
    )
    source = script.read_text(encoding="utf-8")
    assert "add_json_option(" in source and "write_json(" in source, (
        f"{script.name} does not use figures.py"
    )
