"""Benchmark: ``render_story``, the story fragment that the dashboard and the snapshot share.

For the shipped story and synthetic stories (``bench_load.generate``: half as many
claims as events, as many sources), prints the median time of ``render_story``
(data loaded and parsed beforehand, as in the kernel) and the fragment's size,
split into the list of events and claims, the Sources section, the chart's JSON
and the rest, each also as a multiple of the CSV files' bytes. Prints figures
only; asserts nothing. ``benchmarks/bench_snapshot.py`` times whole pages.

    .venv/bin/python benchmarks/bench_story.py
    .venv/bin/python benchmarks/bench_story.py --sizes 1000,10000 --runs 5 --profile
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_load import generate  # noqa: E402
from figures import add_json_option, write_json  # noqa: E402

import timeline  # noqa: E402
from timeline.views.render import render_story  # noqa: E402


def part(html: str, start: str, end: str) -> int:
    """Bytes of ``html`` from ``start`` to the next ``end`` (0 if ``start`` is absent)."""
    i = html.find(start)
    return len(html[i : html.index(end, i)].encode("utf-8")) if i >= 0 else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--sizes", default="shipped,1000,10000", help="comma-separated: shipped and/or event counts"
    )
    ap.add_argument("--runs", type=int, default=3, help="renders per size (median)")
    ap.add_argument(
        "--profile", action="store_true", help="print a cProfile of the largest size's render"
    )
    add_json_option(ap)
    args = ap.parse_args(argv)
    rows: list[dict[str, object]] = []
    head = f"{'data':<8} {'render s':>9} {'fragment MB':>12} {'x CSV':>6} {'list MB':>8} {'sources MB':>11} {'chart JSON MB':>14} {'rest KB':>8}"
    print(head)
    print("-" * len(head))
    with tempfile.TemporaryDirectory(prefix="bench-story-") as tmp:
        ds = None
        for size in [s.strip() for s in args.sizes.split(",") if s.strip()]:
            folder = Path(tmp) / size
            if size == "shipped":
                shutil.copytree(ROOT / "data", folder)
            else:
                generate(folder, events=int(size), claims=int(size) // 2, sources=int(size))
            ds = timeline.load(folder)
            _ = (
                ds.events,
                ds.claims,
                ds.sources,
            )  # parse the dates, as the kernel has before it renders
            times = []
            for _ in range(args.runs):
                t = time.perf_counter()
                html = render_story(ds, mode="snapshot")
                times.append(time.perf_counter() - t)
            csv = sum(
                (folder / n).stat().st_size for n in ("events.csv", "claims.csv", "sources.csv")
            )
            total = len(html.encode("utf-8"))
            events = part(html, '<ol id="tl-list"', "</ol>")
            sources = part(html, '<section class="tl-sources-section"', "</section>")
            data = part(html, '<script type="application/json" id="tl-data">', "</script>")
            rows.append(
                {"data": size, "render_s": statistics.median(times), "fragment_mb": total / 1e6,
                 "x_csv": total / csv, "list_mb": events / 1e6, "sources_mb": sources / 1e6,
                 "chart_json_mb": data / 1e6, "rest_kb": (total - events - sources - data) / 1e3}
            )  # fmt: skip
            print(
                f"{size:<8} {statistics.median(times):>9.3f} {total / 1e6:>12.2f} {total / csv:>6.2f} "
                f"{events / 1e6:>8.2f} {sources / 1e6:>11.2f} {data / 1e6:>14.2f} "
                f"{(total - events - sources - data) / 1e3:>8.1f}"
            )
        if args.profile and ds is not None:
            profile = cProfile.Profile()
            profile.runcall(render_story, ds)
            pstats.Stats(profile).sort_stats("cumulative").print_stats(20)
    print(
        f"\nReproduce: .venv/bin/python benchmarks/bench_story.py {' '.join(argv if argv is not None else sys.argv[1:])}"
    )
    write_json(args.json, "bench_story", argv, {"runs": args.runs, "sizes": rows})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
