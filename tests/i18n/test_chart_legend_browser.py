"""The chart's legend as a reader sees it (issue 24 point 5): clear of the axis' title and inside the
chart on a phone, mirrored in a right-to-left story (its title at its right end; in one row, the first
verdict rightmost), in Chromium, on the site's index of the tests' English and Persian stories."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import open_page
from snapshot_support import wait_ready

from timeline.publish.site import build_site

EDITIONS = Path(__file__).resolve().parents[1] / "data" / "editions"
#: "Needs context" and "Period (a date or a span)": the legend's first and last entries.
FIRST = {"en": "Needs context", "fa": "نیازمند زمینه"}
LAST = {"en": "Period (a date or a span)", "fa": "بازه (یک تاریخ یا یک دوره)"}

BOXES = """() => {
  const box = el => { const r = el.getBoundingClientRect();
    return {left: r.left, right: r.right, top: r.top, bottom: r.bottom}; };
  const chart = document.querySelector('.js-plotly-plot');
  const entries = {};
  for (const t of chart.querySelectorAll('.legend .traces')) {
    const text = t.querySelector('.legendtext');
    entries[text.textContent] = box(text);
  }
  return {chart: box(chart), legend: box(chart.querySelector('.legend .bg')),
          title: box(chart.querySelector('.legend .legendtitletext')),
          axis: box(chart.querySelector('.g-xtitle text')), entries: entries};
}"""


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("legend")
    for lang in FIRST:
        build_site(EDITIONS / lang, base / lang, environ={"SOURCE_DATE_EPOCH": "1767225600"})
    return {lang: base / lang / "index.html" for lang in FIRST}


def boxes(browser: Any, index: Path, width: int) -> dict[str, Any]:
    page = open_page(browser, viewport={"width": width, "height": 900})
    try:
        page.goto(index.as_uri())
        wait_ready(page)
        return page.evaluate(BOXES)  # type: ignore[no-any-return]
    finally:
        page.context.close()


@pytest.mark.browser
@pytest.mark.parametrize("lang", sorted(FIRST))
@pytest.mark.parametrize("width", [375, 1280])
def test_the_legend_clears_the_axis_title_and_stays_in_the_chart(
    browser: Any, sites: dict[str, Path], lang: str, width: int
) -> None:
    b = boxes(browser, sites[lang], width)
    # Below the axis' title: no word of the legend reaches up to the middle of the title's line,
    # nor has its own middle above the title's bottom (a text box holds its font's line gap,
    # tall in Arabic script).
    axis = b["axis"]
    for w in [b["title"], *b["entries"].values()]:
        assert w["top"] >= (axis["top"] + axis["bottom"]) / 2, b
        assert (w["top"] + w["bottom"]) / 2 >= axis["bottom"], b
    for name, e in b["entries"].items():  # every entry whole inside the chart
        assert b["chart"]["left"] - 1 <= e["left"] and e["right"] <= b["chart"]["right"] + 1, name
    title, first = b["title"], b["entries"][FIRST[lang]]
    if width == 375:  # a phone: the title on a line of its own, above the entries
        assert title["bottom"] <= min(e["top"] for e in b["entries"].values()) + 1, b
    if lang == "fa":  # mirrored: the title at the legend's right end
        assert title["right"] >= b["legend"]["right"] - 12, b
        if width == 1280:  # one row, read from the right: the first verdict rightmost
            assert first["left"] > b["entries"][LAST[lang]]["right"], b
    elif width == 1280:
        assert first["right"] < b["entries"][LAST[lang]]["left"], b
