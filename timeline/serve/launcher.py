"""Serve the reader dashboard: ``notebooks/dashboard.ipynb`` with Voila on 127.0.0.1.

``serve(folder)`` validates nothing itself (broken data shows the validator's
messages on the page). It puts the data folder in ``TIMELINE_DATA`` and runs
:class:`timeline.serve.app.TimelineVoila` on the one notebook: our template, no
source cells, no tracebacks, no template switching, no files or notebook tree,
a preheated kernel pool, each render's kernel shut down once the page is built,
and idle-kernel culling as a backstop. It blocks until interrupted.

A page is the same for every reader until the data changes, so the server keeps
the rendered page (:class:`DataWatch` keys it by the content of the data folder's
``.csv`` and ``.json`` files and the notebook) and most readers need no kernel at
all. A data change is noticed within ``watch_interval`` seconds (or by the next
reader): the preheated pool is discarded and one new render starts. A render that
shows the validator's errors keeps the last good page in service and logs them.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.story import DATA_ENV, story_title
from ..errors import TimelineError
from ..views.page import DASHBOARD_NOTEBOOK
from .limits import allowed_hosts

HOST = "127.0.0.1"


@dataclass(frozen=True)
class ServeOptions:
    """How the dashboard is served; `timeline serve` exposes each field as an option."""

    port: int = 8866
    #: Kernels kept with the page rendered in advance. With the page cache a render happens
    #: only at start and when the data changes, when pooled pages are stale anyway: 0 then
    #: renders a changed page sooner (one kernel start, not pool + 1) and saves ~106 MiB per kernel.
    pool_size: int = 0
    #: Seconds of inactivity before a non-pool kernel is shut down (0: never).
    cull_idle_timeout: int = 60
    #: Seconds between two culling passes.
    cull_interval: int = 15
    #: Seconds a render may take before the page shows its error.
    render_timeout: int = 120
    #: Keep the rendered page and serve it to every reader until the data changes.
    page_cache: bool = True
    #: Renders (kernels running the notebook) at once beyond the pool's ready pages; a reader
    #: past it gets a short "busy, try again in a few seconds" page (HTTP 503).
    max_renders: int = 2
    #: Seconds a reader waits for a render in progress before getting that busy page.
    render_wait: int = 20
    #: Seconds between two checks of the data folder for changes (0: only when a reader comes).
    watch_interval: float = 2.0
    #: The notebook to serve (default: the checkout's ``notebooks/dashboard.ipynb``).
    notebook: Path | None = None
    #: The path the page is served under, e.g. ``/services/timeline/`` behind JupyterHub
    #: (default: ``$JUPYTERHUB_SERVICE_PREFIX`` when JupyterHub starts the server, else ``/``).
    base_url: str | None = None
    #: Host names readers may reach the server by besides the loopback names (a request with
    #: another ``Host`` gets 403): the public name, behind a proxy that passes it on.
    allow_hosts: tuple[str, ...] = ()

    def prefix(self) -> str:
        path = self.base_url or os.environ.get("JUPYTERHUB_SERVICE_PREFIX") or "/"
        return "/" + path.strip("/") + "/" if path.strip("/") else "/"

    def url(self, port: int | None = None) -> str:
        """The page's address (on ``port``: the one bound, when ``self.port`` is 0)."""
        return f"http://{HOST}:{self.port if port is None else port}{self.prefix()}"


def voila_config(folder: Path, options: ServeOptions) -> Any:
    """The traitlets config for :class:`TimelineVoila` (every setting in one place)."""
    from traitlets.config import Config

    c = Config()
    c.Voila.ip = HOST
    c.Voila.port = options.port
    c.Voila.open_browser = False
    c.Voila.port_retries = 0
    c.Voila.base_url = options.prefix()
    c.VoilaConfiguration.preheat_kernel = options.pool_size > 0
    c.VoilaConfiguration.default_pool_size = max(options.pool_size, 0)
    c.VoilaConfiguration.resources = {"timeline": {"title": story_title(folder)}}
    c.VoilaExecutor.timeout = options.render_timeout
    c.TimelineVoila.data_folder = str(folder)
    c.TimelineVoila.page_cache = options.page_cache
    c.TimelineVoila.max_renders = options.max_renders
    c.TimelineVoila.render_wait = options.render_wait
    c.TimelineVoila.render_timeout = options.render_timeout
    c.TimelineVoila.watch_interval = options.watch_interval
    c.TimelineVoila.allow_hosts = list(options.allow_hosts)
    c.MappingKernelManager.cull_idle_timeout = options.cull_idle_timeout
    c.MappingKernelManager.cull_interval = options.cull_interval
    # A reader never connects to a kernel; a connected one is a debugging client: keep it.
    c.MappingKernelManager.cull_connected = False
    # Kernels talk to the server over Unix sockets in Voila's private connection folder: no TCP
    # port on the machine for them, and no "Kernel is running over TCP without encryption".
    c.KernelManager.transport = "ipc"
    return c


class _DropTrustNotice(logging.Filter):
    """Drops Jupyter's "Notebook dashboard.ipynb is not trusted": trust only decides whether a
    notebook's saved outputs may run scripts when opened; the server runs the notebook afresh
    and shows none of its saved outputs (it is committed without any)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.msg != "Notebook %s is not trusted"


def _check_port(port: int) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((HOST, port))
        except OSError as e:
            raise TimelineError(
                f"cannot listen on {HOST}:{port} ({e.strerror}); choose another port with --port"
            ) from e


def serve(
    folder: str | os.PathLike[str],
    *,
    options: ServeOptions | None = None,
    port: int | None = None,
    on_ready: Callable[[str], None] | None = None,
) -> None:
    """Serve the dashboard for ``folder`` until interrupted; ``on_ready(url)`` once it listens.

    Port 0 lets the system pick a free port; ``on_ready`` gets the address actually bound
    (a port chosen beforehand could be taken by another program before the server binds it)."""
    options = options or ServeOptions()
    if port is not None:
        options = ServeOptions(**{**options.__dict__, "port": port})
    notebook = Path(options.notebook or DASHBOARD_NOTEBOOK).resolve()
    if not notebook.is_file():
        raise TimelineError(
            f"the dashboard notebook {notebook} is missing; `timeline serve` runs from a checkout "
            "of the repository (pip install -e .) or takes --notebook PATH"
        )
    if options.pool_size < 0:
        raise TimelineError(f"pool size must be 0 or more, not {options.pool_size}")
    if options.max_renders < 1:
        raise TimelineError(f"max renders must be 1 or more, not {options.max_renders}")
    allowed_hosts(options.allow_hosts)  # each name checked before the server starts
    if options.port:
        _check_port(options.port)
    data = Path(folder).resolve()
    os.environ[DATA_ENV] = str(data)

    from tornado.ioloop import IOLoop

    from .app import TimelineVoila

    app = TimelineVoila(config=voila_config(data, options))
    app.log.addFilter(_DropTrustNotice())
    app.initialize([str(notebook)])
    if on_ready is not None:
        IOLoop.current().add_callback(lambda: on_ready(options.url(app.port)))
    app.start()
