"""The authoring app: the health panel, the forms, the preview and Review & save on one data folder."""

from __future__ import annotations

import json
import os
from pathlib import Path

import ipywidgets as w

from ..core.dataset import Dataset, load, save
from ..core.story import data_folder
from ..errors import SaveError, TimelineError, ValidationError
from ..views.assets import asset_text
from ..views.figure import build_figure
from ..views.render import render_event_card
from .form import RowForm
from .render import diff_html, esc, health_html, problems_html, status_html


class AuthoringApp(w.VBox):
    """The whole authoring flow on one data folder; see the module docstring."""

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self.folder = Path(folder)
        self.ds: Dataset = load(self.folder)
        self.base: Dataset = self.ds.copy()  # the files as loaded: what a save replaces
        self.health = w.HTML()
        self.changes = w.HTML()
        self.save_status = w.HTML()
        self.save_button = w.Button(description=f"Save to {self.folder.name}/", button_style="success", icon="save")
        self.reload_button = w.Button(description="Reload from disk", tooltip="Discard unsaved edits and read the files again")
        self.save_button.on_click(lambda _b: self.save())
        self.reload_button.on_click(lambda _b: self.reload())
        self.live = w.Checkbox(description="live preview", value=True, indent=False)
        self.figure_out = w.Output(layout=w.Layout(width="100%"))
        self.card = w.HTML()
        self.preview_note = w.HTML()
        self.forms: dict[str, RowForm] = {}
        self.forms = {name: RowForm(self, name) for name in ("events", "claims", "sources")}
        save_panel = w.VBox([w.HTML("<h3>Unsaved changes</h3>"), self.changes,
                             w.HBox([self.save_button, self.reload_button]), self.save_status])
        self.tabs = w.Tab(children=[self.forms["events"], self.forms["claims"], self.forms["sources"], save_panel])
        for i, title in enumerate(["Event", "Claim", "Source", "Review & save"]):
            self.tabs.set_title(i, title)
        preview = w.VBox([w.HTML("<h3>Preview</h3>"), self.live, self.preview_note, self.card, self.figure_out])
        super().__init__([self.health, self.tabs, preview])
        self.changed()

    def __repr__(self) -> str:
        # The text a notebook stores beside the widget: short, and without the machine's paths.
        return f"<timeline authoring app on {self.folder.name}/: run the cell to open it>"

    # -------------------------------------------------------------- refresh
    def changed(self) -> None:
        """Refresh everything that shows the working copy: health, id lists, unsaved changes, preview."""
        self.health.value = health_html(self.ds, self.ds.validate())
        for form in self.forms.values():
            form.refresh_options()
        self.changes.value = diff_html(self.ds.diff(self.base))
        self.show_preview(self.ds, None)

    def preview_form(self, form: RowForm) -> None:
        if self.live.value and self.forms:
            trial, event_id = form.trial()
            self.show_preview(trial, event_id)

    def show_preview(self, ds: Dataset, event_id: str | None) -> None:
        """The dashboard's timeline figure for ``ds`` and the card of ``event_id``."""
        self.preview_note.value = ""
        try:
            fig = build_figure(ds)
            # No "responsive" config: in JupyterLab it sizes the chart to its output area, which
            # has no height yet on first render, so the chart came out 0 px tall (#14).
            bundle = {"application/vnd.plotly.v1+json": json.loads(fig.to_json()),
                      "text/plain": f"<timeline figure: {ds.summary()}>"}
            self.figure_out.outputs = ({"output_type": "display_data", "data": bundle, "metadata": {}},)
        except Exception as e:  # the preview must never show a traceback
            self.figure_out.outputs = ()
            self.preview_note.value = status_html(f"The timeline cannot be drawn yet: {e}", ok=False)
        self.card.value = self._card(ds, event_id)

    def _card(self, ds: Dataset, event_id: str | None) -> str:
        if not event_id:
            return "<p><i>The card of the event being drafted appears here.</i></p>"
        try:
            card = render_event_card(ds, event_id)
        except KeyError:
            return f"<p><i>No event '{esc(event_id)}' to show yet.</i></p>"
        except Exception as e:  # the preview must never show a traceback
            return status_html(f"The card cannot be drawn yet: {e}", ok=False)
        return (f"<style>{asset_text('timeline.css')}</style>"
                f'<div class="tl-app"><ol class="tl-list" style="list-style:none;padding:0">{card}</ol></div>')

    # ---------------------------------------------------------------- save
    def save(self) -> bool:
        """Write the working copy; refused with the reasons when invalid, stale or locked."""
        diff = self.ds.diff(self.base)
        try:
            written = save(self.ds)
        except ValidationError as e:
            self.save_status.value = status_html(
                f"Not saved: the data has {len([p for p in e.problems if p.severity == 'error'])} error(s); "
                "nothing was written.", ok=False) + problems_html([p for p in e.problems if p.severity == "error"])
            return False
        except SaveError as e:
            hint = "\nUse 'Reload from disk' to read the new files (your unsaved edits are discarded)."
            self.save_status.value = status_html(f"Not saved: {e}{hint}", ok=False)
            return False
        except OSError as e:  # a full disk, a read-only folder: every file is as it was
            self.save_status.value = status_html(f"Not saved: the files could not be written ({e}); "
                                                 "every file is as it was.", ok=False)
            return False
        self.base = self.ds.copy()
        done = f"Saved {', '.join(written)}." if written else "Nothing to save: the files already hold this data."
        self.save_status.value = status_html(done, ok=True) + diff_html(diff)
        self.changed()
        return True

    def reload(self) -> None:
        """Read the folder again, discarding unsaved edits."""
        self.ds = load(self.folder)
        self.base = self.ds.copy()
        self.changed()
        self.save_status.value = status_html(f"Reloaded {self.folder}; unsaved edits were discarded.", ok=True)


def build_authoring(folder: str | os.PathLike[str] | None = None) -> w.Widget:
    """The authoring app for ``folder`` (default: ``TIMELINE_DATA`` or the nearest ``data/``).

    A folder that cannot be read gives a short message instead of a traceback.
    """
    path = data_folder(folder)
    try:
        return AuthoringApp(path)
    except TimelineError as e:
        return w.HTML(status_html(f"The authoring app cannot open {path}: {e}", ok=False))
