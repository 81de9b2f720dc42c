from __future__ import annotations

import math

import pytest

from timeline.core.schema import split_list, verdict_label
from timeline.core.text import clip


@pytest.mark.parametrize(
    ("cell", "items"),
    [
        ("a; b;", ["a", "b"]),
        (" a ;; b ", ["a", "b"]),
        ("", []),
        (";", []),
        (None, []),
        (math.nan, []),
    ],
)
def test_split_list_strips_and_drops_empty_items(cell: object, items: list[str]) -> None:
    assert split_list(cell) == items


def test_verdict_label_known_unknown_and_empty() -> None:
    assert verdict_label(" accurate ") == "Accurate"
    assert verdict_label("flase") == "flase"
    assert verdict_label("") == "(none)"


def test_clip_folds_white_space_and_cuts_with_an_ellipsis() -> None:
    assert clip("a\n  b") == "a b"
    assert clip("x" * 10, 5) == "xxxx\u2026"
    assert clip("x" * 5, 5) == "xxxxx"
