"""timeline: fact-check timelines whose every event and claim is linked to its source."""

from .dataset import Dataset, load, save
from .errors import (
    ExportError,
    LoadError,
    LockedError,
    RenderError,
    SaveError,
    StaleDataError,
    TimelineError,
    ValidationError,
)
from .problems import Problem
from .schema import TABLES, VERDICTS
from .version import __version__

__all__ = [
    "TABLES",
    "VERDICTS",
    "Dataset",
    "ExportError",
    "LoadError",
    "LockedError",
    "Problem",
    "RenderError",
    "SaveError",
    "StaleDataError",
    "TimelineError",
    "ValidationError",
    "__version__",
    "load",
    "save",
]
