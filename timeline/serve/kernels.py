"""Rendering the dashboard notebook in a kernel: from Voila's preheated pool, or cold.

:class:`Kernels` renders the notebook's HTML with the kernel a ready pool page used, or in a
new kernel (at most ``max_renders`` at once: :class:`Busy` past it), and shuts each kernel
down as soon as its page is built (a reader never uses it). :class:`LoggingExecutor` logs
a failed cell's traceback before Voila strips it from the page.
"""

from __future__ import annotations

import asyncio
import logging
import os
from typing import Any

from jupyter_core.utils import ensure_async
from nbconvert.filters import strip_ansi
from voila.execute import VoilaExecutor
from voila.notebook_renderer import NotebookRenderer
from voila.utils import ENV_VARIABLE, get_page_config

LOG = logging.getLogger("TimelineVoila")


class Busy(Exception):
    """No render slot is free (``max_renders`` renders are running)."""


class LoggingExecutor(VoilaExecutor):
    """Voila's executor, logging a failed cell's traceback before stripping it from the page."""

    def strip_code_cell_errors(self, cell: Any) -> Any:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error" and output.get("ename") != "ExecutionError":
                LOG.error(
                    "The dashboard notebook failed (the page shows a short error):\n%s",
                    strip_ansi(
                        "\n".join(
                            output.get("traceback")
                            or [f"{output.get('ename')}: {output.get('evalue')}"]
                        )
                    ),
                )
        return super().strip_code_cell_errors(cell)


class Kernels:
    """The notebook's HTML, rendered in a kernel of the Voila app ``voila`` (its kernel manager,
    renderer settings and pool); ``env`` is added to a new kernel's environment."""

    def __init__(
        self,
        voila: Any,
        notebook: str,
        *,
        max_renders: int = 2,
        render_timeout: float = 120,
        release_kernels: bool = True,
        env: dict[str, str] | None = None,
    ) -> None:
        self.voila = voila
        self.notebook = notebook  # relative to the root, as the pool names it
        self.max_renders = max_renders
        self.render_timeout = render_timeout
        self.release_kernels = release_kernels
        self.env = env or {}
        self.rendering = 0
        self._tasks: set[asyncio.Future[Any]] = set()

    def _spawn(self, coro: Any) -> asyncio.Future[Any]:
        task: asyncio.Future[Any] = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def release_soon(self, kernel_id: str) -> None:
        """Shut a render's kernel down in the background (its page is built)."""
        self._spawn(self.release(kernel_id))

    async def release(self, kernel_id: str) -> None:
        """Shut a kernel down; the culler is the backstop if this fails."""
        km = self.voila.kernel_manager
        try:
            if kernel_id in km:
                await ensure_async(km.shutdown_kernel(kernel_id, now=True))
        except Exception:
            LOG.exception("Could not shut down kernel %s; the idle culler will", kernel_id)

    def _pool(self) -> list[asyncio.Future[Any]] | None:
        pools = getattr(self.voila.kernel_manager, "_pools", None)  # Voila's preheated pool
        return pools.get(self.notebook) if isinstance(pools, dict) else None

    def _pool_ready(self) -> bool:
        """Whether the pool's next kernel has finished rendering its page."""
        pool = self._pool()
        if not pool or not pool[0].done() or pool[0].cancelled() or pool[0].exception():
            return False
        return bool(pool[0].result()["task"].done())

    def invalidate_pool(self) -> None:
        """Shut the pool's kernels down (their pages show the old data); the pool refills."""
        km = self.voila.kernel_manager
        pools = getattr(km, "_pools", None)
        if not isinstance(pools, dict) or not pools.get(self.notebook):
            return
        stale, pools[self.notebook] = pools[self.notebook], []
        for item in stale:
            self._spawn(self._discard(item))
        km.fill_if_needed(delay=0, notebook_name=self.notebook)

    async def _discard(self, item: asyncio.Future[Any]) -> None:
        try:
            content = await item
        except Exception:
            return
        await self.release(content["kernel_id"])
        try:
            await asyncio.wait_for(content["task"], 30)
        except Exception:
            pass

    async def render_html(self, *, pool: bool = True, used: list[str] | None = None) -> str:
        """The page's HTML from the pool's ready page, else from a kernel (a render slot)."""
        slot = not (pool and self._pool_ready())
        if slot:
            if self.rendering >= self.max_renders:
                raise Busy
            self.rendering += 1
        kernel_ids: list[str] = []

        async def collect() -> str:
            parts = []
            async for snippet, kid in self._render(
                pool=pool, used=used if used is not None else []
            ):
                if kid and not kernel_ids:
                    kernel_ids.append(kid)
                parts.append(snippet)
            return "".join(parts)

        try:
            return await asyncio.wait_for(collect(), self.render_timeout + 60)
        finally:
            if slot:
                self.rendering -= 1
            if kernel_ids and self.release_kernels:
                self.release_soon(kernel_ids[0])

    async def _render(self, *, pool: bool, used: list[str]) -> Any:
        """Yield ``(html, kernel_id)``: from the pool when there is one, else from a new kernel."""
        km = self.voila.kernel_manager
        if pool and km.get_pool_size(self.notebook) > 0:
            try:
                render_task, cache, kernel_id = await km.get_rendered_notebook(
                    notebook_name=self.notebook
                )
            except Exception:
                # A pool kernel that failed to start or died: render with a new one.
                LOG.exception("A preheated kernel failed; rendering with a new kernel")
            else:
                used.append("pool")
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
        app = self.voila
        handler_settings = app.app.settings
        renderer = NotebookRenderer(
            voila_configuration=app.voila_configuration,
            traitlet_config=app.config,
            notebook_path=self.notebook,
            template_paths=app.template_paths,
            config_manager=app.config_manager,
            contents_manager=app.contents_manager,
            base_url=app.base_url,
            kernel_spec_manager=app.kernel_spec_manager,
            page_config=get_page_config(
                base_url=app.base_url,
                settings=handler_settings,
                log=LOG,
                voila_configuration=app.voila_configuration,
            ),
        )
        await renderer.initialize()
        env = {
            **os.environ,
            **self.env,
            ENV_VARIABLE.VOILA_PREHEAT: "False",
            ENV_VARIABLE.VOILA_BASE_URL: app.base_url,
            ENV_VARIABLE.VOILA_SERVER_URL: app.server_url or "/",
            ENV_VARIABLE.VOILA_APP_PORT: str(app.port),
        }
        kernel_id = await ensure_async(
            app.kernel_manager.start_kernel(
                kernel_name=renderer.notebook.metadata.kernelspec.name,
                path=os.path.dirname(self.notebook),
                env=env,
            )
        )
        yield "", kernel_id
        kernel_future = app.kernel_manager.get_kernel(kernel_id)
        async for snippet, _ in renderer.generate_content_generator(kernel_id, kernel_future):
            yield snippet, kernel_id


__all__ = ["Busy", "Kernels", "LoggingExecutor"]
