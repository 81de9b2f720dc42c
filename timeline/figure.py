"""The timeline's encoding: one record per event, and the Plotly figure built from it.

``event_frame(ds)`` computes, vectorised, what the chart needs per event: where
it sits in time (UTC milliseconds, its period at its own precision), its lane,
its worst verdict, and its hover label in each time zone. The page's script
(``static/timeline.js``) draws from the same records; ``build_figure`` draws
them in Python for notebook previews.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from .dates import format_offset
from .schema import NO_CLAIMS, VERDICT_BY_KEY, VERDICTS

ZONES = ("own", "utc", "london")
ZONE_LABELS = {"own": "As reported (local time)", "utc": "UTC", "london": "London"}
LANES = ("category", "actor")
NO_ACTOR = "(no actor named)"
# Rank for "worst verdict": lower is worse; not-rated sorts after every rated verdict.
_RANK = {v.key: (v.rating if v.rating is not None else 6) for v in VERDICTS}
_BY_RANK = {rank: key for key, rank in _RANK.items()}


def worst_verdicts(events: pd.DataFrame, claims: pd.DataFrame) -> pd.Series:
    """Each event's worst claim verdict key, ``no-claims`` where it has none."""
    ranks = claims["verdict"].map(_RANK)
    worst = ranks.groupby(claims["event_id"]).min()
    return events["id"].map(worst).map(_BY_RANK).fillna(NO_CLAIMS.key)


def _fmt_day(t: pd.Series) -> pd.Series:
    return t.dt.day_name() + " " + t.dt.day.astype(str) + " " + t.dt.month_name() + " " + t.dt.year.astype(str)


def _fmt_time(t: pd.Series, seconds: pd.Series) -> pd.Series:
    hm = t.dt.strftime("%H:%M")
    sec = t.dt.strftime(":%S")
    return _fmt_day(t) + ", " + hm + sec.where(seconds, "")


def event_frame(ds: Any) -> pd.DataFrame:
    """One row per event in reading order, with everything the chart and list need."""
    ev = ds.events
    if ev.empty:
        cols = ["id", "title", "category", "actors", "verdict", "s", "e", "x", "span", "precision", "own", "london", "date_label"]
        return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
    at, until = ev["start_at"], ev["start_until"]
    end_until = ev["end_until"]
    e = end_until.where(end_until.notna(), until)
    precision = ev["start_precision"]
    timed = precision.isin(["minute", "second"])
    seconds = precision == "second"
    own = ev["start_offset"].astype("Float64")
    naive = at.dt.tz_localize(None)
    london_naive = at.dt.tz_convert("Europe/London").dt.tz_localize(None)
    london = ((london_naive - naive).dt.total_seconds() / 60).where(timed)
    own_naive = naive + pd.to_timedelta(own.fillna(0).astype(float), unit="min")

    label_date = pd.Series("", index=ev.index, dtype=object)
    label_date[precision == "year"] = at.dt.year.astype(str)[precision == "year"]
    month = precision == "month"
    label_date[month] = (at.dt.month_name() + " " + at.dt.year.astype(str))[month]
    day = precision == "day"
    label_date[day] = _fmt_day(at)[day]
    offsets = own.fillna(0).astype(int).map(format_offset)
    label_own = label_date.copy()
    label_own[timed] = (_fmt_time(own_naive, seconds) + " (" + offsets + ")")[timed]
    label_utc = label_date.copy()
    label_utc[timed] = (_fmt_time(naive, seconds) + " (UTC)")[timed]
    london_tag = pd.Series("GMT", index=ev.index).where(london.fillna(0) == 0, "BST")
    label_london = label_date.copy()
    label_london[timed] = (_fmt_time(london_naive, seconds) + " (London, " + london_tag + ")")[timed]

    ms = (at - pd.Timestamp(0, tz="UTC")) // pd.Timedelta(milliseconds=1)
    ms_end = (e - pd.Timestamp(0, tz="UTC")) // pd.Timedelta(milliseconds=1)
    span = ~timed | end_until.notna()
    out = pd.DataFrame(
        {
            "id": ev["id"],
            "title": ev["title"],
            "category": ev["category"].str.strip(),
            "actors": ev["actors"].fillna("").str.split(";").map(lambda xs: [x.strip() for x in xs if x.strip()]),
            "verdict": worst_verdicts(ev, ds.claims),
            "s": ms,
            "e": ms_end,
            "span": span,
            "precision": precision,
            "own": own,
            "london": london,
            "display_date": ev["display_date"].fillna("").str.strip(),
            "label_own": label_own,
            "label_utc": label_utc,
            "label_london": label_london,
            "line": ev["line"],
            "day": at.dt.floor("D"),
        }
    )
    out["date_label"] = out["display_date"].where(out["display_date"] != "", out["label_own"])
    order = out.sort_values(["day", "line", "s"], kind="stable", na_position="last").index
    return out.loc[order].reset_index(drop=True)


def chart_data(frame: pd.DataFrame) -> dict[str, Any]:
    """The compact, columnar form of ``event_frame`` that the page's script reads."""

    def col(name: str) -> list[Any]:
        return [None if pd.isna(v) else v for v in frame[name].tolist()]

    timed = ~frame["span"] | frame["own"].notna()
    return {
        "id": frame["id"].tolist(),
        "title": frame["title"].tolist(),
        "cat": frame["category"].tolist(),
        "actors": frame["actors"].tolist(),
        "v": frame["verdict"].tolist(),
        "s": [int(x) for x in frame["s"]],
        "e": [int(x) for x in frame["e"]],
        "span": [bool(x) for x in frame["span"]],
        "own": [None if pd.isna(x) else int(x) for x in frame["own"]],
        "london": [None if pd.isna(x) else int(x) for x in frame["london"]],
        "dd": col("display_date"),
        "lab": [
            [o, u, lo] if t else o
            for o, u, lo, t in zip(frame["label_own"], frame["label_utc"], frame["label_london"], timed)
        ],
    }


def verdict_styles() -> list[dict[str, Any]]:
    """The verdicts (and 'no claims') with the colour, symbol and label the chart uses."""
    return [
        {"key": v.key, "label": v.label, "meaning": v.meaning, "colour": v.colour, "symbol": v.symbol}
        for v in (*VERDICTS, NO_CLAIMS)
    ]


def _shift(ms: pd.Series, frame: pd.DataFrame, zone: str) -> pd.Series:
    if zone == "utc":
        return ms
    minutes = frame["own" if zone == "own" else "london"].fillna(0).astype(float)
    return ms + minutes * 60_000


def build_figure(ds: Any, *, lanes: str = "category", zone: str = "own") -> Any:
    """The timeline as a Plotly figure: one lane per category (or actor), verdict by colour and symbol."""
    import plotly.graph_objects as go

    if lanes not in LANES:
        raise ValueError(f"lanes must be one of {', '.join(LANES)}, not {lanes!r}")
    if zone not in ZONES:
        raise ValueError(f"zone must be one of {', '.join(ZONES)}, not {zone!r}")
    frame = event_frame(ds)
    if lanes == "actor":
        frame = frame.assign(lane=frame["actors"].map(lambda xs: xs or [NO_ACTOR])).explode("lane")
    else:
        frame = frame.assign(lane=frame["category"])
    s = _shift(frame["s"].astype(float), frame, zone)
    e = _shift(frame["e"].astype(float), frame, zone)
    x = s.where(~frame["span"], (s + e) / 2)
    label = frame["display_date"].where(frame["display_date"] != "", frame[f"label_{zone}"])
    fig = go.Figure()
    for style in verdict_styles():
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
                go.Scatter(x=xs, y=ys, mode="lines", line={"color": style["colour"], "width": 10},
                           opacity=0.3, hoverinfo="skip", showlegend=False)
            )
        fig.add_trace(
            go.Scatter(
                x=pd.to_datetime(x[m], unit="ms"),
                y=frame["lane"][m],
                mode="markers",
                name=style["label"],
                marker={"color": style["colour"], "symbol": style["symbol"], "size": 13,
                        "line": {"color": style["colour"], "width": 2}},
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
    return fig


def _escape_hover(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


VERDICT_KEYS = list(VERDICT_BY_KEY)
