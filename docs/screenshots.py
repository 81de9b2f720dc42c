"""The README's screenshots: the index and a claim page of the microsite, on a phone and a desktop,
and the same two pages right to left (README, Languages) on a phone.

Builds the site from a data folder (``data/`` by default) into a temporary folder, opens it in
headless Chromium (Debian's, as the tests use) and saves the first screen of each page as a PNG
in ``docs/img/`` (palette PNGs, kept small). The right-to-left shots (``index-rtl-phone.png``,
``claim-rtl-phone.png``) are of the tests' Persian edition (``tests/data/editions/fa``, built with
its English and Arabic editions, ``--rtl-data``).
``make screenshots`` runs it; rerun it whenever the pages change (after merging a branch that
changes them) and commit the PNGs.

    python docs/screenshots.py [--data data] [--out docs/img] [--claim ID] [--rtl-data FOLDER...]
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path
from typing import Any

from PIL import Image
from playwright.sync_api import sync_playwright

from timeline.publish.site import build_site

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("TIMELINE_CHROMIUM", "/usr/bin/chromium")
#: name -> (width, height) of the window: a phone (375 px, as an iPhone's) and a desktop.
SIZES = {"phone": (375, 740), "desktop": (1280, 800)}
COLOURS = 96  # a palette this size keeps text and badges crisp and a screenshot under ~100 KB
#: A right-to-left story for the Languages section's shots: the tests' Persian edition, first, with
#: its English and Arabic editions (so the pages show the language switcher).
RTL_DATA = [ROOT / "tests" / "data" / "editions" / lang for lang in ("fa", "en", "ar")]
RTL_CLAIM = "c-five-years"


def shoot(
    data: Path,
    out: Path,
    claim: str | None = None,
    browser: Any = None,
    rtl_data: list[Path] | None = RTL_DATA,
) -> list[Path]:
    """Write ``index-<size>.png`` and ``claim-<size>.png`` for each of SIZES into ``out``, and
    ``index-rtl-phone.png`` and ``claim-rtl-phone.png`` of ``rtl_data`` (unless None)
    (in ``browser``, a Playwright browser, else a headless Chromium of its own)."""
    if browser is None:
        with sync_playwright() as p:
            own = p.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox"])
            try:
                return shoot(data, out, claim, own, rtl_data)
            finally:
                own.close()
    written = _shoot_site(browser, data, out, claim, SIZES, "")
    if rtl_data is not None:
        phone = {"phone": SIZES["phone"]}
        written += _shoot_site(browser, rtl_data, out, RTL_CLAIM, phone, "-rtl")
    return written


def _shoot_site(
    browser: Any,
    data: Path | list[Path],
    out: Path,
    claim: str | None,
    sizes: dict[str, tuple[int, int]],
    tag: str,
) -> list[Path]:
    """``index<tag>-<size>.png`` and ``claim<tag>-<size>.png`` of the site of ``data`` (its
    first edition, when it is several folders)."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        epoch = os.environ.get("SOURCE_DATE_EPOCH", "1767225600")
        build_site(data, site, environ={"SOURCE_DATE_EPOCH": epoch})
        claim = claim or sorted(p.stem for p in (site / "claims").glob("*.html"))[0]
        pages = {"index": site / "index.html", "claim": site / "claims" / f"{claim}.html"}
        for size, (width, height) in sizes.items():
            context = browser.new_context(
                viewport={"width": width, "height": height}, color_scheme="light"
            )
            page = context.new_page()
            for name, path in pages.items():
                page.goto(path.resolve().as_uri())
                if name == "index":
                    page.locator("#tl-chart .scatterlayer .point").first.wait_for(state="attached")
                png = out / f"{name}{tag}-{size}.png"
                page.screenshot(path=str(png))
                Image.open(png).convert("RGB").quantize(COLOURS).save(png, optimize=True)
                written.append(png)
            context.close()
    return written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--data", type=Path, default=ROOT / "data", help="the data folder (default: data/)"
    )
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img", help="where the PNGs go")
    parser.add_argument("--claim", help="the claim whose page is shown (default: the first)")
    parser.add_argument(
        "--rtl-data",
        type=Path,
        nargs="+",
        default=RTL_DATA,
        help="the right-to-left story of the Languages section's shots, then its other editions "
        "(default: the tests' Persian edition, then its English and Arabic ones)",
    )
    args = parser.parse_args(argv)
    for png in shoot(args.data, args.out, args.claim, rtl_data=args.rtl_data):
        print(f"{png} ({png.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
