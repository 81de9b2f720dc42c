"""The story's own words: title and standfirst, from an optional ``story.json`` in the data folder."""

from __future__ import annotations

import json
import os
from pathlib import Path

from ..errors import LoadError

STORY_FILE = "story.json"
#: The data folder a kernel renders, set by ``timeline serve`` and ``timeline snapshot``.
DATA_ENV = "TIMELINE_DATA"
DEFAULTS = {"title": "Fact-check timeline", "standfirst": ""}


def story_meta(folder: Path | None) -> dict[str, str]:
    """``{"title", "standfirst"}`` from ``folder/story.json``, defaults where absent."""
    meta = dict(DEFAULTS)
    if folder is None:
        return meta
    path = Path(folder) / STORY_FILE
    if not path.exists():
        return meta
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        line = getattr(e, "lineno", None)
        where = f"{path}:{line}" if line else str(path)
        raise LoadError(f"{where}: story.json is not valid UTF-8 JSON ({e}); fix the syntax", str(path)) from e
    if not isinstance(data, dict):
        raise LoadError(f"{path}: story.json must hold an object with 'title' and 'standfirst'", str(path))
    for key in DEFAULTS:
        if key in data and isinstance(data[key], str):
            meta[key] = data[key]
    return meta


def data_folder(folder: str | os.PathLike[str] | None = None) -> Path:
    """``folder``, else ``$TIMELINE_DATA``, else the nearest ``data/`` folder upwards."""
    if folder is not None:
        return Path(folder)
    if os.environ.get(DATA_ENV):
        return Path(os.environ[DATA_ENV])
    here = Path.cwd()
    for candidate in (here, *here.parents):
        if (candidate / "data" / "events.csv").exists():
            return candidate / "data"
    return here / "data"


def story_title(folder: Path) -> str:
    """The story's title for a page's <title>; the default title when story.json is unusable."""
    try:
        title = story_meta(folder)["title"].strip()
    except LoadError:
        title = ""
    return title or DEFAULTS["title"]
