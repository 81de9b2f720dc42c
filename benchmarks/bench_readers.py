"""Load test and soak: many readers of `timeline serve` at once, and 200 one after another.

Bounded and loopback only: every server runs on 127.0.0.1 in a subprocess of this
script, every loop has a fixed count, and the script stops by itself (and stops every
server and kernel it started). Prints figures; asserts nothing.

1. Load: for each N in ``--readers`` (default 10, 25, 50), N readers arrive at random
   moments (seeded) over ``--window`` seconds (default 60):
   - ``--browsers`` of them (default 3) are real headless Chromium pages (Debian's,
     the tests' flags): time from navigation until the timeline's markers are drawn;
   - the rest are lightweight clients (httpx): the page and every asset it names,
     each fetched as a first-time visitor would (no browser cache); a 503 "busy" page is
     retried after its ``Retry-After`` like the page's own refresh does (at most 5 times).
     Our page holds no kernel and opens no websocket, so these clients open none;
     plain Voila's page does, so against plain Voila they also open the page's kernel
     websocket and hold it for ``--dwell`` seconds, as a reader's tab would.
   Per N: time to page complete / timeline drawn (median, p95), errors, busy answers,
   kernels alive (before, peak during, after), server and kernel memory (RSS) before,
   at peak and after. "After" is measured once the kernel count is back to the pool's
   size (our server) or ``--settle`` seconds after the last reader (plain Voila).
   Servers (``--modes``):
   - ``cache``: `timeline serve` as shipped (page cache on, pool 2, max renders 2);
   - ``nocache``: the same with the page cache off: a render (kernel) per reader;
   - ``plain``: plain ``voila --preheat_kernel=True --pool_size=2`` on the naive
     notebook of bench_dashboard.py (FigureWidget, ipywidgets Dropdown, HTML links).
2. Soak: ``--soak`` readers (default 200) one after another on `timeline serve`, with the
   page cache on and off: kernel count, server and kernel memory, and the server's open
   file descriptors at the start and the end.
3. Data change (``--data-change``, default 3 edits): with the page cache on and a pool of
   0 and of 2, how long after an edit of ``events.csv`` the first reader gets the new page
   (the watch notices within 2 s and renders once), and the kernels and memory after.

    .venv/bin/python benchmarks/bench_readers.py                       # about 25 minutes
    .venv/bin/python benchmarks/bench_readers.py --window 15 --readers 10 --modes cache --soak 20
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import random
import re
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "benchmarks")]

import httpx  # noqa: E402
import psutil  # noqa: E402
from bench_dashboard import naive_notebook, plain_voila  # noqa: E402
from conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from figures import add_json_option, write_json  # noqa: E402
from serve_support import MIB, Server, kernel_processes, wait_for  # noqa: E402

DATA = ROOT / "data"
READY_OURS = "html[data-timeline-ready] #tl-chart .scatterlayer .point"
READY_PLAIN = ".scatterlayer .point"
MAX_RETRIES = 5
#: What "memory returns to its start" allows (the soak prints PASS/FAIL against it).
SERVER_RSS_TOLERANCE_MIB = 15.0
KERNEL_RSS_TOLERANCE = 0.10  # of the kernels' RSS at the start


# --------------------------------------------------------------------------- measuring
@dataclass
class Snapshot:
    kernels: int
    server_mib: float
    kernels_mib: float
    fds: int = 0


def snapshot(pid: int) -> Snapshot:
    procs = kernel_processes(pid)
    kernels_mib = 0.0
    for k in procs:
        try:
            kernels_mib += k.memory_info().rss / MIB
        except psutil.NoSuchProcess:
            pass
    server = psutil.Process(pid)
    return Snapshot(len(procs), server.memory_info().rss / MIB, kernels_mib, server.num_fds())


class Sampler:
    """Every 0.25 s: kernels alive and memory; keeps the peaks."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak = snapshot(pid)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.25):
            try:
                s = snapshot(self.pid)
            except psutil.NoSuchProcess:
                return
            self.peak = Snapshot(
                max(self.peak.kernels, s.kernels),
                max(self.peak.server_mib, s.server_mib),
                max(self.peak.kernels_mib, s.kernels_mib),
                max(self.peak.fds, s.fds),
            )

    def stop(self) -> Snapshot:
        self._stop.set()
        self._thread.join()
        return self.peak


@dataclass
class Reading:
    kind: str  # "light" or "browser"
    seconds: float | None = None  # page complete / timeline drawn; None on error
    busy: int = 0  # 503 answers before the page
    error: str = ""


@dataclass
class Run:
    mode: str
    readers: int
    readings: list[Reading] = field(default_factory=list)
    before: Snapshot | None = None
    peak: Snapshot | None = None
    after: Snapshot | None = None
    after_wait: float = 0.0


def pct(xs: list[float], q: float) -> float:
    if not xs:
        return float("nan")
    xs = sorted(xs)
    return xs[min(len(xs) - 1, max(0, round(q * (len(xs) - 1))))]


# --------------------------------------------------------------------------- readers
ASSETS = re.compile(r'<(?:script|link)\b[^>]*?(?:src|href)="([^"#]+)"')


def light_reader(url: str, *, plain: bool, dwell: float) -> Reading:
    """The page and its assets, as a first visit; for plain Voila also the kernel websocket."""
    t0 = time.perf_counter()
    busy = 0
    try:
        with httpx.Client(timeout=120, follow_redirects=True) as client:
            while True:
                r = client.get(url)
                if r.status_code == 503 and busy < MAX_RETRIES:
                    busy += 1
                    time.sleep(float(r.headers.get("Retry-After", "5")))
                    continue
                break
            if r.status_code != 200:
                return Reading("light", None, busy, f"HTTP {r.status_code}")
            for asset in ASSETS.findall(r.text):
                if asset.startswith(("data:", "http:", "https:", "//")):
                    continue
                a = client.get(httpx.URL(url).join(asset))
                if a.status_code != 200:
                    return Reading("light", None, busy, f"asset {asset}: HTTP {a.status_code}")
            seconds = time.perf_counter() - t0
            if plain:
                found = re.search(r'"kernelId":\s*"([0-9a-f-]{36})"', r.text)
                if not found:
                    return Reading("light", seconds, busy, "no kernel id in the page")
                asyncio.run(hold_websocket(url, found.group(1), dwell))
            return Reading("light", seconds, busy)
    except Exception as e:  # a reader's failure is a figure, not a crash
        return Reading("light", None, busy, f"{type(e).__name__}: {e}")


async def hold_websocket(url: str, kernel_id: str, dwell: float) -> None:
    from tornado.websocket import websocket_connect

    ws_url = url.replace("http://", "ws://") + f"api/kernels/{kernel_id}/channels"
    conn = await websocket_connect(ws_url)
    await asyncio.sleep(dwell)
    conn.close()


def browser_readers(
    url: str, ready: str, starts: list[float], t0: float, out: list[Reading]
) -> None:
    """Real Chromium pages, one after another at their arrival times (own thread)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for start in starts:
                time.sleep(max(0.0, t0 + start - time.perf_counter()))
                context = browser.new_context()
                page = context.new_page()
                errors: list[str] = []
                page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
                t = time.perf_counter()
                try:
                    page.goto(url, wait_until="commit", timeout=120_000)
                    page.wait_for_selector(ready, timeout=180_000)
                    out.append(Reading("browser", time.perf_counter() - t, 0, "; ".join(errors)))
                except Exception as e:
                    out.append(Reading("browser", None, 0, f"{type(e).__name__}: {e}"[:200]))
                finally:
                    page.close(run_before_unload=True)
                    context.close()
        finally:
            browser.close()


def load_run(mode: str, url: str, pid: int, n: int, args: argparse.Namespace, *, pool: int) -> Run:
    plain = mode == "plain"
    rng = random.Random(args.seed + n)
    starts = sorted(rng.uniform(0, args.window) for _ in range(n))
    b = min(args.browsers, n)
    browser_at = {round(i * n / b) for i in range(b)} if b else set()
    run = Run(mode, n)
    time.sleep(args.idle)
    run.before = snapshot(pid)
    sampler = Sampler(pid)
    readings: list[Reading] = []
    t0 = time.perf_counter()
    threads = []
    browser_out: list[Reading] = []
    bt = threading.Thread(
        target=browser_readers,
        args=(
            url,
            READY_PLAIN if plain else READY_OURS,
            [starts[i] for i in sorted(browser_at)],
            t0,
            browser_out,
        ),
    )
    bt.start()
    for i, start in enumerate(starts):
        if i in browser_at:
            continue
        time.sleep(max(0.0, t0 + start - time.perf_counter()))

        def go() -> None:
            readings.append(light_reader(url, plain=plain, dwell=args.dwell))

        t = threading.Thread(target=go)
        t.start()
        threads.append(t)
    for t in threads:
        t.join(timeout=600)
    bt.join(timeout=900)
    readings.extend(browser_out)
    run.readings = readings
    left_at = time.perf_counter()
    if plain:
        time.sleep(args.settle)
    else:
        try:
            wait_for(
                lambda: len(kernel_processes(pid)) == pool,
                timeout=args.settle + 60,
                what="the pool",
                every=0.25,
            )
        except AssertionError:
            pass
        time.sleep(2)
    run.after_wait = time.perf_counter() - left_at
    run.peak = sampler.stop()
    run.after = snapshot(pid)
    return run


# --------------------------------------------------------------------------- servers
@contextmanager
def server_for(mode: str, tmp: Path) -> Iterator[tuple[str, int, int]]:
    """``(url, pid, pool)`` of a fresh server of that mode on the shipped data."""
    if mode == "plain":
        notebook = tmp / "naive.ipynb"
        notebook.write_text(json.dumps(naive_notebook()), encoding="utf-8")
        with plain_voila(notebook, DATA, tmp / "plain.log", pool=2) as (url, proc):
            httpx.get(url, timeout=120)  # the first render, as for ours
            wait_for(lambda: len(kernel_processes(proc.pid)) >= 2, timeout=90, what="the pool")
            yield url, proc.pid, 2
        return
    settings = {"page_cache": mode == "cache", "max_renders": 2}
    server = Server.start(DATA, log_path=tmp / f"{mode}.log", pool_size=2, settings=settings)
    try:
        httpx.get(server.url, timeout=120)
        server.wait_pool()
        yield server.url, server.proc.pid, 2
    finally:
        server.stop()


def soak(mode: str, tmp: Path, readers: int) -> dict[str, Any]:
    with server_for(mode, tmp) as (url, pid, pool):
        wait_for(lambda: len(kernel_processes(pid)) == pool, timeout=90, what="the pool")
        time.sleep(3)
        start = snapshot(pid)
        errors = busy = 0
        times = []
        for _ in range(readers):
            r = light_reader(url, plain=False, dwell=0)
            busy += r.busy
            if r.seconds is None:
                errors += 1
            else:
                times.append(r.seconds)
        wait_for(
            lambda: len(kernel_processes(pid)) == pool, timeout=120, what="the pool", every=0.25
        )
        time.sleep(3)
        end = snapshot(pid)
    return {"start": start, "end": end, "errors": errors, "busy": busy, "times": times}


def data_change(tmp: Path, pool: int, edits: int) -> dict[str, Any]:
    import shutil

    folder = tmp / f"edited-{pool}"
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(DATA, folder)
    server = Server.start(folder, log_path=tmp / f"edit-{pool}.log", pool_size=pool, settings={})
    times = []
    try:
        httpx.get(server.url, timeout=120)
        server.wait_pool()
        time.sleep(3)
        start = snapshot(server.proc.pid)
        events = folder / "events.csv"
        for i in range(edits):
            with events.open(encoding="utf-8", newline="") as fh:
                rows = list(csv.reader(fh))
            marker = f"EDIT-{pool}-{i}"
            rows[1][4] = f"{marker} {rows[1][4]}"
            t = time.perf_counter()
            with events.open("w", encoding="utf-8", newline="") as fh:
                csv.writer(fh, lineterminator="\n").writerows(rows)
            wait_for(
                lambda m=marker: m in httpx.get(server.url, timeout=120).text,
                timeout=180,
                what="the edited page",
                every=0.05,
            )
            times.append(time.perf_counter() - t)
            server.wait_pool(timeout=120)
            time.sleep(3)
        end = snapshot(server.proc.pid)
    finally:
        server.stop()
    return {"times": times, "start": start, "end": end}


# --------------------------------------------------------------------------- report
def show_run(run: Run) -> dict[str, Any]:
    light = [r.seconds for r in run.readings if r.kind == "light" and r.seconds is not None]
    drawn = [r.seconds for r in run.readings if r.kind == "browser" and r.seconds is not None]
    errors = [r.error for r in run.readings if r.seconds is None]
    noted = [r.error for r in run.readings if r.seconds is not None and r.error]
    busy = sum(r.busy for r in run.readings)
    b, p, a = run.before, run.peak, run.after
    assert b and p and a
    print(
        f"  N={run.readers:<3d} page complete (httpx, n={len(light)}): median {pct(light, 0.5):5.2f} s, p95 {pct(light, 0.95):5.2f} s"
    )
    print(
        f"         timeline drawn (Chromium, n={len(drawn)}): median {pct(drawn, 0.5):5.2f} s, p95 {pct(drawn, 0.95):5.2f} s"
    )
    print(
        f"         errors {len(errors)}, busy (503) answers {busy}"
        + (f": {errors[:3]}" if errors else "")
    )
    if noted:
        print(f"         page errors in Chromium: {noted[:2]}")
    print(
        f"         kernels: before {b.kernels}, peak {p.kernels}, after {a.kernels} ({run.after_wait:.0f} s after the last reader)"
    )
    print(
        f"         server RSS: before {b.server_mib:.0f} MiB, peak {p.server_mib:.0f}, after {a.server_mib:.0f}"
    )
    print(
        f"         kernels RSS (all): before {b.kernels_mib:.0f} MiB, peak {p.kernels_mib:.0f}, after {a.kernels_mib:.0f}"
    )
    return {
        "readers": run.readers, "page_complete_s": {"median": pct(light, 0.5), "p95": pct(light, 0.95), "n": len(light)},
        "timeline_drawn_s": {"median": pct(drawn, 0.5), "p95": pct(drawn, 0.95), "n": len(drawn)},
        "errors": errors, "busy": busy, "before": b, "peak": p, "after": a,
    }  # fmt: skip


def show_soak(mode: str, result: dict[str, Any], readers: int) -> None:
    s, e = result["start"], result["end"]
    times = result["times"]
    ok_kernels = s.kernels == e.kernels
    ok_server = e.server_mib - s.server_mib <= SERVER_RSS_TOLERANCE_MIB
    ok_kern = abs(e.kernels_mib - s.kernels_mib) <= KERNEL_RSS_TOLERANCE * max(s.kernels_mib, 1)
    verdict = "PASS" if ok_kernels and ok_server and ok_kern else "FAIL"
    print(
        f"  {MODES[mode]}: {readers} readers one after another, errors {result['errors']}, busy {result['busy']}, "
        f"page complete median {pct(times, 0.5):.3f} s, p95 {pct(times, 0.95):.3f} s"
    )
    print(
        f"     kernels {s.kernels} -> {e.kernels}; server RSS {s.server_mib:.1f} -> {e.server_mib:.1f} MiB "
        f"({e.server_mib - s.server_mib:+.1f}); kernels RSS {s.kernels_mib:.0f} -> {e.kernels_mib:.0f} MiB "
        f"({e.kernels_mib - s.kernels_mib:+.0f}); open fds {s.fds} -> {e.fds}   {verdict}"
    )


MODES = {
    "cache": "timeline serve (page cache, pool 2, max renders 2)",
    "nocache": "timeline serve, page cache off (pool 2, max renders 2)",
    "plain": "plain voila, naive notebook (preheated pool 2)",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--readers", default="10,25,50", help="comma-separated N (default 10,25,50)"
    )
    parser.add_argument(
        "--window", type=float, default=60.0, help="arrival window in seconds (default 60)"
    )
    parser.add_argument(
        "--browsers", type=int, default=3, help="Chromium readers per N (default 3)"
    )
    parser.add_argument(
        "--modes",
        default="cache,nocache,plain",
        help="servers to load (default cache,nocache,plain)",
    )
    parser.add_argument(
        "--dwell", type=float, default=10.0, help="seconds plain Voila's clients hold the websocket"
    )
    parser.add_argument(
        "--settle", type=float, default=30.0, help="seconds after the last reader before 'after'"
    )
    parser.add_argument(
        "--idle", type=float, default=3.0, help="seconds idle before 'before' is measured"
    )
    parser.add_argument("--soak", type=int, default=200, help="soak readers (0: no soak)")
    parser.add_argument("--data-change", type=int, default=3, help="edits per pool size (0: none)")
    parser.add_argument("--seed", type=int, default=7)
    add_json_option(parser)
    args = parser.parse_args(argv)
    figures: dict[str, Any] = {"load": {}, "soak": {}, "data_change": {}}
    modes = [m for m in args.modes.split(",") if m]
    unknown = set(modes) - set(MODES)
    if unknown:
        parser.error(f"unknown mode(s) {sorted(unknown)}; use {', '.join(MODES)}")
    counts = [int(x) for x in args.readers.split(",") if x]
    if not counts:
        modes = []
    print(
        f"{psutil.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.0f} GiB; data: {DATA}; "
        f"arrivals over {args.window:g} s, {args.browsers} Chromium readers per N, seed {args.seed}"
    )
    print(
        "Our page needs no kernel websocket (all interactivity is client-side), so our light clients "
        "fetch the page and its 3 assets only;\nplain Voila's light clients also open the page's "
        f"kernel websocket and hold it {args.dwell:g} s.\n"
    )
    with tempfile.TemporaryDirectory(prefix="bench-readers-") as tmp_name:
        tmp = Path(tmp_name)
        for mode in modes:
            print(MODES[mode])
            for n in counts:
                with server_for(mode, tmp) as (url, pid, pool):
                    run = load_run(mode, url, pid, n, args, pool=pool)
                figures["load"].setdefault(mode, []).append(show_run(run))
            print()
        if args.soak:
            print("Soak")
            for mode in ("cache", "nocache"):
                result = soak(mode, tmp, args.soak)
                show_soak(mode, result, args.soak)
                figures["soak"][mode] = result
            print(
                f"  tolerance: kernels equal; server RSS growth <= {SERVER_RSS_TOLERANCE_MIB:g} MiB; "
                f"kernels RSS within {KERNEL_RSS_TOLERANCE:.0%}"
            )
        if args.data_change:
            print(
                "\nData change (page cache on): an edit of events.csv until a reader gets the new page"
            )
            for pool in (0, 2):
                r = data_change(tmp, pool, args.data_change)
                figures["data_change"][f"pool {pool}"] = r
                s, e = r["start"], r["end"]
                print(
                    f"  pool {pool}: median {pct(r['times'], 0.5):.2f} s (all: {', '.join(f'{t:.2f}' for t in r['times'])}); "
                    f"kernels {s.kernels} -> {e.kernels}; server RSS {s.server_mib:.0f} -> {e.server_mib:.0f} MiB; "
                    f"kernels RSS {s.kernels_mib:.0f} -> {e.kernels_mib:.0f} MiB",
                    flush=True,
                )
    print(
        "\nReproduce: .venv/bin/python benchmarks/bench_readers.py "
        + " ".join(sys.argv[1:] if argv is None else argv)
    )
    write_json(args.json, "bench_readers", argv, figures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
