"""timeline: fact-check timelines whose every event and claim is linked to its source.

``Dataset``, ``load`` and ``save`` are imported on first use (they bring pandas): a
command that starts a kernel first (``timeline snapshot``) starts it sooner.
"""

import typing as _typing

from .core.schema import TABLES, VERDICTS
from .errors import (
    DateError,
    ExportError,
    LoadError,
    LockedError,
    OptionError,
    SaveError,
    StaleDataError,
    TimelineError,
    ValidationError,
)
from .problems import Problem
from .version import __version__

if _typing.TYPE_CHECKING:
    from .core.dataset import Dataset, load, save

_LAZY = ("Dataset", "load", "save")


def __getattr__(name: str) -> _typing.Any:
    if name in _LAZY:
        from .core import dataset

        return getattr(dataset, name)
    raise AttributeError(f"module 'timeline' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


__all__ = [
    "TABLES",
    "VERDICTS",
    "Dataset",
    "DateError",
    "ExportError",
    "LoadError",
    "LockedError",
    "OptionError",
    "Problem",
    "SaveError",
    "StaleDataError",
    "TimelineError",
    "ValidationError",
    "__version__",
    "load",
    "save",
]
