"""Every benchmark offers ``--json FILE`` (README: each "prints its figures (and writes them as
JSON with --json FILE)"), through ``benchmarks/figures.py``, the shared writer. The benchmarks
themselves are not run here: they measure, they do not test (``make bench``)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = sorted((ROOT / "benchmarks").glob("bench_*.py"))


def test_there_are_benchmarks() -> None:
    assert len(BENCHMARKS) >= 10, [b.name for b in BENCHMARKS]


#: --help runs at once: each mostly imports (0.2-0.5 s of CPU), so a few overlap the others' waits
#: without crowding a busy machine (all eleven at once were slower than one after another there).
AT_ONCE = 3


def _help(script: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(script), "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def helps() -> Iterator[dict[Path, Future[subprocess.CompletedProcess[str]]]]:
    """Every benchmark's ``--help``, AT_ONCE at a time from the first test on (one after
    another they took ~10 s); each test reads its own."""
    with ThreadPoolExecutor(max_workers=AT_ONCE) as pool:
        yield {script: pool.submit(_help, script) for script in BENCHMARKS}


@pytest.mark.parametrize("script", BENCHMARKS, ids=lambda p: p.name)
def test_every_benchmark_offers_json_through_the_shared_writer(
    script: Path, helps: dict[Path, Future[subprocess.CompletedProcess[str]]]
) -> None:
    result = helps[script].result()
    assert result.returncode == 0, result.stderr
    assert "--json FILE" in result.stdout, (
        f"{script.name} --help offers no --json FILE:\n{result.stdout}"
    )
    source = script.read_text(encoding="utf-8")
    assert "add_json_option(" in source and "write_json(" in source, (
        f"{script.name} does not use figures.py"
    )
