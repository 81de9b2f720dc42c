"""The reader's index in headless Chromium (issue 23): the chart's toolbar, markers that agree with
the filter, filters kept in the address, the phone-first index and what assistive technology hears.

One built microsite (its index, claim pages and embed) served over HTTP, one snapshot file and one
dashboard server are shared by the module's tests, with the suite's one browser.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import DATA, open_page
from playwright.sync_api import expect
from serve_support import Server, make_tree, static_server
from snapshot_support import AXE, READY, axe_violations

from timeline.authoring import AuthoringApp, build_authoring
from timeline.cli import cli
from timeline.publish.site import build_site
from timeline.views.assets import plotly_js

pytestmark = pytest.mark.browser
PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
#: The toolbar a reader uses (plotly.js's titles): zoom, pan, zoom in and out, reset, a PNG.
READER_BUTTONS = {"Zoom", "Pan", "Zoom in", "Zoom out", "Reset axes", "Download plot as a PNG"}
BUTTONS = "() => Array.from(document.querySelectorAll('.modebar-btn')).map(b => b.getAttribute('data-title'))"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped story as a microsite and as a snapshot: the folder holding ``site/`` and ``snapshot.html``."""
    base = tmp_path_factory.mktemp("reader-index")
    folder = base / "data"
    shutil.copytree(DATA, folder)
    build_site(folder, base / "site", environ={"SOURCE_DATE_EPOCH": "1767225600"})
    result = CliRunner().invoke(
        cli,
        ["snapshot", str(folder), "-o", str(base / "snap")],
        env={"SOURCE_DATE_EPOCH": "1767225600"},
    )
    assert result.exit_code == 0, result.output
    return base


@pytest.fixture(scope="module")
def site_url(built: Path) -> Iterator[str]:
    with static_server(built / "site") as url:
        yield url


@pytest.fixture(scope="module")
def dashboard(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tree = make_tree(tmp_path_factory.mktemp("dashboard"), DATA)
    server = Server.start(
        tree / "data",
        notebook=tree / "notebooks" / "dashboard.ipynb",
        log_path=tree / "server.log",
        pool_size=1,
    )
    yield server
    server.stop()


def index_url(where: str, built: Path, site_url: str, dashboard: Server | None) -> str:
    if where == "dashboard":
        assert dashboard is not None
        return dashboard.url
    if where == "snapshot":
        return (built / "snap" / "index.html").resolve().as_uri()
    return site_url + "index.html"


def opened(
    browser: Any, url: str, viewport: dict[str, int], *, axe: bool = False
) -> Any:  # the page once the chart is drawn (with axe-core loaded, for axe_violations)
    page = open_page(browser, viewport=viewport)
    if axe:
        page.add_init_script(path=str(AXE))
    return reopened(page, url, viewport)


def reopened(page: Any, url: str, viewport: dict[str, int]) -> Any:
    """``page`` (its context reused) loading ``url`` afresh in a window of ``viewport``, once
    the chart is drawn."""
    page.set_viewport_size(viewport)
    page.goto(url)
    page.locator(READY).wait_for(state="attached", timeout=60_000)
    return page


# ------------------------------------------------------------------ 5: no upload button
@pytest.mark.parametrize("where", ["dashboard", "snapshot", "site"])
def test_no_chart_offers_to_upload_it(browser, built, site_url, request, where) -> None:  # type: ignore[no-untyped-def]
    server = request.getfixturevalue("dashboard") if where == "dashboard" else None
    url = index_url(where, built, site_url, server)
    page = opened(browser, url, DESKTOP)
    try:
        expect(page.locator("#tl-chart .modebar-btn").first).to_be_attached()
        titles = page.evaluate(BUTTONS)
        assert set(titles) <= READER_BUTTONS, f"{where}: the toolbar offers {titles}"
        assert (
            page.locator(
                "#tl-chart a.js-plot-link-container, #tl-chart [data-title*='Chart Studio']"
            ).count()
            == 0
        )
        reopened(page, url, PHONE)  # a phone's window from the start, as a phone loads it
        assert page.evaluate(BUTTONS) == [], (
            f"{where}: a phone gets no toolbar (it covers the top lane)"
        )
    finally:
        page.context.close()


def test_the_embed_draws_no_chart(browser, site_url) -> None:  # type: ignore[no-untyped-def]
    page = open_page(browser, viewport=PHONE)
    try:
        page.goto(site_url + "embed.html", wait_until="load")
        expect(page.locator("body")).not_to_be_empty()
        assert page.locator(".modebar, .js-plotly-plot").count() == 0
        assert page.evaluate("() => typeof window.Plotly") == "undefined"
    finally:
        page.context.close()


def test_the_authoring_preview_offers_no_upload(browser, valid_folder) -> None:  # type: ignore[no-untyped-def]
    """The preview's figure, drawn as JupyterLab's plotly renderer draws it (data, layout, config)."""
    app = build_authoring(valid_folder)
    assert isinstance(app, AuthoringApp)
    (output,) = app.figure_out.outputs
    figure = output["data"]["application/vnd.plotly.v1+json"]
    page = open_page(browser, viewport=DESKTOP)
    try:
        page.set_content('<!DOCTYPE html><html><body><div id="fig"></div></body></html>')
        page.add_script_tag(content=plotly_js())
        page.evaluate("(f) => Plotly.newPlot('fig', f.data, f.layout, f.config)", figure)
        expect(page.locator("#fig .modebar-btn").first).to_be_attached()
        titles = page.evaluate(BUTTONS)
        assert set(titles) <= READER_BUTTONS, f"the preview's toolbar offers {titles}"
    finally:
        page.context.close()


# ------------------------------------------------------------------ 4: the chart agrees
#: The chart's markers as drawn: per trace with points, its name and what each point's hover says of
#: its verdict.
MARKERS = """() => document.getElementById('tl-chart').data
  .filter(t => t.mode === 'markers' && t.x.length).map(t => ({name: t.name, text: t.hovertext}))"""
PERIOD = "Period (a date or a span)"


@pytest.mark.parametrize("verdict", ["needs-context", "accurate"])
def test_markers_show_the_claims_in_view(browser, built, verdict) -> None:  # type: ignore[no-untyped-def]
    page = opened(browser, index_url("snapshot", built, "", None), DESKTOP)
    try:
        label = page.locator(f"#tl-filter-verdict option[value='{verdict}']").inner_text().strip()
        page.select_option("#tl-filter-verdict", verdict)
        expect(page.locator("#tl-chart .legendtext").first).to_have_text(label)
        drawn = page.evaluate(MARKERS)
        assert [t["name"] for t in drawn] == [label], (
            f"with the filter on {label}, the chart shows {drawn}"
        )
        shown = page.locator("#tl-list > li.tl-event:visible")
        assert len(drawn[0]["text"]) == shown.count(), "one marker per event in the list"
        for hover in drawn[0]["text"]:
            assert f"claims shown: {label}" in hover or f"1 claim shown: {label}" in hover, hover
        # the whole list again: an event's marker is the worst of all its claims, "worst of N"
        page.select_option("#tl-filter-verdict", "")
        expect(page.locator("#tl-chart .legendtext")).not_to_have_count(1)
        hovers = [h for t in page.evaluate(MARKERS) for h in t["text"]]
        assert any("Worst of " in h for h in hovers), (
            "an event with several claims says it is the worst of them"
        )
    finally:
        page.context.close()


@pytest.mark.parametrize("where", ["snapshot", "site"])
def test_the_chart_fits_a_phone(browser, built, site_url, where) -> None:  # type: ignore[no-untyped-def]
    page = opened(browser, index_url(where, built, site_url, None), PHONE)
    try:
        chart = page.locator("#tl-chart").bounding_box()
        title = page.locator("#tl-chart .xtitle").bounding_box()
        assert chart and title
        assert (
            chart["x"] <= title["x"] and title["x"] + title["width"] <= chart["x"] + chart["width"]
        ), f"the axis title ({title}) is cut by the chart ({chart})"
        legend = page.locator("#tl-chart .legendtext").all_text_contents()
        assert PERIOD in legend, f"the period bars have no legend entry: {legend}"
        assert page.locator("#tl-chart .modebar-btn").count() == 0, "no toolbar over the top lane"
    finally:
        page.context.close()


# ------------------------------------------------------------------ 3: filters in the address
def count_and_list(page: Any) -> tuple[str, int, int]:
    """The count line, and the events and claims the list shows."""
    count = page.locator("#tl-count").inner_text()
    events = page.locator("#tl-list > li.tl-event:visible").count()
    claims = page.locator("#tl-list li.tl-claim:visible").count()
    return count, events, claims


def show_filters(page: Any) -> None:
    """On a phone the filters sit behind the "Filter" button: open them."""
    toggle = page.locator("#tl-filter-toggle")
    if toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false":
        toggle.click()
    expect(page.locator("#tl-filters")).to_be_visible()


def assert_agrees(page: Any, verdict: str, search: str) -> None:
    expect(page.locator("#tl-filter-verdict")).to_have_value(verdict)
    expect(page.locator("#tl-search")).to_have_value(search)
    count, events, claims = count_and_list(page)
    assert count.startswith(f"{events} of ") and f", {claims} of " in count, (count, events, claims)
    assert not verdict or all(
        v == verdict
        for v in page.locator("#tl-list li.tl-claim:visible").evaluate_all(
            "els => els.map(e => e.getAttribute('data-verdict'))"
        )
    )


@pytest.mark.parametrize("where", ["site", "dashboard"])
def test_filters_survive_back_and_reload(browser, built, site_url, request, where) -> None:  # type: ignore[no-untyped-def]
    server = request.getfixturevalue("dashboard") if where == "dashboard" else None
    url = index_url(where, built, site_url, server)
    page = opened(browser, url, PHONE)
    try:
        show_filters(page)
        page.select_option("#tl-filter-verdict", "needs-context")
        page.fill("#tl-search", "spokesman")
        expect(page).to_have_url(f"{url}#q=spokesman&verdict=needs-context")
        expect(page.locator("#tl-count")).to_have_text(
            re.compile(r"^[1-9]\d* of \d+ events, [1-9]")
        )
        before = count_and_list(page)
        assert_agrees(page, "needs-context", "spokesman")
        # open a claim's own page, then Back
        page.locator("#tl-list li.tl-claim:visible .tl-permalink a").first.click()
        expect(page.locator("#timeline-app")).to_have_count(0)
        page.go_back()
        page.locator(READY).wait_for(state="attached", timeout=60_000)
        assert_agrees(page, "needs-context", "spokesman")
        assert count_and_list(page) == before
        # a reload, and the address shared with another reader
        page.reload()
        page.locator(READY).wait_for(state="attached", timeout=60_000)
        assert_agrees(page, "needs-context", "spokesman")
        assert count_and_list(page) == before
        # clearing the filters clears the address
        show_filters(page)
        page.click("#tl-clear")
        expect(page).to_have_url(url)
        assert_agrees(page, "", "")
    finally:
        page.context.close()


def test_a_shared_filtered_link_opens_that_view(browser, built) -> None:  # type: ignore[no-untyped-def]
    url = index_url("snapshot", built, "", None)
    page = opened(browser, url + "#verdict=disputed&lanes=actor", DESKTOP)
    try:
        assert_agrees(page, "disputed", "")
        expect(page.locator("#tl-lanes")).to_have_value("actor")
        # a link to a filtered view within the page (a hash change) applies it; Back undoes it
        page.evaluate("() => { location.hash = 'verdict=accurate' }")
        assert_agrees(page, "accurate", "")
        page.go_back()
        assert_agrees(page, "disputed", "")
    finally:
        page.context.close()


# ------------------------------------------------------------------ 7: what assistive technology hears
def ax_node(page: Any, selector: str) -> dict[str, Any]:
    """Chromium's accessibility node of the first element matching ``selector`` (over CDP)."""
    cdp = page.context.new_cdp_session(page)
    root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    assert node, f"no {selector} on the page"
    tree = cdp.send("Accessibility.getPartialAXTree", {"nodeId": node, "fetchRelatives": False})
    cdp.detach()
    return tree["nodes"][0]


def ax_value(node: dict[str, Any], key: str) -> str:
    return str((node.get(key) or {}).get("value", ""))


@pytest.mark.parametrize("where", ["snapshot", "dashboard"])
def test_the_chart_is_named_by_its_data_and_its_ticks_are_silent(
    browser, built, request, where
) -> None:  # type: ignore[no-untyped-def]
    server = request.getfixturevalue("dashboard") if where == "dashboard" else None
    page = opened(browser, index_url(where, built, "", server), DESKTOP, axe=True)
    try:
        chart = ax_node(page, "#tl-chart")
        name = ax_value(chart, "name")
        assert ax_value(chart, "role") == "figure", chart
        assert name.startswith("Timeline chart of 32 events from "), name
        assert "no claims checked" in name and "by category" in name, name
        svg = ax_node(page, "#tl-chart svg.main-svg")
        assert svg.get("ignored"), f"the chart's SVG (ticks, legend) is read out: {svg}"
        # the name follows the filter
        page.select_option("#tl-filter-verdict", "disputed")
        expect(page.locator("#tl-chart")).to_have_attribute(
            "aria-label", re.compile(r"^Timeline chart of 1 event on .*: 1 disputed\.$")
        )
        assert axe_violations(page) == []
    finally:
        page.context.close()


def test_the_dashboard_has_the_sites_landmarks(browser, dashboard) -> None:  # type: ignore[no-untyped-def]
    page = opened(browser, dashboard.url, PHONE, axe=True)
    try:
        assert ax_value(ax_node(page, "main"), "role") == "main"
        nav = page.get_by_role("navigation", name="This page")
        expect(nav).to_have_count(1)
        expect(nav.get_by_role("link", name="What the verdicts mean")).to_be_visible()
        expect(nav.get_by_role("link", name="Corrections")).to_have_attribute(
            "href", "#tl-corrections-h"
        )
        expect(page.locator("#tl-corrections-h")).to_have_count(1)
        page.keyboard.press("Tab")
        skip = page.locator(":focus")
        expect(skip).to_have_text("Skip to the timeline")
        page.keyboard.press("Enter")
        expect(page).to_have_url(re.compile("#tl-main$"))
        assert axe_violations(page) == []
    finally:
        page.context.close()


# ------------------------------------------------------------------ 2: the index on a phone
def test_a_phone_leads_with_the_verdict_counts(browser, built) -> None:  # type: ignore[no-untyped-def]
    page = opened(browser, index_url("snapshot", built, "", None), PHONE)
    try:
        strip = page.get_by_role("navigation", name="Claims by verdict")
        box = strip.bounding_box()
        assert box and box["y"] + box["height"] < PHONE["height"], (
            "the count strip is on the first screen"
        )
        claims = read_claims(built / "data")
        needs = sum(1 for c in claims if c["verdict"] == "needs-context")
        link = strip.get_by_role("link", name=re.compile("Needs context"))
        expect(link).to_contain_text(str(needs))
        link.click()
        expect(page.locator("#tl-filter-verdict")).to_have_value("needs-context")
        expect(page.locator("#tl-count")).to_contain_text(f", {needs} of {len(claims)} claims")
        # the filters sit behind one button; the folds are closed but in the HTML
        form, toggle = page.locator("#tl-filters"), page.locator("#tl-filter-toggle")
        expect(form).to_be_hidden()
        expect(toggle).to_have_text("Filter (1 on)")
        expect(toggle).to_have_attribute("aria-expanded", "false")
        toggle.click()
        expect(form).to_be_visible()
        expect(toggle).to_have_attribute("aria-expanded", "true")
        folds = page.locator("#tl-list details.tl-fold")
        assert folds.count() > 0 and page.locator("#tl-list details.tl-fold[open]").count() == 0
        assert (
            page.locator("#tl-list .tl-summary").count() > 0
            and page.locator("#tl-list a.tl-source").count() > 0
        )
        reopened(page, index_url("snapshot", built, "", None), DESKTOP)
        expect(page.locator("#tl-filters")).to_be_visible()
        expect(page.locator("#tl-filter-toggle")).to_be_hidden()
    finally:
        page.context.close()


def test_the_search_marks_its_matches(browser, built) -> None:  # type: ignore[no-untyped-def]
    page = opened(browser, index_url("snapshot", built, "", None) + "#q=cultural", PHONE)
    try:
        marks = page.locator("#tl-list mark.tl-match")
        expect(marks.first).to_be_visible()
        assert {t.lower() for t in marks.all_text_contents()} == {"cultural"}
        # a match in a folded summary opens its fold
        summary_mark = page.locator("#tl-list .tl-summary mark.tl-match").first
        expect(summary_mark).to_be_visible()
        show_filters(page)
        page.fill("#tl-search", "")
        expect(marks).to_have_count(0)
        expect(page.locator("#tl-list details.tl-fold[open]")).to_have_count(0)
    finally:
        page.context.close()


def test_a_governments_words_are_under_its_name(browser, built) -> None:  # type: ignore[no-untyped-def]
    """actor_groups.csv files the spokesman, "United Kingdom" and "UK Government" under one group."""
    folder = built / "data"
    names = {
        r["name"] for r in read_csv(folder / "actor_groups.csv") if r["group"] == "UK Government"
    }
    assert "Prime Minister's official spokesman" in names
    events = read_csv(folder / "events.csv")
    by_event: dict[str, set[str]] = {}
    for c in read_claims(folder):
        by_event.setdefault(c["event_id"], set()).add(c["claimant"])
    expected = {
        e["id"]
        for e in events
        if names & ({a.strip() for a in e["actors"].split(";")} | by_event.get(e["id"], set()))
    }
    page = opened(browser, index_url("snapshot", built, "", None), DESKTOP)
    try:
        page.select_option("#tl-filter-actor", label="UK Government (all 4 names)")
        expect(page).to_have_url(re.compile(r"#actor=group%3AUK\+Government$"))
        expect(page.locator("#tl-count")).to_have_text(re.compile(rf"^{len(expected)} of "))
        shown = {
            i[6:]
            for i in page.locator("#tl-list > li.tl-event:visible").evaluate_all(
                "els => els.map(e => e.id)"
            )
        }
        assert shown == expected
    finally:
        page.context.close()


def read_csv(path: Path) -> list[dict[str, str]]:
    import csv

    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def read_claims(folder: Path) -> list[dict[str, str]]:
    return read_csv(folder / "claims.csv")
