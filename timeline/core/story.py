"""The story's own words: title and standfirst, from an optional ``story.json`` in the data folder.

``story.json`` may also say who publishes the fact checks (IFCN's transparency of organisation
and funding), as an object::

    "publisher": {"name": "...", "url": "https://...", "address": "...", "contact": "...",
                  "funding": "..."}

:func:`publisher_info` reads it; :func:`publisher_name` decides which name is the author of
the ClaimReviews and feeds: a name given on the command line (``--publisher``) first, then
story.json's, then :data:`DEFAULT_PUBLISHER`.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from ..errors import LoadError

STORY_FILE = "story.json"
#: The data folder a kernel renders, set by ``timeline serve`` and ``timeline snapshot``.
DATA_ENV = "TIMELINE_DATA"
DEFAULTS = {"title": "Fact-check timeline", "standfirst": ""}
#: The author of ClaimReviews and feeds when neither ``--publisher`` nor story.json names one.
DEFAULT_PUBLISHER = "Fact-check timeline"
#: The fields of story.json's ``publisher`` object, in the order readers see them.
PUBLISHER_FIELDS = ("name", "url", "address", "contact", "funding")


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


def _read(path: Path) -> object:
    try:
        return json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        line = getattr(e, "lineno", None)
        where = f"{path}:{line}" if line else str(path)
        raise LoadError(f"{where}: story.json is not valid UTF-8 JSON ({e}); fix the syntax", str(path)) from e


def publisher_info(folder: Path | None) -> dict[str, str]:
    """story.json's ``publisher`` (name, url, address, contact, funding; each stripped, absent
    ones left out), or ``{}`` without one. A ``publisher`` that is not an object of strings, or
    whose ``url`` is not an http(s) address, is a :class:`LoadError` naming the fix."""
    if folder is None or not (Path(folder) / STORY_FILE).exists():
        return {}
    path = Path(folder) / STORY_FILE
    data = _read(path)
    raw = data.get("publisher") if isinstance(data, dict) else None
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise LoadError(
            f"{path}: 'publisher' must be an object, e.g. {{\"name\": \"Example Fact Desk\", "
            f"\"contact\": \"...\"}}; fix it or remove it", str(path)
        )
    info: dict[str, str] = {}
    for key in PUBLISHER_FIELDS:
        value = raw.get(key)
        if value is None:
            continue
        if not isinstance(value, str):
            raise LoadError(f"{path}: publisher.{key} must be a string; write it in quotes", str(path))
        if value.strip():
            info[key] = " ".join(value.split())
    unknown = sorted(set(raw) - set(PUBLISHER_FIELDS))
    if unknown:
        raise LoadError(
            f"{path}: publisher has unknown field(s) {', '.join(unknown)}; use only "
            f"{', '.join(PUBLISHER_FIELDS)}", str(path)
        )
    url = info.get("url", "")
    if url and not re.match(r"^https?://[^/\s]+", url):
        raise LoadError(f"{path}: publisher.url {url!r} is not an absolute http(s) address; fix it or remove it", str(path))
    return info


def publisher_name(given: str | None, folder: Path | None) -> str:
    """Who publishes the fact checks: ``given`` (the ``--publisher`` option) when it is set,
    else story.json's ``publisher.name``, else :data:`DEFAULT_PUBLISHER`."""
    if given is not None and given.strip():
        return given.strip()
    return publisher_info(folder).get("name") or DEFAULT_PUBLISHER


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
