"""The notebooks run headless with a real kernel, and the repository keeps them without outputs."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent

NOTEBOOKS = ROOT / "notebooks"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def execute(name: str, data: Path, tmp_path: Path, monkeypatch) -> nbformat.NotebookNode:
    """Run ``notebooks/<name>`` in a python3 kernel (this venv's python) on the ``data`` folder."""
    monkeypatch.setenv("TIMELINE_DATA", str(data))  # the kernel inherits the environment
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    client = NotebookClient(
        nb, kernel_name="python3", timeout=180, resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute()
    return nb


def outputs(nb: nbformat.NotebookNode) -> list[dict]:
    return [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs]


def errors_in(nb: nbformat.NotebookNode) -> list[str]:
    """Error outputs and anything written to stderr (warnings, tracebacks printed by the package)."""
    out = []
    for o in outputs(nb):
        if o.output_type == "error":
            out.append(f"{o.ename}: {o.evalue}")
        elif o.output_type == "stream" and o.name == "stderr":
            out.append(o.text)
    return out


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_the_authoring_notebook_runs(shipped_folder, tmp_path, monkeypatch):
    before = files(shipped_folder)
    nb = execute("authoring.ipynb", shipped_folder, tmp_path, monkeypatch)
    assert errors_in(nb) == []
    views = [o for o in outputs(nb) if o.output_type == "execute_result" and WIDGET_VIEW in o.data]
    assert len(views) == 1, "the notebook shows the authoring app"
    # What the file would store beside the view: short, without the machine's path (#14)
    assert (
        views[0].data["text/plain"]
        == "<timeline authoring app on shipped/: run the cell to open it>"
    )
    assert files(shipped_folder) == before, "opening the app changes no file"


def test_the_authoring_notebook_on_broken_data_shows_a_message(valid_folder, tmp_path, monkeypatch):
    (valid_folder / "claims.csv").write_bytes(b'id,event_id\n"unclosed\n')
    nb = execute("authoring.ipynb", valid_folder, tmp_path, monkeypatch)
    assert errors_in(nb) == [], "broken data is shown in the health panel, not as a traceback"


def test_the_dashboard_notebook_runs(shipped_folder, tmp_path, monkeypatch):
    nb = execute("dashboard.ipynb", shipped_folder, tmp_path, monkeypatch)
    assert errors_in(nb) == []
    html = "".join(o.data.get("text/html", "") for o in outputs(nb) if "data" in o)
    assert 'id="timeline-app"' in html, "the dashboard shows the story"


def test_a_story_prepared_while_the_kernel_boots_is_the_one_shown(valid_folder, monkeypatch):
    """`timeline snapshot` has its kernel render the story while it boots (notebook.prepare)."""
    from timeline import notebook

    monkeypatch.setenv(notebook.DATA_ENV, str(valid_folder))
    monkeypatch.setenv(notebook.MODE_ENV, "snapshot")
    fresh = notebook.story_html()
    notebook.prepare()
    notebook._prepared.thread.join()

    def no_second_render(*args):
        raise AssertionError("show() rendered again although the data did not change")

    monkeypatch.setattr(notebook, "_render", no_second_render)
    assert notebook.story_html() == fresh
    assert notebook._prepared is None, "a prepared story is used once"


def test_a_story_prepared_before_the_data_changed_is_not_shown(valid_folder, monkeypatch):
    from timeline import notebook

    monkeypatch.setenv(notebook.DATA_ENV, str(valid_folder))
    monkeypatch.setenv(notebook.MODE_ENV, "snapshot")
    notebook.prepare()
    notebook._prepared.thread.join()
    events = valid_folder / "events.csv"
    header, first, rest = events.read_text(encoding="utf-8").split("\n", 2)
    title = first.split(",")[4]
    events.write_text(
        f"{header}\n{first.replace(title, title + ' (edited)', 1)}\n{rest}", encoding="utf-8"
    )
    assert f"{title} (edited)" in notebook.story_html(), "the edit made after prepare() is shown"


def test_prepare_without_a_data_folder_does_nothing(monkeypatch):
    from timeline import notebook

    monkeypatch.delenv(notebook.DATA_ENV, raising=False)
    notebook.prepare()
    assert notebook._prepared is None


# ------------------------------------------------------------------ git hygiene
@pytest.mark.parametrize("path", sorted(NOTEBOOKS.glob("*.ipynb")), ids=lambda p: p.name)
def test_notebooks_are_committed_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, (
                f"{path.name}: run nbstripout on it"
            )


def test_notebooks_only_call_the_package():
    nb = nbformat.read(NOTEBOOKS / "authoring.ipynb", as_version=4)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert code == "from timeline.authoring import build_authoring\n\nbuild_authoring()"


def test_pre_commit_strips_notebooks_and_validates_the_data():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = {
        hook["id"]: {**hook, "repo": repo["repo"]}
        for repo in config["repos"]
        for hook in repo["hooks"]
    }
    assert hooks["nbstripout"]["repo"] == "https://github.com/kynan/nbstripout"
    validate = hooks["timeline-validate"]
    assert validate["repo"] == "local" and validate["language"] == "system"
    assert validate["entry"] == "timeline validate data"
    assert validate["pass_filenames"] is False
    assert re.search(validate["files"], "data/claims.csv") and re.search(
        validate["files"], "timeline/validate.py"
    )
    assert not re.search(validate["files"], "README.md")


def run_hook(entry: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    return subprocess.run(
        entry.split(), cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


def test_the_validate_hook_passes_valid_data_and_stops_errors(valid_folder):
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    entry = next(
        h["entry"] for r in config["repos"] for h in r["hooks"] if h["id"] == "timeline-validate"
    )
    repo = valid_folder.parent  # the hook runs at the repository root, where data/ lives
    assert valid_folder.name == "data"
    ok = run_hook(entry, repo)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    claims = valid_folder / "claims.csv"
    claims.write_text(
        claims.read_text(encoding="utf-8").replace("not-rated", "Flase"), encoding="utf-8"
    )
    bad = run_hook(entry, repo)
    assert bad.returncode == 1
    assert "data/claims.csv:3: verdict: 'Flase' is not a verdict" in bad.stdout
