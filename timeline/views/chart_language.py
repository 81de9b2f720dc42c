"""The page's script and chart in the story's language: the messages the script uses, its plural
rule, its digits and calendar, and the time axis' ticks on the calendar's own months.

The script (``static/timeline/*.js``) writes its words as ``_("...")`` and ``ngettext(...)``; the
same extractor that ``make messages`` runs (Babel's, for JavaScript) finds them here, and the page's
data hands the script each one's translation in the story's language (:func:`script_language`),
with the catalogue's ``Plural-Forms`` expression, which the script evaluates with a small parser
(``i18n.js`` ``pluralIndex``; Arabic has six forms). An English page gets nothing: its script's words
are the messages themselves, and its chart keeps plotly.js' own ticks.

The chart's ticks (:func:`axis_ticks`) are the first days of the calendar's months (Solar Hijri for
``fa``: دی ۱۳۹۸ starts on 22 December 2019), labelled by :mod:`timeline.i18n.formats`: never a
calendar's month names on another calendar's months.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from functools import cache, lru_cache
from typing import Any

from babel.messages.extract import DEFAULT_KEYWORDS, extract
from babel.messages.pofile import read_po

from ..core.story import story_language, story_time_axis
from ..errors import LoadError
from ..i18n import catalogues, formats
from ..i18n.calendars import CalendarDate, from_calendar, to_calendar
from ..i18n.tags import language
from .assets import SCRIPT_DIR, SCRIPT_PARTS, STATIC

#: Above this many months in view the axis names years only; the page gets year starts alone.
MAX_MONTHS = 1200
#: A story that spans at most this many days also gets its days' ticks (for a short story, and
#: for zooming in on a longer one).
MAX_DAYS = 800
#: Which days of a month carry a tick, by step (every day, every other, weekly-ish, fortnightly).
DAY_STEPS = {1: None, 2: None, 7: (1, 8, 15, 22), 14: (1, 15)}
DAY_MS = 86_400_000


def story_tag(folder: Any) -> str:
    """The story's language tag from story.json; English when it has none or names one the
    validator refuses (``timeline validate`` says why; a page still shows)."""
    try:
        return story_language(folder).tag
    except LoadError:
        return "en"


def story_axis(folder: Any) -> str | None:
    """story.json's ``time_axis``; None when absent or refused (the validator says why)."""
    try:
        return story_time_axis(folder)
    except LoadError:
        return None


def is_english(tag: str) -> bool:
    """Whether ``tag`` is English: its page keeps the kit's words and plotly.js' ticks as they are."""
    return language(tag).base == "en"


@cache
def script_msgids(share: bool = False) -> tuple[tuple[str, ...], ...]:
    """Every message the page's script uses (with ``share``: a claim page's ``share.js``):
    ``(msgid,)`` or ``(singular, plural)``, in file order."""
    out: dict[tuple[str, ...], None] = {}
    files = [STATIC / "share.js"] if share else [SCRIPT_DIR / name for name in SCRIPT_PARTS]
    for path in files:
        with path.open("rb") as f:
            for _line, message, _comments, _context in extract(
                "javascript", f, keywords=DEFAULT_KEYWORDS
            ):
                out.setdefault((message,) if isinstance(message, str) else tuple(message))
    return tuple(out)


@lru_cache(maxsize=16)
def _catalogue(code: str) -> Any:
    with catalogues.catalogue_file(code).open("rb") as f:
        return read_po(f, locale=code, domain=catalogues.DOMAIN)


def _code(tag: str) -> str | None:
    """The shipped catalogue that serves ``tag`` (its region's, else its language's), as
    :func:`timeline.i18n.catalogues.translations` chooses it; None: English, as written."""
    lang = language(tag)
    shipped = catalogues.shipped_catalogues()
    for code in (lang.tag.replace("-", "_"), lang.base):
        if code in shipped:
            return code
    return None


@lru_cache(maxsize=16)
def script_messages(tag: str, share: bool = False) -> tuple[dict[str, Any], str | None]:
    """The script's messages in ``tag`` (msgid -> translation, or the list of plural forms;
    untranslated ones left out) and the catalogue's ``Plural-Forms`` expression."""
    code = _code(tag)
    if code is None:
        return {}, None
    cat = _catalogue(code)
    out: dict[str, Any] = {}
    for ids in script_msgids(share):
        msg = cat.get(ids[0] if len(ids) == 1 else ids[0])
        if msg is None or not msg.string:
            continue
        if len(ids) == 1 and isinstance(msg.string, str):
            out[ids[0]] = msg.string
        elif len(ids) > 1 and not isinstance(msg.string, str) and all(msg.string):
            out[ids[0]] = list(msg.string)
    return out, str(cat.plural_expr)


def share_words(tag: str) -> str:
    """What a claim page hands its ``share.js`` (the ``data-tl-words`` attribute of
    ``.tl-share-actions``): JSON of its messages in ``tag``; ``{}`` in English."""
    if is_english(tag):
        return "{}"
    return json.dumps(script_messages(language(tag).tag, share=True)[0], ensure_ascii=False)


def axis_reversed(tag: str, direction: str | None = None) -> bool:
    """Whether the time axis runs right to left: ``direction`` (``rtl``/``ltr``) when the story sets
    one, else the language's own direction (see README, "The dashboard")."""
    return (direction or language(tag).direction) == "rtl"


def _month_starts(lo: date, hi: date, calendar: str) -> list[CalendarDate]:
    first = to_calendar(lo, calendar)
    y, m = first.year, first.month
    out: list[CalendarDate] = []
    while True:
        cd = CalendarDate(calendar, y, m, 1)
        if from_calendar(cd) > hi:
            return out
        out.append(cd)
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)


@lru_cache(maxsize=4096)
def _month_labels(day: date, tag: str) -> tuple[str, str]:
    """A month start's tick labels: month and year (``دی ۱۳۹۸``), and year (``۱۳۹۸``)."""
    return formats.format_skeleton(day, "yMMM", tag), formats.format_skeleton(day, "y", tag)


@lru_cache(maxsize=8192)
def _day_label(day: date, tag: str) -> str:
    return formats.format_skeleton(day, "MMMd", tag)


def _ms(day: date) -> int:
    return int(datetime(day.year, day.month, day.day, tzinfo=timezone.utc).timestamp() * 1000)


def axis_ticks(lo_ms: float, hi_ms: float, tag: str) -> dict[str, list[Any]]:
    """The first days of the story's calendar's months from ``lo_ms`` to ``hi_ms`` (UTC ms, a month
    either side): ``ms``, the calendar's ``y`` and ``m``, and two labels, ``month`` (``دی ۱۳۹۸``)
    and ``year`` (``۱۳۹۸``), as the language writes them. Over :data:`MAX_MONTHS` months, year
    starts alone."""
    conv = formats.conventions(tag)
    epoch = date(1970, 1, 1)
    lo = epoch + timedelta(milliseconds=lo_ms) - timedelta(days=62)
    hi = epoch + timedelta(milliseconds=hi_ms) + timedelta(days=62)
    starts = _month_starts(lo, hi, conv.calendar)
    if len(starts) > MAX_MONTHS:
        starts = [cd for cd in starts if cd.month == 1]
    out: dict[str, list[Any]] = {"ms": [], "y": [], "m": [], "month": [], "year": []}
    for cd in starts:
        day = from_calendar(cd)
        out["ms"].append(_ms(day))
        out["y"].append(cd.year)
        out["m"].append(cd.month)
        month, year = _month_labels(day, tag)
        out["month"].append(month)
        out["year"].append(year)
    out["days"] = []
    if (hi - lo).days <= MAX_DAYS:  # each day: ms, the calendar's day of month, its label
        day = lo
        while day <= hi:
            cd = to_calendar(day, conv.calendar)
            out["days"].append((_ms(day), cd.day, _day_label(day, tag)))
            day += timedelta(days=1)
    return out


def pick_ticks(
    ticks: dict[str, list[Any]], lo_ms: float, hi_ms: float, most: int = 8
) -> tuple[list[int], list[str]]:
    """The ticks to show between ``lo_ms`` and ``hi_ms``, at most ``most`` of them: over a short
    range, days (every day, every other, the 1st, 8th, 15th and 22nd, or the 1st and 15th of the
    calendar's months); else every month, or every 2, 3, 4 or 6 months (from the year's first),
    else every 1, 2, 5, 10, ... years (the page's script, ``chart.js`` ``pickTicks``, chooses the
    same way)."""
    vals: list[int] = []
    text: list[str] = []
    days = (hi_ms - lo_ms) / DAY_MS
    if ticks.get("days") and days / 30.44 < most / 2:  # a short range: its days
        step = next((s for s in DAY_STEPS if days / s <= most), 14)
        for ms, d, label in ticks["days"]:
            on = DAY_STEPS[step]
            if lo_ms <= ms <= hi_ms and (d in on if on else (d - 1) % step == 0):
                vals.append(ms)
                text.append(label)
        return vals, text
    months = max((hi_ms - lo_ms) / (30.44 * DAY_MS), 1)
    step = next((s for s in STEPS if months / s <= most), STEPS[-1])
    for ms, y, m, month, year in zip(
        ticks["ms"], ticks["y"], ticks["m"], ticks["month"], ticks["year"]
    ):
        if not lo_ms <= ms <= hi_ms:
            continue
        if step < 12 and (m - 1) % step == 0:
            vals.append(ms)
            text.append(month)
        elif step >= 12 and m == 1 and y % (step // 12) == 0:
            vals.append(ms)
            text.append(year)
    return vals, text


#: Tick steps in months (the page's script has the same list).
STEPS = (1, 2, 3, 4, 6, 12, 24, 60, 120, 240, 600, 1200, 2400, 6000, 12000)


def script_language(
    tag: str,
    *,
    lo_ms: float | None = None,
    hi_ms: float | None = None,
    direction: str | None = None,
) -> dict[str, Any] | None:
    """What the page's data hands the script (``data.i18n``): the language's tag, direction,
    messages, plural rule, digits and calendar, the axis' direction and its ticks for the events
    from ``lo_ms`` to ``hi_ms``. None for English (the script's words are written in it)."""
    if is_english(tag) and direction != "rtl":
        return None
    lang = language(tag)
    conv = formats.conventions(tag)
    messages, plural = script_messages(lang.tag)
    out: dict[str, Any] = {
        "tag": lang.tag,
        "dir": lang.direction,
        "messages": messages,
        "plural": plural,
        "digits": conv.digits,
        "calendar": conv.calendar,
        "reversed": axis_reversed(tag, direction),
    }
    if lo_ms is not None and hi_ms is not None and not is_english(tag):
        out["ticks"] = axis_ticks(lo_ms, hi_ms, lang.tag)
    return out
