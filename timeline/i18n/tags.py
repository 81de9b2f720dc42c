"""A story's language: a BCP 47 tag (``fa``, ``ar-IQ``, ``en-GB``), checked against CLDR through Babel.

``language("ar-IQ")`` gives the canonical tag, Babel's locale and the script's direction (``rtl`` for
Arabic script and Hebrew, from CLDR's character order). A tag CLDR does not know, or one written in
another convention (``en_GB``, ``farsi``, ``iw``), is refused with the tag to write instead.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from functools import lru_cache

from babel import Locale, UnknownLocaleError

from ..errors import OptionError
from .markers import N_, Message

DEFAULT_LANGUAGE = "en"
#: The languages whose catalogues ship with the kit (timeline/i18n/locales/).
SHIPPED = ("ar", "de", "en", "es", "fa", "fr")
#: English names of languages that CLDR's English names do not list (CLDR says "Persian").
EXONYMS = {"farsi": "fa", "castilian": "es"}


@dataclass(frozen=True)
class Language:
    """A checked language: its canonical BCP 47 tag and its script's direction."""

    tag: str  # canonical BCP 47: language lower case, script title case, region upper case
    direction: str  # "rtl" or "ltr", from CLDR's character order

    @property
    def locale(self) -> Locale:
        """Babel's locale for this tag (``ar_IQ`` for ``ar-IQ``)."""
        return _locale(self.tag)

    @property
    def base(self) -> str:
        """The language subtag alone (``ar`` for ``ar-IQ``)."""
        return self.tag.split("-", 1)[0]


@lru_cache(maxsize=256)
def _locale(tag: str) -> Locale:
    return Locale.parse(tag, sep="-")


def _parse(value: str) -> Locale | None:
    try:
        return _locale(value)
    except (UnknownLocaleError, ValueError, TypeError):
        return None


@lru_cache(maxsize=256)
def language(tag: str = DEFAULT_LANGUAGE) -> Language:
    """The checked language of ``tag`` (BCP 47, any letter case); ``OptionError`` says what to write instead."""
    value = str(tag).strip()
    found = _parse(value) if value and "_" not in value else None
    if found is None or _written(found, value).lower() != value.lower():
        raise OptionError(_refusal(value, found))
    return Language(_written(found, value), found.text_direction)


def _written(found: Locale, value: str) -> str:
    """``found`` as a tag with the subtags ``value`` wrote: Babel adds the likely script (``zh-TW`` is
    ``zh-Hant-TW`` to it), which the tag keeps implicit when the writer did."""
    has_script = any(len(p) == 4 and p.isalpha() for p in value.split("-")[1:])
    script = found.script if has_script else None
    return "-".join(p for p in (found.language, script, found.territory, found.variant) if p)


def _refusal(value: str, resolved: Locale | None) -> str:
    """Why ``value`` is not a tag to use, with the tag to write when one can be guessed."""
    if not value:
        return Message(
            N_("the language is empty; write a BCP 47 tag such as 'en', 'fa', 'ar-IQ' or 'en-GB'")
        )
    guess: str | None = suggest(value)
    if (
        resolved is not None
    ):  # an old code (``iw``, ``per``): the language it stands for, with no region added
        guess = _written(resolved, value) if "-" in value else resolved.language
    if guess:
        return Message(
            N_(
                "'%(value)s' is not a BCP 47 language tag that CLDR knows; did you mean "
                "'%(match)s'? A tag is a language code, then an optional region, joined by '-': "
                "'en', 'fa', 'ar', 'ar-IQ', 'fr', 'en-GB'"
            ),
            value=value,
            match=guess,
        )
    return Message(
        N_(
            "'%(value)s' is not a BCP 47 language tag that CLDR knows; A tag is a language code, "
            "then an optional region, joined by '-': 'en', 'fa', 'ar', 'ar-IQ', 'fr', 'en-GB'"
        ),
        value=value,
    )


def suggest(value: str) -> str | None:
    """The tag a writer most likely meant by ``value`` (``en_GB``, ``Farsi``, ``arabic``, ``fr-fr``), or None."""
    text = value.strip()
    if "_" in text or " " not in text:
        candidate = text.replace("_", "-")
        found = _parse(candidate)
        if found is not None:
            return _written(found, candidate)
    key = text.casefold()
    if key in EXONYMS:
        return EXONYMS[key]
    names = _names()
    if key in names:
        return names[key]
    close = difflib.get_close_matches(key, list(names), n=1, cutoff=0.8)
    return names[close[0]] if close else None


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    """Every language's name as the shipped languages write it (``persian``, ``فارسی``, ``français``) -> tag."""
    out: dict[str, str] = {}
    for shipped in SHIPPED:
        for code, name in Locale.parse(shipped).languages.items():
            found = _parse(code.replace("_", "-"))
            if found is not None:
                out.setdefault(name.casefold(), _written(found, code.replace("_", "-")))
    for shipped in SHIPPED:  # each language's own name for itself wins
        out[str(Locale.parse(shipped).get_display_name(shipped)).casefold()] = shipped
    return out
