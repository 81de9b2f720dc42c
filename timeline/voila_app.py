"""The dashboard server: a small Voila subclass that serves one notebook and nothing else.

Plain Voila in single-notebook mode still routes kernel websockets, a kernel API,
template and lab-extension files, a file handler and a shutdown endpoint, and its
page connects to a kernel that each reader then holds until the tab's shutdown
request (refused with 403 for want of an ``_xsrf`` cookie, voila#1458) or a
culler frees it. Our page needs none of that: the story fragment is server-rendered
and all interactivity runs in ``timeline.js``. So :class:`TimelineVoila` routes
only

- ``/``: :class:`DashboardHandler`, which serves the page :class:`Pages` keeps for
  the current data (rendering it first, from the preheated pool or in a new kernel,
  when the data changed). The kernel that rendered a page is **shut down** as soon
  as the page is built: a reader holds no kernel at all, and with the page cache
  (the default) most readers cause no render either;
- ``/timeline/static/{timeline.css,timeline.js,plotly.min.js}``: the page's assets,
  held in memory with a gzipped copy and cached for a year (their URLs carry a
  content hash);
- ``/events`` and ``/search``: :class:`ListHandler`, the list of a story too long to
  send whole, a page at a time, answered in this process from the data's last good
  version (``timeline.listing``; the page of such a story asks for them).

Every other URL is a 404; XSRF checks stay on (no route accepts a POST). Query
arguments (``?template=``, ``?theme=``) are ignored, so they can neither switch
the template nor force a render. Past ``max_renders`` renders at once a reader gets
a short "busy" page (503, ``Retry-After``, refreshing itself); a render that fails
(the notebook raised, its kernel died or timed out) gives a short error page with a
reload link, is never cached, and logs why. Idle-kernel culling stays on as a
backstop. Run it with ``timeline serve`` (or ``python -m timeline.voila_app
NOTEBOOK --port N ...`` with Voila's and these traitlets' options).
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import json
import logging
import mimetypes
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tornado.web
import voila.notebook_renderer
from jupyter_core.utils import ensure_async
from jupyter_server.base.handlers import JupyterHandler
from markupsafe import escape
from tornado.ioloop import IOLoop, PeriodicCallback
from traitlets import Bool, Float, Int, Unicode, default
from voila.app import Voila
from voila.execute import VoilaExecutor
from voila.notebook_renderer import NotebookRenderer
from voila.utils import ENV_VARIABLE, get_page_config

from .assets import STATIC, plotly_js_path
from .listing import MAX_IDS, Listing
from .notebook import LIST_URL_ENV
from .serve import DATA_ERROR, FAILED, STORY, DataWatch, page_kind, page_problems, story_title

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


@dataclass(frozen=True)
class Blob:
    """Bytes to send, with a gzipped copy made once and a strong ETag."""

    body: bytes
    gzipped: bytes
    etag: str
    content_type: str

    @classmethod
    def of(cls, body: bytes, content_type: str) -> Blob:
        digest = hashlib.sha256(body).hexdigest()
        return cls(body, gzip.compress(body, compresslevel=6, mtime=0), f'"{digest[:20]}"', content_type)


@dataclass(frozen=True)
class Page:
    """A rendered page: the story, or the validator's errors when no good page exists yet."""

    key: str  # the data's content key (DataWatch.key) it was rendered from
    kind: str  # STORY or DATA_ERROR
    blob: Blob


class Outcome(str):
    """A reader gets no page: BUSY (too many renders at once) or FAILURE (the render failed)."""


BUSY, FAILURE = Outcome("busy"), Outcome("failure")


class Busy(Exception):
    """No render slot is free (``max_renders`` renders are running)."""


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def asset_files() -> dict[str, Path]:
    return {
        "timeline.css": STATIC / "timeline.css",
        "timeline.js": STATIC / "timeline.js",
        "plotly.min.js": plotly_js_path(),
    }


def asset_urls() -> dict[str, str]:
    """URLs of the page's three assets, relative to the page (so a path-stripping proxy
    such as jupyter-server-proxy needs no base URL), versioned by content."""
    files = asset_files()
    keys = {"timeline.css": "css_url", "timeline.js": "js_url", "plotly.min.js": "plotly_url"}
    return {keys[name]: f"{STATIC_PREFIX}{name}?v={_digest(path)}" for name, path in files.items()}


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


class AssetHandler(tornado.web.RequestHandler):
    """One of our three asset files, from memory; the route's pattern admits only their names."""

    def initialize(self, *, assets: dict[str, tuple[str, Blob]]) -> None:
        self.assets = assets

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


def send(handler: tornado.web.RequestHandler, blob: Blob) -> None:
    """Finish with ``blob``: 304 when the ETag matches, gzipped when the client accepts it."""
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


class PublicHandler(JupyterHandler):
    """A page for anonymous readers: no identity, no cookie, plain-text errors."""

    async def prepare(self) -> None:
        # The page is public and readers are anonymous: skip Jupyter's identity provider,
        # which would give every reader a 30-day "anonymous user" cookie. No cookie at all.
        self.current_user = None

    def compute_etag(self) -> str | None:
        return None  # set from the blob (send), not by hashing the body again

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        # A plain line, not Jupyter's error page (which needs a user and Jupyter's static files).
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.finish(f"{status_code}: {self._reason}\n")


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


class ListHandler(PublicHandler):
    """``events`` and ``search``: the list of a long story, a page at a time (see timeline.listing)."""

    def initialize(self, *, voila_app: TimelineVoila, what: str) -> None:
        self.voila_app = voila_app
        self.what = what

    async def get(self) -> None:
        app = self.voila_app
        listing = await app.listings.get()
        if listing is None:
            self.set_status(503)
            self.set_header("Retry-After", str(app.retry_after))
            self.set_header("Cache-Control", "no-store")
            send(self, app.busy_page)
            return
        loop = asyncio.get_running_loop()
        if self.what == "search":
            query = self.get_query_argument("q", "")
            found = await loop.run_in_executor(None, listing.search, query)
            body, ctype = json.dumps(found, separators=(",", ":")).encode(), "application/json"
        elif self.get_query_argument("ids", None) is not None:
            ids = [i for i in self.get_query_argument("ids").split(",") if i]
            if len(ids) > MAX_IDS:
                raise tornado.web.HTTPError(400, f"at most {MAX_IDS} ids at a time")
            body = (await loop.run_in_executor(None, listing.fragment, ids)).encode()
            ctype = "text/html; charset=utf-8"
        else:
            try:
                offset = int(self.get_query_argument("offset", "0"))
            except ValueError:
                raise tornado.web.HTTPError(400, "offset must be a whole number") from None
            css = app.voila_configuration.config.VoilaConfiguration.resources["timeline"]["css_url"]
            body = (await loop.run_in_executor(None, lambda: listing.page(offset, css_url=css))).encode()
            ctype = "text/html; charset=utf-8"
        self.set_header("Cache-Control", "no-cache")
        send(self, await loop.run_in_executor(None, Blob.of, body, ctype))


class Listings:
    """One :class:`~timeline.listing.Listing` for the data readers' pages show: loaded in a
    thread when first asked for a data version; broken data keeps the last good one."""

    def __init__(self, app: TimelineVoila) -> None:
        self.app = app
        self.current: tuple[str, Listing] | None = None
        self.loading: dict[str, asyncio.Future[Listing | None]] = {}

    def _load(self) -> Listing | None:
        from .dataset import load
        from .errors import TimelineError

        try:
            ds = load(Path(self.app.data_folder))
        except TimelineError:
            return None
        if ds.errors():
            return None
        return Listing(ds)

    async def get(self) -> Listing | None:
        key = self.app.pages.key()
        if self.current is not None and self.current[0] == key:
            return self.current[1]
        task = self.loading.get(key)
        if task is None:
            task = asyncio.get_running_loop().run_in_executor(None, self._load)
            self.loading = {key: task}
        listing = await task
        if listing is None:  # broken data: the pages readers have still show the last good version
            return self.current[1] if self.current is not None else None
        if self.current is None or self.current[0] != key:
            self.current = (key, listing)
        return listing


class Pages:
    """The page for the current data: kept (``page_cache``) and rendered once per data version.

    A render takes a ready page from Voila's preheated pool, else starts a kernel (at
    most ``max_renders`` at once), and always shuts its kernel down afterwards. When
    the data's key changes, the pool's pages (rendered from the old data) are discarded.
    """

    def __init__(self, app: TimelineVoila, notebook: str) -> None:
        self.app = app
        self.notebook = notebook  # relative to the root, as the pool names it
        self.watch = DataWatch(Path(app.data_folder), Path(app.notebook_path))
        self.kept: dict[str, Page] = {}  # data key -> the page readers get for it
        self.good: Page | None = None  # the newest story page
        self.pending: dict[str, asyncio.Future[Page | Outcome]] = {}
        self.reported: set[str] = set()  # keys whose data errors were logged
        self.failed: set[str] = set()  # keys whose last render failed (not retried by the watch)
        self.rendering = 0
        self.pool_key: str | None = None
        self.renders = 0  # count of renders done (for the log and tests)
        self._tasks: set[asyncio.Future[Any]] = set()

    # ----------------------------------------------------------------- data versions
    def key(self) -> str:
        """The current data key; a change discards the pool's pages rendered from the old data."""
        key = self.watch.key()
        if self.pool_key is None:
            self.pool_key = key
        elif key != self.pool_key:
            LOG.info("The data changed (version %s); discarding pre-rendered pages", key[:12])
            self.pool_key = key
            self.app.retitle()
            self.invalidate_pool()
        return key

    def tick(self) -> None:
        """The periodic watch: notice data changes and render the new page before readers ask."""
        try:
            key = self.key()
        except OSError:
            return
        if self.app.page_cache and key not in self.kept and key not in self.failed:
            self._render_soon(key)

    def _spawn(self, coro: Any) -> asyncio.Future[Any]:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def _render_soon(self, key: str) -> asyncio.Future[Page | Outcome]:
        task = self.pending.get(key)
        if task is None:
            task = self._spawn(self.render(key))
            self.pending[key] = task
            task.add_done_callback(lambda _: self.pending.pop(key, None))
        return task

    # ----------------------------------------------------------------- readers
    async def for_reader(self) -> Page | Outcome:
        key = self.key()
        if not self.app.page_cache:
            return await self.render(key)
        page = self.kept.get(key)
        if page is not None:
            return page
        task = self._render_soon(key)
        try:
            return await asyncio.wait_for(asyncio.shield(task), self.app.render_wait)
        except asyncio.TimeoutError:
            return BUSY

    async def _attempt(self, *, pool: bool) -> tuple[str | None, str, bool]:
        """One render: ``(html, kind, from the pool)``; ``html`` is None when no slot is free."""
        used: list[str] = []
        try:
            html = await self.render_html(pool=pool, used=used)
        except Busy:
            return None, FAILED, False
        except Exception:
            LOG.exception("Rendering the dashboard failed; the reader gets a short error page")
            html = ""
        self.renders += 1
        return html, page_kind(html), "pool" in used

    async def render(self, key: str) -> Page | Outcome:
        """Render the page for ``key``, classify it and keep what readers should get."""
        started = time.monotonic()
        html, kind, pooled = await self._attempt(pool=True)
        if kind == FAILED and html is not None and pooled:
            # A pooled page whose kernel died (or was killed) while pre-rendering: not this
            # reader's fault; one more try in a new kernel.
            LOG.warning("A preheated page failed; rendering it again in a new kernel")
            html, kind, _ = await self._attempt(pool=False)
        if html is None:
            return BUSY
        if kind == FAILED:
            self.failed.add(key)
            LOG.error("The render failed (see above); the page is not kept, readers may reload")
            return FAILURE
        self.failed.discard(key)
        if kind == DATA_ERROR:
            problems = page_problems(html)
            if key not in self.reported:
                self.reported.add(key)
                still = "still serving the last good version" if self.good else "no good version to serve yet"
                LOG.warning(
                    "The data in %s has %d error(s); %s:\n%s",
                    self.app.data_folder,
                    len(problems),
                    still,
                    "\n".join(problems),
                )
            page = self.good or Page(key, DATA_ERROR, await self._blob(html))
        else:
            page = Page(key, STORY, await self._blob(html))
            self.good = page
            if 'data-src="events"' in html:  # a paged list: load its data before readers ask
                self._spawn(self.app.listings.get())
        LOG.info(
            "Rendered the page for data version %s in %.1f s (%s, %d characters)",
            key[:12],
            time.monotonic() - started,
            kind,
            len(html),
        )
        if self.app.page_cache and self.watch.key() == key:
            # Keep only the current version (and nothing rendered from files that moved meanwhile).
            self.kept = {key: page}
        return page

    @staticmethod
    async def _blob(html: str) -> Blob:
        """Compress and hash off the event loop (a 100,000-event page is hundreds of MB)."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(None, Blob.of, html.encode(), "text/html; charset=utf-8")

    # ----------------------------------------------------------------- kernels
    def _pool(self) -> list[asyncio.Future[Any]] | None:
        pools = getattr(self.app.kernel_manager, "_pools", None)  # Voila's preheated pool
        return pools.get(self.notebook) if isinstance(pools, dict) else None

    def _pool_ready(self) -> bool:
        """Whether the pool's next kernel has finished rendering its page."""
        pool = self._pool()
        if not pool or not pool[0].done() or pool[0].cancelled() or pool[0].exception():
            return False
        return bool(pool[0].result()["task"].done())

    def invalidate_pool(self) -> None:
        """Shut the pool's kernels down (their pages show the old data); the pool refills."""
        km = self.app.kernel_manager
        pools = getattr(km, "_pools", None)
        if not isinstance(pools, dict) or not pools.get(self.notebook):
            return
        stale, pools[self.notebook] = pools[self.notebook], []
        for item in stale:
            self._spawn(self._discard(item))
        km.fill_if_needed(delay=0, notebook_name=self.notebook)

    async def _discard(self, item: asyncio.Future[Any]) -> None:
        try:
            content = await item
        except Exception:
            return
        await self.app.release_kernel(content["kernel_id"])
        try:
            await asyncio.wait_for(content["task"], 30)
        except Exception:
            pass

    async def render_html(self, *, pool: bool = True, used: list[str] | None = None) -> str:
        """The page's HTML from the pool's ready page, else from a kernel (a render slot)."""
        slot = not (pool and self._pool_ready())
        if slot:
            if self.rendering >= self.app.max_renders:
                raise Busy
            self.rendering += 1
        kernel_ids: list[str] = []

        async def collect() -> str:
            parts = []
            async for snippet, kid in self._render(pool=pool, used=used if used is not None else []):
                if kid and not kernel_ids:
                    kernel_ids.append(kid)
                parts.append(snippet)
            return "".join(parts)

        try:
            return await asyncio.wait_for(collect(), self.app.render_timeout + 60)
        finally:
            if slot:
                self.rendering -= 1
            if kernel_ids and self.app.release_kernels:
                self.app.release_soon(kernel_ids[0])

    async def _render(self, *, pool: bool, used: list[str]) -> Any:
        """Yield ``(html, kernel_id)``: from the pool when there is one, else from a new kernel."""
        km = self.app.kernel_manager
        if pool and km.get_pool_size(self.notebook) > 0:
            try:
                render_task, cache, kernel_id = await km.get_rendered_notebook(
                    notebook_name=self.notebook
                )
            except Exception:
                # A pool kernel that failed to start or died: render with a new one.
                LOG.exception("A preheated kernel failed; rendering with a new kernel")
            else:
                used.append("pool")
                yield "", kernel_id
                yield "".join(cache), kernel_id
                rendered, rendering = await render_task
                yield "".join(rendered[len(cache) :]), kernel_id
                async for snippet, _ in rendering:
                    yield snippet, kernel_id
                return
        async for item in self._render_cold():
            yield item

    async def _render_cold(self) -> Any:
        app = self.app
        handler_settings = app.app.settings
        renderer = NotebookRenderer(
            voila_configuration=app.voila_configuration,
            traitlet_config=app.config,
            notebook_path=self.notebook,
            template_paths=app.template_paths,
            config_manager=app.config_manager,
            contents_manager=app.contents_manager,
            base_url=app.base_url,
            kernel_spec_manager=app.kernel_spec_manager,
            page_config=get_page_config(
                base_url=app.base_url,
                settings=handler_settings,
                log=LOG,
                voila_configuration=app.voila_configuration,
            ),
        )
        await renderer.initialize()
        env = {
            **os.environ,
            ENV_VARIABLE.VOILA_PREHEAT: "False",
            ENV_VARIABLE.VOILA_BASE_URL: app.base_url,
            ENV_VARIABLE.VOILA_SERVER_URL: app.server_url or "/",
            ENV_VARIABLE.VOILA_APP_PORT: str(app.port),
        }
        kernel_id = await ensure_async(
            app.kernel_manager.start_kernel(
                kernel_name=renderer.notebook.metadata.kernelspec.name,
                path=os.path.dirname(self.notebook),
                env=env,
            )
        )
        yield "", kernel_id
        kernel_future = app.kernel_manager.get_kernel(kernel_id)
        async for snippet, _ in renderer.generate_content_generator(kernel_id, kernel_future):
            yield snippet, kernel_id


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
            raise ValueError("timeline serves exactly one notebook: pass its path")
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
        voila.notebook_renderer.VoilaExecutor = LoggingExecutor  # type: ignore[misc]
        self.pages = Pages(self, os.path.relpath(self.notebook_path, self.root_dir))
        self.listings = Listings(self)
        # Kernels inherit it: a long story's page holds its list a page at a time (render.py).
        os.environ[LIST_URL_ENV] = "events"

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
        self.tornado_settings = {**self.tornado_settings, "headers": headers}
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
        for name, path in asset_files().items():
            ctype = mimetypes.guess_type(name)[0] or "application/octet-stream"
            charset = "; charset=utf-8" if ctype.startswith("text/") or name.endswith(".js") else ""
            assets[name] = (_digest(path), Blob.of(path.read_bytes(), ctype + charset))
        names = "|".join(n.replace(".", "\\.") for n in assets)
        return [
            (base, DashboardHandler, {"voila_app": self}),
            (f"{base}{STATIC_PREFIX}({names})", AssetHandler, {"assets": assets}),
            (f"{base}events", ListHandler, {"voila_app": self, "what": "events"}),
            (f"{base}search", ListHandler, {"voila_app": self, "what": "search"}),
        ]

    def start(self) -> None:
        if self.watch_interval > 0:
            self._watch = PeriodicCallback(self.pages.tick, self.watch_interval * 1000)
            self._watch.start()
        # Render the first page as soon as the server runs (from the pool when it has one).
        IOLoop.current().add_callback(self.pages.tick)
        super().start()

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
