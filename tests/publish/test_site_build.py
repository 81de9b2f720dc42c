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
import json
import os
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from timeline import load
from timeline.cli import cli
from timeline.errors import ExportError
from timeline.publish import cards, pool, sitelist
from timeline.publish.groups import Group, Groups
from timeline.publish.site import build_site
from timeline.publish.sitefiles import CACHE_DIR, MANIFEST
from timeline.views.claim_page import ClaimPages
from timeline.views.listing import Listing

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from bench_load import generate  # noqa: E402

ENV = {"SOURCE_DATE_EPOCH": "1767225600"}
BASE_URL = "https://factcheck.example.org/archive/"
CLAIMS = 30  # 61 claim pages and cards: more than pool.SERIAL_BELOW, so the pool runs


def site_files(names: set[str]) -> set[str]:
    """``names`` less the build's own records (the manifest, what it keeps for the next build)."""
    return {f for f in names if f != MANIFEST and not f.startswith(CACHE_DIR + "/")}


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
    changed = site_files({f for f in after if before.get(f) != after[f]})
    assert set(report.written) == changed and report.removed == []
    assert "claims/claim-000011.html" in changed and "feeds/claims.xml" in changed
    assert not any(f.startswith(("cards/", "claimants/", "categories/")) for f in changed)
    assert all(f"cards/claim-{i:06d}.png" in report.unchanged for i in range(CLAIMS))
    assert len([f for f in changed if f.startswith("claims/")]) == 1
    now = mtimes(out)
    assert site_files({f for f in now if now[f] != times[f]}) <= changed

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


def set_cell(folder: Path, table: str, row_id: str, column: str, value: str) -> None:
    path = folder / f"{table}.csv"
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    row = next(r for r in rows if r["id"] == row_id)
    assert row[column] != value
    row[column] = value
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


@pytest.fixture(scope="module")
def paged(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The data of a story whose list is paged in files (more than sitelist.PAGED_ABOVE events,
    lowered to 40 by each test)."""
    data = tmp_path_factory.mktemp("paged") / "data"
    generate(data, events=2 * CLAIMS, claims=CLAIMS, sources=12)
    return data


def claim_row(folder: Path, claim_id: str) -> dict[str, str]:
    with open(folder / "claims.csv", encoding="utf-8", newline="") as f:
        return next(r for r in csv.DictReader(f) if r["id"] == claim_id)


def test_a_paged_rebuild_renders_only_the_edited_claims_page_and_its_events_list_files(
    paged: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sitelist, "PAGED_ABOVE", 40)
    data, out = tmp_path / "data", tmp_path / "site"
    shutil.copytree(paged, data)
    build_site(data, out, base_url=BASE_URL, environ=ENV, jobs=1)
    contexts: list[str] = []
    rendered: list[int] = []
    real_context, real_items = ClaimPages.context, Listing.items

    def context(self: ClaimPages, claim_id: str, **kw: object) -> dict[str, object]:
        contexts.append(claim_id)
        return real_context(self, claim_id, **kw)  # type: ignore[arg-type]

    def items(self: Listing, positions: list[int]) -> list[str]:
        rendered.extend(positions)
        return real_items(self, positions)

    groups: list[str] = []
    real_group_items = Groups.items

    def group_items(self: Groups, group: Group, href: Any) -> list[dict[str, Any]]:
        groups.append(group.name)
        return real_group_items(self, group, href)

    monkeypatch.setattr(ClaimPages, "context", context)
    monkeypatch.setattr(Listing, "items", items)
    monkeypatch.setattr(Groups, "items", group_items)
    event = claim_row(data, "claim-000011")["event_id"]
    edit(data, "claim-000011")
    report = build_site(data, out, base_url=BASE_URL, environ=ENV, jobs=1)

    assert contexts == ["claim-000011"]  # no other claim page's context is even built
    assert groups == []  # nor its claimant's and category's pages: they show no rationale
    listing = Listing(load(data), claim_href="claims/{id}.html")
    pos = listing.pos[event]
    page = pos // sitelist.SITE_PAGE + 1  # the plain page holding the event (page 1 is index.html)
    on_page = set(
        range((page - 1) * sitelist.SITE_PAGE, min(page * sitelist.SITE_PAGE, len(listing)))
    )
    assert set(rendered) == {pos} | (on_page if page > 1 else set())
    written = set(report.written)
    assert {"claims/claim-000011.html", f"list/items-{pos}.js", "feeds/claims.xml"} <= written
    assert all(not f.startswith("list/") or f in (f"list/items-{pos}.js", f"list/page-{page}.html")
               for f in written)  # fmt: skip
    assert not any(f.startswith(("cards/", "claimants/", "categories/")) for f in written)
    assert any(f.startswith("search/") for f in written)  # the rationale's new words are found


@pytest.mark.parametrize(
    "table, row_id, column, value",
    [
        (
            "claims",
            "claim-000011",
            "headline",
            "A new headline, shown on its neighbours' pages too",
        ),
        ("claims", "claim-000011", "verdict", "accurate"),
        ("claims", "claim-000011", "claimant", "A claimant of their own"),
        ("sources", "source-000003", "title", "A source renamed"),
        ("events", "event-000021", "start", "1999-01-01"),
    ],
    ids=["headline", "verdict", "claimant", "source-title", "event-start"],
)
def test_a_rebuild_after_any_edit_gives_the_bytes_of_a_full_build(
    paged: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    table: str, row_id: str, column: str, value: str,
) -> None:  # fmt: skip
    """Whatever the edit, a page or list file kept because its key is unchanged holds the bytes a
    full build of the edited data makes: the keys cover everything the files show."""
    monkeypatch.setattr(sitelist, "PAGED_ABOVE", 40)
    data, out = tmp_path / "data", tmp_path / "site"
    shutil.copytree(paged, data)
    build_site(data, out, base_url=BASE_URL, environ=ENV, jobs=1)
    before = files(out)
    set_cell(data, table, row_id, column, value)
    report = build_site(data, out, base_url=BASE_URL, environ=ENV, jobs=1)
    after = files(out)
    assert set(report.written) == site_files({f for f in after if before.get(f) != after[f]})
    assert report.written  # the edit shows somewhere
    full = tmp_path / "full"
    build_site(data, full, base_url=BASE_URL, environ=ENV, jobs=1)
    assert files(full) == after


def test_a_paged_rebuild_on_two_processes_records_the_index_made_beside_it(
    paged: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With two jobs the index, its list files and its search index are made in a forked process
    beside the build (``pool.side``): what that process wrote is in the report and in the
    manifest, and the folder equals a one-process full build of the same data."""
    monkeypatch.setattr(sitelist, "PAGED_ABOVE", 40)
    data, out = tmp_path / "data", tmp_path / "site"
    shutil.copytree(paged, data)
    first = build_site(data, out, base_url=BASE_URL, environ=ENV, jobs=2)
    assert {"index.html", "list/items-0.js", "search/0.js", "claims/claim-000011.html"} <= set(
        first.written
    )
    before = files(out)
    event = claim_row(data, "claim-000011")["event_id"]
    edit(data, "claim-000011")
    report = build_site(data, out, base_url=BASE_URL, environ=ENV, jobs=2)
    after = files(out)
    assert set(report.written) == site_files({f for f in after if before.get(f) != after[f]})
    pos = Listing(load(data), claim_href="claims/{id}.html").pos[event]
    assert {"claims/claim-000011.html", f"list/items-{pos}.js"} <= set(report.written)
    assert pos != 0 and "list/items-0.js" in report.unchanged
    again = build_site(
        data, out, base_url=BASE_URL, environ=ENV, jobs=2
    )  # the manifest kept the keys
    assert again.written == [] and files(out) == after
    full = tmp_path / "full"
    build_site(data, full, base_url=BASE_URL, environ=ENV, jobs=1)
    assert files(full) == after


def _search_fails(*args: object, **kw: object) -> object:
    raise OSError("disk full")


def _search_dies(*args: object, **kw: object) -> object:
    os._exit(3)  # the process beside the build killed (out of memory, a signal)


@pytest.mark.parametrize(
    "fault, error, words",
    [
        (_search_fails, OSError, "disk full"),
        (_search_dies, ExportError, "stopped before it finished"),
    ],
    ids=["raises", "dies"],
)
def test_a_failure_beside_the_build_fails_it_and_leaves_the_folder_as_it_was(
    paged: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    fault: object, error: type[Exception], words: str,
) -> None:  # fmt: skip
    monkeypatch.setattr(sitelist, "PAGED_ABOVE", 40)
    data, out = tmp_path / "data", tmp_path / "site"
    shutil.copytree(paged, data)
    build_site(data, out, base_url=BASE_URL, environ=ENV, jobs=2)
    before, times = files(out), mtimes(out)
    edit(data, "claim-000011")
    monkeypatch.setattr(sitelist, "write_search", fault)  # the side process is forked after this
    with pytest.raises(error, match=words) as raised:
        build_site(data, out, base_url=BASE_URL, environ=ENV, jobs=2)
    if fault is _search_fails:  # the forked process's traceback comes with it
        assert "_search_fails" in str(raised.value.__cause__)
    assert files(out) == before and mtimes(out) == times
    assert not list(tmp_path.glob(".*building-*"))


def test_the_claimreviews_file_keeps_the_lines_of_unchanged_claims_and_only_those(
    builds: dict[str, Path], tmp_path: Path
) -> None:
    """downloads/claimreviews.json keeps each unchanged claim's line from the last build's file
    (the claim page's key covers its ClaimReview), never a line of a file changed since."""
    data, out = tmp_path / "data", tmp_path / "site"
    shutil.copytree(builds["data"], data)
    shutil.copytree(builds["serial"], out)
    reviews = out / "downloads" / "claimreviews.json"
    with open(data / "claims.csv", encoding="utf-8", newline="") as f:
        verdicts = {r["id"]: r["verdict"] for r in csv.DictReader(f)}
    rated = next(c for c, v in verdicts.items() if v != "not-rated")
    unrated = next(c for c, v in verdicts.items() if v == "not-rated")
    set_cell(data, "claims", rated, "verdict", "not-rated")  # its ClaimReview goes
    set_cell(data, "claims", unrated, "verdict", "accurate")  # one comes
    set_cell(data, "claims", "claim-000020", "claimant", "A claimant of their own")
    build_site(data, out, base_url=BASE_URL, environ=ENV, jobs=1)
    full = tmp_path / "full"
    build_site(data, full, base_url=BASE_URL, environ=ENV, jobs=1)
    assert reviews.read_bytes() == (full / "downloads" / "claimreviews.json").read_bytes()
    urls = [r["url"] for r in json.loads(reviews.read_text(encoding="utf-8"))]
    assert (
        f"{BASE_URL}claims/{rated}.html" not in urls and f"{BASE_URL}claims/{unrated}.html" in urls
    )
    # A file changed by hand since (a line replaced): nothing of it is kept, the build writes it whole.
    lines = reviews.read_text(encoding="utf-8").split("\n")
    lines[1] = lines[1].replace('"reviewRating"', '"reviewRatingX"')
    reviews.write_text("\n".join(lines), encoding="utf-8")
    report = build_site(data, out, base_url=BASE_URL, environ=ENV, jobs=1)
    assert report.written == ["downloads/claimreviews.json"]
    assert reviews.read_bytes() == (full / "downloads" / "claimreviews.json").read_bytes()


def test_what_a_build_keeps_for_the_next_goes_when_it_is_no_longer_kept(
    paged: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The search index's kept files go with the paged list (the story got short), and the folders
    its files emptied; the ClaimReviews' stay; a file of the user's is never removed."""
    monkeypatch.setattr(sitelist, "PAGED_ABOVE", 40)
    data, out = tmp_path / "data", tmp_path / "site"
    shutil.copytree(paged, data)
    build_site(data, out, base_url=BASE_URL, environ=ENV, jobs=1)
    kept = out / CACHE_DIR
    assert {p.name for p in kept.iterdir()} == {
        "search.json",
        "search-terms.npy",
        "claimreviews.json",
    }
    (kept / "notes.txt").write_text("mine", encoding="utf-8")
    (out / "list" / "mine.txt").write_text("mine too", encoding="utf-8")
    monkeypatch.setattr(sitelist, "PAGED_ABOVE", 2000)  # the story is short again
    report = build_site(data, out, base_url=BASE_URL, environ=ENV, jobs=1)
    assert {p.name for p in kept.iterdir()} == {"claimreviews.json", "notes.txt"}
    assert any(f.startswith("search/") for f in report.removed)
    assert not (
        out / "search"
    ).exists()  # the folder its files emptied; not one holding a file of mine
    assert [p.name for p in (out / "list").iterdir()] == ["mine.txt"]
