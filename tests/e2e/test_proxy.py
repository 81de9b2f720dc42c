"""The dashboard inside a Jupyter server, through jupyter-server-proxy (JupyterHub, Binder).

A real ``jupyter server`` (the one Binder and JupyterHub's single-user servers run) started in a
repository-like tree: installing timeline registered its entry point, so ``/timeline/`` starts
``timeline serve`` on the tree's data and proxies the page, its assets and its list.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import psutil
import pytest
from serve_support import ROOT, get, make_tree, wait_for

from timeline.serve.proxy import START_TIMEOUT, setup_timeline

pytestmark = pytest.mark.server


def test_the_entry_point_names_the_data_folder_and_a_port(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tree = make_tree(tmp_path / "repo", ROOT / "data")
    monkeypatch.delenv("TIMELINE_DATA", raising=False)
    monkeypatch.chdir(
        tree / "notebooks"
    )  # the nearest data/ folder upwards, as the notebooks find it
    settings = setup_timeline()
    assert settings["command"] == [
        sys.executable,
        "-m",
        "timeline",
        "serve",
        str(tree / "data"),
        "--port",
        "{port}",
    ]
    assert settings["timeout"] == START_TIMEOUT and settings["absolute_url"] is False
    monkeypatch.setenv("TIMELINE_DATA", "/srv/story/data")
    assert setup_timeline()["command"][4] == "/srv/story/data"


def test_a_jupyter_server_serves_the_dashboard_at_timeline(tmp_path: Path) -> None:
    tree = make_tree(tmp_path / "repo", ROOT / "data")
    env = {k: v for k, v in os.environ.items() if k != "TIMELINE_DATA"}
    runtime = tmp_path / "runtime"
    env["JUPYTER_RUNTIME_DIR"] = str(runtime)  # its cookie secret and server files
    log = (tmp_path / "jupyter.log").open("w", encoding="utf-8")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyter_server",
            "--port=0",
            "--ip=127.0.0.1",
            "--no-browser",
            "--ServerApp.port_retries=0",
            "--IdentityProvider.token=",
            "--ServerApp.password=",
            "--ServerApp.allow_root=True",
            f"--ServerApp.root_dir={tree}",
        ],
        cwd=tree,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        # Port 0: the server binds a free port and names it in its runtime file.
        info = runtime / f"jpserver-{proc.pid}.json"

        def bound_port() -> int | None:
            try:
                return int(json.loads(info.read_text(encoding="utf-8"))["port"])
            except (OSError, ValueError, KeyError):  # not there, or not whole yet
                return None

        port = wait_for(bound_port, timeout=60, what=f"the port in jupyter server's {info.name}")
        base = f"http://127.0.0.1:{port}/"

        def up() -> bool:
            try:
                return get(base + "api/status")[0] == 200
            except OSError:
                return False

        wait_for(up, timeout=60, what="jupyter server to listen")
        status, info = get(base + "server-proxy/servers-info")
        assert status == 200
        entry = next(s for s in json.loads(info)["server_processes"] if s["name"] == "timeline")
        assert entry["launcher_entry"]["title"] == "Timeline dashboard"
        # The first request starts `timeline serve` on the tree's data (the proxy gives it
        # START_TIMEOUT s); the page is ours.
        status, body = get(base + "timeline/", timeout=START_TIMEOUT + 30)
        assert status == 200 and 'id="timeline-app"' in body, body[:500]
        assert "Soleimani" in body
        for asset in ("timeline.css", "timeline.js", "plotly.min.js"):
            assert f'"timeline/static/{asset}?v=' in body, asset  # relative: under /timeline/
            assert get(base + f"timeline/timeline/static/{asset}")[0] == 200, asset
        assert get(base + "timeline/events?offset=0")[0] == 200
        children = psutil.Process(proc.pid).children(recursive=True)
        assert any("serve" in p.cmdline() and str(tree / "data") in p.cmdline() for p in children)
    finally:
        family = psutil.Process(proc.pid).children(recursive=True)
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        for p in family:
            try:
                p.kill()
            except psutil.NoSuchProcess:
                pass
        log.close()
