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
from pathlib import Path

from ..errors import TimelineError
from ..startup import skip_slow_optional_imports
from ..views.contract import DASHBOARD_NOTEBOOK
from .limits import allowed_hosts
from .options import HOST, ServeOptions, voila_config


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
        options = options.replace(port=port)
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

    skip_slow_optional_imports()  # before Jupyter loads: ~1 s of CPU of a server's start
    from tornado.ioloop import IOLoop

    from .app import TimelineVoila

    app = TimelineVoila(config=voila_config(data, options))
    app.log.addFilter(_DropTrustNotice())
    app.initialize([str(notebook)])
    if on_ready is not None:
        IOLoop.current().add_callback(lambda: on_ready(options.url(app.port)))
    app.start()
