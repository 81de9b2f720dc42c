"""`timeline serve` answers a claim's page at the microsite's path (claims/<id>.html), and its
claim cards link it, so a claim's permalink works on the dashboard and on the static site."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from serve_support import Server, get

pytestmark = pytest.mark.server
TEST_DATA = Path(__file__).resolve().parent / "data"


def test_serve_answers_claim_pages_at_the_sites_paths(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    shutil.copytree(TEST_DATA / "valid", folder)
    with open(folder / "claims.csv", encoding="utf-8", newline="") as f:
        claims = list(csv.DictReader(f))
    server = Server.start(folder, log_path=tmp_path / "server.log", pool_size=0)
    try:
        status, page = get(server.url)
        assert status == 200
        for c in claims:
            assert f'href="claims/{c["id"]}.html"' in page
            status, html = get(f"{server.url}claims/{c['id']}.html")
            assert status == 200 and f'id="claim-{c["id"]}"' in html
            assert 'href="../#event-' in html and 'href="../timeline/static/timeline.css?v=' in html
        assert get(f"{server.url}claims/no-such-claim.html")[0] == 404
        assert get(f"{server.url}claims/..%2Fx.html")[0] == 404
    finally:
        server.stop()
