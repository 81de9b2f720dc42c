"""A made-up story too long to send whole, and what reading its paged list takes.

``write_story`` writes N events (more than render.PAGED_ABOVE, more than timeline.js's
GROUP_ABOVE) with a few planted words: tests/e2e/test_paged.py and test_paged_long.py serve it,
benchmarks/bench_abuse.py too (through test_paged, which names them again).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from datetime import datetime, timedelta, timezone
from pathlib import Path

from playwright.sync_api import expect

from timeline.core.schema import TABLES, VERDICTS

N = 6000
CATEGORIES = ["military", "diplomacy", "statement", "parliament"]
READY = "html[data-timeline-ready] #tl-chart .scatterlayer .point"


def write_story(folder: Path, n: int = N, *, long: Iterable[int] = (), long_chars: int = 0) -> None:
    """``n`` events an hour apart from 1 Jan 2020; every third has a claim.

    Planted words: "zebra" in the summary of every 500th event; "quagga" in the claim of
    every 700th event (and not in its event); "okapi" in the summaries of the events in
    ``long``, each ``long_chars`` characters long.
    """
    long = set(long)
    folder.mkdir(parents=True)
    names = {t.name: t.header for t in TABLES}
    start = datetime(2020, 1, 1, tzinfo=timezone.utc)
    verdicts = [v.key for v in VERDICTS]

    def write(name: str, rows: list[list[str]]) -> None:
        with open(folder / f"{name}.csv", "w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(names[name])
            w.writerows(rows)

    events, claims = [], []
    for i in range(n):
        when = (start + timedelta(hours=i)).strftime("%Y-%m-%dT%H:%M+00:00")
        summary = f"Summary of event {i}." + (" A zebra was seen." if i % 500 == 0 else "")
        if i in long:  # exactly long_chars characters, the last word "end"
            filler = "".join(
                f" The okapi report on event {i}, paragraph {k}." for k in range(long_chars // 30)
            )
            summary = (summary + filler)[: long_chars - 4] + " end"
        events.append(
            [
                f"e{i:05d}",
                when,
                "",
                "",
                f"Event number {i}",
                summary,
                CATEGORIES[i % 4],
                f"Actor {i % 7}",
                "",
                "s1",
            ]
        )
        if i % 3 == 0:
            text = f"Claim about event {i}" + (", says the quagga" if i % 700 == 0 else "")
            claims.append(
                [
                    f"c{i:05d}",
                    f"e{i:05d}",
                    f"Speaker {i % 5}",
                    text,
                    "s1",
                    verdicts[(i // 3) % len(verdicts)],
                    "Checked.",
                    "",
                    "2026-11-25",
                ]
            )
    write("events", events)
    write("claims", claims)
    write(
        "sources",
        [
            [
                "s1",
                "The only source",
                "Example Publisher",
                "https://example.org/s1",
                "2020-01-01",
                "",
                "",
            ]
        ],
    )


def ids(page) -> list[str]:  # type: ignore[no-untyped-def]
    return page.eval_on_selector_all("#tl-list > li", "els => els.map(e => e.id.slice(6))")


def event_ids(numbers: list[int]) -> list[str]:
    return [f"e{i:05d}" for i in numbers]


def settled(page) -> None:  # type: ignore[no-untyped-def]
    """Until the list is no longer loading (timeline.js sets ``aria-busy`` meanwhile)."""
    expect(page.locator("#tl-list")).not_to_have_attribute("aria-busy", "true", timeout=60_000)


def list_request(url: str) -> bool:
    """A request for list items (the page asks the relative URL ``events?ids=``)."""
    return "events?ids=" in url
