"""Making a site's many files on every core: a process pool fed small picklable payloads.

A task is ``(rel, kind, payload, inputs)``: the file to make under the output folder, what
kind of file it is, the plain data it is made from (a claim page's context, a share card's
text) and the digest of that data kept in the build manifest. ``run`` hands tasks to
``jobs`` worker processes in chunks, at most a few chunks ahead of the results, so neither
the payloads nor the files' bytes pile up in memory: a worker makes each file and stages it
itself (``sitefiles.stage``: only when its bytes differ from the file in place), and sends
back whether it did. With ``jobs=1``, or too few tasks to be worth starting workers, the
same function runs in this process: the bytes are the same either way.

``side`` runs one part of a build (the index, its list and search files) in a process forked
from this one, while this one goes on with the rest: a rebuild's whole-archive passes use both
cores. The forked process stages its files in the same folder and hands back what it recorded.
"""

from __future__ import annotations

import multiprocessing
import os
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import chain, islice
from pathlib import Path
from typing import Any, Generic, TypeVar

from ..errors import ExportError
from .sitefiles import SiteWriter, stage

_R = TypeVar("_R")

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


def _fork() -> Any:
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork") if "fork" in methods else None


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
    context = _fork() or multiprocessing.get_context("spawn")
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


class _Beside(Exception):
    """The traceback of an error raised in the process beside the build."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text

    def __str__(self) -> str:
        return f'\n"""\n(in the process beside the build)\n{self.text}"""'


class Side(Generic[_R]):
    """A part of the build running beside this process (:func:`side`); :meth:`result` waits for it."""

    def __init__(self, fn: Callable[[], _R], writer: SiteWriter, fork: bool) -> None:
        self.writer = writer
        self.process: Any = None
        self.done: tuple[bool, Any] | None = None
        context = _fork() if fork else None
        if context is None:  # one process asked for, or no fork here: made now, in this process
            self.done = (True, fn())
            return
        writer.prepare()  # one staging folder and one listing of the output for both processes
        self.conn, theirs = context.Pipe(duplex=False)
        self.process = context.Process(target=self._run, args=(fn, writer, theirs), daemon=True)
        self.process.start()
        theirs.close()

    @staticmethod
    def _run(fn: Callable[[], Any], writer: SiteWriter, conn: Any) -> None:
        writer.forget()
        message: tuple[bool, Any, str]
        try:
            message = (True, (fn(), writer.made()), "")
        except BaseException as error:  # handed to the building process, raised there
            message = (False, error, traceback.format_exc())
        try:
            conn.send(message)
        except Exception:  # an error (or a result) that does not pickle: said in words
            conn.send(
                (False, ExportError(f"{type(message[1]).__name__}: {message[1]}"), message[2])
            )
        conn.close()

    def result(self) -> _R:
        """What the part returned, once its files are recorded in the writer; its error, raised here."""
        if self.done is None:
            try:
                ok, value, where = self.conn.recv()
            except EOFError:
                stopped = "a process of the build stopped before it finished; build again"
                ok, value, where = False, ExportError(stopped), ""
            self.process.join()
            if ok:
                value, made = value
                self.writer.merge(made)
            elif where:  # the forked process's traceback, as concurrent.futures chains a worker's
                value.__cause__ = _Beside(where)
            self.done = (ok, value)
        ok, value = self.done
        if not ok:
            raise value
        result: _R = value
        return result

    def stop(self) -> None:
        """Stop the part if it still runs (the build failed elsewhere)."""
        if self.process is not None and self.process.is_alive():
            self.process.terminate()
            self.process.join()


def side(fn: Callable[[], _R], writer: SiteWriter, jobs: int) -> Side[_R]:
    """Run ``fn`` (which writes through ``writer``) in a forked process beside this one when
    ``jobs`` > 1, else now; ``.result()`` gives its return value (picklable) once the files it
    made are recorded in ``writer``. Call ``.stop()`` when the build fails before that."""
    return Side(fn, writer, jobs > 1)


__all__ = ["SERIAL_BELOW", "Side", "Task", "default_jobs", "run", "side"]
