"""A problem found in the data: what, where, and how to fix it."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Problem:
    """One error or warning, located by file, physical line and column.

    ``line`` is the physical line where the record starts (the header is line 1);
    ``None`` for problems about a whole file or for rows not yet saved.
    """

    file: str
    line: int | None
    column: str | None
    message: str
    severity: str = "error"  # "error" or "warning"

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        col = f" {self.column}:" if self.column else ""
        tag = "" if self.severity == "error" else " warning:"
        return f"{where}:{col}{tag} {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def sort_problems(problems: list[Problem]) -> list[Problem]:
    """Errors first, then warnings; each group in file, then line order."""
    order = {"events.csv": 0, "claims.csv": 1, "sources.csv": 2, "corrections.csv": 3}

    def key(p: Problem) -> tuple[int, int, str, int]:
        name = p.file.replace("\\", "/").rsplit("/", 1)[-1]
        return (
            0 if p.severity == "error" else 1,
            order.get(name, 9),
            p.file,
            p.line if p.line is not None else 0,
        )

    return sorted(problems, key=key)
