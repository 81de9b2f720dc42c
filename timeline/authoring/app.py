"""The authoring app: the health panel, the forms, the preview and Review & save on one data folder."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ipywidgets as w

from ..core.dataset import Dataset, load, save
from ..core.schema import TABLES
from ..core.story import STORY_FILE, data_folder, story_language
from ..errors import LoadError, SaveError, TimelineError, ValidationError
from ..i18n.markers import N_
from ..i18n.tags import language as checked_language
from ..views.assets import asset_text, inline_fonts
from ..views.figure import PLOTLY_CONFIG, build_figure
from ..views.render import render_event_card
from .fields import STATIC
from .form import RowForm
from .render import changes_html, esc, health_html, problems_html, status_html
from .story import StoryForm
from .words import ENGLISH, Words

PREVIEW_DELAY = 0.25  # s: in a kernel, the preview follows typing once it pauses this long
TAB_TITLES = (N_("Story"), N_("Event"), N_("Claim"), N_("Source"), N_("Review & save"))
#: The class a right-to-left app's container carries, and the rule that turns it (STYLE_RTL).
RTL_CLASS = "timeline-authoring-rtl"
#: The rule that turns a right-to-left app's container (static/rtl.css).
STYLE_RTL = f"<style>{(STATIC / 'rtl.css').read_text(encoding='utf-8')}</style>"


class AuthoringApp(w.VBox):
    """The whole authoring flow on one data folder; see the package's docstring.

    The folder may be empty or missing (a story being started): its tables are then
    empty, and Save creates the files.
    """

    def __init__(self, folder: str | os.PathLike[str], *, language: str | None = None) -> None:
        self.folder = Path(folder)
        if self.folder.exists() and not self.folder.is_dir():
            raise LoadError(
                f"{self.folder} is a file, not a folder; give the story's folder", str(self.folder)
            )
        #: The app's words: the analyst's ``language`` when given, else the story's (story.json).
        self.words = Words(
            checked_language(language).tag
            if language is not None
            else story_language(self.folder if self.folder.is_dir() else None).tag
        )
        t = self.words
        self.ds: Dataset = load(self.folder, missing_ok=True)
        self.base: Dataset = self.ds.copy()  # the files as loaded: what a save replaces
        self._timers: dict[str, Any] = {}
        self.health = w.HTML()
        self.changes = w.HTML()
        self.save_status = w.HTML()
        self.save_button = w.Button(
            description=t._("Save to %(folder)s/", folder=self.folder.name),
            button_style="success",
            icon="save",
        )
        self.reload_button = w.Button(
            description=t._("Reload from disk"),
            tooltip=t._("Read the files again (asks before it discards unsaved edits)"),
        )
        self.discard_button = w.Button(
            description=t._("Discard them and reload"), button_style="danger"
        )
        self.keep_button = w.Button(description=t._("Keep editing"))
        self.confirm = w.VBox(
            [w.HTML(), w.HBox([self.discard_button, self.keep_button])],
            layout=w.Layout(display="none"),
        )
        self.save_button.on_click(lambda _b: self.save())
        self.reload_button.on_click(lambda _b: self.reload())
        self.discard_button.on_click(lambda _b: self.reload(discard=True))
        self.keep_button.on_click(lambda _b: self._ask(None))
        self.live = w.Checkbox(description=t._("live preview"), value=True, indent=False)
        self.figure_out = w.Output(layout=w.Layout(width="100%"))
        self.card = w.HTML()
        self.preview_note = w.HTML()
        self.forms: dict[str, RowForm] = {}
        self.story = StoryForm(self, self.folder, t)
        self.story.load(self.folder)
        self.forms = {name: RowForm(self, name) for name in ("events", "claims", "sources")}
        unsaved, preview_title = t._("Unsaved changes"), t._("Preview")
        save_panel = w.VBox(
            [
                w.HTML(f"<h3>{esc(unsaved)}</h3>"),
                self.changes,
                w.HBox([self.save_button, self.reload_button]),
                self.confirm,
                self.save_status,
            ]
        )
        self.tabs = w.Tab(
            children=[self.story, *self.forms.values(), save_panel],
            titles=tuple(t._(title) for title in TAB_TITLES),
        )
        self.tabs.observe(lambda _c: self.show_preview(self.ds, None), names="selected_index")
        preview = w.VBox(
            [
                w.HTML(f"<h3>{esc(preview_title)}</h3>"),
                self.live,
                self.preview_note,
                self.card,
                self.figure_out,
            ]
        )
        parts: list[w.Widget] = [self.health, self.tabs, preview]
        if t.dir == "rtl":
            parts.insert(0, w.HTML(STYLE_RTL))
        super().__init__(parts)
        if t.dir == "rtl":
            self.add_class(RTL_CLASS)
        self.changed()

    def __repr__(self) -> str:
        # The text a notebook stores beside the widget: short, and without the machine's paths.
        return f"<timeline authoring app on {self.folder.name}/: run the cell to open it>"

    # -------------------------------------------------------------- refresh
    def changed(self) -> None:
        """Refresh everything that shows the working copy: health, id lists, unsaved changes, preview."""
        for form in self.forms.values():
            form.refresh_options()
        self.story_changed(at_once=True)
        self.show_preview(self.ds, None)

    def story_changed(self, *, at_once: bool = False) -> None:
        """Refresh the health panel and the unsaved changes (in a kernel, once typing pauses)."""

        def refresh() -> None:
            # story.json's problems are the Story tab's (the working title), not the file's
            problems = [
                p for p in self.ds.validate() if Path(p.file).name != STORY_FILE
            ] + self.story.problems()
            self.health.value = health_html(
                self.ds, problems, new=self._not_on_disk(), t=self.words
            )
            self.changes.value = changes_html(
                self.ds.diff(self.base), self.story.changes(), self.words
            )

        if at_once:
            refresh()
        else:
            self._later("health", refresh)

    def _not_on_disk(self) -> list[str]:
        """The files a save would create (a story being started)."""
        names = [t.filename for t in TABLES] + list(self.story.pending())
        return [name for name in names if not (self.folder / name).exists()]

    def unsaved(self) -> bool:
        return bool(self.ds.diff(self.base)) or bool(self.story.changes())

    def _later(self, key: str, action: Callable[[], None]) -> None:
        """Run ``action`` once typing pauses (in a kernel: its event loop's timer); at once elsewhere."""
        loop = _kernel_loop()
        if loop is None:
            action()
            return
        if key in self._timers:
            loop.remove_timeout(self._timers.pop(key))

        def run() -> None:
            self._timers.pop(key, None)
            action()

        self._timers[key] = loop.call_later(PREVIEW_DELAY, run)

    def preview_form(self, form: RowForm) -> None:
        if self.live.value and self.forms:
            self._later("preview", lambda: self.show_preview(*form.trial(), hint=form.card_hint))

    def show_preview(self, ds: Dataset, event_id: str | None, *, hint: str | None = None) -> None:
        """The dashboard's timeline figure for ``ds`` and the card of ``event_id``.

        ``hint`` says what the card shows once there is one (default: the current tab's).
        """
        self.preview_note.value = ""
        try:
            fig = build_figure(ds)
            # No "responsive" config: in JupyterLab it sizes the chart to its output area, which
            # has no height yet on first render, so the chart came out 0 px tall (#14).
            # The toolbar as on the pages: no button that uploads the chart to Plotly's cloud.
            plot = {**json.loads(fig.to_json()), "config": PLOTLY_CONFIG}
            bundle = {
                "application/vnd.plotly.v1+json": plot,
                "text/plain": f"<timeline figure: {ds.summary()}>",
            }
            self.figure_out.outputs = (
                {"output_type": "display_data", "data": bundle, "metadata": {}},
            )
        except Exception as e:  # the preview must never show a traceback
            self.figure_out.outputs = ()
            self.preview_note.value = status_html(
                self.words._("The timeline cannot be drawn yet: %(why)s", why=e),
                ok=False,
                t=self.words,
            )
        if hint is None:
            form = self._current_form()
            hint = form.card_hint if form is not None else ""
        self.card.value = self._card(ds, event_id, hint)

    def _current_form(self) -> RowForm | None:
        shown = self.tabs.children[self.tabs.selected_index or 0] if self.forms else None
        return shown if isinstance(shown, RowForm) else None

    def _card(self, ds: Dataset, event_id: str | None, hint: str) -> str:
        if not event_id:
            return f"<p><i>{esc(hint)}</i></p>" if hint else ""
        try:
            card = render_event_card(ds, event_id)
        except KeyError:
            said = self.words._("No event '%(id)s' to show yet.", id=esc(event_id))
            return f"<p><i>{said}</i></p>"
        except Exception as e:  # the preview must never show a traceback
            return status_html(
                self.words._("The card cannot be drawn yet: %(why)s", why=e), ok=False, t=self.words
            )
        return (
            f"<style>{inline_fonts(asset_text('timeline.css'), embed=False)}</style>"
            f'<div class="tl-app"><ol class="tl-list" style="list-style:none;padding:0">{card}</ol></div>'
        )

    # ---------------------------------------------------------------- save
    def save(self) -> bool:
        """Write the working copy and the story; refused with the reasons when invalid, stale or locked."""
        t = self.words
        diff, story = self.ds.diff(self.base), self.story.changes()
        pending = self.story.pending()
        try:
            written = save(self.ds, also=pending)
        except ValidationError as e:
            errors = [p for p in e.problems if p.severity == "error"]
            self.save_status.value = status_html(
                t._("Not saved: the data has %(n)s error(s); nothing was written.", n=len(errors)),
                ok=False,
                t=t,
            ) + problems_html(errors, t=t)
            return False
        except SaveError as e:
            said = t._(
                "Not saved: %(why)s\nUse 'Reload from disk' to read the new files "
                "(it asks before it discards your unsaved edits).",
                why=t.problem(str(e)),
            )
            self.save_status.value = status_html(said, ok=False, t=t)
            return False
        except OSError as e:  # a full disk, a read-only folder: every file is as it was
            self.save_status.value = status_html(
                t._(
                    "Not saved: the files could not be written (%(why)s); every file is as it was.",
                    why=e,
                ),
                ok=False,
                t=t,
            )
            return False
        for text, _loaded in pending.values():
            self.story.written(text)
        self.base = self.ds.copy()
        done = (
            t._("Saved %(files)s.", files=", ".join(written))
            if written
            else t._("Nothing to save: the files already hold this data.")
        )
        self.save_status.value = status_html(done, ok=True, t=t) + changes_html(diff, story, t)
        self.changed()
        return True

    def reload(self, *, discard: bool = False) -> bool:
        """Read the folder again. With unsaved edits, first ask (``discard=True`` is the answer yes)."""
        t = self.words
        if self.unsaved() and not discard:
            self._ask(t._("You have unsaved changes (see above). Reloading discards them."))
            return False
        self._ask(None)
        self.ds = load(self.folder, missing_ok=True)
        self.base = self.ds.copy()
        self.story.load(self.folder)
        self.changed()
        self.save_status.value = status_html(
            t._("Reloaded %(folder)s; unsaved edits were discarded.", folder=self.folder)
            if discard
            else t._("Reloaded %(folder)s.", folder=self.folder),
            ok=True,
            t=t,
        )
        return True

    def _ask(self, question: str | None) -> None:
        """Show the reload's question with its two answers, or hide it (``None``)."""
        self.confirm.children[0].value = (
            status_html(question, ok=False, t=self.words) if question else ""
        )
        self.confirm.layout.display = "" if question else "none"
        if question:
            self.save_status.value = ""


def _kernel_loop() -> Any:
    """The running IPython kernel's event loop (tornado), or ``None`` outside a kernel."""
    from IPython import get_ipython

    return getattr(getattr(get_ipython(), "kernel", None), "io_loop", None)


def build_authoring(
    folder: str | os.PathLike[str] | None = None, *, language: str | None = None
) -> w.Widget:
    """The authoring app for ``folder`` (default: ``TIMELINE_DATA`` or the nearest ``data/``).

    The app speaks the story's language (``story.json``'s ``language``); ``language`` (a BCP 47 tag)
    overrides it, so an analyst can work in their own language on another language's story.
    A folder that cannot be read gives a short message instead of a traceback.
    """
    path = data_folder(folder)
    try:
        return AuthoringApp(path, language=language)
    except TimelineError as e:
        t = ENGLISH
        if language is not None:
            try:
                t = Words(checked_language(language).tag)
            except TimelineError:
                pass
        said = t._("The authoring app cannot open %(folder)s: %(why)s", folder=path, why=e)
        return w.HTML(status_html(said, ok=False, t=t))
