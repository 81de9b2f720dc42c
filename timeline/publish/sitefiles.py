"""Writing a built site incrementally: only files whose bytes change, and the files of deleted claims removed.

:class:`SiteWriter` compares each file's new bytes with what is on disk and writes
(atomically) only when they differ, so unchanged files keep their mtime and an upload
to a static host is small. It records what the build wrote in a manifest
(``.timeline-site.json``) so that the next build removes the files this one no longer
makes (a deleted claim's page and card), and never a file it did not write. The
manifest also keeps, per share card, a digest of what it was drawn from, so a card whose
inputs are unchanged is not drawn again, and per page (claim, claimant, category, sources, the
list's files and plain pages, the feeds) a digest of the data it shows (:meth:`SiteWriter.fresh`),
so a page whose data is unchanged is neither built nor rendered again. What a build keeps for the
next besides (``SiteWriter.cache``: the search index's records and terms) goes in ``CACHE_DIR``,
staged and moved into place with the site's files; it is not a file of the site.

Atomicity: nothing in the output folder changes before :meth:`SiteWriter.finish`. Each
changed file is written, as soon as it is made, into a private staging folder beside the
output folder (on the same file system, so no file's bytes wait in memory); ``finish``
moves each into place with an atomic rename, removes the stale files and writes the
manifest. A build that fails before ``finish`` removes the staging folder
(:meth:`SiteWriter.abort`): the output folder is as it was. Staged files are not
``fsync``-ed one by one (10 ms each, ten minutes for 60,000 files on a slow disk): a power
cut during a build may need the build run again, never a reader seeing a half-written file.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

from ..errors import ExportError

MANIFEST = ".timeline-site.json"
#: What a build keeps for the next one besides the manifest (``SiteWriter.cache``): not part of the site.
CACHE_DIR = ".timeline-cache"


def digest(*parts: object) -> str:
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False, default=str).encode()).hexdigest()


def stage(root: Path, staging: Path, rel: str, body: bytes) -> bool:
    """Put ``body`` at ``staging/rel`` unless ``root/rel`` already holds it; True when staged.
    Safe to call from a worker process: it touches only ``staging`` and reads ``root``."""
    path = root.joinpath(*rel.split("/"))
    try:
        if path.is_file() and path.stat().st_size == len(body) and path.read_bytes() == body:
            return False
    except OSError:
        pass
    dest = staging.joinpath(*rel.split("/"))
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_bytes(body)
    os.chmod(dest, 0o644)
    return True


#: What a writer recorded (:meth:`SiteWriter.made`): files staged, files kept, inputs, the files
#: kept for the next build, and those of them staged.
Made = tuple[list[str], list[str], dict[str, str], list[str], list[str]]


class SiteWriter:
    """Writes files under ``root`` when their bytes change; removes stale ones at ``finish``."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.written: list[str] = []
        self.unchanged: list[str] = []
        self.removed: list[str] = []
        self.files: set[str] = set()
        self.inputs: dict[str, str] = {}
        self._staging: Path | None = None  # made at the first changed file
        self._old_files: set[str] = set()
        self._old_inputs: dict[str, str] = {}
        self._old_cache: set[str] = set()
        self._existing: set[str] | None = None
        self.cached: list[str] = []  # the files kept for the next build (cache): all of them
        self.staged_cache: list[str] = []  # ... and those whose bytes changed
        manifest = root / MANIFEST
        if manifest.is_file():
            try:
                data = json.loads(manifest.read_text(encoding="utf-8"))
                self._old_files = set(data.get("files", []))
                self._old_inputs = dict(data.get("inputs", {}))
                self._old_cache = {
                    c for c in data.get("cache", []) if str(c).startswith(CACHE_DIR + "/")
                }
            except (ValueError, OSError, AttributeError):
                pass  # an unreadable manifest: nothing is removed, every card is drawn again

    def _path(self, rel: str) -> Path:
        parts = rel.split("/")
        if rel.startswith("/") or any(p in ("", ".", "..") for p in parts) or "\\" in rel:
            raise ExportError(f"refusing to write {rel!r} outside {self.root}")
        return self.root.joinpath(*parts)

    @property
    def staging(self) -> Path:
        """The private folder changed files wait in, beside the output folder (made on first use)."""
        if self._staging is None:
            parent = self.root.resolve().parent
            # The nearest folder that exists: nothing is made in the output's place before finish.
            while not parent.is_dir():
                parent = parent.parent
            self._staging = Path(
                tempfile.mkdtemp(prefix=f".{self.root.name}.building-", dir=parent)
            )
        return self._staging

    def put(self, rel: str, data: bytes | str) -> None:
        """Write ``rel`` (a ``/``-separated path under the root) at :meth:`finish`, unless it
        already holds ``data``."""
        body = data.encode("utf-8") if isinstance(data, str) else data
        self._path(rel)
        self.record(rel, stage(self.root, self.staging, rel, body))

    def record(self, rel: str, changed: bool, inputs: str | None = None) -> None:
        """Note that ``rel`` was made (staged when ``changed``), from ``inputs`` if given."""
        self._path(rel)
        if rel in self.files:  # made again in this build: the last one counts
            for made in (self.written, self.unchanged):
                if rel in made:
                    made.remove(rel)
        self.files.add(rel)
        if inputs is not None:
            self.inputs[rel] = inputs
        (self.written if changed else self.unchanged).append(rel)

    def kept(self, name: str) -> bytes | None:
        """What the last build kept as ``name`` (:meth:`cache`), or None."""
        try:
            return (self.root / CACHE_DIR / name).read_bytes()
        except OSError:
            return None

    def cache(self, name: str, body: bytes) -> None:
        """Keep ``body`` as ``name`` for the next build (in ``CACHE_DIR``, moved into place at
        :meth:`finish` with the site's files; not a file of the site, nor in the report)."""
        rel = f"{CACHE_DIR}/{name}"
        self._path(rel)
        self.cached.append(rel)
        if stage(self.root, self.staging, rel, body):
            self.staged_cache.append(rel)

    def prepare(self) -> None:
        """Make the staging folder and read the output folder's listing now: a process forked
        after this (``pool.side``) stages into the same folder and reads the same listing."""
        _ = self.staging
        self._exists("")

    def made(self) -> Made:
        """What this writer recorded: files staged, files kept, the digests of their inputs, and
        the kept files staged."""
        return (list(self.written), list(self.unchanged), dict(self.inputs),
                list(self.cached), list(self.staged_cache))  # fmt: skip

    def forget(self) -> None:
        """Start recording afresh (in a forked process: what it records is then its own)."""
        self.written, self.unchanged, self.files, self.inputs = [], [], set(), {}
        self.cached, self.staged_cache = [], []

    def merge(self, made: Made) -> None:
        """Record what another process recorded (:meth:`made`) with this writer's staging folder."""
        written, unchanged, inputs, cached, staged_cache = made
        self.inputs.update(inputs)
        self.cached += cached
        self.staged_cache += staged_cache
        both = self.files.intersection(written, unchanged)
        # Files only the other process made, in bulk (their names were checked there: a record()
        # each took 0.6 s at 60,000 list files); any this one made too, one by one: the last counts.
        self.written += [rel for rel in written if rel not in both]
        self.unchanged += [rel for rel in unchanged if rel not in both]
        self.files.update(written, unchanged)
        for rels, changed in ((written, True), (unchanged, False)):
            for rel in rels:
                if rel in both:
                    self.record(rel, changed)

    def _exists(self, rel: str) -> bool:
        """Whether ``rel`` is a file in the output folder (one listing of it, not a stat per file)."""
        if self._existing is None:
            self._existing = set()
            for folder, _, names in os.walk(self.root):
                prefix = Path(folder).relative_to(self.root).as_posix()
                prefix = "" if prefix == "." else prefix + "/"
                self._existing.update(prefix + name for name in names)
        return rel in self._existing

    def fresh(self, rel: str, inputs: str) -> bool:
        """True when ``rel`` exists and was made from the same ``inputs`` (a digest): keep it."""
        self.inputs[rel] = inputs
        if self._old_inputs.get(rel) == inputs and self._exists(rel):
            self.files.add(rel)
            self.unchanged.append(rel)
            return True
        return False

    def keep(self, rel: str) -> bool:
        """Keep ``rel`` with the key the last build gave it, when it exists and had one: for a file
        the caller knows is made from nothing that changed (without computing its key again)."""
        inputs = self._old_inputs.get(rel)
        return inputs is not None and self.fresh(rel, inputs)

    def finish(self) -> None:
        """Move the changed files into place, remove the files the last build wrote and this one
        did not, and write the manifest."""
        staging = self._staging
        for rel in [*self.written, *self.staged_cache]:
            dest = self._path(rel)
            dest.parent.mkdir(parents=True, exist_ok=True)
            assert staging is not None
            os.replace(staging.joinpath(*rel.split("/")), dest)
        emptied: set[Path] = set()
        for rel in sorted(self._old_files - self.files):
            path = self._path(rel)
            if path.is_file():
                path.unlink()
                self.removed.append(rel)
                emptied.add(path.parent)
        for rel in sorted(
            self._old_cache - set(self.cached)
        ):  # kept last time only (not paged now)
            path = self._path(rel)
            path.unlink(missing_ok=True)
            emptied.add(path.parent)
        # The folders those files leave empty (a story no longer paged: list/, search/), deepest
        # first, up to the root; a folder that still holds anything, of the user's too, stays.
        for folder in sorted(emptied, key=lambda p: len(p.parts), reverse=True):
            while folder != self.root and folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
                folder = folder.parent
        manifest = {"files": sorted(self.files), "inputs": dict(sorted(self.inputs.items())),
                    "cache": sorted(set(self.cached))}  # fmt: skip
        # Sorted already, and not indented: json's C encoder (indented, Python's took 0.3 s of every
        # build at 120,000 files).
        body = json.dumps(manifest, separators=(",", ":")).encode() + b"\n"
        path = self.root / MANIFEST
        if not (path.is_file() and path.read_bytes() == body):
            self.root.mkdir(parents=True, exist_ok=True)
            stage(self.root, self.staging, MANIFEST, body)
            os.replace(self.staging / MANIFEST, path)
        self.abort()

    def abort(self) -> None:
        """Forget the staged files (a failed build): the output folder stays as it was."""
        if self._staging is not None:
            shutil.rmtree(self._staging, ignore_errors=True)
            self._staging = None


__all__ = ["CACHE_DIR", "MANIFEST", "Made", "SiteWriter", "digest", "stage"]
