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

With ``--index-sizes 1000,10000,60000`` (issue 25), for stories of that many events (half as many
claims): the index's first load in Chromium over HTTP (the bytes of every file it asks for until
the network is idle, raw and gzipped; goal <= 1.5 MB), the time to the chart drawn (over HTTP and
from disk; goal <= 2 s), the time to the filters ready after the reader's first touch of them and
the bytes of the chart's data that touch loads, and per search (a
claimant's name, two common words, a claim's own words): the time from typing to the list's count changing
(its 120 ms pause for typing included; goal <= 0.3 s) and the bytes of the search files it
loaded (goal <= 300 KB); the embed's size (goal <= 200 KB). ``--no-cards-above N`` leaves the
share cards undrawn (a one-pixel PNG) above N events, said in the output: 30,000 cards take
twenty minutes on one core, and no figure here depends on them.

    .venv/bin/python benchmarks/bench_site.py [--sizes shipped,1000,10000] [--jobs 1,2] [--json FILE]
    .venv/bin/python benchmarks/bench_site.py --sizes "" --index-sizes 1000,10000,60000

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
#: its largest child (a worker; Linux reports ru_maxrss in KB), and the CPU seconds (user + system)
#: of each, the building process's also without its imports (``build_cpu_s``: build_site's own): on
#: a machine whose cores are busy with other work, where the work ran shows what the wall clock cannot.
BUILD = """
import json, resource, sys, time
from timeline.publish.site import build_site
def cpu(who):
    r = resource.getrusage(who)
    return r.ru_utime + r.ru_stime
t, c = time.perf_counter(), cpu(resource.RUSAGE_SELF)
r = build_site(sys.argv[1], sys.argv[2], environ={"SOURCE_DATE_EPOCH": "1767225600"}, jobs=int(sys.argv[3]))
print(json.dumps({"s": time.perf_counter() - t, "written": len(r.written),
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "worker_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
                  "build_cpu_s": cpu(resource.RUSAGE_SELF) - c,
                  "cpu_s": cpu(resource.RUSAGE_SELF), "worker_cpu_s": cpu(resource.RUSAGE_CHILDREN)}))
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
        "incremental_cpu_s": again["build_cpu_s"],
        "incremental_worker_cpu_s": again["worker_cpu_s"],
        "incremental_ratio": incremental / full,
        "incremental_written": again["written"],
        "page_kb_median": statistics.median(sizes) / 1024,
        "page_kb_max": max(sizes) / 1024,
        "page_gzip_kb_median": statistics.median(gz) / 1024,
        "page_gzip_kb_max": max(gz) / 1024,
        "fcp_ms_median": statistics.median(f for f in fcps if f is not None),
    }


#: Searches timed on the index: a claimant's name, a word in many texts, a rare word and a number.
QUERIES = ("pompeo", "escalation restraint", "claim 1,234")


def _sizes(out: Path, urls: list[str], base: str) -> tuple[int, int]:
    """Raw and gzipped bytes of the site's files at these URLs."""
    raw = gz = 0
    for url in dict.fromkeys(urls):
        if not url.startswith(base):
            continue
        body = (out / url[len(base) :].split("?")[0].split("#")[0]).read_bytes()
        raw += len(body)
        gz += len(gzip.compress(body, mtime=0))
    return raw, gz


#: A search's time in the page's own clock: from the search box's input event (the typing) to the
#: count's change (it changes with the list: the first results are shown). Playwright's own
#: round trips (typing sent, the change noticed) add some 0.1-0.2 s that no reader waits for.
IN_PAGE_CLOCK = """() => {
  const box = document.querySelector('#tl-search'), count = document.querySelector('#tl-count');
  window.__benchTyped = window.__benchAnswered = null;
  box.addEventListener('input', () => { if (window.__benchTyped === null) window.__benchTyped = performance.now(); });
  new MutationObserver(() => { if (window.__benchAnswered === null) window.__benchAnswered = performance.now(); })
    .observe(count, {childList: true, characterData: true, subtree: true});
}"""


def _chart_drawn(page: Any) -> None:
    """Wait for the chart: a long story's grouped chart (data-chart-drawn) or a short one's."""
    page.locator("#timeline-app[data-chart-drawn], html[data-timeline-ready='1']").first.wait_for(
        timeout=120_000
    )


def index_figures(work: Path, events: int, browser: Any, *, draw_cards: bool) -> dict[str, Any]:
    """The light index of issue 25: first load, time to chart, search, embed (see the docstring)."""
    from timeline.publish import cards

    folder = work / f"index-data-{events}"
    generate(folder, events=events, claims=events // 2, sources=max(events // 10, 10))
    out = work / f"index-site-{events}"
    real = cards.draw_claim_card
    if not draw_cards:
        cards.draw_claim_card = lambda **_: b"\x89PNG\r\n\x1a\n"  # type: ignore[assignment]
    try:
        t = time.perf_counter()
        build_site(folder, out, environ=EPOCH)
        build = time.perf_counter() - t
    finally:
        cards.draw_claim_card = real  # type: ignore[assignment]
    return {
        "data": f"{events} events / {events // 2} claims",
        "cards_drawn": draw_cards,
        "build_s": build,
        **measure_index(out, browser),
    }


def measure_index(out: Path, browser: Any) -> dict[str, Any]:
    """The figures of a built site's index (see the docstring): sizes, first load, chart, search."""
    from serve_support import static_server

    data_files = sorted((out / "list").glob("data.*.js")) if (out / "list").is_dir() else []
    result: dict[str, Any] = {
        "index_kb": (out / "index.html").stat().st_size / 1024,
        "embed_kb": (out / "embed.html").stat().st_size / 1024,
        "deferred_kb": sum(p.stat().st_size for p in data_files) / 1024,
        "deferred_gzip_kb": sum(len(gzip.compress(p.read_bytes(), mtime=0)) for p in data_files)
        / 1024,
        "search_files": len(list((out / "search").glob("*.js")))
        if (out / "search").is_dir()
        else 0,
    }
    with static_server(out) as base:
        page = browser.new_page()
        asked: list[str] = []
        page.on("request", lambda r: asked.append(r.url))
        t = time.perf_counter()
        page.goto(base + "index.html", wait_until="commit")
        _chart_drawn(page)
        result["chart_http_s"] = time.perf_counter() - t
        page.wait_for_load_state("networkidle")  # all a reader who only reads loads
        raw, gz = _sizes(out, list(asked), base)
        result["first_load_kb"], result["first_load_gzip_kb"] = raw / 1024, gz / 1024
        t = time.perf_counter()
        page.focus(
            "#tl-search"
        )  # a long story's chart data comes at the first touch of the controls
        page.locator("html[data-timeline-ready='1']").wait_for(timeout=300_000)
        result["ready_http_s"] = time.perf_counter() - t
        page.close()
        page = browser.new_page()
        t = time.perf_counter()
        page.goto((out / "index.html").resolve().as_uri(), wait_until="commit")
        _chart_drawn(page)
        result["chart_file_s"] = time.perf_counter() - t
        page.close()
        searches = []
        for query in QUERIES:
            page = browser.new_page()
            asked = []
            page.on("request", lambda r, asked=asked: asked.append(r.url))
            page.goto(base + "index.html", wait_until="commit")
            _chart_drawn(page)
            page.focus("#tl-search")
            page.locator("html[data-timeline-ready='1']").wait_for(timeout=300_000)
            before = page.locator("#tl-count").text_content()
            page.evaluate(IN_PAGE_CLOCK)
            n = len(asked)
            t = time.perf_counter()
            page.fill("#tl-search", query)
            page.locator("#tl-count").filter(has_not_text=before or "").wait_for(timeout=60_000)
            took = time.perf_counter() - t
            in_page = page.evaluate("window.__benchAnswered - window.__benchTyped") / 1000
            raw, gz = _sizes(out, asked[n:], base)
            searches.append({"query": query, "s": in_page, "seen_by_playwright_s": took,
                             "kb": raw / 1024, "gzip_kb": gz / 1024,
                             "count": page.locator("#tl-count").text_content()})  # fmt: skip
            page.close()
        result["searches"] = searches
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="shipped,1000,10000")
    parser.add_argument("--runs", type=int, default=3, help="runs of the shipped comparison")
    parser.add_argument("--jobs", default="1,2", help="full builds with these numbers of processes")
    parser.add_argument(
        "--index-sizes", default="", help="events of the index's stories (issue 25)"
    )
    parser.add_argument(
        "--no-cards-above", type=int, default=None, help="no share cards drawn above N events"
    )
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
        for size in (int(s) for s in args.index_sizes.split(",") if s.strip()):
            print(f"  index {size} ...", file=sys.stderr, flush=True)
            draw = args.no_cards_above is None or size <= args.no_cards_above
            results.append({"index": True, **index_figures(work, size, browser, draw_cards=draw)})
        browser.close()
    print(
        f"\nMicrosite benchmark ({os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}; wall clock)"
    )
    for r in results:
        if r.get("index"):
            print(
                f"index of {r['data']}: built in {r['build_s']:.0f} s"
                f"{'' if r['cards_drawn'] else ' (share cards not drawn)'}; index.html {r['index_kb']:.0f} KB; "
                f"first load {r['first_load_kb']:.0f} KB, gzipped {r['first_load_gzip_kb']:.0f} KB (goal <= 1,536 KB); "
                f"chart drawn {r['chart_http_s']:.2f} s over HTTP, {r['chart_file_s']:.2f} s from disk (goal <= 2 s); "
                f"filters ready {r['ready_http_s']:.2f} s after the first touch, which loads the chart's data: {r['deferred_kb']:.0f} KB, "
                f"gzipped {r['deferred_gzip_kb']:.0f} KB; embed {r['embed_kb']:.0f} KB (goal <= 200 KB); "
                f"{r['search_files']} search files"
            )
            for q in r["searches"]:
                print(
                    f"  search {q['query']!r}: first results {q['s']:.2f} s after typing (goal <= 0.3 s; "
                    f"{q['seen_by_playwright_s']:.2f} s as Playwright saw it), "
                    f"{q['kb']:.0f} KB loaded, gzipped {q['gzip_kb']:.0f} KB (goal <= 300 KB): {q['count']}"
                )
            continue
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
            f"= {r['incremental_ratio']:.3f}x (goal <= 3 s, < 0.1x), CPU {r['incremental_cpu_s']:.2f} s in the "
            f"building process (its imports left out), {r['incremental_worker_cpu_s']:.2f} s in its children, "
            f"{r['incremental_written']} files written, "
            f"peak RSS {r['incremental_rss_mb']:.0f} MB; "
            f"claim page {r['page_kb_median']:.1f} KB median / {r['page_kb_max']:.1f} KB max, gzipped "
            f"{r['page_gzip_kb_median']:.1f} / {r['page_gzip_kb_max']:.1f} KB (goal < 25 / 8 KB); "
            f"first contentful paint from disk {r['fcp_ms_median']:.0f} ms (goal < 100 ms)"
        )
    write_json(args.json, "bench_site", argv, {"results": results})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
