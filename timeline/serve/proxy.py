"""The dashboard inside any Jupyter server, through jupyter-server-proxy (JupyterHub, Binder).

Installing ``timeline`` registers :func:`setup_timeline` as a ``jupyter_serverproxy_servers``
entry point: a Jupyter server with ``jupyter-server-proxy`` then serves the dashboard at
``<base_url>timeline/``, starting ``timeline serve`` on a free port the first time someone
opens it. The data folder is ``$TIMELINE_DATA``, else the nearest ``data/`` folder at or
above the Jupyter server's working directory (as the notebooks find it). The proxy strips
its prefix and the page's URLs are relative, so no base URL needs setting. It passes the
Jupyter server's own ``Host`` on (say ``hub.example.org``), which `timeline serve` would
refuse, so it names the loopback address instead: the Jupyter server, not `timeline serve`,
answers for the public name. On Binder, open
``?urlpath=timeline/``; JupyterLab's launcher shows a "Timeline dashboard" tile.
"""

from __future__ import annotations

import sys
from typing import Any

#: Seconds jupyter-server-proxy waits for ``timeline serve`` to listen.
START_TIMEOUT = 120


def setup_timeline() -> dict[str, Any]:
    """The jupyter-server-proxy settings of the ``timeline`` server process."""
    from ..core.story import data_folder

    return {
        "command": [
            sys.executable,
            "-m",
            "timeline",
            "serve",
            str(data_folder()),
            "--port",
            "{port}",
        ],
        "timeout": START_TIMEOUT,
        "absolute_url": False,
        "request_headers_override": {"Host": "127.0.0.1:{port}"},
        "new_browser_tab": True,
        "launcher_entry": {"enabled": True, "title": "Timeline dashboard"},
    }


__all__ = ["START_TIMEOUT", "setup_timeline"]
