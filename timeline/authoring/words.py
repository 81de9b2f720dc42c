"""The authoring app's words in the analyst's language: the catalogues, bound to one language.

The app speaks the story's language (``story.json``'s ``language``) unless its entry point is given
``language=`` (an analyst who works in their own language on another language's story). Every label,
hint, button, tab, status and message of the app goes through :class:`Words`; the validator's problems
are said again in the language from the template they remember (:class:`timeline.i18n.markers.Message`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from ..core.dates import humanize, parse
from ..core.schema import BOTTOM_LINE_HELP, BOTTOM_LINE_MAX, Column
from ..i18n.catalogues import gettext, ngettext, npgettext, pgettext
from ..i18n.formats import format_date, format_month, format_number, format_time, format_year
from ..i18n.markers import N_, NP_
from ..i18n.tags import DEFAULT_LANGUAGE, Language, language

#: The columns' names as the form's labels show them (the file's header names, in English).
COLUMN_LABELS = {
    "id": NP_("column", "id"),
    "start": NP_("column", "start"),
    "end": NP_("column", "end"),
    "display_date": NP_("column", "display_date"),
    "title": NP_("column", "title"),
    "summary": NP_("column", "summary"),
    "category": NP_("column", "category"),
    "actors": NP_("column", "actors"),
    "location": NP_("column", "location"),
    "sources": NP_("column", "sources"),
    "event_id": NP_("column", "event_id"),
    "claimant": NP_("column", "claimant"),
    "claim": NP_("column", "claim"),
    "said_in": NP_("column", "said_in"),
    "verdict": NP_("column", "verdict"),
    "rationale": NP_("column", "rationale"),
    "evidence": NP_("column", "evidence"),
    "reviewed": NP_("column", "reviewed"),
    "headline": NP_("column", "headline"),
    "claimant_type": NP_("column", "claimant_type"),
    "bottom_line": NP_("column", "bottom_line"),
    "publisher": NP_("column", "publisher"),
    "url": NP_("column", "url"),
    "published": NP_("column", "published"),
    "archived_url": NP_("column", "archived_url"),
    "accessed": NP_("column", "accessed"),
    "notes": NP_("column", "notes"),
    "standfirst": NP_("column", "standfirst"),
}


@dataclass(frozen=True)
class Words:
    """The catalogues in one language: ``words._("Save to %(folder)s/", folder="data")``."""

    tag: str = DEFAULT_LANGUAGE

    @cached_property
    def language(self) -> Language:
        return language(self.tag)

    @property
    def dir(self) -> str:
        """``rtl`` or ``ltr``: the direction the app's widgets and panels take."""
        return self.language.direction

    @property
    def english(self) -> bool:
        return self.language.base == "en"

    def _(self, message: str, **args: Any) -> str:
        """``message`` in the language, its named placeholders filled (numbers in the language's digits)."""
        text = gettext(message, self.tag)
        return text % self._args(args) if args else text

    def ngettext(self, singular: str, plural: str, n: int, **args: Any) -> str:
        """The plural form ``n`` takes; ``%(num)s`` is ``n`` in the language's digits."""
        text = ngettext(singular, plural, n, self.tag)
        return text % self._args({"num": n, **args})

    def npgettext(self, context: str, singular: str, plural: str, n: int, **args: Any) -> str:
        """As :meth:`ngettext`, for a message of ``context`` (marked with ``NNP_``)."""
        text = npgettext(context, singular, plural, n, self.tag)
        return text % self._args({"num": n, **args})

    def pgettext(self, context: str, message: str) -> str:
        """``message`` of ``context`` (marked with ``NP_``) in the language."""
        return pgettext(context, message, self.tag)

    def number(self, n: int) -> str:
        """``n`` as the language writes it (English: plain Latin digits, as the app always wrote them)."""
        return str(n) if self.english else format_number(n, self.tag)

    def column(self, name: str) -> str:
        """A column's label (its header name in English)."""
        return self.pgettext("column", COLUMN_LABELS[name]) if name in COLUMN_LABELS else name

    def help(self, col: Column) -> str:
        """A column's help (the schema's words), in the language."""
        if col.name == "bottom_line":
            return self._(BOTTOM_LINE_HELP, max=BOTTOM_LINE_MAX)
        return self._(col.help)

    def date(self, text: str) -> str:
        """How a valid contract date reads in the language, at its own precision (English: as the pages say)."""
        if self.english:
            return humanize(text)
        p = parse(text)
        if p.precision == "year":
            return format_year(p.at.year, self.tag)
        if p.precision == "month":
            return format_month(p.at.year, p.at.month, self.tag)
        day = format_date(p.local.date(), self.tag, width="full")
        if p.precision == "day" or p.offset_minutes is None:
            return day
        sign, minutes = ("+" if p.offset_minutes >= 0 else "-"), abs(p.offset_minutes)
        return self._(
            # Translators: a date field's reading: the date, the time on its clock, and that clock's offset from UTC.
            N_("%(date)s, %(time)s (UTC%(offset)s)"),
            date=day,
            time=format_time(p.local, self.tag),
            offset=f"{sign}{minutes // 60:02d}:{minutes % 60:02d}",
        )

    def problem(self, message: str) -> str:
        """A validator's message in the language, when it remembers its template; else as written."""
        template = getattr(message, "template", None)
        if template is None or self.english:
            return message
        args = {
            k: self.problem(v) if isinstance(v, str) else v
            for k, v in getattr(message, "args", {}).items()
        }
        return self._(template, **args)

    def _args(self, args: dict[str, Any]) -> dict[str, Any]:
        return {k: self.number(v) if isinstance(v, int) else v for k, v in args.items()}


#: The app's words when no language is given.
ENGLISH = Words()
