"""Benchmark: a site of several editions (issue 24 point 6) against the site of one.

For the shipped story and a synthetic one (``bench_load.generate``), copies the data folder as
editions in other languages (the same ids; only story.json's ``language`` differs) and times
``build_site`` of one edition and of three, each from an empty output folder (the median of
``--runs``). Prints the cost of each extra edition as a multiple of one edition's build (goal: at
most 1.2x) and the rebuild of the three unchanged. Then the same data built alone in Persian and in
Arabic (Solar Hijri dates and Persian digits, right-to-left share cards in Arabic script) against
English, runs interleaved so that a busy machine weighs on each alike, in wall-clock and in CPU time
(its worker processes' included) (goal: at most 1.1x). Prints
figures only; asserts nothing.

    .venv/bin/python benchmarks/bench_editions.py [--sizes shipped,1000] [--runs 3] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "benchmarks")]

from bench_load import generate  # noqa: E402
from figures import add_json_option, write_json  # noqa: E402

from timeline.publish.site import build_site  # noqa: E402

EPOCH = {"SOURCE_DATE_EPOCH": "1767225600"}
LANGUAGES = ("en", "fr", "de")
#: The translated builds compared with English's: the right-to-left languages, the costliest.
TRANSLATED = ("fa", "ar")


def editions(source: Path, work: Path, languages: tuple[str, ...] = LANGUAGES) -> list[Path]:
    """``source`` copied once per language of ``languages``, each story.json naming its language."""
    out = []
    for lang in languages:
        folder = work / f"data-{lang}"
        shutil.copytree(source, folder)
        story = folder / "story.json"
        meta = (
            json.loads(story.read_text(encoding="utf-8")) if story.exists() else {"title": "Bench"}
        )
        meta["language"] = lang
        story.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        out.append(folder)
    return out


def cpu_time() -> float:
    """CPU seconds of this process and of its finished children (the build's worker processes)."""
    me, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime


def timed(folders: list[Path], out: Path) -> float:
    t = time.perf_counter()
    build_site(folders, out, environ=EPOCH)
    return time.perf_counter() - t


def measure(name: str, source: Path, work: Path, runs: int) -> dict[str, Any]:
    folders = editions(source, work / name)
    one, three, one_cpu, three_cpu = [], [], [], []
    for i in range(runs):
        started = cpu_time()
        one.append(timed(folders[:1], work / name / f"one-{i}"))
        one_cpu.append(cpu_time() - started)
        started = cpu_time()
        three.append(timed(folders, work / name / f"three-{i}"))
        three_cpu.append(cpu_time() - started)
    rebuild = timed(folders, work / name / "three-0")
    t1, t3 = statistics.median(one), statistics.median(three)
    alone = editions(source, work / name / "translated", ("en", *TRANSLATED))
    built: dict[str, list[float]] = {folder.name: [] for folder in alone}
    cpu: dict[str, list[float]] = {folder.name: [] for folder in alone}
    for i in range(runs):
        for folder in alone if i % 2 else alone[::-1]:
            started = cpu_time()
            built[folder.name].append(timed([folder], work / name / f"{folder.name}-{i}"))
            cpu[folder.name].append(cpu_time() - started)
    english = statistics.median(built["data-en"])
    english_cpu = statistics.median(cpu["data-en"])
    return {
        "translated_x": {
            lang: statistics.median(built[f"data-{lang}"]) / english for lang in TRANSLATED
        },
        # CPU time, the build's worker processes included: what a busy machine changes least
        "translated_cpu_x": {
            lang: statistics.median(cpu[f"data-{lang}"]) / english_cpu for lang in TRANSLATED
        },
        "english_alone_s": english,
        "data": name,
        "one_edition_s": t1,
        "three_editions_s": t3,
        "per_extra_edition_x": (t3 - t1) / (len(folders) - 1) / t1,
        "per_extra_edition_cpu_x": (statistics.median(three_cpu) - statistics.median(one_cpu))
        / (len(folders) - 1)
        / statistics.median(one_cpu),
        "rebuild_unchanged_s": rebuild,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="shipped,1000")
    parser.add_argument("--runs", type=int, default=3)
    add_json_option(parser)
    args = parser.parse_args(argv)
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-editions-") as tmp:
        work = Path(tmp)
        for size in (s.strip() for s in args.sizes.split(",") if s.strip()):
            print(f"  {size} ...", file=sys.stderr, flush=True)
            if size == "shipped":
                source = ROOT / "data"
            else:
                source = work / f"synthetic-{size}"
                n = int(size)
                generate(source, events=n, claims=n // 2, sources=max(n // 10, 10))
            results.append(measure(size, source, work, args.runs))
    print(
        f"\nEditions benchmark ({os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}; wall clock)"
    )
    for r in results:
        print(
            f"{r['data']}: one edition {r['one_edition_s']:.2f} s, three {r['three_editions_s']:.2f} s: "
            f"each extra edition {r['per_extra_edition_x']:.2f}x one edition's build (goal <= 1.2x; "
            f"{r['per_extra_edition_cpu_x']:.2f}x in CPU time); "
            f"rebuild of the three unchanged {r['rebuild_unchanged_s']:.2f} s"
        )
        print(
            f"{r['data']}: built alone, English {r['english_alone_s']:.2f} s; "
            + ", ".join(f"{lang} {x:.2f}x" for lang, x in r["translated_x"].items())
            + " of it (goal <= 1.1x); in CPU time "
            + ", ".join(f"{lang} {x:.2f}x" for lang, x in r["translated_cpu_x"].items())
        )
    write_json(args.json, "bench_editions", argv, {"results": results})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
