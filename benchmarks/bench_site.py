"""Benchmark: ``timeline site`` (the microsite of issue 15).

Prints, for the shipped story: ``timeline site`` against ``timeline snapshot`` on the same
data (both commands' wall clock; goal: site <= 1.5x snapshot). For synthetic stories of
1,000 events with 500 claims and 10,000 with 5,000 (``bench_load.generate``; ``--sizes
60000`` is the archive of issue 25: 60,000 events, 30,000 claims): the full build with each
``--jobs`` value (goal at 30,000 claims: <= 5 min with 2 jobs on 2 cores) and its peak memory
(RSS of the building process and of its largest worker), the cost per claim page (render)
and per share card (draw), the incremental rebuild after one claim's edit (goal <= 3 s, and
< 0.1x the full build), claim page sizes raw and gzipped (goal < 25 KB, < 8 KB gzipped) and
the first contentful paint of a claim page opened from disk in Chromium (goal < 0.1 s).
Each build runs in its own process, so its memory is its own. Prints figures only; asserts
nothing.

    .venv/bin/python benchmarks/bench_site.py [--sizes shipped,1000,10000] [--jobs 1,2] [--json FILE]

"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path[:0] = [str(ROOT / "benchmarks"), str(ROOT / "tests")]

from bench_load import generate  # noqa: E402
from conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from figures import add_json_option, write_json  # noqa: E402

from timeline import load  # noqa: E402
from timeline.publish.site import build_site  # noqa: E402
from timeline.views.claim_page import ClaimPages, PageLinks  # noqa: E402

EPOCH = {"SOURCE_DATE_EPOCH": "1767225600"}
#: The first contentful paint, waited for: right after "load" the entry may not be there yet.
FCP = """() => new Promise(done => {
  const seen = performance.getEntriesByName('first-contentful-paint')[0];
  if (seen) return done(seen.startTime);
  new PerformanceObserver(list => {
    const e = list.getEntries().find(x => x.name === 'first-contentful-paint');
    if (e) done(e.startTime);
  }).observe({type: 'paint', buffered: true});
})"""


def run(cmd: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, env={**os.environ, **EPOCH})
    return time.perf_counter() - t


def shipped(work: Path, runs: int) -> dict[str, Any]:
    folder = work / "shipped"
    shutil.copytree(ROOT / "data", folder)
    snap = [
        run([str(BIN / "timeline"), "snapshot", str(folder), "-o", str(work / "snap")])
        for _ in range(runs)
    ]
    site = []
    for i in range(runs):
        out = work / f"site-{i}"
        t = time.perf_counter()
        build_site(folder, out, environ=EPOCH)
        site.append(time.perf_counter() - t)
    s, n = statistics.median(site), statistics.median(snap)
    return {"data": "shipped", "site_s": s, "snapshot_s": n, "ratio": s / n}


def edit_one_claim(folder: Path) -> None:
    path = folder / "claims.csv"
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    rows[len(rows) // 2]["rationale"] += " Re-reviewed."
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


#: One build in a fresh process: its wall clock, files written, peak RSS (MB) of the process and of
#: its largest child (a worker; Linux reports ru_maxrss in KB), and the CPU seconds of each: on a
#: machine whose cores are busy with other work, where the work ran shows what the wall clock cannot.
BUILD = """
import json, resource, sys, time
from timeline.publish.site import build_site
t = time.perf_counter()
r = build_site(sys.argv[1], sys.argv[2], environ={"SOURCE_DATE_EPOCH": "1767225600"}, jobs=int(sys.argv[3]))
print(json.dumps({"s": time.perf_counter() - t, "written": len(r.written),
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "worker_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
                  "cpu_s": resource.getrusage(resource.RUSAGE_SELF).ru_utime,
                  "worker_cpu_s": resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime}))
"""


def build(folder: Path, out: Path, jobs: int) -> dict[str, Any]:
    done = subprocess.run([sys.executable, "-c", BUILD, str(folder), str(out), str(jobs)],
                          check=True, capture_output=True, text=True)  # fmt: skip
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def synthetic(work: Path, events: int, browser: Any, jobs: list[int]) -> dict[str, Any]:
    folder = work / f"data-{events}"
    generate(folder, events=events, claims=events // 2, sources=max(events // 10, 10))
    out = work / f"site-{events}"
    builds = {}
    for n in jobs:
        shutil.rmtree(out, ignore_errors=True)
        print(f"    full build, {n} job(s) ...", file=sys.stderr, flush=True)
        builds[n] = build(folder, out, n)
    full = builds[jobs[-1]]["s"]

    ds = load(folder)
    pages = ClaimPages(ds)
    links = PageLinks(home="../index.html", stylesheets=("../assets/x.css",))
    t = time.perf_counter()
    for cid in pages.ids:
        pages.render(cid, links=links)
    per_page = (time.perf_counter() - t) / len(pages.ids)

    from timeline.publish import cards

    sample = pages.ids[:50]
    t = time.perf_counter()
    for cid in sample:
        c = pages.claims[cid]
        cards.draw_claim_card(verdict=c["verdict"], headline=pages.title(cid), claimant=c["claimant"],
                              date=c["reviewed"], story_title=pages.meta["title"])  # fmt: skip
    per_card = (time.perf_counter() - t) / len(sample)

    edit_one_claim(folder)
    again = build(folder, out, jobs[-1])
    incremental = again["s"]

    sizes = [p.stat().st_size for p in (out / "claims").iterdir()]
    gz = [len(gzip.compress(p.read_bytes(), mtime=0)) for p in (out / "claims").iterdir()]
    first = sorted((out / "claims").iterdir())[0]
    fcps = []
    for _ in range(5):
        page = browser.new_page()
        page.goto(first.resolve().as_uri(), wait_until="load")
        fcps.append(page.evaluate(FCP))
        page.close()
    return {
        "data": f"{events} events / {events // 2} claims",
        "full_s": full,
        "builds": {str(n): b for n, b in builds.items()},
        "incremental_rss_mb": again["rss_mb"],
        "per_claim_page_ms": per_page * 1000,
        "per_card_ms": per_card * 1000,
        "incremental_s": incremental,
        "incremental_ratio": incremental / full,
        "incremental_written": again["written"],
        "page_kb_median": statistics.median(sizes) / 1024,
        "page_kb_max": max(sizes) / 1024,
        "page_gzip_kb_median": statistics.median(gz) / 1024,
        "page_gzip_kb_max": max(gz) / 1024,
        "fcp_ms_median": statistics.median(f for f in fcps if f is not None),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="shipped,1000,10000")
    parser.add_argument("--runs", type=int, default=3, help="runs of the shipped comparison")
    parser.add_argument("--jobs", default="1,2", help="full builds with these numbers of processes")
    add_json_option(parser)
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="bench-site-") as tmp, sync_playwright() as p:
        work = Path(tmp)
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for size in (s.strip() for s in args.sizes.split(",") if s.strip()):
            print(f"  {size} ...", file=sys.stderr, flush=True)
            results.append(
                shipped(work, args.runs)
                if size == "shipped"
                else synthetic(work, int(size), browser, [int(j) for j in args.jobs.split(",")])
            )
        browser.close()
    print(
        f"\nMicrosite benchmark ({os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}; wall clock)"
    )
    for r in results:
        if r["data"] == "shipped":
            print(
                f"shipped: site {r['site_s']:.2f} s, snapshot {r['snapshot_s']:.2f} s: {r['ratio']:.2f}x (goal <= 1.5x)"
            )
            continue
        for n, b in r["builds"].items():
            print(
                f"{r['data']}: full build with {n} job(s) {b['s']:.1f} s ({b['s'] / 60:.1f} min), {b['written']} files; "
                f"peak RSS {b['rss_mb']:.0f} MB (building process), {b['worker_rss_mb']:.0f} MB (largest child); "
                f"CPU {b['cpu_s']:.0f} s in the building process, {b['worker_cpu_s']:.0f} s in its children"
            )
        print(
            f"{r['data']}: full build {r['full_s']:.1f} s; claim page {r['per_claim_page_ms']:.2f} ms, "
            f"card {r['per_card_ms']:.1f} ms each; incremental rebuild after one edit {r['incremental_s']:.2f} s "
            f"= {r['incremental_ratio']:.3f}x (goal <= 3 s, < 0.1x), {r['incremental_written']} files written, "
            f"peak RSS {r['incremental_rss_mb']:.0f} MB; "
            f"claim page {r['page_kb_median']:.1f} KB median / {r['page_kb_max']:.1f} KB max, gzipped "
            f"{r['page_gzip_kb_median']:.1f} / {r['page_gzip_kb_max']:.1f} KB (goal < 25 / 8 KB); "
            f"first contentful paint from disk {r['fcp_ms_median']:.0f} ms (goal < 100 ms)"
        )
    write_json(args.json, "bench_site", argv, {"results": results})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
