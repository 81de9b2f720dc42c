"""HTML of the story: header, verdict legend, filters, chart container, every event and claim, sources.

``render_story`` returns one HTML fragment (no ``<html>`` or ``<head>``) shared by
the Voila dashboard and the nbconvert snapshot. All text from the CSV files is
escaped (markupsafe, as Jinja's autoescaping does); only http(s) URLs are ever
emitted as links. The fragment carries the chart's data as JSON (``#tl-data``,
before the list) that ``static/timeline.js`` reads; a long story's carries its chart's groups
only, its data coming after (:mod:`.chart_parts`).

Size and speed: the list is most of the page (10,000 events make megabytes), so
its markup is built here with string joins of pre-escaped parts, not with Jinja,
and kept terse: a source's details (publisher, date, archived copy) appear once,
in the "Sources" section at the end (``li#source-<id>``); each citation in a
card is a short link (title and publisher). Zone labels of times are formatted
by the page's script from the chart data, not repeated in the markup.

Pages may put their scripts at ``SCRIPTS_MARKER``, an HTML comment after the
first ``SCRIPTS_AFTER`` events of a long list (absent from shorter ones): the
first screens of text are parsed and painted first, then the chart is drawn
while the rest of the list is still being parsed.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import jinja2
import pandas as pd
from markupsafe import Markup, escape

from ..core.schema import NO_CLAIMS, VERDICT_BY_KEY, VERDICTS, Verdict, split_list
from ..core.story import DEFAULTS, story_meta
from ..core.urls import safe_url
from ..errors import LoadError
from .chart_language import script_language, story_axis
from .chart_parts import TITLES_PER, actor_group_events, chart_payload, grouped_chart
from .chart_parts import words as loading_words
from .corrections_html import render_corrections
from .figure import FOCUS, PLOTLY_CONFIG, date_labels, event_frame, verdict_styles
from .language import ENGLISH, PageLanguage, page_language

GLYPHS = {
    "circle": "●",
    "diamond": "◆",
    "square": "■",
    "triangle-up": "▲",
    "x": "✕",
    "circle-open": "○",
    "line-ns-open": "│",
}
#: Where a page may put its scripts: after this many events, when the list is longer.
SCRIPTS_AFTER = 100
SCRIPTS_MARKER = "<!--tl-scripts-->"
#: The dashboard server pages the list of a story longer than this (see render_story) ...
PAGED_ABOVE = 2000
#: ... this many events at a time.
LIST_PAGE = 200
#: At most this many events per ``events?ids=`` request: the server refuses more, and the
#: page's script asks for at most this many at a time (the page's data hands it over).
MAX_IDS = 500
#: What a paged list's ``<ol>`` carries: the URL of the server's list (``pages.Pages`` looks for it).
PAGED_LIST_ATTR = "data-src"
NEW_TAB = ' target="_blank" rel="noopener noreferrer"'


@cache
def templates(*folders: tuple[str, str]) -> jinja2.Environment:
    """The Jinja environment of our templates: each ``(package, folder)`` searched in turn;
    autoescaped, and an undefined name is an error, never an empty string."""
    return jinja2.Environment(
        loader=jinja2.ChoiceLoader([jinja2.PackageLoader(pkg, path) for pkg, path in folders]),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )


STORY_TEMPLATES = ("timeline.views", "templates/story")


def _env(lang: PageLanguage = ENGLISH) -> jinja2.Environment:
    return lang.env(STORY_TEMPLATES)


def json_for_script(data: Any) -> str:
    """JSON that is safe inside ``<script type="application/json">`` (no ``</script>`` break-out)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _verdict_view(v: Verdict, lang: PageLanguage = ENGLISH) -> dict[str, Any]:
    return {
        "key": v.key,
        "label": lang.verdict_label(v),
        "meaning": lang.verdict_meaning(v),
        "glyph": GLYPHS.get(v.symbol, "●"),
    }


def _badge(v: Verdict) -> str:
    glyph = GLYPHS.get(v.symbol, "●")
    return (
        f'<span class="tl-verdict tl-verdict--{escape(v.key)}"><span aria-hidden="true">{glyph}</span> '
        f"{escape(v.label)}</span>"
    )


BADGES = {v.key: _badge(v) for v in (*VERDICTS, NO_CLAIMS)}
#: Said before a badge, not shown: a screen reader hears "Verdict: Needs context", and the badge
#: never runs into the words after it (a claim card's heading, a claim page's verdict line).
SAY_VERDICT = '<span class="tl-visually-hidden">Verdict: </span>'


def badges(lang: PageLanguage = ENGLISH) -> dict[str, str]:
    """Each verdict's badge markup in ``lang`` (the desk's labels); :data:`BADGES` in English."""
    if lang is ENGLISH:
        return BADGES
    return {v.key: _badge(lang.verdict(v.key)) for v in (*VERDICTS, NO_CLAIMS)}


def say_verdict(lang: PageLanguage = ENGLISH) -> str:
    """:data:`SAY_VERDICT` in ``lang``."""
    words = escape(lang.gettext("Verdict: "))
    return f'<span class="tl-visually-hidden">{words}</span>'


def _esc(values: Iterable[Any]) -> list[str]:
    """Each value as escaped HTML text, a plain ``str`` (``None`` and NaN as ``""``).

    The values are escaped in one call, joined by a NUL character (which escaping
    leaves alone), then split again: ten times faster than escaping each value.
    """
    texts = [v if isinstance(v, str) else "" for v in values]
    parts = str(escape("\0".join(texts))).split("\0")
    if len(parts) != len(texts):  # a value held a NUL itself
        return [str(escape(v)) for v in texts]
    return parts


def _time(iso: str, label: str) -> str:
    return f'<time datetime="{iso}">{label}</time>' if iso else ""


class _Sources:
    """Each source's markup, escaped once: as cited in a card, and its entry in the Sources section."""

    def __init__(self, sources: pd.DataFrame, lang: PageLanguage = ENGLISH) -> None:
        _ = lang.gettext
        self.lang = lang
        no_link = str(escape(_("no verified link")))
        archived_copy = str(escape(_("archived copy")))
        comma, semi = str(escape(_(", "))), str(escape(_("; ")))
        ids = [str(x).strip() for x in sources["id"]]
        escaped_ids = _esc(ids)
        titles = _esc(sources["title"])
        publishers = _esc(sources["publisher"])
        urls = _esc(safe_url(u) for u in sources["url"])
        archived = _esc(safe_url(u) for u in sources["archived_url"])
        published = _esc(str(x).strip() for x in sources["published"])
        labels = _esc(
            date_labels(
                sources["published_at"],
                sources["published_precision"],
                sources["published_offset"],
            )
            if lang.english
            else [lang.date_label(x) for x in sources["published"]]
        )
        self.cite: dict[str, str] = {}
        self.entry: dict[str, str] = {}
        rows = zip(ids, escaped_ids, titles, publishers, urls, archived, published, labels)
        # A publisher is isolated (<bdi>), as titles are (CSS): right-to-left text or a stray
        # U+202E override in one citation can never reorder the citations after it.
        for sid, eid, title, pub, url, arch, iso, label in rows:
            if url:
                link = f'<a class="tl-source" href="{url}"{NEW_TAB}>{title}</a>'
                self.cite.setdefault(sid, f"{link} (<bdi>{pub}</bdi>)")
            else:
                link = f'<span class="tl-source tl-source--unlinked">{title}</span>'
                self.cite.setdefault(sid, f"{link} (<bdi>{pub}</bdi>{semi}{no_link})")
            meta = pub
            if iso:
                meta += f"{comma}{_time(iso, label)}"
            if not url:
                meta += f"{semi}{no_link}"
            if arch:
                meta += f'{semi}<a class="tl-archive" href="{arch}"{NEW_TAB}>{archived_copy}</a>'
            self.entry.setdefault(
                sid,
                f'<li id="source-{eid}">{link} <span class="tl-source-meta">({meta})</span></li>',
            )
        self.cited: dict[str, None] = {}  # ids in order of first citation

    def cites(self, refs: str) -> list[str]:
        out = []
        for sid in split_list(refs):
            self.cited.setdefault(sid)
            cite = self.cite.get(sid)
            if cite is None:  # an unknown id cannot pass validation; name it, link nothing
                unknown = escape(self.lang.gettext("unknown source"))
                cite = f'<span class="tl-source tl-source--unlinked">{str(escape(sid))}</span> ({unknown})'
            out.append(cite)
        return out

    def section(self) -> str:
        return "\n".join(self.entry[s] for s in self.cited if s in self.entry)


def _ul(items: list[str]) -> str:
    return "<ul><li>" + "</li><li>".join(items) + "</li></ul>"


def _claims_by_event(
    claims: pd.DataFrame, lang: PageLanguage = ENGLISH
) -> dict[str, list[tuple[str, ...]]]:
    """Each event's claims, in file order, as tuples of escaped cells (and raw source refs)."""
    labels = _esc(
        date_labels(claims["reviewed_at"], claims["reviewed_precision"], claims["reviewed_offset"])
        if lang.english
        else [lang.date_label(x) for x in claims["reviewed"]]
    )
    out: dict[str, list[tuple[str, ...]]] = {}
    rows = zip(
        claims["event_id"].tolist(),
        _esc(claims["id"]),
        [v if v in VERDICT_BY_KEY else NO_CLAIMS.key for v in claims["verdict"].tolist()],
        _esc(claims["claimant"]),
        _esc(claims["claim"]),
        _esc(claims["rationale"]),
        claims["said_in"].tolist(),
        claims["evidence"].tolist(),
        _esc(str(x).strip() for x in claims["reviewed"]),
        labels,
        _esc(" ".join(x.split()) if isinstance(x, str) else "" for x in claims["bottom_line"]),
    )
    for event_id, *row in rows:
        out.setdefault(str(event_id).strip(), []).append(tuple(row))
    return out


def claim_link(claim_href: str | None, claim_id: str, lang: PageLanguage = ENGLISH) -> str:
    """The link to a claim's own page (``claim_href`` holds ``{id}``), or ``""`` without one."""
    if not claim_href:
        return ""
    href = escape(claim_href.replace("{id}", claim_id))
    text = escape(lang.gettext("The full check of this claim"))
    return f'<p class="tl-permalink"><a href="{href}">{text}</a></p>'


def _claim_item(
    row: tuple[str, ...],
    sources: _Sources,
    claim_href: str | None = None,
    words: dict[str, str] | None = None,
) -> str:
    """One claim as ``li.tl-claim``: a heading (``h4``, under its event's ``h3``) read as "Verdict:
    <label>. Claim by <claimant>", the desk's bottom line when there is one, the claim, our check, sources, review date, and, with
    ``claim_href``, a link to the claim's own page."""
    cid, key, claimant, claim, rationale, said_in, evidence, reviewed, label, bottom_line = row
    w = words or _words(sources.lang)
    said = w["semi"].join(sources.cites(said_in))
    cited = sources.cites(evidence)
    return (
        f'<li class="tl-claim" id="claim-{cid}" data-verdict="{key}">'
        f'<h4 class="tl-claim-head">{w["say"]}{w[key]}<span class="tl-visually-hidden">{w["claim by"]}</span> '
        f'<b class="tl-claimant" dir="auto">{claimant}</b></h4>'
        + (
            f'<p class="tl-bottom-line"><b>{w["bottom line"]}</b> <bdi>{bottom_line}</bdi></p>'
            if bottom_line
            else ""
        )
        + f'<blockquote dir="auto"><p>{claim}</p></blockquote>'
        f"<p><b>{w['our check']}</b> <bdi>{rationale}</bdi></p>"
        f"<p><b>{w['said in']}</b> {said}</p>"
        + (f'<div class="tl-evidence"><b>{w["evidence"]}</b>{_ul(cited)}</div>' if cited else "")
        + f'<p class="tl-reviewed">{w["reviewed"]}{_time(reviewed, label)}</p>'
        + claim_link(claim_href, cid, sources.lang)
        + "</li>"
    )


@cache
def _words(lang: PageLanguage) -> dict[str, str]:
    """The kit's words of a claim card and an event card in ``lang``, escaped once."""
    _ = lang.gettext
    words = {
        "say": say_verdict(lang),
        "claim by": _(". Claim by"),
        "bottom line": _("Bottom line:"),
        "our check": _("Our check:"),
        "said in": _("Said in:"),
        "evidence": _("Evidence:"),
        "reviewed": _("Reviewed "),
        "to": _(" to "),
        "category": _("Category:"),
        "actors": _("Actors:"),
        "where": _("Where:"),
        "summary": _("Summary"),
        "sources": _("Sources (%(n)s)"),
        "claims checked": _("Claims checked"),
        "semi": _("; "),
    }
    escaped = {k: v if k == "say" else str(escape(v)) for k, v in words.items()}
    return {**escaped, **badges(lang)}


def event_date(
    display: str, start: str, label: str, end: str = "", end_label: str = "", to: str = " to "
) -> str:
    """An event's date as the list shows it, from escaped parts: one readable date, read once.

    The desk's display date when there is one, else the date as ``figure.date_labels`` reads it;
    the exact date stays in the ``<time>`` element's ``datetime``, and its reading in its
    ``title`` when the display date replaced it (a screen reader reads one date, not two).
    """
    if not display:
        date = _time(start, label)
        return date + (f"{to}{_time(end, end_label)}" if end else "")
    if not start:
        return f'<b dir="auto">{display}</b>'
    exact = f"{label}{to}{end_label}" if end else label
    return f'<b><time datetime="{start}" title="{exact}" dir="auto">{display}</time></b>'


def _event_items(
    ds: Any,
    frame: pd.DataFrame,
    sources: _Sources,
    claims: dict[str, list[tuple[str, ...]]] | None = None,
    claim_href: str | None = None,
) -> list[str]:
    """Each event of ``frame`` (in its order) as ``li.tl-event`` markup holding its card and claims.

    ``claims`` is ``_claims_by_event(ds.claims)``, computed here when not given;
    ``claim_href`` (with ``{id}``) links each claim to its own page.
    """
    if frame.empty:
        return []
    lang = sources.lang
    w = _words(lang)
    ev = ds.events.iloc[frame["row"].to_numpy()]
    if claims is None:
        claims = _claims_by_event(ds.claims, lang)
    if lang.english:
        end_labels = _esc(date_labels(ev["end_at"], ev["end_precision"], ev["end_offset"]))
        own_labels = _esc(frame["label_own"])
    else:
        end_labels = _esc(lang.date_label(x) for x in ev["end"])
        own_labels = _esc(lang.date_label(x) for x in ev["start"])
    rows = zip(
        frame["id"].tolist(),
        _esc(frame["id"]),
        _esc(frame["display_date"]),
        _esc(str(x).strip() for x in ev["start"]),
        own_labels,
        _esc(str(x).strip() for x in ev["end"]),
        end_labels,
        _esc(frame["title"]),
        _esc(frame["category"]),
        _esc(lang.gettext(", ").join(xs) for xs in frame["actors"]),
        _esc(str(x).strip() for x in ev["location"]),
        _esc(ev["summary"]),
        ev["sources"].tolist(),
    )
    items = []
    for (
        raw_id,
        eid,
        dd,
        start,
        label,
        end,
        end_label,
        title,
        category,
        actors,
        where,
        summary,
        refs,
    ) in rows:
        date = event_date(dd, start, label, end, end_label, w["to"])
        meta = f"<span><b>{w['category']}</b> <bdi>{category}</bdi></span>"
        if actors:
            meta += f" <span><b>{w['actors']}</b> <bdi>{actors}</bdi></span>"
        if where:
            meta += f" <span><b>{w['where']}</b> <bdi>{where}</bdi></span>"
        cites = sources.cites(refs)
        cited = _ul(cites)  # before the claims: the order in which a reader meets them
        own = claims.get(raw_id)
        items.append(
            f'<li class="tl-event" id="event-{eid}">'
            f'<p class="tl-date">{date}</p>'
            f'<h3><a href="#event-{eid}">{title}</a></h3>'
            f'<p class="tl-meta">{meta}</p>'
            # The summary and the sources are collapsed (still in the HTML, found by the search and by
            # the browser's find): a phone shows the dates, titles and claims first.
            + (
                f'<details class="tl-fold"><summary>{w["summary"]}</summary><p class="tl-summary" dir="auto">{summary}</p></details>'
                if summary.strip()
                else ""
            )
            + f'<details class="tl-fold tl-sources"><summary>{w["sources"] % {"n": lang.digits(len(cites))}}</summary>{cited}</details>'
            + (
                f'<ul class="tl-claims" aria-label="{w["claims checked"]}">'
                + "".join(_claim_item(c, sources, claim_href, w) for c in own)
                + "</ul>"
                if own
                else ""
            )
            + "</li>"
        )
    return items


def more_link(
    list_url: str,
    offset: int,
    total: int,
    lang: PageLanguage = ENGLISH,
    *,
    page_size: int = LIST_PAGE,
    query: bool = True,
) -> str:
    """The plain link to the next page of a paged list (readers without JavaScript follow it):
    ``list_url?offset=N`` (a server's list), or ``list_url`` itself with ``query=False`` (a file)."""
    last = min(offset + page_size, total)
    href = f"{escape(list_url)}?offset={offset}" if query else escape(list_url)
    text = lang.gettext("Events %(first)s to %(last)s of %(total)s") % {
        "first": lang.number(offset + 1),
        "last": lang.number(last),
        "total": lang.number(total),
    }
    return f'<p class="tl-more" id="tl-more-link"><a href="{href}">{escape(text)}</a></p>'


@dataclass(frozen=True)
class StaticList:
    """How a page's long list is paged from files (see :func:`render_story`): ``page`` events
    on the page and per "show more", the next page's file (readers without JavaScript), the
    sources page, and ``defer(data)``, which writes the chart's data for every event and
    returns what the page's script needs to find it (the ``list`` entry of the page's data)."""

    page: int
    more_href: str
    sources_href: str
    defer: Callable[[dict[str, Any]], dict[str, Any]]


class EventMarkup:
    """One data version's list markup, escaped once: any events' cards with their claims
    (``li.tl-event``, as the story's list shows them) and every source's entry.

    Build it once and ask for any slice of events: the paged list (:mod:`.listing`) does.
    """

    def __init__(self, ds: Any, *, claim_href: str | None = None, lang: str | None = None) -> None:
        self.ds = ds
        self.claim_href = claim_href
        self.lang = page_language(ds)
        self._sources = _Sources(ds.sources, self.lang)
        self._claims = _claims_by_event(ds.claims, self.lang)

    def event_items(self, frame: pd.DataFrame) -> list[str]:
        """The ``li.tl-event`` markup of each event of ``frame`` (an ``event_frame``), in its order;
        with ``claim_href``, each claim card links its own page, as :func:`render_story`'s do."""
        return _event_items(self.ds, frame, self._sources, self._claims, claim_href=self.claim_href)

    def source_entries(self) -> list[str]:
        """Every source's ``li`` entry (as in the Sources section), in sources.csv's order."""
        return list(self._sources.entry.values())


def render_story(
    ds: Any,
    *,
    mode: str = "dashboard",
    only: list[str] | None = None,
    list_url: str | None = None,
    claim_href: str | None = None,
    static_list: StaticList | None = None,
) -> str:
    """The story as one HTML fragment: a ``<div id="timeline-app">`` with every event and claim.

    ``only`` limits the list to those event ids (for previews of one card).
    ``list_url`` (the dashboard server's ``events`` endpoint) pages the list of a story
    of more than ``PAGED_ABOVE`` events: the page holds the first ``LIST_PAGE`` events
    and the chart's groups (``chart_parts.grouped_chart``), drawn at once; ``timeline.js``
    then asks the server for every event's chart data (``chart``, without titles: the hover's
    come ``chart?titles=K``, as a zoom shows single events), for the events a reader's
    filters show (and for text matches), and readers without JavaScript follow plain links
    to the next pages. ``claim_href``, a URL holding
    ``{id}`` (``claims/{id}.html``), links each claim card to the claim's own page.
    ``static_list`` pages the list from files instead of a server (the microsite, :mod:`timeline.publish.sitelist`): the page holds its
    first ``static_list.page`` events and a grouped chart drawn from a few numbers; the
    chart's data for every event is handed to ``static_list.defer``, which writes it to a
    script file and returns what the page's data says about it (its URL, the list's files).
    """
    lang = page_language(ds)
    # In another language than English a label costs a calendar's conversion: only the events
    # the page lists get theirs (_event_items); the chart's script writes its own.
    frame = event_frame(ds, zones=("own",) if lang.english else (), lang=lang.tag)
    if only is not None:
        frame = frame[frame["id"].isin(only)].reset_index(drop=True)
    claims = ds.claims
    sources = _Sources(ds.sources, lang)
    static = static_list is not None
    paged = static or (bool(list_url) and len(frame) > PAGED_ABOVE)
    page = static_list.page if static_list is not None and static else LIST_PAGE
    items = _event_items(ds, frame.head(page) if paged else frame, sources, claim_href=claim_href)
    if len(items) > SCRIPTS_AFTER:
        items.insert(SCRIPTS_AFTER, SCRIPTS_MARKER)

    verdict_views = {v.key: _verdict_view(v, lang) for v in (*VERDICTS, NO_CLAIMS)}
    counts = claims["verdict"].value_counts()
    groups = actor_group_events(ds, frame)
    reviewed = claims["reviewed_at"].dropna()
    last = ""
    if len(reviewed):
        last = claims.loc[reviewed.idxmax(), "reviewed"].strip()
    date_min = date_max = ""
    if len(frame):
        date_min = pd.Timestamp(int(frame["s"].min()), unit="ms").strftime("%Y-%m-%d")
        date_max = (
            pd.Timestamp(int(frame["e"].max()), unit="ms") - pd.Timedelta(milliseconds=1)
        ).strftime("%Y-%m-%d")
    data: dict[str, Any] = {
        **chart_payload(ds, frame, groups),
        "verdicts": [  # the chart's legend and hover: the desk's own labels, as the list shows them
            {**style, "label": verdict_views[style["key"]]["label"]}
            for style in verdict_styles(lang.tag)
        ],
        "focus": FOCUS,
        "config": PLOTLY_CONFIG,
    }
    # The story's language for the script's words, dates and axis (None: English, as written).
    i18n = script_language(
        lang.tag,
        direction=story_axis(ds.folder),
        lo_ms=float(frame["s"].min()) if len(frame) else None,
        hi_ms=float(frame["e"].max()) if len(frame) else None,
    )
    if i18n is not None:
        data["i18n"] = i18n
    list_attrs = ""
    more = ""
    sources_url = ""
    chart = data["events"]
    # A long story's page holds no event's chart data: its chart is drawn from its groups, and
    # the data comes after (timeline.views.chart_parts), from files or from the server.
    kept = ("verdicts", "focus", "config", "i18n")
    if static and static_list is not None:
        data = {"list": static_list.defer(data), **{k: data[k] for k in kept if k in data}}
        more = more_link(static_list.more_href, page, len(frame), lang, page_size=page, query=False)
        sources_url = static_list.sources_href
    elif paged:
        sources_url = urljoin(str(list_url), "sources")
        data["list"] = {
            "src": list_url,
            "search": urljoin(str(list_url), "search"),
            "page": LIST_PAGE,
            "max_ids": MAX_IDS,
            "data": urljoin(str(list_url), "chart"),
            "titles": urljoin(str(list_url), "chart") + "?titles={k}",
            "titles_per": TITLES_PER,
            "chart": grouped_chart(chart),
            "words": loading_words(lang),
        }
        data = {"list": data["list"], **{k: data[k] for k in kept if k in data}}
        list_attrs = f' {PAGED_LIST_ATTR}="{escape(list_url)}"'
        more = more_link(str(list_url), LIST_PAGE, len(frame), lang)
    return (
        _env(lang)
        .get_template("story.html.j2")
        .render(
            mode=mode,
            meta=_meta(ds, lang),
            verdicts=[verdict_views[v.key] for v in VERDICTS],
            badges={k: Markup(b) for k, b in badges(lang).items()},
            categories=chart["cats"],
            actors=chart["actors"],
            n_events=len(frame),
            n_claims=len(claims),
            last_updated=last,
            last_updated_label=lang.date_label(last),
            date_min=date_min,
            date_max=date_max,
            data_json=Markup(json_for_script(data)),
            events=Markup("\n".join(items)),
            list_attrs=Markup(list_attrs),
            more=Markup(more),
            paged=paged,
            page_size=page,
            sources="" if paged else Markup(sources.section()),
            sources_url=sources_url,
            n_sources=len(ds.sources),
            corrections=render_corrections(ds),
            # The count strip: each verdict (in the legend's order) with its claims, linking to that view.
            actor_groups=groups,
            verdict_counts=[
                (verdict_views[v.key], int(counts[v.key])) for v in VERDICTS if counts.get(v.key, 0)
            ],
        )
    )


def _meta(ds: Any, lang: PageLanguage) -> dict[str, str]:
    """story.json's title and standfirst; the kit's default title in the page's language."""
    meta = story_meta(ds.folder)
    if meta["title"] == DEFAULTS["title"]:
        meta["title"] = lang.gettext(DEFAULTS["title"])
    return meta


def render_event_card(ds: Any, event_id: str) -> str:
    """One event's card (``li.tl-event``, as in the list), e.g. for the authoring notebook's preview."""
    lang = page_language(ds)
    frame = event_frame(ds, zones=("own",), lang=lang.tag)
    frame = frame[frame["id"] == event_id].head(1).reset_index(drop=True)
    if frame.empty:
        raise KeyError(f"no event with id '{event_id}'")
    return _event_items(ds, frame, _Sources(ds.sources, lang))[0]


def render_error(messages: list[str], folder: Path) -> str:
    """A short, plain error fragment naming the file and line of each problem (no traceback),
    in the story's language when its story.json can say it (else English)."""
    prefix = str(Path(folder))
    shown = [m.replace(prefix, Path(folder).name) for m in messages]
    try:
        lang = page_language(folder)
    except LoadError:  # a broken story.json is one of the problems shown: English then
        lang = ENGLISH
    return _env(lang).get_template("error.html.j2").render(messages=shown, folder=Path(folder).name)


__all__ = [
    "BADGES",
    "GLYPHS",
    "EventMarkup",
    "LIST_PAGE",
    "MAX_IDS",
    "PAGED_ABOVE",
    "PAGED_LIST_ATTR",
    "SCRIPTS_AFTER",
    "SAY_VERDICT",
    "SCRIPTS_MARKER",
    "StaticList",
    "VERDICT_BY_KEY",
    "badges",
    "say_verdict",
    "event_date",
    "claim_link",
    "render_error",
    "render_event_card",
    "render_story",
]
