"""The Dataset: three contract tables, loaded, validated, edited and saved.

``ds = load("data")`` reads the folder and never raises for bad content: the
read problems join the validator's in ``ds.validate()``. ``save(ds, folder)``
writes only a valid dataset, atomically, under a lock, and refuses when the
files changed on disk since they were loaded.
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import io
import os
from collections.abc import Callable, Hashable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar, cast

import pandas as pd

from ..errors import LoadError, LockedError, StaleDataError, TimelineError, ValidationError
from ..i18n.markers import N_, Message
from ..i18n.tags import Language
from ..problems import Problem, sort_problems
from .actor_groups import read_actor_groups
from .corrections import TARGET_KINDS, check_corrections
from .dates import parse_series
from .rowdiff import Diff, diff_tables
from .schema import LIST_SEPARATOR, TABLE_BY_NAME, TABLES, Table, split_list
from .store import commit_files as _commit  # the name tests hold while a save is between its writes
from .store import digest_bytes, dumps, read_table
from .story import check_story, story_language
from .validate import validate_tables

_T = TypeVar("_T")

LOCK_NAME = ".timeline.lock"
DRAFT_LINE = -1  # the line a draft row carries while it is checked (see Dataset.draft_problems)
DATE_COLUMNS = {t.name: [c.name for c in t.columns if c.kind == "date"] for t in TABLES}


#: What an edit refused says, by table (one whole sentence per table: each language writes
#: "event", "claim" and "source" its own way). %(refs)s lists the rows that refer to the id.
EDITS = {
    "events": {
        "no row": N_("no event with id '%(id)s' in %(file)s"),
        "needs id": N_("a new event needs an id (a lowercase slug such as 'talks-6-jan')"),
        "exists": N_("event id '%(id)s' already exists in %(file)s; choose another"),
        "rename referenced": N_(
            "cannot rename event '%(id)s': it is referenced by %(refs)s; change those references "
            "first, or keep the id"
        ),
        "rename exists": N_(
            "cannot rename event '%(id)s' to '%(new)s': that id already exists in %(file)s; "
            "choose another"
        ),
        "remove referenced": N_(
            "cannot remove event '%(id)s': it is referenced by %(refs)s; remove or change those first"
        ),
    },
    "claims": {
        "no row": N_("no claim with id '%(id)s' in %(file)s"),
        "needs id": N_("a new claim needs an id (a lowercase slug such as 'talks-6-jan')"),
        "exists": N_("claim id '%(id)s' already exists in %(file)s; choose another"),
        "rename referenced": N_(
            "cannot rename claim '%(id)s': it is referenced by %(refs)s; change those references "
            "first, or keep the id"
        ),
        "rename exists": N_(
            "cannot rename claim '%(id)s' to '%(new)s': that id already exists in %(file)s; "
            "choose another"
        ),
        "remove referenced": N_(
            "cannot remove claim '%(id)s': it is referenced by %(refs)s; remove or change those first"
        ),
    },
    "sources": {
        "no row": N_("no source with id '%(id)s' in %(file)s"),
        "needs id": N_("a new source needs an id (a lowercase slug such as 'talks-6-jan')"),
        "exists": N_("source id '%(id)s' already exists in %(file)s; choose another"),
        "rename referenced": N_(
            "cannot rename source '%(id)s': it is referenced by %(refs)s; change those references "
            "first, or keep the id"
        ),
        "rename exists": N_(
            "cannot rename source '%(id)s' to '%(new)s': that id already exists in %(file)s; "
            "choose another"
        ),
        "remove referenced": N_(
            "cannot remove source '%(id)s': it is referenced by %(refs)s; remove or change those first"
        ),
    },
}


def _table(name: str) -> Table:
    """A table by name; the singular (``event``) is accepted too."""
    table = TABLE_BY_NAME.get(name) or TABLE_BY_NAME.get(f"{name}s")
    if table is None:
        raise TimelineError(f"unknown table '{name}'; use one of: events, claims, sources")
    return table


class Dataset:
    """Events, claims and sources of one story."""

    def __init__(
        self,
        frames: dict[str, pd.DataFrame] | None = None,
        *,
        folder: str | os.PathLike[str] | None = None,
        lines: dict[str, list[int | None]] | None = None,
        read_problems: list[Problem] | None = None,
        digests: dict[str, str | None] | None = None,
    ) -> None:
        frames = frames or {}
        self._raw: dict[str, pd.DataFrame] = {}
        for t in TABLES:
            df = frames.get(t.name)
            if df is None:
                df = pd.DataFrame({c: pd.Series(dtype=object) for c in t.names})
            df = df.reset_index(drop=True).astype(object).fillna("")
            for c in t.names:
                if c not in df:
                    df[c] = ""
            self._raw[t.name] = df
        self.folder = Path(folder) if folder is not None else None
        self._lines = {
            t.name: list((lines or {}).get(t.name) or [None] * len(self._raw[t.name]))
            for t in TABLES
        }
        self.read_problems = list(read_problems or [])
        self._digests = dict(digests or {})
        self._cache: dict[str, pd.DataFrame] = {}
        self._derived: dict[Hashable, Any] = {}

    # ----------------------------------------------------------------- views
    def file(self, name: str) -> str:
        """How a table's file is named in messages (``data/events.csv``)."""
        filename = _table(name).filename
        return str(self.folder / filename) if self.folder is not None else filename

    def records(self, name: str) -> list[dict[str, str]]:
        """A table's rows in file order, each a dict of its string cells as they are saved."""
        rows = self._raw[_table(name).name].to_dict("records")
        return cast("list[dict[str, str]]", rows)  # every cell is a str (see read_table)

    def raw(self, name: str) -> pd.DataFrame:
        """A copy of a table's string cells as they are saved."""
        frame: pd.DataFrame = self._raw[_table(name).name].copy()
        return frame

    def raw_tables(self) -> dict[str, pd.DataFrame]:
        """A copy of every table's string cells as they are saved, by table name."""
        return {t.name: self.raw(t.name) for t in TABLES}

    def target_ids(self) -> dict[str, list[str]]:
        """The ids a correction may target, by table (events, claims, sources)."""
        return {table: self.ids(table) for table in TARGET_KINDS.values()}

    def _parsed(self, name: str) -> pd.DataFrame:
        if name not in self._cache:
            df = self._raw[name].copy()
            for col in DATE_COLUMNS[name]:
                p = parse_series(df[col])
                df[f"{col}_at"] = p["at"]
                df[f"{col}_until"] = p["until"]
                df[f"{col}_precision"] = p["precision"]
                df[f"{col}_offset"] = p["offset"]
            df["line"] = pd.array(self._lines[name], dtype="Int64")
            self._cache[name] = df
        return self._cache[name]

    def derived(self, key: Hashable, make: Callable[[], _T]) -> _T:
        """``make()``, remembered under ``key`` until the tables change (an edit, an undo): what
        several views compute from the same tables (``views.figure.event_frame``: a site build
        asked for it four times, 0.3 s each at 60,000 events) is computed once. The value is
        shared: whoever gets it must not change it."""
        if key not in self._derived:
            self._derived[key] = make()
        value: _T = self._derived[key]
        return value

    def row_digests(self, table: str) -> list[str]:
        """A digest of each row of a table as it is saved (every cell, not its line), in file
        order: a row's changes, any cell, found without keeping or comparing its text. A site
        build keys a page by the digests of the rows it is made from. Remembered until the
        tables change."""
        name = _table(table).name

        def make() -> list[str]:
            df = self._raw[name]
            cells = zip(*(map(str, df[c].tolist()) for c in df.columns))
            return [
                hashlib.blake2b(
                    "\x1f".join(row).encode("utf-8", "surrogatepass"), digest_size=16
                ).hexdigest()
                for row in cells
            ]

        return self.derived(("row_digests", name), make)

    @property
    def events(self) -> pd.DataFrame:
        """Events with parsed dates (``start_at``, ``start_precision``, ``start_offset``, ...)."""
        return self._parsed("events")

    @property
    def claims(self) -> pd.DataFrame:
        return self._parsed("claims")

    @property
    def sources(self) -> pd.DataFrame:
        return self._parsed("sources")

    def ids(self, table: str) -> list[str]:
        """The ids of a table, in file order."""
        return [str(i).strip() for i in self._raw[_table(table).name]["id"]]

    def get(self, table: str, id: str) -> dict[str, str]:
        """One row's cells by id (``KeyError`` if there is none)."""
        name = _table(table).name
        df = self._raw[name]
        pos = self._row_of(name, id)
        return {c: str(df.at[pos, c]) for c in df.columns}

    @property
    def language(self) -> Language:
        """The story's language: ``.tag`` (BCP 47, ``en`` when story.json names none) and ``.direction``."""
        return story_language(self.folder)

    def counts(self) -> dict[str, int]:
        return {t.name: len(self._raw[t.name]) for t in TABLES}

    def summary(self) -> str:
        n = self.counts()
        return f"{n['events']} events, {n['claims']} claims, {n['sources']} sources"

    # ------------------------------------------------------------ validation
    def validate(self) -> list[Problem]:
        """Every problem: read problems and contract violations, errors first."""

        problems = validate_tables(
            self._raw,
            self._lines,
            {t.name: self.file(t.name) for t in TABLES},
            self.read_problems,
        )
        return sort_problems(
            problems
            + check_corrections(self.folder, self.target_ids())
            + check_story(self.folder)
            + read_actor_groups(self.folder)[1]
        )

    def errors(self) -> list[Problem]:
        return [p for p in self.validate() if p.severity == "error"]

    # --------------------------------------------------------------- editing
    def _changed(self, name: str) -> None:
        self._cache.pop(name, None)
        self._derived.clear()  # anything may read any table

    def _row_of(self, name: str, id: str) -> int:
        ids = self._raw[name]["id"].astype(str).str.strip()
        hits = ids.index[ids == id]
        if len(hits) == 0:
            raise KeyError(Message(EDITS[name]["no row"], id=id, file=self.file(name)))
        return int(hits[0])

    def _check_fields(self, name: str, fields: dict[str, Any]) -> dict[str, str]:
        """Cells as saved: strings, stripped, lists joined with ``;``; unknown columns refused."""
        known = list(self._raw[name].columns)
        out: dict[str, str] = {}
        for key, value in fields.items():
            if key not in known:
                match = difflib.get_close_matches(key, known, n=1)
                hint = f"did you mean '{match[0]}'? " if match else ""
                raise TimelineError(
                    f"{name} have no column '{key}'; {hint}the columns are: {', '.join(known)} "
                    f"(to add an extra column, add it to the header of {self.file(name)})"
                )
            if isinstance(value, (list, tuple, set)):
                value = LIST_SEPARATOR.join(s for s in (str(v).strip() for v in value) if s)
            out[key] = "" if value is None else str(value).strip()
        return out

    def _add(self, name: str, fields: dict[str, Any]) -> dict[str, str]:
        row = self._check_fields(name, fields)
        if not row.get("id"):
            raise TimelineError(Message(EDITS[name]["needs id"]))
        if row["id"] in self.ids(name):
            raise TimelineError(Message(EDITS[name]["exists"], id=row["id"], file=self.file(name)))
        df = self._raw[name]
        new = {c: row.get(c, "") for c in df.columns}
        self._raw[name] = pd.concat([df, pd.DataFrame([new], dtype=object)], ignore_index=True)
        self._lines[name].append(None)
        self._changed(name)
        return new

    def add_event(self, **fields: Any) -> dict[str, str]:
        """Append an event (``id``, ``start``, ``title``, ``category``, ``sources``, ...)."""
        return self._add("events", fields)

    def add_claim(self, *, source: dict[str, Any] | None = None, **fields: Any) -> dict[str, str]:
        """Append a claim; ``source=`` adds its said-in source in the same step.

        Both rows are added or neither: if the claim is refused, the source is not kept.
        """
        if source is None:
            return self._add("claims", fields)
        saved = self._state()
        try:
            created = self.add_source(**source)
            if not fields.get("said_in"):
                fields["said_in"] = created["id"]
            return self._add("claims", fields)
        except BaseException:
            self._restore(saved)
            raise

    def _state(self) -> tuple[dict[str, pd.DataFrame], dict[str, list[int | None]]]:
        return {k: v.copy() for k, v in self._raw.items()}, {
            k: list(v) for k, v in self._lines.items()
        }

    def _restore(self, state: tuple[dict[str, pd.DataFrame], dict[str, list[int | None]]]) -> None:
        self._raw, self._lines = state
        self._cache.clear()
        self._derived.clear()

    def add_source(self, **fields: Any) -> dict[str, str]:
        return self._add("sources", fields)

    def update(self, table: str, id: str, /, **fields: Any) -> dict[str, str]:
        """Change fields of one row (``id=`` renames it; refused while the id is referenced)."""
        name = _table(table).name
        pos = self._row_of(name, id)
        values = self._check_fields(name, fields)
        if "id" in values and values["id"] != id:
            refs = self.references_to(name, id)
            if refs:
                raise TimelineError(
                    Message(EDITS[name]["rename referenced"], id=id, refs=", ".join(refs))
                )
            if values["id"] in self.ids(name):
                raise TimelineError(
                    Message(
                        EDITS[name]["rename exists"], id=id, new=values["id"], file=self.file(name)
                    )
                )
        df = self._raw[name]
        for key, value in values.items():
            if key not in df:
                df[key] = ""
            df.at[pos, key] = value
        self._changed(name)
        return {str(c): str(df.at[pos, c]) for c in df.columns}

    def references_to(self, table: str, id: str) -> list[str]:
        """Where ``id`` of ``table`` is referenced, as ``claims/claim-id (said_in)`` strings."""
        out: list[str] = []
        for t in TABLES:
            for col in t.columns:
                if col.ref != table:
                    continue
                values = self._raw[t.name][col.name].astype(str)
                lists = values.map(split_list)
                for row_id, items in zip(self._raw[t.name]["id"], lists):
                    if id in items:
                        out.append(f"{t.name}/{row_id} ({col.name})")
        return out

    def remove(self, table: str, id: str) -> dict[str, str]:
        """Remove one row; refused while anything references it."""
        name = _table(table).name
        pos = self._row_of(name, id)
        refs = self.references_to(name, id)
        if refs:
            raise TimelineError(
                Message(EDITS[name]["remove referenced"], id=id, refs=", ".join(refs))
            )
        df = self._raw[name]
        removed = {str(c): str(df.at[pos, c]) for c in df.columns}
        self._raw[name] = df.drop(index=pos).reset_index(drop=True)
        del self._lines[name][pos]
        self._changed(name)
        return removed

    def draft_problems(
        self,
        table: str,
        fields: dict[str, Any],
        *,
        id: str | None = None,
        source: dict[str, Any] | None = None,
    ) -> list[Problem]:
        """The problems a row would have if applied, without changing this dataset.

        With ``id``, ``fields`` update that row; without, they are a new row (for a
        claim, ``source=`` drafts its new source too). Only the draft's own problems
        are returned, on its line in the file (``None`` for a row not yet saved).
        """
        name = _table(table).name
        trial = self.copy()
        try:
            if id is not None:
                trial.update(name, id, **fields)
                touched = {name: [trial._row_of(name, str(fields.get("id") or id))]}
            elif name == "claims":
                n_src = len(trial._raw["sources"])
                trial.add_claim(source=source, **fields)
                touched = {"claims": [len(trial._raw["claims"]) - 1]}
                if len(trial._raw["sources"]) > n_src:
                    touched["sources"] = [n_src]
            else:
                trial._add(name, fields)
                touched = {name: [len(trial._raw[name]) - 1]}
        except (TimelineError, KeyError) as e:
            line = None
            if id is not None and id in self.ids(name):
                line = self._lines[name][self._row_of(name, id)]
            message = e.args[0] if e.args and isinstance(e.args[0], str) else str(e)
            return [Problem(self.file(name), line, None, message)]
        original: dict[tuple[str, int], int | None] = {}
        for tname, positions in touched.items():
            for pos in positions:
                original[(self.file(tname), pos)] = trial._lines[tname][pos]
                trial._lines[tname][pos] = DRAFT_LINE
        out = []
        for p in trial.validate():
            if p.line != DRAFT_LINE:
                continue
            tname = next(t for t, ps in touched.items() if trial.file(t) == p.file)
            line = original[(p.file, touched[tname][0])]
            out.append(Problem(p.file, line, p.column, p.message, p.severity))
        return out

    def copy(self) -> Dataset:
        """An independent copy (edits to one never show in the other); it saves like the original."""
        clone = Dataset.__new__(Dataset)  # the tables are already normalised: skip __init__'s pass
        clone._raw = {k: v.copy() for k, v in self._raw.items()}
        clone.folder = self.folder
        clone._lines = {k: list(v) for k, v in self._lines.items()}
        clone.read_problems = list(self.read_problems)
        clone._digests = dict(self._digests)
        clone._cache = {}
        clone._derived = {}
        return clone

    def diff(self, other: Dataset) -> Diff:
        """What changes from ``other`` (e.g. the files on disk) to this dataset.

        ``print(ds.diff(timeline.load("data")))`` lists rows added, changed and removed
        per file; ``.unified()`` is the line diff of the canonical CSV files.
        """
        return diff_tables(other.raw_tables(), self.raw_tables())

    def __repr__(self) -> str:
        where = f" from {self.folder}" if self.folder else ""
        return f"<Dataset{where}: {self.summary()}>"


def load(folder: str | os.PathLike[str] = "data", *, missing_ok: bool = False) -> Dataset:
    """Read a data folder. Bad content never raises: see ``Dataset.validate()``.

    With ``missing_ok``, a folder or table file that does not exist yet is an empty
    table, not a problem: the dataset of a story being started, which :func:`save`
    creates (the authoring app opens a new folder so).
    """
    path = Path(folder)
    if missing_ok and not path.exists():
        return Dataset(folder=path)
    if not path.is_dir():
        raise LoadError(
            f"{path}: no such data folder; give the folder holding events.csv, claims.csv and sources.csv",
            str(path),
        )
    frames: dict[str, pd.DataFrame] = {}
    lines: dict[str, list[int | None]] = {}
    problems: list[Problem] = []
    digests: dict[str, str | None] = {}
    for t in TABLES:
        if missing_ok and not (path / t.filename).exists():
            continue
        raw = read_table(path / t.filename, t, shown=str(path / t.filename))
        frames[t.name] = raw.frame
        lines[t.name] = list(raw.lines)
        problems.extend(raw.problems)
        digests[t.name] = raw.digest
    return Dataset(frames, folder=path, lines=lines, read_problems=problems, digests=digests)


@contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """Hold ``folder/.timeline.lock`` so that two saves cannot interleave.

    The lock file is created exclusively (``O_CREAT | O_EXCL``), which is atomic
    across threads and processes; a second save fails at once with
    :class:`LockedError` instead of writing between the first one's files.
    """
    lock = folder / LOCK_NAME
    try:
        fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        try:
            holder = lock.read_text(encoding="utf-8").strip() or "unknown"
        except OSError:
            holder = "unknown"
        raise LockedError(
            f"{lock}: another save is in progress (process {holder}); wait for it and save again "
            "(if no save is running, a crashed one left the lock: delete the file)"
        ) from None
    try:
        os.write(fd, f"{os.getpid()}\n".encode())
        os.close(fd)
        yield
    finally:
        try:
            os.unlink(lock)
        except FileNotFoundError:
            pass


def _read_or_none(path: Path) -> bytes | None:
    return path.read_bytes() if path.exists() else None


def _record_lines(text: str) -> list[int | None]:
    """The physical line where each data record of a canonical CSV text starts."""
    reader = csv.reader(io.StringIO(text, newline=""))
    out: list[int | None] = []
    last = 0
    for _row in reader:
        out.append(last + 1)
        last = reader.line_num
    return out[1:]


def save(
    dataset: Dataset,
    folder: str | os.PathLike[str] | None = None,
    *,
    also: Mapping[str, tuple[str, bytes | None]] | None = None,
) -> list[str]:
    """Write a valid dataset to ``folder`` (default: where it was loaded from).

    Refuses (raises, writes nothing) when the dataset has errors
    (:class:`ValidationError`), when the files changed on disk since they were
    loaded (:class:`StaleDataError`), or while another save holds the lock
    (:class:`LockedError`). Files are canonical, rows in dataset order, so one
    edit is one changed line. Returns the names of the files whose bytes changed.

    ``also`` maps other files of the folder (``story.json``) to their new text and
    their bytes as loaded (``None``: there was none): they are written in the same
    commit as the tables, and refused in the same way if they changed on disk since.
    """
    target = Path(folder) if folder is not None else dataset.folder
    if target is None:
        raise TimelineError("save needs a folder: save(dataset, 'data')")
    errors = dataset.errors()
    if errors:
        raise ValidationError(errors)
    target.mkdir(parents=True, exist_ok=True)
    same = dataset.folder is not None and dataset.folder.resolve() == target.resolve()
    with folder_lock(target):
        texts = {t.name: dumps(dataset._raw[t.name], t) for t in TABLES}
        current: dict[str, bytes | None] = {}
        for t in TABLES:
            p = target / t.filename
            current[t.name] = p.read_bytes() if p.exists() else None
        others = {name: _read_or_none(target / name) for name in also or {}}
        if same:
            stale = [
                t.filename
                for t in TABLES
                if (digest_bytes(data) if (data := current[t.name]) is not None else None)
                != dataset._digests.get(t.name)
            ]
            stale += [
                name for name, (_text, loaded) in (also or {}).items() if others[name] != loaded
            ]
            if stale:
                raise StaleDataError(
                    f"{', '.join(str(target / s) for s in stale)} changed on disk since it was loaded "
                    "(a colleague's save or a git pull?); nothing was written. Load the folder again, "
                    "re-apply your edits and save"
                )
        changed = {
            t.filename: texts[t.name]
            for t in TABLES
            if current[t.name] != texts[t.name].encode("utf-8")
        }
        changed.update(
            {
                name: text
                for name, (text, _loaded) in (also or {}).items()
                if others[name] != text.encode("utf-8")
            }
        )
        if changed:
            _commit(target, changed)
        if same:
            for t in TABLES:
                dataset._digests[t.name] = digest_bytes(texts[t.name].encode("utf-8"))
                dataset._lines[t.name] = _record_lines(texts[t.name])
                dataset._changed(t.name)
            dataset.read_problems = []
    return list(changed)
