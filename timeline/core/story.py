"""The story's own words and language: title, standfirst and language, from an optional ``story.json``.

``language`` is a BCP 47 tag (``fa``, ``ar-IQ``, ``en-GB``; English when absent). The story's text stays
as the desk wrote it: the language says how the kit's own words, dates and direction go around it.

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

from ..errors import LoadError, OptionError
from ..i18n.tags import DEFAULT_LANGUAGE, Language, language
from ..problems import Problem

STORY_FILE = "story.json"
#: The data folder a kernel renders, set by ``timeline serve`` and ``timeline snapshot``.
DATA_ENV = "TIMELINE_DATA"
DEFAULTS = {"title": "Fact-check timeline", "standfirst": ""}
#: The author of ClaimReviews and feeds when neither ``--publisher`` nor story.json names one.
DEFAULT_PUBLISHER = "Fact-check timeline"
#: The fields of story.json's ``publisher`` object, in the order readers see them.
PUBLISHER_FIELDS = ("name", "url", "address", "contact", "funding")


def _read(folder: Path | None) -> tuple[Path | None, dict[str, object]]:
    """``folder/story.json``'s path and object (empty when there is none); ``LoadError`` when unreadable."""
    if folder is None:
        return None, {}
    path = Path(folder) / STORY_FILE
    if not path.exists():
        return path, {}
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        line = getattr(e, "lineno", None)
        where = f"{path}:{line}" if line else str(path)
        raise LoadError(
            f"{where}: story.json is not valid UTF-8 JSON ({e}); fix the syntax", str(path)
        ) from e
    if not isinstance(data, dict):
        raise LoadError(
            f"{path}: story.json must hold an object with 'title' and 'standfirst'", str(path)
        )
    return path, data


def story_meta(folder: Path | None) -> dict[str, str]:
    """``{"title", "standfirst"}`` from ``folder/story.json``, defaults where absent."""
    meta = dict(DEFAULTS)
    _, data = _read(folder)
    for key in DEFAULTS:
        value = data.get(key)
        if isinstance(value, str):
            meta[key] = value
    return meta


def publisher_info(folder: Path | None) -> dict[str, str]:
    """story.json's ``publisher`` (name, url, address, contact, funding; each stripped, absent
    ones left out), or ``{}`` without one. A ``publisher`` that is not an object of strings, or
    whose ``url`` is not an http(s) address, is a :class:`LoadError` naming the fix."""
    path, data = _read(folder)
    raw = data.get("publisher")
    if path is None or raw is None:
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


def _language_problem(
    path: Path | None, data: dict[str, object]
) -> tuple[Language, Problem | None]:
    """The story's language, or English and the problem that says why its ``language`` is refused."""
    value = data.get("language", DEFAULT_LANGUAGE)
    file = str(path) if path is not None else STORY_FILE
    line = _key_line(path, "language")
    if not isinstance(value, str):
        message = (
            f'must be a BCP 47 tag in quotes, such as "fa" or "en-GB", not {json.dumps(value)}'
        )
        return language(DEFAULT_LANGUAGE), Problem(file, line, "language", message)
    try:
        return language(value), None
    except OptionError as e:
        return language(DEFAULT_LANGUAGE), Problem(file, line, "language", str(e))


def _key_line(path: Path | None, key: str) -> int | None:
    """The line of ``"key":`` in ``path`` (1-based), for messages; None when it cannot be found."""
    if path is None or not path.exists():
        return None
    needle = f'"{key}"'
    for number, text in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), start=1):
        if needle in text:
            return number
    return None


def story_language(folder: Path | None) -> Language:
    """The story's language (tag and direction) from ``story.json``; English when it names none.

    ``LoadError`` (naming the file, the line and the tag to write) when it names one CLDR does not know.
    """
    path, data = _read(folder)
    found, problem = _language_problem(path, data)
    if problem is not None:
        raise LoadError(str(problem), str(path))
    return found


def check_story(folder: Path | None) -> list[Problem]:
    """What is wrong with ``folder/story.json``: unreadable, or a ``language`` CLDR does not know."""
    try:
        path, data = _read(folder)
    except LoadError as e:  # the message after its "file[:line]: " prefix, which Problem writes itself
        line = getattr(e.__cause__, "lineno", None)
        return [Problem(e.path or STORY_FILE, line, None, str(e).split(": ", 1)[-1])]
    problem = _language_problem(path, data)[1]
    return [problem] if problem is not None else []


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
