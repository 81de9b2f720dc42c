"""A real JupyterLab for the authoring notebook, and the steps an analyst takes in it (#14).

Shared by ``tests/e2e/test_authoring_lab.py`` and ``benchmarks/bench_authoring_lab.py``.
``Lab.start`` runs ``jupyter lab`` on port 0 with token auth, its state (runtime, settings,
workspaces, user config) under a temporary folder, and reads the port the server chose
from the ``jpserver-<pid>.json`` it writes: no port is guessed, so none can be taken.
Every page wait is a Playwright locator/expect wait on the exact state.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import psutil
from playwright.sync_api import Locator, Page, expect
from serve_support import ROOT, wait_for

from timeline.core.schema import VERDICT_BY_KEY

START_TIMEOUT = 90  # s: JupyterLab's first start imports every server extension
KERNEL_TIMEOUT = 60_000  # ms
APP_TIMEOUT = 90_000  # ms: Run All on 2 shared cores, the first import of pandas and plotly
DIRTY = re.compile(r"\bjp-mod-dirty\b")
# User settings of the test's JupyterLab: start the notebook's kernel without the "Select Kernel"
# dialog (which a cold server can show before it has listed its kernels), and no news toast.
SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"autoStartDefaultKernel": True},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false"},
}


def make_copy(root: Path, name: str, *, data: bool = True) -> Path:
    """``root/name`` holding a copy of the repository's notebooks/ and data/ (what the lab opens).

    Without ``data``, no data/ at all: the notebook's app opens ``notebooks/data``, a folder
    not made yet (the nearest data/ upwards is none, and the Lab has no ``TIMELINE_DATA``).
    """
    dest = root / name
    shutil.copytree(ROOT / "notebooks", dest / "notebooks")
    if data:
        shutil.copytree(ROOT / "data", dest / "data")
    return dest


@dataclass
class Lab:
    """One ``jupyter lab`` subprocess serving ``root``."""

    proc: subprocess.Popen[bytes]
    url: str
    token: str
    root: Path
    log_path: Path

    @classmethod
    def start(cls, root: Path, state: Path) -> Lab:
        state.mkdir(parents=True, exist_ok=True)
        runtime = state / "runtime"
        token = secrets.token_hex(16)
        env = {k: v for k, v in os.environ.items() if k != "TIMELINE_DATA"}
        env.update(
            JUPYTER_RUNTIME_DIR=str(runtime),
            JUPYTER_CONFIG_DIR=str(
                state / "config"
            ),  # no user config; the venv's (timeline's save hook) applies
            JUPYTERLAB_SETTINGS_DIR=str(state / "settings"),
            JUPYTERLAB_WORKSPACES_DIR=str(state / "workspaces"),
        )
        for name, values in SETTINGS.items():
            target = state / "settings" / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(json.dumps(values), encoding="utf-8")
        log_path = state / "lab.log"
        with log_path.open("wb") as log:
            proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "jupyterlab",
                    "--no-browser",
                    "--ip=127.0.0.1",
                    "--port=0",
                    "--ServerApp.port_retries=0",
                    f"--IdentityProvider.token={token}",
                    "--ServerApp.allow_root=True",
                    f"--ServerApp.root_dir={root}",
                    "--LabApp.news_url=None",
                    "--LabApp.extension_manager=readonly",
                    "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
                    "--LabApp.expose_app_in_browser=True",  # window.jupyterapp: the notebook's model, for checks
                ],
                cwd=root,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        info_file = runtime / f"jpserver-{proc.pid}.json"

        def started() -> dict[str, Any] | None:
            if proc.poll() is not None:
                raise AssertionError(
                    f"jupyter lab exited ({proc.returncode}):\n{log_path.read_text()[-3000:]}"
                )
            try:  # written once the server listens; read it whole
                return cast("dict[str, Any]", json.loads(info_file.read_text(encoding="utf-8")))
            except (FileNotFoundError, json.JSONDecodeError):
                return None

        info = cast(
            "dict[str, Any]",
            wait_for(started, timeout=START_TIMEOUT, what="jupyter lab's server file"),
        )
        return cls(proc=proc, url=info["url"], token=token, root=root, log_path=log_path)

    def notebook_url(self, path: Path, *, workspace: str) -> str:
        """The notebook in a workspace of its own (``reset``: no panels left from an earlier visit)."""
        rel = path.relative_to(self.root).as_posix()
        return f"{self.url}lab/workspaces/{workspace}/tree/{rel}?reset&token={self.token}"

    def stop(self) -> None:
        """End the server and its kernels at once (SIGKILL): nothing checks JupyterLab's own
        graceful shutdown, which shut each kernel down in turn (2-5 s of every run's teardown)."""
        family = psutil.Process(self.proc.pid).children(recursive=True)
        self.proc.kill()
        self.proc.wait(timeout=30)
        for p in family:
            try:
                p.kill()
            except psutil.NoSuchProcess:
                pass


class Notebook:
    """The authoring notebook open in JupyterLab, and the analyst's steps in it."""

    def __init__(self, page: Page, lab: Lab, path: Path, *, workspace: str) -> None:
        self.page, self.lab, self.path, self.workspace = page, lab, path, workspace

    @property
    def panel(self) -> Locator:
        """The notebook's panel in JupyterLab's main area."""
        return self.page.locator(".jp-NotebookPanel").filter(visible=True)

    # ------------------------------------------------------------ JupyterLab
    @property
    def tab(self) -> Locator:
        return self.page.locator(".lm-TabBar-tab.jp-mod-current", has_text=self.path.name)

    def open(self) -> None:
        """Open the notebook, until its kernel is idle and JupyterLab has its info (before that, a
        Run All can find the session without its kernel, and JupyterLab then skips every code cell
        silently: seen in 2 of 12 runs)."""
        self.page.goto(self.lab.notebook_url(self.path, workspace=self.workspace))
        expect(self.tab).to_be_visible(timeout=KERNEL_TIMEOUT)
        self.wait_idle()
        self.kernel_recorded()

    def kernel_recorded(self) -> dict[str, Any]:
        """Once JupyterLab has recorded the kernel's ``language_info`` in the notebook (it does so
        when the kernel's info reply arrives, in a callback registered before this one): that
        ``language_info`` and whether the notebook is marked modified."""
        return cast(
            "dict[str, Any]",
            self.panel.evaluate("""async () => {
            const panel = window.jupyterapp.shell.currentWidget;
            await panel.sessionContext.ready;
            await panel.sessionContext.session.kernel.info;
            await Promise.resolve();
            return {dirty: panel.context.model.dirty, language_info: panel.context.model.getMetadata("language_info")};
        }"""),
        )

    def wait_idle(self) -> None:
        expect(
            self.panel.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']")
        ).to_have_count(1, timeout=KERNEL_TIMEOUT)

    def menu(self, menu: str, command: str) -> None:
        self.page.locator(".lm-MenuBar-item", has_text=menu).first.click()
        self.page.locator(f"li[data-command='{command}']").click()

    def run_all(self) -> None:
        """Run > Run All Cells, as an analyst does, on the kernel the notebook opened with (``open``
        waited for it to be idle). Not "Restart Kernel and Run All": under load the restarted kernel's
        connection could stay "Unknown" past the wait, with the cells queued, a failure of the test's
        own making."""
        self.wait_idle()
        self.panel.locator(
            ".jp-Cell"
        ).first.click()  # menu commands act on the current widget: this one
        self.menu("Run", "runmenu:run-all")
        expect(
            self.panel.locator(".jp-InputPrompt").filter(has_text=re.compile(r"\[(\*|\d+)\]"))
        ).not_to_have_count(0, timeout=KERNEL_TIMEOUT)

    def save_notebook(self) -> None:
        """File > Save, until the server has answered the save (the file is written by then)."""
        self.panel.locator(".jp-Notebook").click()
        with self.page.expect_response(
            lambda r: r.request.method == "PUT" and "/api/contents/" in r.url,
            timeout=KERNEL_TIMEOUT,
        ) as answer:
            self.menu("File", "docmanager:save")
        assert answer.value.ok, answer.value.status
        expect(self.tab).not_to_have_class(DIRTY, timeout=KERNEL_TIMEOUT)

    def restart_kernel(self) -> None:
        self.menu("Kernel", "kernelmenu:restart")
        self.page.get_by_role("button", name="Confirm Kernel Restart").click()
        self.wait_idle()

    # ------------------------------------------------------------ the app
    @property
    def app(self) -> Locator:
        return self.panel.locator(".jp-OutputArea-output .widget-tab").locator("xpath=..")

    @property
    def chart(self) -> Locator:
        return self.panel.locator(".jp-OutputArea-output .js-plotly-plot")

    def wait_app(self, *, points: bool = True) -> None:
        """Until the app and its preview chart (with its markers, unless the story has no event) are drawn."""
        target = self.chart.locator(".scatterlayer .point").first if points else self.chart
        expect(target).to_be_attached(timeout=APP_TIMEOUT)
        expect(self.panel.get_by_text("Health of", exact=False).first).to_be_visible()

    def form(self, title: str) -> Locator:
        """Show the app's ``title`` tab and return its (visible) panel."""
        self.panel.locator(".widget-tab .lm-TabBar-tab", has_text=title).click()
        panel = self.panel.locator(
            ".widget-tab .widget-tab-contents > .lm-Widget:not(.lm-mod-hidden)"
        )
        expect(panel).to_have_count(1)
        return panel

    def type_text(self, form: Locator, label: str, value: str) -> None:
        """Type into a text field and leave it (its value goes to the kernel on change)."""
        field = form.get_by_label(label, exact=True)
        field.fill(value)
        field.press("Tab")

    def pick_verdict(self, form: Locator, key: str) -> None:
        v = VERDICT_BY_KEY[key]
        form.get_by_label("verdict *", exact=True).select_option(label=f"{v.label} — {v.meaning}")

    def id_field(self, form: Locator, label: str) -> Locator:
        """An id-list field (``timeline/authoring/static/idlist.js``) by its label."""
        return form.locator(".timeline-idlist").filter(
            has=self.page.get_by_label(label, exact=True)
        )

    def add_id(self, form: Locator, label: str, value: str) -> Locator:
        """Type an id, key by key, into an id-list field and press Enter; the item it makes."""
        entry = form.get_by_label(label, exact=True)
        entry.click()
        entry.press_sequentially(value)
        entry.press("Enter")
        item = (
            self.id_field(form, label)
            .get_by_role("listitem")
            .filter(has=self.page.get_by_role("button", name=f"Remove {value}", exact=True))
        )
        expect(item).to_have_count(1)
        expect(entry).to_have_value("")  # ready for the next id
        return item

    def add_new(self, form: Locator) -> None:
        """Press "Add new" (after an Add, the form edits the row added), until the form is blank."""
        form.get_by_role("button", name="Add new", exact=True).click()
        expect(form.get_by_role("button", name="Add", exact=True)).to_be_visible()
        expect(form.get_by_label("id *", exact=True)).to_have_value("")

    def save_data(self) -> Locator:
        panel = self.form("Review & save")
        panel.get_by_role("button", name=re.compile(r"Save to ")).click()
        status = panel.get_by_text(re.compile(r"^Saved "))
        expect(status).to_be_visible(timeout=30_000)
        return status


def claim_fields(ds: Any) -> dict[str, str]:
    """A valid new claim on the copy's first event, citing its first source."""
    return {
        "id": "browser-test-claim",
        "event_id": ds.ids("events")[0],
        "claimant": "The browser test",
        "claim": "A claim typed into the authoring app in JupyterLab.",
        "said_in": ds.ids("sources")[0],
        "verdict": "not-rated",
        "rationale": "Added by tests/e2e/test_authoring_lab.py to check the form end to end.",
        "evidence": ds.ids("sources")[1],
        "reviewed": "2026-11-25",
    }
