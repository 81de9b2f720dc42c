"""The snapshot's own words in the story's language: its description, its footer ("About this
snapshot": when, with which version, from which commit, the data's counts) and the digests' labels.

English reads exactly as it always has; another language's words come from the catalogues, its
counts in its plural forms and digits, the build time in its calendar.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from markupsafe import Markup, escape

from ..i18n import catalogues, formats
from ..i18n.markers import N_
from ..i18n.tags import language

if TYPE_CHECKING:
    from .provenance import Provenance

ABOUT = N_("About this snapshot")
BUILT = N_("Built %(when)s with timeline %(version)s")
FROM_COMMIT = N_("%(built)s from commit %(commit)s")
FROM_DIRTY_COMMIT = N_("%(built)s from commit %(commit)s (the data files differ from that commit)")
DATA = N_("Data: %(summary)s")
DIGEST = N_("SHA-256 of %(name)s")
DESCRIPTION = N_("Fact-check timeline: %(summary)s, every claim linked to its sources.")
DAY_TIME = N_("%(day)s, %(time)s (%(zone)s)")
LIST_SEP = N_(", ")


def _english(lang: str) -> bool:
    return language(lang).base == "en"


def summary(counts: dict[str, int], lang: str) -> str:
    """``4 events, 3 claims, 3 sources`` in language ``lang`` (its plural forms and digits)."""
    if _english(lang):
        return f"{counts['events']} events, {counts['claims']} claims, {counts['sources']} sources"
    parts = [
        catalogues.count(what, counts[what], lang, num=formats.format_number(counts[what], lang))
        for what in ("events", "claims", "sources")
    ]
    return catalogues.gettext(LIST_SEP, lang).join(parts)


def built_text(p: Provenance, lang: str) -> str:
    """When the snapshot was built, for readers: ``25 Nov 2026, 13:05 UTC`` in English."""
    if _english(lang):
        return p.built_text
    digits = formats.conventions(lang).digits
    return catalogues.gettext(DAY_TIME, lang) % {
        "day": formats.format_date(p.built, lang, width="medium"),
        "time": formats.to_digits(f"{p.built:%H:%M}", digits),
        "zone": "UTC",
    }


def snapshot_words(p: Provenance, counts: dict[str, int], lang: str) -> dict[str, Any]:
    """The template's words (``resources.timeline.words``): ``about``, ``footer`` (markup: the
    paragraph's inside), ``digest`` (a pattern with ``%(name)s``), ``description``."""
    told = summary(counts, lang)
    when = Markup('<time datetime="{}">{}</time>').format(p.built_iso, built_text(p, lang))

    def t(message: str) -> str:
        return message if _english(lang) else catalogues.gettext(message, lang)

    built = escape(t(BUILT)) % {"when": when, "version": p.version}
    if p.git_commit:
        commit = Markup("<code>{}</code>").format(p.git_commit)
        built = escape(t(FROM_DIRTY_COMMIT if p.git_dirty else FROM_COMMIT)) % {
            "built": built,
            "commit": commit,
        }
    footer = built + Markup(". ") + escape(t(DATA) % {"summary": told}) + Markup(".")
    return {
        "about": t(ABOUT),
        "footer": footer,
        "digest": t(DIGEST),
        "description": t(DESCRIPTION) % {"summary": told},
        "summary": t(DATA) % {"summary": told},
    }
