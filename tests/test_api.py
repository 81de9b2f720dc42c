"""The public API: one import path, an explicit sorted ``__all__``, a version the CHANGELOG names."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import timeline

ROOT = Path(__file__).resolve().parent.parent
PRIVATE_BUT_PUBLIC = {"__version__"}


def isort_key(name: str) -> tuple[int, str]:
    """How ``__all__`` is sorted (ruff RUF022, isort style): CONSTANTS, then Classes, then the rest."""
    if name.isupper():
        return (0, name)
    if name[:1].isupper():
        return (1, name)
    return (2, name)


def test_all_is_sorted():
    assert timeline.__all__ == sorted(timeline.__all__, key=isort_key)
    assert len(set(timeline.__all__)) == len(timeline.__all__)


def test_all_lists_exactly_the_public_names():
    """Like httpx's test_exported_members: every public name is exported and nothing else."""
    public = {  # dir(): Dataset, load and save are imported on first use (module __getattr__)
        name
        for name in dir(timeline)
        if (not name.startswith("_") or name in PRIVATE_BUT_PUBLIC)
        and not inspect.ismodule(getattr(timeline, name))
    }
    assert set(timeline.__all__) == public


def test_every_exported_name_exists_and_is_documented():
    for name in timeline.__all__:
        member = getattr(timeline, name)
        if inspect.isclass(member) or inspect.isfunction(member):
            assert inspect.getdoc(member), f"timeline.{name} has no docstring"


def test_the_changelog_top_version_is_the_package_version():
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    versions = re.findall(r"^## \[?v?(\d+\.\d+\.\d+[^\]\s]*)\]?", changelog, re.M)
    assert versions, "CHANGELOG.md has no '## X.Y.Z' heading"
    assert versions[0] == timeline.__version__
