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

import difflib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import LoadError, OptionError, SaveError
from ..i18n.markers import N_, Message
from ..i18n.tags import DEFAULT_LANGUAGE, Language, language
from ..problems import Problem
from .schema import NO_CLAIMS, TABLES, VERDICT_BY_KEY

STORY_FILE = "story.json"
#: The files that make a data folder a story: a new story refuses a folder holding any of them.
STORY_FILES = (*(t.filename for t in TABLES), "corrections.csv", STORY_FILE)
#: The data folder a kernel renders, set by ``timeline serve`` and ``timeline snapshot``.
DATA_ENV = "TIMELINE_DATA"
DEFAULTS = {"title": N_("Fact-check timeline"), "standfirst": ""}
#: The author of ClaimReviews and feeds when neither ``--publisher`` nor story.json names one.
DEFAULT_PUBLISHER = N_("Fact-check timeline")
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
            f'{path}: \'publisher\' must be an object, e.g. {{"name": "Example Fact Desk", '
            f'"contact": "..."}}; fix it or remove it',
            str(path),
        )
    info: dict[str, str] = {}
    for key in PUBLISHER_FIELDS:
        value = raw.get(key)
        if value is None:
            continue
        if not isinstance(value, str):
            raise LoadError(
                f"{path}: publisher.{key} must be a string; write it in quotes", str(path)
            )
        if value.strip():
            info[key] = " ".join(value.split())
    unknown = sorted(set(raw) - set(PUBLISHER_FIELDS))
    if unknown:
        raise LoadError(
            f"{path}: publisher has unknown field(s) {', '.join(unknown)}; use only "
            f"{', '.join(PUBLISHER_FIELDS)}",
            str(path),
        )
    url = info.get("url", "")
    if url and not re.match(r"^https?://[^/\s]+", url):
        raise LoadError(
            f"{path}: publisher.url {url!r} is not an absolute http(s) address; fix it or remove it",
            str(path),
        )
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
        message = Message(
            N_('must be a BCP 47 tag in quotes, such as "fa" or "en-GB", not %(value)s'),
            value=json.dumps(value),
        )
        return language(DEFAULT_LANGUAGE), Problem(file, line, "language", message)
    try:
        return language(value), None
    except OptionError as e:
        said = e.args[0] if e.args and isinstance(e.args[0], Message) else str(e)
        return language(DEFAULT_LANGUAGE), Problem(file, line, "language", said)


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


#: The calendars story.json's ``calendar`` may name (timeline.i18n.calendars' names).
STORY_CALENDARS = ("gregorian", "persian", "islamic-umalqura")
#: What story.json's ``verdicts`` may give each verdict: the desk's own label and meaning.
VERDICT_FIELDS = ("label", "meaning")


@dataclass(frozen=True)
class StoryLocale:
    """How the pages write the story's dates and verdicts, from story.json.

    ``calendar`` (``None``: the language's default, Solar Hijri for ``fa``) and ``also_gregorian`` (the
    Gregorian date beside another calendar's); ``verdicts`` maps a verdict key to the desk's own
    ``{"label": ..., "meaning": ...}`` (either may be absent: the catalogue's then).
    """

    calendar: str | None = None
    also_gregorian: bool = False
    verdicts: dict[str, dict[str, str]] = field(default_factory=dict)


def _locale_problems(
    path: Path | None, data: dict[str, object]
) -> tuple[StoryLocale, list[Problem]]:
    """story.json's ``calendar``, ``also_gregorian`` and ``verdicts``, and the problems of each."""
    file = str(path) if path is not None else STORY_FILE
    problems: list[Problem] = []
    calendar = data.get("calendar")
    if calendar is not None and calendar not in STORY_CALENDARS:
        problems.append(Problem(file, _key_line(path, "calendar"), "calendar",
                                Message(N_("unknown calendar %(value)s; write one of: %(calendars)s"),
                                        value=json.dumps(calendar),
                                        calendars=", ".join(f'"{c}"' for c in STORY_CALENDARS))))  # fmt: skip
        calendar = None
    also = data.get("also_gregorian", False)
    if not isinstance(also, bool):
        problems.append(Problem(file, _key_line(path, "also_gregorian"), "also_gregorian",
                                Message(N_("must be true or false (no quotes), not %(value)s"),
                                        value=json.dumps(also))))  # fmt: skip
        also = False
    raw = data.get("verdicts", {})
    verdicts: dict[str, dict[str, str]] = {}
    keys = [*VERDICT_BY_KEY, NO_CLAIMS.key]
    if not isinstance(raw, dict):
        problems.append(Problem(file, _key_line(path, "verdicts"), "verdicts",
                                Message(N_('must be an object, e.g. {"needs-context": {"label": "...", "meaning": "..."}}'))))  # fmt: skip
        raw = {}
    for key, given in raw.items():
        line = _key_line(path, key)
        if key not in keys:
            hint = difflib.get_close_matches(str(key), keys, n=1)
            verdicts_named = ", ".join(keys)
            problems.append(Problem(file, line, f"verdicts.{key}", (
                Message(N_("unknown verdict '%(key)s'; did you mean '%(match)s'? the verdicts are: %(verdicts)s"),
                        key=key, match=hint[0], verdicts=verdicts_named) if hint else
                Message(N_("unknown verdict '%(key)s'; the verdicts are: %(verdicts)s"),
                        key=key, verdicts=verdicts_named))))  # fmt: skip
            continue
        if (
            not isinstance(given, dict)
            or set(given) - set(VERDICT_FIELDS)
            or not all(isinstance(v, str) and v.strip() for v in given.values())
        ):
            problems.append(Problem(file, line, f"verdicts.{key}",
                                    Message(N_('must be an object of non-empty strings "label" and/or "meaning"'))))  # fmt: skip
            continue
        verdicts[key] = {k: " ".join(v.split()) for k, v in given.items()}
    return StoryLocale(calendar if isinstance(calendar, str) else None, also, verdicts), problems


def story_locale(folder: Path | None) -> StoryLocale:
    """How the pages write dates and verdicts (:class:`StoryLocale`), from story.json.

    ``LoadError`` naming the file, the line and the fix when ``calendar``, ``also_gregorian`` or
    ``verdicts`` is wrong.
    """
    path, data = _read(folder)
    found, problems = _locale_problems(path, data)
    if problems:
        raise LoadError(str(problems[0]), str(path))
    return found


#: story.json's ``time_axis``: which way the chart's time runs; absent, the language's direction.
TIME_AXIS = ("ltr", "rtl")


def _time_axis_problem(path: Path | None, data: dict[str, object]) -> Problem | None:
    value = data.get("time_axis")
    if value is None or value in TIME_AXIS:
        return None
    return Problem(
        str(path) if path is not None else STORY_FILE,
        _key_line(path, "time_axis"),
        "time_axis",
        Message(
            N_(
                'must be "ltr" (time runs left to right) or "rtl" (right to left), not %(value)s; '
                "leave it out to follow the language's direction"
            ),
            value=json.dumps(value, ensure_ascii=False),
        ),
    )


def story_time_axis(folder: Path | None) -> str | None:
    """story.json's ``time_axis`` (``ltr`` or ``rtl``), or None: the chart follows the language's
    direction. ``LoadError`` (file, line, fix) for another value."""
    path, data = _read(folder)
    problem = _time_axis_problem(path, data)
    if problem is not None:
        raise LoadError(str(problem), str(path))
    value = data.get("time_axis")
    return str(value) if value is not None else None


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
    """Problems of ``folder/story.json``: an error if it cannot be read, names a language CLDR does
    not know or gives a ``publisher`` the site would refuse, a warning if there is no title."""
    if folder is None:
        return []
    path = Path(folder) / STORY_FILE
    default = DEFAULTS["title"]
    if path.exists():
        try:
            _, data = _read(folder)
        except LoadError as e:
            where = re.match(rf"{re.escape(str(path))}(?::(\d+))?: ", str(e))
            line = int(where.group(1)) if where and where.group(1) else None
            return [Problem(str(path), line, None, str(e)[where.end() if where else 0 :])]
        problems = [
            p
            for p in [_language_problem(path, data)[1], _time_axis_problem(path, data)]
            if p is not None
        ]
        problems += _locale_problems(path, data)[1]
        try:
            publisher_info(folder)
        except LoadError as e:  # the message after its "file: " prefix, which Problem writes itself
            message = str(e).removeprefix(f"{path}: ")
            problems.append(Problem(str(path), _key_line(path, "publisher"), None, message))
        title = data.get("title")
        if isinstance(title, str) and title.strip():
            return problems
        return [
            *problems,
            Problem(
                str(path),
                None,
                "title",
                Message(
                    N_(
                        "the story has no title: the site, share cards and snapshot are headed "
                        "'%(default)s'; give it one"
                    ),
                    default=default,
                ),
                "warning",
            ),
        ]
    if not any((Path(folder) / name).exists() for name in STORY_FILES):
        return [
            Problem(
                str(path),
                None,
                None,
                Message(
                    N_(
                        "the folder holds no story; start one with: timeline new %(folder)s --title TITLE"
                    ),
                    folder=str(folder),
                ),
                "warning",
            )
        ]
    return [
        Problem(
            str(path),
            None,
            None,
            Message(
                N_(
                    "the file is missing, so the story has no title: the site, share cards and "
                    "snapshot are headed '%(default)s'; create it holding "
                    '{"title": "...", "standfirst": "..."}'
                ),
                default=default,
            ),
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
