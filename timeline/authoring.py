"""The analysts' authoring app: check, add, edit, preview and save a story's data in Jupyter.

``build_authoring("data")`` returns one ipywidgets widget (an :class:`AuthoringApp`):

- **Health**: counts and every problem of the working copy (file, line, column,
  message), refreshed after each change.
- **Event / Claim / Source forms**: add a row or pick one to edit (ids searchable),
  verdicts with their meanings, dates shown as they will read, the draft's own
  problems before it is applied. A new claim can create its source in the same
  step. Events take relative dates ("tomorrow morning") from an article's dateline.
- **Preview**: the dashboard's timeline figure and the draft's card.
- **Review & save**: the rows added, changed and removed per file and the line
  diff; save writes only a valid dataset, atomically and under the folder's lock,
  and refuses after an outside change (see :func:`timeline.core.dataset.save`).

Edits go to an in-memory working copy; nothing touches the files until Save.
All logic lives here; ``notebooks/authoring.ipynb`` only calls ``build_authoring``.
"""

from __future__ import annotations

import html
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .core.dataset import Dataset, load, save
from .core.dates import explain, humanize
from .core.diff import Diff
from .core.schema import (
    LIST_SEPARATOR,
    TABLE_BY_NAME,
    VERDICT_BY_KEY,
    VERDICTS,
    Column,
    Table,
    split_list,
)
from .errors import SaveError, TimelineError, ValidationError
from .problems import Problem

try:
    import anywidget
    import ipywidgets as w
    import traitlets
except ImportError as e:  # pragma: no cover - ipywidgets is a runtime dependency
    raise ImportError("the authoring app needs ipywidgets and anywidget: pip install -e . (or make install)") from e

STATIC = Path(__file__).parent / "static"
LONG_TEXT = {"summary", "claim", "rationale"}
STYLE = {"description_width": "9rem"}
SEVERITY_COLOUR = {"error": "#b3261e", "warning": "#8a4b00"}


def _wide() -> w.Layout:
    # "auto" in a column stretches to the form's width, margins included ("100%" runs past its right edge)
    return w.Layout(width="auto")


# ------------------------------------------------------------------ HTML bits
def esc(value: object) -> str:
    return html.escape(str(value))


def reading_html(text: str) -> str:
    """How a date field will read ("Friday 3 January 2020, 00:47 (UTC+03:00)"), or why it is wrong."""
    value = text.strip()
    if not value:
        return ""
    problem = explain(value)
    if problem:
        return f'<span style="color:#b3261e">✗ {esc(problem)}</span>'
    return f'<span style="color:#1a7f37">reads: {esc(humanize(value))}</span>'


def problems_html(problems: list[Problem], *, empty: str = "No problems.") -> str:
    """Problems as a table: severity, file, line, column, message."""
    if not problems:
        return f'<p style="color:#1a7f37">✓ {esc(empty)}</p>'
    rows = "".join(
        f'<tr><td style="color:{SEVERITY_COLOUR.get(p.severity, "#000")}">{esc(p.severity)}</td>'
        f"<td>{esc(Path(p.file).name)}</td><td>{esc(p.line if p.line is not None else 'new')}</td>"
        f"<td>{esc(p.column or '')}</td><td>{esc(p.message)}</td></tr>"
        for p in problems
    )
    return (
        '<div style="max-height:18rem;overflow:auto"><table class="tl-problems-table">'
        "<thead><tr><th>severity</th><th>file</th><th>line</th><th>column</th><th>message</th></tr></thead>"
        f"<tbody>{rows}</tbody></table></div>"
    )


def health_html(ds: Dataset, problems: list[Problem]) -> str:
    n = ds.counts()
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    colour = "#b3261e" if errors else "#1a7f37"
    return (
        f"<h3>Health of {esc(ds.folder or 'the dataset')}</h3>"
        f"<p><b>{n['events']}</b> events · <b>{n['claims']}</b> claims · <b>{n['sources']}</b> sources — "
        f'<span style="color:{colour}"><b>{errors}</b> error{"s" * (errors != 1)}</span>, '
        f"<b>{warnings}</b> warning{'s' * (warnings != 1)}</p>" + problems_html(problems, empty="The data is valid.")
    )


def diff_html(diff: Diff) -> str:
    """Rows added, changed and removed per file, then the line diff, for the save panel."""
    if not diff:
        return "<p>No unsaved changes.</p>"
    head = "".join(
        f"<tr><td>{esc(d.filename)}</td><td>{len(d.added)}</td><td>{len(d.changed)}</td><td>{len(d.removed)}</td></tr>"
        for d in diff.tables.values()
    )
    rows = "".join(
        f"<tr><td>{esc(r['file'])}</td><td>{esc(r['change'])}</td><td>{esc(r['id'])}</td><td>{esc(r['detail'])}</td></tr>"
        for r in diff.records()
    )
    return (
        "<table><thead><tr><th>file</th><th>added</th><th>changed</th><th>removed</th></tr></thead>"
        f"<tbody>{head}</tbody></table>"
        f"<table><thead><tr><th>file</th><th>change</th><th>id</th><th>detail</th></tr></thead><tbody>{rows}</tbody></table>"
        f'<pre style="max-height:16rem;overflow:auto">{esc(diff.unified())}</pre>'
    )


def status_html(message: str, *, ok: bool) -> str:
    colour = "#1a7f37" if ok else "#b3261e"
    return f'<div style="color:{colour};white-space:pre-wrap">{esc(message)}</div>'


# --------------------------------------------------------------- field widgets
def _field(col: Column, table: Table) -> w.Widget:
    label = col.name + (" *" if col.required else "")
    common: dict[str, Any] = {"description": label, "style": STYLE, "layout": _wide(), "tooltip": col.help}
    if col.kind == "verdict":
        options = [("(choose a verdict)", "")] + [(f"{v.label} — {v.meaning}", v.key) for v in VERDICTS]
        return w.Dropdown(options=options, value="", **common)
    if col.kind == "ref":
        return w.Combobox(placeholder=f"type to search {col.ref} ids", ensure_option=False, continuous_update=False, **common)
    if col.kind == "refs":
        return IdList(noun=(col.ref or "")[:-1], label=label, tooltip=col.help)
    placeholder = {"date": "2020, 2020-01, 2020-01-05 or 2020-01-03T00:47+03:00", "list": "A; B", "url": "https://…"}
    kind = w.Textarea if col.name in LONG_TEXT else w.Text
    return kind(placeholder=placeholder.get(col.kind, col.help), continuous_update=False, **common)


class IdList(anywidget.AnyWidget):
    """A list of ids (a ``refs`` column: ``sources``, ``evidence``), in the order typed.

    The field is ``static/idlist.js``: type an id and press Enter (or ``,``, ``;``, Tab, or click
    away), or pick a suggestion; several ids pasted together are split on ``;``, ``,`` and spaces.
    Each id shows with a button that removes it. The list never refuses or changes a typed id:
    one that is not known is shown red and named by the form's hint and the draft's problems.

    Not ipywidgets' ``TagsInput``: JupyterLab 4 cancels the line break that Enter inserts in any
    input inside a notebook cell, and with it the browser's ``change`` event, the only one on
    which ``TagsInput`` adds the typed text, so Enter did nothing. Nor a text entry that the kernel
    clears after each id: keys typed before the clearing reached the browser were lost (measured:
    of four ids typed in a row, two arrived whole). Here the browser alone edits the entry.
    """

    _esm = STATIC / "idlist.js"
    _css = STATIC / "idlist.css"
    value = traitlets.List(traitlets.Unicode()).tag(sync=True)
    options = traitlets.List(traitlets.Unicode()).tag(sync=True)  # suggested while typing
    unknown = traitlets.List(traitlets.Unicode()).tag(sync=True)  # typed ids that are not known: shown red
    description = traitlets.Unicode("").tag(sync=True)
    placeholder = traitlets.Unicode("").tag(sync=True)
    tooltip = traitlets.Unicode("").tag(sync=True)
    noun = traitlets.Unicode("").tag(sync=True)

    def __init__(self, *, noun: str, label: str, tooltip: str = "") -> None:
        super().__init__(noun=noun, description=label, tooltip=tooltip,
                         placeholder=f"type a {noun} id and press Enter", layout=_wide())
        self.known: set[str] | None = None  # None: every id is taken as known (no dataset yet)
        self.observe(self._mark, names="value")

    def set_options(self, ids: list[str]) -> None:
        """The ids the field suggests, and the only ones it takes as known."""
        self.options = list(ids)
        self.known = set(ids)
        self._mark()

    def remove(self, item: str) -> None:
        self.value = [v for v in self.value if v != item]

    def _mark(self, _change: object = None) -> None:
        known = self.known
        self.unknown = [] if known is None else [v for v in self.value if v not in known]


def get_value(widget: w.Widget) -> str:
    value = widget.value
    if isinstance(value, (list, tuple)):
        return LIST_SEPARATOR.join(str(v) for v in value)
    return "" if value is None else str(value)


def set_value(widget: w.Widget, value: str) -> None:
    if isinstance(widget, IdList):
        widget.value = split_list(value)
    elif isinstance(widget, w.Dropdown):
        keys = [k for _label, k in widget.options]
        if value not in keys:  # keep an unknown verdict visible so it can be corrected
            widget.options = [*widget.options, (f"{value} (not a verdict)", value)]
        widget.value = value
    else:
        widget.value = value


# ------------------------------------------------------------------- the forms
class RowForm(w.VBox):
    """Add or edit one row of a table; the draft is checked and previewed as it changes."""

    def __init__(self, app: AuthoringApp, table: str) -> None:
        self.app = app
        self.table: Table = TABLE_BY_NAME[table]
        self.name = self.table.name
        self._quiet = False
        self._refused = False  # the status shows why the last Apply was refused
        self.mode = w.ToggleButtons(options=[("Add new", "add"), ("Edit existing", "edit")], value="add")
        self.pick = w.Combobox(
            description="edit id", placeholder=f"type to search {self.name} ids", ensure_option=True,
            style=STYLE, layout=w.Layout(width="100%", display="none"),
        )
        self.fields: dict[str, w.Widget] = {}
        self.readings: dict[str, w.HTML] = {}
        rows: list[w.Widget] = []
        for col in self.table.columns:
            widget = _field(col, self.table)
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
        self.apply_button = w.Button(description="Add", button_style="primary", tooltip="Add this row to the working copy")
        self.remove_button = w.Button(description="Remove", button_style="danger", layout=w.Layout(display="none"))
        self.clear_button = w.Button(description="Clear form")
        self.apply_button.on_click(lambda _b: self.apply())
        self.remove_button.on_click(lambda _b: self.remove())
        self.clear_button.on_click(lambda _b: self.clear())
        self.mode.observe(self._on_mode, names="value")
        self.pick.observe(self._on_pick, names="value")
        for widget in self.fields.values():
            widget.observe(self._on_change, names="value")
        parts: list[w.Widget] = [self.mode, self.pick]
        if self.helper is not None:
            parts.append(self.helper)
        parts += [*rows, self.extra_box]
        if self.new_source is not None:
            parts.append(self.new_source)
        parts += [
            w.HTML("<b>Problems of this draft</b>"), self.draft_html,
            w.HBox([self.apply_button, self.remove_button, self.clear_button]), self.status,
        ]
        super().__init__(parts)
        self.refresh_options()
        self._on_change()

    # ------------------------------------------------------------ sub-forms
    def _relative_helper(self) -> w.Widget:
        self.phrase = w.Text(description="as written", placeholder="e.g. tomorrow morning, on Friday, this weekend",
                             style=STYLE, layout=_wide(), continuous_update=False)
        self.dateline = w.Text(description="dateline", placeholder="the article's date, e.g. 2020-01-06T12:31+00:00 "
                               "(default: the first source's published date)", style=STYLE, layout=_wide())
        self.tense = w.Dropdown(description="tense", options=[("from the sentence", ""), ("past", "past"),
                                ("future", "future")], value="", style=STYLE)
        self.resolve_button = w.Button(description="Fill the dates")
        self.resolve_note = w.HTML()
        self.resolve_button.on_click(lambda _b: self.resolve_relative())
        return w.VBox([w.HTML("<b>Relative date</b> (as the article says it)"), self.phrase, self.dateline,
                       w.HBox([self.tense, self.resolve_button]), self.resolve_note],
                      layout=w.Layout(border="1px solid #d0d7de", padding="4px"))

    def _new_source_box(self) -> w.Widget:
        self.create_source = w.Checkbox(description="said_in is a new source: create it in the same step", value=False,
                                        indent=False, layout=w.Layout(width="auto"))
        sources = TABLE_BY_NAME["sources"]
        self.source_fields = {c.name: _field(c, sources) for c in sources.columns if c.name != "id"}
        self.source_box = w.VBox(list(self.source_fields.values()), layout=w.Layout(display="none"))
        self.create_source.observe(self._on_create_source, names="value")
        for widget in self.source_fields.values():
            widget.observe(self._on_change, names="value")
        return w.VBox([self.create_source, self.source_box], layout=w.Layout(border="1px solid #d0d7de", padding="4px"))

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
            return [Problem(self.app.ds.file(self.name), None, "id", f"pick the {self.name[:-1]} to edit from the list")]
        return self.app.ds.draft_problems(self.name, self.draft(), id=self.editing, source=self.source_draft())

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
        cited = [r.split(" ")[0].split("/", 1)[1] for r in ds.references_to("sources", draft.get("id", ""))
                 if r.startswith("events/")]
        return ds, (cited[0] if cited else None)

    def _adder(self, ds: Dataset) -> Callable[..., dict[str, str]]:
        return ds.add_event if self.name == "events" else ds.add_source

    # ------------------------------------------------------------- events
    def _on_mode(self, change: dict[str, Any]) -> None:
        edit = change["new"] == "edit"
        self.pick.layout.display = "" if edit else "none"
        self.remove_button.layout.display = "" if edit else "none"
        self.apply_button.description = "Apply changes" if edit else "Add"
        self.apply_button.tooltip = ("Update this row in the working copy" if edit
                                     else "Add this row to the working copy")
        if self.new_source is not None:
            self.new_source.layout.display = "none" if edit else ""
        if not edit:
            self.pick.value = ""
        self._on_change()

    def _on_pick(self, change: dict[str, Any]) -> None:
        if change["new"] in self.app.ds.ids(self.name):
            self.fill(self.app.ds.get(self.name, change["new"]))

    def fill(self, row: dict[str, str]) -> None:
        """Put a row's cells in the form (extra columns get text fields)."""
        self._quiet = True
        try:
            for name, value in row.items():
                if name not in self.fields:
                    widget = w.Text(description=name, style=STYLE, layout=_wide(), continuous_update=False)
                    widget.observe(self._on_change, names="value")
                    self.fields[name] = widget
                    self.extra_box.children = (*self.extra_box.children, widget)
                set_value(self.fields[name], value)
        finally:
            self._quiet = False
        self._on_change()

    def clear(self) -> None:
        self.fill({name: "" for name in self.fields})
        self.status.value = ""

    def _on_change(self, _change: object = None) -> None:
        if self._quiet:
            return
        if self._refused:  # the draft changed: the refusal's reasons are stale (the draft's problems show below)
            self.status.value = ""
            self._refused = False
        for name, reading in self.readings.items():
            value = get_value(self.fields[name])
            if isinstance(self.fields[name], IdList):
                reading.value = self._refs_hint(name)
            elif name == "verdict":
                v = VERDICT_BY_KEY.get(value)
                reading.value = (f'<span style="color:{v.colour}"><b>{esc(v.label)}</b>: {esc(v.meaning)}</span>'
                                 if v else "")
            else:
                reading.value = reading_html(value)
        if self.mode.value == "add" and not any(self.draft().values()):
            self.draft_html.value = "<p><i>Fill in the form: the draft's problems show here as you type.</i></p>"
        else:
            self.draft_html.value = problems_html(self.check(), empty="The draft has no problems.")
        self.app.preview_form(self)

    def _refs_hint(self, name: str) -> str:
        """Which ids a tag field accepts, and any typed id that is not one of them."""
        ref = self.table.column(name).ref or ""
        ids = self.app.ds.ids(ref)
        field = self.fields[name]
        unknown = list(field.unknown) if isinstance(field, IdList) else []  # IdList marks them (set_options)
        sample = ", ".join(ids[:3]) + (", …" if len(ids) > 3 else "")
        hint = (f'<span style="color:#57606a">Accepts the ids of {esc(ref)} ({len(ids)}, e.g. {esc(sample)}; '
                f"the {esc(ref[:-1].capitalize())} tab's edit list searches them all): type one and press Enter.</span>")
        if unknown:
            hint += (f'<br><span style="color:#b3261e">✗ not {esc(ref)} ids: {esc(", ".join(unknown))} '
                     "(remove them with their ×)</span>")
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
        if editing is not None:  # only refuse errors this edit introduces, so a bad row can be fixed bit by bit
            before = {(p.column, p.message) for p in ds.draft_problems(self.name, {}, id=editing)}
            errors = [p for p in errors if (p.column, p.message) not in before]
        if errors:
            self._refuse("Not applied: the draft has " + f"{len(errors)} error{'s' * (len(errors) != 1)}:\n"
                         + "\n".join(str(p) for p in errors))
            return False
        draft = self.draft()
        try:
            if editing is not None:
                ds.update(self.name, editing, **draft)
                done = f"Updated {self.name[:-1]} '{draft.get('id') or editing}'"
            elif self.name == "claims":
                source = self.source_draft()
                ds.add_claim(source=source, **draft)
                done = f"Added claim '{draft['id']}'" + (f" and source '{source['id']}'" if source else "")
            else:
                self._adder(ds)(**draft)
                done = f"Added {self.name[:-1]} '{draft['id']}'"
        except (TimelineError, KeyError) as e:
            self._refuse(f"Not applied: {e.args[0] if isinstance(e, KeyError) else e}")
            return False
        new_id = draft.get("id") or editing
        self.app.changed()
        if self.new_source is not None:
            self.create_source.value = False
        self._quiet = True
        self.mode.value = "edit"
        self._quiet = False
        self.pick.value = new_id or ""
        follow = (f" The form now edits '{new_id}', so you can correct it; choose 'Add new' for another."
                  if editing is None else "")
        self.status.value = status_html(f"{done} in the working copy (not saved yet: see Review & save).{follow}",
                                        ok=True)
        return True

    def _refuse(self, message: str) -> None:
        """Say why Apply did nothing; the message goes once the draft changes."""
        self.status.value = status_html(message, ok=False)
        self._refused = True

    def remove(self) -> bool:
        """Remove the row being edited; refused while anything references it."""
        editing = self.editing
        if editing is None:
            self._refuse(f"Pick the {self.name[:-1]} to remove first.")
            return False
        try:
            self.app.ds.remove(self.name, editing)
        except TimelineError as e:
            self._refuse(f"Not removed: {e}")
            return False
        self.app.changed()
        self.mode.value = "add"
        self.clear()
        self.status.value = status_html(f"Removed {self.name[:-1]} '{editing}' (not saved yet).", ok=True)
        return True

    def resolve_relative(self) -> bool:
        """Fill start, end and display_date from the relative date the article uses."""
        from .core.relative import resolve

        dateline = self.dateline.value.strip()
        if not dateline:
            for sid in self.fields["sources"].value:
                if sid in self.app.ds.ids("sources"):
                    dateline = self.app.ds.get("sources", sid).get("published", "")
                    if dateline:
                        break
        if not dateline:
            self.resolve_note.value = status_html(
                "Give the article's dateline (e.g. 2020-01-06T12:31+00:00), or cite a source with a published date.",
                ok=False)
            return False
        try:
            r = resolve(self.phrase.value, dateline=dateline, tense=self.tense.value or None)
        except ValueError as e:
            self.resolve_note.value = status_html(str(e), ok=False)
            return False
        self.fill({**r.fields()})
        self.resolve_note.value = status_html(f"'{r.text}' → {r.reads()} (from the dateline {dateline}): {r.note}",
                                              ok=True)
        return True


# ------------------------------------------------------------------ the app
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
        self._preview_fn: Callable[[], None] | None = None
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
        try:
            from .views.figure import PLOTLY_CONFIG, build_figure
        except ImportError:
            self.preview_note.value = "<p><i>The timeline figure appears here once timeline.views.figure is available.</i></p>"
            build_figure = None  # type: ignore[assignment]
        else:
            self.preview_note.value = ""
        if build_figure is not None:
            try:
                fig = build_figure(ds)
                # No "responsive" config: in JupyterLab it sizes the chart to its output area, which
                # has no height yet on first render, so the chart came out 0 px tall (#14).
                # The toolbar as on the pages: no button that uploads the chart to Plotly's cloud.
                plot = {**json.loads(fig.to_json()), "config": PLOTLY_CONFIG}
                bundle = {"application/vnd.plotly.v1+json": plot,
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
            from .views.assets import asset_text
            from .views.render import render_event_card
        except ImportError:
            return "<p><i>The event card appears here once timeline.views.render provides render_event_card.</i></p>"
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
    from .core.story import data_folder

    path = data_folder(folder)
    try:
        return AuthoringApp(path)
    except TimelineError as e:
        return w.HTML(status_html(f"The authoring app cannot open {path}: {e}", ok=False))
