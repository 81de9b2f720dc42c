"""`timeline site` on every core, and its incremental rebuild (issue 25, point 4).

One generated archive (the benchmarks' generator: claimants, categories, long texts, every
verdict), built once serially and once on a pool of two workers, per module. Read back from
disk: the two builds are byte-identical; a rebuild after one claim's edit writes only the
files whose bytes change (and leaves every other file's mtime), draws no card again, and
gives the same bytes as a full build of the edited data; a build that fails part-way leaves
the folder as it was and no staging folder behind.
"""

from __future__ import annotations

import csv
import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from timeline.cli import cli
from timeline.publish import cards, pool
from timeline.publish.site import build_site
from timeline.publish.sitefiles import MANIFEST

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from bench_load import generate  # noqa: E402

ENV = {"SOURCE_DATE_EPOCH": "1767225600"}
BASE_URL = "https://factcheck.example.org/archive/"
CLAIMS = 30  # 61 claim pages and cards: more than pool.SERIAL_BELOW, so the pool runs


def files(out: Path) -> dict[str, bytes]:
    return {
        p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()
    }


def mtimes(out: Path) -> dict[str, int]:
    return {
        p.relative_to(out).as_posix(): p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()
    }


def edit(folder: Path, claim_id: str) -> None:
    with open(folder / "claims.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    row = next(r for r in rows if r["id"] == claim_id)
    row["rationale"] += " Re-reviewed against the full transcript."
    with open(folder / "claims.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("build")
    data = base / "data"
    generate(data, events=2 * CLAIMS, claims=CLAIMS, sources=12)
    assert CLAIMS * 2 + 1 >= pool.SERIAL_BELOW
    build_site(data, base / "serial", base_url=BASE_URL, environ=ENV, jobs=1)
    build_site(data, base / "parallel", base_url=BASE_URL, environ=ENV, jobs=2)
    return {"data": data, "serial": base / "serial", "parallel": base / "parallel"}


def test_a_parallel_build_is_byte_identical_to_a_serial_one(builds: dict[str, Path]) -> None:
    serial, parallel = files(builds["serial"]), files(builds["parallel"])
    assert len([f for f in serial if f.startswith("cards/")]) == CLAIMS + 1
    assert serial == parallel
    assert not list(builds["serial"].parent.glob(".*building-*"))  # staging folders removed


def test_a_rebuild_after_one_edit_writes_only_what_changed_and_equals_a_full_build(
    builds: dict[str, Path], tmp_path: Path
) -> None:
    data = tmp_path / "data"
    shutil.copytree(builds["data"], data)
    out = tmp_path / "site"
    shutil.copytree(builds["parallel"], out)  # copytree keeps mtimes
    before, times = files(out), mtimes(out)
    edit(data, "claim-000011")
    report = build_site(data, out, base_url=BASE_URL, environ=ENV, jobs=2)
    after = files(out)
    changed = {f for f in after if before.get(f) != after[f]} - {MANIFEST}
    assert set(report.written) == changed and report.removed == []
    assert "claims/claim-000011.html" in changed and "feeds/claims.xml" in changed
    assert not any(f.startswith(("cards/", "claimants/", "categories/")) for f in changed)
    assert all(f"cards/claim-{i:06d}.png" in report.unchanged for i in range(CLAIMS))
    assert len([f for f in changed if f.startswith("claims/")]) == 1
    now = mtimes(out)
    assert {f for f in now if now[f] != times[f]} <= changed | {MANIFEST}

    full = tmp_path / "full"
    build_site(data, full, base_url=BASE_URL, environ=ENV, jobs=1)
    assert files(full) == after


def test_a_build_that_fails_part_way_leaves_the_folder_as_it_was(
    builds: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    shutil.copytree(builds["data"], data)
    with open(data / "claims.csv", encoding="utf-8") as f:
        text = f.read()
    (data / "claims.csv").write_text(text.replace("Claim 2", "Claim two"), encoding="utf-8")
    out = tmp_path / "site"
    shutil.copytree(builds["parallel"], out)
    # No record of the last build: every card and page is made, on the pool.
    (out / MANIFEST).unlink()
    before, times = files(out), mtimes(out)
    draw = cards.draw_claim_card

    def fails_on_one(**kw: str) -> bytes:  # a card that cannot be drawn, after others were
        if kw["headline"].startswith("Claim two5 "):
            raise OSError("disk full")
        return draw(**kw)

    monkeypatch.setattr(cards, "draw_claim_card", fails_on_one)  # the workers are forked after this
    result = CliRunner().invoke(
        cli, ["site", str(data), "-o", str(out), "--base-url", BASE_URL, "-j", "2"], env=ENV
    )
    assert result.exit_code != 0 and isinstance(result.exception, OSError)
    assert files(out) == before and mtimes(out) == times
    assert not list(tmp_path.glob(".*building-*"))


def test_jobs_must_be_one_or_more(builds: dict[str, Path], tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["site", str(builds["data"]), "-o", str(tmp_path / "s"), "--jobs", "0"]
    )
    assert result.exit_code == 2 and "--jobs" in result.output and not (tmp_path / "s").exists()
