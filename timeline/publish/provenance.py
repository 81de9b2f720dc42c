"""Where a snapshot came from: build time, data digests, package version and git commit.

``SOURCE_DATE_EPOCH`` (https://reproducible-builds.org/specs/source-date-epoch/)
fixes the build time, so that the same data and code give a byte-identical
snapshot. The git commit is the one checked out where the data folder lives,
with a flag when the data files differ from it (edited, never committed, or ignored).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from ..core.schema import TABLES
from ..errors import ExportError
from ..version import __version__

EPOCH_ENV = "SOURCE_DATE_EPOCH"
OPTIONAL_FILES = ("story.json",)  # hashed too when present: it sets the story's title


@dataclass(frozen=True)
class Provenance:
    """What a snapshot records about its own making."""

    built: datetime  # UTC, whole seconds
    sha256: dict[str, str]  # file name (events.csv, ...) -> hex digest of its bytes
    version: str
    git_commit: str | None  # full hash, or None outside a git checkout
    git_dirty: bool = False  # the data files differ from that commit (edited, untracked, ignored)

    @property
    def built_iso(self) -> str:
        """``2026-11-25T13:05:00Z``."""
        return self.built.strftime("%Y-%m-%dT%H:%M:%SZ")

    @property
    def built_text(self) -> str:
        """``25 Nov 2026, 13:05 UTC``, for readers."""
        return f"{self.built.day} {self.built:%b %Y, %H:%M} UTC"

    def meta(self) -> list[tuple[str, str]]:
        """``(name, content)`` pairs for the page's ``<meta>`` tags, in a fixed order."""
        pairs = [
            ("timeline:built", self.built_iso),
            ("timeline:version", self.version),
            ("timeline:git-commit", self.git_commit or "none"),
        ]
        if self.git_commit:
            pairs.append(("timeline:git-data-committed", "no" if self.git_dirty else "yes"))
        pairs.extend((f"timeline:sha256:{name}", digest) for name, digest in self.sha256.items())
        return pairs


def build_time(environ: Mapping[str, str] | None = None) -> datetime:
    """Now (UTC, whole seconds), or the time ``SOURCE_DATE_EPOCH`` gives."""
    env = os.environ if environ is None else environ
    raw = env.get(EPOCH_ENV, "").strip()
    if not raw:
        return datetime.now(timezone.utc).replace(microsecond=0)
    try:
        return datetime.fromtimestamp(int(raw), timezone.utc)
    except (ValueError, OverflowError, OSError):
        raise ExportError(
            f"{EPOCH_ENV}={raw!r} is not a number of seconds since 1970-01-01 UTC; "
            f"set it to e.g. $(git log -1 --format=%ct) or unset it"
        ) from None


def data_files(folder: Path) -> list[str]:
    """The names of the files a snapshot is built from: the three CSVs, then story.json if any."""
    return [t.filename for t in TABLES] + [n for n in OPTIONAL_FILES if (folder / n).is_file()]


def file_digests(folder: Path) -> dict[str, str]:
    """SHA-256 of the bytes of each data file, keyed by file name (events.csv first)."""
    out: dict[str, str] = {}
    for name in data_files(folder):
        path = folder / name
        try:
            out[name] = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError as e:
            raise ExportError(f"{path}: cannot be read ({e.strerror or e})") from e
    return out


def _git(folder: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(
            ["git", "-C", str(folder), *args],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def git_state(folder: Path) -> tuple[str | None, bool]:
    """The commit checked out where ``folder`` lives, and whether its data files differ from it."""
    commit = _git(folder, "rev-parse", "--verify", "--quiet", "HEAD")
    if not commit:
        return None, False
    names = [*(t.filename for t in TABLES), *OPTIONAL_FILES]
    status = _git(
        folder, "status", "--porcelain", "--untracked-files=all", "--ignored", "--", *names
    )
    return commit, bool(status) or status is None


def collect(
    folder: str | os.PathLike[str], *, environ: Mapping[str, str] | None = None
) -> Provenance:
    """The provenance of a snapshot of ``folder`` built now (or at ``SOURCE_DATE_EPOCH``)."""
    path = Path(folder)
    commit, dirty = git_state(path)
    return Provenance(
        built=build_time(environ),
        sha256=file_digests(path),
        version=__version__,
        git_commit=commit,
        git_dirty=dirty,
    )
