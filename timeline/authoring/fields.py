"""The form's field widgets: one per column kind, and the id-list field (an anywidget)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import anywidget
import ipywidgets as w
import traitlets

from ..core.schema import LIST_SEPARATOR, Column, split_list
from ..core.vocabulary import verdicts_in
from ..i18n.markers import N_
from .words import ENGLISH, Words

STATIC = Path(__file__).parent / "static"
LONG_TEXT = {"summary", "claim", "rationale"}
STYLE = {"description_width": "9rem"}
#: What an empty field says it takes, by the kind of its column.
PLACEHOLDERS = {
    "date": N_("2020, 2020-01, 2020-01-05 or 2020-01-03T00:47+03:00"),
    "list": N_("A; B"),
    "url": N_("https://…"),
}
#: What a ``ref`` field's search says, by the table it names.
SEARCH = {
    "events": N_("type to search events ids"),
    "sources": N_("type to search sources ids"),
    "claims": N_("type to search claims ids"),
}


def wide() -> w.Layout:
    # "auto" in a column stretches to the form's width, margins included ("100%" runs past its right edge)
    return w.Layout(width="auto")


def field_for(col: Column, t: Words = ENGLISH) -> w.Widget:
    """The widget for one column: a choice is a dropdown of the schema's values, text updates as typed.

    Labels, hints and choices are in the language of ``t``; the tooltip also names the column as the
    file's header does when the label is translated.
    """
    label = t.column(col.name) + (" *" if col.required else "")
    tooltip = t.help(col)
    if not t.english:
        tooltip = t._("%(help)s (column %(column)s)", help=tooltip, column=col.name)
    common: dict[str, Any] = {
        "description": label,
        "style": STYLE,
        "layout": wide(),
        "tooltip": tooltip,
    }
    if col.kind == "verdict":
        options = [(t._("(choose a verdict)"), "")] + [
            (f"{v.label} — {v.meaning}", v.key) for v in verdicts_in(t.tag)
        ]
        return w.Dropdown(options=options, value="", **common)
    if col.kind == "choice":
        empty = t._("(choose one)") if col.required else t._("(none)")
        return w.Dropdown(options=[(empty, ""), *((c, c) for c in col.choices)], value="", **common)
    if col.kind == "ref":
        return w.Combobox(
            placeholder=t._(SEARCH.get(col.ref or "", col.ref or "")),
            ensure_option=False,
            **common,
        )
    if col.kind == "refs":
        return IdList(noun=(col.ref or "")[:-1], label=label, tooltip=tooltip, t=t)
    kind = w.Textarea if col.name in LONG_TEXT else w.Text
    # continuous_update (the default): the draft's problems and readings follow each key, not only
    # the field's blur; the kernel never writes a field while it is typed in, so no key is lost.
    hint = t._(PLACEHOLDERS[col.kind]) if col.kind in PLACEHOLDERS else t.help(col)
    return kind(placeholder=hint, **common)


#: The id-list field's words for the ids of one table (the ``refs`` columns list sources).
ID_LIST = {
    "source": {
        "placeholder": N_("type a source id and press Enter"),
        "unknown": N_(" (not a source id)"),
    },
}


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
    unknown = traitlets.List(traitlets.Unicode()).tag(
        sync=True
    )  # typed ids that are not known: shown red
    description = traitlets.Unicode("").tag(sync=True)
    placeholder = traitlets.Unicode("").tag(sync=True)
    tooltip = traitlets.Unicode("").tag(sync=True)
    noun = traitlets.Unicode("").tag(sync=True)
    #: The field's own words in the app's language: ``unknown`` (after an id that is not known),
    #: ``remove`` (its remove button, ``{id}`` for the id), ``added`` (the list's name, ``{label}``).
    words = traitlets.Dict().tag(sync=True)
    dir = traitlets.Unicode("ltr").tag(sync=True)  # the app's direction: rtl for Persian and Arabic

    def __init__(self, *, noun: str, label: str, tooltip: str = "", t: Words = ENGLISH) -> None:
        super().__init__(
            noun=noun,
            description=label,
            tooltip=tooltip,
            placeholder=t._(ID_LIST.get(noun, ID_LIST["source"])["placeholder"]),
            words={
                "unknown": t._(ID_LIST.get(noun, ID_LIST["source"])["unknown"]),
                # Translators: {id} is an id in the list; keep it as written (the field fills it in).
                "remove": t._("Remove {id}"),
                # Translators: {label} is the field's label; keep it as written (the field fills it in).
                "added": t._("{label}: ids added"),
            },
            dir=t.dir,
            layout=wide(),
        )
        self.known: set[str] = set()
        self.observe(self._mark, names="value")

    def set_options(self, ids: list[str]) -> None:
        """The ids the field suggests, and the only ones it takes as known."""
        self.options = list(ids)
        self.known = set(ids)
        self._mark()

    def remove(self, item: str) -> None:
        self.value = [v for v in self.value if v != item]

    def _mark(self, _change: object = None) -> None:
        self.unknown = [v for v in self.value if v not in self.known]


def get_value(widget: w.Widget) -> str:
    value = widget.value
    if isinstance(value, (list, tuple)):
        return LIST_SEPARATOR.join(str(v) for v in value)
    return "" if value is None else str(value)


def set_value(widget: w.Widget, value: str, t: Words = ENGLISH) -> None:
    if isinstance(widget, IdList):
        widget.value = split_list(value)
    elif isinstance(widget, w.Dropdown):
        keys = [k for _label, k in widget.options]
        if value not in keys:  # keep an unknown value visible so it can be corrected
            label = t._("%(value)s (not one of the choices)", value=value)
            widget.options = [*widget.options, (label, value)]
        widget.value = value
    else:
        widget.value = value
