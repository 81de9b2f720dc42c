"""One form per table: add a row or edit one, the draft checked and previewed as it changes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any, Protocol

import ipywidgets as w

from ..core.dataset import Dataset
from ..core.relative import resolve
from ..core.schema import TABLE_BY_NAME, VERDICT_BY_KEY, Table
from ..core.vocabulary import verdict_in
from ..errors import TimelineError
from ..i18n.markers import N_, NNP_
from ..problems import Problem
from .fields import SEARCH, STYLE, IdList, field_for, get_value, set_value, wide
from .render import esc, problems_html, reading_html, status_html
from .words import ENGLISH, Words

#: What an id-list field says of the ids it takes (the ``refs`` columns list sources).
REFS: dict[str, dict[str, Any]] = {
    "sources": {
        # Translators: %(n)s is how many source ids there are; %(sample)s lists the first three.
        "accepts": N_(
            "Accepts the ids of sources (%(n)s: %(sample)s; the Source tab's edit list searches "
            "them all): type one and press Enter."
        ),
        "none": N_(
            "No source yet: add one in the Source tab, then type its id here and press Enter."
        ),
        "unknown": NNP_(
            "id list",
            "no source has the id %(ids)s (remove it with its ×, or add the source in the Source tab)",
            "no source has the ids %(ids)s (remove them with its ×, or add the source in the Source tab)",
        ),
    },
}
#: What a form says of its own table's rows (one whole sentence per table: each noun is the language's).
ROW = {
    "events": {
        "pick": N_("pick the event to edit from the list"),
        "duplicate": N_("A new event with this one's cells and no id (Add new starts blank)"),
        "duplicate first": N_("Pick the event to duplicate first."),
        "copy": N_(
            "A copy of event '%(id)s': give it an id of its own, change what differs, then Add."
        ),
        "updated": N_(
            "Updated event '%(id)s' in the working copy (not saved yet: see Review & save)."
        ),
        "added": N_("Added event '%(id)s' in the working copy (not saved yet: see Review & save)."),
        "remove first": N_("Pick the event to remove first."),
        "removed": N_("Removed event '%(id)s' (not saved yet)."),
        "card": N_("The card of the event being drafted appears here."),
    },
    "claims": {
        "pick": N_("pick the claim to edit from the list"),
        "duplicate": N_("A new claim with this one's cells and no id (Add new starts blank)"),
        "duplicate first": N_("Pick the claim to duplicate first."),
        "copy": N_(
            "A copy of claim '%(id)s': give it an id of its own, change what differs, then Add."
        ),
        "updated": N_(
            "Updated claim '%(id)s' in the working copy (not saved yet: see Review & save)."
        ),
        "added": N_("Added claim '%(id)s' in the working copy (not saved yet: see Review & save)."),
        "remove first": N_("Pick the claim to remove first."),
        "removed": N_("Removed claim '%(id)s' (not saved yet)."),
        "card": N_("The card of the claim's event (event_id), with the claim, appears here."),
    },
    "sources": {
        "pick": N_("pick the source to edit from the list"),
        "duplicate": N_("A new source with this one's cells and no id (Add new starts blank)"),
        "duplicate first": N_("Pick the source to duplicate first."),
        "copy": N_(
            "A copy of source '%(id)s': give it an id of its own, change what differs, then Add."
        ),
        "updated": N_(
            "Updated source '%(id)s' in the working copy (not saved yet: see Review & save)."
        ),
        "added": N_(
            "Added source '%(id)s' in the working copy (not saved yet: see Review & save)."
        ),
        "remove first": N_("Pick the source to remove first."),
        "removed": N_("Removed source '%(id)s' (not saved yet)."),
        "card": N_("The card of an event that cites this source appears here."),
    },
}


class Host(Protocol):
    """What a form needs of the app that holds it (:class:`timeline.authoring.app.AuthoringApp`)."""

    ds: Dataset
    words: Words

    def changed(self) -> None:
        """The working copy changed: refresh what shows it."""

    def preview_form(self, form: RowForm) -> None:
        """Preview the form's draft."""


class RowForm(w.VBox):
    """Add or edit one row of a table; the draft is checked and previewed as it changes."""

    def __init__(self, app: Host, table: str) -> None:
        self.app = app
        self.words = t = getattr(app, "words", ENGLISH)
        self.table: Table = TABLE_BY_NAME[table]
        self.name = self.table.name
        self._quiet = False
        self._refused = False  # the status shows why the last Apply was refused
        self.mode = w.ToggleButtons(
            options=[(t._("Add new"), "add"), (t._("Edit existing"), "edit")], value="add"
        )
        self.pick = w.Combobox(
            description=t._("edit id"),
            placeholder=t._(SEARCH[self.name]),
            ensure_option=True,
            style=STYLE,
            layout=w.Layout(width="100%", display="none"),
        )
        self.fields: dict[str, w.Widget] = {}
        self.readings: dict[str, w.HTML] = {}
        rows: list[w.Widget] = []
        for col in self.table.columns:
            widget = field_for(col, t)
            self.fields[col.name] = widget
            rows.append(widget)
            if col.kind == "refs":
                self.readings[col.name] = w.HTML()
                rows.append(self.readings[col.name])
            if col.kind == "date":
                self.readings[col.name] = w.HTML()
                rows.append(self.readings[col.name])
            if col.kind == "verdict":
                self.readings[col.name] = w.HTML()
                rows.append(self.readings[col.name])
        self.extra_box = w.VBox()
        self.helper = self._relative_helper() if self.name == "events" else None
        self.new_source = self._new_source_box() if self.name == "claims" else None
        self.draft_html = w.HTML()
        self.status = w.HTML()
        self.apply_button = w.Button(
            description=t._("Add"),
            button_style="primary",
            tooltip=t._("Add this row to the working copy"),
        )
        self.remove_button = w.Button(
            description=t._("Remove"), button_style="danger", layout=w.Layout(display="none")
        )
        self.clear_button = w.Button(description=t._("Clear form"))
        self.duplicate_button = w.Button(
            description=t._("Duplicate this row"),
            icon="copy",
            layout=w.Layout(display="none", width="auto"),
            tooltip=t._(ROW[self.name]["duplicate"]),
        )
        self.apply_button.on_click(lambda _b: self.apply())
        self.remove_button.on_click(lambda _b: self.remove())
        self.clear_button.on_click(lambda _b: self.clear())
        self.duplicate_button.on_click(lambda _b: self.duplicate())
        self.mode.observe(self._on_mode, names="value")
        self.pick.observe(self._on_pick, names="value")
        for widget in self.fields.values():
            widget.observe(self._on_change, names="value")
        problems_title = t._("Problems of this draft")
        parts: list[w.Widget] = [w.HBox([self.mode, self.duplicate_button]), self.pick]
        if self.helper is not None:
            parts.append(self.helper)
        parts += [*rows, self.extra_box]
        if self.new_source is not None:
            parts.append(self.new_source)
        parts += [
            w.HTML(f"<b>{esc(problems_title)}</b>"),
            self.draft_html,
            w.HBox([self.apply_button, self.remove_button, self.clear_button]),
            self.status,
        ]
        super().__init__(parts)
        self.refresh_options()
        self._on_change()

    # ------------------------------------------------------------ sub-forms
    def _relative_helper(self) -> w.Widget:
        t = self.words
        self.phrase = w.Text(
            description=t._("as written"),
            # Translators: the relative-date reader understands English phrases only: keep the examples English.
            placeholder=t._("e.g. tomorrow morning, on Friday, this weekend"),
            style=STYLE,
            layout=wide(),
        )
        self.dateline = w.Text(
            description=t._("dateline"),
            placeholder=t._(
                "the article's date, e.g. 2020-01-06T12:31+00:00 "
                "(default: the first source's published date)"
            ),
            style=STYLE,
            layout=wide(),
        )
        self.tense = w.Dropdown(
            description=t._("tense"),
            options=[
                (t._("from the sentence"), ""),
                (t._("past"), "past"),
                (t._("future"), "future"),
            ],
            value="",
            style=STYLE,
        )
        self.resolve_button = w.Button(description=t._("Fill the dates"))
        self.resolve_note = w.HTML()
        self.resolve_button.on_click(lambda _b: self.resolve_relative())
        return w.VBox(
            [
                w.HTML(t._("<b>Relative date</b> (as the article says it)")),
                self.phrase,
                self.dateline,
                w.HBox([self.tense, self.resolve_button]),
                self.resolve_note,
            ],
            layout=w.Layout(border="1px solid #d0d7de", padding="4px"),
        )

    def _new_source_box(self) -> w.Widget:
        t = self.words
        self.create_source = w.Checkbox(
            description=t._("said_in is a new source: create it in the same step"),
            value=False,
            indent=False,
            layout=w.Layout(width="auto"),
        )
        sources = TABLE_BY_NAME["sources"]
        self.source_fields = {c.name: field_for(c, t) for c in sources.columns if c.name != "id"}
        self.source_box = w.VBox(list(self.source_fields.values()), layout=w.Layout(display="none"))
        self.create_source.observe(self._on_create_source, names="value")
        for widget in self.source_fields.values():
            widget.observe(self._on_change, names="value")
        return w.VBox(
            [self.create_source, self.source_box],
            layout=w.Layout(border="1px solid #d0d7de", padding="4px"),
        )

    def _on_create_source(self, change: dict[str, Any]) -> None:
        self.source_box.layout.display = "" if change["new"] else "none"
        self._on_change()

    # --------------------------------------------------------------- state
    @property
    def editing(self) -> str | None:
        """The id of the row being edited, or ``None`` when adding."""
        if self.mode.value == "edit" and self.pick.value in self.app.ds.ids(self.name):
            return str(self.pick.value)
        return None

    def draft(self) -> dict[str, str]:
        """The form's cells as they would be saved."""
        return {name: get_value(widget).strip() for name, widget in self.fields.items()}

    def source_draft(self) -> dict[str, str] | None:
        """The new source drafted with a claim (its id is the claim's said_in), or ``None``."""
        if self.new_source is None or not self.create_source.value or self.mode.value != "add":
            return None
        out = {"id": get_value(self.fields["said_in"]).strip()}
        out.update({k: get_value(v).strip() for k, v in self.source_fields.items()})
        return out

    def check(self) -> list[Problem]:
        """The draft's problems, as they would be after applying it."""
        if self.mode.value == "edit" and self.editing is None:
            return [
                Problem(
                    self.app.ds.file(self.name),
                    None,
                    "id",
                    self.words._(ROW[self.name]["pick"]),
                )
            ]
        return self.app.ds.draft_problems(
            self.name, self.draft(), id=self.editing, source=self.source_draft()
        )

    def trial(self) -> tuple[Dataset, str | None]:
        """A copy of the working data with the draft applied (as far as it applies), and its event id."""
        ds = self.app.ds.copy()
        draft = self.draft()
        try:
            if self.editing is not None:
                ds.update(self.name, self.editing, **draft)
            elif self.name == "claims":
                ds.add_claim(source=self.source_draft(), **draft)
            else:
                self._adder(ds)(**draft)
        except (TimelineError, KeyError):
            ds = self.app.ds.copy()
        if self.name == "events":
            return ds, draft.get("id") or self.editing
        if self.name == "claims":
            return ds, draft.get("event_id") or None
        cited = [
            r.split(" ")[0].split("/", 1)[1]
            for r in ds.references_to("sources", draft.get("id", ""))
            if r.startswith("events/")
        ]
        return ds, (cited[0] if cited else None)

    @property
    def card_hint(self) -> str:
        """What the preview's card shows for this form, said while it shows nothing."""
        return self.words._(ROW[self.name]["card"])

    def _adder(self, ds: Dataset) -> Callable[..., dict[str, str]]:
        return ds.add_event if self.name == "events" else ds.add_source

    # ------------------------------------------------------------- events
    def _on_mode(self, change: dict[str, Any]) -> None:
        edit = change["new"] == "edit"
        self.pick.layout.display = "" if edit else "none"
        self.remove_button.layout.display = "" if edit else "none"
        t = self.words
        self.apply_button.description = t._("Apply changes") if edit else t._("Add")
        self.apply_button.tooltip = (
            t._("Update this row in the working copy")
            if edit
            else t._("Add this row to the working copy")
        )
        self.duplicate_button.layout.display = "" if edit else "none"
        if self.new_source is not None:
            self.new_source.layout.display = "none" if edit else ""
        if edit:
            self._on_change()
        else:  # "Add new" is a blank form: nothing of the row edited before carries over
            self.pick.value = ""
            self.clear()

    def _on_pick(self, change: dict[str, Any]) -> None:
        if change["new"] in self.app.ds.ids(self.name):
            self._clear_relative()  # the note was about another event
            self.status.value = ""
            self.fill(self.app.ds.get(self.name, change["new"]))

    def fill(self, row: dict[str, str]) -> None:
        """Put a row's cells in the form (extra columns get text fields)."""
        self._quiet = True
        try:
            for name, value in row.items():
                if name not in self.fields:
                    widget = w.Text(description=self.words.column(name), style=STYLE, layout=wide())
                    widget.observe(self._on_change, names="value")
                    self.fields[name] = widget
                    self.extra_box.children = (*self.extra_box.children, widget)
                set_value(self.fields[name], value, self.words)
        finally:
            self._quiet = False
        self._on_change()

    def clear(self) -> None:
        """A blank form: every field, the relative date and the new source emptied."""
        self._quiet = True
        try:
            for widget in self.fields.values():
                set_value(widget, "")
            if self.new_source is not None:
                self.create_source.value = False
                for widget in self.source_fields.values():
                    set_value(widget, "")
        finally:
            self._quiet = False
        self._clear_relative()
        self.status.value = ""
        self._on_change()

    def _clear_relative(self) -> None:
        if self.helper is not None:
            self.phrase.value = self.dateline.value = ""
            self.tense.value = ""
            self.resolve_note.value = ""

    def duplicate(self) -> bool:
        """Start a new row with the cells of the one being edited, all but its id."""
        editing = self.editing
        if editing is None:
            self._refuse(self.words._(ROW[self.name]["duplicate first"]))
            return False
        row = {**self.draft(), "id": ""}
        self.mode.value = "add"  # a blank form ...
        self.fill(row)  # ... holding the copy
        self.status.value = status_html(
            self.words._(ROW[self.name]["copy"], id=editing), ok=True, t=self.words
        )
        return True

    def _on_change(self, _change: object = None) -> None:
        if self._quiet:
            return
        if (
            self._refused
        ):  # the draft changed: the refusal's reasons are stale (the draft's problems show below)
            self.status.value = ""
            self._refused = False
        for name, reading in self.readings.items():
            value = get_value(self.fields[name])
            if isinstance(self.fields[name], IdList):
                reading.value = self._refs_hint(name)
            elif name == "verdict":
                v = VERDICT_BY_KEY.get(value)
                if v:
                    v = verdict_in(v, self.words.tag)
                reading.value = (
                    f'<span style="color:{v.colour}"><b>{esc(v.label)}</b>: {esc(v.meaning)}</span>'
                    if v
                    else ""
                )
            else:
                reading.value = reading_html(value, self.words)
        t = self.words
        if self.mode.value == "add" and not any(self.draft().values()):
            hint = t._("Fill in the form: the draft's problems show here as you type.")
            self.draft_html.value = f"<p><i>{hint}</i></p>"
        else:
            self.draft_html.value = problems_html(
                self.check(), empty=t._("The draft has no problems."), t=t
            )
        self.app.preview_form(self)

    def _refs_hint(self, name: str) -> str:
        """Which ids a tag field accepts, and any typed id that is not one of them."""
        t = self.words
        ref = self.table.column(name).ref or ""
        words = REFS.get(ref, REFS["sources"])
        ids = self.app.ds.ids(ref)
        field = self.fields[name]
        unknown = (
            list(field.unknown) if isinstance(field, IdList) else []
        )  # IdList marks them (set_options)
        if ids:
            sample = ", ".join(ids[:3]) + (", …" if len(ids) > 3 else "")
            hint = t._(words["accepts"], n=len(ids), sample=esc(sample))
        else:
            hint = t._(words["none"])
        hint = f'<span style="color:#57606a">{hint}</span>'
        if unknown:
            one, many = words["unknown"]
            said = t.npgettext("id list", one, many, len(unknown), ids=esc(", ".join(unknown)))
            hint += f'<br><span style="color:#b3261e">✗ {said}</span>'
        return hint

    def refresh_options(self) -> None:
        """Keep the id lists (search and tags) in step with the working data."""
        ds = self.app.ds
        self.pick.options = ds.ids(self.name)
        for col in self.table.columns:
            if col.ref is None:
                continue
            ids = ds.ids(col.ref)
            widget = self.fields[col.name]
            if isinstance(widget, IdList):
                widget.set_options(ids)
                self.readings[col.name].value = self._refs_hint(col.name)
            else:
                widget.options = ids

    # ------------------------------------------------------------ actions
    def apply(self) -> bool:
        """Add or update the row in the working copy; refused (with reasons) if the draft has errors."""
        ds, editing = self.app.ds, self.editing
        errors = [p for p in self.check() if p.severity == "error"]
        if (
            editing is not None
        ):  # only refuse errors this edit introduces, so a bad row can be fixed bit by bit
            before = {(p.column, p.message) for p in ds.draft_problems(self.name, {}, id=editing)}
            errors = [p for p in errors if (p.column, p.message) not in before]
        t = self.words
        if errors:
            self._refuse(
                t.ngettext(
                    "Not applied: the draft has %(num)s error:",
                    "Not applied: the draft has %(num)s errors:",
                    len(errors),
                )
                + "\n"
                + "\n".join(str(replace(p, message=t.problem(p.message))) for p in errors)
            )
            return False
        draft = self.draft()
        try:
            if editing is not None:
                ds.update(self.name, editing, **draft)
                done = t._(ROW[self.name]["updated"], id=draft.get("id") or editing)
            elif self.name == "claims":
                source = self.source_draft()
                ds.add_claim(source=source, **draft)
                done = (
                    t._(
                        "Added claim '%(id)s' and source '%(source)s' in the working copy "
                        "(not saved yet: see Review & save).",
                        id=draft["id"],
                        source=source["id"],
                    )
                    if source
                    else t._(ROW[self.name]["added"], id=draft["id"])
                )
            else:
                self._adder(ds)(**draft)
                done = t._(ROW[self.name]["added"], id=draft["id"])
        except (TimelineError, KeyError) as e:
            self._refuse(t._("Not applied: %(why)s", why=t.problem(_why(e))))
            return False
        new_id = draft.get("id") or editing
        self.app.changed()
        if self.new_source is not None:
            self.create_source.value = False
        self._quiet = True
        self.mode.value = "edit"
        self._quiet = False
        self.pick.value = new_id or ""
        if editing is None:
            done += " " + t._(
                "The form now edits '%(id)s', so you can correct it; choose 'Add new' for another.",
                id=new_id,
            )
        self.status.value = status_html(done, ok=True, t=t)
        return True

    def _refuse(self, message: str) -> None:
        """Say why Apply did nothing; the message goes once the draft changes."""
        self.status.value = status_html(message, ok=False, t=self.words)
        self._refused = True

    def remove(self) -> bool:
        """Remove the row being edited; refused while anything references it."""
        editing = self.editing
        if editing is None:
            self._refuse(self.words._(ROW[self.name]["remove first"]))
            return False
        try:
            self.app.ds.remove(self.name, editing)
        except TimelineError as e:
            self._refuse(self.words._("Not removed: %(why)s", why=self.words.problem(_why(e))))
            return False
        self.app.changed()
        self.mode.value = "add"  # a blank form
        self.status.value = status_html(
            self.words._(ROW[self.name]["removed"], id=editing), ok=True, t=self.words
        )
        return True

    def resolve_relative(self) -> bool:
        """Fill start, end and display_date from the relative date the article uses."""
        t = self.words
        dateline = self.dateline.value.strip()
        if not dateline:
            for sid in self.fields["sources"].value:
                if sid in self.app.ds.ids("sources"):
                    dateline = self.app.ds.get("sources", sid).get("published", "")
                    if dateline:
                        break
        if not dateline:
            self.resolve_note.value = status_html(
                t._(
                    "Give the article's dateline (e.g. 2020-01-06T12:31+00:00), "
                    "or cite a source with a published date."
                ),
                ok=False,
                t=t,
            )
            return False
        try:
            r = resolve(self.phrase.value, dateline=dateline, tense=self.tense.value or None)
        except ValueError as e:
            self.resolve_note.value = status_html(str(e), ok=False, t=t)
            return False
        self.fill({**r.fields()})
        self.resolve_note.value = status_html(
            t._(
                # Translators: the relative date as written, how it reads, the dateline it was read
                # from, and the reader's note on how it was read (in English).
                "'%(text)s' → %(reads)s (from the dateline %(dateline)s): %(note)s",
                text=r.text,
                reads=r.reads(),
                dateline=dateline,
                note=r.note,
            ),
            ok=True,
            t=t,
        )
        return True


def _why(e: Exception) -> str:
    """An error's message as raised (a :class:`~timeline.i18n.markers.Message` keeps its template)."""
    return e.args[0] if e.args and isinstance(e.args[0], str) else str(e)
