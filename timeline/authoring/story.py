"""The Story tab: the story's title and standfirst (``story.json``), saved with the tables."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Protocol

import ipywidgets as w

from ..core.story import DEFAULTS, STORY_FILE, story_json, story_meta
from ..i18n.markers import N_, Message
from ..problems import Problem
from .fields import STYLE, wide
from .render import esc
from .words import ENGLISH, Words

KEYS = ("title", "standfirst")
NO_TITLE_SENTENCE = N_(
    "The story has no title: the site, share cards and snapshot are headed '%(default)s'."
)
NO_TITLE_FIX = N_(
    "the story has no title: the site, share cards and snapshot are headed '%(default)s'; "
    "give it one in the Story tab"
)


class Host(Protocol):
    """What the Story tab needs of the app that holds it."""

    def story_changed(self) -> None:
        """The title or standfirst changed: refresh what shows them."""


def read_story(folder: Path) -> tuple[dict[str, Any], bytes | None]:
    """``story.json``'s object and bytes as on disk; ``{}`` and ``None`` when there is none.

    A file that is not a JSON object raises :class:`timeline.LoadError` (file, line, fix).
    """
    path = folder / STORY_FILE
    if not path.is_file():
        return {}, None
    story_meta(folder)  # the core's checks and messages
    data = path.read_bytes()
    loaded: dict[str, Any] = json.loads(data.decode("utf-8-sig"))
    return loaded, data


class StoryForm(w.VBox):
    """The story's title and standfirst; a warning while there is no title."""

    def __init__(self, host: Host, folder: Path, t: Words = ENGLISH) -> None:
        self.host = host
        self.words = t
        self.file = str(folder / STORY_FILE)
        self.title = w.Text(
            description=t.column("title"),
            placeholder=t._("what the site, the share cards and the snapshot are headed"),
            style=STYLE,
            layout=wide(),
        )
        self.standfirst = w.Textarea(
            description=t.column("standfirst"),
            placeholder=t._("one or two sentences under the title: what the story follows"),
            style=STYLE,
            layout=wide(),
        )
        self.warning = w.HTML()
        self.raw: dict[str, Any] = {}
        self.loaded: bytes | None = None
        self._quiet = False
        for field in (self.title, self.standfirst):
            field.observe(self._on_change, names="value")
        super().__init__(
            [
                w.HTML(
                    t._(
                        "<b>The story</b> (%(file)s): saved with the data by Review &amp; save.",
                        file=esc(STORY_FILE),
                    )
                ),
                self.title,
                self.warning,
                self.standfirst,
            ]
        )

    def load(self, folder: Path) -> None:
        """Show ``story.json`` as it is in ``folder`` (empty fields when there is none)."""
        self.raw, self.loaded = read_story(folder)
        self._quiet = True
        try:
            self.title.value, self.standfirst.value = (self.saved()[k] for k in KEYS)
        finally:
            self._quiet = False
        self._on_change()

    def saved(self) -> dict[str, str]:
        """The title and standfirst as on disk."""
        return {k: v if isinstance(v := self.raw.get(k), str) else "" for k in KEYS}

    def draft(self) -> dict[str, str]:
        return {"title": self.title.value.strip(), "standfirst": self.standfirst.value.strip()}

    def changes(self) -> list[tuple[str, str, str]]:
        """``(key, as saved, as drafted)`` for each key the draft changes."""
        saved, draft = self.saved(), self.draft()
        return [(k, saved[k], draft[k]) for k in KEYS if saved[k] != draft[k]]

    def pending(self) -> dict[str, tuple[str, bytes | None]]:
        """What a save writes: ``{"story.json": (text, bytes as loaded)}``, or nothing.

        Written when the title or standfirst changed; a folder without story.json gets one
        once the story has a title or standfirst. Other keys of the file are kept.
        """
        draft = self.draft()
        if not self.changes() and (self.loaded is not None or not any(draft.values())):
            return {}
        extra = {k: v for k, v in self.raw.items() if k not in KEYS}
        text = (
            json.dumps({**self.raw, **draft}, ensure_ascii=False, indent=2) + "\n"
            if extra
            else story_json(draft["title"], draft["standfirst"])
        )
        return {STORY_FILE: (text, self.loaded)}

    def written(self, text: str) -> None:
        """A save wrote ``text`` to story.json: it is now the file as loaded."""
        self.raw, self.loaded = json.loads(text), text.encode("utf-8")

    def problems(self) -> list[Problem]:
        if self.title.value.strip():
            return []
        return [
            Problem(
                self.file,
                None,
                "title",
                Message(NO_TITLE_FIX, default=DEFAULTS["title"]),
                "warning",
            )
        ]

    def _on_change(self, _change: object = None) -> None:
        if self._quiet:
            return
        said = self.words._(NO_TITLE_SENTENCE, default=DEFAULTS["title"])
        self.warning.value = (
            f'<span style="color:#8a4b00">⚠ {esc(said)}</span>'
            if not self.title.value.strip()
            else ""
        )
        self.host.story_changed()
