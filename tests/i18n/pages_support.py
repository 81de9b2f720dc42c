"""What the page-language tests share: the test editions, a copy with story.json keys changed, and
the Persian desk's own verdict word."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EDITIONS = ROOT / "tests" / "data" / "editions"
EPOCH = {"SOURCE_DATE_EPOCH": "1767225600"}
#: The Persian desk's own word for one verdict (story.json's ``verdicts``), and its meaning.
DESK_LABEL = "خلاف واقع"
DESK_MEANING = "سوابق رسمی خلاف این ادعا را نشان می‌دهد."


def copy_edition(tmp: Path, edition: str, **story: object) -> Path:
    """A copy of a test edition under ``tmp``, with ``story`` merged into its story.json."""
    folder = tmp / edition
    shutil.copytree(EDITIONS / edition, folder)
    data = json.loads((folder / "story.json").read_text(encoding="utf-8"))
    data.update(story)
    (folder / "story.json").write_text(
        json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    return folder


@pytest.fixture(scope="session")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The fa site (with the desk's own word for one verdict) and the ar site, built once."""
    base = tmp_path_factory.mktemp("editions")
    fa = copy_edition(
        base, "fa", verdicts={"inaccurate": {"label": DESK_LABEL, "meaning": DESK_MEANING}}
    )
    ar = copy_edition(base, "ar")
    from timeline.publish.site import build_site

    out = {}
    for name, folder in (("fa", fa), ("ar", ar)):
        build_site(folder, base / f"site-{name}", base_url=f"https://example.org/{name}/",
                   environ=EPOCH)  # fmt: skip
        out[name] = base / f"site-{name}"
    return out
