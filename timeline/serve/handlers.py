"""The server's request handlers, each given what it needs (no handler reaches into the app).

- :class:`DashboardHandler` (``/``): the page :class:`~timeline.serve.pages.Pages` keeps for the
  current data, rendered first if need be; the busy page (503) or the failed page (500) else.
- :class:`AssetHandler` (``timeline/static/<name>``): the page's three assets, from memory,
  cached for a year under their content-hashed URLs (:class:`Assets`).
- :class:`ListHandler` (``events``, ``search``, ``sources``, ``chart``, ``claims/<id>.html``): answered by
  the list's worker process (:class:`~timeline.serve.lists.ListWorker`).

All of them: a foreign ``Host`` gets 403, errors are a plain line, no cookie is set, logged
URLs are cut (:mod:`timeline.serve.limits`).
"""

from __future__ import annotations

import hashlib
import mimetypes
from dataclasses import dataclass
from typing import Any

import tornado.web
from markupsafe import Markup, escape

from ..i18n.formats import format_number
from ..i18n.tags import language
from ..views.assets import ARABIC_FONTS, ASSET_NAMES, asset_text, font_bytes, plotly_js
from ..views.render import MAX_IDS, templates
from .language import page_words
from .limits import cut, host_allowed, request_summary
from .lists import Ask, ListWorker, NoData, Overloaded
from .pages import BUSY, Page, Pages
from .responses import Blob, send, stream

#: Where the page's assets are served, relative to the page.
STATIC_PREFIX = "timeline/static/"
#: The plotly.js bundle's name on the server.
PLOTLY_NAME = "plotly.min.js"
HTML = "text/html; charset=utf-8"

#: Same-origin only; plotly.js needs inline styles (it injects <style> and style attributes).
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'self'",
    ]
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Cross-Origin-Opener-Policy": "same-origin",
}


@dataclass(frozen=True)
class Assets:
    """The page's assets (our stylesheet and script, plotly.js) as served: name -> (version, blob)."""

    files: dict[str, tuple[str, Blob]]

    @classmethod
    def load(cls) -> Assets:
        texts = {**{name: asset_text(name) for name in ASSET_NAMES}, PLOTLY_NAME: plotly_js()}
        bodies = {name: text.encode() for name, text in texts.items()}
        # timeline.css's Arabic-script font, at the address its url() gives (fonts/ beside it)
        bodies.update({name: font_bytes(name) for name in ARABIC_FONTS})
        files = {}
        for name, body in bodies.items():
            ctype = "font/woff2" if name.endswith(".woff2") else None
            ctype = ctype or mimetypes.guess_type(name)[0] or "application/octet-stream"
            if ctype.startswith("text/") or name.endswith(".js"):
                ctype += "; charset=utf-8"
            files[name] = (hashlib.sha256(body).hexdigest()[:12], Blob.of(body, ctype))
        return cls(files)

    def url(self, name: str) -> str:
        """The asset's URL, relative to the page (so a path-stripping proxy such as
        jupyter-server-proxy needs no base URL), versioned by content."""
        return f"{STATIC_PREFIX}{name}?v={self.files[name][0]}"

    def urls(self) -> dict[str, str]:
        """The URLs the page's template takes (``css_url``, ``js_url``, ``plotly_url``)."""
        return {
            "css_url": self.url("timeline.css"),
            "js_url": self.url("timeline.js"),
            "plotly_url": self.url(PLOTLY_NAME),
        }

    def route(self) -> str:
        """The route's pattern: only these names."""
        return STATIC_PREFIX + "(" + "|".join(n.replace(".", "\\.") for n in self.files) + ")"


def _seconds(n: int, lang: str) -> str:
    return str(n) if language(lang).base == "en" else format_number(n, lang)


@dataclass(frozen=True)
class Notices:
    """The short pages a reader gets instead of the page: busy (503, refreshing) and failed (500)."""

    busy: Blob
    failure: Blob
    retry_after: int

    @classmethod
    def make(cls, css_url: str, *, retry_after: int, lang: str = "en") -> Notices:
        """The pages in the story's language ``lang`` (its ``lang``, ``dir`` and words)."""
        words = page_words(lang)
        direction = language(lang).direction

        def page(title: str, text: str, refresh: int | None = None) -> Blob:
            html = (
                templates(("timeline.serve", "templates"))
                .get_template("notice.html.j2")
                .render(
                    css_url=css_url,
                    title=title,
                    text=Markup(escape(text)),
                    refresh=refresh,
                    lang=lang,
                    dir=direction,
                    reload=words["reload"],
                )
            )
            return Blob.of(html.encode(), HTML)

        return cls(
            busy=page(
                words["busy_title"],
                words["busy"] % {"seconds": _seconds(retry_after, lang)},
                refresh=retry_after,
            ),
            failure=page(words["cannot_show"], words["could_not_build"]),
            retry_after=retry_after,
        )

    def send_busy(self, handler: tornado.web.RequestHandler) -> None:
        """503 with Retry-After: renders, or list requests, are too many right now."""
        handler.set_status(503)
        handler.set_header("Retry-After", str(self.retry_after))
        handler.set_header("Cache-Control", "no-store")
        send(handler, self.busy)


class Guarded(tornado.web.RequestHandler):
    """Our handlers' common manners: a foreign ``Host`` gets 403 (``--allow-host``), errors are
    a plain line, no identity and no cookie (readers are anonymous), logged URLs are cut."""

    def set_default_headers(self) -> None:
        for name, value in SECURITY_HEADERS.items():
            self.set_header(name, value)

    def prepare(self) -> None:
        host = self.request.headers.get("Host")
        if not host_allowed(host, self.settings["timeline_hosts"]):
            raise tornado.web.HTTPError(
                403,
                "Host %s is not served; start `timeline serve` with --allow-host NAME if readers reach it by that name",
                repr(cut(host or "", 100)),
            )

    def compute_etag(self) -> str | None:
        return None  # set from the blob (send), not by hashing the body again

    def _request_summary(self) -> str:  # used by Tornado's log lines for errors
        return request_summary(self)

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        # A plain line, not Jupyter's error page (which needs a user and Jupyter's static files).
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.finish(f"{status_code}: {self._reason}\n")


class AssetHandler(Guarded):
    """One of our asset files (stylesheet, scripts, fonts), from memory; the route's pattern admits only their names."""

    def initialize(self, *, assets: Assets) -> None:
        self.assets = assets

    def get(self, name: str) -> None:
        version, blob = self.assets.files[name]
        if self.get_query_argument("v", None) == version:
            self.set_header("Cache-Control", "public, max-age=31536000, immutable")
        else:
            self.set_header("Cache-Control", "no-cache")
        send(self, blob)

    head = get


class DashboardHandler(Guarded):
    """The one page: the kept page for the current data, rendered first if need be."""

    def initialize(self, *, pages: Pages, notices: Notices) -> None:
        self.pages = pages
        self.notices = notices

    async def get(self) -> None:
        outcome = await self.pages.for_reader()
        if isinstance(outcome, Page):
            self.set_header("Cache-Control", "no-cache")
            send(self, outcome.blob)
        elif outcome is BUSY:
            self.notices.send_busy(self)
        else:
            self.set_status(500)
            self.set_header("Cache-Control", "no-store")
            send(self, self.notices.failure)

    head = get


class ListHandler(Guarded):
    """``events``, ``search``, ``sources`` and ``chart``: a long story a page at a time, and its
    chart's data (timeline.views.listing),
    and ``claims/<id>.html``, a claim's page as the microsite writes it: each answered by the
    list's worker process (``what`` says which)."""

    def initialize(self, *, lists: ListWorker, notices: Notices, css_url: str, what: str) -> None:
        self.lists = lists
        self.notices = notices
        self.css_url = css_url
        self.what = what

    def ask(self, claim_id: str | None) -> tuple[Ask, str]:
        """What to ask the worker for, and the answer's Content-Type."""
        if self.what == "claim":
            return Ask("claim", claim_id, css_url=self.css_url), HTML
        if self.what == "search":
            return Ask("search", self.get_query_argument("q", "")), "application/json"
        if self.what == "chart":
            block = self.get_query_argument("titles", None)
            if block is not None and not (block.isascii() and block.isdigit()):
                raise tornado.web.HTTPError(400, "titles must be a whole number")
            return Ask("chart", None if block is None else int(block)), "application/json"
        if self.what == "events" and self.get_query_argument("ids", None) is not None:
            ids = [i for i in self.get_query_argument("ids").split(",") if i]
            if len(ids) > MAX_IDS:
                raise tornado.web.HTTPError(400, f"at most {MAX_IDS} ids at a time")
            return Ask("ids", ids), "application/json"
        try:
            offset = int(self.get_query_argument("offset", "0"))
        except ValueError:
            raise tornado.web.HTTPError(400, "offset must be a whole number") from None
        return Ask(self.what, offset, css_url=self.css_url), HTML

    async def get(self, claim_id: str | None = None) -> None:
        ask, ctype = self.ask(claim_id)
        try:
            packed = await self.lists.answer(ask)
        except (Overloaded, NoData):  # too many list requests wait, or no good data yet
            self.notices.send_busy(self)
            return
        except KeyError:
            raise tornado.web.HTTPError(404) from None
        self.set_header("Cache-Control", "no-cache")
        await stream(self, packed, ctype)


def routes(
    base: str, *, pages: Pages, lists: ListWorker, assets: Assets, notices: Notices
) -> list[Any]:
    """Every route the server has, under ``base``; any other URL is a 404."""
    css = assets.url("timeline.css")
    listed = {"lists": lists, "notices": notices, "css_url": css}
    return [
        (base, DashboardHandler, {"pages": pages, "notices": notices}),
        (base + assets.route(), AssetHandler, {"assets": assets}),
        (f"{base}events", ListHandler, {**listed, "what": "events"}),
        (f"{base}search", ListHandler, {**listed, "what": "search"}),
        (f"{base}sources", ListHandler, {**listed, "what": "sources"}),
        (f"{base}chart", ListHandler, {**listed, "what": "chart"}),
        (f"{base}claims/([a-z0-9][a-z0-9-]*)\\.html", ListHandler, {**listed, "what": "claim"}),
    ]


__all__ = [
    "SECURITY_HEADERS",
    "STATIC_PREFIX",
    "AssetHandler",
    "Assets",
    "DashboardHandler",
    "ListHandler",
    "Notices",
    "routes",
]
