"""The static site's search index made in part (publish/sitesearch.py): after edits of a few
records, the index moved from the last build's kept files is byte for byte the index built whole,
and so are the files it keeps; what cannot be moved (records moved, kept files damaged, another
code) is built whole."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from timeline import load
from timeline.publish import sitesearch
from timeline.publish.sitelist import jsonp
from timeline.views.listing import Listing

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from bench_load import generate  # noqa: E402


def index(
    folder: Path, kept: dict[str, bytes] | None
) -> tuple[dict[str, str], dict[str, bytes], bool]:
    """The shards written, the files kept, and whether the index was moved (not built whole)."""
    shards: dict[str, str] = {}
    keep: dict[str, bytes] = {}
    whole: list[bool] = []
    real = sitesearch._postings

    def built_whole(*args: Any) -> Any:
        whole.append(True)
        return real(*args)

    with pytest.MonkeyPatch.context() as m:
        m.setattr(sitesearch, "_postings", built_whole)
        sitesearch.write_search(
            Listing(load(folder), claim_href="claims/{id}.html"), shards.__setitem__, jsonp,
            kept=(kept or {}).get, keep=keep.__setitem__, shared="code",
        )  # fmt: skip
    return shards, keep, not whole


def edit(folder: Path, table: str, row_id: str, **cells: str) -> None:
    path = folder / f"{table}.csv"
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    next(r for r in rows if r["id"] == row_id).update(cells)
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    generate(folder, events=400, claims=200, sources=20)
    return folder


def test_an_index_moved_after_a_few_edits_is_the_index_built_whole(archive: Path) -> None:
    _, kept, moved = index(archive, None)
    assert not moved and set(kept) == set(sitesearch.CACHE)
    edit(archive, "claims", "claim-000011", rationale="Zanzibarian words only here, nothing else.",
         verdict="accurate")  # fmt: skip
    edit(
        archive,
        "claims",
        "claim-000012",
        claim="A claim rewritten about quixotic zanzibarian matters",
    )
    edit(archive, "events", "event-000030", title="A title of its own: xylophonic")
    shards, kept_after, moved = index(archive, kept)
    assert moved  # three records of 600: moved, not built whole
    whole_shards, whole_kept, _ = index(archive, None)
    assert shards == whole_shards and kept_after == whole_kept
    text = "".join(shards.values())
    assert '"zanzibarian"' in text and '"xylophonic"' in text and '"quixotic"' in text
    # And a word only the old text had is gone from the index: the claim's rationale was replaced.
    edit(archive, "claims", "claim-000011", rationale="Plain words.")
    again, _, moved = index(archive, kept_after)
    assert moved and again == index(archive, None)[0]
    assert '"zanzibarian"' in "".join(again.values())  # still in claim-000012's claim
    edit(archive, "claims", "claim-000012", claim="Plain words.")
    assert '"zanzibarian"' not in "".join(index(archive, kept_after)[0].values())


@pytest.mark.parametrize(
    "damage", ["missing", "truncated", "other code", "terms out of range", "postings not a map"]
)
def test_an_index_that_cannot_be_moved_is_built_whole(archive: Path, damage: str) -> None:
    _, kept, _ = index(archive, None)
    edit(archive, "claims", "claim-000011", rationale="A new rationale.")
    if damage == "missing":
        del kept[sitesearch.CACHE[1]]
    elif damage == "truncated":
        kept[sitesearch.CACHE[1]] = kept[sitesearch.CACHE[1]][:-40]
    elif damage == "other code":
        kept[sitesearch.CACHE[0]] = kept[sitesearch.CACHE[0]].replace(
            b'"shared":"code"', b'"shared":"old"'
        )
    elif damage == "terms out of range":  # well-formed files that do not fit together
        held = np.load(io.BytesIO(kept[sitesearch.CACHE[1]]))
        held[:] = 4_000_000_000
        out = io.BytesIO()
        np.save(out, held)
        kept[sitesearch.CACHE[1]] = out.getvalue()
    else:
        meta = json.loads(kept[sitesearch.CACHE[0]])
        meta["postings"] = list(meta["postings"])
        kept[sitesearch.CACHE[0]] = json.dumps(meta).encode()
    shards, after, moved = index(archive, kept)
    assert not moved
    assert (shards, after) == index(archive, None)[:2]


def test_records_that_moved_build_the_index_whole(archive: Path) -> None:
    _, kept, _ = index(archive, None)
    edit(archive, "events", "event-000030", start="1990-01-01")  # now first in reading order
    shards, after, moved = index(archive, kept)
    assert not moved and (shards, after) == index(archive, None)[:2]
