"""The kit's own words in the reader's language: gettext catalogues (Babel), for Python and for Jinja.

The catalogues ship as their sources, ``locales/<lang>/LC_MESSAGES/timeline.po`` (one per shipped
language, and ``locales/timeline.pot`` extracted from our Python, templates and JavaScript by
``make messages``). They are compiled in memory when a language is first asked for (Babel writes the
``.mo`` bytes; :class:`babel.support.Translations` reads them): no compiled file can drift from its
source, and an editable install and a wheel behave the same.

A language without a catalogue of its own falls back to its base language (``ar-IQ`` -> ``ar``), then to
English (the message as written in the code). Plurals follow the catalogue's ``Plural-Forms``, which
Babel writes from CLDR's rules (Arabic has six forms: zero, one, two, few, many, other).
"""

from __future__ import annotations

import gettext as stdlib_gettext
from functools import lru_cache
from importlib import resources
from io import BytesIO
from typing import TYPE_CHECKING

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from .markers import NNP_, NP_
from .tags import language

if TYPE_CHECKING:
    from importlib.abc import Traversable

    from jinja2 import Environment

DOMAIN = "timeline"
LOCALES = "locales"
#: What ``pybabel extract`` collects besides gettext's own names (``make messages`` passes the same).
KEYWORDS = {"N_": None, "NP_": ((1, "c"), 2), "NNP_": ((1, "c"), 2, 3)}

#: The words a desk's translator settles first; each language's GLOSSARY.md says why each was chosen.
GLOSSARY = (
    NP_("glossary", "claim"),
    NP_("glossary", "source"),
    NP_("glossary", "fact check"),
    NP_("glossary", "verdict"),
)
#: Counts, in each language's plural forms; ``%(num)s`` is the number already written in the language.
COUNTS = {
    "claims": NNP_("count", "%(num)s claim", "%(num)s claims"),
    "sources": NNP_("count", "%(num)s source", "%(num)s sources"),
    "events": NNP_("count", "%(num)s event", "%(num)s events"),
}


def locales_dir() -> Traversable:
    """Where the shipped catalogues are (inside the installed package)."""
    return resources.files(__package__).joinpath(LOCALES)


def catalogue_file(code: str) -> Traversable:
    """The ``.po`` source of catalogue ``code`` (``fa``, ``ar``, ``pt_BR``)."""
    return locales_dir() / code / "LC_MESSAGES" / f"{DOMAIN}.po"


def shipped_catalogues() -> list[str]:
    """The catalogues that ship, by code (``ar``, ``de``, ``en``, ...)."""
    return sorted(
        p.name for p in locales_dir().iterdir() if (p / "LC_MESSAGES" / f"{DOMAIN}.po").is_file()
    )


@lru_cache(maxsize=32)
def _compiled(code: str) -> Translations:
    with catalogue_file(code).open("rb") as f:
        catalogue = read_po(f, locale=code, domain=DOMAIN)
    buffer = BytesIO()
    write_mo(buffer, catalogue)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


@lru_cache(maxsize=64)
def translations(tag: str) -> stdlib_gettext.NullTranslations:
    """The translations of a language (BCP 47): its region's catalogue, its language's, else English."""
    lang = language(tag)
    shipped = shipped_catalogues()
    for code in (lang.tag.replace("-", "_"), lang.base):
        if code in shipped:
            return _compiled(code)
    return stdlib_gettext.NullTranslations()


def gettext(message: str, tag: str) -> str:
    """``message`` in language ``tag``."""
    return translations(tag).gettext(message)


def pgettext(context: str, message: str, tag: str) -> str:
    """``message`` of ``context`` (as marked with ``NP_``) in language ``tag``."""
    return translations(tag).pgettext(context, message)


def ngettext(singular: str, plural: str, n: int, tag: str) -> str:
    """The form of ``singular``/``plural`` that the number ``n`` takes in language ``tag``."""
    return translations(tag).ngettext(singular, plural, n)


def npgettext(context: str, singular: str, plural: str, n: int, tag: str) -> str:
    """As :func:`ngettext`, for a message of ``context`` (as marked with ``NNP_``)."""
    return translations(tag).npgettext(context, singular, plural, n)


def count(what: str, n: int, tag: str, *, num: str | None = None) -> str:
    """``"3 claims"`` in language ``tag``: a :data:`COUNTS` message in the plural form ``n`` takes.

    ``num`` is the number as the page writes it (from :func:`timeline.i18n.formats.format_number`);
    the Latin digits of ``n`` when not given.
    """
    singular, plural = COUNTS[what]
    return npgettext("count", singular, plural, n, tag) % {"num": str(n) if num is None else num}


def install_jinja(env: Environment, tag: str) -> Environment:
    """Give a Jinja environment ``{% trans %}``, ``_()``, ``gettext``, ``ngettext``, ``pgettext`` in ``tag``.

    Adds ``jinja2.ext.i18n`` and installs the language's translations (new-style: ``_("%(n)s", n=1)``
    formats and escapes). Takes the environment (this layer imports no Jinja); returns it.
    """
    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_translations(translations(tag), newstyle=True)  # type: ignore[attr-defined]
    return env
