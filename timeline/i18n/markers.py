"""Markers for words to translate that are written down before anyone knows the reader's language.

``NP_("verdict", "Accurate")`` returns ``"Accurate"`` unchanged; ``pybabel extract`` (``make messages``)
collects it, with its context, into ``locales/timeline.pot``. The words are translated where they are
shown, with :func:`timeline.i18n.catalogues.pgettext` and the same context. Importing this module costs
nothing (it imports nothing), so the data core can mark its vocabulary and its messages
(:class:`Message`: English text that remembers its template).
"""

from __future__ import annotations

from typing import Any


def N_(message: str) -> str:
    """Mark ``message`` for translation; return it unchanged."""
    return message


def NP_(context: str, message: str) -> str:
    """Mark ``message`` for translation in ``context`` (a verdict's label, a glossary word); return it unchanged."""
    return message


def NNP_(context: str, singular: str, plural: str) -> tuple[str, str]:
    """Mark a message with plural forms in ``context``; return its English singular and plural."""
    return singular, plural


class Message(str):
    """A message in English that remembers its template and arguments, to be said again in another language.

    ``Message(N_("unknown source id '%(id)s'"), id="x")`` is the ``str`` ``unknown source id 'x'``, so
    everything that prints, compares or stores it sees the English text as before; a reader in another
    language (the authoring app's problem list) says ``gettext(m.template) % m.args`` instead.
    """

    template: str
    args: dict[str, Any]

    def __new__(cls, template: str, /, **args: Any) -> Message:
        self = super().__new__(cls, template % args if args else template)
        self.template = template
        self.args = args
        return self

    @classmethod
    def said_as(cls, text: str, template: str, /, **args: Any) -> Message:
        """``text`` as written, said in another language as ``template`` (``text`` is its English, reworded)."""
        self = super().__new__(cls, text)
        self.template = template
        self.args = args
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        # copies and pickles keep the template (dataclasses.asdict deep-copies a Problem's message)
        return (_message, (str(self), self.template, self.args))


def _message(text: str, template: str, args: dict[str, Any]) -> Message:
    return Message.said_as(text, template, **args)
