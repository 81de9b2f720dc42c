"""Making a site's many files on every core: a process pool fed small picklable payloads.

A task is ``(rel, kind, payload, inputs)``: the file to make under the output folder, what
kind of file it is, the plain data it is made from (a claim page's context, a share card's
text) and the digest of that data kept in the build manifest. ``run`` hands tasks to
``jobs`` worker processes in chunks, at most a few chunks ahead of the results, so neither
the payloads nor the files' bytes pile up in memory: a worker makes each file and stages it
itself (``sitefiles.stage``: only when its bytes differ from the file in place), and sends
back whether it did. With ``jobs=1``, or too few tasks to be worth starting workers, the
same function runs in this process: the bytes are the same either way.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import chain, islice
from pathlib import Path
from typing import Any

from .sitefiles import SiteWriter, stage

#: (rel, kind, payload, inputs digest)
Task = tuple[str, str, Any, str]
#: Makes a file's bytes from its kind and payload; a module-level function (pickled by name).
Maker = Callable[[str, Any], bytes]
#: Fewer tasks than this are made in this process: starting workers costs more than it saves.
SERIAL_BELOW = 48
#: Tasks per chunk sent to a worker, and chunks in flight per worker.
CHUNK = 16
AHEAD = 3


def default_jobs() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # pragma: no cover (macOS, Windows)
        return os.cpu_count() or 1


def _make(make: Maker, root: str, staging: str, chunk: list[tuple[str, str, Any]]) -> list[bool]:
    return [
        stage(Path(root), Path(staging), rel, make(kind, payload)) for rel, kind, payload in chunk
    ]


def _batched(tasks: Iterator[Task], n: int) -> Iterator[list[Task]]:
    while chunk := list(islice(tasks, n)):
        yield chunk


def run(tasks: Iterable[Task], writer: SiteWriter, make: Maker, jobs: int) -> None:
    """Make every task's file (staged in ``writer``), on ``jobs`` processes."""
    it = iter(tasks)
    first = list(islice(it, SERIAL_BELOW))
    root, staging = str(writer.root), str(writer.staging)
    if jobs <= 1 or len(first) < SERIAL_BELOW:
        for rel, kind, payload, inputs in chain(first, it):
            writer.record(rel, _make(make, root, staging, [(rel, kind, payload)])[0], inputs)
        return
    # fork where there is one: workers start at once, with the code and fonts already loaded, and
    # a script calling build_site needs no ``if __name__ == "__main__"`` guard (spawn's rule).
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    pending: deque[tuple[Future[list[bool]], list[Task]]] = deque()

    def collect() -> None:
        future, chunk = pending.popleft()
        for (rel, _, _, inputs), changed in zip(chunk, future.result()):
            writer.record(rel, changed, inputs)

    with ProcessPoolExecutor(jobs, mp_context=context) as pool:
        for chunk in _batched(chain(first, it), CHUNK):
            work = [(rel, kind, payload) for rel, kind, payload, _ in chunk]
            pending.append((pool.submit(_make, make, root, staging, work), chunk))
            if len(pending) >= jobs * AHEAD:
                collect()
        while pending:
            collect()


__all__ = ["SERIAL_BELOW", "Task", "default_jobs", "run"]
