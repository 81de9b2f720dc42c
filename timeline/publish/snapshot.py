"""Static snapshots: one self-contained ``index.html`` that needs no kernel and no network.

``export_snapshot(folder, out_dir)`` runs ``notebooks/dashboard.ipynb`` through
nbconvert, the same notebook Voila serves, with ``TIMELINE_DATA=folder`` and
``TIMELINE_MODE=snapshot`` in the kernel's environment, and exports it with
:class:`SnapshotExporter`: nbconvert's ``HTMLExporter`` with our template
(``templates/nbconvert/timeline``). The page holds, in this order: our CSS, the
ClaimReview JSON-LD and the provenance ``<meta>`` tags in the head; the story
the notebook displayed; the provenance footer; then plotly.js and timeline.js,
inlined once each. A long story marks a place for the two scripts after its
first events (``place_scripts``): they go there instead, so that the chart is
drawn before the rest of the list is parsed. A Content-Security-Policy allows
only those two scripts (by hash), no inline handler and no request to any host.

Speed: the kernel starts first and, while it boots, renders the story in a thread
(``notebook.prepare``) as this process loads the data and prepares the page; the
notebook's ``show()`` then displays that render when the data has not changed
since. The kernel is shut down while the page is written. A build costs about one
kernel start plus moving the story's HTML from the kernel to the file.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import tempfile
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from ..core.store import write_atomic
from ..core.story import DATA_ENV, DEFAULTS, publisher_name
from ..core.story import (
    DEFAULT_PUBLISHER as DEFAULT_PUBLISHER,  # re-exported: the name a test and old code import
)
from ..errors import ExportError, ValidationError
from ..version import __version__
from ..views.contract import (
    CLAIM_HREF_ENV,
    DASHBOARD_NOTEBOOK,
    ERROR_ID,
    MODE_ENV,
    NOTEBOOK_SOURCE,
    STORY_ID,
)
from .provenance import Provenance

TEMPLATE_BASEDIR = Path(__file__).resolve().parent / "templates" / "nbconvert"
TEMPLATE_NAME = "timeline"
# While it boots, the kernel renders the story in a thread (notebook.prepare), overlapping
# with this process loading nbconvert and the data. Set to [] to compare.
PRELOAD = ["--IPKernelApp.exec_lines=import timeline.notebook; timeline.notebook.prepare()"]


# --------------------------------------------------------------------------- page parts
def script_safe(js: str) -> str:
    """``js`` made safe inside ``<script>``: ``</script`` and ``<!--`` written with ``\\x3C``."""
    js = re.sub(r"</(script)", r"\\x3C/\1", js, flags=re.IGNORECASE)
    return js.replace("<!--", "\\x3C!--")


def style_safe(css: str) -> str:
    """``css`` made safe inside ``<style>``: ``</style`` written with a CSS escape."""
    return re.sub(r"</(style)", r"\\3C/\1", css, flags=re.IGNORECASE)


def csp_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def content_security_policy(*scripts: str) -> str:
    """No request to any host; only our own inline scripts run (by hash); inline styles allowed.

    No inline event handler is allowed at all (the story has none: timeline.js
    binds its own), and no eval: the plotly.js basic bundle needs none.
    """
    hashes = " ".join(csp_hash(s) for s in scripts)
    return (
        "default-src 'none'; "
        f"script-src {hashes}; "
        "style-src 'unsafe-inline'; img-src data: blob:; font-src data:; "
        "base-uri 'none'; form-action 'none'"
    )


#: Runs the page's two scripts once the story's text is on screen: it copies each one
#: from its inert ``<script type="text/plain">`` into a new ``<script>`` (allowed by
#: the same CSP hash) after the next frame. The browser paints the text first, then
#: evaluates plotly.js and draws the chart.
LOADER = (
    "(function(){function run(id){var s=document.createElement('script'),"
    "t=document.getElementById(id);s.textContent=t.textContent;t.parentNode.insertBefore(s,t);}"
    "requestAnimationFrame(function(){setTimeout(function(){run('tl-plotly-src');"
    "run('tl-timeline-src');},0);});})();"
)


def scripts_block(plotly_src: str, timeline_src: str) -> str:
    """The page's scripts: plotly.js and timeline.js held inert, and the loader that runs them."""
    return (
        f'<script type="text/plain" id="tl-plotly-src">{plotly_src}</script>\n'
        f'<script type="text/plain" id="tl-timeline-src">{timeline_src}</script>\n'
        f"<script>{LOADER}</script>"
    )


def place_scripts(nb: Any, scripts: str) -> bool:
    """Put ``scripts`` where the story marks a place for them (``render.SCRIPTS_MARKER``).

    A long list marks one after its first events: the reader sees those first,
    then the chart is drawn while the rest of the list is still being parsed.
    Returns False, changing nothing, when the story has no marker (a short list:
    the scripts then go at the end of the page).
    """
    from ..views.render import SCRIPTS_MARKER

    for cell in nb.cells:
        for output in cell.get("outputs", []):
            html = output.get("data", {}).get("text/html")
            if html is None:
                continue
            if not isinstance(html, str):
                html = "".join(html)
            if SCRIPTS_MARKER in html:
                output["data"]["text/html"] = html.replace(SCRIPTS_MARKER, scripts, 1)
                return True
    return False


class _FirstHeading(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.parts: list[str] = []
        self.done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "h1" and not self.done:
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "h1" and self.depth:
            self.depth -= 1
            self.done = self.depth == 0

    def handle_data(self, data: str) -> None:
        if self.depth and not self.done:
            self.parts.append(data)


def first_heading(fragment: str) -> str | None:
    """The text of the fragment's first ``<h1>``, on one line (only that element is parsed)."""
    start = fragment.find("<h1")
    end = fragment.find("</h1>", start)
    if start < 0 or end < 0:
        return None
    parser = _FirstHeading()
    parser.feed(fragment[start : end + len("</h1>")])
    text = " ".join("".join(parser.parts).split())
    return text or None


@dataclass(frozen=True)
class PageParts:
    """What the template adds around the story (``resources.timeline`` in the template)."""

    title: str
    description: str
    summary: str
    lang: str
    csp: str
    canonical: str | None
    css: str
    jsonld: str | None
    scripts: str  # scripts_block(): plotly.js, timeline.js and their loader
    provenance: Provenance
    #: The scripts are already in the story (see ``place_scripts``), not at the page's end.
    scripts_in_story: bool = False
    #: ``rtl`` for a right-to-left language (``<html dir>``), else ``""``.
    dir: str = ""
    #: The footer's words in the page's language (``snapshot_words``).
    words: Mapping[str, str] = field(default_factory=lambda: snapshot_words(None))


def snapshot_words(lang: Any, provenance: Provenance | None = None) -> dict[str, str]:
    """The snapshot footer's words in ``lang`` (a ``PageLanguage``; English when ``None``)."""
    from ..views.language import ENGLISH

    lang = lang or ENGLISH
    _ = lang.gettext
    return {
        "about": _("About this snapshot"),
        "built": _("Built %(when)s with timeline %(version)s"),
        "when": lang.moment(provenance.built) if provenance is not None else "",
        "from_commit": _(" from commit %(commit)s"),
        "dirty": _(" (the data files differ from that commit)"),
        "sha256": _("SHA-256 of %(name)s"),
    }


# ------------------------------------------------------------------------------ exporter
def _exporter_class() -> type:
    from nbconvert.exporters import HTMLExporter, TemplateExporter
    from traitlets import default

    class SnapshotExporter(HTMLExporter):
        """nbconvert's HTML exporter with the ``timeline`` template: no inputs, no CDN.

        ``from_notebook_node`` skips HTMLExporter's BeautifulSoup round trip, which
        re-parses and re-serialises the whole page (plotly.js included) to add
        Jupyter-specific attributes our page does not have.
        """

        export_from_notebook = "timeline snapshot"

        @default("template_name")
        def _default_template_name(self) -> str:
            return TEMPLATE_NAME

        @default("extra_template_basedirs")
        def _default_extra_template_basedirs(self) -> list[str]:
            return [str(TEMPLATE_BASEDIR)]

        @default("exclude_input")
        def _default_exclude_input(self) -> bool:
            return True

        @default("exclude_input_prompt")
        def _default_exclude_input_prompt(self) -> bool:
            return True

        @default("exclude_output_prompt")
        def _default_exclude_output_prompt(self) -> bool:
            return True

        def from_notebook_node(  # type: ignore[override]
            self, nb: Any, resources: dict[str, Any] | None = None, **kw: Any
        ) -> tuple[str, dict[str, Any]]:
            from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

            resources = self._init_resources(resources)
            self.register_filter(
                "filter_data_type",
                WidgetsDataTypeFilter(
                    notebook_metadata=self._nb_metadata, parent=self, resources=resources
                ),
            )
            return TemplateExporter.from_notebook_node(self, nb, resources, **kw)

    return SnapshotExporter


def __getattr__(name: str) -> Any:
    # ``from timeline.publish.snapshot import SnapshotExporter`` without importing nbconvert at import time.
    if name == "SnapshotExporter":
        return _exporter_class()
    raise AttributeError(name)


# ------------------------------------------------------------------------------- kernel
def _kernel_env(folder: Path, claim_href: str | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env[DATA_ENV] = str(folder)
    env[MODE_ENV] = "snapshot"
    env.pop(CLAIM_HREF_ENV, None)
    if claim_href:
        env[CLAIM_HREF_ENV] = claim_href
    env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")  # the kernel's debugger warning
    return env


class _Kernel:
    """A kernel started ahead of time, so that it boots while the page is prepared."""

    def __init__(self, kernel_name: str, env: dict[str, str], cwd: Path) -> None:
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync

        # IPC sockets in a private folder: no TCP port, no "unencrypted TCP" warning.
        self._sockets = tempfile.TemporaryDirectory(prefix="timeline-kernel-")
        self._stopping: threading.Thread | None = None
        ip = str(Path(self._sockets.name) / "kernel")
        self.km = AsyncKernelManager(kernel_name=kernel_name, transport="ipc", ip=ip)
        try:
            run_sync(self.km.start_kernel)(env=env, cwd=str(cwd), extra_arguments=PRELOAD)
        except Exception as e:  # jupyter_client raises NoSuchKernel, OSError, ...
            self._sockets.cleanup()
            raise ExportError(
                f"cannot start the '{kernel_name}' Jupyter kernel ({type(e).__name__}: {e}); "
                "check `jupyter kernelspec list` and that ipykernel is installed"
            ) from e

    def shutdown(self) -> None:
        if self._stopping is not None:  # already asked for: wait for it
            self._stopping.join()
        else:
            self._shutdown()

    def _shutdown(self) -> None:
        from jupyter_core.utils import run_sync

        try:
            run_sync(self.km.shutdown_kernel)(now=True)
        except Exception:  # already gone
            pass
        self._sockets.cleanup()

    def stop_soon(self) -> None:
        """Shut the kernel down in a thread while the page is written; ``shutdown`` waits for it."""
        self._stopping = threading.Thread(target=self._shutdown, name="timeline-kernel-stop")
        self._stopping.start()


def _read_notebook(notebook: Path | None) -> Any:
    import nbformat

    path = notebook if notebook is not None else DASHBOARD_NOTEBOOK
    if path.exists():
        return nbformat.read(path, as_version=4)
    if notebook is not None:
        raise ExportError(f"{path}: no such notebook")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(NOTEBOOK_SOURCE)])
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    return nb


def _execute(nb: Any, kernel: _Kernel, cwd: Path, timeout: int) -> None:
    from nbclient.exceptions import CellExecutionError, DeadKernelError
    from nbconvert.preprocessors import ExecutePreprocessor

    ep = ExecutePreprocessor(timeout=timeout, allow_errors=False, record_timing=False)
    try:
        ep.preprocess(nb, {"metadata": {"path": str(cwd)}}, km=kernel.km)
    except CellExecutionError as e:
        raise ExportError(
            f"the dashboard notebook failed: {e.ename}: {e.evalue}; "
            "run `jupyter nbconvert --execute --to html notebooks/dashboard.ipynb` to see the traceback"
        ) from e
    except (DeadKernelError, TimeoutError, RuntimeError) as e:
        raise ExportError(f"the dashboard notebook did not finish: {e}") from e
    finally:
        if ep.kc is not None:
            ep.kc.stop_channels()


def _story_fragment(nb: Any) -> str:
    parts = [
        output["data"]["text/html"]
        for cell in nb.cells
        for output in cell.get("outputs", [])
        if output.get("output_type") in ("display_data", "execute_result")
        and "text/html" in output.get("data", {})
    ]
    html = "".join(p if isinstance(p, str) else "".join(p) for p in parts)
    if ERROR_ID in html:
        raise ExportError(
            "the dashboard shows an error page, not the story; run `timeline validate`"
        )
    if STORY_ID not in html:
        raise ExportError(f"the dashboard notebook displayed no story (no element with {STORY_ID})")
    return html


def _strip_volatile(nb: Any) -> None:
    """Drop what a kernel run writes besides outputs (timings, versions, ids)."""
    nb.metadata.pop("widgets", None)
    nb.metadata.pop("language_info", None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.execution_count = None
        for output in cell.get("outputs", []):
            if "execution_count" in output:
                output.execution_count = None
            if "metadata" in output:
                output.metadata = {}
            output.pop("transient", None)


# ------------------------------------------------------------------------------- export
def check_base_url(base_url: str | None) -> str | None:
    """An absolute http(s) URL with no fragment, or None; else :class:`ExportError`."""
    if base_url is None or base_url == "":
        return None
    if not re.match(r"^https?://[^/\s#?]+", base_url) or any(c.isspace() for c in base_url):
        raise ExportError(
            f"base URL {base_url!r} is not an absolute http(s) URL; "
            "give where index.html will be served, e.g. https://example.org/timeline/"
        )
    if "#" in base_url:
        raise ExportError(
            f"base URL {base_url!r} has a #fragment; give the page's address without it"
        )
    return base_url


def _check_inputs(folder: str | os.PathLike[str], publisher: str | None) -> Path:
    """The data folder, resolved; refused when it is missing or the publisher given is empty."""
    if publisher is not None and not publisher.strip():
        raise ExportError("the publisher name is empty; give who publishes the fact checks")
    data = Path(folder).resolve()
    if not data.is_dir():
        raise ExportError(
            f"{folder}: no such data folder; give the folder holding events.csv, claims.csv and sources.csv"
        )
    return data


def _arabic_script(ds: Any, data: Path) -> bool:
    """Whether the snapshot carries the Arabic-script font (190 kB in base64): the story's language is
    written in Arabic script, or its data files hold a letter of it (a quote, a name)."""
    from ..views.assets import needs_arabic_font, writes_arabic_script
    from .provenance import data_files

    if writes_arabic_script(ds.language.tag):
        return True
    return any(
        needs_arabic_font((data / name).read_text(encoding="utf-8", errors="replace"))
        for name in data_files(data)
    )


def export_snapshot(
    folder: str | os.PathLike[str] = "data",
    out_dir: str | os.PathLike[str] = "snapshot",
    *,
    publisher: str | None = None,
    base_url: str | None = None,
    notebook: str | os.PathLike[str] | None = None,
    lang: str | None = None,
    kernel_name: str = "python3",
    timeout: int = 300,
    environ: Mapping[str, str] | None = None,
    claimreview: bool = False,
) -> Path:
    """Write ``out_dir/index.html``, a self-contained snapshot of the story in ``folder``.

    ``base_url`` is where ``index.html`` will be served (the page's canonical link):
    each claim card then links to its page on the microsite built there
    (``timeline site``: ``base_url`` + ``claims/<id>.html``). ``claimreview`` adds the
    ClaimReview JSON-LD of every rated claim (``url`` ``base_url#claim-<id>``, author
    ``publisher``, else story.json's publisher, else :data:`DEFAULT_PUBLISHER`); off by
    default, as each ClaimReview belongs on one page (the microsite's claim page). ``SOURCE_DATE_EPOCH`` in ``environ`` (default
    ``os.environ``) fixes the build time: the same data then gives the same bytes.
    Refuses, writing nothing, when the data has errors. Returns the file's path.
    """
    from . import provenance as prov

    base_url = check_base_url(base_url)
    data = _check_inputs(folder, publisher)
    nb_path = Path(notebook).resolve() if notebook is not None else None
    cwd = (
        (nb_path or DASHBOARD_NOTEBOOK).parent if (nb_path or DASHBOARD_NOTEBOOK).exists() else data
    )
    built = prov.build_time(environ)  # fail on a bad SOURCE_DATE_EPOCH before starting anything

    claim_href = urljoin(base_url, "claims/") + "{id}.html" if base_url else None
    kernel = _Kernel(kernel_name, _kernel_env(data, claim_href), cwd)
    try:
        # While the kernel boots: check the data and prepare everything around the story
        # (pandas is imported only now, so the kernel starts as soon as it can).
        from ..core.dataset import load
        from ..views.assets import asset_text, inline_fonts, plotly_js
        from ..views.language import page_language
        from .claimreview import claim_reviews, script_text

        ds = load(data)
        errors = ds.errors()
        if errors:
            raise ValidationError(errors, action="snapshot")
        commit, dirty = prov.git_state(data)
        provenance = Provenance(built, prov.file_digests(data), __version__, commit, dirty)
        author = publisher_name(publisher, data)
        reviews = claim_reviews(ds, publisher=author, base_url=base_url) if claimreview else []
        plotly_src = script_safe(plotly_js())
        timeline_src = script_safe(asset_text("timeline.js"))
        nb = _read_notebook(nb_path)
        exporter = _exporter_class()()
        _execute(nb, kernel, cwd, timeout)
        kernel.stop_soon()
        fragment = _story_fragment(nb)
        _strip_volatile(nb)
        scripts = scripts_block(plotly_src, timeline_src)
        speaks = page_language(ds)
        _ = speaks.gettext
        summary = speaks.summary(ds.counts())
        parts = PageParts(
            title=first_heading(fragment) or DEFAULTS["title"],
            description=_("Fact-check timeline: %(counts)s, every claim linked to its sources.")
            % {"counts": summary},
            summary=_("Data: %(counts)s") % {"counts": summary},
            lang=lang or speaks.tag,
            dir="rtl" if speaks.direction == "rtl" else "",
            words=snapshot_words(speaks, provenance),
            csp=content_security_policy(plotly_src, timeline_src, LOADER),
            canonical=base_url,
            css=style_safe(
                inline_fonts(asset_text("timeline.css"), embed=_arabic_script(ds, data))
            ),
            jsonld=script_text(reviews) if reviews else None,
            scripts=scripts,
            provenance=provenance,
            scripts_in_story=place_scripts(nb, scripts),
        )
        html, _ = exporter.from_notebook_node(nb, resources={"timeline": parts})
        target = Path(out_dir) / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, html)
    finally:
        kernel.shutdown()
    return target
