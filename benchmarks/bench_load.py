"""Benchmark: ``timeline.load`` + ``validate`` against bare ``pandas.read_csv``.

Generates a synthetic story (100,000 events, 100,000 claims, 10,000 sources by
default) into a temporary folder, then times, in one run and side by side:

* ``pandas.read_csv`` of the three files with its defaults (the floor);
* ``timeline.load(folder)`` followed by ``Dataset.validate()`` (what
  ``timeline validate`` does);
* optionally ``frictionless validate`` on the same files (``--frictionless [EXE]``),
  when the ``frictionless`` command is installed (in any virtual environment).

Each figure is the median of ``--runs`` runs (default 3), the runs of each taken in
turn so that a busy machine slows them alike. The goal (issue 2) is load + validate
within 3x of bare ``read_csv``. The figures are printed, not asserted: this is a
benchmark, not a test.

    .venv/bin/python benchmarks/bench_load.py
    .venv/bin/python benchmarks/bench_load.py --events 20000 --claims 20000 --sources 2000
    .venv/bin/python benchmarks/bench_load.py --profile      # cProfile of load + validate
    .venv/bin/python benchmarks/bench_load.py --frictionless /tmp/fl/bin/frictionless
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import pstats
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd

import timeline
from timeline.core.schema import TABLES, VERDICTS

sys.path.insert(0, str(Path(__file__).resolve().parent))
from figures import add_json_option, write_json  # noqa: E402

GOAL = 3.0

CATEGORIES = [
    "military",
    "diplomacy",
    "statement",
    "legal",
    "intelligence",
    "parliament",
    "media",
    "protest",
]
PEOPLE = [
    "Donald Trump",
    "Mike Pompeo",
    "Mark Esper",
    "Boris Johnson",
    "Dominic Raab",
    "Angela Merkel",
    "Emmanuel Macron",
    "Ali Khamenei",
    "Adil Abdul-Mahdi",
    "Agnes Callamard",
    "US Department of Defense",
    "UN Security Council",
]
PLACES = [
    "Baghdad, Iraq",
    "Washington, DC",
    "London, UK",
    "Tehran, Iran",
    "Geneva, Switzerland",
    "",
]
OFFSETS = ["+03:00", "Z", "-05:00", "+00:00", "+03:30", "+01:00"]
WORDS = (
    "the strike near airport statement officials said that council report imminent threat "
    "briefing restraint escalation embassy attack response allies minister press"
).split()


def _sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize()


def _date(rng: random.Random) -> str:
    """A contract date at a realistic mix of precisions."""
    y = rng.choice([2019, 2020, 2020, 2020, 2021])
    mo, d = rng.randint(1, 12), rng.randint(1, 28)
    r = rng.random()
    if r < 0.03:
        return f"{y}"
    if r < 0.12:
        return f"{y}-{mo:02d}"
    if r < 0.62:
        return f"{y}-{mo:02d}-{d:02d}"
    h, mi = rng.randint(0, 23), rng.randint(0, 59)
    if r < 0.95:
        return f"{y}-{mo:02d}-{d:02d}T{h:02d}:{mi:02d}{rng.choice(OFFSETS)}"
    return f"{y}-{mo:02d}-{d:02d}T{h:02d}:{mi:02d}:{rng.randint(0, 59):02d}{rng.choice(OFFSETS)}"


def _end(rng: random.Random, start: str) -> str:
    """An optional end: empty for most events, else a later date at day or year precision."""
    if rng.random() > 0.2:
        return ""
    year = int(start[:4])
    return f"{year + 1}" if rng.random() < 0.5 else f"{year + 1}-06-30"


def _ids(rng: random.Random, prefix: str, n: int, k: int) -> str:
    return ";".join(f"{prefix}-{rng.randrange(n):06d}" for _ in range(k))


def generate(folder: Path, *, events: int, claims: int, sources: int, seed: int = 2020) -> None:
    """Write a valid synthetic story with realistic cells into ``folder``."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    tables = {t.name: t for t in TABLES}

    def write(name: str, rows: Callable[[], object]) -> None:
        with open(folder / tables[name].filename, "w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(tables[name].names)
            width = len(tables[name].names)  # columns added to the contract since stay empty
            w.writerows(list(r) + [""] * (width - len(r)) for r in rows())  # type: ignore[attr-defined]

    def event_rows() -> object:
        for i in range(events):
            start = _date(rng)
            yield [
                f"event-{i:06d}",
                start,
                _end(rng, start),
                "Sunday evening, US Eastern time" if rng.random() < 0.05 else "",
                f"{_sentence(rng, 6)}, {rng.choice(PEOPLE)} says",
                f'{_sentence(rng, 18)}; "{_sentence(rng, 5)}," an official said, "{_sentence(rng, 4)}."',
                rng.choice(CATEGORIES),
                ";".join(rng.sample(PEOPLE, rng.randint(1, 3))),
                rng.choice(PLACES),
                _ids(rng, "source", sources, rng.randint(1, 3)),
            ]

    verdicts = [v.key for v in VERDICTS]

    def claim_rows() -> object:
        for i in range(claims):
            yield [
                f"claim-{i:06d}",
                f"event-{rng.randrange(events):06d}",
                rng.choice(PEOPLE),
                f'"{_sentence(rng, 12)}, and {_sentence(rng, 6).lower()}"',
                f"source-{rng.randrange(sources):06d}",
                rng.choice(verdicts),
                f"{_sentence(rng, 20)}, as the record shows; see the report, p. {rng.randint(1, 90)}.",
                _ids(rng, "source", sources, rng.randint(0, 3)),
                f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                f"Claim {i:,} in short: a neutral summary of what was said",  # headline
                "person",  # claimant_type: PEOPLE are people
                f"{_sentence(rng, 14)}." if rng.random() < 0.5 else "",  # bottom_line
            ]

    def source_rows() -> object:
        for i in range(sources):
            yield [
                f"source-{i:06d}",
                f"{_sentence(rng, 7)}: {_sentence(rng, 3)}, part {rng.randint(1, 9)}",
                rng.choice(
                    [
                        "Reuters",
                        "BBC News",
                        "The New York Times",
                        "UK Parliament, Hansard",
                        "UN OHCHR",
                    ]
                ),
                f"https://example.org/{rng.randint(2019, 2021)}/{i}/story-{rng.randrange(10**6)}?ref=feed&page=1",
                _date(rng),
                f"https://web.archive.org/web/2020/https://example.org/{i}"
                if rng.random() < 0.3
                else "",
                f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                "",  # notes
            ]

    write("events", event_rows)
    write("claims", claim_rows)
    write("sources", source_rows)


def read_csv_all(folder: Path) -> None:
    for t in TABLES:
        pd.read_csv(folder / t.filename)


def load_validate(folder: Path) -> list[timeline.Problem]:
    return timeline.load(folder).validate()


def median_times(fns: list[Callable[[], object]], runs: int) -> list[float]:
    """The median time of each function, their runs interleaved so that load on the machine hits all alike."""
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(runs):
        for i, fn in enumerate(fns):
            t0 = time.perf_counter()
            fn()
            times[i].append(time.perf_counter() - t0)
    return [statistics.median(t) for t in times]


def frictionless_time(folder: Path, runs: int, exe: str) -> float | None:
    """``frictionless validate`` on each file, run as a command (its own venv is fine)."""
    found = shutil.which(exe) or (exe if Path(exe).exists() else None)
    if found is None:
        return None
    exe = found

    def run() -> None:
        for t in TABLES:
            # Run in the folder: frictionless refuses absolute paths as "not safe".
            done = subprocess.run(
                [exe, "validate", t.filename],
                cwd=folder,
                capture_output=True,
                text=True,
                check=False,
            )
            if done.returncode != 0:
                raise RuntimeError(
                    f"frictionless validate {t.filename} failed:\n{done.stdout[-2000:]}"
                )

    return median_times([run], runs)[0]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--claims", type=int, default=100_000)
    ap.add_argument("--sources", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=3, help="runs per figure; the median is shown")
    ap.add_argument("--profile", action="store_true", help="print a cProfile of load + validate")
    ap.add_argument(
        "--frictionless",
        nargs="?",
        const="frictionless",
        metavar="EXE",
        help="also time `frictionless validate` (pip install frictionless; EXE: its path)",
    )
    add_json_option(ap)
    args = ap.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="timeline-bench-") as tmp:
        folder = Path(tmp) / "data"
        generate(folder, events=args.events, claims=args.claims, sources=args.sources)
        size = sum((folder / t.filename).stat().st_size for t in TABLES) / 1e6
        problems = load_validate(folder)
        errors = [p for p in problems if p.severity == "error"]
        if errors:
            print("\n".join(str(p) for p in errors[:10]))
            print(f"the synthetic data should be valid but has {len(errors)} errors")
            return 2

        print(
            f"{args.events:,} events, {args.claims:,} claims, {args.sources:,} sources "
            f"({size:.1f} MB); median of {args.runs} runs"
        )
        bare, ours = median_times(
            [lambda: read_csv_all(folder), lambda: load_validate(folder)], args.runs
        )
        figures: dict[str, object] = {
            "events": args.events, "claims": args.claims, "sources": args.sources, "csv_mb": round(size, 1),
            "runs": args.runs, "read_csv_s": bare, "load_validate_s": ours, "ratio": ours / bare,
            "goal_ratio": GOAL, "goal_met": ours / bare <= GOAL,
        }  # fmt: skip
        width = 34
        print(f"{'pandas.read_csv (3 files)':<{width}} {bare:7.3f} s   1.00x")
        print(f"{'timeline load + validate':<{width}} {ours:7.3f} s   {ours / bare:.2f}x")
        if args.frictionless:
            fl = frictionless_time(folder, args.runs, args.frictionless)
            figures["frictionless_s"] = fl
            if fl is None:
                print(
                    f"{'frictionless validate (3 files)':<{width}} not installed (pip install frictionless)"
                )
            else:
                print(
                    f"{'frictionless validate (3 files)':<{width}} {fl:7.3f} s   {fl / bare:.2f}x"
                )
        verdict = "met" if ours / bare <= GOAL else "NOT met"
        print(f"goal: load + validate within {GOAL:g}x of read_csv: {verdict} ({ours / bare:.2f}x)")

        if args.profile:
            prof = cProfile.Profile()
            prof.enable()
            load_validate(folder)
            prof.disable()
            pstats.Stats(prof).sort_stats("cumulative").print_stats(30)
    write_json(args.json, "bench_load", argv, figures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
