"""Faults while `timeline serve` runs: many readers, killed kernels, data edits, restarts.

Real servers in subprocesses, shared by the module:

- ``churn``: the page cache off, so every reader costs a render (pool of 2,
  ``max_renders`` 1): the soak, killed pool kernels;
- a server of its own with the cache off and one render slot, held by a slow notebook
  (``slow_notebook``), to show the busy page; and two in turn on one port for a restart.

Data changes and a kernel dying mid-render: test_faults_data.py (a file of its own, so the two
xdist workers run the two files' servers at once).

Nothing here measures time; every wait is a poll with a generous limit.
"""

from __future__ import annotations

import json
import os
import re
import signal
import threading
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest
from playwright.sync_api import expect
from serve_support import ROOT, Server, get, wait_for

from timeline import load

pytestmark = pytest.mark.server

TEST_DATA = Path(__file__).resolve().parents[1] / "data"
READY = "html[data-timeline-ready] #tl-chart .scatterlayer .point"
SOAK_READERS = 10  # a leak of one file per render shows as 10 > FD_TOLERANCE
FD_TOLERANCE = 5
RENDERED = "Rendered the page for data version"
#: What no server log may hold (checked at the fixtures' teardown, after all their tests).
UNCAUGHT = ("Uncaught exception", "Task exception was never retrieved")


def story_title_in(body: str) -> bool:
    return 'id="timeline-app"' in body


def kill(pids: list[int]) -> None:
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


@pytest.fixture(scope="module")
def churn(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("churn")
    s = Server.start(
        TEST_DATA / "valid",
        log_path=root / "server.log",
        pool_size=2,
        settings={"page_cache": False, "max_renders": 1},
    )
    yield s
    try:
        s.check_log(*UNCAUGHT)
    finally:
        s.stop()


SLOW_NOTEBOOK = """import os, time
from pathlib import Path
if Path({flag!r}).exists():  # the pid written whole before the mark appears (a test reads it)
    Path({mark!r} + ".tmp").write_text(str(os.getpid()))
    os.replace({mark!r} + ".tmp", {mark!r})
    time.sleep(300)
from timeline.notebook import show
show()
"""


def slow_notebook(root: Path, flag: Path, mark: Path) -> Path:
    """The dashboard notebook, waiting (and writing its pid to ``mark``) while ``flag`` exists."""
    nb = json.loads((ROOT / "notebooks" / "dashboard.ipynb").read_text(encoding="utf-8"))
    nb["cells"][0]["source"] = SLOW_NOTEBOOK.format(flag=str(flag), mark=str(mark))
    notebook = root / "notebooks" / "dashboard.ipynb"
    notebook.parent.mkdir()
    notebook.write_text(json.dumps(nb), encoding="utf-8")
    return notebook


def edit(folder: Path, name: str, old: str, new: str) -> None:
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# --------------------------------------------------------------------------- many readers
def test_soak_kernels_and_open_files_return_to_their_start(churn: Server) -> None:
    """Readers one after another, each rendered by its own kernel: nothing accumulates."""
    for _ in range(2):  # warm up: the first renders open files the server keeps
        assert get(churn.url)[0] == 200
    churn.wait_pool()
    fds = churn.open_fds()
    renders = churn.log().count(RENDERED)
    for i in range(SOAK_READERS):
        status, body = get(churn.url)
        assert status == 200, f"reader {i}: {status}"
        assert story_title_in(body)
    churn.wait_pool(timeout=90)
    assert churn.log().count(RENDERED) - renders == SOAK_READERS, "one render per reader"
    wait_for(
        lambda: churn.open_fds() <= fds + FD_TOLERANCE,
        timeout=30,
        what=f"the server's open files to return to {fds} (+{FD_TOLERANCE}); have {churn.open_fds()}",
    )


def test_readers_past_the_render_limit_get_the_busy_page(tmp_path: Path) -> None:
    """One render slot, taken by a render that waits: the next readers are told at once to
    come back (503, Retry-After, a page that reloads itself); none hangs."""
    flag, mark = tmp_path / "flag", tmp_path / "mark"
    flag.touch()
    notebook = slow_notebook(tmp_path, flag, mark)
    s = Server.start(
        TEST_DATA / "valid",
        notebook=notebook,
        log_path=tmp_path / "server.log",
        pool_size=0,
        settings={"page_cache": False, "max_renders": 1},
    )
    try:
        first: list[tuple[int, str]] = []
        reader = threading.Thread(target=lambda: first.append(get(s.url)))
        reader.start()
        wait_for(mark.exists, timeout=90, what="the first render to start")
        for _ in range(3):
            status, body, headers = get_with_headers(s.url)
            assert status == 503
            assert headers["Retry-After"] == "5"
            assert headers["Cache-Control"] == "no-store"
            assert '<meta http-equiv="refresh" content="5">' in body
            assert "Busy: please try again in a few seconds" in body
        kill([int(mark.read_text())])
        reader.join(timeout=120)
        assert first and first[0][0] == 500, "the first reader hung or got no error page"
    finally:
        s.stop()


def get_with_headers(url: str) -> tuple[int, str, dict[str, str]]:
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=60) as r:
            return r.status, r.read().decode(), dict(r.headers)
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(), dict(e.headers)


@pytest.mark.browser
def test_killed_kernels_leave_the_open_page_working(page, churn: Server) -> None:  # type: ignore[no-untyped-def]
    churn.wait_pool()
    page.goto(churn.url)
    page.wait_for_selector(READY, timeout=60_000)
    kill([p.pid for p in churn.kernels()])
    wait_for(lambda: len(churn.kernels()) < churn.pool_size, timeout=30, what="the kill")
    total = len(load(TEST_DATA / "valid").events)
    category = next(
        v
        for v in page.locator("select#tl-filter-category option").evaluate_all(
            "os => os.map(o => o.value)"
        )
        if v
    )
    page.select_option("select#tl-filter-category", category)
    n = int((load(TEST_DATA / "valid").events.category == category).sum())
    expect(page.locator("#tl-count")).to_have_text(re.compile(f"^{n} of {total} events"))
    page.fill("input#tl-search", "zzqx no such words anywhere")
    page.locator("#tl-empty").wait_for(state="visible")
    assert page.console_errors == []
    # The next reader still gets the page, and the pool is whole again.
    status, body = get(churn.url)
    assert status == 200 and story_title_in(body)
    churn.wait_pool(timeout=90)


# --------------------------------------------------------------------------- restarts
@pytest.mark.browser
def test_a_reader_reloading_after_a_server_restart_gets_the_page(page, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = TEST_DATA / "valid"
    first = Server.start(
        folder, log_path=tmp_path / "first.log", pool_size=1
    )  # port 0: any free port
    port = first.port  # the restarted server takes the same one, so the page can reload
    try:
        page.goto(first.url)
        page.wait_for_selector(READY, timeout=60_000)

        # The pool's kernel rendered the kept page and was shut down; the pool refills itself.
        # Wait for a kernel other than the one shut down (that one may still be running).
        def refilled() -> list[int]:
            gone = set(re.findall(r"Kernel shutdown: ([0-9a-f-]+)", first.log()))
            if RENDERED not in first.log() or not gone:
                return []
            return [pid for pid, kid in first.kernel_ids().items() if kid not in gone]

        kernels = wait_for(refilled, timeout=90, what="the pool to start its next kernel")
    finally:
        left = first.stop()
    assert left == [], "the stopped server left kernels running"
    assert not [pid for pid in kernels if psutil.pid_exists(pid) and _alive(pid)]
    second = Server.start(folder, log_path=tmp_path / "second.log", pool_size=1, port=port)
    try:
        page.reload()
        page.wait_for_selector(READY, timeout=60_000)
        assert page.console_errors == []
    finally:
        assert second.stop() == []


def _alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False
