"""Exceptions raised by the timeline package.

Hierarchy::

    TimelineError
    ├── LoadError(OSError)        a data folder or file cannot be read at all
    ├── ValidationError(ValueError)  a dataset has errors; carries .problems
    ├── DateError(ValueError)     a date, dateline or relative date cannot be read
    ├── OptionError(ValueError)   a function was given a value it does not take
    ├── SaveError                 a save was refused
    │   ├── StaleDataError        files changed on disk since they were loaded
    │   └── LockedError           another save holds the folder's lock
    └── ExportError               a snapshot or export could not be written
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .problems import Problem


class TimelineError(Exception):
    """Base class of every error the package raises on purpose."""


class LoadError(TimelineError, OSError):
    """A data folder or file cannot be read at all."""

    def __init__(self, message: str, path: str | None = None) -> None:
        super().__init__(message)
        self.path = path


class ValidationError(TimelineError, ValueError):
    """A dataset has errors; ``problems`` lists every one of them."""

    def __init__(self, problems: list[Problem], action: str = "save") -> None:
        self.problems = problems
        errors = [p for p in problems if p.severity == "error"]
        lines = "\n".join(str(p) for p in errors)
        super().__init__(
            f"Refusing to {action}: {len(errors)} error{'s' if len(errors) != 1 else ''} "
            f"in the data (nothing was written).\n{lines}"
        )


class DateError(TimelineError, ValueError):
    """A date, a dateline or a relative date cannot be read; the message says how to write it."""


class OptionError(TimelineError, ValueError):
    """A function was given an option value it does not take; the message names the allowed ones."""


class SaveError(TimelineError):
    """A save was refused; nothing was written."""


class StaleDataError(SaveError):
    """The files changed on disk since the dataset was loaded."""


class LockedError(SaveError):
    """Another save holds the folder's lock file."""


class ExportError(TimelineError):
    """A snapshot or an export could not be written."""
