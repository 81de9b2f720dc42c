"""The server under abuse (issue 12): the server's own routes and limits, raw sockets, no timing asserted.

The routes, the limits (timeline.serve.limits), the access log and the list's worker process
are the real ones, run in this process (serve_support.InProcessServer: no Voila, no kernel);
the rendered page's hosts and HEAD are tests/e2e/test_serve.py's. Each test asserts what the
server answers (status, headers, body) or that it closed a connection; the time limits are
generous waits for that state, never measurements (benchmarks/bench_abuse.py measures).
"""

from __future__ import annotations

import asyncio
import gzip
import json
import shutil
import socket
import threading
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
from click.testing import CliRunner
from serve_support import InProcessServer, get, wait_for

from timeline import load
from timeline.cli import cli
from timeline.errors import TimelineError
from timeline.serve.limits import (
    BODY_TIMEOUT,
    IDLE_TIMEOUT,
    LOG_URL,
    MAX_BODY,
    allowed_hosts,
    check_host_name,
    host_allowed,
)
from timeline.serve.lists import Gate, Overloaded
from timeline.serve.proxy import setup_timeline
from timeline.views.listing import MAX_WORDS, Listing, search_words
from timeline.views.render import MAX_IDS

pytestmark = pytest.mark.server

TEST_DATA = Path(__file__).resolve().parents[1] / "data" / "valid"
#: Waits for a state (a connection closed): far beyond the limits, never a measurement.
CLOSE_WAIT = 6 * max(IDLE_TIMEOUT, BODY_TIMEOUT)
#: The ``hasty`` server's header and body timeouts (ServeOptions.header_timeout and
#: body_timeout): a slow client is cut after these, not the defaults' 10 s and 5 s.
HASTY = 0.5
#: The wait for the ``hasty`` server to cut a connection: well past HASTY, well short of the
#: defaults, so a server that kept the default timeouts fails the test.
HASTY_WAIT = min(IDLE_TIMEOUT, BODY_TIMEOUT) - 0.5


T = TypeVar("T")


def run_alone(make: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """``asyncio.run`` in a thread of its own: another test may have left an event loop set (or
    running) in this thread, where ``asyncio.run`` refuses to start."""
    box: dict[str, Any] = {}

    def main() -> None:
        try:
            box["value"] = asyncio.run(make())
        except BaseException as e:  # re-raised in the test's thread
            box["error"] = e

    thread = threading.Thread(target=main, name="test-asyncio")
    thread.start()
    thread.join(300)
    assert not thread.is_alive(), "the scenario did not finish in 300 s"
    if "error" in box:
        raise box["error"]
    return box["value"]  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("abuse") / "data"
    shutil.copytree(TEST_DATA, folder)
    return folder


@pytest.fixture(scope="module")
def server(story: Path) -> Iterator[InProcessServer]:
    """The server's routes and limits in this process: a real process adds nothing here (the
    page itself, its hosts and HEAD: tests/e2e/test_serve.py's real server)."""
    s = InProcessServer(story, allow_hosts=("timeline.example.org", "*.news.example"))
    yield s
    s.stop()


@pytest.fixture(scope="module")
def hasty(story: Path) -> Iterator[InProcessServer]:
    """The same server with header and body timeouts of HASTY seconds: the slow-client tests
    see the cut in a second instead of the defaults' 10 s (the limits are options, passed on to
    Tornado's HTTPServer as the real server does; tests/e2e/test_faults.py checks that one)."""
    s = InProcessServer(story, header_timeout=HASTY, body_timeout=HASTY)
    yield s
    s.stop()


def raw(server: InProcessServer, request: bytes, *, timeout: float = 30) -> bytes:
    """Send ``request`` on a new connection and read until the server closes it."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=timeout) as s:
        s.sendall(request)
        return read_to_close(s, timeout)


def read_to_close(s: socket.socket, timeout: float) -> bytes:
    """Everything the server sends until it closes the connection (a reset counts as closed);
    fails if it is still open after ``timeout`` seconds."""
    s.settimeout(timeout)
    data = b""
    while True:
        try:
            chunk = s.recv(65536)
        except ConnectionResetError:
            return data
        except TimeoutError:
            raise AssertionError(
                f"the server kept the connection open for {timeout:.0f} s"
            ) from None
        if not chunk:
            return data
        data += chunk


def http(
    server: InProcessServer,
    target: str,
    *,
    method: str = "GET",
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, str], bytes]:
    head = {"Host": f"127.0.0.1:{server.port}", "Connection": "close", **(headers or {})}
    request = (
        f"{method} {target} HTTP/1.1\r\n"
        + "".join(f"{k}: {v}\r\n" for k, v in head.items())
        + "\r\n"
    )
    data = raw(server, request.encode())
    top, _, body = data.partition(b"\r\n\r\n")
    lines = top.decode("latin-1").split("\r\n")
    return (
        int(lines[0].split()[1]),
        {k.strip().lower(): v.strip() for k, _, v in (x.partition(":") for x in lines[1:])},
        body,
    )


# ------------------------------------------------------------------- the library


def test_search_words_are_bounded() -> None:
    assert search_words("  Zebra zebra ZEB seen a ") == [
        "zebra",
        "seen",
    ]  # "zeb", "a" are inside others
    words = " ".join(f"w{i:02d}" for i in range(99))
    assert len(search_words(words)) == MAX_WORDS
    assert len(search_words(" ".join("abcdefghijklmnopqrstuvwxyz0123456789" * 3))) == MAX_WORDS
    assert search_words("a" * 10_000) == ["a" * 200]  # MAX_QUERY characters


def test_a_bounded_search_finds_what_its_words_find(story: Path) -> None:
    listing = Listing(load(story))
    assert listing.search("strike STRIKE str")["events"] == listing.search("strike")["events"] != []
    assert listing.search("zzzz-nothing strike")["events"] == []


def test_the_gate_sheds_work_past_its_queue() -> None:
    release, started = threading.Event(), threading.Event()

    def slow() -> str:
        started.set()
        assert release.wait(60)
        return "done"

    async def scenario() -> tuple[list[object], bool]:
        gate = Gate(workers=1, waiting=2)
        jobs = [asyncio.ensure_future(gate.run(slow)) for _ in range(3)]
        await asyncio.sleep(0)  # admitted: one running, two waiting
        try:
            await gate.run(slow)
            shed = False
        except Overloaded:
            shed = True
        release.set()
        return list(await asyncio.gather(*jobs)), shed

    done, shed = run_alone(scenario)
    assert shed and done == ["done"] * 3 and started.is_set()


def test_host_names() -> None:
    hosts = allowed_hosts(["Timeline.Example.org.", "*.news.example"])
    for ok in [
        "localhost",
        "localhost:8866",
        "127.0.0.1:1",
        "[::1]:8866",
        "timeline.example.org",
        "TIMELINE.example.org:443",
        "a.news.example",
        None,
    ]:
        assert host_allowed(ok, hosts), ok
    for bad in [
        "evil.example",
        "evil.example:8866",
        "localhost.evil.example",
        "news.example",
        "127.0.0.1.evil.example",
        "",
        "timeline.example.org.evil",
    ]:
        assert not host_allowed(bad, hosts), bad
    for wrong in ["https://timeline.example.org", "example.org/path", "a b", "example.org:443"]:
        with pytest.raises(TimelineError, match="--allow-host"):
            check_host_name(wrong)


def test_the_cli_refuses_a_wrong_allow_host(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["serve", str(TEST_DATA), "--allow-host", "http://x.org/"])
    assert result.exit_code != 0 and "without scheme, port or path" in result.output


def test_the_proxy_names_a_loopback_host() -> None:
    # jupyter-server-proxy would pass the Jupyter server's public Host on; we name our own.
    assert setup_timeline()["request_headers_override"] == {"Host": "127.0.0.1:{port}"}


# ------------------------------------------------------------------- the server


def test_a_foreign_host_gets_403_everywhere(server: InProcessServer) -> None:
    for target in [
        "/",
        "/timeline/static/timeline.css",
        "/search?q=strike",
        "/events?offset=0",
        "/sources",
    ]:
        status, headers, body = http(server, target, headers={"Host": "evil.example"})
        assert status == 403, target
        assert b"timeline-app" not in body and b"Traceback" not in body
        assert headers["content-type"].startswith("text/plain")
    assert "--allow-host" in server.log() and "'evil.example'" in server.log()


@pytest.mark.parametrize(
    "host", ["localhost", "127.0.0.1", "[::1]", "timeline.example.org", "www.news.example"]
)
def test_loopback_and_allowed_hosts_get_the_page(server: InProcessServer, host: str) -> None:
    status, _, body = http(server, "/sources", headers={"Host": f"{host}:{server.port}"})
    assert status == 200 and b'id="timeline-app"' in body


def test_json_answers_say_json_and_pages_say_html(server: InProcessServer) -> None:
    for target in ["/search?q=strike", "/events?ids=strike"]:
        status, headers, body = http(server, target)
        assert status == 200 and headers["content-type"] == "application/json", target
        assert json.loads(body) and int(headers["content-length"]) == len(body)
    for target in ["/events?offset=0", "/sources", "/claims/right-to-act.html"]:
        status, headers, _ = http(server, target)
        assert status == 200 and headers["content-type"] == "text/html; charset=utf-8", target


def test_list_answers_are_the_same_gzipped_or_not(server: InProcessServer, story: Path) -> None:
    expected = Listing(load(story)).items_answer(["statement", "strike"])
    assert json.loads(expected)["items"] == Listing(load(story)).fragment(["statement", "strike"])
    status, headers, body = http(server, "/events?ids=statement,strike")
    assert status == 200 and "content-encoding" not in headers and body == expected
    assert int(headers["content-length"]) == len(body)
    status, headers, body = http(
        server, "/events?ids=statement,strike", headers={"Accept-Encoding": "gzip"}
    )
    assert (
        status == 200
        and headers["content-encoding"] == "gzip"
        and gzip.decompress(body) == expected
    )
    assert headers["vary"] == "Accept-Encoding"
    too_many = ",".join(["strike"] * (MAX_IDS + 1))
    assert http(server, "/events?ids=" + too_many)[0] == 400


def test_head_answers_like_get_without_a_body(server: InProcessServer) -> None:
    for target in ["/timeline/static/timeline.css", "/timeline/static/plotly.min.js"]:
        got, head = http(server, target), http(server, target, method="HEAD")
        assert head[0] == got[0] == 200 and head[2] == b""
        assert head[1]["content-length"] == got[1]["content-length"] == str(len(got[2]))
        assert (
            head[1]["content-type"] == got[1]["content-type"] and head[1]["etag"] == got[1]["etag"]
        )


def test_a_flood_of_worst_case_searches_gets_answers_or_quick_503s(server: InProcessServer) -> None:
    words = "abcdefghijklmnopqrstuvwxyz0123456789"

    async def one(k: int) -> tuple[int, bool]:
        q = "+".join(words[(k * 7 + i * 5) % len(words)] for i in range(99))
        reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
        writer.write(
            f"GET /search?q={q} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".encode()
        )
        data = await asyncio.wait_for(reader.read(-1), 120)
        writer.close()
        top = data.partition(b"\r\n\r\n")[0].decode("latin-1")
        return int(top.split()[1]), "\r\nretry-after: " in top.lower()

    async def flood() -> list[tuple[int, bool]]:
        return list(await asyncio.gather(*(one(k) for k in range(200))))

    answers = run_alone(flood)
    assert {status for status, _ in answers} <= {200, 503}
    assert all(retry for status, retry in answers if status == 503)
    assert get(server.url + "sources")[0] == 200 and get(server.url + "search?q=strike")[0] == 200


def test_a_huge_body_is_refused_and_the_connection_closed(server: InProcessServer) -> None:
    # Headers only: the server answers before any body (sending one after its close would reset).
    answer = raw(
        server,
        b"POST /search HTTP/1.1\r\nHost: localhost\r\nContent-Length: 95000000\r\n\r\n",
        timeout=CLOSE_WAIT,
    )
    assert answer.startswith(b"HTTP/1.1 400")
    just_over = b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: %d\r\n\r\n" % (MAX_BODY + 1)
    assert raw(server, just_over, timeout=CLOSE_WAIT).startswith(b"HTTP/1.1 400")
    # A small body reaches the handler: 405, no route takes a POST.
    small = (
        b"POST / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}"
    )
    assert raw(server, small).startswith(b"HTTP/1.1 405")


def test_a_body_never_finished_is_cut(hasty: InProcessServer) -> None:
    with socket.create_connection(("127.0.0.1", hasty.port)) as s:
        s.sendall(b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1000\r\n\r\nonly this")
        read_to_close(s, HASTY_WAIT)


@pytest.mark.parametrize(
    "sent", [b"", b"GET / HTTP/1.1\r\nHost: local", b"GET / HTTP/1.1\r\nHost: localhost\r\n"]
)
def test_a_connection_with_unfinished_headers_is_cut(hasty: InProcessServer, sent: bytes) -> None:
    with socket.create_connection(("127.0.0.1", hasty.port)) as s:
        s.sendall(sent)
        assert read_to_close(s, HASTY_WAIT) == b""


def test_an_idle_kept_alive_connection_is_cut(hasty: InProcessServer) -> None:
    with socket.create_connection(("127.0.0.1", hasty.port)) as s:
        s.sendall(b"GET /timeline/static/timeline.css HTTP/1.1\r\nHost: localhost\r\n\r\n")
        assert read_to_close(s, HASTY_WAIT).startswith(b"HTTP/1.1 200")


def test_the_log_cuts_long_urls(server: InProcessServer) -> None:
    before = len(server.log().splitlines())
    assert get(server.url + "search?q=" + "a" * 60_000)[0] == 200
    assert get(server.url + "events?ids=" + ",".join(["strike"] * (MAX_IDS + 1)))[0] == 400
    assert get(server.url + "nothing-here/" + "b" * 60_000)[0] == 404

    def logged() -> list[str]:
        return server.log().splitlines()[before:]

    # The 400 twice (its error and its access line), the 404 once; a 200 is logged at info level.
    wait_for(
        lambda: sum("characters)" in line for line in logged()) >= 3,
        timeout=30,
        what="the log lines",
    )
    assert max(len(line) for line in logged()) < LOG_URL + 300
    assert any("400 GET /events?ids=strike,strike" in line for line in logged())
