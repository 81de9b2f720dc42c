"""The corrections log as HTML: the "Corrections and updates" section of a page."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

import jinja2
import pandas as pd
from markupsafe import Markup

from ..core.corrections import (
    CORRECTION_KIND_BY_KEY,
    STORY_FIELDS,
    STORY_TARGET,
    load_corrections,
    parse_target,
)
from ..core.dates import parse
from ..core.text import clip
from ..core.urls import safe_url
from ..i18n.markers import N_
from .language import ENGLISH, PageLanguage, page_language

if TYPE_CHECKING:
    from ..core.dataset import Dataset

__all__ = ["render_corrections", "target_label"]

#: What a reader reads for a target whose row is gone (a removal): never its internal id.
_GONE = {"events": N_("an event no longer listed"), "claims": N_("a claim no longer listed"),
         "sources": N_("a source no longer listed")}  # fmt: skip


_TEMPLATE = """\
<section class="tl-corrections" aria-labelledby="{{ heading_id }}">
{%- if heading %}
<h2 id="{{ heading_id }}">{{ heading }}</h2>
{%- endif %}
{%- if entries %}
<ol class="tl-corrections-list">
{%- for e in entries %}
<li class="tl-correction" data-change="{{ e.change }}"><p>
{%- if e.datetime %}<time datetime="{{ e.datetime }}">{{ e.when }}</time>{% else %}{{ e.when }}{% endif %}
 <span class="tl-correction-kind">{{ e.label }}</span>
{%- if e.target_label %}{{ colon }}{% if e.href %}<a href="{{ e.href }}"
{%- if e.external %} target="_blank" rel="noopener noreferrer"{% endif %}{{ e.dir }}>{{ e.target_label }}</a>
{%- else %}<span class="tl-correction-target"{{ e.dir }}>{{ e.target_label }}</span>{% endif %}{% endif %}</p>
{%- if e.note %}
<p class="tl-correction-note"{{ note_dir }}>{{ e.note }}</p>
{%- endif %}</li>
{%- endfor %}
</ol>
{%- else %}
<p class="tl-corrections-none">{{ empty_text }}</p>
{%- endif %}
</section>
"""


@lru_cache(maxsize=1)
def _template() -> jinja2.Template:
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    return env.from_string(_TEMPLATE)


def _target_view(
    target: str, ds: Dataset | None, home: str = "", lang: PageLanguage = ENGLISH
) -> dict[str, Any]:
    """Label and link of a target: ``#event-<id>``, ``#claim-<id>``, a source's own URL."""
    _ = lang.gettext
    parsed = parse_target(target)
    if parsed is None:
        return {"target_label": target, "href": "", "external": False}
    table, rid = parsed
    if table == STORY_TARGET:
        label = _(STORY_FIELDS[rid]) if rid in STORY_FIELDS else f"the story's {rid}"
        return {"target_label": label, "href": home, "external": False}
    row: dict[str, str] | None = None
    if ds is not None:
        frame = ds.raw(table)
        hits = frame[frame["id"].astype(str).str.strip() == rid]
        row = hits.iloc[0].to_dict() if len(hits) else None
    if table == "events":
        label = clip(row["title"]) if row else _(_GONE[table])
        return {
            "target_label": label,
            "href": f"{home}#event-{rid}" if row or ds is None else "",
            "external": False,
        }
    if table == "claims":
        label = (
            _("claim by %(claimant)s: “%(claim)s”")
            % {"claimant": row["claimant"], "claim": clip(row["claim"], 60)}
            if row
            else _(_GONE[table])
        )
        return {
            "target_label": label,
            "href": f"{home}#claim-{rid}" if row or ds is None else "",
            "external": False,
        }
    url = str(row.get("url", "")).strip() if row else ""
    label = _("source: %(title)s") % {"title": clip(row["title"])} if row else _(_GONE[table])
    return {"target_label": label, "href": safe_url(url), "external": True}


def target_label(target: str, ds: Dataset | None) -> str:
    """What a reader reads for a correction's target (as the corrections section shows it)."""
    return str(
        _target_view(target, ds, lang=page_language(ds) if ds is not None else ENGLISH)[
            "target_label"
        ]
    )


def render_corrections(
    data: Dataset | pd.DataFrame,
    *,
    dataset: Dataset | None = None,
    heading_id: str = "tl-corrections-h",
    empty_text: str | None = N_("No corrections or updates have been published for this timeline."),
    home: str = "",
    heading: str | None = N_("Corrections and updates"),
) -> Markup:
    """The "Corrections and updates" section: newest first, each entry dated and linked to its target.

    ``data`` is a dataset (its folder's corrections.csv is read) or a corrections frame
    (pass ``dataset=`` for titles and links). All text is escaped; only ``#event-<id>``,
    ``#claim-<id>`` and http(s) source links are emitted. With ``empty_text=None`` an
    empty log renders as an empty string. With ``heading=None`` the section has no heading
    of its own: it is named by the page's element with ``heading_id`` (the corrections page's h1).
    """
    if isinstance(data, pd.DataFrame):
        df = data
    else:
        dataset = data
        df, _problems = load_corrections(data.folder)
    lang = page_language(dataset) if dataset is not None else ENGLISH
    entries: list[dict[str, Any]] = []
    for pos, row in enumerate(df.to_dict("records")):
        date = str(row.get("date", "") or "").strip()
        change = str(row.get("change", "") or "").strip()
        try:
            at = parse(date).at.timestamp()
            ok = True
        except ValueError:
            at, ok = float("-inf"), False
        kind = CORRECTION_KIND_BY_KEY.get(change)
        entry = {
            "sort": (at, pos),
            "datetime": date if ok else "",
            "when": lang.date_label(date) if ok else date,
            "change": change,
            "label": lang.pgettext("correction", kind.label) if kind else change,
            "note": str(row.get("note", "") or "").strip(),
            **_target_view(str(row.get("target", "") or ""), dataset, home, lang),
            "dir": Markup(lang.data_dir),
        }
        entries.append(entry)
    if not entries and empty_text is None:
        return Markup("")
    entries.sort(key=lambda e: e["sort"], reverse=True)
    return Markup(
        _template().render(
            entries=entries,
            heading_id=heading_id,
            heading=lang.gettext(heading) if heading else heading,
            empty_text=lang.gettext(empty_text) if empty_text else "",
            colon=lang.gettext(": "),
            note_dir=Markup(lang.data_dir),
        )
    )
