"""Benchmark: milliseconds per share card (``timeline.publish.cards``).

Draws ``--cards`` claim cards with distinct headlines (Latin; and a mix with Arabic,
Hebrew and CJK), then story cards, and prints the median time per card and the
PNG size. The first card also pays for loading the fonts' character maps; it is
reported on its own. The figures are printed, not asserted.

    .venv/bin/python benchmarks/bench_cards.py
    .venv/bin/python benchmarks/bench_cards.py --cards 500
"""

from __future__ import annotations

import argparse
import statistics
import time

from timeline.core.schema import VERDICTS
from timeline.publish.cards import draw_claim_card, draw_story_card

LATIN = "The Foreign Secretary said the UK had not been told in advance of the strike number {i}"
MIXED = ["وزير الخارجية قال {i} إن الضربة", "שר החוץ אמר {i} כי התקיפה", "外交大臣表示 {i} 日本語 한국어", LATIN]


def timed(draw, n: int) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    times, size = [], 0
    for i in range(n):
        t = time.perf_counter()
        size = len(draw(i))
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000, size


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cards", type=int, default=100)
    n = ap.parse_args().cards

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
    print(f"first card (loads fonts and their character maps): {(time.perf_counter() - t) * 1000:.0f} ms")
    ms, size = timed(claim, n)
    print(f"claim card, Latin headline:      {ms:6.1f} ms per card (median of {n}), {size / 1024:.0f} KB PNG")
    ms, size = timed(lambda i: claim(i, MIXED[i % len(MIXED)]), n)
    print(f"claim card, Arabic/Hebrew/CJK:   {ms:6.1f} ms per card (median of {n}), {size / 1024:.0f} KB PNG")
    counts = {v.key: 3 for v in VERDICTS}
    ms, size = timed(lambda i: draw_story_card(title=f"Story {i}", standfirst=LATIN.format(i=i) * 3, counts=counts), n)
    print(f"story card:                      {ms:6.1f} ms per card (median of {n}), {size / 1024:.0f} KB PNG")


if __name__ == "__main__":
    main()
