"""The timeline as plain text: events in order, each with its claims and verdicts, in the story's language."""

from __future__ import annotations

from ..core.dataset import Dataset
from ..core.schema import VERDICT_BY_KEY
from .language import page_language


def render_outline(ds: Dataset) -> str:
    lang = page_language(ds)
    events = ds.events.sort_values(["start_at", "line"], kind="stable")
    claims = ds.claims
    out: list[str] = []
    for _, e in events.iterrows():
        when = e["display_date"] or lang.date_label(e["start"]) or e["start"]
        out.append(f"{when}  [{e['category']}]  {e['title']}")
        for _, c in claims[claims["event_id"] == e["id"]].iterrows():
            v = VERDICT_BY_KEY.get(c["verdict"])
            label = lang.verdict_label(v) if v else c["verdict"]
            out.append(f"    {label.upper()}: {c['claimant']}: {c['claim']}")
    return "\n".join(out)
