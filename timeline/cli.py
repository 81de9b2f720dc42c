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
    and exits 1 if there is any error.
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
            f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)} in {folder}",
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
@click.option("--port", default=8866, show_default=True, help="Port on 127.0.0.1.")
def serve(folder: str, port: int) -> None:
    """Serve the reader dashboard for FOLDER with Voila on 127.0.0.1."""
    from .serve import serve as run

    try:
        run(folder, port=port)
    except TimelineError as e:
        raise click.ClickException(str(e)) from e


@cli.command()
@click.argument("folder", default="data", type=click.Path(file_okay=False))
@click.option("-o", "--output", "out", default="snapshot", show_default=True, help="Folder to write index.html into.")
def snapshot(folder: str, out: str) -> None:
    """Write a self-contained offline HTML snapshot of FOLDER to OUTPUT/index.html."""
    from .snapshot import export_snapshot

    try:
        path = export_snapshot(folder, out)
    except TimelineError as e:
        raise click.ClickException(str(e)) from e
    click.echo(f"Wrote {path}")
