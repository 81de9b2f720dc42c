"""Serve the reader dashboard: ``notebooks/dashboard.ipynb`` with Voila on 127.0.0.1.

``serve(folder)`` validates nothing itself (broken data shows the validator's
messages on the page). It puts the data folder in ``TIMELINE_DATA`` and runs
:class:`timeline.voila_app.TimelineVoila` on the one notebook: our template, no
source cells, no tracebacks, no template switching, no files or notebook tree,
a preheated kernel pool, each reader's kernel shut down once the page is sent,
and idle-kernel culling as a backstop. It blocks until interrupted.
"""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import TimelineError
from .notebook import DATA_ENV

HOST = "127.0.0.1"


def default_notebook() -> Path:
    """``notebooks/dashboard.ipynb`` of the checkout this package runs from."""
    import timeline

    return Path(timeline.__file__).resolve().parent.parent / "notebooks" / "dashboard.ipynb"


@dataclass(frozen=True)
class ServeOptions:
    """How the dashboard is served; `timeline serve` exposes each field as an option."""

    port: int = 8866
    #: Kernels kept running the notebook in advance; readers take one each.
    pool_size: int = 2
    #: Seconds of inactivity before a non-pool kernel is shut down (0: never).
    cull_idle_timeout: int = 60
    #: Seconds between two culling passes.
    cull_interval: int = 15
    #: Seconds a render may take before the page shows its error.
    render_timeout: int = 120
    #: The notebook to serve (default: the checkout's ``notebooks/dashboard.ipynb``).
    notebook: Path | None = None

    def url(self) -> str:
        return f"http://{HOST}:{self.port}/"


def story_title(folder: Path) -> str:
    """The story's title from ``story.json`` for the page's <title>, else "Timeline"."""
    try:
        title = json.loads((folder / "story.json").read_text(encoding="utf-8")).get("title")
    except (OSError, ValueError, AttributeError):
        return "Timeline"
    return title if isinstance(title, str) and title.strip() else "Timeline"


def voila_config(folder: Path, options: ServeOptions) -> Any:
    """The traitlets config for :class:`TimelineVoila` (every setting in one place)."""
    from traitlets.config import Config

    c = Config()
    c.Voila.ip = HOST
    c.Voila.port = options.port
    c.Voila.open_browser = False
    c.Voila.port_retries = 0
    c.VoilaConfiguration.preheat_kernel = options.pool_size > 0
    c.VoilaConfiguration.default_pool_size = max(options.pool_size, 0)
    c.VoilaConfiguration.resources = {"timeline": {"title": story_title(folder)}}
    c.VoilaExecutor.timeout = options.render_timeout
    c.MappingKernelManager.cull_idle_timeout = options.cull_idle_timeout
    c.MappingKernelManager.cull_interval = options.cull_interval
    # A reader never connects to a kernel; a connected one is a debugging client: keep it.
    c.MappingKernelManager.cull_connected = False
    return c


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
    """Serve the dashboard for ``folder`` until interrupted; ``on_ready(url)`` once it listens."""
    options = options or ServeOptions()
    if port is not None:
        options = ServeOptions(**{**options.__dict__, "port": port})
    notebook = Path(options.notebook or default_notebook()).resolve()
    if not notebook.is_file():
        raise TimelineError(
            f"the dashboard notebook {notebook} is missing; `timeline serve` runs from a checkout "
            "of the repository (pip install -e .) or takes --notebook PATH"
        )
    if options.pool_size < 0:
        raise TimelineError(f"pool size must be 0 or more, not {options.pool_size}")
    _check_port(options.port)
    data = Path(folder).resolve()
    os.environ[DATA_ENV] = str(data)

    from tornado.ioloop import IOLoop

    from .voila_app import TimelineVoila

    app = TimelineVoila(config=voila_config(data, options))
    app.initialize([str(notebook)])
    if on_ready is not None:
        IOLoop.current().add_callback(on_ready, options.url())
    app.start()
