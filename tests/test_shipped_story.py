"""The shipped story keeps the rule that is never bent: only VERIFIED links, quotes verbatim.

Read against ``../shared/research/sources-checked.csv`` (every source found for the story, each
VERIFIED or not) and ``../shared/seed/`` (the City A.M. article the story starts from).
"""

from __future__ import annotations

import csv
import re

import pytest
from conftest import ROOT, SHARED

import timeline

CHECKED = SHARED / "research" / "sources-checked.csv"
SEED = next(iter(sorted((SHARED / "seed").glob("*.txt"))), None)
STORY = timeline.load(ROOT / "data")


def checked_sources() -> list[dict[str, str]]:
    with CHECKED.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_every_link_in_the_story_is_a_verified_url():
    verified = {row["url"].strip() for row in checked_sources() if row["confidence"].strip() == "VERIFIED"}
    assert verified, f"no VERIFIED source read from {CHECKED}"
    unverified = [
        (source["id"], column, source[column])
        for source in STORY.records("sources")
        for column in ("url", "archived_url")
        if source.get(column) and source[column] not in verified
    ]
    assert unverified == [], "links not VERIFIED in sources-checked.csv"


def seed_source_id() -> str:
    [seed_row] = [row for row in checked_sources() if "seed article" in row["notes"].lower()]
    [source] = [s for s in STORY.records("sources") if s["url"] == seed_row["url"]]
    return str(source["id"])


def quoted_parts(claim: str) -> list[str]:
    """The claim's words without its bracketed editorial insertions ("although [the spokesman] stopped")."""
    return [part.strip() for part in re.split(r"\[[^\]]*\]", claim) if part.strip()]


@pytest.mark.parametrize("claim_id", [c for c in STORY.ids("claims")])
def test_a_claim_from_the_seed_article_quotes_it_verbatim(claim_id):
    claim = STORY.get("claims", claim_id)
    if claim["said_in"] != seed_source_id():
        assert claim["said_in"] in STORY.ids("sources")
        return
    assert SEED is not None, f"no seed article in {SHARED / 'seed'}"
    seed = " ".join(SEED.read_text(encoding="utf-8").split())
    at = 0
    for part in quoted_parts(claim["claim"]):
        found = seed.find(" ".join(part.split()), at)
        assert found >= 0, f"{claim_id}: {part!r} is not in the seed article (after character {at})"
        at = found + len(part)


def test_a_claim_quotes_its_claimant_with_balanced_quotation_marks():
    unbalanced = [cid for cid in STORY.ids("claims")
                  if STORY.get("claims", cid)["claim"].count("“") != STORY.get("claims", cid)["claim"].count("”")]
    assert unbalanced == []
