"""Writing a built site incrementally: only files whose bytes change, and the files of deleted claims removed.

:class:`SiteWriter` compares each file's new bytes with what is on disk and writes
(atomically) only when they differ, so unchanged files keep their mtime and an upload
to a static host is small. It records what the build wrote in a manifest
(``.timeline-site.json``) so that the next build removes the files this one no longer
makes (a deleted claim's page and card), and never a file it did not write. The
manifest also keeps, per share card, a digest of what it was drawn from, so a card whose
inputs are unchanged is not drawn again. Nothing is written before :meth:`SiteWriter.finish`:
a build that fails leaves the output folder as it was.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ..core.store import write_atomic
from ..errors import ExportError

MANIFEST = ".timeline-site.json"


def digest(*parts: object) -> str:
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False, default=str).encode()).hexdigest()


class SiteWriter:
    """Writes files under ``root`` when their bytes change; removes stale ones at ``finish``."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.written: list[str] = []
        self.unchanged: list[str] = []
        self.removed: list[str] = []
        self.files: set[str] = set()
        self.inputs: dict[str, str] = {}
        self._pending: dict[str, bytes] = {}  # written at finish, once the whole build succeeded
        self._old_files: set[str] = set()
        self._old_inputs: dict[str, str] = {}
        manifest = root / MANIFEST
        if manifest.is_file():
            try:
                data = json.loads(manifest.read_text(encoding="utf-8"))
                self._old_files = set(data.get("files", []))
                self._old_inputs = dict(data.get("inputs", {}))
            except (ValueError, OSError, AttributeError):
                pass  # an unreadable manifest: nothing is removed, every card is drawn again

    def _path(self, rel: str) -> Path:
        parts = rel.split("/")
        if rel.startswith("/") or any(p in ("", ".", "..") for p in parts) or "\\" in rel:
            raise ExportError(f"refusing to write {rel!r} outside {self.root}")
        return self.root.joinpath(*parts)

    def put(self, rel: str, data: bytes | str) -> None:
        """Write ``rel`` (a ``/``-separated path under the root) at :meth:`finish`, unless it
        already holds ``data``."""
        body = data.encode("utf-8") if isinstance(data, str) else data
        path = self._path(rel)
        self.files.add(rel)
        try:
            if path.is_file() and path.stat().st_size == len(body) and path.read_bytes() == body:
                self.unchanged.append(rel)
                return
        except OSError:
            pass
        self._pending[rel] = body
        self.written.append(rel)

    def fresh(self, rel: str, inputs: str) -> bool:
        """True when ``rel`` exists and was made from the same ``inputs`` (a digest): keep it."""
        self.inputs[rel] = inputs
        if self._old_inputs.get(rel) == inputs and self._path(rel).is_file():
            self.files.add(rel)
            self.unchanged.append(rel)
            return True
        return False

    def finish(self) -> None:
        """Write the changed files, remove the files the last build wrote and this one did not,
        and write the manifest."""
        for rel, body in self._pending.items():
            _write(self._path(rel), body)
        self._pending.clear()
        for rel in sorted(self._old_files - self.files):
            path = self._path(rel)
            if path.is_file():
                path.unlink()
                self.removed.append(rel)
        manifest = {"files": sorted(self.files), "inputs": dict(sorted(self.inputs.items()))}
        body = json.dumps(manifest, indent=1, sort_keys=True).encode() + b"\n"
        path = self.root / MANIFEST
        if not (path.is_file() and path.read_bytes() == body):
            _write(path, body)


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, data)


__all__ = ["MANIFEST", "SiteWriter", "digest"]
