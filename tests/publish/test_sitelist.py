"""The long story's files (publish/sitelist.py): postings encoded as the page's script reads them
(tests/js/unit/files.test.mjs reads the same shapes), shards within their size, the grouped chart."""

from __future__ import annotations

import base64

import pytest

from timeline.publish import sitesearch
from timeline.views.chart_parts import MAX_BINS, grouped_chart


def decode(code: str, n: int) -> list[int]:
    if not code:
        return []
    if code[0] == "b":
        raw = base64.b64decode(code[1:])
        return [i for i in range(n) if raw[i >> 3] >> (i & 7) & 1]
    out, last = [], 0
    for gap in code[1:].split(","):
        last += int(gap, 36)
        out.append(last)
    return out


@pytest.mark.parametrize(
    "ids", [[0], [5, 40, 41, 1000], list(range(0, 3000, 2)), list(range(3000))]
)
def test_postings_round_trip_in_the_shorter_form(ids: list[int]) -> None:
    code = sitesearch.encode(ids, 3000)
    assert decode(code, 3000) == ids
    dense = len(ids) > 3000 / 16
    assert code[0] == ("b" if dense else "d")


def test_shards_hold_every_term_once_within_their_size(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sitesearch, "SHARD_BYTES", 200)
    events = [f"Strike near the airport {i} statement threat" for i in range(300)]
    claims = ["Officials said the threat was imminent", "Минобороны заявило", "سلیمانی"]
    shards = sitesearch.search_shards(events, claims)
    prefixes = [p for p, _ in shards]
    assert len(prefixes) == len(set(prefixes))
    terms = [t for _, postings in shards for t in postings]
    assert sorted(terms) == sorted(set(terms))
    assert set(terms) == set().union(*map(sitesearch.terms, events + claims))
    for prefix, postings in shards:
        assert all(t.startswith(prefix) for t in postings)
        # Only a shard of one term, or of terms no longer prefix can split, may pass its size.
        size = sum(len(t) + len(e) + len(c) + 8 for t, (e, c) in postings.items())
        assert size <= 200 or len(postings) == 1 or all(len(t) == len(prefix) for t in postings)
    threat = next(p for _, ps in shards for t, p in ps.items() if t == "threat")
    assert decode(threat[0], 300) == list(range(300)) and decode(threat[1], 3) == [0]


def test_grouped_chart_counts_every_event_once() -> None:
    day = 86_400
    ev = {
        "s": [0, 3600, day * 400, day * 800], "d": [day, 0, day, day], "span": [1, 0, 1, 1],
        "own": [None, 180, None, None], "cat": [1, 0, 1, 1], "cats": ["A", "B"], "v": [0, 2, 0, 0],
    }  # fmt: skip
    chart = grouped_chart(ev)
    assert chart["lanes"] == ["B", "A"]  # in order of first appearance
    assert sum(c[3] for c in chart["cells"]) == 4
    assert (day * 800 * 1000) / chart["width"] <= MAX_BINS
