"""The served pages in the story's language: ``lang`` and ``dir`` of the dashboard's page and of the
server's own short pages (busy, failed), and their words through the catalogues.

The story's language is read from ``story.json`` (``timeline.core.story.story_language``); a
``story.json`` the validator refuses reads as English here (the page then shows the validator's
problems, in the kit's words).
"""

from __future__ import annotations

from pathlib import Path

from ..core.story import story_language
from ..errors import LoadError
from ..i18n import catalogues
from ..i18n.markers import N_
from ..i18n.tags import DEFAULT_LANGUAGE, Language, language

#: The words of the server's own pages, by key (translated in :func:`page_words`).
WORDS = {
    "cannot_show": N_("This timeline cannot be shown right now"),
    "could_not_build": N_("The server could not build this page; its log says why."),
    "reload": N_("Reload the page"),
    "busy_title": N_("Busy: please try again in a few seconds"),
    "busy": N_(
        "Many readers are opening this timeline right now. This page tries again by itself "
        "in %(seconds)s seconds."
    ),
}


def served_language(folder: str | Path | None) -> Language:
    """The story's language (its tag and direction); English when story.json is unusable."""
    try:
        return story_language(Path(folder) if folder is not None else None)
    except LoadError:
        return language(DEFAULT_LANGUAGE)


def page_words(tag: str) -> dict[str, str]:
    """:data:`WORDS` in language ``tag`` (English: as written)."""
    if language(tag).base == "en":
        return dict(WORDS)
    return {k: catalogues.gettext(v, tag) for k, v in WORDS.items()}


def page_resources(folder: str | Path | None) -> dict[str, object]:
    """What the page's template takes of the language: ``lang``, ``dir`` and ``words``."""
    lang = served_language(folder)
    return {"lang": lang.tag, "dir": lang.direction, "words": page_words(lang.tag)}
