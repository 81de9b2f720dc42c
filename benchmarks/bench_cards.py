"""Benchmark: milliseconds per share card (``timeline.publish.cards``).

Draws ``--cards`` claim cards with distinct headlines (Latin; and a mix with Arabic,
Hebrew and CJK), then story cards, and prints the median time per card and the
PNG size. The first card also pays for loading the fonts' character maps; it is
reported on its own. The figures are printed, not asserted.

    .venv/bin/python benchmarks/bench_cards.py
    .venv/bin/python benchmarks/bench_cards.py --cards 500 --json bench-results/cards.json
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from figures import add_json_option, write_json  # noqa: E402

from timeline.core.schema import VERDICTS  # noqa: E402
from timeline.publish.cards import draw_claim_card, draw_story_card  # noqa: E402

LATIN = "The Foreign Secretary said the UK had not been told in advance of the strike number {i}"
MIXED = [
    "وزير الخارجية قال {i} إن الضربة",
    "שר החוץ אמר {i} כי התקיפה",
    "外交大臣表示 {i} 日本語 한국어",
    LATIN,
]


def timed(draw, n: int) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    times, size = [], 0
    for i in range(n):
        t = time.perf_counter()
        size = len(draw(i))
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000, size


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cards", type=int, default=100)
    add_json_option(ap)
    args = ap.parse_args(argv)
    n = args.cards

    def claim(i: int, text: str = LATIN) -> bytes:
        return draw_claim_card(
            verdict=VERDICTS[i % len(VERDICTS)].key,
            headline=text.format(i=i),
            claimant=f"Claimant {i}",
            date="Friday 3 January 2020, 21:47 (UTC+00:00)",
            story_title="The UK's response to the US killing of Qasem Soleimani",
        )

    t = time.perf_counter()
    claim(0)
    first_ms = (time.perf_counter() - t) * 1000
    print(f"first card (loads fonts and their character maps): {first_ms:.0f} ms")
    figures: dict[str, object] = {"cards": n, "first_card_ms": first_ms}
    counts = {v.key: 3 for v in VERDICTS}
    kinds = [
        ("claim_latin", "claim card, Latin headline:      ", claim),
        ("claim_mixed_scripts", "claim card, Arabic/Hebrew/CJK:   ", lambda i: claim(i, MIXED[i % len(MIXED)])),
        ("story", "story card:                      ",
         lambda i: draw_story_card(title=f"Story {i}", standfirst=LATIN.format(i=i) * 3, counts=counts)),
    ]  # fmt: skip
    for key, label, draw in kinds:
        ms, size = timed(draw, n)
        print(f"{label}{ms:6.1f} ms per card (median of {n}), {size / 1024:.0f} KB PNG")
        figures[key] = {"ms_per_card_median": ms, "png_bytes": size}
    write_json(args.json, "bench_cards", argv, figures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
