"""The command line: thin wrappers over the library; the only module importing click."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from .errors import TimelineError
from .i18n.markers import N_
from .serve.options import ServeOptions, options
from .version import __version__

#: The language the command line speaks: its messages are marked (``N_``) and said through the
#: catalogues, so that ``make messages`` extracts them and a catalogue can say them.
CLI_LANGUAGE = "en"


def _say(message: str, /, **args: Any) -> str:
    """``message`` (marked with ``N_``) in the command line's language, its placeholders filled."""
    from .i18n.catalogues import gettext

    text = gettext(message, CLI_LANGUAGE)
    return text % args if args else text


def _count(singular: str, plural: str, n: int) -> str:
    """``"%(num)s error"`` or ``"%(num)s errors"``, as ``n`` takes it in the command line's language."""
    from .i18n.catalogues import ngettext

    return ngettext(singular, plural, n, CLI_LANGUAGE) % {"num": n}


class _Commands(click.Group):
    """The command group: any :class:`TimelineError` a command lets out (its message says what,
    where and how to fix) is printed as ``Error: ...`` with exit status 1, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except TimelineError as e:
            raise click.ClickException(str(e)) from e


@click.group(cls=_Commands)
@click.version_option(__version__, prog_name="timeline")
def cli() -> None:
    """Fact-check timelines: validate, serve and snapshot a story's data folder."""


@cli.command()
@click.argument("folder", type=click.Path(file_okay=False))
@click.option(
    "--title", required=True, help="The story's title: the heading of the site, cards and snapshot."
)
@click.option(
    "--standfirst",
    default="",
    help="One or two sentences under the title saying what the story follows.",
)
def new(folder: str, title: str, standfirst: str) -> None:
    """Start a story: create FOLDER with empty events, claims and sources tables and story.json.

    FOLDER may exist if it holds no story file; the command refuses (and writes
    nothing) if it holds events.csv, claims.csv, sources.csv, corrections.csv or
    story.json. The new story validates clean; add rows with the authoring app.
    """
    from .core.story import new_story

    written = new_story(folder, title=title, standfirst=standfirst)
    click.echo(_say(N_("Wrote %(folder)s: %(files)s"), folder=folder, files=", ".join(written)))
    click.echo(
        _say(
            N_(
                "Add its events, claims and sources in the authoring app: "
                "TIMELINE_DATA=%(folder)s jupyter lab notebooks/authoring.ipynb"
            ),
            folder=folder,
        )
    )


@cli.command()
@click.argument("folders", nargs=-1, type=click.Path(file_okay=False), metavar="[FOLDER]...")
def validate(folders: tuple[str, ...]) -> None:
    """Check FOLDER (default: data) against the data contract.

    Prints every problem as FILE:LINE: COLUMN: message, errors then warnings,
    and exits 1 if there is any error; otherwise prints the counts of events,
    claims and sources and exits 0. Never changes a file. Several folders are
    editions of one story in several languages: each is checked, then that
    each has a language of its own (an error) and every event and claim id of
    the others (a warning naming the id, where it is and the fix).
    """
    from .core.editions import language_problems, load_editions, missing_ids
    from .problems import sort_problems

    editions = load_editions(folders or ("data",))
    problems = [p for ed in editions for p in ed.dataset.validate()]
    if len(editions) > 1:
        problems = sort_problems(problems + language_problems(editions) + missing_ids(editions))
    for p in problems:
        click.echo(str(p))
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    where = ", ".join(str(ed.folder) for ed in editions)
    if errors:
        click.echo(
            _say(
                # Translators: the counts of errors and warnings ("2 errors", "1 warning") and the folder.
                N_("%(errors)s, %(warnings)s in %(folder)s; no file was changed"),
                errors=_count("%(num)s error", "%(num)s errors", errors),
                warnings=_count("%(num)s warning", "%(num)s warnings", warnings),
                folder=where,
            ),
            err=True,
        )
        sys.exit(1)
    tail = (
        _say(
            N_(" (%(warnings)s)"), warnings=_count("%(num)s warning", "%(num)s warnings", warnings)
        )
        if warnings
        else ""
    )
    if len(editions) == 1:
        click.echo(_say(N_("OK: %(summary)s"), summary=editions[0].dataset.summary()) + tail)
        return
    for ed in editions:
        click.echo(
            _say(
                N_("OK: %(folder)s (%(tag)s): %(summary)s"),
                folder=str(ed.folder),
                tag=ed.tag,
                summary=ed.dataset.summary(),
            )
        )
    click.echo(_say(N_("OK: %(num)s editions"), num=str(len(editions))) + tail)


@cli.command()
@click.argument("folder", default="data", type=click.Path(file_okay=False))
def outline(folder: str) -> None:
    """Print the timeline of FOLDER as text: each event with its claims and verdicts."""
    from .core.dataset import load
    from .views.outline import render_outline

    click.echo(render_outline(load(folder)))


def _serve_options(command: Any) -> Any:
    """The options of `timeline serve`, made from ServeOptions' fields (name, type, range,
    default and help declared once, in timeline.serve.options)."""
    for f in reversed(options()):
        meta = f.metadata
        if not meta["cli"]:
            continue
        flag = meta["flag"] or "--" + f.name.replace("_", "-")
        kind = meta["kind"]
        settings: dict[str, Any] = {
            "default": f.default,
            "help": meta["help"],
            "show_default": f.default is not None,
        }
        if kind is bool:
            flag = f"{flag}/--no-{flag[2:]}"
        elif kind is int:
            settings["type"] = click.IntRange(min=meta["min"], max=meta["max"])
        elif kind is float:
            settings["type"] = click.FloatRange(min=meta["min"], max=meta["max"])
        elif kind is tuple:
            settings.update(multiple=True, metavar="NAME", show_default=False)
        elif kind is Path:
            settings["type"] = click.Path(dir_okay=False, exists=True, path_type=Path)
        command = click.option(flag, f.name, **settings)(command)
    return command


@cli.command()
@click.argument("folder", default="data", type=click.Path(file_okay=False))
@_serve_options
def serve(folder: str, **chosen: Any) -> None:
    """Serve the reader dashboard for FOLDER with Voila on 127.0.0.1.

    Only the dashboard page and its three assets are served; data errors show on
    the page. Stop with Ctrl-C.
    """
    from .serve.launcher import serve as run

    run(
        folder,
        options=ServeOptions(**chosen),
        on_ready=lambda url: click.echo(
            _say(N_("Serving %(folder)s at %(url)s"), folder=folder, url=url)
        ),
    )


def _check_base_url(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    from .publish.snapshot import check_base_url

    try:
        return check_base_url(value)
    except TimelineError as e:
        raise click.BadParameter(str(e)) from e


@cli.command()
@click.argument("folder", default="data", type=click.Path(file_okay=False))
@click.option(
    "-o",
    "--output",
    "out",
    default="snapshot",
    show_default=True,
    help="Folder to write index.html into.",
)
@click.option(
    "--publisher",
    default=None,
    help="Who publishes the fact checks: the author of every ClaimReview (default: the publisher's "
    "name in FOLDER/story.json, else 'Fact-check timeline').",
)
@click.option(
    "--base-url",
    default=None,
    callback=_check_base_url,
    help="Where index.html will be served, e.g. https://example.org/timeline/ (canonical link; "
    "each claim links to its page of the microsite built there with `timeline site`).",
)
@click.option(
    "--claimreview",
    is_flag=True,
    help="Add the ClaimReview JSON-LD of every rated claim (off: each belongs on its claim's page).",
)
def snapshot(
    folder: str, out: str, publisher: str | None, base_url: str | None, claimreview: bool
) -> None:
    """Write a self-contained offline HTML snapshot of FOLDER to OUTPUT/index.html.

    One file with the chart, filters, every event, claim and source link; it
    asks no host for anything. SOURCE_DATE_EPOCH fixes the build time, so the
    same data gives the same bytes. Refuses data with errors.
    """
    from .publish.snapshot import export_snapshot
    from .startup import skip_slow_optional_imports

    skip_slow_optional_imports()  # before nbformat loads: 1-2 s of a 2 s build
    path = export_snapshot(
        folder, out, publisher=publisher, base_url=base_url, claimreview=claimreview
    )
    click.echo(_say(N_("Wrote %(path)s"), path=path))


@cli.command()
@click.argument("folders", nargs=-1, type=click.Path(file_okay=False), metavar="[FOLDER]...")
@click.option(
    "-o",
    "--output",
    "out",
    default="site",
    show_default=True,
    help="Folder to write the site into.",
)
@click.option(
    "--base-url",
    default=None,
    callback=_check_base_url,
    help="Where the site will be served, e.g. https://example.org/timeline/ (canonical links, "
    "share tags, absolute ClaimReview urls, sitemap.xml and robots.txt; with editions, hreflang "
    "links between them).",
)
@click.option(
    "--publisher",
    default=None,
    help="Who publishes the fact checks: the author of every ClaimReview and feed (default: the "
    "publisher's name in each FOLDER's story.json, else 'Fact-check timeline').",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Processes that draw the share cards and render the pages (default: every core). "
    "The site is the same for any number.",
)
def site(
    folders: tuple[str, ...],
    out: str,
    base_url: str | None,
    publisher: str | None,
    jobs: int | None,
) -> None:
    """Write the fact-check microsite of FOLDER (default: data) to OUTPUT.

    The timeline (index.html), a page and a share card per claim, sources,
    corrections and methodology pages, Atom feeds, an embeddable view, downloads
    and HTTP headers for static hosts. A rebuild writes only the files whose bytes
    change, and draws or renders again only the cards and pages whose data changed.
    A build that fails leaves OUTPUT as it was. SOURCE_DATE_EPOCH fixes the build
    time. Refuses data with errors.

    Several folders are editions of one story in several languages (the same
    event and claim ids, a language each in story.json): the first is written
    at OUTPUT, each other at OUTPUT/<language>/, and every page links the same
    page in the others. Nothing is written if any edition fails.
    """
    from .publish.site import build_site

    try:
        report = build_site(
            folders or "data", out, base_url=base_url, publisher=publisher, jobs=jobs
        )
    except TimelineError as e:
        raise click.ClickException(str(e)) from e
    click.echo(
        _say(
            N_(
                "Wrote %(folder)s: %(written)s files written, %(unchanged)s unchanged, %(removed)s removed"
            ),
            folder=report.out_dir,
            written=len(report.written),
            unchanged=len(report.unchanged),
            removed=len(report.removed),
        )
    )
    if report.embed_code:
        click.echo(_say(N_("Embed code:\n%(code)s"), code=report.embed_code))
    else:
        click.echo(
            _say(N_("No embed code: it needs the site's address; build with --base-url URL"))
        )


# --- TimelineJS in and out, link checking, diff and corrections (issue 6) ---------------------


@cli.group(name="export")
def export_group() -> None:
    """Write a data folder in another format (timelinejs)."""


@export_group.command(name="timelinejs")
@click.argument("folder", default="data", type=click.Path(file_okay=False))
@click.option(
    "-o",
    "--output",
    "out",
    default="-",
    show_default=True,
    help="JSON file to write; - for standard output.",
)
def export_timelinejs_command(folder: str, out: str) -> None:
    """Write FOLDER as TimelineJS JSON: a title slide and one slide per event.

    Each slide carries the event's dates at their precision (times on the event's own
    clock, named in the slide's date line), its summary, claims, verdicts and source
    links as HTML, its category as the TimelineJS group and its id as unique_id.
    Refuses data with errors.
    """
    from .interop.timelinejs_export import export_timelinejs

    text = export_timelinejs(folder, None if out == "-" else out)
    if out == "-":
        click.echo(text, nl=False)
    else:
        click.echo(_say(N_("Wrote %(path)s"), path=out))


@cli.group(name="import")
def import_group() -> None:
    """Convert another format into a new data folder (timelinejs)."""


def _check_offset(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    from .interop.timelinejs_import import check_offset

    try:
        return check_offset(value)
    except TimelineError as e:
        raise click.BadParameter(str(e)) from e


@import_group.command(name="timelinejs")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--into",
    "folder",
    required=True,
    type=click.Path(file_okay=False),
    help="New data folder to write.",
)
@click.option(
    "--offset",
    default=None,
    callback=_check_offset,
    help="UTC offset of the clock the slides' times were read on (+03:00, -05:00, Z); needed when a slide has a time.",
)
@click.option(
    "--skip-unsourced", is_flag=True, help="Leave out slides without any link instead of refusing."
)
def import_timelinejs_command(
    file: str, folder: str, offset: str | None, skip_unsourced: bool
) -> None:
    """Convert a TimelineJS JSON file or spreadsheet CSV into a new data folder.

    Every link in a slide's text, and its Media URL if http(s), becomes a source.
    A slide without any link cannot be converted: the command names it and writes nothing.
    """
    from .interop.timelinejs_import import import_timelinejs

    result = import_timelinejs(file, folder, offset=offset, skip_unsourced=skip_unsourced)
    for note in result.skipped:
        click.echo(_say(N_("Skipped %(note)s"), note=note), err=True)
    click.echo(
        _say(N_("Wrote %(folder)s: %(summary)s"), folder=folder, summary=result.dataset.summary())
    )


@cli.command(name="check-links")
@click.argument("folder", default="data", type=click.Path(file_okay=False))
@click.option(
    "--write",
    is_flag=True,
    help="Record the date and status in sources.csv (columns checked, status).",
)
@click.option(
    "--timeout",
    default=10.0,
    show_default=True,
    type=click.FloatRange(min=0, min_open=True),
    help="Seconds to wait for each answer.",
)
@click.option(
    "--workers",
    default=8,
    show_default=True,
    type=click.IntRange(min=1),
    help="Links checked at once.",
)
def check_links_command(folder: str, write: bool, timeout: float, workers: int) -> None:
    """Check every url and archived_url of FOLDER's sources.

    HEAD first (GET where HEAD is refused), redirects followed and reported with the
    final URL. Prints a status table; writes nothing unless --write. Exits 1 if a link
    is broken (no 2xx answer after redirects).
    """
    from .interop.linkcheck import check_folder

    report = check_folder(folder, write=write, timeout=timeout, workers=workers)
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
@click.option(
    "--draft-corrections",
    is_flag=True,
    help="Print draft corrections.csv rows (no header) instead.",
)
def diff_command(old: str, new: str, path: str, draft_corrections: bool) -> None:
    """List what changed from OLD to NEW: data folders or git revisions (HEAD~1 HEAD).

    Events and claims added and removed, verdicts changed (old -> new), rationales
    revised, cited sources and other fields changed. With --draft-corrections, prints
    corrections.csv rows dated today (or SOURCE_DATE_EPOCH) to review and append.
    """
    from .core.changes import diff_report

    click.echo(diff_report(old, new, path=path, draft=draft_corrections), nl=not draft_corrections)
