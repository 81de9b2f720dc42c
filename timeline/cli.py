"""The command line: thin wrappers over the library; the only module importing click."""

from __future__ import annotations

import sys

import click

from .errors import TimelineError
from .version import __version__


@click.group()
@click.version_option(__version__, prog_name="timeline")
def cli() -> None:
    """Fact-check timelines: validate, serve and snapshot a story's data folder."""


@cli.command()
@click.argument("folder", default="data", type=click.Path(file_okay=False))
def validate(folder: str) -> None:
    """Check FOLDER (default: data) against the data contract.

    Prints every problem as FILE:LINE: COLUMN: message, errors then warnings,
    and exits 1 if there is any error; otherwise prints the counts of events,
    claims and sources and exits 0. Never changes a file.
    """
    from .dataset import load

    try:
        ds = load(folder)
    except TimelineError as e:
        raise click.ClickException(str(e)) from e
    problems = ds.validate()
    for p in problems:
        click.echo(str(p))
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    if errors:
        click.echo(
            f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)} "
            f"in {folder}; no file was changed",
            err=True,
        )
        sys.exit(1)
    tail = f" ({warnings} warning{'s' * (warnings != 1)})" if warnings else ""
    click.echo(f"OK: {ds.summary()}{tail}")


@cli.command()
@click.argument("folder", default="data", type=click.Path(file_okay=False))
def outline(folder: str) -> None:
    """Print the timeline of FOLDER as text: each event with its claims and verdicts."""
    from .dataset import load
    from .outline import render_outline

    try:
        click.echo(render_outline(load(folder)))
    except TimelineError as e:
        raise click.ClickException(str(e)) from e


@cli.command()
@click.argument("folder", default="data", type=click.Path(file_okay=False))
@click.option(
    "--port",
    default=8866,
    show_default=True,
    type=click.IntRange(min=0, max=65535),
    help="Port on 127.0.0.1 (0: any free port; the address printed names the one bound).",
)
@click.option(
    "--pool-size",
    default=1,
    show_default=True,
    type=click.IntRange(min=0),
    help="Preheated kernels with the page rendered in advance, so the first reader after a start or a data change does not wait for a kernel (0: render on demand).",
)
@click.option(
    "--page-cache/--no-page-cache",
    default=True,
    show_default=True,
    help="Keep the rendered page for every reader until the data changes.",
)
@click.option(
    "--max-renders",
    default=2,
    show_default=True,
    type=click.IntRange(min=1),
    help="Kernels rendering at once; past it a reader gets a 503 'busy, try again' page.",
)
@click.option(
    "--base-url",
    default=None,
    help="Path to serve under, e.g. /services/timeline/ (default: $JUPYTERHUB_SERVICE_PREFIX or /).",
)
@click.option(
    "--cull-idle-timeout",
    default=60,
    show_default=True,
    type=click.IntRange(min=0),
    help="Seconds before an idle kernel outside the pool is shut down (0: never).",
)
@click.option(
    "--cull-interval",
    default=15,
    show_default=True,
    type=click.IntRange(min=1),
    help="Seconds between culling passes.",
)
@click.option(
    "--notebook",
    type=click.Path(dir_okay=False, exists=True),
    default=None,
    help="Serve this notebook instead of the checkout's notebooks/dashboard.ipynb.",
)
def serve(
    folder: str,
    port: int,
    pool_size: int,
    cull_idle_timeout: int,
    cull_interval: int,
    notebook: str | None,
    page_cache: bool,
    max_renders: int,
    base_url: str | None,
) -> None:
    """Serve the reader dashboard for FOLDER with Voila on 127.0.0.1.

    Only the dashboard page and its three assets are served; data errors show on
    the page. Stop with Ctrl-C.
    """
    from pathlib import Path

    from .serve import ServeOptions
    from .serve import serve as run

    options = ServeOptions(
        port=port,
        pool_size=pool_size,
        cull_idle_timeout=cull_idle_timeout,
        cull_interval=cull_interval,
        notebook=Path(notebook) if notebook else None,
        page_cache=page_cache,
        max_renders=max_renders,
        base_url=base_url,
    )
    try:
        run(folder, options=options, on_ready=lambda url: click.echo(f"Serving {folder} at {url}"))
    except TimelineError as e:
        raise click.ClickException(str(e)) from e


def _check_base_url(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    from .snapshot import check_base_url

    try:
        return check_base_url(value)
    except TimelineError as e:
        raise click.BadParameter(str(e)) from e


@cli.command()
@click.argument("folder", default="data", type=click.Path(file_okay=False))
@click.option("-o", "--output", "out", default="snapshot", show_default=True, help="Folder to write index.html into.")
@click.option(
    "--publisher",
    default="Fact-check timeline",
    show_default=True,
    help="Who publishes the fact checks: the author of every ClaimReview.",
)
@click.option(
    "--base-url",
    default=None,
    callback=_check_base_url,
    help="Where index.html will be served, e.g. https://example.org/timeline/ (ClaimReview urls, canonical link).",
)
def snapshot(folder: str, out: str, publisher: str, base_url: str | None) -> None:
    """Write a self-contained offline HTML snapshot of FOLDER to OUTPUT/index.html.

    One file with the chart, filters, every event, claim and source link, and
    ClaimReview JSON-LD; it asks no host for anything. SOURCE_DATE_EPOCH fixes
    the build time, so the same data gives the same bytes. Refuses data with errors.
    """
    from .snapshot import export_snapshot, skip_slow_optional_imports

    skip_slow_optional_imports()  # before nbformat loads: 1-2 s of a 2 s build
    try:
        path = export_snapshot(folder, out, publisher=publisher, base_url=base_url)
    except TimelineError as e:
        raise click.ClickException(str(e)) from e
    click.echo(f"Wrote {path}")


# --- TimelineJS in and out, link checking, diff and corrections (issue 6) ---------------------


@cli.group(name="export")
def export_group() -> None:
    """Write a data folder in another format (timelinejs)."""


@export_group.command(name="timelinejs")
@click.argument("folder", default="data", type=click.Path(file_okay=False))
@click.option("-o", "--output", "out", default="-", show_default=True, help="JSON file to write; - for standard output.")
def export_timelinejs_command(folder: str, out: str) -> None:
    """Write FOLDER as TimelineJS JSON: a title slide and one slide per event.

    Each slide carries the event's dates at their precision (times on the event's own
    clock, named in the slide's date line), its summary, claims, verdicts and source
    links as HTML, its category as the TimelineJS group and its id as unique_id.
    Refuses data with errors.
    """
    from .interop import export_timelinejs

    try:
        text = export_timelinejs(folder, None if out == "-" else out)
    except TimelineError as e:
        raise click.ClickException(str(e)) from e
    if out == "-":
        click.echo(text, nl=False)
    else:
        click.echo(f"Wrote {out}")


@cli.group(name="import")
def import_group() -> None:
    """Convert another format into a new data folder (timelinejs)."""


def _check_offset(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    from .interop import check_offset

    try:
        return check_offset(value)
    except ValueError as e:
        raise click.BadParameter(str(e)) from e


@import_group.command(name="timelinejs")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--into", "folder", required=True, type=click.Path(file_okay=False), help="New data folder to write.")
@click.option(
    "--offset",
    default=None,
    callback=_check_offset,
    help="UTC offset of the clock the slides' times were read on (+03:00, -05:00, Z); needed when a slide has a time.",
)
@click.option("--skip-unsourced", is_flag=True, help="Leave out slides without any link instead of refusing.")
def import_timelinejs_command(file: str, folder: str, offset: str | None, skip_unsourced: bool) -> None:
    """Convert a TimelineJS JSON file or spreadsheet CSV into a new data folder.

    Every link in a slide's text, and its Media URL if http(s), becomes a source.
    A slide without any link cannot be converted: the command names it and writes nothing.
    """
    from .interop import import_timelinejs

    try:
        result = import_timelinejs(file, folder, offset=offset, skip_unsourced=skip_unsourced)
    except TimelineError as e:
        raise click.ClickException(str(e)) from e
    for note in result.skipped:
        click.echo(f"Skipped {note}", err=True)
    click.echo(f"Wrote {folder}: {result.dataset.summary()}")


@cli.command(name="check-links")
@click.argument("folder", default="data", type=click.Path(file_okay=False))
@click.option("--write", is_flag=True, help="Record the date and status in sources.csv (columns checked, status).")
@click.option(
    "--timeout",
    default=10.0,
    show_default=True,
    type=click.FloatRange(min=0, min_open=True),
    help="Seconds to wait for each answer.",
)
@click.option("--workers", default=8, show_default=True, type=click.IntRange(min=1), help="Links checked at once.")
def check_links_command(folder: str, write: bool, timeout: float, workers: int) -> None:
    """Check every url and archived_url of FOLDER's sources.

    HEAD first (GET where HEAD is refused), redirects followed and reported with the
    final URL. Prints a status table; writes nothing unless --write. Exits 1 if a link
    is broken (no 2xx answer after redirects).
    """
    from .linkcheck import check_folder

    try:
        report = check_folder(folder, write=write, timeout=timeout, workers=workers)
    except (TimelineError, ValueError) as e:
        raise click.ClickException(str(e)) from e
    if report.links:
        click.echo(report.table())
    click.echo(report.summary())
    if report.broken:
        sys.exit(1)


@cli.command(name="diff")
@click.argument("old")
@click.argument("new")
@click.option(
    "--path",
    default="data",
    show_default=True,
    help="The data folder inside a git revision, relative to the current directory.",
)
@click.option("--draft-corrections", is_flag=True, help="Print draft corrections.csv rows (no header) instead.")
def diff_command(old: str, new: str, path: str, draft_corrections: bool) -> None:
    """List what changed from OLD to NEW: data folders or git revisions (HEAD~1 HEAD).

    Events and claims added and removed, verdicts changed (old -> new), rationales
    revised, cited sources and other fields changed. With --draft-corrections, prints
    corrections.csv rows dated today (or SOURCE_DATE_EPOCH) to review and append.
    """
    from .changes import diff_report

    try:
        click.echo(diff_report(old, new, path=path, draft=draft_corrections), nl=not draft_corrections)
    except (TimelineError, ValueError) as e:
        raise click.ClickException(str(e)) from e
