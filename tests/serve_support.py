"""A real `timeline serve` in a subprocess, for tests and benchmarks.

``Server.start(...)`` runs the CLI with ``--port 0`` (or, with ``settings``, the library's
``timeline.serve.launcher.serve`` with those :class:`~timeline.serve.options.ServeOptions` fields, for
options the CLI does not take): the server binds a free port itself and prints the URL it
bound (no port picked here and used later, when another program may have taken it). It
waits until that URL is printed and its static files answer, and ``stop()`` always ends it and any kernel it left. Kernels are counted from
the server's process tree (readers get no kernel API).
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
TIMELINE = [sys.executable, "-m", "timeline"]
AUTHORING_MARKER = "AUTHORING-DRAFT-MUST-NOT-LEAK"
MIB = 1024 * 1024
#: ``timeline serve`` through the library, for ServeOptions the CLI has no option for.
LAUNCH = """
import json, sys
from pathlib import Path
from timeline.serve.launcher import serve
from timeline.serve.options import ServeOptions
folder, options = sys.argv[1], json.loads(sys.argv[2])
if options.get("notebook"):
    options["notebook"] = Path(options["notebook"])
serve(folder, options=ServeOptions(**options),
      on_ready=lambda url: print(f"Serving {folder} at {url}", flush=True))
"""


def free_port() -> int:
    """A port free now, for benchmarks' plain Voila (it cannot report a port it bound itself).
    Tests start servers on port 0 instead: a port picked here may be taken before it is used."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(
    predicate: Callable[[], object], *, timeout: float, what: str, every: float = 0.1
) -> object:
    """Poll ``predicate`` until it returns something truthy; fail with ``what`` after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(every)


#: Seconds a request may take: a page request may wait for a whole render (kernel start and
#: notebook), which the server allows ServeOptions.render_timeout (120 s) on a loaded machine.
REQUEST_TIMEOUT = 150


def get(
    url: str, *, method: str = "GET", data: bytes | None = None, timeout: float = REQUEST_TIMEOUT
) -> tuple[int, str]:
    """Status and body of one request (no redirects followed, no exception for 4xx/5xx)."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            return None

    opener = urllib.request.build_opener(NoRedirect)
    req = urllib.request.Request(url, method=method, data=data)
    try:
        with opener.open(req, timeout=timeout) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace")


def make_tree(dest: Path, data: Path) -> Path:
    """A repository-like tree: notebooks/dashboard.ipynb, a draft notebooks/authoring.ipynb, data/."""
    (dest / "notebooks").mkdir(parents=True)
    shutil.copy(ROOT / "notebooks" / "dashboard.ipynb", dest / "notebooks" / "dashboard.ipynb")
    draft = {
        "cells": [
            {
                "cell_type": "code",
                "execution_count": None,
                "id": "draft",
                "metadata": {},
                "outputs": [],
                "source": [f"print('{AUTHORING_MARKER}')"],
            }
        ],
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    (dest / "notebooks" / "authoring.ipynb").write_text(json.dumps(draft), encoding="utf-8")
    (dest / "notebooks" / "notes.png").write_bytes(b"\x89PNG\r\n\x1a\n" + AUTHORING_MARKER.encode())
    shutil.copytree(data, dest / "data")
    return dest


def kernel_processes(pid: int) -> list[psutil.Process]:
    """The ipykernel processes under the server ``pid``."""
    try:
        children = psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []
    found = []
    for child in children:
        try:
            if any("ipykernel" in part for part in child.cmdline()):
                found.append(child)
        except (psutil.NoSuchProcess, psutil.ZombieProcess, psutil.AccessDenied):
            continue
    return found


@dataclass
class Server:
    """One `timeline serve` subprocess."""

    proc: subprocess.Popen[str]
    port: int  # 0 until the server has printed the port it bound
    pool_size: int
    log_path: Path
    prefix: str = "/"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{self.prefix}"

    @classmethod
    def start(
        cls,
        folder: Path,
        *,
        log_path: Path,
        notebook: Path | None = None,
        pool_size: int = 2,
        extra: list[str] | None = None,
        settings: dict[str, object] | None = None,
        port: int | None = None,
        env: dict[str, str] | None = None,
        prefix: str = "/",
        timeout: float = 90,
    ) -> Server:
        """Start a server on ``port`` (default 0: a free port the server binds and reports)."""
        port = port or 0
        if settings is not None:
            options = {**settings, "port": port, "pool_size": pool_size}
            if notebook is not None:
                options["notebook"] = str(notebook)
            argv = [sys.executable, "-c", LAUNCH, str(folder), json.dumps(options)]
        else:
            argv = [*TIMELINE, "serve", str(folder), "--port", str(port)]
            argv += ["--pool-size", str(pool_size)]
            if notebook is not None:
                argv += ["--notebook", str(notebook)]
        argv += extra or []
        env = {**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})}
        env.pop("TIMELINE_DATA", None)
        log = log_path.open("w", encoding="utf-8")
        proc = subprocess.Popen(
            argv, stdout=log, stderr=subprocess.STDOUT, text=True, env=env, cwd=ROOT
        )
        log.close()
        server = cls(proc=proc, port=port, pool_size=pool_size, log_path=log_path, prefix=prefix)
        try:
            server.wait_ready(timeout=timeout)
        except BaseException:
            server.stop()
            raise
        return server

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def wait_ready(self, *, timeout: float) -> None:
        bound = re.compile(
            r"^Serving .* at http://127\.0\.0\.1:(\d+)" + re.escape(self.prefix) + "$", re.M
        )

        def ready() -> bool:
            if self.proc.poll() is not None:
                raise AssertionError(f"server exited with {self.proc.returncode}:\n{self.log()}")
            said = bound.search(self.log())
            if not said:
                return False
            assert self.port in (0, int(said.group(1))), (
                f"asked for port {self.port}: {said.group(0)}"
            )
            self.port = int(said.group(1))
            try:
                return get(self.url + "timeline/static/timeline.css")[0] == 200
            except OSError:
                return False

        wait_for(ready, timeout=timeout, what=f"the server at {self.url}")
        self.wait_pool(timeout=timeout)

    def kernels(self) -> list[psutil.Process]:
        return kernel_processes(self.proc.pid)

    def kernel_ids(self) -> dict[int, str]:
        """The running kernels' Jupyter ids (from their connection files), by pid."""
        out = {}
        for k in self.kernels():
            try:
                found = re.search(r"kernel-([0-9a-f-]+)\.json", " ".join(k.cmdline()))
            except (psutil.NoSuchProcess, psutil.ZombieProcess, psutil.AccessDenied):
                continue
            if found:
                out[k.pid] = found.group(1)
        return out

    def check_log(self, *markers: str) -> None:
        """Fail if the log holds any of ``markers``. Fixtures call it at teardown, once every
        test that used the server has run (a test doing it could run first, and pass trivially)."""
        log = self.log()
        found = [m for m in markers if m in log]
        assert not found, f"{self.log_path} holds {found}:\n{log[-4000:]}"

    def wait_pool(self, *, timeout: float = 90) -> None:
        """Until exactly ``pool_size`` kernels run."""
        wait_for(
            lambda: len(self.kernels()) == self.pool_size,
            timeout=timeout,
            what=f"{self.pool_size} kernels (have {len(self.kernels())})",
        )

    def process(self) -> psutil.Process:
        return psutil.Process(self.proc.pid)

    def open_fds(self) -> int:
        """File descriptors the server process holds open (sockets, pipes, files)."""
        return self.process().num_fds()

    def rss_mib(self) -> tuple[float, float]:
        """Resident memory of the server process and of all its kernels together, in MiB."""
        kernels = 0.0
        for k in self.kernels():
            try:
                kernels += k.memory_info().rss / MIB
            except psutil.NoSuchProcess:
                pass
        return self.process().memory_info().rss / MIB, kernels

    def stop(self) -> list[int]:
        """End the server (SIGTERM, then SIGKILL) and any kernel process it leaves behind.

        Returns the pids of the kernels still alive once the server had exited by
        itself (a graceful stop leaves none); they are killed all the same."""
        kernels = kernel_processes(self.proc.pid)
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        left = []
        for k in kernels:
            try:
                if k.is_running() and k.status() != psutil.STATUS_ZOMBIE:
                    left.append(k.pid)
                k.kill()
            except psutil.NoSuchProcess:
                pass
        return left


class InProcessServer:
    """The server's own routes, limits and access log on 127.0.0.1 (a free port) in a thread of
    this process, for the tests a real `timeline serve` process adds nothing to: the list, the
    claim pages, the assets, hosts and connection limits. The list's worker process is real; no
    Voila and no kernel: ``/`` takes no GET here (it needs a rendered page: a real
    :class:`Server`), though a POST to it gets its 405 like the real server's."""

    def __init__(
        self,
        folder: Path,
        *,
        allow_hosts: tuple[str, ...] = (),
        header_timeout: float | None = None,
        body_timeout: float | None = None,
    ) -> None:
        """``header_timeout``/``body_timeout``: ServeOptions' fields (None: their defaults);
        a short one lets a test see a slow client cut without waiting the real limit."""
        import asyncio
        import logging
        import threading

        self.folder = folder
        self.lines: list[str] = []
        self._started = threading.Event()
        self._loop = asyncio.new_event_loop()
        self._error: BaseException | None = None

        class Keep(logging.Handler):
            def emit(handler, record: logging.LogRecord) -> None:  # noqa: N805
                self.lines.append(record.getMessage())

        self._keep = Keep()
        for name in ("tornado.access", "tornado.general", "tornado.application", "TimelineVoila"):
            logging.getLogger(name).addHandler(self._keep)
        self._timeouts = {
            name: value
            for name, value in (("header_timeout", header_timeout), ("body_timeout", body_timeout))
            if value is not None
        }
        self._thread = threading.Thread(
            target=self._run, args=(allow_hosts,), name="in-process-server", daemon=True
        )
        self._thread.start()
        assert self._started.wait(60), "the in-process server did not start"
        if self._error is not None:
            raise self._error

    def _run(self, allow_hosts: tuple[str, ...]) -> None:
        import asyncio

        import tornado.web
        from tornado.httpserver import HTTPServer
        from tornado.netutil import bind_sockets

        from timeline.core.watch import DataWatch
        from timeline.serve.handlers import Assets, Notices, routes
        from timeline.serve.kernels import Kernels
        from timeline.serve.limits import allowed_hosts, http_limits, log_request
        from timeline.serve.lists import ListWorker
        from timeline.serve.pages import Pages

        asyncio.set_event_loop(self._loop)
        try:
            watch = DataWatch(self.folder)
            assets = Assets.load()
            self.lists = ListWorker(self.folder, watch.key)
            pages = Pages(Kernels(None, ""), watch)  # never asked: no GET / here
            handlers = routes(
                "/",
                pages=pages,
                lists=self.lists,
                assets=assets,
                notices=Notices.make(assets.url("timeline.css"), retry_after=5),
            )
            app = tornado.web.Application(
                handlers, timeline_hosts=allowed_hosts(allow_hosts), log_function=log_request
            )
            sockets = bind_sockets(0, "127.0.0.1")
            self.server = HTTPServer(app, **http_limits(**self._timeouts))
            self.server.add_sockets(sockets)
            self.port = int(sockets[0].getsockname()[1])
        except BaseException as e:  # raised in the test's thread
            self._error = e
            self._started.set()
            return
        self._started.set()
        self._loop.run_forever()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def log(self) -> str:
        return "\n".join(self.lines)

    def stop(self) -> None:
        import logging

        def close() -> None:
            self.server.stop()
            self.lists.close()
            self._loop.stop()

        self._loop.call_soon_threadsafe(close)
        self._thread.join(30)
        for name in ("tornado.access", "tornado.general", "tornado.application", "TimelineVoila"):
            logging.getLogger(name).removeHandler(self._keep)


class QuietFiles(http.server.SimpleHTTPRequestHandler):
    """Python's file handler without its access log."""

    def log_message(self, format: str, *args: object) -> None:
        pass


class QuietHTTPServer(http.server.ThreadingHTTPServer):
    """Python's threaded HTTP server that says nothing when a client goes away mid-answer (a page
    closed while its requests were in flight): socketserver prints that traceback on stderr,
    which a CLI test running meanwhile in the same process (CliRunner swaps sys.stderr) read as
    its own output."""

    def handle_error(self, request: object, client_address: object) -> None:
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


@contextlib.contextmanager
def static_server(folder: Path) -> Iterator[str]:
    """A quiet HTTP server of ``folder``'s files on a free port: yields its URL (ending in ``/``)."""
    handler = functools.partial(QuietFiles, directory=str(folder))
    httpd = QuietHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()
