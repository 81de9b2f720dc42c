"""Benchmark: the dashboard at 10,000 and 100,000 events, beside plain Voila on the same data.

Prints figures; asserts nothing. Loopback only, bounded, stops by itself. For each size
in ``--events`` (default 10000,100000) a synthetic story is generated with
``benchmarks/bench_load.py``'s ``generate`` (claims: half the events; sources: a tenth)
and served twice, in turn:

- `timeline serve` (page cache on, pool 1): the server renders the page once for the
  data (the log's own figure); then, in headless Chromium, from navigation until the
  first chart is drawn (its first marker; a long story's page draws its groups before its
  data comes) and until the page is ready (``[data-timeline-ready]``: the data came, the
  filters work), medians of ``--loads``; then a category filter change until Plotly has
  redrawn (``plotly_afterplot``), median of ``--changes``;
  then a filter change, and a two-word search, until the list shows its events (a
  long story's list comes from the server a page at a time);
- plain ``voila`` on bench_dashboard.py's naive notebook (a ``go.FigureWidget``, an
  ipywidgets Dropdown, an HTML list of claim links), preheated pool of 1, once the pool's
  kernel has gone quiet: navigation until the chart's first marker, and a Dropdown change
  until the number of drawn markers changes.

Also: page size (raw and gzipped), server and kernel memory. A step that does not finish
within ``--timeout`` seconds is reported as such.

    .venv/bin/python benchmarks/bench_scale.py                  # about 15 minutes
    .venv/bin/python benchmarks/bench_scale.py --events 10000 --changes 3
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "benchmarks")]

import httpx  # noqa: E402
import psutil  # noqa: E402
from bench_dashboard import FILTER_REDRAW, naive_notebook, plain_voila  # noqa: E402
from conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from figures import add_json_option, write_json  # noqa: E402
from serve_support import MIB, Server, kernel_processes, wait_for  # noqa: E402

READY_OURS = "html[data-timeline-ready] #tl-chart .scatterlayer .point"
DRAWN_OURS = "#tl-chart .scatterlayer .point"
READY_PLAIN = ".scatterlayer .point"
RENDERED = re.compile(
    r"Rendered the page for data version \w+ in ([\d.]+) s \((\w[\w-]*), (\d+) characters\)"
)
# Our page: a filter change or a search until the list shows its events (a long story's list
# asks the server for them; the search box waits 120 ms for more typing, counted here).
LIST_CHANGE = """async ([kind, value]) => {
  const list = document.getElementById('tl-list');
  const changed = new Promise((resolve) => {
    const o = new MutationObserver(() => { o.disconnect(); resolve(); });
    o.observe(list, {childList: true});
  });
  const t0 = performance.now();
  if (kind === 'search') {
    const box = document.getElementById('tl-search');
    box.value = value;
    box.dispatchEvent(new Event('input'));
  } else {
    const sel = document.getElementById('tl-filter-category');
    sel.value = value;
    sel.dispatchEvent(new Event('change'));
  }
  const ok = await Promise.race([changed.then(() => true), new Promise((r) => setTimeout(() => r(false), 30000))]);
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  return ok ? performance.now() - t0 : -1;
}"""
PLAIN_FILTER = """async ([sel, value, before, limit]) => {
  const select = document.querySelector(sel);
  const t0 = performance.now();
  select.value = value;
  select.dispatchEvent(new Event('change', {bubbles: true}));
  while (performance.now() - t0 < limit) {
    await new Promise((r) => requestAnimationFrame(r));
    if (document.querySelectorAll('.scatterlayer .point').length !== before) return performance.now() - t0;
  }
  return -1;
}"""


def generate_data(folder: Path, events: int) -> None:
    try:
        from bench_load import generate
    except ImportError as e:  # bench_load.py is another benchmark's; it ships in the repository
        raise SystemExit(f"benchmarks/bench_load.py's generate() is needed: {e}") from e
    generate(folder, events=events, claims=max(events // 2, 1), sources=max(events // 10, 10))


def rss(procs: list[psutil.Process]) -> float:
    total = 0.0
    for p in procs:
        try:
            total += p.memory_info().rss / MIB
        except psutil.NoSuchProcess:
            pass
    return total


def fmt(x: float | None, unit: str = "s") -> str:
    return "timed out" if x is None else f"{x:.2f} {unit}"


def ours(browser: Any, folder: Path, tmp: Path, args: argparse.Namespace) -> dict[str, Any]:
    out: dict[str, Any] = {}
    t0 = time.perf_counter()
    settings = {"render_timeout": args.timeout, "render_wait": 5, "max_renders": 1}
    server = Server.start(
        folder, log_path=tmp / "serve.log", pool_size=1, settings=settings, timeout=args.timeout
    )
    try:
        deadline = time.monotonic() + args.timeout
        status = 0
        body = ""
        while time.monotonic() < deadline:
            r = httpx.get(server.url, timeout=args.timeout, headers={"Accept-Encoding": "identity"})
            status, body = r.status_code, r.text
            if status != 503:
                break
            time.sleep(1)
        out["server_ready"] = time.perf_counter() - t0
        found = RENDERED.findall(server.log())
        out["render"] = float(found[-1][0]) if found else None
        out["kind"] = found[-1][1] if found else f"HTTP {status}"
        out["bytes"] = len(body.encode())
        out["gzip"] = len(gzip.compress(body.encode(), 6))
        server_mib, kernels_mib = server.rss_mib()
        out["server_mib"], out["kernels_mib"] = server_mib, kernels_mib
        if status != 200:
            out["error"] = f"HTTP {status}"
            return out
        drawn: list[float] = []
        ready: list[float] = []

        def load(page: Any) -> None:
            t = time.perf_counter()
            page.goto(server.url, wait_until="commit", timeout=args.timeout * 1000)
            page.wait_for_selector(DRAWN_OURS, timeout=args.timeout * 1000)
            drawn.append(time.perf_counter() - t)
            page.wait_for_selector(READY_OURS, timeout=args.timeout * 1000)
            ready.append(time.perf_counter() - t)

        for _ in range(args.loads - 1):  # the median of several loads, each in a fresh context
            context = browser.new_context()
            load(context.new_page())
            context.close()
        context = browser.new_context()
        page = context.new_page()
        try:
            load(page)
            out["drawn"] = statistics.median(drawn)
            out["drawn_runs"] = drawn
            out["ready"] = statistics.median(ready)
            out["ready_runs"] = ready
            values = page.locator("select#tl-filter-category option").evaluate_all(
                "os => os.map(o => o.value)"
            )
            cats = [v for v in values if v]
            times = []
            for i in range(args.changes * 2):
                ms = page.evaluate(FILTER_REDRAW, cats[i % len(cats)] if i % 2 == 0 else "")
                if ms >= 0:
                    times.append(ms / 1000)
            out["filter"] = statistics.median(times) if times else None
            for kind, word in (("filter_list", "category"), ("search_list", "search")):
                times = []
                for i in range(args.changes * 2):
                    value = (
                        (cats[i % len(cats)] if word == "category" else "official said")
                        if i % 2 == 0
                        else ""
                    )
                    ms = page.evaluate(LIST_CHANGE, [word, value])
                    if ms >= 0:
                        times.append(ms / 1000)
                out[kind] = statistics.median(times) if times else None
        except Exception as e:
            out["error"] = f"{type(e).__name__}: {e}"[:200]
        finally:
            context.close()
    finally:
        server.stop()
    return out


def wait_quiet(pid: int, timeout: float) -> None:
    """Until the server's kernels have used almost no CPU for two seconds (the pool has rendered)."""
    quiet = 0

    def still() -> bool:
        nonlocal quiet
        kernels = kernel_processes(pid)
        if not kernels:
            quiet = 0
            return False
        busy = sum(k.cpu_percent(interval=0.5) for k in kernels)
        quiet = quiet + 1 if busy < 5 else 0
        return quiet >= 4

    wait_for(still, timeout=timeout, what="plain voila's pool to render", every=0)


def plain(browser: Any, folder: Path, tmp: Path, args: argparse.Namespace) -> dict[str, Any]:
    out: dict[str, Any] = {}
    notebook = tmp / "naive.ipynb"
    notebook.write_text(json.dumps(naive_notebook()), encoding="utf-8")
    with plain_voila(notebook, folder, tmp / "plain.log", pool=1) as (url, proc):
        try:
            wait_quiet(proc.pid, args.timeout)
        except AssertionError as e:
            out["error"] = str(e)
            return out
        context = browser.new_context()
        page = context.new_page()
        try:
            t = time.perf_counter()
            page.goto(url, wait_until="commit", timeout=args.timeout * 1000)
            page.wait_for_selector(READY_PLAIN, timeout=args.timeout * 1000)
            out["drawn"] = time.perf_counter() - t
            sel = ".widget-dropdown select"
            values = page.locator(f"{sel} option").evaluate_all(
                "os => os.map(o => o.value || o.textContent)"
            )
            cats = [v for v in values if v and v != "(all)"]
            times = []
            for i in range(args.changes * 2):
                before = page.locator(".scatterlayer .point").count()
                value = cats[i % len(cats)] if i % 2 == 0 else "(all)"
                ms = page.evaluate(PLAIN_FILTER, [sel, value, before, args.timeout * 1000])
                if ms >= 0:
                    times.append(ms / 1000)
            out["filter"] = statistics.median(times) if times else None
            out["server_mib"] = rss([psutil.Process(proc.pid)])
            out["kernels_mib"] = rss(kernel_processes(proc.pid))
        except Exception as e:
            out["error"] = f"{type(e).__name__}: {e}"[:200]
        finally:
            context.close()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--events", default="10000,100000", help="comma-separated sizes (default 10000,100000)"
    )
    parser.add_argument(
        "--changes", type=int, default=3, help="filter changes (each way) per server (default 3)"
    )
    parser.add_argument(
        "--timeout", type=int, default=900, help="seconds any one step may take (default 900)"
    )
    parser.add_argument(
        "--loads",
        type=int,
        default=3,
        help="page loads timed to the first chart (median; default 3)",
    )
    parser.add_argument("--skip-plain", action="store_true", help="only our server")
    add_json_option(parser)
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    sizes = [int(x) for x in args.events.split(",") if x]
    results: dict[int, dict[str, dict[str, Any]]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp_name, sync_playwright() as p:
        tmp = Path(tmp_name)
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for n in sizes:
                folder = tmp / f"data-{n}"
                generate_data(folder, n)
                size = sum(f.stat().st_size for f in folder.iterdir()) / 1e6
                print(
                    f"{n:,} events, {n // 2:,} claims, {max(n // 10, 10):,} sources ({size:.1f} MB of CSV)",
                    flush=True,
                )
                results[n] = {"ours": ours(browser, folder, tmp, args)}
                show("timeline serve", results[n]["ours"])
                if not args.skip_plain:
                    results[n]["plain"] = plain(browser, folder, tmp, args)
                    show("plain voila (naive, pool 1)", results[n]["plain"])
        finally:
            browser.close()
    print(
        "\nReproduce: .venv/bin/python benchmarks/bench_scale.py "
        + " ".join(sys.argv[1:] if argv is None else argv)
    )
    write_json(args.json, "bench_scale", argv, results)
    return 0


def show(name: str, r: dict[str, Any]) -> None:
    parts = []
    if "render" in r:
        parts.append(
            f"server render once {fmt(r['render'])} ({r['kind']}), page {r['bytes'] / 1e6:.1f} MB "
            f"({r['gzip'] / 1e6:.1f} MB gzipped)"
        )
    runs = ", ".join(f"{x:.2f}" for x in r.get("drawn_runs", []))
    parts.append(f"first chart drawn {fmt(r.get('drawn'))} (median of {runs} s)")
    if "ready" in r:
        runs = ", ".join(f"{x:.2f}" for x in r.get("ready_runs", []))
        parts.append(f"ready {fmt(r.get('ready'))} (median of {runs} s)")
    parts.append(f"filter change redrawn {fmt(r.get('filter'))} (median)")
    if "filter_list" in r:
        parts.append(
            f"list after a filter change {fmt(r.get('filter_list'))}, after a search "
            f"{fmt(r.get('search_list'))} (medians)"
        )
    if "server_mib" in r:
        parts.append(f"RSS server {r['server_mib']:.0f} MiB, kernels {r['kernels_mib']:.0f} MiB")
    print(f"  {name}: " + "; ".join(parts), flush=True)
    if r.get("error"):
        print(f"    error: {r['error']}", flush=True)


if __name__ == "__main__":
    raise SystemExit(main())
