"""The dashboard server: a small Voila subclass that serves one notebook and nothing else.

Plain Voila in single-notebook mode still routes kernel websockets, a kernel API,
template and lab-extension files, a file handler and a shutdown endpoint, and its
page connects to a kernel that each reader then holds until the tab's shutdown
request (refused with 403 for want of an ``_xsrf`` cookie, voila#1458) or a
culler frees it. Our page needs none of that: the story fragment is server-rendered
and all interactivity runs in ``timeline.js``. So :class:`TimelineVoila` routes
only

- ``/``: :class:`DashboardHandler`, which serves the page :class:`~timeline.serve.pages.Pages` keeps for
  the current data (rendering it first, from the preheated pool or in a new kernel,
  when the data changed). The kernel that rendered a page is **shut down** as soon
  as the page is built: a reader holds no kernel at all, and with the page cache
  (the default) most readers cause no render either;
- ``/timeline/static/{timeline.css,timeline.js,plotly.min.js}``: the page's assets,
  held in memory with a gzipped copy and cached for a year (their URLs carry a
  content hash);
- ``/claims/<id>.html``: :class:`ClaimHandler`, a claim's page as the microsite writes it
  (``timeline.views.claim_page``), so a claim's permalink works on both;
- ``/events``, ``/search`` and ``/sources``: :class:`ListHandler`, the list of a story too long to
  send whole, a page at a time, answered in this process from the data's last good
  version (``timeline.views.listing``; the page of such a story asks for them).

Every other URL is a 404; XSRF checks stay on (no route accepts a POST). Query
arguments (``?template=``, ``?theme=``) are ignored, so they can neither switch
the template nor force a render. Past ``max_renders`` renders at once a reader gets
a short "busy" page (503, ``Retry-After``, refreshing itself); a render that fails
(the notebook raised, its kernel died or timed out) gives a short error page with a
reload link, is never cached, and logs why. Idle-kernel culling stays on as a
backstop. Run it with ``timeline serve`` (or ``python -m timeline.serve.app
NOTEBOOK --port N ...`` with Voila's and these traitlets' options).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import mimetypes
import os
from pathlib import Path
from typing import Any

import tornado.web
import voila.notebook_renderer
from jupyter_core.utils import ensure_async
from jupyter_server.base.handlers import JupyterHandler
from markupsafe import escape
from tornado.httpserver import HTTPServer
from tornado.ioloop import IOLoop, PeriodicCallback
from tornado.netutil import bind_sockets
from traitlets import Bool, Float, Int, List, Unicode, default
from voila.app import Voila
from voila.execute import VoilaExecutor

from ..core.story import story_title
from ..errors import OptionError, TimelineError
from ..views.assets import asset_text, plotly_js_path
from ..views.listing import MAX_IDS
from ..views.page import CLAIM_HREF, CLAIM_HREF_ENV, LIST_URL_ENV
from .limits import (
    HTTP_LIMITS,
    Gate,
    Overloaded,
    allowed_hosts,
    cut,
    gzipped,
    host_allowed,
    log_request,
    request_summary,
    stream,
)
from .pages import BUSY, Blob, Listings, Page, Pages

TEMPLATE_NAME = "timeline"
#: A Jupyter data directory: Voila finds our template at ``voila/templates/timeline`` in it.
JUPYTER_DATA = Path(__file__).resolve().parent / "templates"
STATIC_PREFIX = "timeline/static/"
LOG = logging.getLogger("TimelineVoila")

#: Same-origin only; plotly.js needs inline styles (it injects <style> and style attributes).
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'self'",
    ]
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def _digest(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()[:12]


def asset_files() -> dict[str, bytes]:
    """The three assets' bodies (``timeline.js`` joined from its parts, views/assets.py)."""
    return {
        "timeline.css": asset_text("timeline.css").encode(),
        "timeline.js": asset_text("timeline.js").encode(),
        "plotly.min.js": plotly_js_path().read_bytes(),
    }


def asset_urls() -> dict[str, str]:
    """URLs of the page's three assets, relative to the page (so a path-stripping proxy
    such as jupyter-server-proxy needs no base URL), versioned by content."""
    files = asset_files()
    keys = {"timeline.css": "css_url", "timeline.js": "js_url", "plotly.min.js": "plotly_url"}
    return {keys[name]: f"{STATIC_PREFIX}{name}?v={_digest(body)}" for name, body in files.items()}


def notice_page(css_url: str, *, title: str, text: str, refresh: int | None = None) -> bytes:
    """A short plain page (busy, failed) in our style; ``refresh`` reloads it after so many seconds."""
    meta = f'<meta http-equiv="refresh" content="{refresh}">\n' if refresh else ""
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"{meta}<title>{escape(title)}</title>\n<link rel=\"icon\" href=\"data:,\">\n"
        f'<link rel="stylesheet" href="{escape(css_url)}">\n</head>\n<body class="tl-page">\n'
        f'<div id="timeline-error" class="tl-app tl-error" role="alert">\n<h1>{escape(title)}</h1>\n'
        f'<p>{text} <a href="./">Reload the page</a>.</p>\n</div>\n</body>\n</html>\n'
    ).encode()


class LoggingExecutor(VoilaExecutor):
    """Voila's executor, logging a failed cell's traceback before stripping it from the page."""

    def strip_code_cell_errors(self, cell: Any) -> Any:
        from nbconvert.filters import strip_ansi

        for output in cell.get("outputs", []):
            if output.get("output_type") == "error" and output.get("ename") != "ExecutionError":
                LOG.error(
                    "The dashboard notebook failed (the page shows a short error):\n%s",
                    strip_ansi(
                        "\n".join(
                            output.get("traceback")
                            or [f"{output.get('ename')}: {output.get('evalue')}"]
                        )
                    ),
                )
        return super().strip_code_cell_errors(cell)


class Guarded(tornado.web.RequestHandler):
    """Our handlers' common manners: a foreign ``Host`` gets 403 (``--allow-host``), errors are
    a plain line, logged URLs are cut (timeline.serve.limits)."""

    def refuse_foreign_host(self) -> None:
        host = self.request.headers.get("Host")
        if not host_allowed(host, self.settings["timeline_hosts"]):
            raise tornado.web.HTTPError(
                403,
                "Host %s is not served; start `timeline serve` with --allow-host NAME if readers reach it by that name",
                repr(cut(host or "", 100)),
            )

    def _request_summary(self) -> str:  # used by Tornado's log lines for errors
        return request_summary(self)

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        # A plain line, not Jupyter's error page (which needs a user and Jupyter's static files).
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.finish(f"{status_code}: {self._reason}\n")


class AssetHandler(Guarded):
    """One of our three asset files, from memory; the route's pattern admits only their names."""

    def initialize(self, *, assets: dict[str, tuple[str, Blob]]) -> None:
        self.assets = assets

    def prepare(self) -> None:
        self.refuse_foreign_host()

    def compute_etag(self) -> str | None:
        return None  # set from the blob, not by hashing the body again

    def get(self, name: str) -> None:
        version, blob = self.assets[name]
        self.set_header("Content-Type", blob.content_type)
        self.set_header("X-Content-Type-Options", "nosniff")
        if self.get_query_argument("v", None) == version:
            self.set_header("Cache-Control", "public, max-age=31536000, immutable")
        else:
            self.set_header("Cache-Control", "no-cache")
        send(self, blob)

    head = get


def send(handler: tornado.web.RequestHandler, blob: Blob) -> None:
    """Finish with ``blob``: 304 when the ETag matches, gzipped when the client accepts it."""
    handler.set_header("Content-Type", blob.content_type)
    handler.set_header("ETag", blob.etag)
    handler.set_header("Vary", "Accept-Encoding")
    if handler.check_etag_header():
        handler.set_status(304)
        handler.finish()
        return
    if "gzip" in handler.request.headers.get("Accept-Encoding", ""):
        handler.set_header("Content-Encoding", "gzip")
        handler.finish(blob.gzipped)
    else:
        handler.finish(blob.body)


class PublicHandler(Guarded, JupyterHandler):
    """A page for anonymous readers: no identity, no cookie, plain-text errors."""

    async def prepare(self, **kwargs: Any) -> None:
        # The page is public and readers are anonymous: skip Jupyter's identity provider,
        # which would give every reader a 30-day "anonymous user" cookie. No cookie at all.
        self.current_user = None
        self.refuse_foreign_host()

    def compute_etag(self) -> str | None:
        return None  # set from the blob (send), not by hashing the body again

    write_error = Guarded.write_error


class DashboardHandler(PublicHandler):
    """The one page: the kept page for the current data, rendered first if need be."""

    def initialize(self, *, voila_app: TimelineVoila) -> None:
        self.voila_app = voila_app

    async def get(self) -> None:
        app = self.voila_app
        outcome = await app.pages.for_reader()
        if isinstance(outcome, Page):
            self.set_header("Cache-Control", "no-cache")
            send(self, outcome.blob)
            return
        self.set_header("Cache-Control", "no-store")
        if outcome is BUSY:
            self.set_status(503)
            self.set_header("Retry-After", str(app.retry_after))
            send(self, app.busy_page)
        else:
            self.set_status(500)
            send(self, app.failure_page)

    head = get


class ListHandler(PublicHandler):
    """``events``, ``search`` and ``sources``: a long story a page at a time (see timeline.views.listing)."""

    def initialize(self, *, voila_app: TimelineVoila, what: str) -> None:
        self.voila_app = voila_app
        self.what = what

    async def get(self) -> None:
        app = self.voila_app
        listing = await app.listings.get()
        if listing is None:
            self.busy()
            return
        if self.what == "search":
            query = self.get_query_argument("q", "")

            def build() -> tuple[bytes, int]:
                return gzipped(json.dumps(listing.search(query), separators=(",", ":")).encode())

            ctype = "application/json"
        elif self.what == "events" and self.get_query_argument("ids", None) is not None:
            ids = [i for i in self.get_query_argument("ids").split(",") if i]
            if len(ids) > MAX_IDS:
                raise tornado.web.HTTPError(400, f"at most {MAX_IDS} ids at a time")

            def build() -> tuple[bytes, int]:
                return gzipped(listing.items_answer(ids))

            ctype = "application/json"
        else:
            try:
                offset = int(self.get_query_argument("offset", "0"))
            except ValueError:
                raise tornado.web.HTTPError(400, "offset must be a whole number") from None
            css = app.voila_configuration.config.VoilaConfiguration.resources["timeline"]["css_url"]
            page = listing.sources_page if self.what == "sources" else listing.page

            def build() -> tuple[bytes, int]:
                return gzipped(page(offset, css_url=css).encode())

            ctype = "text/html; charset=utf-8"
        try:
            packed = await app.list_work.run(build)
        except Overloaded:
            self.busy()
            return
        self.set_header("Cache-Control", "no-cache")
        await stream(self, packed, ctype)

    def busy(self) -> None:
        """503 with Retry-After: the list's data is loading, or too many list requests wait."""
        app = self.voila_app
        self.set_status(503)
        self.set_header("Retry-After", str(app.retry_after))
        self.set_header("Cache-Control", "no-store")
        send(self, app.busy_page)


class ClaimHandler(PublicHandler):
    """``claims/<id>.html``: a claim's page, as the microsite writes it (``timeline site``)."""

    def initialize(self, *, voila_app: TimelineVoila) -> None:
        self.voila_app = voila_app

    async def get(self, claim_id: str) -> None:
        from ..views.claim_page import ClaimPages, PageLinks

        app = self.voila_app
        listing = await app.listings.get()
        if listing is None:
            raise tornado.web.HTTPError(503)
        loop = asyncio.get_running_loop()
        pages = getattr(listing, "claim_pages", None)  # kept with the listing: one per data version
        if pages is None:
            pages = await loop.run_in_executor(None, ClaimPages, listing.ds)
            listing.claim_pages = pages  # type: ignore[attr-defined]
        assert isinstance(pages, ClaimPages)
        if claim_id not in pages.claims:
            raise tornado.web.HTTPError(404)
        css = app.voila_configuration.config.VoilaConfiguration.resources["timeline"]["css_url"]
        links = PageLinks(home="../", stylesheets=(f"../{css}",))
        body = (await loop.run_in_executor(None, lambda: pages.render(claim_id, links=links))).encode()
        self.set_header("Cache-Control", "no-cache")
        send(self, Blob.of(body, "text/html; charset=utf-8"))


class TimelineVoila(Voila):
    """Voila serving one notebook as a finished page, with no kernel left per reader."""

    name = "timeline-voila"
    description = "Serve the timeline dashboard notebook (use `timeline serve`)."

    release_kernels = Bool(
        True,
        config=True,
        help="Shut a render's kernel down as soon as its page is built (the page never uses it). "
        "Turn off only to measure the idle-kernel culler.",
    )
    data_folder = Unicode(
        config=True, help="The data folder the notebook reads (default: $TIMELINE_DATA)."
    )
    page_cache = Bool(
        True,
        config=True,
        help="Keep the rendered page and serve it to every reader until the data changes.",
    )
    max_renders = Int(
        2,
        config=True,
        help="Renders at once (kernels running the notebook) beyond the pool's ready pages; "
        "past it a reader gets a 503 'busy, try again' page.",
    )
    render_wait = Int(
        20, config=True, help="Seconds a reader waits for a render before the busy page."
    )
    render_timeout = Int(120, config=True, help="Seconds a render may take in all.")
    watch_interval = Float(
        2.0,
        config=True,
        help="Seconds between checks of the data folder for changes (0: only on a request).",
    )
    retry_after = Int(5, config=True, help="Retry-After seconds of the busy page.")
    allow_hosts = List(
        Unicode(),
        config=True,
        help="Host names served besides the loopback names and the bound address (a foreign "
        "Host header gets 403: DNS rebinding). Behind a proxy that passes the readers' Host on, its name.",
    )

    @default("data_folder")
    def _data_from_env(self) -> str:
        return os.environ.get("TIMELINE_DATA", "data")

    @default("config_file_paths")
    def _no_stray_config(self) -> list[str]:
        # Voila reads voila.json/voila.py from the working directory by default; we take
        # every setting from `timeline serve` instead.
        return []

    @default("open_browser")
    def _no_browser(self) -> bool:
        return False

    @default("ip")
    def _loopback(self) -> str:
        return "127.0.0.1"

    @default("port_retries")
    def _no_port_hunting(self) -> int:
        return 0

    def initialize(self, argv: Any = None) -> None:
        jupyter_path = os.environ.get("JUPYTER_PATH", "")
        if str(JUPYTER_DATA) not in jupyter_path.split(os.pathsep):
            os.environ["JUPYTER_PATH"] = os.pathsep.join(
                p for p in (str(JUPYTER_DATA), jupyter_path) if p
            )
        super().initialize(argv)
        self._releasing: set[asyncio.Future[None]] = set()
        if not self.notebook_path:
            raise OptionError("timeline serves exactly one notebook: pass its path")
        conf = self.voila_configuration
        # Whatever the options say, these hold: one template, no overrides, no sources,
        # no tracebacks, no extra files.
        conf.template = TEMPLATE_NAME
        conf.allow_template_override = "NO"
        conf.allow_theme_override = "NO"
        conf.strip_sources = True
        conf.show_tracebacks = False
        conf.file_allowlist = []
        self.setup_template_dirs()
        # The renderer builds its executor from this module global; ours logs what the page hides.
        voila.notebook_renderer.VoilaExecutor = LoggingExecutor
        self.pages = Pages(self, os.path.relpath(self.notebook_path, self.root_dir))
        self.listings = Listings(self)
        # Kernels inherit it: a long story's page holds its list a page at a time (render.py).
        os.environ[LIST_URL_ENV] = "events"
        os.environ[CLAIM_HREF_ENV] = CLAIM_HREF  # each claim card links its page

    def _timeline_resources(self) -> dict[str, Any]:
        conf = self.voila_configuration.config.VoilaConfiguration
        resources = conf.resources if isinstance(conf.get("resources"), dict) else {}
        return resources

    def retitle(self) -> None:
        """Take the page's <title> from story.json again (renders started from now on use it)."""
        resources = self._timeline_resources()
        page = {**resources.get("timeline", {}), "title": story_title(Path(self.data_folder))}
        self.voila_configuration.config.VoilaConfiguration.resources = {**resources, "timeline": page}

    def init_settings(self) -> dict[str, Any]:
        headers = {**SECURITY_HEADERS, **self.tornado_settings.get("headers", {})}
        self.tornado_settings = {
            **self.tornado_settings,
            "headers": headers,
            "timeline_hosts": allowed_hosts(self.allow_hosts, bound=self.ip),
            "log_function": log_request,
        }
        self.list_work = Gate()
        # The renderer reads resources from the config object, not from the trait.
        resources = self._timeline_resources()
        urls = asset_urls()
        page = {"title": "Timeline", **resources.get("timeline", {}), **urls}
        self.voila_configuration.config.VoilaConfiguration.resources = {
            **resources,
            "timeline": page,
        }
        self.busy_page = Blob.of(
            notice_page(
                urls["css_url"],
                title="Busy: please try again in a few seconds",
                text="Many readers are opening this timeline right now. This page tries again "
                f"by itself in {self.retry_after} seconds.",
                refresh=self.retry_after,
            ),
            "text/html; charset=utf-8",
        )
        self.failure_page = Blob.of(
            notice_page(
                urls["css_url"],
                title="This timeline cannot be shown right now",
                text="The server could not build this page; its log says why.",
            ),
            "text/html; charset=utf-8",
        )
        return super().init_settings()

    def init_handlers(self) -> list[Any]:
        base = self.server_url or self.base_url
        assets = {}
        for name, body in asset_files().items():
            ctype = mimetypes.guess_type(name)[0] or "application/octet-stream"
            charset = "; charset=utf-8" if ctype.startswith("text/") or name.endswith(".js") else ""
            assets[name] = (_digest(body), Blob.of(body, ctype + charset))
        names = "|".join(n.replace(".", "\\.") for n in assets)
        return [
            (base, DashboardHandler, {"voila_app": self}),
            (f"{base}{STATIC_PREFIX}({names})", AssetHandler, {"assets": assets}),
            (f"{base}events", ListHandler, {"voila_app": self, "what": "events"}),
            (f"{base}search", ListHandler, {"voila_app": self, "what": "search"}),
            (f"{base}sources", ListHandler, {"voila_app": self, "what": "sources"}),
            (f"{base}claims/([a-z0-9][a-z0-9-]*)\\.html", ClaimHandler, {"voila_app": self}),
        ]

    def start(self) -> None:
        if self.watch_interval > 0:
            self._watch = PeriodicCallback(self.pages.tick, self.watch_interval * 1000)
            self._watch.start()
        # Render the first page as soon as the server runs (from the pool when it has one).
        IOLoop.current().add_callback(self.pages.tick)
        super().start()

    def listen(self) -> None:
        """Listen on ``port`` (0: a free port the system picks, kept in ``port`` so the URL
        logged and reported is the one bound), then run until stopped (as Voila's listen,
        without its port hunting: ``port_retries`` is 0)."""
        try:
            sockets = bind_sockets(self.port, self.ip)
        except OSError as e:
            raise TimelineError(
                f"cannot listen on {self.ip}:{self.port} ({e.strerror}); choose another port with --port"
            ) from e
        HTTPServer(self.app, **HTTP_LIMITS).add_sockets(sockets)
        self.port = sockets[0].getsockname()[1]
        self.log.info("Voilà is running at:\n%s", self.display_url)
        self.ioloop = IOLoop.current()
        try:
            self.ioloop.start()
        except KeyboardInterrupt:
            self.log.info("Stopping...")
        finally:
            self.stop()

    def release_soon(self, kernel_id: str) -> None:
        """Shut a render's kernel down in the background (its page is built)."""
        task = asyncio.ensure_future(self.release_kernel(kernel_id))
        self._releasing.add(task)
        task.add_done_callback(self._releasing.discard)

    async def release_kernel(self, kernel_id: str) -> None:
        """Shut a kernel down; the culler is the backstop if this fails."""
        try:
            if kernel_id in self.kernel_manager:
                await ensure_async(self.kernel_manager.shutdown_kernel(kernel_id, now=True))
        except Exception:
            self.log.exception("Could not shut down kernel %s; the idle culler will", kernel_id)


main = TimelineVoila.launch_instance

if __name__ == "__main__":
    main()
