"""Benchmark: `timeline serve` under abuse (issue 12, part 3). Prints figures; asserts nothing.

One real `timeline serve` of a made-up 6,000-event story (tests/e2e/test_paged.py's) on
127.0.0.1, in a subprocess; every client below is a raw socket of this script, every
phase has a fixed count and a time cap, and the server is stopped at the end.

1. Search flood: ``--flood`` (default 200) worst-case searches kept in flight for
   ``--window`` seconds (default 20): each ``search?q=`` is 99 one-character words in a
   new random order (never the same text twice, so no kept answer helps). Meanwhile one
   reader loads ``/`` again and again (and another, from a process of its own). Figures: the
   median and p95 of ``/`` alone and during the flood; the searches' answers by status, whether every 503 carried
   ``Retry-After``, the median time to a 503 and to a 200; an ordinary search alone and
   during the flood; the CPU seconds of the server and of its list worker process.
2. Slow readers: ``--readers`` (default 400) connections each ask ``events?ids=`` with
   the most ids the server takes (``timeline.views.render.MAX_IDS``), with a 4 KB receive
   buffer, and read nothing. Figures: the server's memory (RSS) idle and at its peak
   while they wait (until its CPU is quiet, at most 60 s), as a ratio.
3. Bodies and half-open connections: 10 ``POST /search`` announcing a 95 MB body that
   send up to 20 MB of it and stall; ``--half-open`` (default 1,000) connections that
   send part of their headers and stall. Figures: the server's peak memory, and how
   many of these connections the server still holds open after 2, 5, 10, 20 and 30 s.
4. Manners: ``Host: evil.example`` on ``/``; the Content-Type of ``search``'s JSON;
   ``HEAD /``; the longest line the server logged for 60 KB URLs.
5. A reader's page under a flood: for each size in ``--page-floods`` (default 20,200),
   that many worst-case searches are kept in flight while a headless Chromium page
   searches for "zebra" (its search and its list items go to the busy list worker).
   Figures: the 503s the page was answered and rode out (timeline.js waits Retry-After
   and asks again, at most 4 times), whether its list ended complete and correct or
   offered "Try again", and the seconds from the search to either.

    .venv/bin/python benchmarks/bench_abuse.py               # about 3 minutes
    .venv/bin/python benchmarks/bench_abuse.py --window 10 --readers 200 --half-open 300
    .venv/bin/python benchmarks/bench_abuse.py --only-page --page-floods 20,50,200
    .venv/bin/python benchmarks/bench_abuse.py --json bench-results/abuse.json  # the figures as JSON too

With ``--json FILE`` each phase's figures are written as numbers (milliseconds, MiB, seconds,
counts by status; ``null`` for a time that never came), with the run's context (figures.py).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import select
import socket
import statistics
import string
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "benchmarks"), str(ROOT / "tests"), str(ROOT / "tests" / "e2e")]

from conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from figures import add_json_option, write_json  # noqa: E402
from serve_support import MIB, Server  # noqa: E402
from test_paged import READY, N, write_story  # noqa: E402

from timeline.views.render import MAX_IDS  # noqa: E402

CHARS = string.ascii_lowercase + string.digits


def worst_query(rng: random.Random) -> str:
    return "+".join(rng.choice(CHARS) for _ in range(99))


async def fetch(
    port: int,
    target: str,
    *,
    method: str = "GET",
    headers: dict[str, str] | None = None,
    timeout: float = 120,
) -> tuple[int, dict[str, str], bytes, float]:
    """One HTTP/1.1 request on a new connection: status, headers, body, seconds."""
    t0 = time.perf_counter()
    head = {"Host": f"127.0.0.1:{port}", "Connection": "close", **(headers or {})}
    request = (
        f"{method} {target} HTTP/1.1\r\n"
        + "".join(f"{k}: {v}\r\n" for k, v in head.items())
        + "\r\n"
    )

    async def go() -> tuple[int, dict[str, str], bytes, float]:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            writer.write(request.encode())
            await writer.drain()
            data = await reader.read(-1)
        finally:
            writer.close()
        top, _, body = data.partition(b"\r\n\r\n")
        lines = top.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1]) if lines and len(lines[0].split()) > 1 else 0
        hdrs = {k.strip().lower(): v.strip() for k, _, v in (ln.partition(":") for ln in lines[1:])}
        return status, hdrs, body, time.perf_counter() - t0

    try:
        return await asyncio.wait_for(go(), timeout)
    except (asyncio.TimeoutError, OSError):
        return -1, {}, b"", time.perf_counter() - t0


def median_p95(values: list[float]) -> tuple[float, float]:
    values = sorted(values)
    return statistics.median(values), values[min(len(values) - 1, int(0.95 * len(values)))]


def timing(values: list[float]) -> dict[str, Any]:
    """The median and p95 of ``values`` (seconds) in milliseconds, and their count; a time that
    never came (``inf``, a failed request) is ``None``."""
    if not values:
        return {"median_ms": None, "p95_ms": None, "n": 0}
    median, p95 = (v * 1000 if v != float("inf") else None for v in median_p95(values))
    return {"median_ms": median, "p95_ms": p95, "n": len(values)}


def ms(values: list[float]) -> str:
    if not values:
        return "-"
    median, p95 = median_p95(values)
    return f"median {median * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms (n={len(values)})"


def tally(statuses: list[Any]) -> dict[str, int]:
    """How many of ``statuses`` there are of each, in order (JSON keys are strings)."""
    counts: dict[Any, int] = {}
    for status in statuses:
        counts[status] = counts.get(status, 0) + 1
    return {str(k): v for k, v in sorted(counts.items())}


async def page_loop(port: int, stop: asyncio.Event, out: list[float]) -> None:
    while not stop.is_set():
        status, _, _, took = await fetch(port, "/", headers={"Accept-Encoding": "gzip"}, timeout=60)
        if status == 200:
            out.append(took)
        else:
            out.append(float("inf"))


#: `/` loaded again and again from a process of its own: the flood's client shares one event loop
#: with its 200 searches, so its own `/` times include waiting for that loop.
PROBE = r"""
import http.client, json, sys, time
port, until, out = int(sys.argv[1]), time.time() + float(sys.argv[2]), []
while time.time() < until:
    t0 = time.perf_counter()
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    c.request("GET", "/", headers={"Accept-Encoding": "gzip"})
    r = c.getresponse()
    r.read()
    c.close()
    out.append(time.perf_counter() - t0 if r.status == 200 else float("inf"))
    time.sleep(0.05)
print(json.dumps(out))
"""


def worker_cpu(server: Server) -> float:
    """CPU seconds of the server's processes other than its kernels (the list's worker)."""
    total = 0.0
    for child in server.process().children(recursive=True):
        if not any("ipykernel" in part for part in child.cmdline()):
            total += sum(child.cpu_times()[:2])
    return total


async def search_flood(server: Server, flood: int, window: float) -> dict[str, Any]:
    port, rng = server.port, random.Random(12)
    alone: list[float] = []
    for _ in range(20):
        alone.append((await fetch(port, "/", headers={"Accept-Encoding": "gzip"}))[3])
    ordinary_alone = [(await fetch(port, f"/search?q=event+{i}+summary"))[3] for i in range(5)]
    cpu0, worker0 = sum(server.process().cpu_times()[:2]), worker_cpu(server)
    stop, during, answers = asyncio.Event(), [], []
    probe = subprocess.Popen(
        [sys.executable, "-c", PROBE, str(port), str(window)], stdout=subprocess.PIPE, text=True
    )
    started = time.perf_counter()

    async def one_searcher() -> None:
        while time.perf_counter() - started < window:
            answers.append(await fetch(port, "/search?q=" + worst_query(rng), timeout=120))

    loop_task = asyncio.create_task(page_loop(port, stop, during))
    searchers = [asyncio.create_task(one_searcher()) for _ in range(flood)]
    await asyncio.sleep(window / 2)
    ordinary = [await fetch(port, f"/search?q=event+{i}+claim", timeout=120) for i in range(3)]
    ordinary_during = [a[3] for a in ordinary]
    await asyncio.gather(*searchers)
    stop.set()
    await loop_task
    took = time.perf_counter() - started
    cpu, worker = sum(server.process().cpu_times()[:2]) - cpu0, worker_cpu(server) - worker0
    own = json.loads(probe.communicate(timeout=120)[0])
    by_status: dict[int, int] = {}
    for status, _, _, _ in answers:
        by_status[status] = by_status.get(status, 0) + 1
    busy = [a for a in answers if a[0] == 503]
    print(
        f"\n1. Search flood: {flood} worst-case searches in flight for {window:.0f} s (99 one-character words)"
    )
    print(f"   / alone:          {ms(alone)}")
    print(
        f"   / during flood:   {ms(during)}  (failed or >60 s: {sum(1 for d in during if d == float('inf'))})"
    )
    print(f"   / during flood, from a process of its own: {ms(own)}")
    print(
        f"   ordinary search:  alone {ms(ordinary_alone)}; during flood {ms(ordinary_during)}, "
        f"statuses {[a[0] for a in ordinary]}"
    )
    print(
        f"   search answers:   {dict(sorted(by_status.items()))} in {took:.0f} s (-1: no answer within 120 s)"
    )
    print(
        f"   503s with Retry-After: {sum(1 for a in busy if 'retry-after' in a[1])} of {len(busy)}; "
        f"time to a 503: {ms([a[3] for a in busy])}; to a 200: {ms([a[3] for a in answers if a[0] == 200])}"
    )
    print(f"   server CPU during the flood: {cpu:.1f} s; its list worker process: {worker:.1f} s")
    with_retry_after = sum(1 for a in busy if "retry-after" in a[1])
    return {
        "searches_in_flight": flood,
        "window_s": window,
        "root_alone": timing(alone),
        "root_during_flood": timing(during),
        "root_during_flood_failed": sum(1 for d in during if d == float("inf")),
        "root_during_flood_own_process": timing(own),
        "ordinary_search_alone": timing(ordinary_alone),
        "ordinary_search_during_flood": timing(ordinary_during),
        "ordinary_search_during_flood_statuses": [a[0] for a in ordinary],
        "search_answers_by_status": tally([a[0] for a in answers]),
        "search_seconds": took,
        "503s": len(busy),
        "503s_with_retry_after": with_retry_after,
        "time_to_503": timing([a[3] for a in busy]),
        "time_to_200": timing([a[3] for a in answers if a[0] == 200]),
        "server_cpu_s": cpu,
        "list_worker_cpu_s": worker,
    }


def rss(server: Server) -> float:
    return server.process().memory_info().rss / MIB


def watch_memory(server: Server, *, cap: float, quiet: float = 2.0) -> float:
    """Peak RSS until the server's CPU has been quiet for ``quiet`` seconds (at most ``cap`` s)."""
    proc, peak, start = server.process(), rss(server), time.monotonic()
    last_busy, cpu = time.monotonic(), sum(proc.cpu_times()[:2])
    while time.monotonic() - start < cap:
        time.sleep(0.2)
        peak = max(peak, rss(server))
        now = sum(proc.cpu_times()[:2])
        if now - cpu > 0.02:
            last_busy = time.monotonic()
        cpu = now
        if time.monotonic() - last_busy > quiet and time.monotonic() - start > quiet:
            break
    return peak


def slow_readers(server: Server, readers: int) -> dict[str, Any]:
    ids = ",".join(f"e{i:05d}" for i in range(0, MAX_IDS * 5, 5))
    request = (f"GET /events?ids={ids} HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n\r\n").encode()
    idle = rss(server)
    socks = []
    for _ in range(readers):
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        s.connect(("127.0.0.1", server.port))
        s.sendall(request)
        socks.append(s)
    peak = watch_memory(server, cap=60)
    statuses: dict[str, int] = {}
    for s in socks:
        s.settimeout(5)
        try:
            top = s.recv(12).decode("latin-1")[9:12] or "closed"
        except OSError:
            top = "no answer"
        statuses[top] = statuses.get(top, 0) + 1
        s.close()
    after = watch_memory(server, cap=20)
    print(
        f"\n2. Slow readers: {readers} connections asking events?ids= with {MAX_IDS} ids, reading nothing"
    )
    print(
        f"   server RSS idle {idle:.0f} MiB, peak {peak:.0f} MiB ({peak / idle:.2f}x idle), "
        f"after they left {after:.0f} MiB"
    )
    print(f"   their answers by status: {dict(sorted(statuses.items()))}")
    return {"readers": readers, "ids_per_request": MAX_IDS, "rss_idle_mib": idle, "rss_peak_mib": peak,
            "rss_peak_over_idle": peak / idle, "rss_after_mib": after, "answers_by_status": dict(sorted(statuses.items()))}  # fmt: skip


def still_open(socks: list[socket.socket]) -> int:
    """How many of ``socks`` the server has not closed (no EOF or reset yet)."""
    n = 0
    for s in socks:
        if s.fileno() < 0:
            continue
        ready, _, _ = select.select([s], [], [], 0)
        if not ready:
            n += 1
            continue
        try:
            if s.recv(65536, socket.MSG_DONTWAIT) == b"":
                s.close()
            else:
                n += 1  # an answer, but not closed yet
        except BlockingIOError:
            n += 1
        except OSError:
            s.close()
    return n


def half_open(server: Server, half: int) -> dict[str, Any]:
    idle = rss(server)
    bodies = []
    chunk = b"x" * (1 << 20)
    for _ in range(10):
        s = socket.socket()
        s.connect(("127.0.0.1", server.port))
        s.sendall(
            f"POST /search HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\nContent-Length: 95000000\r\n"
            "Content-Type: application/octet-stream\r\n\r\n".encode()
        )
        s.settimeout(2)
        try:
            for _ in range(20):
                s.sendall(chunk)
        except OSError:
            pass  # cut by the server (or its buffers are full)
        bodies.append(s)
    heads = []
    for _ in range(half):
        s = socket.socket()
        s.connect(("127.0.0.1", server.port))
        s.sendall(f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\nX-Slow: ".encode())
        heads.append(s)
    start, peak, marks = time.monotonic(), rss(server), {}
    for mark in (2, 5, 10, 20, 30):
        while time.monotonic() - start < mark:
            time.sleep(0.2)
            peak = max(peak, rss(server))
        marks[mark] = (still_open(bodies), still_open(heads))
    for s in bodies + heads:
        s.close()
    print(f"\n3. Ten 95 MB bodies (up to 20 MB sent, then stalled) and {half} unfinished headers")
    print(f"   server RSS before {idle:.0f} MiB, peak {peak:.0f} MiB")
    for mark, (b, h) in marks.items():
        print(
            f"   after {mark:>2} s: bodies still open {b}/10, half-open headers still open {h}/{half}"
        )
    return {"bodies": len(bodies), "half_open_headers": half, "rss_before_mib": idle, "rss_peak_mib": peak,
            "still_open_after_s": {mark: {"bodies": b, "half_open_headers": h} for mark, (b, h) in marks.items()}}  # fmt: skip


async def manners(server: Server) -> dict[str, Any]:
    port = server.port
    figures: dict[str, Any] = {}
    status, _, body, _ = await fetch(port, "/", headers={"Host": "evil.example"})
    figures["evil_host"] = {"status": status, "served_the_page": b"timeline-app" in body}
    print("\n4. Manners")
    print(
        f"   Host: evil.example on /: {status} ({'the page' if b'timeline-app' in body else 'no page'})"
    )
    status, hdrs, _, _ = await fetch(port, "/search?q=zebra")
    figures["search"] = {"status": status, "content_type": hdrs.get("content-type")}
    print(f"   search?q=zebra: {status}, Content-Type {hdrs.get('content-type')}")
    status, hdrs, body, _ = await fetch(port, "/", method="HEAD")
    length = hdrs.get("content-length")
    figures["head"] = {
        "status": status,
        "body_bytes": len(body),
        "content_length": int(length) if length else None,
    }
    print(
        f"   HEAD /: {status}, {len(body)} body bytes, Content-Length {hdrs.get('content-length')}"
    )
    before = server.log().splitlines()
    await fetch(port, "/search?q=" + "a" * 60_000)
    await fetch(port, "/events?ids=" + ",".join(["e00001"] * 8_500))
    await asyncio.sleep(0.5)
    new = server.log().splitlines()[len(before) :]
    longest = max((len(x) for x in new), default=0)
    print(f"   two 60 KB URLs: {len(new)} log lines, longest {longest:,} characters")
    figures["long_urls"] = {"log_lines": len(new), "longest_log_line": longest}
    return figures


def flood_in_background(
    port: int, searchers: int, stop: threading.Event, statuses: list[int]
) -> threading.Thread:
    """``searchers`` worst-case searches kept in flight (never the same text twice) until ``stop``
    is set; their statuses go to ``statuses``."""

    async def one(rng: random.Random) -> None:
        while not stop.is_set():
            statuses.append((await fetch(port, "/search?q=" + worst_query(rng), timeout=120))[0])

    async def all_of_them() -> None:
        await asyncio.gather(*(one(random.Random(f"{searchers}-{k}")) for k in range(searchers)))

    thread = threading.Thread(target=asyncio.run, args=(all_of_them(),), name="flood")
    thread.start()
    return thread


def page_under_flood(server: Server, floods: list[int]) -> list[dict[str, Any]]:
    from playwright.sync_api import sync_playwright

    rows = []
    print(
        '\n5. A reader\'s page searching "zebra" while worst-case searches keep the list worker full'
    )
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for searchers in floods:
                page = browser.new_page()
                try:
                    line, row = search_under_flood(page, server, searchers)
                    print("   " + line)
                    rows.append(row)
                finally:
                    page.close()
        finally:
            browser.close()
    return rows


def search_under_flood(page, server: Server, searchers: int) -> tuple[str, dict[str, Any]]:  # type: ignore[no-untyped-def]
    """The page searches "zebra" while ``searchers`` worst-case searches are in flight: one line of
    figures, and the same figures as data."""
    zebra = list(range(0, N, 500))
    done_text = (
        f"{len(zebra)} of {N} events, {sum(1 for i in zebra if i % 3 == 0)} of {N // 3} claims"
    )
    answers: list[int] = []
    page.on(
        "response",
        lambda r: (
            answers.append(r.status)
            if "/search?q=zebra" in r.url or "events?ids=" in r.url
            else None
        ),
    )
    page.goto(server.url)
    page.wait_for_selector(READY, timeout=120_000)
    stop, flood = threading.Event(), []
    thread = flood_in_background(server.port, searchers, stop, flood)
    time.sleep(2)  # the flood fills the worker's queue
    t0 = time.perf_counter()
    page.fill("#tl-search", "zebra")
    outcome, said = "no outcome within 120 s", set()
    while time.perf_counter() - t0 < 120:
        said.add(page.locator("#tl-list-status").inner_text())
        if (
            page.locator("#tl-count").inner_text() == done_text
            and page.locator("#tl-list").get_attribute("aria-busy") is None
        ):
            shown = page.eval_on_selector_all("#tl-list > li", "els => els.map(e => e.id)")
            outcome = (
                "list complete and correct"
                if shown == [f"event-e{i:05d}" for i in zebra]
                else "list WRONG"
            )
            break
        if page.locator("#tl-try-again").is_visible():
            outcome = "gave up: 'Try again' shown"
            break
        page.wait_for_timeout(50)
    took = time.perf_counter() - t0
    stop.set()
    thread.join(150)
    said.discard("")
    line = (
        f"{searchers:>4} searches in flight ({flood.count(200)} answered, {flood.count(503)} 503s): "
        f"the page's {len(answers)} requests had {answers.count(503)} 503s; {outcome} after {took:.1f} s; "
        f"its status lines: {sorted(said)}"
    )
    return line, {"searches_in_flight": searchers, "flood_answers_by_status": tally(flood),
                  "page_requests": len(answers), "page_503s": answers.count(503),
                  "page_answers_by_status": tally(answers), "outcome": outcome, "seconds": took,
                  "status_lines": sorted(said)}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--flood", type=int, default=200)
    ap.add_argument("--window", type=float, default=20)
    ap.add_argument("--readers", type=int, default=400)
    ap.add_argument("--half-open", type=int, default=1000)
    ap.add_argument(
        "--page-floods",
        default="20,200",
        help="searches in flight while the page searches (comma-separated)",
    )
    ap.add_argument("--only-page", action="store_true", help="run phase 5 only")
    add_json_option(ap)
    args = ap.parse_args(argv)
    figures: dict[str, Any] = {"events": N}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "data"
        write_story(folder)
        server = Server.start(folder, log_path=Path(tmp) / "server.log", pool_size=0, timeout=180)
        try:
            asyncio.run(fetch(server.port, "/"))
            asyncio.run(fetch(server.port, "/search?q=warm"))  # loads the list's data
            figures["server_rss_mib"] = rss(server)
            print(
                f"timeline serve at {server.url}: 6,000 events, server RSS {figures['server_rss_mib']:.0f} MiB"
            )
            if not args.only_page:
                figures["1_search_flood"] = asyncio.run(
                    search_flood(server, args.flood, args.window)
                )
                figures["2_slow_readers"] = slow_readers(server, args.readers)
                figures["3_bodies_and_half_open"] = half_open(server, args.half_open)
                figures["4_manners"] = asyncio.run(manners(server))
            figures["5_page_under_flood"] = page_under_flood(
                server, [int(x) for x in args.page_floods.split(",")]
            )
        finally:
            server.stop()
    write_json(args.json, "bench_abuse", argv, figures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
