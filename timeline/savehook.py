"""Notebooks that are saved without their outputs, whoever saves them (#14).

The authoring app is a live widget: its output in a notebook is a widget view tied to
one kernel. Saved, it is worthless after a restart ("Error displaying widget: model not
found") and noise in a commit. A notebook whose metadata holds
``"timeline": {"save_outputs": false}`` (``notebooks/authoring.ipynb``) is therefore
written without outputs, execution counts, widget state or the Python version by any Jupyter server in an
environment where timeline is installed: installing the package enables this server
extension (``etc/jupyter/jupyter_server_config.d/timeline.json``), which registers
:func:`strip_outputs` as the contents manager's pre-save hook. JupyterLab keeps showing
the outputs; only the file stays clean. Other notebooks are saved as they are.
"""

from __future__ import annotations

from typing import Any

MARK = "save_outputs"


def wants_no_outputs(nb: dict[str, Any]) -> bool:
    """Whether the notebook's metadata asks to be saved without outputs."""
    meta = nb.get("metadata") or {}
    return isinstance(meta.get("timeline"), dict) and meta["timeline"].get(MARK) is False


def strip_outputs(model: dict[str, Any], **_kwargs: Any) -> None:
    """Pre-save hook: drop the outputs, execution counts, widget state and Python version of a marked notebook."""
    if model.get("type") != "notebook" or not isinstance(model.get("content"), dict):
        return
    nb = model["content"]
    if not wants_no_outputs(nb):
        return
    meta = nb.get("metadata", {})
    meta.pop("widgets", None)
    if isinstance(meta.get("language_info"), dict):  # the analyst's Python version: noise in a commit
        meta["language_info"].pop("version", None)
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    return [{"module": "timeline.savehook"}]


def _load_jupyter_server_extension(serverapp: Any) -> None:
    serverapp.contents_manager.register_pre_save_hook(strip_outputs)
