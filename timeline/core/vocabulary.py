"""The verdict scale in a reader's language: schema.py's labels and meanings through the catalogues.

``verdicts_in("fa")`` is :data:`~timeline.core.schema.VERDICTS` with each label and meaning as the ``fa``
catalogue writes them (contexts ``verdict`` and ``verdict meaning``); keys, ratings, colours and symbols
stay as they are. English is the table itself, unchanged, so English pages show exactly what they did.
"""

from __future__ import annotations

from dataclasses import replace

from ..i18n.catalogues import pgettext
from ..i18n.tags import language
from .schema import NO_CLAIMS, VERDICT_BY_KEY, VERDICTS, Verdict, verdict_label


def verdict_in(verdict: Verdict, tag: str) -> Verdict:
    """One verdict with its label and meaning in language ``tag``."""
    if language(tag).base == "en":
        return verdict
    return replace(
        verdict,
        label=pgettext("verdict", verdict.label, tag),
        meaning=pgettext("verdict meaning", verdict.meaning, tag),
    )


def verdicts_in(tag: str) -> tuple[Verdict, ...]:
    """The six verdicts, best first, with labels and meanings in language ``tag``."""
    return tuple(verdict_in(v, tag) for v in VERDICTS)


def no_claims_in(tag: str) -> Verdict:
    """The mark of an event with no checked claim, in language ``tag``."""
    return verdict_in(NO_CLAIMS, tag)


def verdict_label_in(key: str, tag: str) -> str:
    """The reader's label of verdict ``key`` in language ``tag``; an unknown key as written, empty as ``(none)``."""
    v = VERDICT_BY_KEY.get((key or "").strip())
    return verdict_in(v, tag).label if v else verdict_label(key)
