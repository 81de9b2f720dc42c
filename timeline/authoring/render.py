"""The authoring app's HTML: date readings, problem tables, the health panel, the review's diff.

Each function takes the app's :class:`~timeline.authoring.words.Words` (English when not given) and
writes its words, and the direction of its block, in that language.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path

from ..core.dataset import Dataset
from ..core.dates import explain
from ..core.rowdiff import Diff
from ..i18n.markers import N_
from ..problems import Problem
from .words import ENGLISH, Words

SEVERITY_COLOUR = {"error": "#b3261e", "warning": "#8a4b00"}
SEVERITY = {"error": N_("error"), "warning": N_("warning")}
#: What the review's table says of each row (rowdiff's words).
CHANGE = {"added": N_("added"), "changed": N_("changed"), "removed": N_("removed")}


def esc(value: object) -> str:
    return html.escape(str(value))


def block(body: str, t: Words = ENGLISH) -> str:
    """``body`` in a block that carries the language and its direction (English: as it is)."""
    if t.english:
        return body
    return f'<div lang="{esc(t.language.tag)}" dir="{t.dir}">{body}</div>'


def reading_html(text: str, t: Words = ENGLISH) -> str:
    """How a date field will read ("Friday 3 January 2020, 00:47 (UTC+03:00)"), or why it is wrong."""
    value = text.strip()
    if not value:
        return ""
    problem = explain(value)
    if problem:
        return block(f'<span style="color:#b3261e">✗ {esc(t.problem(problem))}</span>', t)
    reads = t._("reads: %(date)s", date=t.date(value))
    return block(f'<span style="color:#1a7f37">{esc(reads)}</span>', t)


def problems_html(problems: list[Problem], *, empty: str = "", t: Words = ENGLISH) -> str:
    """Problems as a table: severity, file, line, column, message (``empty``: said when there are none)."""
    if not problems:
        said = empty or t._("No problems.")
        return block(f'<p style="color:#1a7f37">✓ {esc(said)}</p>', t)
    new_row = t._("new")  # the line of a row not saved yet
    rows = "".join(
        f'<tr><td style="color:{SEVERITY_COLOUR.get(p.severity, "#000")}">'
        f"{esc(t._(SEVERITY[p.severity]) if p.severity in SEVERITY else p.severity)}</td>"
        f"<td>{esc(Path(p.file).name)}</td>"
        f"<td>{esc(t.number(p.line) if p.line is not None else new_row)}</td>"
        f"<td>{esc(t.column(p.column) if p.column else '')}</td><td>{esc(t.problem(p.message))}</td></tr>"
        for p in problems
    )
    head = "".join(
        f"<th>{esc(h)}</th>"
        for h in (t._("severity"), t._("file"), t._("line"), t._("column"), t._("message"))
    )
    return block(
        '<div style="max-height:18rem;overflow:auto"><table class="tl-problems-table">'
        f"<thead><tr>{head}</tr></thead>"
        f"<tbody>{rows}</tbody></table></div>",
        t,
    )


def health_html(
    ds: Dataset, problems: list[Problem], *, new: Sequence[str] = (), t: Words = ENGLISH
) -> str:
    """Counts and every problem; ``new`` names the files not on disk yet (Save creates them)."""
    n = ds.counts()
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    colour = "#b3261e" if errors else "#1a7f37"
    note = (
        "<p>"
        + t.ngettext(
            "Not on disk yet: %(files)s; <b>Review &amp; save</b> creates it.",
            "Not on disk yet: %(files)s; <b>Review &amp; save</b> creates them.",
            len(new),
            files=esc(", ".join(new)),
        )
        + "</p>"
        if new
        else ""
    )

    def bold(count: int) -> str:
        return f"<b>{t.number(count)}</b>"

    counts = t._(
        # Translators: the health panel's counts of the story's rows; each number is in bold.
        "%(events)s events · %(claims)s claims · %(sources)s sources",
        events=bold(n["events"]),
        claims=bold(n["claims"]),
        sources=bold(n["sources"]),
    )
    found = (
        f'<span style="color:{colour}">'
        + t.ngettext("%(num)s error", "%(num)s errors", errors, num=bold(errors))
        + "</span>, "
        + t.ngettext("%(num)s warning", "%(num)s warnings", warnings, num=bold(warnings))
    )
    # Translators: the health panel's line: the counts, a dash, then the errors and warnings.
    summary = t._("%(counts)s — %(problems)s", counts=counts, problems=found)
    title = t._("Health of %(folder)s", folder=ds.folder or t._("the dataset"))
    return block(
        f"<h3>{esc(title)}</h3>"
        f"<p>{summary}</p>" + note + problems_html(problems, empty=t._("The data is valid."), t=t),
        t,
    )


def changes_html(diff: Diff, story: list[tuple[str, str, str]], t: Words = ENGLISH) -> str:
    """The unsaved changes: the story's title and standfirst, then the tables' (:func:`diff_html`)."""
    if not story:
        return diff_html(diff, t)
    rows = "".join(
        f"<tr><td>{esc(t.column(key))}</td><td>{esc(old)}</td><td>{esc(new)}</td></tr>"
        for key, old, new in story
    )
    saved, now = t._("saved"), t._("now")
    table = (
        f"<table><thead><tr><th>story.json</th><th>{esc(saved)}</th><th>{esc(now)}</th>"
        f"</tr></thead><tbody>{rows}</tbody></table>"
    )
    return block(table, t) + (diff_html(diff, t) if diff else "")


def diff_html(diff: Diff, t: Words = ENGLISH) -> str:
    """Rows added, changed and removed per file, then the line diff, for the save panel."""
    if not diff:
        none = t._("No unsaved changes.")
        return block(f"<p>{esc(none)}</p>", t)
    head = "".join(
        f"<tr><td>{esc(d.filename)}</td><td>{t.number(len(d.added))}</td>"
        f"<td>{t.number(len(d.changed))}</td><td>{t.number(len(d.removed))}</td></tr>"
        for d in diff.tables.values()
    )
    rows = "".join(
        f"<tr><td>{esc(r['file'])}</td>"
        f"<td>{esc(t._(CHANGE[r['change']]) if r['change'] in CHANGE else r['change'])}</td>"
        f"<td>{esc(r['id'])}</td><td>{esc(r['detail'])}</td></tr>"
        for r in diff.records()
    )
    th = "".join(
        f"<th>{esc(h)}</th>" for h in (t._("file"), t._("added"), t._("changed"), t._("removed"))
    )
    pre_dir = "" if t.english else ' dir="ltr"'  # the files' own lines read left to right
    th2 = "".join(
        f"<th>{esc(h)}</th>" for h in (t._("file"), t._("change"), t._("id"), t._("detail"))
    )
    return block(
        f"<table><thead><tr>{th}</tr></thead>"
        f"<tbody>{head}</tbody></table>"
        f"<table><thead><tr>{th2}</tr></thead><tbody>{rows}</tbody></table>"
        f'<pre{pre_dir} style="max-height:16rem;overflow:auto">{esc(diff.unified())}</pre>',
        t,
    )


def status_html(message: str, *, ok: bool, t: Words = ENGLISH) -> str:
    colour = "#1a7f37" if ok else "#b3261e"
    return block(f'<div style="color:{colour};white-space:pre-wrap">{esc(message)}</div>', t)
