"""What counts as a web address: one pattern for the checks, the pages and the exports.

Only absolute ``http(s)://`` URLs with a host pass; ``javascript:``, ``data:`` and relative links
never do, so nothing built from a cell can carry another scheme into a page or a feed.
"""

from __future__ import annotations

import re

__all__ = ["URL", "URL_PATTERN", "is_web_url", "safe_url"]

URL_PATTERN = r"https?://[^\s/?#@]+(?:[/?#][^\s]*)?"
#: The compiled pattern; match with ``URL.fullmatch`` on a stripped value.
URL = re.compile(URL_PATTERN)


def is_web_url(value: str | None) -> bool:
    """Whether ``value`` (surrounding space ignored) is an absolute http(s) URL."""
    return URL.fullmatch((value or "").strip()) is not None


def safe_url(value: str | None) -> str:
    """``value`` stripped if it is an absolute http(s) URL, else ``""`` (never emit another scheme)."""
    value = (value or "").strip()
    return value if URL.fullmatch(value) else ""
