"""The embed: a compact view of the timeline for an ``<iframe>`` in a newsroom's article.

``render_embed(ds, ...)`` writes the whole ``embed.html``: the story's title, every
event in reading order with its date as the timeline shows it, each claim with its
verdict badge (colour, glyph and label, as on the pages) linking to its claim page
in a new tab, and a link to the full timeline. It needs no JavaScript; its one
script (``EMBED_JS``, an asset file) tells the host page its height whenever it
changes, by ``postMessage``. A strict Content-Security-Policy allows only the
page's own stylesheets and script (from ``assets``): no inline code, no request to
any other host.

``embed_code(url, title=...)`` is what a newsroom pastes: the ``<iframe>`` and a few
lines of script that set its height from those messages, only from that frame.
Framing by other origins is allowed by an HTTP header (CSP ``frame-ancestors``),
which a ``<meta>`` cannot set: the site's server or host sets it for this page only.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from importlib.resources import files
from typing import Any

from markupsafe import escape

from ..core.story import story_meta
from ..core.urls import safe_url
from ..views.figure import date_labels, event_frame
from ..views.language import PageLanguage, page_language
from ..views.render import badges, event_date, say_verdict

STATIC = files("timeline.publish") / "static"
#: The frame's script: posts ``{type: "timeline:height", height}`` to the parent page.
EMBED_JS: str = (STATIC / "embed.js").read_text(encoding="utf-8")
#: The embed's own styles, used with ``timeline.css``.
EMBED_CSS: str = (STATIC / "embed.css").read_text(encoding="utf-8")
#: The asset names ``render_embed`` links, and their texts (``timeline.css`` is ``views.assets``').
ASSET_NAMES = ("timeline.css", "embed.css", "embed.js")
EMBED_ASSETS = {"embed.css": EMBED_CSS, "embed.js": EMBED_JS}
MESSAGE_TYPE = "timeline:height"
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; "
    "base-uri 'none'; form-action 'none'"
)
OPEN = ' target="_blank" rel="noopener"'
#: A story of more events shows its latest this many, and links to the rest: the frame stays light.
EMBED_EVENTS = 100


def _text(value: Any) -> str:
    return str(escape(value if isinstance(value, str) else ""))


def _claims_by_event(
    ds: Any, claim_href: Callable[[str], str], lang: PageLanguage
) -> dict[str, list[str]]:
    """Each event's claims as ``<li>`` markup: badge, claimant, the headline (else the claim) linked,
    then the claim's bottom line, if it has one."""
    claims = ds.claims
    headlines = claims["headline"] if "headline" in claims.columns else [""] * len(claims)
    bottoms = claims["bottom_line"] if "bottom_line" in claims.columns else [""] * len(claims)
    out: dict[str, list[str]] = {}
    marks = badges(lang)
    say = say_verdict(lang)
    claim_by = _text(lang.gettext(". Claim by"))
    rows = zip(
        claims["id"],
        claims["event_id"],
        claims["verdict"],
        claims["claimant"],
        claims["claim"],
        headlines,
        bottoms,
    )
    for cid, event_id, verdict, claimant, claim, headline, bottom in rows:
        text = headline.strip() if isinstance(headline, str) and headline.strip() else claim
        bottom = " ".join(bottom.split()) if isinstance(bottom, str) else ""
        badge = marks.get(str(verdict).strip(), marks["no-claims"])
        href = _text(claim_href(str(cid).strip()))
        out.setdefault(str(event_id).strip(), []).append(
            f'<li>{say}{badge}<span class="tl-visually-hidden">{claim_by}</span> '
            f'<span class="tl-claimant"{lang.data_dir}>{_text(claimant)}</span> '
            f'<a href="{href}"{OPEN}{lang.data_dir}>{_text(text)}</a>'
            + (f'<p class="tl-bottom-line"{lang.data_dir}>{_text(bottom)}</p>' if bottom else "")
            + "</li>"
        )
    return out


def _events(
    ds: Any, claim_href: Callable[[str], str], lang: PageLanguage, latest: int | None = None
) -> list[str]:
    frame = event_frame(ds, zones=("own",))
    if latest is not None:
        frame = frame.tail(latest)
    if frame.empty:
        return []
    ev = ds.events.iloc[frame["row"].to_numpy()]
    if lang.english:
        ends = date_labels(ev["end_at"], ev["end_precision"], ev["end_offset"]).tolist()
        starts = frame["label_own"].tolist()
    else:
        ends = [lang.date_label(x) for x in ev["end"]]
        starts = [lang.date_label(x) for x in ev["start"]]
    claims = _claims_by_event(ds, claim_href, lang)
    to = lang.gettext(" to ")
    claims_checked = _text(lang.gettext("Claims checked"))
    items = []
    rows = zip(
        frame["id"],
        frame["display_date"],
        ev["start"],
        starts,
        ev["end"],
        ends,
        frame["title"],
    )
    for eid, display, start, label, end, end_label, title in rows:
        date = event_date(
            _text(display),
            _text(str(start).strip()),
            _text(label),
            _text(str(end).strip()),
            _text(end_label),
            to,
        )
        own = claims.get(str(eid).strip())
        items.append(
            f'<li><p class="tl-date">{date}</p><h2{lang.data_dir}>{_text(title)}</h2>'
            + (
                f'<ul class="tl-embed-claims" aria-label="{claims_checked}">{"".join(own)}</ul>'
                if own
                else ""
            )
            + "</li>"
        )
    return items


def render_embed(
    ds: Any, *, assets: Mapping[str, str], claim_href: Callable[[str], str], story_href: str
) -> str:
    """The whole ``embed.html`` for ``ds``: see the module's docstring. A story of more than
    ``EMBED_EVENTS`` events shows its latest ``EMBED_EVENTS`` (in reading order), and says so.

    ``assets`` maps ``timeline.css``, ``embed.css`` and ``embed.js`` to their hrefs
    (relative to the page); ``claim_href(claim_id)`` gives a claim page's href and
    ``story_href`` the full timeline's.
    """
    missing = [name for name in ASSET_NAMES if name not in assets]
    if missing:
        raise ValueError(
            f"render_embed needs the href of each asset; missing: {', '.join(missing)}"
        )
    meta = story_meta(getattr(ds, "folder", None))
    title = _text(meta["title"])
    story = _text(story_href)
    n_events, n_claims = len(ds.events), len(ds.claims)
    lang = page_language(ds)
    latest = EMBED_EVENTS if n_events > EMBED_EVENTS else None
    items = "\n".join(_events(ds, claim_href, lang, latest))
    shown = ""
    if latest is not None:
        shown = (
            '<p class="tl-embed-latest">'
            + _text(
                lang.gettext("The latest %(shown)s of %(total)s events:")
                % {"shown": lang.number(latest), "total": lang.number(n_events)}
            )
            + "</p>\n"
        )
    facts = lang.gettext("%(events)s, %(claims)s") % {
        "events": lang.count("events", n_events)
        if not lang.english
        else f"{n_events:,} event{'s' if n_events != 1 else ''}",
        "claims": lang.ngettext("%(num)s claim checked", "%(num)s claims checked", n_claims)
        if not lang.english
        else f"{n_claims:,} claim{'s' if n_claims != 1 else ''} checked",
    }
    rtl = ' dir="rtl"' if lang.direction == "rtl" else ""
    more = _text(lang.gettext("The full timeline, with every source"))
    css = "".join(
        f'<link rel="stylesheet" href="{_text(assets[n])}">\n'
        for n in ("timeline.css", "embed.css")
    )
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{_text(lang.tag)}"{rtl}>\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        # no icon: opened on its own, the page would ask the host for /favicon.ico (a 404)
        '<link rel="icon" href="data:,">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="referrer" content="strict-origin-when-cross-origin">\n'
        f"<title>{title}</title>\n{css}</head>\n<body>\n"
        '<main class="tl-app tl-embed">\n'
        f'<h1 class="tl-embed-title"{lang.data_dir}><a href="{story}"{OPEN}>{title}</a></h1>\n'
        f'<p class="tl-embed-facts">{_text(facts)}</p>\n'
        f'{shown}<ol class="tl-embed-list">\n{items}\n</ol>\n'
        f'<p class="tl-embed-more"><a href="{story}"{OPEN}>{more}</a></p>\n'
        "</main>\n"
        f'<script src="{_text(assets["embed.js"])}"></script>\n'
        "</body>\n</html>\n"
    )


#: The host page's side: size the frame from its messages, and only its messages.
HOST_SCRIPT = """<script>
(function () {
  var frame = document.currentScript.previousElementSibling;
  window.addEventListener("message", function (event) {
    var data = event.data;
    if (event.source !== frame.contentWindow || !data || data.type !== "MESSAGE_TYPE") return;
    if (typeof data.height !== "number" || !(data.height > 0 && data.height < 100000)) return;
    frame.style.height = Math.ceil(data.height) + "px";
  });
})();
</script>""".replace("MESSAGE_TYPE", MESSAGE_TYPE)


def embed_code(embed_url: str, *, title: str) -> str:
    """The HTML a newsroom pastes into an article: the ``<iframe>`` and its sizing script.

    ``embed_url`` is the absolute http(s) address of the site's ``embed.html``;
    ``title`` names the frame for screen readers. Without script on the host page
    the frame keeps a 600 px height (and scrolls).
    """
    url = safe_url(embed_url)
    if not url:
        raise ValueError(
            f"embed_url must be the absolute http(s) address of embed.html on your site, not {embed_url!r}"
        )
    return (
        f'<iframe src="{_text(url)}" title="{_text(title)}" loading="lazy" height="600" '
        f'style="width:100%;border:0"></iframe>\n{HOST_SCRIPT}\n'
    )


__all__ = ["EMBED_ASSETS", "EMBED_CSS", "EMBED_JS", "embed_code", "render_embed"]
