"""Who said what: claimants and categories as named groups, with stable file names.

A claimant is the ``claimant`` cell on one line (spaces collapsed): ``"Donald  Trump "``
and ``"Donald Trump"`` are one claimant. :func:`page_slugs` gives each name a file name
(a slug) that stays the same from build to build and never collides: the name seen first
(in the order given, i.e. of the CSV) keeps the plain slug; any later name whose slug is
the same gets the slug plus 8 hex digits of its name's SHA-256, so adding a claimant never
renames the page of one already published.

:func:`spelling_key` is how two spellings of one claimant are told apart from two
claimants, conservatively (the validator warns; it never merges): Unicode NFKC, case
folded, accents dropped, punctuation removed, spaces collapsed, a leading "the" dropped,
and a few abbreviations of titles that analysts write both ways expanded ("PM" = "prime
minister"; "official spokesman" = "spokesman", as in "the Prime Minister's official
spokesman", the title of the Downing Street spokesman). Nothing else is guessed: "City A.M.,
quoting Donald Trump" and "Donald Trump" stay two claimants.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache

from ..i18n.markers import N_, Message
from ..problems import Problem

#: Whole words (after normalising) that are the same title written two ways, and their long form.
ABBREVIATIONS: dict[str, str] = {
    "pm": "prime minister",
    "pms": "prime ministers",
}
#: Phrases whose extra word changes nothing about who spoke.
SAME_TITLE: dict[str, str] = {
    "official spokesman": "spokesman",
    "official spokeswoman": "spokeswoman",
    "official spokesperson": "spokesperson",
}
SLUG_MAX = 60


def one_line(value: object) -> str:
    """The name on one line: spaces around and repeated inside dropped."""
    return " ".join(str(value or "").split())


@lru_cache(maxsize=65536)
def spelling_key(name: str) -> str:
    """What two spellings of one claimant share (see the module's docstring). Remembered: an
    archive's 30,000 claims have a few hundred claimants."""
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", name).casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    # "PM's" -> "pms", "Minister's" -> "ministers", "A.M." -> "am"
    text = re.sub(r"[’'`´.]", "", text)
    words = re.sub(r"[\W_]+", " ", text).split()
    words = [ABBREVIATIONS.get(w, w) for w in words]
    text = " ".join(words)
    for phrase, same in SAME_TITLE.items():
        text = re.sub(rf"\b{phrase}\b", same, text)
    return re.sub(r"^the ", "", text)


def slug(name: str, default: str = "claimant") -> str:
    """``"Prime Minister's official spokesman"`` -> ``prime-minister-s-official-spokesman``."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:SLUG_MAX].strip("-")
    return text or default


def page_slugs(names: Iterable[str], default: str = "claimant") -> dict[str, str]:
    """Each distinct name (in first-seen order) and its file name, unique among them."""
    out: dict[str, str] = {}
    taken: set[str] = set()
    for name in names:
        if name in out:
            continue
        base = slug(name, default)
        candidate, width = base, 8
        while candidate in taken:
            candidate = f"{base}-{hashlib.sha256(name.encode()).hexdigest()[:width]}"
            width += 4
        out[name] = candidate
        taken.add(candidate)
    return out


def spelling_problems(
    file: str, names: Sequence[str], lines: Sequence[int | None]
) -> list[Problem]:
    """A warning on each line whose claimant is another line's claimant spelt differently."""
    first: dict[str, tuple[str, int | None]] = {}
    problems: list[Problem] = []
    for cell, line in zip(names, lines):
        # As written: "Mike  Pompeo" is warned about, though it shares the page of "Mike Pompeo".
        name = str(cell or "").strip()
        if not name:
            continue
        key = spelling_key(name)
        seen = first.setdefault(key, (name, line))
        if seen[0] != name:
            template = (
                N_(
                    "'%(name)s' looks like '%(first)s' (line %(line)s) written another way; write one "
                    "claimant one way, so that the site gives them one page: '%(first)s' as on line "
                    "%(line)s, or change both"
                )
                if seen[1] is not None
                else N_(
                    "'%(name)s' looks like '%(first)s' (a row not yet saved) written another way; "
                    "write one claimant one way, so that the site gives them one page: '%(first)s' "
                    "as on a row not yet saved, or change both"
                )
            )
            said = Message(template, name=name, first=seen[0], line=seen[1])
            problems.append(Problem(file, line, "claimant", said, "warning"))
    return problems


__all__ = [
    "ABBREVIATIONS",
    "SAME_TITLE",
    "one_line",
    "page_slugs",
    "slug",
    "spelling_key",
    "spelling_problems",
]
