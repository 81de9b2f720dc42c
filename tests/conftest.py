"""Shared fixtures: the repository's paths, a shared headless Chromium, environment isolation."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
TEST_DATA = Path(__file__).resolve().parent / "data"
SHARED = ROOT.parent / "shared"
CHROMIUM = os.environ.get("TIMELINE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def valid_folder(tmp_path: Path) -> Path:
    """A copy of tests/data/valid that a test may change."""
    dest = tmp_path / "data"
    shutil.copytree(TEST_DATA / "valid", dest)
    return dest


@pytest.fixture
def shipped_folder(tmp_path: Path) -> Path:
    """A copy of the shipped data/ folder that a test may change."""
    dest = tmp_path / "shipped"
    shutil.copytree(DATA, dest)
    return dest


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright_instance):  # type: ignore[no-untyped-def]
    """One headless Chromium shared by every browser test (Debian's, not Playwright's download)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"{CHROMIUM} is missing: run `make install-test` (it installs Debian's chromium)"
        )
    b = playwright_instance.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield b
    b.close()


def open_page(browser, **options):  # type: ignore[no-untyped-def]
    """A page in a fresh browser context (made with Playwright's ``options``, e.g. ``timezone_id``);
    collects console errors in ``page.console_errors``. Close it with ``page.context.close()``."""
    pg = browser.new_context(**options).new_page()
    errors: list[str] = []
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.console_errors = errors  # type: ignore[attr-defined]
    return pg


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    """A fresh browser context and page; collects console errors in ``page.console_errors``."""
    pg = open_page(browser)
    yield pg
    pg.context.close()


def pytest_runtest_setup(item: pytest.Item) -> None:
    """A test that starts Chromium (uses the ``browser`` fixture, e.g. through ``page``) must
    carry the ``browser`` marker, so ``-m "not browser"`` really leaves the browser out."""
    if (
        "browser" in getattr(item, "fixturenames", ())
        and item.get_closest_marker("browser") is None
    ):
        pytest.fail(
            f"{item.nodeid} uses a headless Chromium (the browser fixture) but lacks "
            "@pytest.mark.browser: add it",
            pytrace=False,
        )
