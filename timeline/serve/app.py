"""The dashboard server: a small Voila subclass that serves one notebook and nothing else.

Plain Voila in single-notebook mode still routes kernel websockets, a kernel API,
template and lab-extension files, a file handler and a shutdown endpoint, and its
page connects to a kernel that each reader then holds until the tab's shutdown
request (refused with 403 for want of an ``_xsrf`` cookie, voila#1458) or a
culler frees it. Our page needs none of that: the story fragment is server-rendered
and all interactivity runs in ``timeline.js``. :class:`TimelineVoila` only wires the parts:

- :mod:`~timeline.serve.options`: its settings (declared once, with the command line's);
- :mod:`~timeline.serve.kernels`: the notebook rendered from the preheated pool or a new
  kernel, each kernel shut down as soon as its page is built (a reader holds none);
- :mod:`~timeline.serve.pages`: the page kept per data version, rendered again when the data
  changes (with the page cache, the default, most readers cause no render);
- :mod:`~timeline.serve.lists`: a long story's list, search and claim pages, answered in a
  worker process of their own;
- :mod:`~timeline.serve.handlers`: the routes (``/``, the three assets, ``events``, ``search``,
  ``sources``, ``claims/<id>.html``); every other URL is a 404;
- :mod:`~timeline.serve.limits`: hosts, sizes and time a client is allowed.

XSRF checks stay on (no route accepts a POST). Query arguments (``?template=``,
``?theme=``) are ignored, so they can neither switch the template nor force a render.
Idle-kernel culling stays on as a backstop. Run it with ``timeline serve`` (or ``python -m
timeline.serve.app NOTEBOOK --port N ...`` with Voila's and these traitlets' options).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import voila.notebook_renderer
from jupyter_core.utils import run_sync
from tornado.httpserver import HTTPServer
from tornado.ioloop import IOLoop, PeriodicCallback
from tornado.netutil import bind_sockets
from tornado.web import HTTPError
from traitlets import Unicode, default
from voila.app import Voila

from ..core.story import DATA_ENV, story_title
from ..core.watch import DataWatch
from ..errors import OptionError, TimelineError
from ..views.contract import CLAIM_HREF, CLAIM_HREF_ENV, LIST_URL_ENV
from .handlers import Assets, Notices, routes
from .kernels import Kernels, LoggingExecutor
from .language import page_resources, served_language
from .limits import allowed_hosts, http_limits, log_request
from .lists import ListWorker
from .options import HOST, trait
from .pages import Pages

TEMPLATE_NAME = "timeline"
#: A Jupyter data directory: Voila finds our template at ``voila/templates/timeline`` in it.
JUPYTER_DATA = Path(__file__).resolve().parent / "templates"


class TimelineVoila(Voila):
    """Voila serving one notebook as a finished page, with no kernel left per reader."""

    name = "timeline-voila"
    description = "Serve the timeline dashboard notebook (use `timeline serve`)."

    data_folder = Unicode(
        config=True, help="The data folder the notebook reads (default: $TIMELINE_DATA)."
    )
    release_kernels = trait("release_kernels")
    page_cache = trait("page_cache")
    max_renders = trait("max_renders")
    render_wait = trait("render_wait")
    render_timeout = trait("render_timeout")
    watch_interval = trait("watch_interval")
    retry_after = trait("retry_after")
    allow_hosts = trait("allow_hosts")
    header_timeout = trait("header_timeout")
    body_timeout = trait("body_timeout")

    @default("data_folder")
    def _data_from_env(self) -> str:
        return os.environ.get(DATA_ENV, "data")

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
        return HOST

    @default("port_retries")
    def _no_port_hunting(self) -> int:
        return 0

    def initialize(self, argv: Any = None) -> None:
        # Voila finds templates only in Jupyter's data directories, which it reads from the
        # environment (and so do the kernels it starts).
        jupyter_path = os.environ.get("JUPYTER_PATH", "")
        if str(JUPYTER_DATA) not in jupyter_path.split(os.pathsep):
            os.environ["JUPYTER_PATH"] = os.pathsep.join(
                p for p in (str(JUPYTER_DATA), jupyter_path) if p
            )
        super().initialize(argv)
        if not self.notebook_path:
            raise OptionError("timeline serves exactly one notebook: pass its path")
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
        voila.notebook_renderer.VoilaExecutor = LoggingExecutor
        # What the notebook's kernel reads: the data, where a long list's pages are asked
        # for (render.py), where each claim card links (its page on this server).
        kernel_env = {
            DATA_ENV: str(Path(self.data_folder).resolve()),
            LIST_URL_ENV: "events",
            CLAIM_HREF_ENV: CLAIM_HREF,
        }
        if conf.preheat_kernel:
            # Voila's pool starts its kernels with this process's environment.
            os.environ.update(kernel_env)
        notebook = os.path.relpath(self.notebook_path, self.root_dir)  # as the pool names it
        self.kernels = Kernels(
            self,
            notebook,
            max_renders=self.max_renders,
            render_timeout=self.render_timeout,
            release_kernels=self.release_kernels,
            env=kernel_env,
        )
        self.pages = Pages(
            self.kernels,
            DataWatch(Path(self.data_folder), Path(self.notebook_path)),
            page_cache=self.page_cache,
            render_wait=self.render_wait,
            on_new_data=self.retitle,
            on_paged=lambda: self.lists.warm(),
        )
        self.lists = ListWorker(self.data_folder, self.pages.key)

    def _resources(self) -> dict[str, Any]:
        """The template's resources; the renderer reads them from the config object, not the trait."""
        conf = self.voila_configuration.config.VoilaConfiguration
        return conf.resources if isinstance(conf.get("resources"), dict) else {}

    def _set_page_resources(self, **values: Any) -> None:
        resources = self._resources()
        page = {"title": "Timeline", **resources.get("timeline", {}), **values}
        self.voila_configuration.config.VoilaConfiguration.resources = {
            **resources,
            "timeline": page,
        }

    def retitle(self) -> None:
        """Take the page's <title> and language from story.json again (renders started from now
        on use them)."""
        self._set_page_resources(
            title=story_title(Path(self.data_folder)), **page_resources(self.data_folder)
        )

    def init_settings(self) -> dict[str, Any]:
        self.tornado_settings = {
            **self.tornado_settings,
            "timeline_hosts": allowed_hosts(self.allow_hosts, bound=self.ip),
            "log_function": log_request,
        }
        self.assets = Assets.load()
        self._set_page_resources(**self.assets.urls())
        self.notices = Notices.make(
            self.assets.url("timeline.css"),
            retry_after=self.retry_after,
            lang=served_language(self.data_folder).tag,
        )
        return super().init_settings()

    def init_handlers(self) -> list[Any]:
        return routes(
            self.server_url or self.base_url,
            pages=self.pages,
            lists=self.lists,
            assets=self.assets,
            notices=self.notices,
        )

    def start(self) -> None:
        if self.watch_interval > 0:
            self._watch = PeriodicCallback(self.pages.tick, self.watch_interval * 1000)
            self._watch.start()
        # Render the first page as soon as the server runs (from the pool when it has one).
        IOLoop.current().add_callback(self.pages.tick)
        super().start()

    def listen(self) -> None:
        """Listen on ``port`` (0: a free port the system picks, kept in ``port`` so the URL
        logged and reported is the one bound), then run until stopped (as Voila's listen,
        without its port hunting: ``port_retries`` is 0)."""
        try:
            sockets = bind_sockets(self.port, self.ip)
        except OSError as e:
            raise TimelineError(
                f"cannot listen on {self.ip}:{self.port} ({e.strerror}); choose another port with --port"
            ) from e
        limits = http_limits(header_timeout=self.header_timeout, body_timeout=self.body_timeout)
        HTTPServer(self.app, **limits).add_sockets(sockets)
        self.port = sockets[0].getsockname()[1]
        self.log.info("Voilà is running at:\n%s", self.display_url)
        self.ioloop = IOLoop.current()
        try:
            self.ioloop.start()
        except KeyboardInterrupt:
            self.log.info("Stopping...")
        finally:
            self.lists.close()
            self.stop()

    def stop(self) -> None:
        """Voila's stop (its kernels' connection files, then every kernel shut down), where a kernel
        already going does not leave the others running: Voila's ``shutdown_all`` gives up at the
        first "Kernel does not exist" (a render's kernel, released as the server stopped) before it
        shuts the pool's next kernel down. It is asked again for those left."""
        shutil.rmtree(self.connection_dir, ignore_errors=True)
        for _ in range(3):
            try:
                run_sync(self.kernel_manager.shutdown_all)()
                return
            except HTTPError as e:  # 404: that kernel was shut down meanwhile; the others again
                self.log.info("Shutting the kernels down: %s; again for the others", e.log_message)


main = TimelineVoila.launch_instance

if __name__ == "__main__":
    main()
