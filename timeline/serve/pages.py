"""What the dashboard server keeps: the rendered page per data version.

:class:`Pages` has the dashboard notebook rendered (by :class:`~timeline.serve.kernels.Kernels`:
from Voila's preheated pool or in a new kernel, at most ``max_renders`` at once, each
kernel shut down as soon as its page is built) and keeps the page (gzipped, with an
ETag) until the data changes (:class:`~timeline.core.watch.DataWatch`); broken data
keeps the last good page.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from ..core.schema import TABLE_BY_NAME
from ..core.watch import DataWatch
from ..views.contract import DATA_ERROR, FAILED, STORY, page_kind, page_problems
from ..views.render import PAGED_ABOVE, PAGED_LIST_ATTR
from .kernels import Busy, Kernels
from .responses import Blob

LOG = logging.getLogger("TimelineVoila")


@dataclass(frozen=True)
class Page:
    """A rendered page: the story, or the validator's errors when no good page exists yet."""

    key: str  # the data's content key (DataWatch.key) it was rendered from
    kind: str  # STORY or DATA_ERROR
    blob: Blob


class Outcome(str):
    """A reader gets no page: BUSY (too many renders at once) or FAILURE (the render failed)."""


BUSY, FAILURE = Outcome("busy"), Outcome("failure")


class Pages:
    """The page for the current data: kept (``page_cache``) and rendered once per data version.

    A render takes a ready page from Voila's preheated pool, else starts a kernel (at
    most ``max_renders`` at once), and always shuts its kernel down afterwards. When
    the data's key changes, the pool's pages (rendered from the old data) are discarded.
    """

    def __init__(
        self,
        kernels: Kernels,
        watch: DataWatch,
        *,
        page_cache: bool = True,
        render_wait: float = 20,
        on_new_data: Callable[[], None] = lambda: None,
        on_paged: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        self.kernels = kernels
        self.watch = watch
        self.page_cache = page_cache
        self.render_wait = render_wait
        self.on_new_data = (
            on_new_data  # the data changed: what renders from now on read anew (the title)
        )
        self.on_paged = on_paged  # a paged list is rendered: its data is asked for soon
        self.kept: dict[str, Page] = {}  # data key -> the page readers get for it
        self.good: Page | None = None  # the newest story page
        self.good_paged = False  # whether it pages its list (its data is then asked for soon)
        self.pending: dict[str, asyncio.Future[Page | Outcome]] = {}
        self.reported: set[str] = set()  # keys whose data errors were logged
        self.failed: set[str] = set()  # keys whose last render failed (not retried by the watch)
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
            self.on_new_data()
            self.kernels.invalidate_pool()
        return key

    def tick(self) -> None:
        """The periodic watch: notice data changes and render the new page before readers ask."""
        try:
            key = self.key()
        except OSError:
            return
        if self.page_cache and key not in self.kept and key not in self.failed:
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
        if not self.page_cache:
            return await self.render(key)
        page = self.kept.get(key)
        if page is not None:
            return page
        task = self._render_soon(key)
        try:
            return await asyncio.wait_for(asyncio.shield(task), self.render_wait)
        except asyncio.TimeoutError:
            return BUSY

    async def _attempt(self, *, pool: bool) -> tuple[str | None, str, bool]:
        """One render: ``(html, kind, from the pool)``; ``html`` is None when no slot is free."""
        used: list[str] = []
        try:
            html = await self.kernels.render_html(pool=pool, used=used)
        except Busy:
            return None, FAILED, False
        except Exception:
            LOG.exception("Rendering the dashboard failed; the reader gets a short error page")
            html = ""
        self.renders += 1
        return html, page_kind(html), "pool" in used

    async def _long_story(self) -> bool:
        """Whether the story is likely paged: its last page was, or (none yet) events.csv has more
        lines than a paged story's events (a guess: a quoted cell may span lines)."""
        if self.good is not None:
            return self.good_paged
        path = self.watch.folder / TABLE_BY_NAME["events"].filename

        def lines() -> int:
            try:
                with open(path, "rb") as f:
                    return sum(block.count(b"\n") for block in iter(lambda: f.read(1 << 20), b""))
            except OSError:
                return 0

        return await asyncio.get_running_loop().run_in_executor(None, lines) > PAGED_ABOVE

    async def render(self, key: str) -> Page | Outcome:
        """Render the page for ``key``, classify it and keep what readers should get."""
        started = time.monotonic()
        # A long story's list data loads in its worker beside the render (the first reader's
        # filters then wait for the longer of the two, not for both one after the other).
        beside = self.on_paged is not None and await self._long_story()
        if beside and self.on_paged is not None:
            self._spawn(self.on_paged())
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
                still = (
                    "still serving the last good version"
                    if self.good
                    else "no good version to serve yet"
                )
                LOG.warning(
                    "The data in %s has %d error(s); %s:\n%s",
                    self.watch.folder,
                    len(problems),
                    still,
                    "\n".join(problems),
                )
            page = self.good or Page(key, DATA_ERROR, await self._blob(html))
        else:
            page = Page(key, STORY, await self._blob(html))
            self.good = page
            self.good_paged = f' {PAGED_LIST_ATTR}="' in html
            if self.good_paged and self.on_paged is not None and not beside:  # load its data now
                self._spawn(self.on_paged())
        LOG.info(
            "Rendered the page for data version %s in %.1f s (%s, %d characters)",
            key[:12],
            time.monotonic() - started,
            kind,
            len(html),
        )
        if self.page_cache and self.watch.key() == key:
            # Keep only the current version (and nothing rendered from files that moved meanwhile).
            self.kept = {key: page}
        return page

    @staticmethod
    async def _blob(html: str) -> Blob:
        """Compress and hash off the event loop (a 100,000-event page is hundreds of MB)."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(None, Blob.of, html.encode(), "text/html; charset=utf-8")
