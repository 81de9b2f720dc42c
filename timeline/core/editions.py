"""Editions: one story in several languages, each in a data folder of its own with the same ids.

Several data folders whose events and claims carry the same ids are editions of one story
(``timeline site data data-fa``, ``timeline validate data data-fa``). Each edition is a whole
story in its desk's language (``story.json``'s ``language``); what ties them together is the ids.
Two editions in the same language are refused (:func:`language_problems`), naming both folders;
an event or a claim that one edition lacks is a warning naming the file, the id and the fix
(:func:`missing_ids`): a translation that lags behind still publishes, and its pages link the
other editions' home pages where the same page does not exist.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..errors import LoadError
from ..i18n.tags import Language
from ..problems import Problem
from .dataset import Dataset, load
from .story import STORY_FILE, _key_line

#: The tables whose ids every edition shares (sources may differ: a desk cites what it read).
SHARED = ("events", "claims")


@dataclass(frozen=True)
class Edition:
    """One edition: its folder, its data and its language."""

    folder: Path
    dataset: Dataset
    language: Language | None  # None: story.json's is refused (the dataset's problem says why)

    @property
    def tag(self) -> str:
        return self.language.tag if self.language else "?"


def load_editions(folders: Sequence[str | os.PathLike[str]]) -> list[Edition]:
    """Each folder's dataset and language, in the order given (the first is the default edition)."""
    out = []
    for folder in folders:
        ds = load(folder)
        try:
            lang: Language | None = ds.language
        except LoadError:
            lang = None
        out.append(Edition(Path(folder), ds, lang))
    return out


def language_problems(editions: Sequence[Edition]) -> list[Problem]:
    """An error for each edition whose language an earlier edition already has (both folders named)."""
    problems = []
    seen: dict[str, Edition] = {}
    for ed in editions:
        if ed.language is None:
            continue
        first = seen.setdefault(ed.language.tag, ed)
        if first is ed:
            continue
        path = ed.folder / STORY_FILE
        if ed.folder.resolve() == first.folder.resolve():
            problems.append(
                Problem(
                    str(ed.folder), None, None, "this folder is given twice; give each edition once"
                )
            )
            continue
        problems.append(Problem(
            str(path), _key_line(path, "language"), "language",
            f"{ed.folder} and {first.folder} are both in '{ed.language.tag}'; editions of a story "
            f"need a language each: set \"language\" in {path} to this edition's BCP 47 tag "
            "(a story.json without one is in 'en'), or leave one of the folders out",
        ))  # fmt: skip
    return problems


def missing_ids(editions: Sequence[Edition]) -> list[Problem]:
    """A warning per event or claim id that one edition lacks and another has: where it is and the fix."""
    problems = []
    unique = {ed.folder.resolve(): ed for ed in reversed(editions)}  # a folder given twice, once
    editions = [ed for ed in editions if unique.get(ed.folder.resolve()) is ed]
    for table in SHARED:
        where: dict[str, tuple[Edition, int | None]] = {}  # id -> the first edition having it, line
        have = []
        for ed in editions:
            frame = getattr(ed.dataset, table)
            lines = {
                str(i).strip(): None if pd.isna(n) else int(n)
                for i, n in zip(frame["id"].tolist(), frame["line"].tolist())
            }
            have.append(lines)
            for id_, line in lines.items():
                where.setdefault(id_, (ed, line))
        for ed, ids in zip(editions, have):
            for id_, (other, line) in where.items():
                if id_ in ids or not id_:
                    continue
                source = ed.dataset.file(table)
                at = other.dataset.file(table) + (f":{line}" if line else "")
                problems.append(Problem(
                    source, None, "id",
                    f"{table[:-1]} '{id_}' ({at}) is missing from this edition ({ed.tag}); "
                    f"add its row, in this edition's language, with the same id, or remove it from "
                    f"the other editions",
                    severity="warning",
                ))  # fmt: skip
    return problems


__all__ = ["SHARED", "Edition", "language_problems", "load_editions", "missing_ids"]
