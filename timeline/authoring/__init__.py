"""The analysts' authoring app: check, add, edit, preview and save a story's data in Jupyter.

``build_authoring("data")`` returns one ipywidgets widget (an :class:`AuthoringApp`):

- **Health**: counts and every problem of the working copy (file, line, column,
  message), refreshed after each change.
- **Event / Claim / Source forms**: add a row or pick one to edit (ids searchable),
  verdicts with their meanings, dates shown as they will read, the draft's own
  problems before it is applied. A new claim can create its source in the same
  step. Events take relative dates ("tomorrow morning") from an article's dateline.
- **Preview**: the dashboard's timeline figure and the draft's card.
- **Review & save**: the rows added, changed and removed per file and the line
  diff; save writes only a valid dataset, atomically and under the folder's lock,
  and refuses after an outside change (see :func:`timeline.core.dataset.save`).

Edits go to an in-memory working copy; nothing touches the files until Save.
The app speaks the story's language (``story.json``'s ``language``; ``build_authoring(folder,
language="en")`` overrides it) and reads right to left for Persian and Arabic.
All logic lives here; ``notebooks/authoring.ipynb`` only calls ``build_authoring``.

The package: ``app`` (the app and its panels), ``form`` (a table's form), ``fields``
(the field widgets; ``static/idlist.*`` is the id-list field's browser side), ``render``
(its HTML), ``words`` (the catalogues in the app's language) and ``savehook`` (the Jupyter
server extension that saves the notebook without its outputs). The app is imported on first use: the server extension, which Jupyter imports
at start-up, brings neither ipywidgets nor pandas.
"""

from __future__ import annotations

import typing as _typing

if _typing.TYPE_CHECKING:
    from .app import AuthoringApp, build_authoring

__all__ = ["AuthoringApp", "build_authoring"]


def __getattr__(name: str) -> _typing.Any:
    if name in __all__:
        from . import app

        return getattr(app, name)
    raise AttributeError(f"module 'timeline.authoring' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
