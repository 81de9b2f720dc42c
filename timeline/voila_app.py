"""The dashboard server: a small Voila subclass that serves one notebook and nothing else.

Plain Voila in single-notebook mode still routes kernel websockets, a kernel API,
template and lab-extension files, a file handler and a shutdown endpoint, and its
page connects to a kernel that each reader then holds until the tab's shutdown
request (refused with 403 for want of an ``_xsrf`` cookie, voila#1458) or a
culler frees it. Our page needs none of that: the story fragment is server-rendered
and all interactivity runs in ``timeline.js``. So :class:`TimelineVoila` routes
only

- ``/``: :class:`DashboardHandler`, which takes a pre-rendered page from the
  preheated pool (or renders one in a fresh kernel), streams it, and then
  **shuts that kernel down**: a reader holds no kernel at all, whether the tab
  stays open, closes, crashes or never runs JavaScript;
- ``/timeline/static/{timeline.css,timeline.js,plotly.min.js}``: the page's assets.

Every other URL is a 404; XSRF checks stay on (no route accepts a POST). Query
arguments (``?template=``, ``?theme=``) are ignored, so they can neither switch
the template nor force a cold kernel past the pool. Idle-kernel culling stays on
as a backstop. Run it with ``timeline serve`` (or ``python -m timeline.voila_app
NOTEBOOK --port N ...`` with Voila's own options).
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
from pathlib import Path
from typing import Any

import tornado.web
import voila.notebook_renderer
from jupyter_core.utils import ensure_async
from jupyter_server.base.handlers import JupyterHandler
from tornado.iostream import StreamClosedError
from traitlets import Bool, default
from voila.app import Voila
from voila.execute import VoilaExecutor
from voila.notebook_renderer import NotebookRenderer
from voila.utils import ENV_VARIABLE, get_page_config

from .assets import STATIC, plotly_js_path

TEMPLATE_NAME = "timeline"
#: A Jupyter data directory: Voila finds our template at ``voila/templates/timeline`` in it.
JUPYTER_DATA = Path(__file__).resolve().parent / "templates"
STATIC_PREFIX = "timeline/static/"

#: Same-origin only; plotly.js needs inline styles (it injects <style> and style attributes).
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'self'",
    ]
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def asset_urls() -> dict[str, str]:
    """URLs of the page's three assets, relative to the page (so a path-stripping proxy
    such as jupyter-server-proxy needs no base URL), versioned by content."""
    files = {
        "css_url": STATIC / "timeline.css",
        "js_url": STATIC / "timeline.js",
        "plotly_url": plotly_js_path(),
    }
    return {key: f"{STATIC_PREFIX}{path.name}?v={_digest(path)}" for key, path in files.items()}


class LoggingExecutor(VoilaExecutor):
    """Voila's executor, logging a failed cell's traceback before stripping it from the page."""

    def strip_code_cell_errors(self, cell: Any) -> Any:
        from nbconvert.filters import strip_ansi

        for output in cell.get("outputs", []):
            if output.get("output_type") == "error" and output.get("ename") != "ExecutionError":
                logging.getLogger(TimelineVoila.__name__).error(
                    "The dashboard notebook failed (the page shows a short error):\n%s",
                    strip_ansi(
                        "\n".join(
                            output.get("traceback")
                            or [f"{output.get('ename')}: {output.get('evalue')}"]
                        )
                    ),
                )
        return super().strip_code_cell_errors(cell)


class AssetHandler(tornado.web.StaticFileHandler):
    """One of our fixed asset files; the route's pattern admits only their names."""

    def set_extra_headers(self, path: str) -> None:
        self.set_header("X-Content-Type-Options", "nosniff")


class DashboardHandler(JupyterHandler):
    """The one page: render the notebook with a (preheated) kernel, send it, release the kernel."""

    def initialize(self, *, notebook_path: str, voila_app: TimelineVoila) -> None:
        self.notebook_path = notebook_path
        self.voila_app = voila_app

    async def prepare(self) -> None:
        # The page is public and readers are anonymous: skip Jupyter's identity provider,
        # which would give every reader a 30-day "anonymous user" cookie. No cookie at all.
        self.current_user = None

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        # A plain line, not Jupyter's error page (which needs a user and Jupyter's static files).
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.finish(f"{status_code}: {self._reason}\n")

    async def get(self) -> None:
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-cache, no-store, must-revalidate")
        kernel_id: str | None = None
        render = self._render()
        try:
            async for snippet, kid in render:
                kernel_id = kid or kernel_id
                if snippet:
                    self.write(snippet)
                    await self.flush()
        except StreamClosedError:
            self.log.info("A reader left before the page was sent")
        finally:
            await render.aclose()
            if kernel_id is not None and self.voila_app.release_kernels:
                self.voila_app.release_soon(kernel_id)

    async def _render(self) -> Any:
        """Yield ``(html, kernel_id)``: from the pool when there is one, else from a new kernel."""
        km = self.kernel_manager
        if km.get_pool_size(self.notebook_path) > 0:
            try:
                render_task, cache, kernel_id = await km.get_rendered_notebook(
                    notebook_name=self.notebook_path
                )
            except Exception:
                # A pool kernel that failed to start or died: serve this reader with a new one.
                self.log.exception("A preheated kernel failed; rendering with a new kernel")
            else:
                yield "", kernel_id
                yield "".join(cache), kernel_id
                rendered, rendering = await render_task
                yield "".join(rendered[len(cache) :]), kernel_id
                async for snippet, _ in rendering:
                    yield snippet, kernel_id
                return
        async for item in self._render_cold():
            yield item

    async def _render_cold(self) -> Any:
        voila = self.voila_app
        renderer = NotebookRenderer(
            request_handler=self,
            voila_configuration=voila.voila_configuration,
            traitlet_config=voila.config,
            notebook_path=self.notebook_path,
            template_paths=voila.template_paths,
            config_manager=self.config_manager,
            contents_manager=self.contents_manager,
            base_url=self.base_url,
            kernel_spec_manager=self.kernel_spec_manager,
            page_config=get_page_config(
                base_url=self.base_url,
                settings=self.settings,
                log=self.log,
                voila_configuration=voila.voila_configuration,
            ),
        )
        await renderer.initialize()
        env = {
            **os.environ,
            ENV_VARIABLE.VOILA_PREHEAT: "False",
            ENV_VARIABLE.VOILA_BASE_URL: self.base_url,
            ENV_VARIABLE.VOILA_SERVER_URL: self.settings.get("server_url", "/"),
            ENV_VARIABLE.VOILA_APP_PORT: str(voila.port),
        }
        kernel_id = await ensure_async(
            self.kernel_manager.start_kernel(
                kernel_name=renderer.notebook.metadata.kernelspec.name,
                path=os.path.dirname(self.notebook_path),
                env=env,
            )
        )
        yield "", kernel_id
        kernel_future = self.kernel_manager.get_kernel(kernel_id)
        async for snippet, _ in renderer.generate_content_generator(kernel_id, kernel_future):
            yield snippet, kernel_id


class TimelineVoila(Voila):
    """Voila serving one notebook as a finished page, with no kernel left per reader."""

    name = "timeline-voila"
    description = "Serve the timeline dashboard notebook (use `timeline serve`)."

    release_kernels = Bool(
        True,
        config=True,
        help="Shut a reader's kernel down as soon as its page is sent (the page never uses it). "
        "Turn off only to measure the idle-kernel culler.",
    )

    @default("config_file_paths")
    def _no_stray_config(self) -> list[str]:
        # Voila reads voila.json/voila.py from the working directory by default; we take
        # every setting from `timeline serve` instead.
        return []

    @default("open_browser")
    def _no_browser(self) -> bool:
        return False

    @default("ip")
    def _loopback(self) -> str:
        return "127.0.0.1"

    @default("port_retries")
    def _no_port_hunting(self) -> int:
        return 0

    def initialize(self, argv: Any = None) -> None:
        jupyter_path = os.environ.get("JUPYTER_PATH", "")
        if str(JUPYTER_DATA) not in jupyter_path.split(os.pathsep):
            os.environ["JUPYTER_PATH"] = os.pathsep.join(
                p for p in (str(JUPYTER_DATA), jupyter_path) if p
            )
        super().initialize(argv)
        self._releasing: set[asyncio.Future[None]] = set()
        if not self.notebook_path:
            raise ValueError("timeline serves exactly one notebook: pass its path")
        conf = self.voila_configuration
        # Whatever the options say, these hold: one template, no overrides, no sources,
        # no tracebacks, no extra files.
        conf.template = TEMPLATE_NAME
        conf.allow_template_override = "NO"
        conf.allow_theme_override = "NO"
        conf.strip_sources = True
        conf.show_tracebacks = False
        conf.file_allowlist = []
        self.setup_template_dirs()
        # The renderer builds its executor from this module global; ours logs what the page hides.
        voila.notebook_renderer.VoilaExecutor = LoggingExecutor  # type: ignore[misc]

    def init_settings(self) -> dict[str, Any]:
        headers = {**SECURITY_HEADERS, **self.tornado_settings.get("headers", {})}
        self.tornado_settings = {
            **self.tornado_settings,
            "headers": headers,
            "compress_response": True,
        }
        # The renderer reads resources from the config object, not from the trait.
        conf = self.voila_configuration.config.VoilaConfiguration
        resources = conf.resources if isinstance(conf.get("resources"), dict) else {}
        page = {"title": "Timeline", **resources.get("timeline", {}), **asset_urls()}
        conf.resources = {**resources, "timeline": page}
        return super().init_settings()

    def init_handlers(self) -> list[Any]:
        base = self.server_url or self.base_url
        notebook = os.path.relpath(self.notebook_path, self.root_dir)
        plotly = plotly_js_path()
        return [
            (base, DashboardHandler, {"notebook_path": notebook, "voila_app": self}),
            (
                f"{base}{STATIC_PREFIX}(timeline\\.css|timeline\\.js)",
                AssetHandler,
                {"path": str(STATIC)},
            ),
            (
                f"{base}{STATIC_PREFIX}(plotly\\.min\\.js)",
                AssetHandler,
                {"path": str(plotly.parent)},
            ),
        ]

    def release_soon(self, kernel_id: str) -> None:
        """Shut a reader's kernel down in the background (the page is already sent)."""
        task = asyncio.ensure_future(self.release_kernel(kernel_id))
        self._releasing.add(task)
        task.add_done_callback(self._releasing.discard)

    async def release_kernel(self, kernel_id: str) -> None:
        """Shut a reader's kernel down; the culler is the backstop if this fails."""
        try:
            await ensure_async(self.kernel_manager.shutdown_kernel(kernel_id))
        except Exception:
            self.log.exception("Could not shut down kernel %s; the idle culler will", kernel_id)


main = TimelineVoila.launch_instance

if __name__ == "__main__":
    main()
