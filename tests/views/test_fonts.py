"""The pages' own Arabic-script font (issue 24.5): what it covers, how each output carries it.

The WOFF2 files are read back with fontTools (brotli); the stylesheet with tinycss2. Pages load it
in Chromium in tests/publish/test_rtl_browser.py; here: its licence, its coverage, its declaration,
the snapshot's choice to embed it, the dashboard's serving it.
"""

from __future__ import annotations

import base64
import io
import re
import shutil
from pathlib import Path

import pytest
import tinycss2
from fontTools.ttLib import TTFont

from timeline.core.dataset import load
from timeline.publish.snapshot import _arabic_script
from timeline.serve.handlers import STATIC_PREFIX, Assets
from timeline.views.assets import (
    ARABIC_FONTS,
    ARABIC_RANGE,
    ARABIC_RANGES,
    STATIC,
    asset_text,
    font_bytes,
    inline_fonts,
    needs_arabic_font,
    writes_arabic_script,
)

ROOT = Path(__file__).resolve().parents[2]
EDITIONS = ROOT / "tests" / "data" / "editions"
PERSIAN_LETTERS = "پچژگیک"  # the letters Persian adds to Arabic's, and its own yeh and keheh
ARABIC_LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوية"
DIGITS = "۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩"


def _faces(css: str) -> list[dict[str, str]]:
    rules = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
    out = []
    for rule in rules:
        if rule.type == "at-rule" and rule.lower_at_keyword == "font-face":
            decls = tinycss2.parse_declaration_list(
                rule.content, skip_comments=True, skip_whitespace=True
            )
            out.append(
                {
                    d.lower_name: tinycss2.serialize(d.value).strip()
                    for d in decls
                    if d.type == "declaration"
                }
            )
    return out


@pytest.mark.parametrize("name", ARABIC_FONTS)
def test_each_font_covers_persian_and_arabic_and_nothing_outside_its_range(name: str) -> None:
    data = font_bytes(name)
    assert data[:4] == b"wOF2" and len(data) < 80_000  # WOFF2, cut to the script: ~70 kB a face
    font = TTFont(io.BytesIO(data))
    cmap = set(font.getBestCmap())
    assert {ord(c) for c in PERSIAN_LETTERS + ARABIC_LETTERS + DIGITS + "\u200c"} <= cmap
    outside = [cp for cp in cmap if not any(a <= cp <= b for a, b in ARABIC_RANGES)]
    assert (
        outside == []
    )  # so its unicode-range can promise it: no Latin letter is ever drawn with it
    assert "Noto Sans Arabic" in font["name"].getDebugName(1)
    assert "GSUB" in font and "GPOS" in font  # shaping (joining forms, marks) kept


def test_the_font_ships_with_its_licence_and_in_the_package_data() -> None:
    licence = (STATIC / "fonts" / "OFL.txt").read_text(encoding="utf-8")
    assert (
        "SIL OPEN FONT LICENSE" in licence and "Version 1.1" in licence and "Google LLC" in licence
    )
    assert '"static/fonts/*"' in (ROOT / "pyproject.toml").read_text(encoding="utf-8")


def test_the_stylesheet_declares_both_faces_for_arabic_script_only() -> None:
    css = asset_text("timeline.css")
    faces = _faces(css)
    assert [(f["font-family"], f["font-weight"]) for f in faces] == [
        ('"Timeline Arabic"', "400"),
        ('"Timeline Arabic"', "700"),
    ]
    for face, name in zip(faces, ARABIC_FONTS):
        assert "U+0020" not in face["unicode-range"]
        assert face["src"] == f'url("{name}") format("woff2")'
        assert (STATIC / name).is_file()
    assert css.count(f"unicode-range: {ARABIC_RANGE};") == 2
    # The page's font stacks put it first: Arabic-script letters use it, everything else the system's.
    stacks = re.findall(r"font(?:-family)?:[^;]*system-ui[^;]*;", asset_text("timeline.css"))
    assert stacks and all('"Timeline Arabic", system-ui' in s for s in stacks)


def test_a_page_with_its_stylesheet_inline_embeds_the_font_or_leaves_it_out() -> None:
    css = asset_text("timeline.css")
    plain = inline_fonts(css, embed=False)
    assert _faces(plain) == [] and "url(" not in plain
    assert plain == re.sub(r"@font-face\s*\{[^}]*\}\s*", "", css)
    embedded = inline_fonts(css, embed=True)
    urls = re.findall(r'url\("data:font/woff2;base64,([A-Za-z0-9+/=]+)"\)', embedded)
    assert [base64.b64decode(u) for u in urls] == [font_bytes(n) for n in ARABIC_FONTS]
    assert 'url("fonts/' not in embedded
    # What the embedding costs a snapshot: the two faces in base64.
    assert 180_000 < len(embedded) - len(css) < 200_000


def test_which_languages_and_texts_need_the_font() -> None:
    assert [writes_arabic_script(t) for t in ("fa", "ar", "ar-IQ", "ur", "ckb", "pa-Arab")] == [
        True
    ] * 6
    assert [writes_arabic_script(t) for t in ("en", "fr", "he", "pa", "de")] == [False] * 5
    assert needs_arabic_font("He said «انتقام سخت»") and needs_arabic_font("۱۳۹۸")
    assert not needs_arabic_font("Plain English, a zero-width\u200cnon-joiner and שלום")


def test_a_snapshot_embeds_the_font_for_a_persian_story_or_an_english_one_quoting_arabic(
    tmp_path: Path,
) -> None:
    fa, en = EDITIONS / "fa", EDITIONS / "en"
    assert _arabic_script(load(fa), fa)
    assert not _arabic_script(load(en), en)
    quoting = tmp_path / "en"
    shutil.copytree(en, quoting)
    claims = quoting / "claims.csv"
    claims.write_text(
        claims.read_text(encoding="utf-8").replace("five years", "five years (پنج سال)", 1),
        encoding="utf-8",
    )
    assert _arabic_script(load(quoting), quoting)


def test_the_dashboard_serves_the_font_beside_its_stylesheet() -> None:
    assets = Assets.load()
    route = re.compile(assets.route())
    for name in ARABIC_FONTS:
        version, blob = assets.files[name]
        assert blob.body == font_bytes(name) and blob.content_type == "font/woff2"
        # timeline.css is served at timeline/static/timeline.css: its url("fonts/...") lands here.
        assert route.fullmatch(f"{STATIC_PREFIX}{name}")
