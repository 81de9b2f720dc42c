"""`timeline serve` answers a claim's page at the microsite's path (claims/<id>.html), and its
claim cards link it, so a claim's permalink works on the dashboard and on the static site.

The claim pages come from the server's own routes in this process (no Voila, no kernel: a real
process adds nothing to them); that the real server's cards link them: tests/e2e/test_serve.py."""

from __future__ import annotations

import csv
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from serve_support import InProcessServer, get

TEST_DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(scope="module")
def served(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[InProcessServer, list[dict[str, str]]]]:
    folder = tmp_path_factory.mktemp("site-serve") / "data"
    shutil.copytree(TEST_DATA / "valid", folder)
    with open(folder / "claims.csv", encoding="utf-8", newline="") as f:
        claims = list(csv.DictReader(f))
    server = InProcessServer(folder)
    yield server, claims
    server.stop()


def test_serve_answers_claim_pages_at_the_sites_paths(
    served: tuple[InProcessServer, list[dict[str, str]]],
) -> None:
    server, claims = served
    for c in claims:
        status, html = get(f"{server.url}claims/{c['id']}.html")
        assert status == 200 and f'id="claim-{c["id"]}"' in html
        assert 'href="../#event-' in html and 'href="../timeline/static/timeline.css?v=' in html


@pytest.mark.parametrize(
    "path", ["claims/no-such-claim.html", "claims/..%2Fx.html", "claims/UPPER.html"]
)
def test_an_unknown_claim_page_is_a_404(
    served: tuple[InProcessServer, list[dict[str, str]]], path: str
) -> None:
    assert get(served[0].url + path)[0] == 404
