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
from lab_support import DIRTY, Lab, Notebook, claim_fields, make_copy
from playwright.sync_api import expect
from serve_support import ROOT

import timeline
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


def test_opening_the_notebook_leaves_it_unmodified_and_saving_it_leaves_the_file_as_committed(
        notebook: Notebook) -> None:
    notebook.open()
    # JupyterLab has recorded the started kernel's language_info (with the version the file
    # leaves out) and finds nothing changed: closing the tab would ask nothing.
    recorded = notebook.kernel_recorded()
    assert recorded["language_info"]["version"] == platform.python_version()
    assert recorded["dirty"] is False
    expect(notebook.tab).not_to_have_class(DIRTY)
    notebook.save_notebook()
    assert saved(notebook) == COMMITTED  # byte for byte (parsed) the committed notebook


def test_an_analyst_adds_a_claim_and_saves_it(notebook: Notebook) -> None:
    page = notebook.page
    folder = notebook.path.parent.parent / "data"
    before = timeline.load(folder)
    new = claim_fields(before)

    notebook.open()
    notebook.run_all()
    notebook.wait_app()

    # 1. The preview's chart is drawn with a height on first render.
    notebook.chart.scroll_into_view_if_needed()
    box = notebook.chart.bounding_box()
    assert box is not None and box["height"] >= 300, box
    # 2. It opens on the dense period, as the dashboard does; "Show the whole period" widens it.
    ticks = notebook.chart.locator(".xtick text")
    expect(ticks.first).to_be_visible()
    assert not any("Jun" in t for t in ticks.all_text_contents()), ticks.all_text_contents()
    notebook.chart.get_by_text(SHOW_ALL).click()
    expect(ticks.filter(has_text="Jun")).not_to_have_count(0)

    form = notebook.form("Claim")
    # 4. Add mode says "Add"; the checkbox label is whole; no field runs past the form's edge.
    add = form.get_by_role("button", name="Add", exact=True)
    expect(add).to_be_visible()
    label = form.get_by_text("said_in is a new source: create it in the same step", exact=True)
    expect(label).to_be_visible()
    assert label.evaluate("e => e.scrollWidth <= e.clientWidth"), "the checkbox label is cut"
    right = form.bounding_box()["x"] + form.bounding_box()["width"]  # type: ignore[index]
    fields = form.locator(".widget-text, .widget-textarea, .widget-dropdown, .timeline-idlist").filter(visible=True)
    assert fields.count() >= 8
    for field in fields.all():
        edge = field.bounding_box()
        assert edge is not None and edge["x"] + edge["width"] <= right + 0.5, (field.inner_text(), edge, right)

    # 3. The id-list field shows what it accepts; Enter adds the typed id, every key of it.
    entry = form.get_by_label("evidence", exact=True)
    expect(entry).to_have_attribute("placeholder", "type a source id and press Enter")
    expect(form.get_by_text(re.compile(r"^Accepts the ids of sources \(\d+, e\.g\. "))).to_be_visible()

    notebook.type_text(form, "id *", new["id"])
    notebook.type_text(form, "event_id *", new["event_id"])
    notebook.type_text(form, "claimant *", new["claimant"])
    notebook.type_text(form, "claim *", new["claim"])
    notebook.type_text(form, "said_in *", new["said_in"])
    notebook.pick_verdict(form, new["verdict"])
    notebook.type_text(form, "rationale *", new["rationale"])
    # An unknown id shows red and is named; its button removes it.
    wrong = notebook.add_id(form, "evidence", "no-such-source")
    expect(wrong).to_have_class(re.compile(r"\bis-unknown\b"))
    expect(wrong).to_contain_text("(not a source id)")
    expect(form.get_by_text("not sources ids: no-such-source", exact=False)).to_be_visible()
    wrong.get_by_role("button", name="Remove no-such-source").click()
    expect(wrong).to_have_count(0)
    expect(form.get_by_text("not sources ids", exact=False)).to_have_count(0)
    notebook.add_id(form, "evidence", new["evidence"])
    # A wrong date first: the field says why, and Add refuses with the reason.
    notebook.type_text(form, "reviewed *", "08/01/2020")
    expect(form.get_by_text("'08/01/2020' is ambiguous", exact=False).first).to_be_visible()
    add.click()
    refusal = form.get_by_text(re.compile(r"^Not applied: the draft has 1 error"))
    expect(refusal).to_be_visible()
    notebook.type_text(form, "reviewed *", new["reviewed"])
    expect(form.get_by_text("The draft has no problems.", exact=False)).to_be_visible()
    expect(refusal).to_have_count(0)  # no stale red message beside the green one
    add.click()
    expect(form.get_by_text(f"Added claim '{new['id']}'", exact=False)).to_be_visible()
    expect(form.get_by_text(f"The form now edits '{new['id']}'", exact=False)).to_be_visible()
    expect(form.get_by_role("button", name="Apply changes", exact=True)).to_be_visible()

    notebook.save_data()
    after = timeline.load(folder)
    assert len(after.claims) == len(before.claims) + 1
    row = after.get("claims", new["id"])
    assert {k: row[k] for k in new} == new  # what was typed, exactly
    assert {k: v for k, v in row.items() if k not in new and v} == {}  # nothing else was filled in
    assert set(after.ids("claims")) - set(before.ids("claims")) == {new["id"]}

    # 5. A save keeps the app's output out of the file; after a restart, no "model not found".
    notebook.save_notebook()
    assert saved(notebook) == COMMITTED
    notebook.restart_kernel()
    page.reload()
    expect(notebook.tab).to_be_visible()
    notebook.wait_idle()
    expect(notebook.panel.locator(".jp-Cell")).to_have_count(len(COMMITTED["cells"]))
    expect(notebook.panel.locator(".jp-OutputArea-output")).to_have_count(0)  # nothing left to fail
    expect(page.get_by_text("model not found", exact=False)).to_have_count(0)
    assert not [e for e in page.console_errors if "model not found" in e]  # type: ignore[attr-defined]


def test_ids_typed_fast_all_arrive_whole_and_the_keyboard_edits_the_list(notebook: Notebook) -> None:
    # Typed as fast as keys go, each followed by Enter, "," or ";", right after a change that makes
    # the kernel redraw the preview: every key of every id arrives (a field the kernel clears lost
    # some). Backspace in the empty field removes the last id; pasted ids are split.
    notebook.open()
    notebook.run_all()
    notebook.wait_app()
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
    expect(form.get_by_text(re.compile(r"not sources ids: fast-0-, .*pasted-b"))).to_be_visible()
