"""What `timeline serve` allows a client: hosts, sizes, time, work at once, and what it logs.

The server listens on loopback, but any web page a reader opens can make the reader's
browser send it requests; and behind a proxy anyone can. So:

- **Host**: a request naming a host that is not ours gets 403 (a web page that rebinds
  its own name to 127.0.0.1 could otherwise read an unpublished timeline). Loopback
  names and the bound address are allowed; ``--allow-host NAME`` adds the name a proxy
  passes on (:func:`allowed_hosts`, :func:`host_allowed`).
- **Connections** (:func:`http_limits`, Tornado's ``HTTPServer`` settings): no route takes
  a body, so one over :data:`MAX_BODY` bytes is refused (400) and the connection closed;
  headers over :data:`MAX_HEADERS`, a body not sent within ``body_timeout`` seconds
  (:data:`BODY_TIMEOUT` by default), and a connection that has not sent its headers within
  ``header_timeout`` seconds (:data:`IDLE_TIMEOUT`; half-open, or idle between requests) are
  closed. Both are ServeOptions fields (library only: tests use short ones).
- **Work**: the list's answers are built in a worker process, a few at a time (timeline.serve.lists);
  an ``events?ids=`` answer is capped in bytes too (``timeline.views.listing.MAX_ANSWER``).
- **Output**: long answers are streamed gzipped, a piece at a time (timeline.serve.responses).
- **Logs**: URLs are cut to :data:`LOG_URL` characters (:func:`log_request`).
"""

from __future__ import annotations

import ipaddress
import logging
import re
from collections.abc import Iterable
from typing import Any

import tornado.web

from ..errors import TimelineError
from .options import ServeOptions

#: Bytes of a request body (no route accepts one; a plain POST is refused with 405).
MAX_BODY = 4096
#: Bytes of a request's headers, its URL included (a list request names up to MAX_IDS ids).
MAX_HEADERS = 64 * 1024
#: Seconds a connection may take to send its headers, or stay idle between requests
#: (ServeOptions.header_timeout's default).
IDLE_TIMEOUT: float = ServeOptions.header_timeout
#: Seconds a request's body may take (ServeOptions.body_timeout's default).
BODY_TIMEOUT: float = ServeOptions.body_timeout


def http_limits(
    *, header_timeout: float = IDLE_TIMEOUT, body_timeout: float = BODY_TIMEOUT
) -> dict[str, Any]:
    """Tornado's HTTPServer settings (``HTTPServer(app, **http_limits(...))``): the sizes
    above and the two timeouts (ServeOptions.header_timeout and body_timeout)."""
    return {
        "max_body_size": MAX_BODY,
        "max_header_size": MAX_HEADERS,
        "max_buffer_size": 4 * MAX_HEADERS,
        "idle_connection_timeout": header_timeout,
        "body_timeout": body_timeout,
    }


#: The settings with the default timeouts.
HTTP_LIMITS: dict[str, Any] = http_limits()
#: Characters of a URL the access log keeps.
LOG_URL = 200
#: Host names always allowed: the loopback names (the server listens on loopback only).
LOOPBACK = ("localhost", "127.0.0.1", "::1")

_NAME = re.compile(r"^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$")

LOG = logging.getLogger("tornado.access")


def check_host_name(name: str) -> str:
    """``name`` as ``--allow-host`` takes it (a host name or IP address), lower-cased;
    TimelineError saying what to pass otherwise."""
    clean = name.strip().lower().rstrip(".")
    try:
        return str(ipaddress.ip_address(clean.strip("[]")))
    except ValueError:
        pass
    if not _NAME.match(clean) or len(clean) > 253:
        raise TimelineError(
            f"--allow-host {name!r} is not a host name: give the name readers' browsers (or your proxy) "
            "send, such as timeline.example.org, without scheme, port or path"
        )
    return clean


def allowed_hosts(extra: Iterable[str] = (), *, bound: str = "127.0.0.1") -> frozenset[str]:
    """The loopback names, the bound address and ``extra`` (each checked by :func:`check_host_name`)."""
    return frozenset([*LOOPBACK, check_host_name(bound), *(check_host_name(n) for n in extra)])


def host_name(header: str) -> str:
    """The name in a ``Host`` header, without its port, lower-cased."""
    value = header.strip().lower()
    if value.startswith("["):  # [::1]:8866
        return value[1:].partition("]")[0]
    if value.count(":") == 1:
        value = value.partition(":")[0]
    return value.rstrip(".")


def host_allowed(header: str | None, allowed: frozenset[str]) -> bool:
    """Whether a request with this ``Host`` header is served. A request without one (HTTP/1.0,
    never a browser's) is; ``*.example.org`` in ``allowed`` allows every name under it."""
    if header is None:
        return True
    name = host_name(header)
    if name in allowed:
        return True
    return any(a.startswith("*.") and name.endswith(a[1:]) for a in allowed)


def cut(text: str, limit: int = LOG_URL) -> str:
    """``text`` cut to ``limit`` characters, saying how long it was."""
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text):,} characters)"


def request_summary(handler: tornado.web.RequestHandler) -> str:
    request = handler.request
    return f"{request.method} {cut(request.uri or '')} ({request.remote_ip})"


def log_request(handler: tornado.web.RequestHandler) -> None:
    """Tornado's access log line (``log_function``), with the URL cut to LOG_URL characters."""
    status = handler.get_status()
    method = LOG.info if status < 400 else LOG.warning if status < 500 else LOG.error
    method(
        "%d %s %.2fms", status, request_summary(handler), 1000.0 * handler.request.request_time()
    )


__all__ = [
    "HTTP_LIMITS",
    "http_limits",
    "LOG_URL",
    "MAX_BODY",
    "allowed_hosts",
    "check_host_name",
    "host_allowed",
    "log_request",
]
