"""The options of `timeline serve`, declared once: :class:`ServeOptions`.

Each field carries its default and its help text (:func:`option`); from this one declaration

- ``timeline serve`` makes its command-line options (``cli.py``: name, type, range, default, help),
- :class:`~timeline.serve.app.TimelineVoila` makes its traitlets (:func:`trait`), and
- :func:`voila_config` makes the traitlets config the server starts with.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.story import story_title
from .language import page_resources

if TYPE_CHECKING:
    from traitlets import TraitType
    from traitlets.config import Config

HOST = "127.0.0.1"


def option(
    default: Any,
    help: str,
    *,
    kind: type | None = None,
    flag: str | None = None,
    minimum: float | None = None,
    maximum: float | None = None,
    app: bool = False,
    cli: bool = True,
    to: tuple[str, ...] = (),
) -> Any:
    """A field of :class:`ServeOptions`: its default, its help, and where it goes.

    ``kind`` is its type when the default (None) does not say; ``flag`` its command-line name
    when not ``--field-name``; ``minimum``/``maximum`` its range; ``app``: a TimelineVoila
    traitlet of the same name; ``cli``: a command-line option; ``to``: the other traitlets
    (``Class.name``) it sets."""
    meta = {
        "help": help,
        "kind": kind or type(default),
        "flag": flag,
        "min": minimum,
        "max": maximum,
        "app": app,
        "cli": cli,
        "to": to,
    }
    return field(default=default, metadata=meta)


@dataclass(frozen=True)
class ServeOptions:
    """How the dashboard is served; ``timeline serve`` exposes each field with ``cli`` as an option."""

    port: int = option(
        8866,
        "Port on 127.0.0.1 (0: any free port; the address printed names the one bound).",
        minimum=0,
        maximum=65535,
        to=("Voila.port",),
    )
    #: With the page cache a render happens only at start and when the data changes, when
    #: pooled pages are stale anyway: 0 then renders a changed page sooner (one kernel start,
    #: not pool + 1) and saves ~106 MiB per kernel.
    pool_size: int = option(
        0,
        "Preheated kernels with the page rendered in advance. With the page cache the server "
        "renders at start and on each data change by itself, so 0 is enough; a pool helps with --no-page-cache.",
        minimum=0,
    )
    page_cache: bool = option(
        True, "Keep the rendered page for every reader until the data changes.", app=True
    )
    max_renders: int = option(
        2,
        "Kernels rendering at once; past it a reader gets a 503 'busy, try again' page.",
        minimum=1,
        app=True,
    )
    render_wait: int = option(
        20,
        "Seconds a reader waits for a render in progress before the 503 'busy' page.",
        minimum=1,
        app=True,
    )
    render_timeout: int = option(
        120,
        "Seconds a render may take before the reader gets the failed-render page.",
        minimum=1,
        app=True,
        to=("VoilaExecutor.timeout",),
    )
    watch_interval: float = option(
        2.0,
        "Seconds between checks of the data folder for changes (0: only when a reader comes).",
        minimum=0,
        app=True,
    )
    base_url: str | None = option(
        None,
        "Path to serve under, e.g. /services/timeline/ (default: $JUPYTERHUB_SERVICE_PREFIX or /).",
        kind=str,
    )
    cull_idle_timeout: int = option(
        60,
        "Seconds before an idle kernel outside the pool is shut down (0: never).",
        minimum=0,
        to=("MappingKernelManager.cull_idle_timeout",),
    )
    cull_interval: int = option(
        15, "Seconds between culling passes.", minimum=1, to=("MappingKernelManager.cull_interval",)
    )
    allow_hosts: tuple[str, ...] = option(
        (),
        "Also serve requests for this host name (repeatable; *.example.org for its subdomains). "
        "Loopback names are always served; any other Host gets 403. For a proxy that passes the readers' Host on.",
        flag="--allow-host",
        app=True,
    )
    notebook: Path | None = option(
        None, "Serve this notebook instead of the checkout's notebooks/dashboard.ipynb.", kind=Path
    )
    retry_after: int = option(5, "Retry-After seconds of the busy page.", app=True, cli=False)
    header_timeout: float = option(
        10.0,
        "Seconds a connection may take to send its request's headers, or stay idle between "
        "requests, before the server closes it (a slow or half-open client holds nothing longer).",
        minimum=0.1,
        app=True,
        cli=False,
    )
    body_timeout: float = option(
        5.0,
        "Seconds a request's body may take before the server closes the connection.",
        minimum=0.1,
        app=True,
        cli=False,
    )
    release_kernels: bool = option(
        True,
        "Shut a render's kernel down as soon as its page is built (the page never uses it). "
        "Turn off only to measure the idle-kernel culler.",
        app=True,
        cli=False,
    )

    def prefix(self) -> str:
        path = self.base_url or os.environ.get("JUPYTERHUB_SERVICE_PREFIX") or "/"
        return "/" + path.strip("/") + "/" if path.strip("/") else "/"

    def url(self, port: int | None = None) -> str:
        """The page's address (on ``port``: the one bound, when ``self.port`` is 0)."""
        return f"http://{HOST}:{self.port if port is None else port}{self.prefix()}"

    def replace(self, **changes: Any) -> ServeOptions:
        return dataclasses.replace(self, **changes)


def options() -> tuple[dataclasses.Field[Any], ...]:
    """ServeOptions' fields, each with its ``metadata`` (see :func:`option`)."""
    return dataclasses.fields(ServeOptions)


def _field(name: str) -> dataclasses.Field[Any]:
    return next(f for f in options() if f.name == name)


def trait(name: str) -> TraitType[Any, Any]:
    """The TimelineVoila traitlet of ServeOptions' field ``name``: same default, same help."""
    from traitlets import Bool, Float, Int, List, Unicode

    f = _field(name)
    kind, help = f.metadata["kind"], f.metadata["help"]
    value_: Any = f.default
    if kind is bool:
        return Bool(value_, config=True, help=help)
    if kind is int:
        return Int(value_, config=True, help=help)
    if kind is float:
        return Float(value_, config=True, help=help)
    if kind is tuple:
        return List(Unicode(), list(value_), config=True, help=help)
    raise TypeError(f"no traitlet for {name} ({kind.__name__})")


def voila_config(folder: Path, options: ServeOptions) -> Config:
    """The traitlets config for :class:`TimelineVoila` (every setting in one place)."""
    from traitlets.config import Config

    c = Config()
    c.Voila.ip = HOST
    c.Voila.open_browser = False
    c.Voila.port_retries = 0
    c.Voila.base_url = options.prefix()
    c.VoilaConfiguration.preheat_kernel = options.pool_size > 0
    c.VoilaConfiguration.default_pool_size = max(options.pool_size, 0)
    c.VoilaConfiguration.resources = {
        "timeline": {"title": story_title(folder), **page_resources(folder)}
    }
    c.TimelineVoila.data_folder = str(folder)
    for f in dataclasses.fields(options):
        value = getattr(options, f.name)
        value = list(value) if isinstance(value, tuple) else value
        targets = (*(("TimelineVoila." + f.name,) if f.metadata["app"] else ()), *f.metadata["to"])
        for target in targets:
            section, _, name = target.partition(".")
            c[section][name] = value
    # A reader never connects to a kernel; a connected one is a debugging client: keep it.
    c.MappingKernelManager.cull_connected = False
    # Kernels talk to the server over Unix sockets in Voila's private connection folder: no TCP
    # port on the machine for them, and no "Kernel is running over TCP without encryption".
    c.KernelManager.transport = "ipc"
    return c


__all__ = ["HOST", "ServeOptions", "option", "options", "trait", "voila_config"]
