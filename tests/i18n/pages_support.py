"""What the page-language tests share: the test editions, a copy with story.json keys changed, and
the Persian desk's own verdict word."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

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
