"""Benchmark: ``timeline snapshot`` against plain ``jupyter nbconvert --execute --to html --no-input``.

For the shipped story and for synthetic stories of 1,000 and 10,000 events
(``bench_load.generate``: half as many claims, as many sources), builds, in one
run and side by side:

* ``timeline snapshot FOLDER -o DIR`` (our page: nbconvert + the timeline template);
* a naive notebook on the same CSVs, exported with plain nbconvert, twice: a
  ``go.Figure`` shown with Plotly's ``notebook`` renderer, and a ``go.FigureWidget``
  with an ipywidgets Dropdown (the two baselines of issue 4).

Then loads each page in headless Chromium from ``file://`` with every network
request blocked, and prints: build time (wall clock of the command), file size,
external requests the page attempted, time to first contentful paint, the first
frame after the whole story (every card, claim and link) is parsed (our page
only: "all text"), when plotly.js finished evaluating, and when the chart was
drawn (the first ``Plotly.newPlot``/``react`` promise resolved).
Figures are medians of ``--runs`` runs. Prints figures only; asserts nothing.

    .venv/bin/python benchmarks/bench_snapshot.py
    .venv/bin/python benchmarks/bench_snapshot.py --sizes shipped,1000 --runs 1
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path[:0] = [str(ROOT / "benchmarks"), str(ROOT / "tests")]

from bench_load import generate  # noqa: E402
from conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from figures import add_json_option, write_json  # noqa: E402
from snapshot_support import Offline  # noqa: E402

TIMELINEJS_FIRST_SLIDE_MS = 430  # TimelineJS 3.9.11, 13-event example over loopback (issue 4)
CHART_GOAL_10K_MS = 2000
EPOCH = "1767225600"

# Records first paint, when plotly.js is evaluated, and when the first chart is drawn.
PROBE = """
window.__bench = {};
new PerformanceObserver(function (list) {
  list.getEntries().forEach(function (e) { window.__bench[e.name] = e.startTime; });
}).observe({type: 'paint', buffered: true});
(function () {  // the first frame after the whole story is parsed (our footer follows it)
  function check() {
    if (document.getElementById('tl-provenance')) {
      requestAnimationFrame(function () { window.__bench.text = performance.now(); });
    } else {
      requestAnimationFrame(check);
    }
  }
  requestAnimationFrame(check);
})();
(function () {
  var P;
  function drawn() { if (window.__bench.chart === undefined) window.__bench.chart = performance.now(); }
  Object.defineProperty(window, 'Plotly', {configurable: true, enumerable: true,
    get: function () { return P; },
    set: function (v) {
      P = v;
      if (window.__bench.plotly === undefined) window.__bench.plotly = performance.now();
      ['newPlot', 'react'].forEach(function (name) {
        var f = v && v[name];
        if (typeof f !== 'function' || f.__bench) return;
        var g = function () { var r = f.apply(this, arguments); Promise.resolve(r).then(drawn); return r; };
        g.__bench = true;
        v[name] = g;
      });
    }});
})();
"""

NAIVE_HEAD = """\
import html
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from IPython.display import HTML, display

DATA = {data!r}
ev = pd.read_csv(f"{{DATA}}/events.csv", dtype=str).fillna("")
cl = pd.read_csv(f"{{DATA}}/claims.csv", dtype=str).fillna("")
src = pd.read_csv(f"{{DATA}}/sources.csv", dtype=str).fillna("").set_index("id")
fig = go.Figure(go.Scatter(x=ev.start.str[:10], y=ev.category, mode="markers", text=ev.title, hoverinfo="text"))
items = "".join(
    f'<li>{{html.escape(c)}} <a href="{{html.escape(src.url.get(s, ""))}}">source</a></li>'
    for c, s in zip(cl.claim, cl.said_in)
)
"""
NAIVE_RENDERER = """\
pio.renderers.default = "notebook"
fig.show()
display(HTML(f"<ul>{items}</ul>"))
"""
NAIVE_WIDGET = """\
import ipywidgets as widgets
fw = go.FigureWidget(fig)
pick = widgets.Dropdown(options=["all", *sorted(ev.category.unique())], description="Category")
def on_pick(change):
    keep = ev if change["new"] == "all" else ev[ev.category == change["new"]]
    fw.data[0].x, fw.data[0].y = keep.start.str[:10], keep.category
pick.observe(on_pick, names="value")
display(widgets.VBox([pick, fw]))
display(HTML(f"<ul>{items}</ul>"))
"""


@dataclass
class Result:
    data: str
    variant: str
    build_s: float
    size: int
    gzip_size: int = 0
    requests: int = 0
    fcp_ms: float | None = None
    text_ms: float | None = None
    plotly_ms: float | None = None
    chart_ms: float | None = None
    notes: list[str] = field(default_factory=list)


def write_notebook(path: Path, source: str) -> None:
    nb = {
        "cells": [
            {
                "cell_type": "code",
                "execution_count": None,
                "id": "naive",
                "metadata": {},
                "outputs": [],
                "source": source,
            }
        ],
        "metadata": {
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path.write_text(json.dumps(nb), encoding="utf-8")


def timed(cmd: list[str], runs: int, env: dict[str, str]) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        done = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
        times.append(time.perf_counter() - t)
        if done.returncode != 0:
            raise SystemExit(f"failed: {' '.join(cmd)}\n{done.stdout}\n{done.stderr}")
    return statistics.median(times)


def csv_bytes(folder: Path) -> int:
    return sum((folder / n).stat().st_size for n in ("events.csv", "claims.csv", "sources.csv"))


def load_page(browser: Any, path: Path, runs: int) -> dict[str, Any]:
    """Median paint/plotly/chart times over ``runs`` loads, and the external URLs asked."""
    samples: list[dict[str, float]] = []
    external: set[str] = set()
    for _ in range(runs):
        context = browser.new_context()
        try:
            page = context.new_page()
            page.add_init_script(PROBE)
            offline = Offline().attach(page)
            page.goto(path.resolve().as_uri(), wait_until="load", timeout=180_000)
            try:  # the chart may come after the load event; give it 10 s more
                page.wait_for_function("window.__bench.chart !== undefined", timeout=10_000)
            except Exception:
                pass
            page.wait_for_timeout(200)
            samples.append(page.evaluate("window.__bench"))
            external.update(offline.blocked)
        finally:
            context.close()

    def median(key: str) -> float | None:
        values = [s[key] for s in samples if s.get(key) is not None]
        return statistics.median(values) if len(values) == len(samples) else None

    return {
        "fcp_ms": median("first-contentful-paint"),
        "text_ms": median("text"),
        "plotly_ms": median("plotly"),
        "chart_ms": median("chart"),
        "requests": len(external),
        "external": sorted(external),
    }


def datasets(work: Path, sizes: list[str]) -> list[tuple[str, Path]]:
    out = []
    for size in sizes:
        if size == "shipped":
            folder = work / "shipped"
            shutil.copytree(ROOT / "data", folder)
        else:
            n = int(size)
            folder = work / f"events-{n}"
            generate(folder, events=n, claims=n // 2, sources=n)
        out.append((size, folder))
    return out


def fmt(value: float | None, unit: str = "") -> str:
    return (
        "no chart"
        if value is None and unit == "chart"
        else ("-" if value is None else f"{value:,.0f}")
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--sizes", default="shipped,1000,10000", help="comma-separated: shipped and/or event counts"
    )
    ap.add_argument(
        "--runs", type=int, default=3, help="builds and page loads per variant (median)"
    )
    ap.add_argument("--keep", type=Path, default=None, help="copy the built pages into this folder")
    add_json_option(ap)
    args = ap.parse_args(argv)

    from playwright.sync_api import sync_playwright

    from timeline.views.assets import plotly_js

    plotly_bytes = len(plotly_js().encode("utf-8"))
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
    results: list[Result] = []
    goals: list[str] = []
    with tempfile.TemporaryDirectory(prefix="bench-snapshot-") as tmp, sync_playwright() as p:
        work = Path(tmp)
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for name, folder in datasets(work, [s.strip() for s in args.sizes.split(",") if s.strip()]):
            variants: list[tuple[str, Callable[[], tuple[float, Path]]]] = []

            def ours(folder: Path = folder, name: str = name) -> tuple[float, Path]:
                out = work / f"ours-{name}"
                cmd = [str(BIN / "timeline"), "snapshot", str(folder), "-o", str(out)]
                return timed(cmd, args.runs, env), out / "index.html"

            def naive(
                kind: str, body: str, folder: Path = folder, name: str = name
            ) -> tuple[float, Path]:
                nb = work / f"naive-{kind}-{name}.ipynb"
                write_notebook(nb, NAIVE_HEAD.format(data=str(folder)) + body)
                cmd = [
                    str(BIN / "jupyter"),
                    "nbconvert",
                    "--execute",
                    "--to",
                    "html",
                    "--no-input",
                    str(nb),
                ]
                return timed(cmd, args.runs, env), nb.with_suffix(".html")

            variants.append(("timeline snapshot", ours))
            variants.append(
                ("nbconvert, notebook renderer", lambda: naive("renderer", NAIVE_RENDERER))
            )
            variants.append(("nbconvert, FigureWidget", lambda: naive("widget", NAIVE_WIDGET)))
            rows: list[Result] = []
            for variant, build in variants:
                print(f"  {name}: {variant} ...", file=sys.stderr, flush=True)
                seconds, page = build()
                body = page.read_bytes()
                r = Result(name, variant, seconds, len(body), len(gzip.compress(body, mtime=0)))
                seen = load_page(browser, page, args.runs)
                r.requests, r.fcp_ms, r.text_ms, r.plotly_ms, r.chart_ms = (
                    seen["requests"],
                    seen["fcp_ms"],
                    seen["text_ms"],
                    seen["plotly_ms"],
                    seen["chart_ms"],
                )
                r.notes = seen["external"]
                if args.keep:
                    args.keep.mkdir(parents=True, exist_ok=True)
                    shutil.copy(
                        page,
                        args.keep
                        / f"{name}-{variant.split(',')[-1].strip().replace(' ', '-')}.html",
                    )
                rows.append(r)
            results.extend(rows)
            ours_r, base = rows[0], rows[1]
            size_goal = plotly_bytes + 1.2 * csv_bytes(folder) + 150 * 1024
            goals.append(
                f"{name}: build {ours_r.build_s / base.build_s:.2f}x the baseline (goal <= 0.50); "
                f"external requests {ours_r.requests} (goal 0); "
                f"first paint at {fmt(ours_r.fcp_ms)} ms, the whole story's text on a frame at "
                f"{fmt(ours_r.text_ms)} ms, plotly.js evaluated at {fmt(ours_r.plotly_ms)} ms "
                f"(goal: text by {TIMELINEJS_FIRST_SLIDE_MS} ms, before the chart script); "
                f"chart at {fmt(ours_r.chart_ms, 'chart')} ms vs baseline {fmt(base.chart_ms, 'chart')} ms"
                + (f" (goal < {CHART_GOAL_10K_MS} ms)" if name == "10000" else "")
                + f"; size {ours_r.size / 1e6:.2f} MB, gzipped {ours_r.gzip_size / 1e6:.2f} MB "
                f"(the size goal of issue 4, {size_goal / 1e6:.2f} MB, was withdrawn by issue 15)"
            )
        browser.close()

    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"\nSnapshot benchmark, medians of {args.runs} run(s); Chromium offline from file://; "
        f"{os.cpu_count()} CPUs, load average at the end {load} (figures are wall clock: other work slows them)\n"
    )
    head = f"{'data':<8} {'variant':<30} {'build s':>8} {'x base':>7} {'size MB':>8} {'gzip MB':>8} {'ext req':>8} {'paint ms':>8} {'all text':>9} {'plotly ms':>10} {'chart ms':>9}"
    print(head)
    print("-" * len(head))
    base_build = {r.data: r.build_s for r in results if r.variant == "nbconvert, notebook renderer"}
    for r in results:
        print(
            f"{r.data:<8} {r.variant:<30} {r.build_s:>8.2f} {r.build_s / base_build[r.data]:>7.2f} "
            f"{r.size / 1e6:>8.2f} {r.gzip_size / 1e6:>8.2f} {r.requests:>8} {fmt(r.fcp_ms):>8} {fmt(r.text_ms):>9} {fmt(r.plotly_ms):>10} {fmt(r.chart_ms, 'chart'):>9}"
        )
    print("\nExternal URLs the baselines asked for (all blocked):")
    for url in sorted({u for r in results for u in r.notes}):
        print(f"  {url}")
    print("\nGoals (issue 4):")
    for line in goals:
        print(f"  {line}")
    cmd = " ".join(
        [
            ".venv/bin/python",
            "benchmarks/bench_snapshot.py",
            *(argv if argv is not None else sys.argv[1:]),
        ]
    )
    print(f"\nReproduce: {cmd}")
    write_json(
        args.json, "bench_snapshot", argv, {"runs": args.runs, "results": results, "goals": goals}
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
