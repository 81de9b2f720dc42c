"""Fixtures of the language tests: the Persian and Arabic test stories built as microsites, once
per session (the page tests and the browser test read the same files)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pages_support import DESK_LABEL, DESK_MEANING, EPOCH, copy_edition

from timeline.publish.site import build_site


@pytest.fixture(scope="session")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The fa site (with the desk's own word for one verdict) and the ar site, built once."""
    base = tmp_path_factory.mktemp("editions")
    fa = copy_edition(
        base, "fa", verdicts={"inaccurate": {"label": DESK_LABEL, "meaning": DESK_MEANING}}
    )
    ar = copy_edition(base, "ar")
    out = {}
    for name, folder in (("fa", fa), ("ar", ar)):
        build_site(folder, base / f"site-{name}", base_url=f"https://example.org/{name}/",
                   environ=EPOCH)  # fmt: skip
        out[name] = base / f"site-{name}"
    return out
