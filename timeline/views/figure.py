"""The timeline's encoding: one record per event, and the Plotly figure built from it.

``event_frame(ds)`` computes, vectorised, what the chart needs per event: where
it sits in time (UTC milliseconds, its period at its own precision), its lane,
its worst verdict, and its hover label in each time zone. The page's script
(``static/timeline.js``) draws from the same records; ``build_figure`` draws
them in Python for notebook previews.
"""

from __future__ import annotations

import calendar
from datetime import date
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from ..core.dates import format_offset
from ..core.schema import NO_CLAIMS, VERDICT_BY_KEY, VERDICTS, split_list
from ..core.vocabulary import verdict_in
from ..errors import OptionError
from ..i18n import catalogues, formats
from ..i18n.markers import N_
from .chart_language import axis_reversed, axis_ticks, is_english, pick_ticks, story_axis, story_tag

ZONES = ("own", "utc", "london")
ZONE_LABELS = {"own": "As reported (local time)", "utc": "UTC", "london": "London"}
LANES = ("category", "actor")
NO_ACTOR = N_("(no actor named)")
# Rank for "worst verdict": lower is worse; not-rated sorts after every rated verdict.
_RANK = {v.key: (v.rating if v.rating is not None else 6) for v in VERDICTS}
_BY_RANK = {rank: key for key, rank in _RANK.items()}


def worst_verdicts(events: pd.DataFrame, claims: pd.DataFrame) -> pd.Series:
    """Each event's worst claim verdict key, ``no-claims`` where it has none."""
    ranks = claims["verdict"].map(_RANK)
    worst = ranks.groupby(claims["event_id"]).min()
    return events["id"].map(worst).map(_BY_RANK).fillna(NO_CLAIMS.key)


_DAY_NAMES = list(calendar.day_name)  # Monday first, as datetime.weekday()
_MONTH_NAMES = list(calendar.month_name)
PRECISION_CODES = {"year": 0, "month": 1, "day": 2, "minute": 3, "second": 4}


def date_labels(
    at: pd.Series,
    precision: pd.Series,
    offset: pd.Series | None = None,
    *,
    zone: str = "own",
    lang: str = "en",
) -> pd.Series:
    """``dates.humanize`` of parsed date columns, vectorised: how each date reads, at its precision.

    ``at`` holds UTC instants, ``precision`` their precision and ``offset`` the
    minutes of the clock they were written on. Times are shown on that clock
    (``zone="own"``), in UTC or in London; dates alone are never shifted.
    Rows without a date read as ``""``. In a language other than English (``lang``), each reads
    as :func:`local_date_label` writes it.
    """
    if zone not in ZONES:
        raise OptionError(f"zone must be one of {', '.join(ZONES)}, not {zone!r}")
    out = pd.Series("", index=at.index, dtype=object)
    ok = at.notna().to_numpy()
    if not ok.any():
        return out
    a = pd.DatetimeIndex(at[ok]).tz_convert("UTC")
    prec = precision.to_numpy(dtype=object)[ok]
    timed = (prec == "minute") | (prec == "second")
    naive = a.tz_localize(None)
    if zone == "own":
        raw = offset[ok] if offset is not None else pd.Series(0, index=at.index[ok])
        minutes = raw.astype("Float64").fillna(0).astype(int).to_numpy()
        local = naive + pd.to_timedelta(np.where(timed, minutes, 0), unit="min")
        cache: dict[int, str] = {}
        tags = [
            cache.setdefault(m, format_offset(m)) if t else ""
            for m, t in zip(minutes.tolist(), timed)
        ]
    elif zone == "utc":
        local, tags = naive, ["UTC"] * len(a)
    else:
        london = a.tz_convert("Europe/London").tz_localize(None)
        local = pd.DatetimeIndex(np.where(timed, london, naive))
        tags = ["London, BST" if d else "London, GMT" for d in (london != naive)]
    cols = zip(
        prec.tolist(),
        local.year.tolist(),
        local.month.tolist(),
        local.day.tolist(),
        local.day_of_week.tolist(),
        local.hour.tolist(),
        local.minute.tolist(),
        local.second.tolist(),
        tags,
    )
    labels = []
    if not is_english(lang):
        memo: dict[tuple[Any, ...], str] = {}
        for p, y, mo, d, _wd, h, mi, sec, tag in cols:
            key = (p, y, mo, d, h, mi, sec, tag)
            label = memo.get(key)
            if label is None:
                label = memo[key] = local_date_label(p, y, mo, d, h, mi, sec, tag, lang)
            labels.append(label)
        out[ok] = labels  # type: ignore[call-overload]
        return out
    for p, y, mo, d, wd, h, mi, sec, tag in cols:
        if p == "year":
            labels.append(str(y))
        elif p == "month":
            labels.append(f"{_MONTH_NAMES[mo]} {y}")
        else:
            day = f"{_DAY_NAMES[wd]} {d} {_MONTH_NAMES[mo]} {y}"
            if p == "day":
                labels.append(day)
            elif p == "second":
                labels.append(f"{day}, {h:02d}:{mi:02d}:{sec:02d} ({tag})")
            else:
                labels.append(f"{day}, {h:02d}:{mi:02d} ({tag})")
    out[ok] = labels  # type: ignore[call-overload]  # pandas-stubs: a boolean mask with a list
    return out


def local_date_label(
    p: str, y: int, mo: int, d: int, h: int, mi: int, sec: int, zone_tag: str, lang: str
) -> str:
    """A date at precision ``p`` as language ``lang`` writes it, in its calendar and digits
    (:mod:`timeline.i18n.formats`): a Gregorian year or month is the span of the calendar's
    years or months it overlaps (2020 in ``fa``: ``۱۳۹۸–۱۳۹۹``); a day has its weekday; a time
    its clock and zone (the page's script writes the same, ``zones.js`` ``localDateLabel``)."""
    day = _local_day(p if p in ("year", "month") else "day", y, mo, d, lang)
    if p not in ("minute", "second"):
        return day
    digits = formats.conventions(lang).digits
    clock = f"{h:02d}:{mi:02d}" + (f":{sec:02d}" if p == "second" else "")
    if zone_tag.startswith("London, "):
        zone_tag = catalogues.gettext("London, %(abbr)s", lang) % {"abbr": zone_tag[8:]}
    elif zone_tag != "UTC":
        zone_tag = formats.to_digits(zone_tag, digits)
    return catalogues.gettext("%(day)s, %(time)s (%(zone)s)", lang) % {
        "day": day,
        "time": formats.to_digits(clock, digits),
        "zone": zone_tag,
    }


@lru_cache(maxsize=65536)
def _local_day(p: str, y: int, mo: int, d: int, lang: str) -> str:
    """A year, month or day as :func:`local_date_label` writes it (remembered: a long story's
    events, claims and sources share their days)."""
    if p == "year":
        return formats.format_year(y, lang)
    if p == "month":
        return formats.format_month(y, mo, lang)
    return formats.format_date(date(y, mo, d), lang, width="full")


def event_frame(ds: Any, *, zones: tuple[str, ...] = ZONES, lang: str = "en") -> pd.DataFrame:
    """One row per event in reading order, with everything the chart and list need.

    ``label_<zone>`` columns hold each event's start as it reads in those ``zones`` (in
    language ``lang``). Computed once per dataset until its tables change (``Dataset.derived``):
    the frame is shared, never to be changed by its readers.
    """
    derived = getattr(ds, "derived", None)
    if derived is None:
        return _event_frame(ds, zones, lang)
    frame: pd.DataFrame = derived(
        ("event_frame", zones, lang), lambda: _event_frame(ds, zones, lang)
    )
    return frame


def _event_frame(ds: Any, zones: tuple[str, ...], lang: str) -> pd.DataFrame:
    ev = ds.events
    if ev.empty:
        cols = [
            "id",
            "row",
            "title",
            "category",
            "actors",
            "verdict",
            "s",
            "e",
            "span",
            "precision",
            "own",
            "london",
            "display_date",
            *(f"label_{z}" for z in zones),
            "date_label",
        ]
        empty: pd.DataFrame = pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
        return empty
    at, until = ev["start_at"], ev["start_until"]
    end_until = ev["end_until"]
    e = end_until.where(end_until.notna(), until)
    precision = ev["start_precision"]
    timed = precision.isin(["minute", "second"])
    own = ev["start_offset"].astype("Float64").where(timed)
    naive = at.dt.tz_localize(None)
    london_naive = at.dt.tz_convert("Europe/London").dt.tz_localize(None)
    london = ((london_naive - naive).dt.total_seconds() / 60).where(timed)

    ms = (at - pd.Timestamp(0, tz="UTC")) // pd.Timedelta(milliseconds=1)
    ms_end = (e - pd.Timestamp(0, tz="UTC")) // pd.Timedelta(milliseconds=1)
    span = ~timed | end_until.notna()
    out = pd.DataFrame(
        {
            "id": ev["id"],
            "row": np.arange(len(ev)),
            "title": ev["title"],
            "category": ev["category"].str.strip(),
            "actors": ev["actors"].fillna("").map(split_list),
            "verdict": worst_verdicts(ev, ds.claims),
            "s": ms,
            "e": ms_end,
            "span": span,
            "precision": precision,
            "own": own,
            "london": london,
            "display_date": ev["display_date"].fillna("").str.strip(),
            "line": ev["line"],
            "day": at.dt.floor("D"),
        }
    )
    for zone in zones:
        out[f"label_{zone}"] = date_labels(at, precision, ev["start_offset"], zone=zone, lang=lang)
    first = f"label_{zones[0]}" if zones else "display_date"
    out["date_label"] = out["display_date"].where(out["display_date"] != "", out[first])
    order = out.sort_values(["day", "line", "s"], kind="stable", na_position="last").index
    frame: pd.DataFrame = out.loc[order].reset_index(drop=True)
    return frame


def _indexed(values: list[Any], names: list[Any]) -> list[int]:
    pos = {name: i for i, name in enumerate(names)}
    return [pos[v] for v in values]


def chart_data(frame: pd.DataFrame) -> dict[str, Any]:
    """The compact, columnar form of ``event_frame`` that the page's script reads.

    Per event: ``id``, ``title``; ``cat`` and ``act`` index ``cats`` and ``actors``;
    ``v`` indexes ``verdict_styles()``; ``s`` is the start (UTC seconds), ``d`` the
    duration in seconds (to the end of the period); ``span`` is 1 for a period
    (a date, or a time with an end), 0 for a point in time; ``p`` the precision
    (``PRECISION_CODES``); ``own`` and ``london`` the offsets in minutes of a
    time's own clock and of London (``null`` for dates); ``dd``, the display
    dates, by position. The page formats the date labels itself.
    """
    cats = sorted(set(frame["category"]), key=str.casefold)
    actors = sorted({a for xs in frame["actors"] for a in xs}, key=str.casefold)
    apos = {a: i for i, a in enumerate(actors)}
    vpos = {v["key"]: i for i, v in enumerate(verdict_styles())}
    s = frame["s"].to_numpy(dtype="int64") // 1000
    e = frame["e"].to_numpy(dtype="int64") // 1000

    def minutes(col: str) -> list[int | None]:
        values = frame[col].astype("Float64")
        return [
            int(m) if isinstance(m, int) else None for m in values.round().astype("Int64").tolist()
        ]

    return {
        "cats": cats,
        "actors": actors,
        "id": frame["id"].tolist(),
        "title": frame["title"].tolist(),
        "cat": _indexed(frame["category"].tolist(), cats),
        "act": [[apos[a] for a in xs] for xs in frame["actors"]],
        "v": _indexed(frame["verdict"].tolist(), list(vpos)),
        "s": s.tolist(),
        "d": (e - s).tolist(),
        "span": frame["span"].astype(bool).astype(int).tolist(),
        "p": [PRECISION_CODES.get(p, 2) for p in frame["precision"].tolist()],
        "own": minutes("own"),
        "london": minutes("london"),
        "dd": {str(i): d for i, d in enumerate(frame["display_date"].tolist()) if d},
    }


def verdict_styles(lang: str = "en") -> list[dict[str, Any]]:
    """The verdicts (and 'no claims') with the colour, symbol and label the chart uses (in
    language ``lang``), and ``rank``: lower is worse (the page's script takes the worst of the
    claims in view)."""
    return [
        {
            "key": v.key,
            "label": v.label,
            "meaning": v.meaning,
            "colour": v.colour,
            "symbol": v.symbol,
            "rank": _RANK.get(v.key, 7),
        }
        for v in (verdict_in(x, lang) for x in (*VERDICTS, NO_CLAIMS))
    ]


# Where the timeline opens. If a few late events (a report months later) would squeeze the story
# into a corner, it opens on the events up to the 90th percentile (padded by 5%, at least a day);
# "Show the whole period" widens it. The dashboard's script (static/timeline.js focusRange) reads
# these numbers from the page's data, so the dashboard and build_figure open on the same range.
FOCUS = {"quantile": 0.9, "spread": 3, "pad": 0.05, "min_pad_ms": 86_400_000, "min_events": 5}
SHOW_ALL = N_("Show the whole period")

# The chart's toolbar (plotly.js config), wherever a chart is drawn: the page's script reads it
# from the page's data (the dashboard, snapshot and microsite), the authoring preview sends it with
# the figure. Only what a reader uses: zoom, pan, zoom in and out, reset, a PNG of the chart. Never
# plotly.js's "share"/"Edit in Chart Studio" button or link: they upload the chart, data included,
# to Plotly's cloud (a request to another host, and in the preview, data maybe not yet published).
# Phones get no toolbar at all (the page's script; it would cover the top lane).
PLOTLY_CONFIG: dict[str, Any] = {
    "displaylogo": False,
    "showSendToCloud": False,
    "showEditInChartStudio": False,
    "showLink": False,
    "sendData": False,
    "modeBarButtons": [["zoom2d", "pan2d", "zoomIn2d", "zoomOut2d", "resetScale2d"], ["toImage"]],
    "toImageButtonOptions": {"filename": "timeline"},
}


def focus_range(xs: Any) -> tuple[float, float] | None:
    """The initial x range (ms) for markers at ``xs`` (ms), or ``None`` to show the whole period."""
    v = np.sort(np.asarray(pd.Series(xs, dtype="float64").dropna()))
    if len(v) < FOCUS["min_events"]:
        return None
    lo, hi, p = float(v[0]), float(v[-1]), float(v[int(FOCUS["quantile"] * (len(v) - 1))])
    if hi - lo < FOCUS["spread"] * (p - lo) or p == lo:
        return None
    pad = max(FOCUS["min_pad_ms"], (p - lo) * FOCUS["pad"])
    return lo - pad, p + pad


def _shift(ms: pd.Series, frame: pd.DataFrame, zone: str) -> pd.Series:
    if zone == "utc":
        return ms
    minutes = frame["own" if zone == "own" else "london"].fillna(0).astype(float)
    return ms + minutes * 60_000


LEGEND_TITLE = N_("Worst verdict")
#: The time axis' title in a language other than English (the page's script, zones.js zoneTitle,
#: has the same messages).
LOCAL_ZONE_TITLES = {
    "own": N_("Time as reported (each event's local clock)"),
    "utc": "UTC",
    "london": N_("London time"),
}


def build_figure(
    ds: Any,
    *,
    lanes: str = "category",
    zone: str = "own",
    focus: bool = True,
    lang: str | None = None,
    direction: str | None = None,
) -> Any:
    """The timeline as a Plotly figure: one lane per category (or actor), verdict by colour and symbol.

    With ``focus`` it opens, as the dashboard does, on the dense period (:func:`focus_range`),
    with a "Show the whole period" button. ``lang`` (the story's language by default) names the
    axis, legend, hover dates and ticks (its calendar's months, its digits); ``direction``
    (``rtl``/``ltr``; story.json's ``time_axis``, else the language's own direction) runs the time
    axis right to left or not.
    """
    import plotly.graph_objects as go

    if lanes not in LANES:
        raise OptionError(f"lanes must be one of {', '.join(LANES)}, not {lanes!r}")
    if zone not in ZONES:
        raise OptionError(f"zone must be one of {', '.join(ZONES)}, not {zone!r}")
    folder = getattr(ds, "folder", None)
    if lang is None:
        lang = story_tag(folder)
    if direction is None:
        direction = story_axis(folder)
    local = not is_english(lang)
    rtl = axis_reversed(lang, direction)
    frame = event_frame(ds, zones=(zone,), lang=lang)
    if lanes == "actor":
        no_actor = catalogues.gettext(NO_ACTOR, lang) if local else NO_ACTOR
        frame = frame.assign(lane=frame["actors"].map(lambda xs: xs or [no_actor])).explode("lane")
    else:
        frame = frame.assign(lane=frame["category"])
    s = _shift(frame["s"].astype(float), frame, zone)
    e = _shift(frame["e"].astype(float), frame, zone)
    x = s.where(~frame["span"], (s + e) / 2)
    label = frame["display_date"].where(frame["display_date"] != "", frame[f"label_{zone}"])
    fig = go.Figure()
    for style in verdict_styles(lang):
        m = frame["verdict"] == style["key"]
        if not m.any():
            continue
        sp = m & frame["span"]
        xs: list[Any] = []
        ys: list[Any] = []
        for a, b, lane in zip(s[sp], e[sp], frame["lane"][sp]):
            xs += [pd.Timestamp(a, unit="ms"), pd.Timestamp(b, unit="ms"), None]
            ys += [lane, lane, None]
        if xs:
            fig.add_trace(
                go.Scatter(
                    x=xs,
                    y=ys,
                    mode="lines",
                    line={"color": style["colour"], "width": 10},
                    opacity=0.3,
                    hoverinfo="skip",
                    showlegend=False,
                )
            )
        fig.add_trace(
            go.Scatter(
                x=pd.to_datetime(x[m], unit="ms"),
                y=frame["lane"][m],
                mode="markers",
                name=style["label"],
                marker={
                    "color": style["colour"],
                    "symbol": style["symbol"],
                    "size": 13,
                    "line": {"color": style["colour"], "width": 2},
                },
                customdata=frame["id"][m],
                text=(label[m] + "<br>" + frame["title"][m].map(_escape_hover)),
                hovertemplate="%{text}<extra>" + style["label"] + "</extra>",
            )
        )
    fig.update_layout(
        xaxis={"type": "date", "title": ZONE_LABELS[zone]},
        yaxis={"type": "category", "title": "", "autorange": "reversed"},
        legend={"title": {"text": "Worst verdict"}},
        margin={"l": 10, "r": 10, "t": 30, "b": 40},
        height=max(320, 60 * frame["lane"].nunique() + 120),
    )
    window = focus_range(x) if focus else None
    if local or rtl:
        _localise(fig, lang, zone, x, window, rtl=rtl)
    if window is not None:
        start, end = (pd.Timestamp(t, unit="ms") for t in window)
        fig.update_xaxes(range=[end, start] if rtl else [start, end], autorange=False)
        fig.update_layout(
            updatemenus=[
                {
                    "type": "buttons",
                    "direction": "left",
                    "showactive": False,
                    "x": 0,
                    "xanchor": "left",
                    "y": 1,
                    "yanchor": "bottom",
                    "pad": {"b": 4},
                    "buttons": [
                        {
                            "label": catalogues.gettext(SHOW_ALL, lang) if local else SHOW_ALL,
                            "method": "relayout",
                            "args": [{"xaxis.autorange": "reversed" if rtl else True}],
                        }
                    ],
                }
            ]
        )
        fig.update_layout(margin={"t": 44})
    return fig


def _localise(
    fig: Any, lang: str, zone: str, x: pd.Series, window: tuple[float, float] | None, *, rtl: bool
) -> None:
    """The figure's words, ticks and direction in language ``lang``: the axis title and legend
    through the catalogues; ticks on the calendar's month starts (timeline.views.chart_language) for the
    range it opens on; with ``rtl``, time runs right to left, the lanes and legend on the right."""
    if not is_english(lang):
        fig.update_layout(
            xaxis_title=catalogues.gettext(LOCAL_ZONE_TITLES[zone], lang),
            legend_title_text=catalogues.gettext(LEGEND_TITLE, lang),
        )
        xs = pd.Series(x, dtype="float64").dropna()
        if len(xs):
            lo, hi = window or (float(xs.min()), float(xs.max()))
            pad = max((hi - lo) * 0.05, 86_400_000)
            lo, hi = lo - pad, hi + pad
            vals, text = pick_ticks(axis_ticks(lo, hi, lang), lo, hi)
            fig.update_xaxes(
                tickmode="array",
                tickvals=[pd.Timestamp(v, unit="ms") for v in vals],
                ticktext=text,
            )
    if rtl:
        fig.update_xaxes(autorange="reversed")
        fig.update_yaxes(side="right")
        fig.update_layout(
            legend={"x": 1, "xanchor": "right", "traceorder": "reversed"},
            legend_title_side="top right",
        )


def _escape_hover(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


VERDICT_KEYS = list(VERDICT_BY_KEY)
