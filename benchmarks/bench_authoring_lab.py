"""Benchmark: the authoring notebook in a real JupyterLab, as an analyst uses it (#14).

Prints figures; asserts nothing. One ``jupyter lab`` (port 0, token auth) on a temporary copy
of ``notebooks/`` and ``data/``; headless Chromium (Debian's, the tests' flags). Per run, in a
fresh browser context and copy, the median of ``--runs``:

1. open to app ready: from navigating to the notebook until Run All has drawn the app and its
   preview chart's markers (the kernel's start, imports and first render included);
2. add: typing a claim into the form (fields, verdict, evidence id) until "Added claim";
3. save: from clicking "Save to data/" until "Saved claims.csv";
4. notebook save: File > Save until the server has answered (the save hook included);
5. Enter to id shown: pressing Enter in an id-list field until the id's item is drawn (the
   browser's own work: the field does not wait for the kernel), median of 5 ids per run.

    .venv/bin/python benchmarks/bench_authoring_lab.py --runs 3 [--json FILE]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests")]

from conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from figures import add_json_option, write_json  # noqa: E402
from lab_support import Lab, Notebook, claim_fields, make_copy  # noqa: E402
from playwright.sync_api import expect, sync_playwright  # noqa: E402

import timeline  # noqa: E402


def one_run(browser, lab: Lab, name: str) -> dict[str, float]:  # type: ignore[no-untyped-def]
    copy = make_copy(lab.root, name)
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    nb = Notebook(page, lab, copy / "notebooks" / "authoring.ipynb", workspace=name)
    new = claim_fields(timeline.load(copy / "data"))
    t0 = time.perf_counter()
    nb.open()
    nb.run_all()
    nb.wait_app()
    t1 = time.perf_counter()
    form = nb.form("Claim")
    for label in ("id", "event_id", "claimant", "claim", "said_in", "rationale", "reviewed"):
        nb.type_text(form, f"{label} *", new[label])
    nb.pick_verdict(form, new["verdict"])
    nb.add_id(form, "evidence", new["evidence"])
    expect(form.get_by_text("The draft has no problems.", exact=False)).to_be_visible()
    form.get_by_role("button", name="Add", exact=True).click()
    expect(form.get_by_text(f"Added claim '{new['id']}'", exact=False)).to_be_visible()
    t2 = time.perf_counter()
    nb.save_data()
    t3 = time.perf_counter()
    nb.save_notebook()
    t4 = time.perf_counter()
    events = nb.form("Event")
    entry = events.get_by_label("sources *", exact=True)
    items = nb.id_field(events, "sources *").get_by_role("listitem")
    shown = []
    for k in range(5):
        entry.fill(f"bench-{k}")
        t = time.perf_counter()
        entry.press("Enter")
        expect(items).to_have_count(k + 1)
        shown.append(time.perf_counter() - t)
    context.close()
    return {
        "open to app ready": t1 - t0,
        "add": t2 - t1,
        "save": t3 - t2,
        "notebook save": t4 - t3,
        "Enter to id shown": statistics.median(shown),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=3)
    add_json_option(parser)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-lab-") as tmp:
        root, state = Path(tmp) / "root", Path(tmp) / "state"
        root.mkdir()
        t = time.perf_counter()
        lab = Lab.start(root, state)
        print(f"jupyter lab started in {time.perf_counter() - t:.1f} s")
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                runs = [one_run(browser, lab, f"run{i}") for i in range(args.runs)]
                browser.close()
        finally:
            lab.stop()
    medians = {}
    for key in runs[0]:
        values = [r[key] for r in runs]
        medians[key] = statistics.median(values)
        print(
            f"{key:>18}: median {medians[key]:6.3f} s  (runs: "
            + ", ".join(f"{v:.3f}" for v in values)
            + ")"
        )
    write_json(args.json, "bench_authoring_lab", None, {"runs": runs, "medians": medians})


if __name__ == "__main__":
    main()
