"""The story's own words: title and standfirst, from an optional ``story.json`` in the data folder."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from ..errors import LoadError, OptionError, SaveError
from ..problems import Problem
from .schema import TABLES

STORY_FILE = "story.json"
#: The files that make a data folder a story: a new story refuses a folder holding any of them.
STORY_FILES = (*(t.filename for t in TABLES), "corrections.csv", STORY_FILE)
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
        raise LoadError(
            f"{where}: story.json is not valid UTF-8 JSON ({e}); fix the syntax", str(path)
        ) from e
    if not isinstance(data, dict):
        raise LoadError(
            f"{path}: story.json must hold an object with 'title' and 'standfirst'", str(path)
        )
    for key in DEFAULTS:
        if key in data and isinstance(data[key], str):
            meta[key] = data[key]
    return meta


def data_folder(folder: str | os.PathLike[str] | None = None) -> Path:
    """``folder``, else ``$TIMELINE_DATA``, else the nearest ``data/`` folder upwards.

    A relative ``$TIMELINE_DATA`` is read from where the analyst launched (see
    :func:`launch_dir`), not from a kernel's own directory (``notebooks/``), and the
    folder is returned absolute, so that every message names the path it tried.
    """
    if folder is not None:
        return Path(folder)
    if os.environ.get(DATA_ENV):
        return launch_dir() / Path(os.environ[DATA_ENV]).expanduser()
    here = Path.cwd()
    for candidate in (here, *here.parents):
        if (candidate / "data" / "events.csv").exists():
            return candidate / "data"
    return here / "data"


def launch_dir() -> Path:
    """The folder the analyst launched from.

    In a kernel that JupyterLab, Voila or ``timeline serve`` started (they run it in the
    notebook's folder and name themselves in ``JPY_PARENT_PID``): the server's working
    directory, read from ``/proc`` (Linux), else the launching shell's ``$PWD``. Anywhere
    else: the working directory.
    """
    parent = os.environ.get("JPY_PARENT_PID")
    if parent:
        try:
            return Path(os.readlink(f"/proc/{int(parent)}/cwd"))
        except (OSError, ValueError):
            pass
        pwd = os.environ.get("PWD", "")
        if os.path.isabs(pwd) and os.path.isdir(pwd):
            return Path(pwd)
    return Path.cwd()


def check_story(folder: Path | None) -> list[Problem]:
    """Problems of ``folder/story.json``: an error if it cannot be read, a warning if there is no title."""
    if folder is None:
        return []
    path = Path(folder) / STORY_FILE
    default = DEFAULTS["title"]
    if path.exists():
        try:
            meta = story_meta(folder)
        except LoadError as e:
            where = re.match(rf"{re.escape(str(path))}(?::(\d+))?: ", str(e))
            line = int(where.group(1)) if where and where.group(1) else None
            return [Problem(str(path), line, None, str(e)[where.end() if where else 0 :])]
        if meta["title"].strip():
            return []
    elif not any((Path(folder) / name).exists() for name in STORY_FILES):
        return [
            Problem(
                str(path),
                None,
                None,
                f"the folder holds no story; start one with: timeline new {folder} --title TITLE",
                "warning",
            )
        ]
    else:
        return [
            Problem(
                str(path),
                None,
                None,
                f"the file is missing, so the story has no title: the site, share cards and snapshot are "
                f'headed \'{default}\'; create it holding {{"title": "...", "standfirst": "..."}}',
                "warning",
            )
        ]
    return [
        Problem(
            str(path),
            None,
            "title",
            f"the story has no title: the site, share cards and snapshot are headed '{default}'; "
            "give it one",
            "warning",
        )
    ]


def story_title(folder: Path) -> str:
    """The story's title for a page's <title>; the default title when story.json is unusable."""
    try:
        title = story_meta(folder)["title"].strip()
    except LoadError:
        title = ""
    return title or DEFAULTS["title"]


def story_json(title: str, standfirst: str) -> str:
    """The canonical text of ``story.json``: UTF-8 as written, two-space indents, a final newline."""
    return (
        json.dumps({"title": title, "standfirst": standfirst}, ensure_ascii=False, indent=2) + "\n"
    )


def new_story(folder: str | os.PathLike[str], *, title: str, standfirst: str = "") -> list[str]:
    """Create a valid empty story in ``folder`` (made if missing); return the names of the files written.

    Writes events.csv, claims.csv and sources.csv holding their header rows and
    ``story.json`` with the title and standfirst. Refuses (writes nothing) when the
    title is empty or the folder already holds a story file; the files appear
    together or not at all.
    """
    path = Path(folder)
    if not title.strip():
        raise OptionError(
            "the story needs a title (the site, cards and snapshot are headed with it); give one"
        )
    if path.exists() and not path.is_dir():
        raise LoadError(
            f"{path} is a file, not a folder; choose a new folder for the story", str(path)
        )
    taken = [name for name in STORY_FILES if (path / name).exists()]
    if taken:
        raise SaveError(
            f"{path} already holds {', '.join(taken)}; nothing was written. Choose a new or empty "
            "folder, or open this story as it is"
        )
    # Here, not at the top: the serve launcher imports this module, and store brings pandas.
    from .store import commit_files

    texts = {t.filename: ",".join(t.header) + "\n" for t in TABLES}
    texts[STORY_FILE] = story_json(title.strip(), standfirst.strip())
    made = not path.exists()
    try:
        path.mkdir(parents=True, exist_ok=True)
        commit_files(path, texts)
    except OSError as e:
        if made and path.is_dir() and not any(path.iterdir()):
            path.rmdir()
        raise SaveError(
            f"{path}: cannot create the story ({e.strerror or e}); nothing was written"
        ) from e
    return list(texts)
