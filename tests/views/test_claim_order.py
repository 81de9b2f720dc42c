"""Claim pages number and link claims in timeline order (the dashboard's), not file order."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import timeline
from timeline.views.claim_page import ClaimPages, PageLinks

CONTRACT = Path(__file__).resolve().parents[1] / "data" / "contract"


def test_claims_are_numbered_in_timeline_order_not_file_order(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    shutil.copytree(CONTRACT, folder)
    claims = folder / "claims.csv"
    header, *rows = claims.read_text(encoding="utf-8").splitlines()
    # File order: the retaliation's claim (8 January) first, then the strike's (3 January), then
    # the statement's (5 January).
    rows = [rows[2], rows[0], rows[1]]
    claims.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    ds = timeline.load(folder)
    assert ds.ids("claims") == ["no-casualties", "imminent", "restraint"]
    pages = ClaimPages(ds)
    links = PageLinks(home="../index.html", stylesheets=())
    kicker = {
        cid: re.search(r'class="tl-kicker">([^<]*)<', pages.render(cid, links=links)).group(1)
        for cid in ds.ids("claims")
    }
    assert kicker == {
        "imminent": "Fact check 1 of 3",
        "restraint": "Fact check 2 of 3",
        "no-casualties": "Fact check 3 of 3",
    }
    last = pages.render("no-casualties", links=links)
    assert 'href="restraint.html"' in last and 'href="imminent.html"' not in last
