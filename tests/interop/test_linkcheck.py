"""check-links against a local threaded HTTP server on 127.0.0.1: no test reaches the internet."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

import timeline
from timeline.cli import cli
from timeline.interop.linkcheck import check_links, check_url

TEST_DATA = Path(__file__).resolve().parents[1] / "data"
# Routes that answer get far more time than they need, even on a loaded machine (0.5 s was not
# always enough there: /ok was reported as a timeout). Checks that include /slow, which never
# answers until the test ends, wait SLOW_TIMEOUT for it: the longest those tests take (four
# tests; at 5 s they were a fifth of this file's time). In those checks the other routes get
# SLOW_TIMEOUT too: 2 s per socket read, for a server thread in this process, is still
# four times the 0.5 s that was sometimes too short under load.
TIMEOUT = 30
SLOW_TIMEOUT = 2
#: /slow checked on its own: nothing else has to answer within it.
SLOW_ALONE_TIMEOUT = 0.5


class Handler(BaseHTTPRequestHandler):
    """Routes: /ok 200, /moved 301 -> /ok, /chain 302 -> /moved, /missing 404, /broken 500,
    /slow (no answer until released), /head-refused 405 on HEAD, /head-forbidden 403 on HEAD,
    /loop (redirects to itself), /to-ftp (redirects to ftp://)."""

    release: threading.Event
    seen: list[tuple[str, str]]

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _answer(self, status: int, location: str | None = None) -> None:
        body = b"" if self.command == "HEAD" else b"hello"
        try:
            self.send_response(status)
            if location:
                self.send_header("Location", location)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except ConnectionError:
            pass  # the client gave up (the slow route): nothing to answer

    def _route(self) -> None:
        self.seen.append((self.command, self.path))
        path = self.path
        if path == "/ok":
            self._answer(200)
        elif path == "/moved":
            self._answer(301, "/ok")
        elif path == "/chain":
            self._answer(302, "/moved")
        elif path == "/missing":
            self._answer(404)
        elif path == "/broken":
            self._answer(500)
        elif path == "/slow":
            self.release.wait(30)
            self._answer(200)
        elif path == "/head-refused":
            self._answer(405 if self.command == "HEAD" else 200)
        elif path == "/head-forbidden":
            self._answer(403 if self.command == "HEAD" else 200)
        elif path == "/loop":
            self._answer(302, "/loop")
        elif path == "/to-ftp":
            self._answer(301, "ftp://example.org/file")
        else:
            self._answer(404)

    do_HEAD = _route
    do_GET = _route


class Site:
    def __init__(self, base: str, closed: str, seen: list[tuple[str, str]]) -> None:
        self.base, self.closed, self.seen = base, closed, seen

    def url(self, path: str) -> str:
        return self.base + path


@pytest.fixture
def site(monkeypatch: pytest.MonkeyPatch) -> Iterator[Site]:
    for var in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(var, raising=False)
    release = threading.Event()
    seen: list[tuple[str, str]] = []
    handler = type("H", (Handler,), {"release": release, "seen": seen})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    # A port with nothing listening: bound (so no other program can take it) but not listening,
    # a connection to it is refused.
    unheard = socket.socket()
    unheard.bind(("127.0.0.1", 0))
    closed = f"http://127.0.0.1:{unheard.getsockname()[1]}/"
    try:
        yield Site(f"http://127.0.0.1:{server.server_port}", closed, seen)
    finally:
        unheard.close()
        release.set()
        server.shutdown()
        server.server_close()
        thread.join()


def test_ok_is_checked_with_head_only(site: Site) -> None:
    r = check_url(site.url("/ok"), timeout=TIMEOUT)
    assert (r.status, r.final_url, r.redirects, r.method, r.error, r.ok, r.label) == (
        200, site.url("/ok"), (), "HEAD", "", True, "200",
    )  # fmt: skip
    assert site.seen == [("HEAD", "/ok")]


def test_redirects_are_followed_and_reported(site: Site) -> None:
    r = check_url(site.url("/chain"), timeout=TIMEOUT)
    assert r.status == 200 and r.ok
    assert r.final_url == site.url("/ok")
    assert r.redirects == ((302, site.url("/moved")), (301, site.url("/ok")))
    assert r.label == "200 via 302,301"


@pytest.mark.parametrize("path", ["/head-refused", "/head-forbidden"])
def test_get_is_tried_where_head_is_refused(site: Site, path: str) -> None:
    r = check_url(site.url(path), timeout=TIMEOUT)
    assert (r.status, r.method, r.ok) == (200, "GET", True)
    assert site.seen == [("HEAD", path), ("GET", path)]


@pytest.mark.parametrize(
    ("path", "status", "label"), [("/missing", 404, "404"), ("/broken", 500, "500")]
)
def test_error_statuses_are_broken(site: Site, path: str, status: int, label: str) -> None:
    r = check_url(site.url(path), timeout=TIMEOUT)
    assert (r.status, r.ok, r.label, r.error) == (status, False, label, "")


def test_a_slow_server_times_out(site: Site) -> None:
    r = check_url(site.url("/slow"), timeout=SLOW_ALONE_TIMEOUT)
    assert (r.status, r.ok, r.label, r.error) == (
        None,
        False,
        "timeout",
        f"timeout: no answer within {SLOW_ALONE_TIMEOUT}s",
    )


def test_a_closed_port_is_no_connection(site: Site) -> None:
    r = check_url(site.closed, timeout=TIMEOUT)
    assert (r.status, r.ok, r.label) == (None, False, "no connection")
    assert r.error == "no connection: the server refused the connection"


def test_redirect_loops_and_non_http_redirects_stop(site: Site) -> None:
    loop = check_url(site.url("/loop"), timeout=TIMEOUT, max_redirects=3)
    assert (loop.status, loop.label, loop.error) == (
        None,
        "redirect loop",
        "redirect loop: more than 3 redirects",
    )
    assert len(loop.redirects) == 4
    ftp = check_url(site.url("/to-ftp"), timeout=TIMEOUT)
    assert (ftp.status, ftp.final_url, ftp.error) == (
        None,
        "ftp://example.org/file",
        "bad redirect: 301 to a non-http(s) address",
    )


SOURCES = """\
id,title,publisher,url,published,archived_url,accessed
src-a,A,P,{base}/ok,,,
src-b,B,P,,2020-01,,
src-moved,M,P,{base}/moved,,{base}/ok,
src-missing,X,P,{base}/missing,,,
src-broken,Y,P,{base}/broken,,,
src-slow,S,P,{base}/slow,,,
src-head,H,P,{base}/head-refused,,,
src-closed,C,P,{closed},,,
"""
EVENTS = """\
id,start,end,display_date,title,summary,category,actors,location,sources
e1,2020-01-03,,,One,,military,,,src-a;src-b;src-moved;src-missing;src-broken;src-slow;src-head;src-closed
"""


@pytest.fixture
def folder(tmp_path: Path, site: Site) -> Path:
    dest = tmp_path / "data"
    dest.mkdir()
    (dest / "story.json").write_text('{"title": "Links", "standfirst": ""}\n', encoding="utf-8")
    (dest / "events.csv").write_text(EVENTS, encoding="utf-8")
    (dest / "claims.csv").write_text(
        (TEST_DATA / "valid" / "claims.csv").read_text().splitlines()[0] + "\n"
    )
    (dest / "sources.csv").write_text(
        SOURCES.format(base=site.base, closed=site.closed), encoding="utf-8"
    )
    assert timeline.load(dest).errors() == []
    return dest


def expected_table(site: Site) -> str:
    rows = [
        ("id", "link", "url", "status", "final url / error"),
        ("src-a", "url", site.url("/ok"), "200", ""),
        ("src-moved", "url", site.url("/moved"), "200 via 301", site.url("/ok")),
        ("src-moved", "archived", site.url("/ok"), "200", ""),
        ("src-missing", "url", site.url("/missing"), "404", ""),
        ("src-broken", "url", site.url("/broken"), "500", ""),
        (
            "src-slow",
            "url",
            site.url("/slow"),
            "timeout",
            f"timeout: no answer within {SLOW_TIMEOUT}s",
        ),
        ("src-head", "url", site.url("/head-refused"), "200", ""),
        (
            "src-closed",
            "url",
            site.closed,
            "no connection",
            "no connection: the server refused the connection",
        ),
    ]
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    return "\n".join(
        ("  ".join(c.ljust(w) for c, w in zip(r[:4], widths)) + "  " + r[4]).rstrip() for r in rows
    )


def test_check_links_checks_each_url_once_in_sources_order(folder: Path, site: Site) -> None:
    links = check_links(timeline.load(folder), timeout=SLOW_TIMEOUT, workers=4)
    assert [(s.source_id, s.column, s.result.label) for s in links] == [
        ("src-a", "url", "200"),
        ("src-moved", "url", "200 via 301"),
        ("src-moved", "archived_url", "200"),
        ("src-missing", "url", "404"),
        ("src-broken", "url", "500"),
        ("src-slow", "url", "timeout"),
        ("src-head", "url", "200"),
        ("src-closed", "url", "no connection"),
    ]
    # /ok is both src-a's url and src-moved's archived_url: fetched once (plus once as a redirect target).
    assert site.seen.count(("HEAD", "/ok")) == 2


def test_cli_prints_the_table_writes_nothing_and_exits_1_on_broken_links(
    folder: Path, site: Site
) -> None:
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    result = CliRunner().invoke(cli, ["check-links", str(folder), "--timeout", str(SLOW_TIMEOUT)])
    assert result.exit_code == 1
    assert result.output == (
        expected_table(site) + "\n8 links checked: 4 ok (1 redirected), 4 broken\n"
    )
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_write_records_checked_and_status_columns(
    folder: Path, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1578268800")  # 2020-01-06
    result = CliRunner().invoke(
        cli, ["check-links", str(folder), "--write", "--timeout", str(SLOW_TIMEOUT)]
    )
    assert result.exit_code == 1
    assert result.output.endswith(
        "8 links checked: 4 ok (1 redirected), 4 broken; wrote sources.csv\n"
    )
    ds = timeline.load(folder)
    assert ds.validate() == []
    got = ds.raw("sources")[["id", "checked", "status"]].values.tolist()
    assert got == [
        ["src-a", "2020-01-06", "200"],
        ["src-b", "", ""],
        ["src-moved", "2020-01-06", "200 via 301; archived: 200"],
        ["src-missing", "2020-01-06", "404"],
        ["src-broken", "2020-01-06", "500"],
        ["src-slow", "2020-01-06", "timeout"],
        ["src-head", "2020-01-06", "200"],
        ["src-closed", "2020-01-06", "no connection"],
    ]
    header = (folder / "sources.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == "id,title,publisher,url,published,archived_url,accessed,checked,status"


def test_all_ok_exits_0(tmp_path: Path, site: Site) -> None:
    dest = tmp_path / "ok"
    dest.mkdir()
    (dest / "events.csv").write_text(
        EVENTS.replace(";src-b;src-moved;src-missing;src-broken;src-slow;src-head;src-closed", "")
    )
    (dest / "claims.csv").write_text(
        "id,event_id,claimant,claim,said_in,verdict,rationale,evidence,reviewed\n"
    )
    (dest / "sources.csv").write_text(
        SOURCES.format(base=site.base, closed=site.closed).split("src-b")[0]
    )
    result = CliRunner().invoke(cli, ["check-links", str(dest)])
    ok = site.url("/ok")
    assert (result.exit_code, result.output) == (
        0,
        f"id     link  url{' ' * (len(ok) - 3)}  status  final url / error\n"
        f"src-a  url   {ok}  200\n"
        "1 link checked: 1 ok (0 redirected), 0 broken\n",
    )
