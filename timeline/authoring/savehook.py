"""Notebooks that are saved without their outputs and open unmodified, whoever opens them (#14).

The authoring app is a live widget: its output in a notebook is a widget view tied to
one kernel. Saved, it is worthless after a restart ("Error displaying widget: model not
found") and noise in a commit. A notebook whose metadata holds
``"timeline": {"save_outputs": false}`` (``notebooks/authoring.ipynb``) is therefore
written without outputs, execution counts, widget state or the Python version by any Jupyter
server in an environment where timeline's server extension is enabled (``make install``;
Binder's ``postBuild``; a wheel install ships ``etc/jupyter/jupyter_server_config.d/timeline.authoring.savehook.json``).
JupyterLab keeps showing the outputs; only the file stays clean. Other notebooks are saved as
they are.

The other half: JupyterLab records the started kernel's ``language_info`` in the notebook and
marks it modified when that differs from the file's. The file leaves out the Python version
(it would change with every analyst's machine), so the extension puts this server's version in
when it hands a marked notebook to the browser (:func:`add_python_version`): opened, the
notebook is unmodified, and closing it asks nothing. Jupyter Server has no load hook like its
pre-save hook, so the contents manager's ``get`` is wrapped on this server's instance (which
composes with any contents manager, jupytext's included).
"""

from __future__ import annotations

import functools
import inspect
import platform
from typing import Any

MARK = "save_outputs"


def wants_no_outputs(nb: dict[str, Any]) -> bool:
    """Whether the notebook's metadata asks to be saved without outputs."""
    meta = nb.get("metadata") or {}
    return isinstance(meta.get("timeline"), dict) and meta["timeline"].get(MARK) is False


def _marked(model: dict[str, Any]) -> dict[str, Any] | None:
    """The notebook's content when ``model`` is a marked notebook, else ``None``."""
    if model.get("type") != "notebook" or not isinstance(model.get("content"), dict):
        return None
    nb: dict[str, Any] = model["content"]
    return nb if wants_no_outputs(nb) else None


def strip_outputs(model: dict[str, Any], **_kwargs: Any) -> None:
    """Pre-save hook: drop the outputs, execution counts, widget state and Python version of a marked notebook."""
    nb = _marked(model)
    if nb is None:
        return
    meta = nb.get("metadata", {})
    meta.pop("widgets", None)
    if isinstance(
        meta.get("language_info"), dict
    ):  # the analyst's Python version: noise in a commit
        meta["language_info"].pop("version", None)
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None


def add_python_version(model: dict[str, Any], version: str | None = None) -> None:
    """On load: a marked Python notebook's ``language_info`` gets the version its kernel will report.

    ``version`` defaults to this server's Python, the one its ``python3`` kernel runs (ipykernel
    reports ``platform.python_version()``). A kernel of another Python reports another version and
    JupyterLab marks the notebook modified, as it would without this.
    """
    nb = _marked(model)
    if nb is None:
        return
    info = nb.get("metadata", {}).get("language_info")
    if isinstance(info, dict) and info.get("name") == "python" and "version" not in info:
        info["version"] = version or platform.python_version()


def _with_version(get: Any) -> Any:
    """The contents manager's ``get`` (async or not), followed by :func:`add_python_version`."""
    if inspect.iscoroutinefunction(get):

        @functools.wraps(get)
        async def get_async(*args: Any, **kwargs: Any) -> Any:
            model = await get(*args, **kwargs)
            add_python_version(model)
            return model

        return get_async

    @functools.wraps(get)
    def get_sync(*args: Any, **kwargs: Any) -> Any:
        model = get(*args, **kwargs)
        add_python_version(model)
        return model

    return get_sync


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    return [{"module": "timeline.authoring.savehook"}]


def _load_jupyter_server_extension(serverapp: Any) -> None:
    manager = serverapp.contents_manager
    manager.register_pre_save_hook(strip_outputs)
    manager.get = _with_version(manager.get)
