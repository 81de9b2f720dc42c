"""A page's links to the same story in its other languages (editions): the switcher and ``hreflang``.

The microsite (``publish.site``) computes, for each page, one :class:`EditionLink` per edition of the
story, this page's own included; the pages' base template shows the others in a language switcher
(``editions.html.j2``: each language named in its own language, with ``lang`` and ``hreflang``) and, in
``<head>``, a ``<link rel="alternate" hreflang>`` for every edition that has the same page, plus
``x-default`` (the first edition's). A page without editions (a one-folder site, ``timeline serve``)
has none of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..i18n.tags import language


@dataclass(frozen=True)
class EditionLink:
    """One edition as a page links it."""

    tag: str  # BCP 47, for lang and hreflang
    name: str  # the language in its own language: "فارسی", "English", "Français"
    href: str  # relative to the page: the same page in that edition, else that edition's home page
    url: str | None = None  # the same page's absolute URL (a base URL given, the page exists there)
    direction: str = "ltr"  # the language's: each name is isolated in its own direction
    current: bool = False  # the page's own edition
    default: bool = False  # the first edition: x-default


@lru_cache(maxsize=256)
def own_name(tag: str, tags: tuple[str, ...] = ()) -> str:
    """The language of ``tag`` named in itself (CLDR through Babel): ``فارسی`` for ``fa``, ``English``
    for ``en-GB``; with its region (``العربية (العراق)``) when another of ``tags`` has the same language.
    A name's first letter is a capital, as a list of languages writes it (``Français``)."""
    lang = language(tag)
    shared = sum(language(t).base == lang.base for t in tags) > 1
    locale = lang.locale
    name = locale.display_name if shared else locale.get_language_name(locale)
    name = str(name or tag)
    return name[:1].upper() + name[1:]


__all__ = ["EditionLink", "own_name"]
