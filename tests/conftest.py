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
#: How long a Playwright ``expect`` waits for the state it checks (its default is 5 s). The state
#: checked is exact; only the patience grows, for a shared 2-core machine running two workers
#: and their servers (a busy page may take more than 5 s to draw a status line).
EXPECT_TIMEOUT_MS = 20_000


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


# ---------------------------------------------------------------- two workers, balanced
#: The modules handed out first (their tests start Voila servers, JupyterLab or Chromium on a
#: story of their own): a worker that starts one of them last would keep the run waiting.
HEAVY_FIRST = (
    "e2e/",
    "serve/",
    "publish/test_site_browser.py",
    "publish/test_claim_pages_browser.py",
)


class HeavyFirst:
    """The heavy modules' tests first, once pytest-randomly has shuffled (its order is kept
    within the heavy tests and within the rest): ``make test`` runs ``--dist loadfile
    --no-loadscope-reorder``, so xdist hands the files out in this order (xdist's own order,
    most tests first, would start the long e2e files last)."""

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        def light(item: pytest.Item) -> bool:
            return not item.nodeid.removeprefix("tests/").startswith(HEAVY_FIRST)

        items.sort(key=light)  # stable


def pytest_configure(config: pytest.Config) -> None:
    from playwright.sync_api import expect

    config.pluginmanager.register(HeavyFirst(), "timeline-heavy-first")
    expect.set_options(timeout=EXPECT_TIMEOUT_MS)


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
