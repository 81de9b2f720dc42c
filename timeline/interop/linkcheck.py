"""Are the sources still there? Check every ``url`` and ``archived_url`` of a data folder.

Checks run concurrently in a bounded thread pool, each with a timeout. Every redirect is
followed (up to ``max_redirects``) and reported with the final URL. A ``HEAD`` request comes
first; where a server refuses it (405, 501, 403 or 400) the link is fetched with ``GET``
instead, reading only the headers. Nothing is written unless asked: :func:`record_status`
stores the check date and status in the extra columns ``checked`` and ``status`` of
sources.csv through :func:`timeline.save`. This module never builds an archive URL.
"""

from __future__ import annotations

import http.client
import os
import socket
import ssl
import urllib.error
import urllib.request
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from email.message import Message
from urllib.parse import urljoin, urlsplit

from ..core.dataset import Dataset, load, save
from ..core.dates import today
from ..errors import OptionError, ValidationError
from ..version import __version__

__all__ = ["LinkReport", "LinkResult", "check_folder", "check_links", "check_url", "record_status"]

REDIRECTS = frozenset({301, 302, 303, 307, 308})
HEAD_REFUSED = frozenset({400, 403, 405, 501})
USER_AGENT = f"timeline-linkcheck/{__version__} (+fact-check source check)"
LINK_COLUMNS = ("url", "archived_url")
STATUS_COLUMNS = ("checked", "status")
COLUMN_LABEL = {"url": "url", "archived_url": "archived"}


@dataclass(frozen=True)
class LinkResult:
    """The outcome of checking one URL.

    ``status`` is the final HTTP status (``None`` when no answer came: see ``error``);
    ``redirects`` lists each hop as ``(status, location)``; ``method`` is the request
    that gave the final answer (``GET`` when ``HEAD`` was refused).
    """

    url: str
    status: int | None
    final_url: str
    redirects: tuple[tuple[int, str], ...] = ()
    method: str = "HEAD"
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300

    @property
    def label(self) -> str:
        """Short status: ``200``, ``200 via 301``, ``404``, ``timeout``, ``no connection``, ..."""
        if self.status is None:
            return self.error.split(":", 1)[0] if self.error else "error"
        if self.redirects:
            hops = ",".join(str(code) for code, _ in self.redirects)
            return f"{self.status} via {hops}"
        return str(self.status)


@dataclass(frozen=True)
class SourceLink:
    """One link of one source: which source, which column, and its check."""

    source_id: str
    column: str  # url | archived_url
    result: LinkResult


@dataclass
class LinkReport:
    """Every link checked, in sources.csv order, and the files written (``--write``)."""

    links: list[SourceLink]
    written: list[str] = field(default_factory=list)

    @property
    def broken(self) -> list[SourceLink]:
        return [s for s in self.links if not s.result.ok]

    def table(self) -> str:
        """A plain-text table: id, link (url or archived), URL, status, final URL (when redirected) or error."""
        head = ("id", "link", "url", "status", "final url / error")
        rows = [
            (
                s.source_id,
                COLUMN_LABEL[s.column],
                s.result.url,
                s.result.label,
                s.result.error
                or (s.result.final_url if s.result.final_url != s.result.url else ""),
            )
            for s in self.links
        ]
        widths = [max(len(r[i]) for r in [head, *rows]) for i in range(4)]
        lines = [
            "  ".join(cell.ljust(w) for cell, w in zip(r[:4], widths)) + "  " + r[4]
            for r in [head, *rows]
        ]
        return "\n".join(line.rstrip() for line in lines)

    def summary(self) -> str:
        n = len(self.links)
        redirected = sum(bool(s.result.redirects) and s.result.ok for s in self.links)
        ok = sum(s.result.ok for s in self.links)
        text = (
            f"{n} link{'s' * (n != 1)} checked: {ok} ok ({redirected} redirected), {n - ok} broken"
        )
        if self.written:
            text += f"; wrote {', '.join(self.written)}"
        return text


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Hand every redirect back to :func:`check_url`, which follows and records it."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        return None


def _opener() -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(_NoRedirect())


def _describe(exc: BaseException, timeout: float) -> str:
    """``kind: detail`` for a failed request; the kind is what the table shows."""
    reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(reason, (socket.timeout, TimeoutError)):
        return f"timeout: no answer within {timeout:g}s"
    if isinstance(reason, ConnectionRefusedError):
        return "no connection: the server refused the connection"
    if isinstance(reason, socket.gaierror):
        return "no connection: the host name does not resolve"
    if isinstance(reason, ssl.SSLError):
        return f"tls error: {reason.reason or reason}"
    if isinstance(reason, (ConnectionError, http.client.HTTPException)):
        return f"no connection: {type(reason).__name__}: {reason}"
    return f"error: {reason}"


def _request(
    opener: urllib.request.OpenerDirector, url: str, method: str, timeout: float
) -> tuple[int, Message]:
    req = urllib.request.Request(
        url, method=method, headers={"User-Agent": USER_AGENT, "Accept": "*/*"}
    )
    try:
        with opener.open(req, timeout=timeout) as resp:
            return resp.status, resp.headers
    except urllib.error.HTTPError as e:
        e.close()
        return e.code, e.headers


def check_url(url: str, *, timeout: float = 10.0, max_redirects: int = 10) -> LinkResult:
    """Check one URL: ``HEAD`` (``GET`` if refused), following and recording redirects."""
    opener = _opener()
    method, current = "HEAD", url
    hops: list[tuple[int, str]] = []
    while True:
        try:
            status, headers = _request(opener, current, method, timeout)
            if method == "HEAD" and status in HEAD_REFUSED:
                method = "GET"
                status, headers = _request(opener, current, method, timeout)
        except (OSError, http.client.HTTPException, ValueError) as e:
            return LinkResult(url, None, current, tuple(hops), method, _describe(e, timeout))
        location = headers.get("Location") if status in REDIRECTS else None
        if not location:
            return LinkResult(url, status, current, tuple(hops), method)
        target = urljoin(current, location.strip())
        hops.append((status, target))
        if urlsplit(target).scheme not in ("http", "https"):
            return LinkResult(
                url,
                None,
                target,
                tuple(hops),
                method,
                f"bad redirect: {status} to a non-http(s) address",
            )
        if len(hops) > max_redirects:
            return LinkResult(
                url,
                None,
                target,
                tuple(hops),
                method,
                f"redirect loop: more than {max_redirects} redirects",
            )
        current = target


def check_links(
    ds: Dataset, *, timeout: float = 10.0, workers: int = 8, max_redirects: int = 10
) -> list[SourceLink]:
    """Check every ``url`` and ``archived_url`` of ``ds``'s sources, ``workers`` at a time.

    Each distinct URL is fetched once. Results come back in sources.csv order.
    """
    if workers < 1:
        raise OptionError(f"workers={workers}: links checked at once must be 1 or more")
    wanted: list[tuple[str, str, str]] = []
    for row in ds.records("sources"):
        for col in LINK_COLUMNS:
            url = str(row.get(col, "")).strip()
            if url:
                wanted.append((str(row["id"]).strip(), col, url))
    urls = list(dict.fromkeys(u for _, _, u in wanted))
    with ThreadPoolExecutor(max_workers=min(workers, max(len(urls), 1))) as pool:
        results = dict(
            zip(
                urls,
                pool.map(
                    lambda u: check_url(u, timeout=timeout, max_redirects=max_redirects), urls
                ),
            )
        )
    return [SourceLink(sid, col, results[url]) for sid, col, url in wanted]


def status_cell(links: Iterable[SourceLink]) -> str:
    """The ``status`` cell of one source: ``200``, ``404; archived: 200``, ``archived: 200 via 301``."""
    parts = []
    for s in links:
        prefix = "" if s.column == "url" else "archived: "
        parts.append(prefix + s.result.label)
    return "; ".join(parts)


def record_status(ds: Dataset, links: list[SourceLink], *, checked: str) -> Dataset:
    """A copy of ``ds`` with ``checked`` (the date) and ``status`` set on every source checked."""
    out = ds.copy()
    # Dataset.update refuses columns missing from the header, and Dataset has no public way yet
    # to add an extra column: add the two empty columns to the copy's sources table here.
    sources = out._raw["sources"]
    for column in STATUS_COLUMNS:
        if column not in sources:
            sources[column] = ""
    by_source: dict[str, list[SourceLink]] = {}
    for s in links:
        by_source.setdefault(s.source_id, []).append(s)
    for sid, items in by_source.items():
        out.update("sources", sid, checked=checked, status=status_cell(items))
    return out


def check_folder(
    folder: str | os.PathLike[str],
    *,
    write: bool = False,
    checked: str | None = None,
    timeout: float = 10.0,
    workers: int = 8,
) -> LinkReport:
    """Check a data folder's links; with ``write``, record ``checked``/``status`` in sources.csv."""
    ds = load(folder)
    if write:
        errors = ds.errors()
        if errors:
            raise ValidationError(errors, action="write the link status")
    links = check_links(ds, timeout=timeout, workers=workers)
    report = LinkReport(links)
    if write and links:
        report.written = save(record_status(ds, links, checked=checked or today()))
    return report
