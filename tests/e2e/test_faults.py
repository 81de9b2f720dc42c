"""Faults while `timeline serve` runs: many readers, killed kernels, data edits, restarts.

Real servers in subprocesses, one per fixture, shared by the module:

- ``churn``: the page cache off, so every reader costs a render (pool of 2,
  ``max_renders`` 1): the soak, killed pool kernels;
- ``kept``: the default page cache (pool of 1) on a copy of the test data, which the
  tests edit, break, and mend while it serves; its header timeout is short (the option
  reaches the real server's HTTPServer);
- ``slow``: no pool, a notebook that waits while a flag file exists, so that a test
  can kill the kernel in the middle of a render (and, in a server of its own with the
  cache off and one render slot, hold that slot to show the busy page).

Nothing here measures time; every wait is a poll with a generous limit.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest
from playwright.sync_api import expect
from serve_support import ROOT, Server, get, wait_for

from timeline import load
from timeline.serve.limits import IDLE_TIMEOUT

pytestmark = pytest.mark.server
#: Each server's tests may run on another xdist worker (tests/conftest.py): the module's
#: servers start in parallel, not one after another on one worker.
XDIST_SPLIT = ("churn", "kept", "slow")

TEST_DATA = Path(__file__).resolve().parents[1] / "data"
READY = "html[data-timeline-ready] #tl-chart .scatterlayer .point"
SOAK_READERS = 20
FD_TOLERANCE = 5
RENDERED = "Rendered the page for data version"
#: What no server log may hold (checked at the fixtures' teardown, after all their tests).
UNCAUGHT = ("Uncaught exception", "Task exception was never retrieved")
#: The ``kept`` server's header timeout (ServeOptions.header_timeout; the default is 10 s).
HASTY = 1.0


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


@pytest.fixture(scope="module")
def kept(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Path]]:
    root = tmp_path_factory.mktemp("kept")
    folder = root / "data"
    shutil.copytree(TEST_DATA / "valid", folder)
    s = Server.start(
        folder, log_path=root / "server.log", pool_size=1, settings={"header_timeout": HASTY}
    )
    yield s, folder
    try:
        s.check_log(*UNCAUGHT)
    finally:
        s.stop()


SLOW_NOTEBOOK = """import os, time
from pathlib import Path
if Path({flag!r}).exists():
    Path({mark!r}).write_text(str(os.getpid()))
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


@pytest.fixture(scope="module")
def slow(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Path, Path, Path]]:
    root = tmp_path_factory.mktemp("slow")
    folder = root / "data"
    shutil.copytree(TEST_DATA / "valid", folder)
    flag, mark = root / "flag", root / "mark"
    notebook = slow_notebook(root, flag, mark)
    s = Server.start(
        folder, notebook=notebook, log_path=root / "server.log", pool_size=0, settings={}
    )
    yield s, folder, flag, mark
    s.stop()


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


@pytest.mark.xdist_group("busy")  # a server of its own: a group of its own
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


# --------------------------------------------------------------------------- data changes
def test_new_readers_see_changed_data(kept: tuple[Server, Path]) -> None:
    server, folder = kept
    assert "Joint statement" in get(server.url)[1]
    edit(folder, "events.csv", "Joint statement", "Joint statement REVISED-ONE")
    wait_for(
        lambda: "REVISED-ONE" in get(server.url)[1],
        timeout=60,
        what="the changed title on the page",
    )
    server.wait_pool()


def test_killed_pool_kernels_then_a_data_change(kept: tuple[Server, Path]) -> None:
    """The pool's kernels die; the data changes; the next readers see the new data."""
    server, folder = kept
    server.wait_pool()
    kill([p.pid for p in server.kernels()])
    edit(folder, "events.csv", "US strike kills Soleimani", "US strike REVISED-TWO")
    wait_for(
        lambda: "REVISED-TWO" in get(server.url)[1],
        timeout=90,
        what="the changed title after the pool's kernels died",
    )
    server.wait_pool(timeout=90)


def test_a_broken_change_keeps_the_last_good_page_and_logs_why(kept: tuple[Server, Path]) -> None:
    server, folder = kept
    # A good edit of its own first (the other tests' edits may come before or after this one).
    edit(folder, "events.csv", "Joint statement", "Joint statement GOOD-BEFORE-BREAK")
    wait_for(lambda: "GOOD-BEFORE-BREAK" in get(server.url)[1], timeout=60, what="the edited page")
    good = get(server.url)[1]
    edit(folder, "claims.csv", ",disputed,", ",Flase,")
    expected = [str(p).replace(str(folder), folder.name) for p in load(folder).errors()]
    assert expected and any("Flase" in m for m in expected)
    wait_for(
        lambda: all(m in server.log() for m in expected),
        timeout=60,
        what=f"the validator's messages in the log: {expected}",
    )
    assert "still serving the last good version" in server.log()
    status, body = get(server.url)
    assert status == 200
    assert body == good
    assert "Flase" not in body
    # Mended: the new data shows.
    edit(folder, "claims.csv", ",Flase,", ",disputed,")
    edit(folder, "events.csv", "Joint statement", "Joint statement REVISED-THREE")
    wait_for(lambda: "REVISED-THREE" in get(server.url)[1], timeout=60, what="the mended data")


def test_the_real_server_cuts_a_client_that_never_sends_its_headers(
    kept: tuple[Server, Path],
) -> None:
    """ServeOptions.header_timeout reaches the real server (tests/serve/test_abuse.py checks the
    limits themselves in-process): a half-open connection is closed well before the default."""
    server, _ = kept
    with socket.create_connection(("127.0.0.1", server.port)) as s:
        s.sendall(b"GET / HTTP/1.1\r\nHost: local")
        s.settimeout(IDLE_TIMEOUT - 1)
        try:
            assert s.recv(1024) == b""
        except ConnectionResetError:
            pass
        except TimeoutError:
            raise AssertionError(
                f"the connection was still open after {IDLE_TIMEOUT - 1:.0f} s"
            ) from None


# --------------------------------------------------------------------------- a render that dies
def test_a_kernel_dying_mid_render_gives_the_error_page_not_a_hang(slow) -> None:  # type: ignore[no-untyped-def]
    server, folder, flag, mark = slow
    assert story_title_in(get(server.url)[1])
    flag.touch()
    edit(folder, "events.csv", "Joint statement", "Joint statement SLOW-EDIT")
    answer: list[tuple[int, str]] = []
    reader = threading.Thread(target=lambda: answer.append(get(server.url)))
    reader.start()
    wait_for(mark.exists, timeout=90, what="the render to start")
    kill([int(mark.read_text())])
    reader.join(timeout=120)
    assert answer, "the reader's request hung"
    status, body = answer[0]
    assert status == 500
    assert "This timeline cannot be shown right now" in body
    assert '<a href="./">Reload the page</a>' in body
    assert "Traceback" not in body and "SLOW-EDIT" not in body
    # The failed render was not kept: once the cause is gone, a reload gets the page.
    flag.unlink()
    mark.unlink()
    status, body = get(server.url)
    assert status == 200 and "SLOW-EDIT" in body
    wait_for(lambda: not server.kernels(), timeout=90, what="the render kernels to shut down")


# --------------------------------------------------------------------------- restarts
@pytest.mark.browser
@pytest.mark.xdist_group("restart")  # two servers of its own: a group of its own
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
