"""The authoring app's HTML: date readings, problem tables, the health panel, the review's diff."""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path

from ..core.dataset import Dataset
from ..core.dates import explain, humanize
from ..core.rowdiff import Diff
from ..problems import Problem

SEVERITY_COLOUR = {"error": "#b3261e", "warning": "#8a4b00"}


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


def health_html(ds: Dataset, problems: list[Problem], *, new: Sequence[str] = ()) -> str:
    """Counts and every problem; ``new`` names the files not on disk yet (Save creates them)."""
    n = ds.counts()
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    colour = "#b3261e" if errors else "#1a7f37"
    note = (
        f"<p>Not on disk yet: {esc(', '.join(new))}; <b>Review &amp; save</b> creates "
        f"{'it' if len(new) == 1 else 'them'}.</p>"
        if new
        else ""
    )
    return (
        f"<h3>Health of {esc(ds.folder or 'the dataset')}</h3>"
        f"<p><b>{n['events']}</b> events · <b>{n['claims']}</b> claims · <b>{n['sources']}</b> sources — "
        f'<span style="color:{colour}"><b>{errors}</b> error{"s" * (errors != 1)}</span>, '
        f"<b>{warnings}</b> warning{'s' * (warnings != 1)}</p>"
        + note
        + problems_html(problems, empty="The data is valid.")
    )


def changes_html(diff: Diff, story: list[tuple[str, str, str]]) -> str:
    """The unsaved changes: the story's title and standfirst, then the tables' (:func:`diff_html`)."""
    if not story:
        return diff_html(diff)
    rows = "".join(
        f"<tr><td>{esc(key)}</td><td>{esc(old)}</td><td>{esc(new)}</td></tr>"
        for key, old, new in story
    )
    table = (
        "<table><thead><tr><th>story.json</th><th>saved</th><th>now</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
    )
    return table + (diff_html(diff) if diff else "")


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
