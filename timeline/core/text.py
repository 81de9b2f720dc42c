"""Cell text shown in a short space: messages, titles of changes, labels of corrections."""

from __future__ import annotations

__all__ = ["ELLIPSIS", "clip"]

ELLIPSIS = "\u2026"


def clip(text: object, limit: int = 80) -> str:
    """``text`` on one line (runs of white space folded) and at most ``limit`` characters,
    cut with an ellipsis."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + ELLIPSIS
