"""The timeline as plain text: events in order, each with its claims and verdicts."""

from __future__ import annotations

from ..core.dataset import Dataset
from ..core.dates import humanize
from ..core.schema import VERDICT_BY_KEY


def render_outline(ds: Dataset) -> str:
    events = ds.events.sort_values(["start_at", "line"], kind="stable")
    claims = ds.claims
    out: list[str] = []
    for _, e in events.iterrows():
        when = e["display_date"] or humanize(e["start"])
        out.append(f"{when}  [{e['category']}]  {e['title']}")
        for _, c in claims[claims["event_id"] == e["id"]].iterrows():
            v = VERDICT_BY_KEY.get(c["verdict"])
            label = v.label if v else c["verdict"]
            out.append(f"    {label.upper()}: {c['claimant']}: {c['claim']}")
    return "\n".join(out)
