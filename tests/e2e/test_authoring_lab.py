"""The authoring app in a real JupyterLab 4, in headless Chromium, as an analyst uses it (#14).

One ``jupyter lab`` serves the module (port 0, token auth, a temporary root); each test opens
its own copy of ``notebooks/`` and ``data/`` in its own browser context. The in-process tests
(``test_authoring.py``) drive the widgets without a front-end; these catch what only a
front-end shows: a chart drawn 0 px tall, labels cut, Enter in an id field, a notebook
marked modified on open or saved with its widget output.
"""

from __future__ import annotations

import json
import platform
import re
from collections.abc import Iterator

import pytest
from click.testing import CliRunner
from lab_support import DIRTY, KERNEL_TIMEOUT, Lab, Notebook, make_copy
from playwright.sync_api import expect
from serve_support import ROOT

import timeline
from timeline.cli import cli
from timeline.views.figure import SHOW_ALL

pytestmark = [pytest.mark.browser, pytest.mark.server]

COMMITTED = json.loads((ROOT / "notebooks" / "authoring.ipynb").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    root = tmp_path_factory.mktemp("lab-root")
    server = Lab.start(root, tmp_path_factory.mktemp("lab-state"))
    yield server
    server.stop()


@pytest.fixture
def notebook(lab: Lab, page, request: pytest.FixtureRequest) -> Notebook:  # type: ignore[no-untyped-def]
    name = re.sub(r"\W", "-", request.node.name)
    copy = make_copy(lab.root, name)
    page.set_viewport_size({"width": 1400, "height": 1000})
    return Notebook(page, lab, copy / "notebooks" / "authoring.ipynb", workspace=name)


def saved(nb: Notebook) -> dict:
    return json.loads(nb.path.read_text(encoding="utf-8"))


def test_an_analyst_starts_a_story_from_an_empty_folder_saves_it_and_builds_its_site(
    lab: Lab, page, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    # The first hour (#21): JupyterLab on the authoring notebook with no story yet; the
    # story's title, a source, two events and two claims typed through the forms; one Save
    # writes every file; `timeline site` builds the site from them. No file is made by hand.
    copy = make_copy(lab.root, "new-story", data=False)
    folder = (
        copy / "notebooks" / "data"
    )  # where the app opens without TIMELINE_DATA or a data/ above
    page.set_viewport_size({"width": 1400, "height": 1000})
    notebook = Notebook(page, lab, copy / "notebooks" / "authoring.ipynb", workspace="new-story")

    # Opened, the notebook is unmodified once JupyterLab has the kernel's info (with the version
    # the file leaves out): closing the tab would ask nothing.
    notebook.open()
    recorded = notebook.kernel_recorded()
    assert recorded["language_info"]["version"] == platform.python_version()
    assert recorded["dirty"] is False
    expect(notebook.tab).not_to_have_class(DIRTY)
    notebook.run_all()
    notebook.wait_app(points=False)
    app = notebook.app
    expect(
        app.get_by_text("Not on disk yet: events.csv, claims.csv, sources.csv;", exact=False)
    ).to_be_visible()
    expect(app.get_by_text("file is missing", exact=False)).to_have_count(0)

    # The Story tab opens first and warns until the story has a title (as one types: no Tab).
    story = notebook.form("Story")
    warning = story.get_by_text("The story has no title", exact=False)
    expect(warning).to_be_visible()
    story.get_by_label("title", exact=True).fill("Talks in Geneva")
    expect(app.get_by_text("the story has no title", exact=False)).to_have_count(
        0
    )  # the health table's too
    story.get_by_label("standfirst", exact=True).fill("What was said at the March talks, checked.")

    events = notebook.form("Event")
    expect(
        events.get_by_text("No source yet: add one in the Source tab", exact=False)
    ).to_be_visible()
    sources = notebook.form("Source")
    expect(
        notebook.panel.get_by_text("The card of an event that cites this source appears here.")
    ).to_be_visible()
    expect(
        notebook.panel.get_by_text("The card of the event being drafted", exact=False)
    ).to_have_count(0)
    for label, value in [
        ("id *", "src-1"),
        ("title *", "Joint statement"),
        ("publisher *", "Ministry"),
        ("published", "2024-03-04"),
    ]:
        notebook.type_text(sources, label, value)
    sources.get_by_role("button", name="Add", exact=True).click()
    expect(sources.get_by_text("Added source 'src-1'", exact=False)).to_be_visible()

    events = notebook.form("Event")
    # A misspelt source id is the draft's problem, shown as one types (the folder holds no file yet).
    for label, value in [
        ("id *", "e1"),
        ("start *", "2024-03-04"),
        ("display_date", "Monday 4 March 2024, morning"),
        ("title *", "Talks open"),
        ("category *", "diplomacy"),
        ("location", "Geneva"),
    ]:
        events.get_by_label(label, exact=True).fill(value)
    wrong = notebook.add_id(events, "sources *", "src-l")
    expect(events.get_by_text("unknown source id 'src-l'", exact=False).first).to_be_visible()
    expect(events.get_by_text("The draft has no problems.")).to_have_count(0)
    wrong.get_by_role("button", name="Remove src-l").click()
    notebook.add_id(events, "sources *", "src-1")
    expect(events.get_by_text("The draft has no problems.")).to_be_visible()
    expect(
        notebook.panel.locator("li.tl-event", has_text="Talks open")
    ).to_be_visible()  # the draft's card
    events.get_by_role("button", name="Add", exact=True).click()
    expect(events.get_by_text("Added event 'e1'", exact=False)).to_be_visible()
    expect(events.get_by_role("button", name="Duplicate this row")).to_be_visible()
    # "Add new" is a blank form: nothing of e1 carried over.
    notebook.add_new(events)
    for label in ("display_date", "location", "title *", "as written"):
        expect(events.get_by_label(label, exact=True)).to_have_value("")
    expect(notebook.id_field(events, "sources *").get_by_role("listitem")).to_have_count(0)
    for label, value in [
        ("id *", "e2"),
        ("start *", "2024-03-05"),
        ("title *", "Talks close"),
        ("category *", "diplomacy"),
    ]:
        notebook.type_text(events, label, value)
    notebook.add_id(events, "sources *", "src-1")
    events.get_by_role("button", name="Add", exact=True).click()
    expect(events.get_by_text("Added event 'e2'", exact=False)).to_be_visible()

    claims = notebook.form("Claim")
    # Every field is whole: the checkbox label is not cut, none runs past the form's right edge.
    label = claims.get_by_text("said_in is a new source: create it in the same step", exact=True)
    expect(label).to_be_visible()
    assert label.evaluate("e => e.scrollWidth <= e.clientWidth"), "the checkbox label is cut"
    right = claims.bounding_box()["x"] + claims.bounding_box()["width"]  # type: ignore[index]
    fields = claims.locator(
        ".widget-text, .widget-textarea, .widget-dropdown, .timeline-idlist"
    ).filter(visible=True)
    assert fields.count() >= 9
    for field in fields.all():
        edge = field.bounding_box()
        assert edge is not None and edge["x"] + edge["width"] <= right + 0.5, (
            field.inner_text(),
            edge,
            right,
        )
    for n in (1, 2):
        if n == 2:
            notebook.add_new(claims)
        for label, value in [
            ("id *", f"c{n}"),
            ("event_id *", f"e{n}"),
            ("claimant *", "The minister"),
            ("claim *", f"Claim {n}, as said."),
            ("said_in *", "src-1"),
            ("rationale *", "Not checked yet."),
        ]:
            notebook.type_text(claims, label, value)
        claims.get_by_label("claimant_type", exact=True).select_option("person")
        notebook.pick_verdict(claims, "not-rated")
        notebook.type_text(claims, "reviewed *", "08/03/2024" if n == 1 else "2024-03-08")
        if n == 1:  # an ambiguous date: the field says why, and Add refuses with the reason
            expect(
                claims.get_by_text("'08/03/2024' is ambiguous", exact=False).first
            ).to_be_visible()
            claims.get_by_role("button", name="Add", exact=True).click()
            refusal = claims.get_by_text(re.compile(r"^Not applied: the draft has 1 error"))
            expect(refusal).to_be_visible()
            notebook.type_text(claims, "reviewed *", "2024-03-08")
            expect(refusal).to_have_count(0)
        claims.get_by_role("button", name="Add", exact=True).click()
        expect(claims.get_by_text(f"Added claim 'c{n}'", exact=False)).to_be_visible()

    status = notebook.save_data()
    expect(status).to_have_text(
        re.compile(r"^Saved events\.csv, claims\.csv, sources\.csv, story\.json\.")
    )
    ds = timeline.load(folder)
    assert ds.validate() == [] and ds.summary() == "2 events, 2 claims, 1 sources"
    assert ds.get("events", "e2")["display_date"] == "" and ds.get("events", "e2")["location"] == ""
    assert ds.get("claims", "c1")["claimant_type"] == "person"
    assert json.loads((folder / "story.json").read_text(encoding="utf-8")) == {
        "title": "Talks in Geneva",
        "standfirst": "What was said at the March talks, checked.",
    }

    result = CliRunner().invoke(cli, ["site", str(folder), "-o", str(tmp_path / "site")])
    assert result.exit_code == 0, result.output
    index = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "<title>Talks in Geneva" in index and "Talks open" in index and "Talks close" in index

    # A save keeps the app's output out of the file; after a restart, no "model not found".
    notebook.save_notebook()
    assert saved(notebook) == COMMITTED
    notebook.restart_kernel()
    page.reload()
    expect(notebook.tab).to_be_visible(timeout=KERNEL_TIMEOUT)  # JupyterLab restores its workspace
    notebook.wait_idle()
    expect(notebook.panel.locator(".jp-Cell")).to_have_count(len(COMMITTED["cells"]))
    expect(notebook.panel.locator(".jp-OutputArea-output")).to_have_count(0)  # nothing left to fail
    expect(page.get_by_text("model not found", exact=False)).to_have_count(0)
    assert not [e for e in page.console_errors if "model not found" in e]  # type: ignore[attr-defined]


def test_ids_typed_fast_all_arrive_whole_and_the_keyboard_edits_the_list(
    notebook: Notebook,
) -> None:
    # Typed as fast as keys go, each followed by Enter, "," or ";", right after a change that makes
    # the kernel redraw the preview: every key of every id arrives (a field the kernel clears lost
    # some). Backspace in the empty field removes the last id; pasted ids are split.
    notebook.open()
    notebook.run_all()
    notebook.wait_app()
    # The preview's chart has a height on first render, and opens on the dense period, as the
    # dashboard does; "Show the whole period" widens it.
    notebook.chart.scroll_into_view_if_needed()
    box = notebook.chart.bounding_box()
    assert box is not None and box["height"] >= 300, box
    ticks = notebook.chart.locator(".xtick text")
    expect(ticks.first).to_be_visible()
    assert not any("Jun" in t for t in ticks.all_text_contents()), ticks.all_text_contents()
    notebook.chart.get_by_text(SHOW_ALL).click()
    expect(ticks.filter(has_text="Jun")).not_to_have_count(0)

    form = notebook.form("Event")
    field = notebook.id_field(form, "sources *")
    entry = form.get_by_label("sources *", exact=True)
    typed = [f"fast-{k}-{'x' * k}" for k in range(6)]
    notebook.type_text(form, "title *", "A title: the kernel redraws the preview")
    entry.click()
    for k, item in enumerate(typed):
        entry.press_sequentially(item)
        entry.press(["Enter", ",", ";"][k % 3])
    items = field.get_by_role("listitem")
    expect(items).to_have_text([f"{item} (not a source id)×" for item in typed])
    expect(entry).to_have_value("")
    entry.press("Backspace")
    expect(items).to_have_count(len(typed) - 1)
    entry.fill("pasted-a; pasted-b, pasted-a")
    entry.press("Enter")
    expect(items.locator(".timeline-idlist-id")).to_have_text([*typed[:-1], "pasted-a", "pasted-b"])
    # what the kernel holds is what the field shows
    expect(
        form.get_by_text(re.compile(r"no source has the ids fast-0-, .*pasted-b"))
    ).to_be_visible()
