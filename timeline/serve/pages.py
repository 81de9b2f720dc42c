"""What the dashboard server keeps: the rendered page per data version, and the data for a long list.

:class:`Pages` renders the dashboard notebook (from Voila's preheated pool or in a new
kernel, at most ``max_renders`` at once), shuts the kernel down as soon as the page is
built, and keeps the page (gzipped, with an ETag) until the data changes; broken data
keeps the last good page. :class:`Listings` holds the :class:`~timeline.views.listing.Listing`
that answers a long story's ``events`` and ``search`` requests. Both serve
:class:`~timeline.serve.app.TimelineVoila`.
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jupyter_core.utils import ensure_async
from voila.notebook_renderer import NotebookRenderer
from voila.utils import ENV_VARIABLE, get_page_config

from ..core.watch import DataWatch
from ..views.listing import Listing
from ..views.page import CLAIM_HREF, DATA_ERROR, FAILED, STORY, page_kind, page_problems
from ..views.render import PAGED_LIST_ATTR

if TYPE_CHECKING:
    from .app import TimelineVoila

LOG = logging.getLogger("TimelineVoila")


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


class Listings:
    """One :class:`~timeline.views.listing.Listing` for the data readers' pages show: loaded in a
    thread when first asked for a data version; broken data keeps the last good one."""

    def __init__(self, app: TimelineVoila) -> None:
        self.app = app
        self.current: tuple[str, Listing] | None = None
        self.loading: dict[str, asyncio.Future[Listing | None]] = {}

    def _load(self) -> Listing | None:
        from ..core.dataset import load
        from ..errors import TimelineError

        try:
            ds = load(Path(self.app.data_folder))
        except TimelineError:
            return None
        if ds.errors():
            return None
        return Listing(ds, claim_href=CLAIM_HREF)  # the claim pages this server answers

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
        task: asyncio.Future[Any] = asyncio.ensure_future(coro)
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
            if f' {PAGED_LIST_ATTR}="' in html:  # a paged list: load its data now
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
