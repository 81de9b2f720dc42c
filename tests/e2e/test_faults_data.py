"""Faults while `timeline serve` runs, part two: data edits and a kernel dying mid-render.

Real servers in subprocesses, one per fixture, shared by the module (the readers' faults and
restarts: test_faults.py, whose helpers these are):

- ``kept``: the default page cache (pool of 1, the data watched every 0.25 s) on a copy of
  the test data, which the tests edit, break, and mend while it serves;
- ``slow``: no pool, a notebook that waits while a flag file exists, so that a test
  can kill the kernel in the middle of a render.

Nothing here measures time; every wait is a poll with a generous limit.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from serve_support import Server, get, wait_for
from test_faults import TEST_DATA, UNCAUGHT, edit, kill, slow_notebook, story_title_in

from timeline import load

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def kept(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Path]]:
    root = tmp_path_factory.mktemp("kept")
    folder = root / "data"
    shutil.copytree(TEST_DATA / "valid", folder)
    # The data watch looks every 0.25 s, not every 2 s: a test waiting for a change to show in
    # the log (no reader asking) would otherwise wait up to the default interval for it.
    s = Server.start(
        folder, log_path=root / "server.log", pool_size=1, settings={"watch_interval": 0.25}
    )
    yield s, folder
    try:
        s.check_log(*UNCAUGHT)
    finally:
        s.stop()


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
