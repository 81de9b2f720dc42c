"""The data watcher: one content key for a data folder, cheap to ask again and again.

``timeline serve`` keeps a rendered page until this key changes, and the snapshot's
kernel uses the same ``stat`` to tell whether the story it prepared is still current.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

#: Files of a data folder that make up its content (tables, corrections, story.json).
DATA_SUFFIXES = (".csv", ".json")


class DataWatch:
    """The content key of a data folder (and the notebook): a cheap ``stat`` each call,
    a SHA-256 of the files only when a size or modification time moved."""

    def __init__(self, folder: Path, *files: Path) -> None:
        self.folder = Path(folder)
        self.files = [Path(f) for f in files]
        self._stat: tuple[tuple[str, int, int], ...] | None = None
        self._key = ""

    def paths(self) -> list[Path]:
        try:
            found = sorted(
                p
                for p in self.folder.iterdir()
                if p.suffix in DATA_SUFFIXES and not p.name.startswith(".") and p.is_file()
            )
        except OSError:
            found = []
        return [*found, *self.files]

    def stat(self) -> tuple[tuple[str, int, int], ...]:
        out = []
        for p in self.paths():
            try:
                st = p.stat()
            except OSError:
                continue
            out.append((str(p), st.st_size, st.st_mtime_ns))
        return tuple(out)

    def key(self) -> str:
        """A digest of the files' names and bytes; recomputed only when their stat changed."""
        st = self.stat()
        if st != self._stat:
            h = hashlib.sha256()
            for name, _, _ in st:
                try:
                    data = Path(name).read_bytes()
                except OSError:
                    continue
                h.update(f"{Path(name).name}\0{len(data)}\0".encode())
                h.update(data)
            self._stat, self._key = st, h.hexdigest()
        return self._key
