"""How the server sends bytes: kept bodies with their ETag and gzipped copy, and long answers streamed.

- :class:`Blob` and :func:`send`: a body made once (the page, an asset, the busy page) with a
  gzipped copy and a strong ETag: 304 when the reader has it, gzipped when the reader accepts it.
- :func:`gzipped` and :func:`stream`: a list answer is kept gzipped while it is sent, in
  :data:`CHUNK`-byte pieces each written out before the next, so a reader that reads slowly
  holds a small compressed copy, not the whole answer.
"""

from __future__ import annotations

import gzip
import hashlib
import zlib
from dataclasses import dataclass

import tornado.iostream
import tornado.web

#: Bytes written at a time (each written out to the reader before the next is made).
CHUNK = 64 * 1024


@dataclass(frozen=True)
class Blob:
    """Bytes to send, with a gzipped copy made once and a strong ETag."""

    body: bytes
    gzipped: bytes
    etag: str
    content_type: str

    @classmethod
    def of(cls, body: bytes, content_type: str) -> Blob:
        digest = hashlib.sha256(body).hexdigest()
        return cls(
            body, gzip.compress(body, compresslevel=6, mtime=0), f'"{digest[:20]}"', content_type
        )


def send(handler: tornado.web.RequestHandler, blob: Blob) -> None:
    """Finish with ``blob``: 304 when the ETag matches, gzipped when the client accepts it."""
    handler.set_header("Content-Type", blob.content_type)
    handler.set_header("ETag", blob.etag)
    handler.set_header("Vary", "Accept-Encoding")
    if handler.check_etag_header():
        handler.set_status(304)
        handler.finish()
        return
    if "gzip" in handler.request.headers.get("Accept-Encoding", ""):
        handler.set_header("Content-Encoding", "gzip")
        handler.finish(blob.gzipped)
    else:
        handler.finish(blob.body)


def gzipped(body: bytes) -> tuple[bytes, int]:
    """``body`` gzipped, and its length (what :func:`stream` sends)."""
    packer = zlib.compressobj(
        6, zlib.DEFLATED, 31
    )  # wbits 31: a gzip stream (zlib.compress takes wbits only on 3.11+)
    return packer.compress(body) + packer.flush(), len(body)


async def stream(
    handler: tornado.web.RequestHandler, packed: tuple[bytes, int], content_type: str
) -> None:
    """Finish with a gzipped body, a CHUNK at a time, each written out before the next is
    made: gzipped to a client that accepts it, inflated piece by piece to one that does not."""
    gz, length = packed
    handler.set_header("Content-Type", content_type)
    handler.set_header("Vary", "Accept-Encoding")
    zipped = "gzip" in handler.request.headers.get("Accept-Encoding", "")
    if zipped:
        handler.set_header("Content-Encoding", "gzip")
    handler.set_header("Content-Length", str(len(gz) if zipped else length))
    try:
        if zipped:
            for at in range(0, len(gz), CHUNK):
                handler.write(gz[at : at + CHUNK])
                await handler.flush()
        else:
            inflate, rest = zlib.decompressobj(wbits=31), gz
            while rest:
                piece = inflate.decompress(rest, CHUNK)
                rest = inflate.unconsumed_tail
                if piece:
                    handler.write(piece)
                    await handler.flush()
            handler.write(inflate.flush())
        handler.finish()
    except tornado.iostream.StreamClosedError:
        pass  # the reader left


__all__ = ["CHUNK", "Blob", "gzipped", "send", "stream"]
