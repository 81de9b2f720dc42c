"""Benchmark: the reader dashboard (`timeline serve`) against plain Voila, side by side in one run.

Prints figures; asserts nothing. In headless Chromium (Debian's, the tests' flags):

1. Page load, the median of ``--runs`` loads (new browser context each): from navigation
   until the timeline's markers are drawn (``[data-timeline-ready]`` and
   ``.scatterlayer .point`` for ours) and every claim's source link is in the page.
   Servers, each on the shipped ``data/``:
   - plain ``voila`` on a naive notebook (a ``go.FigureWidget``, an ipywidgets Dropdown,
     an HTML list of links), cold; and with ``--preheat_kernel=True --pool_size=1``;
   - ``timeline serve`` with its default pool (2), and with ``--pool-size 0`` (cold).
   Readers arrive ``--gap`` seconds apart, so a pool has refilled between two readers.
2. Kernels: RSS of the kernel processes with 3 reader tabs open (what each reader holds),
   and when a reader's kernel goes away (ours: after the page is sent; plain Voila: on
   tab close, which its shutdown request fails to do, 403).
3. A filter change redrawn, with 1,000 synthetic events: median over category changes.
4. The culling backstop, measured on our server with kernel release turned off.

Needs the test extras and ``anywidget`` (plotly 7's FigureWidget):

    .venv/bin/pip install anywidget
    .venv/bin/python benchmarks/bench_dashboard.py            # about 4 minutes
    .venv/bin/python benchmarks/bench_dashboard.py --runs 7 --gap 8 --skip-culling
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import cast

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "benchmarks")]

import psutil  # noqa: E402
from conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from figures import add_json_option, write_json  # noqa: E402
from serve_support import Server, free_port, kernel_processes, wait_for  # noqa: E402

from timeline import load  # noqa: E402

MIB = 1024 * 1024
VENV_BIN = Path(sys.executable).parent

BASELINE_NOTEBOOK = r"""
import os
import pandas as pd
import plotly.graph_objects as go
import ipywidgets as W
from IPython.display import HTML, display

folder = os.environ["BASELINE_DATA"]
events = pd.read_csv(f"{folder}/events.csv", dtype=str).fillna("")
claims = pd.read_csv(f"{folder}/claims.csv", dtype=str).fillna("")
sources = pd.read_csv(f"{folder}/sources.csv", dtype=str).fillna("").set_index("id")
events["when"] = pd.to_datetime(events.start, utc=True, format="mixed", errors="coerce")

fig = go.FigureWidget(go.Scatter(x=events.when, y=events.category, text=events.title, mode="markers"))
pick = W.Dropdown(options=["(all)"] + sorted(events.category.unique()), description="Category")

def on_pick(change):
    shown = events if change["new"] == "(all)" else events[events.category == change["new"]]
    with fig.batch_update():
        fig.data[0].x, fig.data[0].y, fig.data[0].text = shown.when, shown.category, shown.title

pick.observe(on_pick, names="value")
display(W.VBox([pick, fig]))

def link(sid):
    url = sources.url.get(sid, "")
    return f'<a href="{url}" target="_blank">{sid}</a>' if url else sid

items = []
for c in claims.itertuples():
    refs = [c.said_in] + [s for s in c.evidence.split(";") if s]
    items.append(f"<li><b>{c.claimant}</b>: {c.claim} ({c.verdict}) " + ", ".join(link(s) for s in refs) + "</li>")
display(HTML("<ul>" + "".join(items) + "</ul>"))
"""

READY_OURS = """(urls) => {
  if (!document.documentElement.dataset.timelineReady) return false;
  if (!document.querySelector('#tl-chart .scatterlayer .point')) return false;
  const hrefs = new Set([...document.querySelectorAll('a[href]')].map((a) => a.getAttribute('href')));
  return urls.every((u) => hrefs.has(u)) ? performance.now() : false;
}"""

READY_BASELINE = """(urls) => {
  if (!document.querySelector('.scatterlayer .point')) return false;
  const hrefs = new Set([...document.querySelectorAll('a[href]')].map((a) => a.getAttribute('href')));
  return urls.every((u) => hrefs.has(u)) ? performance.now() : false;
}"""

FILTER_REDRAW = """async (value) => {
  const gd = document.getElementById('tl-chart');
  const sel = document.getElementById('tl-filter-category');
  const drawn = new Promise((resolve) => gd.once('plotly_afterplot', resolve));
  const t0 = performance.now();
  sel.value = value;
  sel.dispatchEvent(new Event('change'));
  const ok = await Promise.race([drawn.then(() => true), new Promise((r) => setTimeout(() => r(false), 10000))]);
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  return ok ? performance.now() - t0 : -1;
}"""


def claim_urls(folder: Path) -> list[str]:
    ds = load(folder)
    url = dict(zip(ds.sources.id, ds.sources.url, strict=True))
    found = set()
    for c in ds.claims.itertuples():
        for sid in [c.said_in, *[s for s in c.evidence.split(";") if s]]:
            if url.get(sid):
                found.add(url[sid])
    return sorted(found)


class KernelWatch:
    """Polls a server's kernel processes every 20 ms: when each one appeared and vanished."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.born: dict[int, float] = {}
        self.gone: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            now = time.perf_counter()
            alive = {p.pid for p in kernel_processes(self.pid)}
            for pid in alive - self.born.keys():
                self.born[pid] = now
            for pid in self.born.keys() - alive - self.gone.keys():
                self.gone[pid] = now
            time.sleep(0.02)

    def alive(self) -> set[int]:
        return set(self.born) - set(self.gone)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def rss(procs: list[psutil.Process]) -> list[float]:
    out = []
    for p in procs:
        try:
            out.append(p.memory_info().rss / MIB)
        except psutil.NoSuchProcess:
            pass
    return out


@contextmanager
def plain_voila(
    notebook: Path, data: Path, log: Path, *, pool: int
) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    port = free_port()
    argv = [
        str(VENV_BIN / "voila"),
        str(notebook),
        f"--port={port}",
        "--no-browser",
        "--Voila.ip=127.0.0.1",
    ]
    if pool:
        argv += ["--preheat_kernel=True", f"--pool_size={pool}"]
    env = {**os.environ, "BASELINE_DATA": str(data)}
    with log.open("w") as fh:
        proc = subprocess.Popen(
            argv, stdout=fh, stderr=subprocess.STDOUT, text=True, env=env, cwd=notebook.parent
        )
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_for(lambda: "running at" in log.read_text(), timeout=60, what="plain voila to listen")
        if pool:
            wait_for(
                lambda: len(kernel_processes(proc.pid)) >= pool,
                timeout=60,
                what="the baseline pool",
            )
        yield url, proc
    finally:
        stop_process(proc)


@contextmanager
def timeline_server(
    folder: Path, log: Path, *, pool: int, extra: list[str] | None = None
) -> Iterator[Server]:
    server = Server.start(folder, log_path=log, pool_size=pool, extra=extra)
    try:
        yield server
    finally:
        server.stop()


def stop_process(proc: subprocess.Popen[str]) -> None:
    kernels = kernel_processes(proc.pid)
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    for k in kernels:
        try:
            k.kill()
        except psutil.NoSuchProcess:
            pass


def page_loads(
    browser, url: str, ready: str, urls: list[str], *, runs: int, gap: float
) -> list[float]:  # type: ignore[no-untyped-def]
    """Seconds from navigation to ready, one new context per load, ``gap`` s between readers."""
    times = []
    for _ in range(runs):
        time.sleep(gap)
        context = browser.new_context()
        page = context.new_page()
        page.goto(url, wait_until="commit")
        ms = page.wait_for_function(ready, arg=urls, timeout=120_000, polling=20).json_value()
        times.append(ms / 1000)
        close_tab(context, page)
    return times


def close_tab(context, page) -> None:  # type: ignore[no-untyped-def]
    """Close like a reader closing a tab: unload handlers run (and may send requests)."""
    page.close(run_before_unload=True)
    time.sleep(0.5)
    context.close()


def readers_kernels(
    browser, url: str, ready: str, urls: list[str], pid: int, *, pool: int, settle: float
) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """Open 3 readers and keep them open: kernels they hold, their RSS; then close them."""
    watch = KernelWatch(pid)
    time.sleep(0.5)
    before = watch.alive()
    contexts, t_nav = [], []
    for _ in range(3):
        ctx = browser.new_context()
        page = ctx.new_page()
        t_nav.append(time.perf_counter())
        page.goto(url, wait_until="commit")
        page.wait_for_function(ready, arg=urls, timeout=120_000, polling=20)
        contexts.append((ctx, page))
    time.sleep(settle)
    procs = kernel_processes(pid)
    held = len(procs) - len(before)
    all_rss = rss(procs)
    # the first reader took a pool kernel: when did the first of them go away?
    gone = [watch.gone[p] for p in before if p in watch.gone]
    released = [min(gone) - t_nav[0]] if gone else []
    t_close = time.perf_counter()
    for ctx, page in contexts:
        close_tab(ctx, page)
    time.sleep(20)
    after = len(kernel_processes(pid))
    closed_gone = [t - t_close for t in watch.gone.values() if t > t_close]
    watch.stop()
    return {
        "held": held,
        "rss": all_rss,
        "released_after_nav": released,
        "kernels_20s_after_close": after,
        "gone_after_close": closed_gone,
    }


def median(xs: list[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


def fmt(xs: list[float]) -> str:
    return (
        f"{median(xs):6.2f} s  (min {min(xs):.2f}, max {max(xs):.2f}, n={len(xs)})" if xs else "n/a"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5, help="page loads per server (default 5)")
    parser.add_argument(
        "--gap", type=float, default=6.0, help="seconds between two readers (default 6)"
    )
    parser.add_argument(
        "--events", type=int, default=1000, help="synthetic events for the filter test"
    )
    parser.add_argument(
        "--skip-culling", action="store_true", help="skip the culling measurement (30 s)"
    )
    add_json_option(parser)
    args = parser.parse_args(argv)
    try:
        import anywidget  # noqa: F401
    except ImportError:
        print(
            "plotly 7's FigureWidget needs anywidget for the baseline: .venv/bin/pip install anywidget"
        )
        return 1
    from playwright.sync_api import sync_playwright

    data = ROOT / "data"
    urls = claim_urls(data)
    tmp = Path(tempfile.mkdtemp(prefix="bench-dashboard-"))
    notebook = tmp / "naive.ipynb"
    notebook.write_text(json.dumps(naive_notebook()), encoding="utf-8")
    results: dict[str, list[float]] = {}
    kernels: dict[str, dict[str, object]] = {}
    print(
        f"data: {data} ({len(load(data).events)} events, {len(urls)} claim source links); runs={args.runs}, gap={args.gap}s"
    )
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            with plain_voila(notebook, data, tmp / "voila-cold.log", pool=0) as (url, proc):
                results["plain voila, cold"] = page_loads(
                    browser, url, READY_BASELINE, urls, runs=args.runs, gap=1
                )
                kernels["plain voila, cold"] = readers_kernels(
                    browser, url, READY_BASELINE, urls, proc.pid, pool=0, settle=3
                )
                forbidden = (
                    (tmp / "voila-cold.log").read_text().count("403 POST /voila/api/shutdown")
                )
                kernels["plain voila, cold"]["shutdown_403"] = forbidden
            with plain_voila(notebook, data, tmp / "voila-pool.log", pool=1) as (url, proc):
                time.sleep(args.gap)
                results["plain voila, preheated (pool 1)"] = page_loads(
                    browser, url, READY_BASELINE, urls, runs=args.runs, gap=args.gap
                )
            with timeline_server(data, tmp / "serve.log", pool=2) as server:
                time.sleep(args.gap)
                results["timeline serve (pool 2)"] = page_loads(
                    browser, server.url, READY_OURS, urls, runs=args.runs, gap=args.gap
                )
                time.sleep(args.gap)
                kernels["timeline serve (pool 2)"] = readers_kernels(
                    browser, server.url, READY_OURS, urls, server.proc.pid, pool=2, settle=3
                )
                pool_rss = rss(server.kernels())
            with timeline_server(data, tmp / "serve-cold.log", pool=0) as server:
                results["timeline serve, cold (pool 0)"] = page_loads(
                    browser, server.url, READY_OURS, urls, runs=args.runs, gap=1
                )
            redraws = filter_redraws(browser, tmp, args.events)
            culling = None if args.skip_culling else measure_culling(browser, data, tmp, urls)
        finally:
            browser.close()

    print(
        "\n1. Page load: navigation -> markers drawn and every claim's source link in the page (median)"
    )
    for name, xs in results.items():
        print(f"   {name:34s} {fmt(xs)}")
    ours = median(results["timeline serve (pool 2)"])
    cold = median(results["plain voila, cold"])
    warm = median(results["plain voila, preheated (pool 1)"])
    print(
        f"   ratio to plain voila cold: {ours / cold:.2f}x (goal <= 0.2x); to preheated: {ours / warm:.2f}x (goal <= 0.5x)"
    )

    print("\n2. Kernels per reader (3 reader tabs open)")
    for name, k in kernels.items():
        rs = cast(list[float], k["rss"])
        print(
            f"   {name}: kernels added by 3 open readers {k['held']}, kernel RSS {median(rs):.0f} MiB each (n={len(rs)})"
        )
        released = cast(list[float], k["released_after_nav"])
        if released:
            print(
                f"     the first reader's kernel shut down {released[0]:.2f} s after its navigation (tab still open)"
            )
        print(
            f"     20 s after the tabs closed: {k['kernels_20s_after_close']} kernel(s) left",
            end="",
        )
        if "shutdown_403" in k:
            print(f"; shutdown requests refused with 403: {k['shutdown_403']}", end="")
        print()
    print(
        f"   timeline serve pool kernels: RSS {median(pool_rss):.0f} MiB each ({len(pool_rss)} kept for the next readers)"
    )

    print(f"\n3. Filter change redraw, {args.events} synthetic events (category filter, median)")
    print(f"   {fmt(redraws)}  (goal < 0.2 s)" if redraws else "   n/a")

    if culling is not None:
        print(
            "\n4. Culling backstop (our server with kernel release off, cull_idle_timeout=20, cull_interval=5)"
        )
        print(f"   a closed tab's kernel culled {culling:.1f} s after the tab closed")

    shutil.rmtree(tmp, ignore_errors=True)
    print(
        "\nReproduce: .venv/bin/python benchmarks/bench_dashboard.py "
        + " ".join(sys.argv[1:] if argv is None else argv)
    )
    figures = {
        "page_load_s": {name: {"median": median(xs), "all": xs} for name, xs in results.items()},
        "ratio_to_plain_cold": ours / cold,
        "ratio_to_plain_preheated": ours / warm,
        "kernels": kernels,
        "pool_kernel_rss_mib": median(pool_rss),
        "filter_redraw_s": {
            "events": args.events,
            "median": median(redraws) if redraws else None,
            "all": redraws,
        },
        "culled_after_s": culling,
    }
    write_json(args.json, "bench_dashboard", argv, figures)
    return 0


def naive_notebook() -> dict[str, object]:
    return {
        "cells": [
            {
                "cell_type": "code",
                "execution_count": None,
                "id": "naive",
                "metadata": {},
                "outputs": [],
                "source": BASELINE_NOTEBOOK,
            }
        ],
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def filter_redraws(browser, tmp: Path, events: int) -> list[float]:  # type: ignore[no-untyped-def]
    from bench_load import generate

    folder = tmp / f"synthetic-{events}"
    generate(folder, events=events, claims=events, sources=max(events // 5, 10))
    problems = load(folder).errors()
    if problems:
        print(f"   (synthetic data has {len(problems)} errors; first: {problems[0]})")
    with timeline_server(folder, tmp / "serve-synthetic.log", pool=1) as server:
        context = browser.new_context()
        page = context.new_page()
        page.goto(server.url)
        page.wait_for_selector(
            "html[data-timeline-ready] #tl-chart .scatterlayer .point", timeout=120_000
        )
        values = page.locator("select#tl-filter-category option").evaluate_all(
            "os => os.map(o => o.value)"
        )
        cats = [v for v in values if v]
        out = []
        for i in range(12):
            value = cats[i % len(cats)] if i % 2 == 0 else ""
            ms = page.evaluate(FILTER_REDRAW, value)
            if ms >= 0:
                out.append(ms / 1000)
        context.close()
    return out


def measure_culling(browser, data: Path, tmp: Path, urls: list[str]) -> float | None:  # type: ignore[no-untyped-def]
    port = free_port()
    log = tmp / "culling.log"
    argv = [
        sys.executable, "-m", "timeline.serve.app", str(ROOT / "notebooks" / "dashboard.ipynb"), f"--port={port}",
        "--preheat_kernel=True", "--pool_size=1", "--TimelineVoila.release_kernels=False",
        "--MappingKernelManager.cull_idle_timeout=20", "--MappingKernelManager.cull_interval=5",
    ]  # fmt: skip
    env = {**os.environ, "TIMELINE_DATA": str(data)}
    with log.open("w") as fh:
        proc = subprocess.Popen(argv, stdout=fh, stderr=subprocess.STDOUT, text=True, env=env)
    try:
        wait_for(
            lambda: len(kernel_processes(proc.pid)) >= 1,
            timeout=60,
            what="the culling server's pool",
        )
        time.sleep(5)
        before = {k.pid for k in kernel_processes(proc.pid)}
        watch = KernelWatch(proc.pid)
        context = browser.new_context()
        page = context.new_page()
        page.goto(f"http://127.0.0.1:{port}/")
        page.wait_for_function(READY_OURS, arg=urls, timeout=120_000, polling=20)
        t_close = time.perf_counter()
        close_tab(context, page)
        wait_for(lambda: before & set(watch.gone), timeout=90, what="the culler", every=0.2)
        watch.stop()
        return min(watch.gone[p] for p in before & set(watch.gone)) - t_close
    except AssertionError as e:
        print(f"   culling: {e}")
        return None
    finally:
        stop_process(proc)


if __name__ == "__main__":
    raise SystemExit(main())
