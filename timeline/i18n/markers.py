"""Markers for words to translate that are written down before anyone knows the reader's language.

``NP_("verdict", "Accurate")`` returns ``"Accurate"`` unchanged; ``pybabel extract`` (``make messages``)
collects it, with its context, into ``locales/timeline.pot``. The words are translated where they are
shown, with :func:`timeline.i18n.catalogues.pgettext` and the same context. Importing this module costs
nothing (it imports nothing), so the data core can mark its vocabulary.
"""

from __future__ import annotations


def N_(message: str) -> str:
    """Mark ``message`` for translation; return it unchanged."""
    return message


def NP_(context: str, message: str) -> str:
    """Mark ``message`` for translation in ``context`` (a verdict's label, a glossary word); return it unchanged."""
    return message


def NNP_(context: str, singular: str, plural: str) -> tuple[str, str]:
    """Mark a message with plural forms in ``context``; return its English singular and plural."""
    return singular, plural
