"""A long story's list and its claim pages, answered in a process of their own.

``events``, ``search``, ``sources`` and ``chart`` (timeline.views.listing) and ``claims/<id>.html``
(timeline.views.claim_page) are answered from the data's last good version. Building an
answer is Python work: a worst-case search makes eight passes over every event's text. In
the server's own interpreter that work, even in a thread, holds the lock the event loop
needs to send pages, and a flood of such searches slowed every reader's ``/`` to seconds.
So :class:`ListWorker` hands every answer to **one worker process** (spawned on first use),
which loads the data itself and keeps one :class:`~timeline.views.listing.Listing` per data
version. The server only passes a few words in and gzipped bytes out.

At most one answer is built and :data:`LIST_WAITING` more wait; past that :meth:`Gate.run`
raises :class:`Overloaded` at once, which the handlers answer with a quick 503 and
``Retry-After`` (the page's script waits and asks again). A worker that dies (killed, out
of memory) is replaced on the next request; the request it was building gets the 503.
"""

from __future__ import annotations

import asyncio
import json
import logging
import multiprocessing
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from ..views.claim_page import ClaimPages, PageLinks
from ..views.contract import CLAIM_HREF
from ..views.listing import Listing
from ..views.render import MAX_IDS
from .responses import gzipped

#: List requests waiting for the worker beyond the one it builds; past it: 503.
LIST_WAITING = 16

T = TypeVar("T")
LOG = logging.getLogger("TimelineVoila")


class Overloaded(Exception):
    """The worker is busy and LIST_WAITING requests already wait (or the worker just died)."""


class NoData(Exception):
    """The data has no good version yet (broken from the start): nothing to list."""


class Gate:
    """Work done in ``workers`` threads (or processes) of its own, at most ``waiting`` more jobs
    queued; past that :meth:`run` raises :class:`Overloaded` at once. Used from the event loop only."""

    def __init__(
        self,
        *,
        workers: int = 1,
        waiting: int = LIST_WAITING,
        processes: bool = False,
        name: str = "timeline-list",
    ) -> None:
        def make() -> Executor:
            if processes:  # spawned: the server's threads and sockets are not copied into it
                return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))
            return ThreadPoolExecutor(max_workers=workers, thread_name_prefix=name)

        self._make = make
        self.executor: Executor | None = None
        self.limit = workers + waiting
        self.admitted = 0

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        if self.admitted >= self.limit:
            raise Overloaded
        if self.executor is None:
            self.executor = self._make()
        executor = self.executor
        self.admitted += 1
        try:
            return await asyncio.get_running_loop().run_in_executor(executor, fn, *args)
        except BrokenProcessPool:
            LOG.error("The list's worker process died; a new one starts with the next request")
            if self.executor is executor:
                self.executor = None
            raise Overloaded from None
        finally:
            self.admitted -= 1

    def close(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=False, cancel_futures=True)
            self.executor = None


@dataclass(frozen=True)
class Ask:
    """One request for the worker: ``what`` is ``search`` (``arg`` the text), ``ids`` (a list of
    ids), ``events`` or ``sources`` (an offset), ``chart`` (``arg`` None: the chart's data; a
    number K: its K-th block of titles), ``claim`` (a claim's id) or ``warm`` (load only)."""

    what: str
    arg: Any = None
    css_url: str = ""


# ----------------------------------------------------------------- in the worker process
#: The worker's data: (data key, the listing, its claim pages once asked for).
_held: dict[str, Any] = {}


def _load(folder: Path) -> Listing | None:
    from ..core.dataset import load
    from ..errors import TimelineError

    try:
        ds = load(folder)
    except TimelineError:
        return None
    if ds.errors():
        return None
    return Listing(ds, claim_href=CLAIM_HREF)  # the claim pages this server answers


def _listing(folder: str, key: str) -> Listing:
    """The listing for data version ``key``: loaded when it changed; broken data keeps the last good one."""
    if _held.get("key") != key:
        loaded = _load(Path(folder))
        if loaded is not None:
            _held.clear()
            _held.update(key=key, listing=loaded)
    if "listing" not in _held:
        raise NoData
    listing: Listing = _held["listing"]
    return listing


def _chart(listing: Listing) -> tuple[bytes, int]:
    """The ``chart`` answer gzipped, made once per data version (every page asks for it)."""
    packed: tuple[bytes, int] | None = _held.get("chart")
    if packed is None:
        packed = _held["chart"] = gzipped(listing.chart_answer())
    return packed


def answer(folder: str, key: str, ask: Ask) -> tuple[bytes, int]:
    """The gzipped answer to ``ask`` and its length (run in the worker process).

    :class:`NoData` when the data never had a good version; ``KeyError`` for an unknown claim
    or a block of titles past the last event."""
    listing = _listing(folder, key)
    if ask.what == "warm":  # the chart's data is asked for as soon as the page's chart is drawn
        _chart(listing)
        return b"", 0
    if ask.what == "search":
        return gzipped(json.dumps(listing.search(ask.arg), separators=(",", ":")).encode())
    if ask.what == "ids":
        return gzipped(listing.items_answer(ask.arg[:MAX_IDS]))
    if ask.what == "chart":
        if ask.arg is None:
            return _chart(listing)
        try:
            return gzipped(listing.titles_answer(ask.arg))
        except IndexError:
            raise KeyError(ask.arg) from None
    if ask.what == "events":
        return gzipped(listing.page(ask.arg, css_url=ask.css_url).encode())
    if ask.what == "sources":
        return gzipped(listing.sources_page(ask.arg, css_url=ask.css_url).encode())
    if ask.what == "claim":
        pages = _held.get("claims")
        if pages is None:
            pages = _held["claims"] = ClaimPages(listing.ds)
        if ask.arg not in pages.claims:
            raise KeyError(ask.arg)
        links = PageLinks(home="../", stylesheets=(f"../{ask.css_url}",))
        return gzipped(pages.render(ask.arg, links=links).encode())
    raise ValueError(f"unknown request {ask.what!r}")


# ----------------------------------------------------------------- in the server
class ListWorker:
    """The server's side: each :class:`Ask` sent to the worker process with the data's current key."""

    def __init__(
        self, folder: str | Path, key: Callable[[], str], *, waiting: int = LIST_WAITING
    ) -> None:
        self.folder = str(folder)
        self.key = key
        self.gate = Gate(waiting=waiting, processes=True)

    async def answer(self, ask: Ask) -> tuple[bytes, int]:
        """The answer; :class:`Overloaded` (busy), :class:`NoData` or ``KeyError`` (no such claim)."""
        return await self.gate.run(answer, self.folder, self.key(), ask)

    async def warm(self) -> None:
        """Start the worker and load the current data (a paged page's list will ask soon)."""
        LOG.info("Loading the list's data for version %s", self.key()[:12])
        try:
            await self.answer(Ask("warm"))
        except (Overloaded, NoData):
            pass
        except Exception:
            LOG.exception("Loading the list's data failed")

    def close(self) -> None:
        self.gate.close()


__all__ = ["LIST_WAITING", "Ask", "Gate", "ListWorker", "NoData", "Overloaded", "answer"]
