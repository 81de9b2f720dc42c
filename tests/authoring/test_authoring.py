"""The authoring app driven in-process: set widget values, press the buttons, check the files written."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import ipywidgets as widgets
import pytest

import timeline
from timeline.authoring import AuthoringApp, build_authoring
from timeline.authoring.fields import IdList
from timeline.authoring.render import reading_html
from timeline.core import dataset as dataset_module
from timeline.core.schema import VERDICTS

FILES = ("claims.csv", "events.csv", "sources.csv")


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def fill(form, **values) -> None:
    """Type ``values`` into a form's fields (or into a dict of field widgets)."""
    fields = form if isinstance(form, dict) else form.fields
    for name, value in values.items():
        fields[name].value = value


def text(html: str) -> str:
    """HTML as the analyst reads it (entities unescaped)."""
    import html as html_module

    return html_module.unescape(html)


def edit(form, id: str) -> None:
    """Edit existing: pick the row ``id``."""
    form.mode.value = "edit"
    form.pick.value = id


@pytest.fixture
def app(valid_folder) -> AuthoringApp:
    built = build_authoring(valid_folder)
    assert isinstance(built, AuthoringApp)
    return built


def add_talks(app: AuthoringApp, **overrides) -> None:
    form = app.forms["events"]
    values = {
        "id": "talks",
        "start": "2020-01-06",
        "display_date": "Monday 6 January 2020, afternoon (UTC+00:00)",
        "title": "Johnson convenes senior ministers",
        "category": "diplomacy",
        "actors": "Boris Johnson; Dominic Raab",
        "sources": ["src-a"],
    }
    fill(form, **{**values, **overrides})


# ------------------------------------------------------------------ health
def test_health_shows_counts_and_every_problem(valid_folder):
    claims = valid_folder / "claims.csv"
    claims.write_text(
        claims.read_text(encoding="utf-8").replace("not-rated", "Flase"), encoding="utf-8"
    )
    app = build_authoring(valid_folder)
    health = text(app.health.value)
    assert "3 events · 2 claims · 2 sources" in health.replace("<b>", "").replace("</b>", "")
    assert "<th>file</th><th>line</th><th>column</th><th>message</th>" in health
    assert "<td>claims.csv</td><td>3</td><td>verdict</td><td>'Flase' is not a verdict;" in health
    # fixing it in the form clears the problem from the health panel
    form = app.forms["claims"]
    edit(form, "appeal")
    assert form.fields["verdict"].value == "Flase"
    form.fields["verdict"].value = "not-rated"
    form.apply_button.click()
    assert "0</b> errors" in app.health.value
    app.save_button.click()
    assert timeline.load(valid_folder).errors() == []


def test_a_folder_that_cannot_be_read_gives_a_message(tmp_path, valid_folder):
    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
    shown = build_authoring(tmp_path / "a-file")
    assert isinstance(shown, widgets.HTML)
    assert "a-file is a file, not a folder; give the story's folder" in text(shown.value)
    (valid_folder / "story.json").write_text('{"title": "A",\n', encoding="utf-8")
    shown = build_authoring(valid_folder)
    assert isinstance(shown, widgets.HTML)
    assert (
        "story.json:2: story.json is not valid UTF-8 JSON" in text(shown.value)
        and "Traceback" not in shown.value
    )


# --------------------------------------------------------- a story from nothing
def add_row(app: AuthoringApp, table: str, **values) -> None:
    form = app.forms[table]
    fill(form, **values)
    form.apply_button.click()
    assert "Added" in form.status.value, text(form.status.value)


@pytest.mark.parametrize("made", [False, True], ids=["missing folder", "empty folder"])
def test_a_story_starts_from_an_empty_or_missing_folder_and_its_save_creates_the_files(
    tmp_path, made
):
    folder = tmp_path / "desk" / "story"
    if made:
        folder.mkdir(parents=True)
    app = build_authoring(folder)
    assert isinstance(app, AuthoringApp)
    health = text(app.health.value)
    assert "file is missing" not in health and "0</b> errors" in health
    assert (
        "Not on disk yet: events.csv, claims.csv, sources.csv; <b>Review & save</b> creates them."
        in health
    )
    assert (
        health.count("the story has no title") == 1
    )  # a warning, the working title's (not the file's)
    assert "holds no story" not in health
    assert (
        "No source yet: add one in the Source tab, then type its id here and press Enter."
        in text(app.forms["events"].readings["sources"].value)
    )

    # A misspelt source id is the draft's problem, whatever is (not) on disk.
    add_row(
        app, "sources", id="src-1", title="Statement", publisher="Ministry", published="2024-03-04"
    )
    events = app.forms["events"]
    fill(
        events,
        id="e1",
        start="2024-03-04",
        title="Talks open",
        category="diplomacy",
        sources=["src-l"],
    )
    draft = text(events.draft_html.value)
    assert "unknown source id 'src-l'" in draft and "The draft has no problems" not in draft
    assert (
        "✗ no source has the id src-l (remove it with its ×, or add the source in the Source tab)"
        in text(events.readings["sources"].value)
    )
    events.fields["sources"].value = ["src-1"]
    assert "The draft has no problems." in events.draft_html.value
    events.apply_button.click()
    events.mode.value = "add"
    add_row(
        app,
        "events",
        id="e2",
        start="2024-03-05",
        title="Talks close",
        category="diplomacy",
        sources=["src-1"],
    )
    for n in (1, 2):
        add_row(
            app,
            "claims",
            id=f"c{n}",
            event_id=f"e{n}",
            claimant="A minister",
            claim=f"Claim {n}.",
            said_in="src-1",
            verdict="not-rated",
            rationale="Not checked yet.",
            reviewed="2024-03-06",
        )
        app.forms["claims"].mode.value = "add"
    assert "file is missing" not in text(app.health.value)
    app.story.title.value = "A desk's own story"
    app.story.standfirst.value = "What happened at the talks."
    health = text(app.health.value)
    assert (
        "the story has no title" not in health
        and "Not on disk yet: events.csv, claims.csv, sources.csv, story.json;" in health
    )
    assert "<td>title</td><td></td><td>A desk's own story</td>" in text(app.changes.value)
    assert not folder.exists() or not any(folder.iterdir()), "nothing is written before Save"

    app.save_button.click()
    assert text(app.save_status.value).startswith(
        '<div style="color:#1a7f37;white-space:pre-wrap">Saved events.csv, claims.csv, sources.csv, story.json.'
    )
    assert sorted(p.name for p in folder.iterdir()) == [
        "claims.csv",
        "events.csv",
        "sources.csv",
        "story.json",
    ]
    ds = timeline.load(folder)
    assert ds.validate() == [] and ds.summary() == "2 events, 2 claims, 1 sources"
    assert json.loads((folder / "story.json").read_text(encoding="utf-8")) == {
        "title": "A desk's own story",
        "standfirst": "What happened at the talks.",
    }
    assert "not on disk yet" not in app.health.value and "No unsaved changes." in app.changes.value


def test_a_missing_file_is_a_table_the_save_creates_not_an_error(valid_folder):
    (valid_folder / "claims.csv").unlink()
    app = build_authoring(valid_folder)
    health = text(app.health.value)
    assert "file is missing" not in health and "0</b> errors" in health
    assert "Not on disk yet: claims.csv; <b>Review & save</b> creates it." in health
    app.save_button.click()
    assert "Saved claims.csv." in app.save_status.value
    assert (valid_folder / "claims.csv").read_text(encoding="utf-8") == (
        "id,event_id,claimant,claim,said_in,verdict,rationale,evidence,reviewed\n"
    )


def test_the_story_tab_warns_without_a_title_and_saves_story_json_keeping_other_keys(
    app, valid_folder
):
    assert (
        "⚠ The story has no title: the site, share cards and snapshot are headed 'Fact-check timeline'."
        in (text(app.story.warning.value))
    )
    app.story.title.value = "Soleimani"
    assert app.story.warning.value == ""
    app.save_button.click()
    assert "Saved story.json." in app.save_status.value
    assert (valid_folder / "story.json").read_text(encoding="utf-8") == (
        '{\n  "title": "Soleimani",\n  "standfirst": ""\n}\n'
    )
    # a key the app does not edit is kept
    (valid_folder / "story.json").write_text(
        '{"title": "T", "language": "en", "standfirst": "S"}', encoding="utf-8"
    )
    again = build_authoring(valid_folder)
    assert (again.story.title.value, again.story.standfirst.value) == ("T", "S")
    again.story.standfirst.value = "Ünïcode stays as typed"
    again.save_button.click()
    assert json.loads((valid_folder / "story.json").read_text(encoding="utf-8")) == {
        "title": "T",
        "language": "en",
        "standfirst": "Ünïcode stays as typed",
    }


def test_a_story_json_changed_on_disk_refuses_the_save(app, valid_folder):
    app.story.title.value = "Mine"
    add_talks(app)
    app.forms["events"].apply_button.click()
    (valid_folder / "story.json").write_text('{"title": "A colleague\'s"}', encoding="utf-8")
    before = snapshot(valid_folder)
    app.save_button.click()
    assert "story.json changed on disk since it was loaded" in text(app.save_status.value)
    assert snapshot(valid_folder) == before  # neither story.json nor events.csv


def test_reload_asks_before_it_discards_unsaved_edits(app, valid_folder):
    app.reload_button.click()  # nothing unsaved: at once
    assert app.confirm.layout.display == "none" and "Reloaded" in app.save_status.value
    add_talks(app)
    app.forms["events"].apply_button.click()
    app.reload_button.click()
    assert app.confirm.layout.display == "" and "talks" in app.ds.ids("events")
    assert "You have unsaved changes (see above). Reloading discards them." in text(
        app.confirm.children[0].value
    )
    app.keep_button.click()
    assert app.confirm.layout.display == "none" and "talks" in app.ds.ids("events")
    app.story.title.value = "Only the title changed"
    app.forms["events"].mode.value = "edit"
    app.reload_button.click()
    app.discard_button.click()
    assert app.confirm.layout.display == "none"
    assert "talks" not in app.ds.ids("events") and app.story.title.value == ""
    assert "unsaved edits were discarded" in app.save_status.value
    assert "talks" not in timeline.load(valid_folder).ids("events")


def test_add_new_is_a_blank_form_and_duplicate_copies_all_but_the_id(app):
    form = app.forms["events"]
    edit(form, "strike")
    form.phrase.value = "tomorrow morning"
    form.resolve_button.click()
    assert form.resolve_note.value
    form.mode.value = "add"
    assert {k: v for k, v in form.draft().items() if v} == {}
    assert (
        list(form.fields["sources"].value) == []
        and form.phrase.value == ""
        and form.resolve_note.value == ""
    )
    assert "Fill in the form" in form.draft_html.value

    edit(form, "strike")
    row = app.ds.get("events", "strike")
    assert form.duplicate_button.layout.display == ""
    form.duplicate_button.click()
    assert form.mode.value == "add" and form.draft() == {**row, "id": ""}
    assert "A copy of event 'strike': give it an id of its own" in text(form.status.value)
    form.fields["id"].value = "strike-2"
    form.apply_button.click()
    assert app.ds.get("events", "strike-2") == {**row, "id": "strike-2"}


def test_the_relative_date_note_clears_when_another_event_is_edited(app):
    form = app.forms["events"]
    edit(form, "briefing")
    form.phrase.value = "tomorrow morning"
    form.resolve_button.click()
    assert "tomorrow morning" in text(form.resolve_note.value)
    form.pick.value = "statement"
    assert (form.phrase.value, form.resolve_note.value) == ("", "")


def test_claimant_type_is_a_choice_of_the_schemas_values(app, valid_folder):
    from timeline.core.schema import CLAIMANT_TYPES

    field = app.forms["claims"].fields["claimant_type"]
    assert isinstance(field, widgets.Dropdown)
    assert [key for _label, key in field.options] == ["", *CLAIMANT_TYPES]
    form = app.forms["claims"]
    edit(form, "appeal")
    field.value = "organization"
    form.apply_button.click()
    app.save_button.click()
    assert timeline.load(valid_folder).get("claims", "appeal")["claimant_type"] == "organization"


def test_text_fields_update_the_draft_as_one_types():
    # continuous_update: the browser sends each key, not only the field's blur (the lab test types)
    app = AuthoringApp(Path(__file__).resolve().parents[1] / "data" / "valid")
    texts = [
        f
        for form in app.forms.values()
        for f in form.fields.values()
        if isinstance(f, widgets.Text | widgets.Textarea)
    ]
    assert len(texts) >= 15 and all(f.continuous_update for f in texts)
    assert all(f.continuous_update for f in (app.story.title, app.story.standfirst))


def test_the_preview_placeholder_says_what_the_tab_shows(app):
    for index, words in [
        (1, "The card of the event being drafted appears here."),
        (2, "The card of the claim's event (event_id), with the claim, appears here."),
        (3, "The card of an event that cites this source appears here."),
    ]:
        app.tabs.selected_index = index
        assert text(app.card.value) == f"<p><i>{words}</i></p>"
    app.tabs.selected_index = 0  # the Story tab drafts no card
    assert app.card.value == ""


# ------------------------------------------------------------------- forms
def test_a_valid_add_is_written_as_one_new_line(app, valid_folder):
    before = snapshot(valid_folder)
    add_talks(app)
    form = app.forms["events"]
    assert "The draft has no problems." in form.draft_html.value
    form.apply_button.click()
    assert "Added event 'talks'" in text(form.status.value)
    assert snapshot(valid_folder) == before, "nothing is written before Save"
    assert (
        "+ talks" not in app.changes.value and "<td>added</td><td>talks</td>" in app.changes.value
    )
    app.save_button.click()
    assert "Saved events.csv." in app.save_status.value
    after = snapshot(valid_folder)
    assert after["events.csv"] == before["events.csv"] + (
        b'talks,2020-01-06,,"Monday 6 January 2020, afternoon (UTC+00:00)",Johnson convenes senior ministers,,'
        b"diplomacy,Boris Johnson; Dominic Raab,,src-a\n"
    )
    assert {k: after[k] for k in ("claims.csv", "sources.csv")} == {
        k: before[k] for k in ("claims.csv", "sources.csv")
    }
    assert timeline.load(valid_folder).errors() == []


def test_an_invalid_add_is_refused_with_the_message(app, valid_folder):
    before = snapshot(valid_folder)
    add_talks(app, start="2020-01-06T14:00", sources=[])
    form = app.forms["events"]
    draft = text(form.draft_html.value)
    assert "'2020-01-06T14:00' has a time but no UTC offset" in draft
    assert "<td>new</td><td>sources</td>" in draft and "at least one source" in draft
    form.apply_button.click()
    status = text(form.status.value)
    assert status.startswith('<div style="color:#b3261e')
    assert "Not applied: the draft has 2 errors" in status
    assert "events.csv: start: '2020-01-06T14:00' has a time but no UTC offset" in status
    assert "talks" not in app.ds.ids("events")
    app.save_button.click()
    assert snapshot(valid_folder) == before


def test_an_edit_changes_one_line(app, valid_folder):
    before = (valid_folder / "claims.csv").read_bytes()
    form = app.forms["claims"]
    edit(form, "right-to-act")
    assert form.fields["verdict"].value == "disputed"
    assert list(form.fields["evidence"].value) == ["src-b"]
    form.fields["rationale"].value = "Contested by the UN special rapporteur."
    form.apply_button.click()
    assert "Updated claim 'right-to-act'" in text(form.status.value)
    assert "rationale: 'Contested.' -> 'Contested by the UN special rapporteur.'" in text(
        app.changes.value
    )
    app.save_button.click()
    after = (valid_folder / "claims.csv").read_bytes()
    old, new = before.split(b"\n"), after.split(b"\n")
    assert len(old) == len(new)
    assert [i for i, (a, b) in enumerate(zip(old, new)) if a != b] == [1]
    assert new[1].endswith(b",disputed,Contested by the UN special rapporteur.,src-b,2026-11-25")


def test_a_remove_blocked_by_a_reference(app, valid_folder):
    before = snapshot(valid_folder)
    form = app.forms["sources"]
    edit(form, "src-a")
    form.remove_button.click()
    assert text(form.status.value).endswith(
        "Not removed: cannot remove source 'src-a': it is referenced by events/strike (sources), "
        "events/briefing (sources), claims/right-to-act (said_in), claims/appeal (said_in); "
        "remove or change those first</div>"
    )
    assert "src-a" in app.ds.ids("sources")
    # an unreferenced row goes
    claims = app.forms["claims"]
    edit(claims, "appeal")
    claims.remove_button.click()
    assert "Removed claim 'appeal'" in text(claims.status.value)
    app.save_button.click()
    assert b"appeal," not in (valid_folder / "claims.csv").read_bytes()
    assert snapshot(valid_folder)["sources.csv"] == before["sources.csv"]


def test_a_new_claim_creates_its_source_in_the_same_step(app, valid_folder):
    form = app.forms["claims"]
    fill(
        form,
        id="no-warning",
        event_id="briefing",
        claimant="Prime Minister's official spokesman",
        claim="The UK was given no prior warning of the attack.",
        said_in="src-raab",
        verdict="accurate",
        rationale="The Foreign Secretary said so.",
        reviewed="2020-01-07",
    )
    assert "unknown source id 'src-raab'" in text(form.draft_html.value)
    form.create_source.value = True
    fill(
        form.source_fields,
        title="Raab statement on Soleimani",
        publisher="Foreign Office",
        url="javascript:alert(1)",
    )
    assert "is not an absolute http(s) URL" in text(form.draft_html.value)
    form.apply_button.click()
    assert "Not applied" in form.status.value and "src-raab" not in app.ds.ids("sources")
    form.source_fields[
        "url"
    ].value = "https://www.gov.uk/government/news/foreign-secretary-statement"
    form.source_fields["published"].value = "2020-01-03"
    assert "The draft has no problems." in form.draft_html.value
    form.apply_button.click()
    assert "Added claim 'no-warning' and source 'src-raab'" in text(form.status.value)
    app.save_button.click()
    ds = timeline.load(valid_folder)
    assert ds.errors() == []
    assert ds.get("claims", "no-warning")["said_in"] == "src-raab"
    assert ds.get("sources", "src-raab")["publisher"] == "Foreign Office"


def test_verdicts_show_their_meanings_and_ids_are_searchable(app):
    form = app.forms["claims"]
    labels = [label for label, _key in form.fields["verdict"].options]
    for v in VERDICTS:
        assert f"{v.label} — {v.meaning}" in labels
    form.fields["verdict"].value = "needs-context"
    assert "Accurate as far as it goes" in form.readings["verdict"].value
    assert isinstance(form.fields["event_id"], widgets.Combobox)
    assert list(form.fields["event_id"].options) == ["strike", "statement", "briefing"]
    assert list(form.fields["said_in"].options) == ["src-a", "src-b"]
    evidence = form.fields["evidence"]
    assert isinstance(evidence, IdList)
    assert list(evidence.options) == ["src-a", "src-b"]  # the field suggests the known ids
    assert "Accepts the ids of sources (2: src-a, src-b; " in form.readings["evidence"].value
    evidence.value = ["src-a", "src-x"]
    assert "no source has the id src-x" in form.readings["evidence"].value
    assert list(evidence.unknown) == ["src-x"]  # shown red in the field
    assert list(form.pick.options) == ["right-to-act", "appeal"]


def test_a_date_field_shows_how_it_will_read(app):
    form = app.forms["events"]
    form.fields["start"].value = "2020-01-03T00:47+03:00"
    assert "reads: Friday 3 January 2020, 00:47 (UTC+03:00)" in form.readings["start"].value
    form.fields["start"].value = "03/01/2020"
    assert "'03/01/2020' is ambiguous" in text(form.readings["start"].value)
    assert reading_html("2020-01") == '<span style="color:#1a7f37">reads: January 2020</span>'


def test_relative_dates_fill_the_date_fields(app):
    form = app.forms["events"]
    form.fields["sources"].value = ["src-a"]  # published 2020-01-06T12:31+00:00: the dateline
    form.phrase.value = "He will then chair a National Security Council tomorrow morning"
    form.resolve_button.click()
    assert form.fields["start"].value == "2020-01-07"
    assert form.fields["end"].value == ""
    assert form.fields["display_date"].value == "Tuesday 7 January 2020, morning (UTC+00:00)"
    assert "no time is invented" in form.resolve_note.value
    form.phrase.value = "this weekend"
    form.dateline.value = "2020-01-06T12:31+00:00"
    form.resolve_button.click()
    assert (form.fields["start"].value, form.fields["end"].value) == ("2020-01-04", "2020-01-05")
    form.phrase.value = "soon"
    form.resolve_button.click()
    assert "holds no date I can read" in text(form.resolve_note.value)


def test_the_preview_shows_the_timeline_and_the_drafts_card(app):
    add_talks(app, title="Crisis talks <b>draft</b>")
    card = app.card.value
    assert 'id="event-talks"' in card
    assert "Crisis talks &lt;b&gt;draft&lt;/b&gt;" in card, "the draft's text is escaped"
    (output,) = app.figure_out.outputs
    figure = output["data"]["application/vnd.plotly.v1+json"]
    assert figure["data"], "the timeline figure has traces"
    assert "4 events" in output["data"]["text/plain"]
    claims = app.forms["claims"]
    claims.fields["event_id"].value = "strike"
    assert 'id="event-strike"' in app.card.value


# -------------------------------------------------------------------- save
def test_save_shows_the_diff_and_refuses_an_invalid_dataset(app, valid_folder):
    before = snapshot(valid_folder)
    app.ds.update(
        "claims", "appeal", verdict="Flase"
    )  # the library can make it invalid; save still refuses
    app.changed()
    assert "<td>claims.csv</td><td>0</td><td>1</td><td>0</td>" in app.changes.value
    assert "-appeal," in app.changes.value and "+appeal," in app.changes.value
    app.save_button.click()
    status = text(app.save_status.value)
    assert "Not saved: the data has 1 error(s); nothing was written." in status
    assert "'Flase' is not a verdict" in status
    assert snapshot(valid_folder) == before


def test_save_after_an_outside_change_is_refused(app, valid_folder):
    add_talks(app)
    app.forms["events"].apply_button.click()
    outside = (
        (valid_folder / "sources.csv")
        .read_text(encoding="utf-8")
        .replace("Example article B", "Colleague")
    )
    (valid_folder / "sources.csv").write_text(outside, encoding="utf-8")
    before = snapshot(valid_folder)
    app.save_button.click()
    status = text(app.save_status.value)
    assert "Not saved: " in status and "sources.csv changed on disk since it was loaded" in status
    assert "Reload from disk" in status
    assert snapshot(valid_folder) == before
    app.reload_button.click()
    app.discard_button.click()  # Reload asks first (tested below)
    assert "talks" not in app.ds.ids("events")
    assert app.ds.get("sources", "src-b")["title"] == "Colleague"


def test_two_concurrent_saves_never_interleave(valid_folder, monkeypatch):
    one, two = build_authoring(valid_folder), build_authoring(valid_folder)
    add_talks(one)
    one.forms["events"].apply_button.click()
    form = two.forms["events"]
    edit(form, "strike")
    form.fields["title"].value = "Two's title"
    form.apply_button.click()
    inside, release = threading.Event(), threading.Event()
    commit = dataset_module._commit

    def slow_commit(folder, texts):
        inside.set()
        assert release.wait(120)
        commit(folder, texts)

    monkeypatch.setattr(dataset_module, "_commit", slow_commit)
    saver = threading.Thread(target=one.save_button.click)
    saver.start()
    assert inside.wait(120)
    two.save_button.click()  # while one is writing
    assert "another save is in progress" in text(two.save_status.value)
    release.set()
    saver.join(120)
    assert not saver.is_alive(), "the first save never finished"
    assert "Saved events.csv." in one.save_status.value
    two.save_button.click()  # and after: the files it loaded are gone
    assert "changed on disk since it was loaded" in text(two.save_status.value)
    ds = timeline.load(valid_folder)
    assert (
        "talks" in ds.ids("events")
        and ds.get("events", "strike")["title"] == "US strike kills Soleimani"
    )
    assert sorted(p.name for p in valid_folder.iterdir()) == list(FILES)


def test_a_marked_notebook_is_saved_without_outputs_and_others_as_they_are():
    from timeline.authoring.savehook import strip_outputs

    def model(meta):
        cell = {
            "cell_type": "code",
            "execution_count": 3,
            "metadata": {},
            "source": "app",
            "outputs": [{"output_type": "execute_result", "data": {"text/plain": "x"}}],
        }
        nb = {
            "cells": [cell],
            "metadata": {
                "language_info": {"name": "python", "version": "3.11.7"},
                "widgets": {"state": {}},
                **meta,
            },
        }
        return {"type": "notebook", "content": nb}

    marked = model({"timeline": {"save_outputs": False}})
    strip_outputs(marked, path="notebooks/authoring.ipynb")
    cell = marked["content"]["cells"][0]
    assert cell["outputs"] == [] and cell["execution_count"] is None
    assert marked["content"]["metadata"] == {
        "language_info": {"name": "python"},
        "timeline": {"save_outputs": False},
    }
    other = model({})
    strip_outputs(other, path="notebooks/other.ipynb")
    assert other == model({})


def test_an_id_list_keeps_what_was_typed_and_marks_what_is_not_known(app):
    # Typing, Enter and the remove buttons are the browser's (tests/e2e/test_authoring_lab.py); here
    # what the kernel does with the list it is sent.
    form = app.forms["claims"]
    ids = form.fields["evidence"]
    assert isinstance(ids, IdList)
    assert (ids.description, ids.placeholder, ids.noun) == (
        "evidence",
        "type a source id and press Enter",
        "source",
    )
    ids.value = ["src-b", "src-a", "SRC-C"]
    assert list(ids.unknown) == ["SRC-C"]  # kept as typed: never changed, never refused
    assert "no source has the id SRC-C (remove it" in text(form.readings["evidence"].value)
    assert form.draft()["evidence"] == "src-b;src-a;SRC-C"
    ids.remove("SRC-C")
    assert (list(ids.value), list(ids.unknown)) == (["src-b", "src-a"], [])
    assert "no source has" not in form.readings["evidence"].value
    edit(form, "right-to-act")  # a row's list fills the field
    assert list(ids.value) == ["src-b"]


def test_a_marked_notebook_opens_with_the_python_version_its_kernel_will_report():
    import asyncio
    import platform
    from concurrent.futures import ThreadPoolExecutor

    from timeline.authoring.savehook import _with_version, add_python_version

    def model(meta, info=None):
        info = {"name": "python", "pygments_lexer": "ipython3"} if info is None else info
        return {
            "type": "notebook",
            "content": {"cells": [], "metadata": {"language_info": info, **meta}},
        }

    marked = model({"timeline": {"save_outputs": False}})
    add_python_version(marked)
    assert marked["content"]["metadata"]["language_info"]["version"] == platform.python_version()
    kept = model({"timeline": {"save_outputs": False}}, {"name": "python", "version": "3.9.1"})
    add_python_version(kept)  # a version in the file is the file's
    assert kept["content"]["metadata"]["language_info"]["version"] == "3.9.1"
    for other in (model({}), model({"timeline": {"save_outputs": False}}, {"name": "R"})):
        before = json.loads(json.dumps(other))
        add_python_version(other)
        assert other == before
    listing = {"type": "directory", "content": []}
    add_python_version(listing)
    assert listing == {"type": "directory", "content": []}

    # The contents manager's get, sync or async, is followed by it.
    def get(path, content=True):
        return model({"timeline": {"save_outputs": False}})

    async def aget(path, content=True):
        return get(path, content)

    assert _with_version(get)("a.ipynb")["content"]["metadata"]["language_info"]["version"]
    # in a thread of its own: a browser test before this one leaves Playwright's loop running in this one
    with ThreadPoolExecutor(1) as pool:
        got = pool.submit(asyncio.run, _with_version(aget)("a.ipynb")).result(timeout=60)
    assert got["content"]["metadata"]["language_info"]["version"]
