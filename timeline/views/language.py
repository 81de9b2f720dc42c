"""The page's language: one home for what every page rendered from Python or Jinja needs to speak it.

:func:`page_language` reads a data folder's story.json once (``language``, ``calendar``,
``also_gregorian``, ``verdicts``) and gives a :class:`PageLanguage`: ``lang`` and ``dir`` for
``<html>``, the kit's words from the gettext catalogues (:mod:`timeline.i18n.catalogues`), dates and
numbers as the language writes them (:mod:`timeline.i18n.formats`), the verdicts in the desk's own
words, and a Jinja environment with the translations installed (:meth:`PageLanguage.env`), so that
every template gets ``lang``, ``dir`` and ``_()`` from here (editions and a language switcher can hook
in at this one place).

English (``en`` and its regions) keeps the kit's own English date forms
(``Sunday 5 January 2020``, :func:`timeline.core.dates.humanize`) and Latin digits, as before.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

from ..core.dates import humanize, parse
from ..core.schema import NO_CLAIMS, VERDICT_BY_KEY, Verdict
from ..core.story import StoryLocale, story_language, story_locale
from ..i18n import catalogues, formats
from ..i18n.tags import DEFAULT_LANGUAGE, language

#: ``og:locale``'s region for a language tag that names none: the country whose desks the kit's
#: conventions follow (Persian: Iran, Solar Hijri; Arabic: Modern Standard, CLDR's ``ar_001``
#: is not a region Open Graph knows, so Saudi Arabia, whose Umm al-Qura calendar the kit offers).
OG_REGIONS = {"en": "GB", "fa": "IR", "ar": "SA", "fr": "FR", "es": "ES", "de": "DE"}


@dataclass(frozen=True, eq=False)
class PageLanguage:
    """The language a page speaks, with the desk's calendar and verdict words."""

    tag: str = DEFAULT_LANGUAGE
    options: StoryLocale = field(default_factory=StoryLocale)

    @property
    def direction(self) -> str:
        """``rtl`` or ``ltr`` (CLDR's character order of the language's script)."""
        return language(self.tag).direction

    @property
    def english(self) -> bool:
        return language(self.tag).base == "en"

    @property
    def data_dir(self) -> str:
        """`` dir="auto"`` for an element holding the desk's text: isolated from the kit's words around
        it, its direction its own (a Persian quote on an English page, an English name in Persian)."""
        return ' dir="auto"'

    @property
    def og_locale(self) -> str:
        """Open Graph's ``language_TERRITORY`` (``fa_IR``, ``en_GB``): the tag's region, else :data:`OG_REGIONS`."""
        lang = language(self.tag)
        region = lang.locale.territory or OG_REGIONS.get(lang.base, "")
        return f"{lang.base}_{region}" if region else lang.base

    # The kit's words.
    def gettext(self, message: str) -> str:
        return catalogues.gettext(message, self.tag)

    def pgettext(self, context: str, message: str) -> str:
        return catalogues.pgettext(context, message, self.tag)

    def ngettext(self, singular: str, plural: str, n: int, **values: str) -> str:
        """The plural form for ``n``, ``%(num)s`` filled by ``n`` in the language's digits (and ``values``)."""
        return catalogues.ngettext(singular, plural, n, self.tag) % {
            "num": self.digits(n),
            **values,
        }

    def summary(self, counts: dict[str, int]) -> str:
        """``3 events, 4 claims, 5 sources`` (``Dataset.summary``) in the language."""
        if self.english:
            return (
                f"{counts['events']} events, {counts['claims']} claims, {counts['sources']} sources"
            )
        parts = {k: self.count(k, counts[k]) for k in ("events", "claims", "sources")}
        return self.gettext("%(events)s, %(claims)s, %(sources)s") % parts

    def moment(self, when: datetime) -> str:
        """A build time for readers: ``25 Nov 2026, 13:05 UTC`` (``Provenance.built_text``)."""
        if self.english:
            return f"{when.day} {when:%b %Y, %H:%M} UTC"
        conv = self._conventions()
        return (
            self.pgettext("date and time", "%(date)s, %(time)s")
            % {
                "date": self.day(when.date(), "medium"),
                "time": formats.format_time(when, self.tag, digits=conv.digits),
            }
            + " UTC"
        )

    def count(self, what: str, n: int) -> str:
        """``"3 claims"`` (:data:`timeline.i18n.catalogues.COUNTS`), the number in the language's digits."""
        return catalogues.count(what, n, self.tag, num=self.digits(n))

    # Numbers and dates.
    def digits(self, n: Any) -> str:
        """``n`` as written, its digits the language's (no grouping: a count, a position, a year)."""
        if self.english:
            return str(n)
        return formats.to_digits(str(n), self._conventions().digits)

    def number(self, n: int | float) -> str:
        """``n`` with the language's grouping and digits (``1,234``; ``۱٬۲۳۴`` in ``fa``)."""
        if self.english:
            return f"{n:,}"
        return formats.format_number(n, self.tag)

    def _conventions(self) -> formats.Conventions:
        return formats.conventions(
            self.tag,
            calendar=self.options.calendar,
            gregorian_beside=self.options.also_gregorian,
        )

    def day(self, d: date, width: str = "full") -> str:
        """A day in the desk's calendar and digits (with the Gregorian date beside, if asked)."""
        conv = self._conventions()
        return formats.format_date(
            d,
            self.tag,
            width=width,
            calendar=conv.calendar,
            digits=conv.digits,
            gregorian_beside=conv.gregorian_beside,
        )

    def date_label(self, text: Any) -> str:
        """How an ISO 8601 date reads, at its precision (``humanize`` in English); ``""`` when empty,
        the text as written when it is not a date."""
        if not isinstance(text, str) or not text.strip():
            return ""
        value = str(text).strip()
        if self.english:
            return str(humanize(value))
        try:
            p = parse(value)
        except ValueError:
            return value
        conv = self._conventions()
        if p.precision == "year":
            return formats.format_year(
                p.at.year, self.tag, calendar=conv.calendar, digits=conv.digits
            )
        if p.precision == "month":
            return formats.format_month(
                p.at.year, p.at.month, self.tag, calendar=conv.calendar, digits=conv.digits
            )
        if p.precision == "day":
            return self.day(p.at.date())
        assert p.offset_minutes is not None
        t = p.local
        clock = formats.format_time(
            t, self.tag, width="short" if p.precision == "minute" else "medium", digits=conv.digits
        )
        offset = formats.to_digits(_offset(p.offset_minutes), conv.digits)
        when = self.pgettext("date and time", "%(date)s, %(time)s") % {
            "date": self.day(t.date()),
            "time": clock,
        }
        return f"{when} (\u2066{offset}\u2069)"

    # Verdicts.
    def verdict_label(self, v: Verdict) -> str:
        """The verdict's label: the desk's own (story.json's ``verdicts``), else the catalogue's."""
        own = self.options.verdicts.get(v.key, {})
        return own.get("label") or self.pgettext("verdict", v.label)

    def verdict_meaning(self, v: Verdict) -> str:
        own = self.options.verdicts.get(v.key, {})
        return own.get("meaning") or self.pgettext("verdict meaning", v.meaning)

    def verdict(self, key: str) -> Verdict:
        """Verdict ``key`` (``no-claims`` for an unknown one) with this language's label and meaning."""
        v = VERDICT_BY_KEY.get(key, NO_CLAIMS)
        return Verdict(
            v.key, self.verdict_label(v), self.verdict_meaning(v), v.rating, v.colour, v.symbol
        )

    @property
    def share_words(self) -> str:
        """What a claim page hands its ``share.js``: JSON of the script's words in this language."""
        from .chart_language import share_words

        return share_words(self.tag)

    # Templates.
    def env(self, *folders: tuple[str, str]) -> jinja2.Environment:
        """The Jinja environment of ``folders`` in this language (``_()``, ``lang``, ``dir`` installed)."""
        return _env(folders, self)

    def context(self) -> dict[str, Any]:
        """What every template gets: ``lang``, ``dir``, and this object as ``L``."""
        return {"lang": self.tag, "dir": self.direction, "L": self}


def _offset(minutes: int) -> str:
    sign = "+" if minutes >= 0 else "-"
    h, m = divmod(abs(minutes), 60)
    return f"UTC{sign}{h:02d}:{m:02d}"


@lru_cache(maxsize=64)
def _env(folders: tuple[tuple[str, str], ...], lang: PageLanguage) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader([jinja2.PackageLoader(pkg, path) for pkg, path in folders]),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    catalogues.install_jinja(env, lang.tag)
    env.globals.update(lang.context())
    return env


@lru_cache(maxsize=64)
def _cached(folder: str, stamp: float) -> PageLanguage:
    path = Path(folder)
    return PageLanguage(story_language(path).tag, story_locale(path))


def page_language(folder: Any = None) -> PageLanguage:
    """The language of the story in ``folder`` (a data folder, or a dataset); English without one."""
    if folder is None:
        return ENGLISH
    folder = Path(getattr(folder, "folder", folder))
    story = folder / "story.json"
    try:
        stamp = story.stat().st_mtime
    except OSError:
        return ENGLISH
    return _cached(str(folder), stamp)


ENGLISH = PageLanguage()

__all__ = ["ENGLISH", "OG_REGIONS", "PageLanguage", "page_language"]
