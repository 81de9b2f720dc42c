"""The microsite's tests: stand-ins for the share cards and the embed until their branch is merged.

``timeline.publish.cards`` and ``timeline.publish.embed`` are written on another branch
(issue 15b). ``install_stand_ins()`` puts tiny modules with their signatures in
``sys.modules`` only when the real ones cannot be imported; with the real ones present it
does nothing, so these tests then run against them.
"""

from __future__ import annotations

import struct
import sys
import types
import zlib
from html import escape


def _png(width: int, height: int, seed: bytes) -> bytes:
    row = b"\x00" + bytes([seed[0] % 256, seed[1 % len(seed)] % 256, 80]) * width
    raw = row * height
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def install_stand_ins() -> bool:
    """True when stand-ins were installed (the real modules are missing)."""
    installed = False
    try:
        import timeline.publish.cards  # noqa: F401
    except ImportError:
        cards = types.ModuleType("timeline.publish.cards")

        def draw_claim_card(*, verdict, headline, claimant, date, story_title):  # type: ignore[no-untyped-def]
            return _png(1200, 630, (verdict + headline + claimant + date + story_title).encode() or b"x")

        def draw_story_card(*, title, standfirst, counts):  # type: ignore[no-untyped-def]
            return _png(1200, 630, (title + standfirst + repr(sorted(counts.items()))).encode() or b"x")

        cards.draw_claim_card = draw_claim_card  # type: ignore[attr-defined]
        cards.draw_story_card = draw_story_card  # type: ignore[attr-defined]
        sys.modules["timeline.publish.cards"] = cards
        import timeline.publish

        timeline.publish.cards = cards  # type: ignore[attr-defined]
        installed = True
    try:
        import timeline.publish.embed  # noqa: F401
    except ImportError:
        embed = types.ModuleType("timeline.publish.embed")
        embed.EMBED_JS = "(function(){})();\n"  # type: ignore[attr-defined]

        def render_embed(ds, *, assets, claim_href, story_href):  # type: ignore[no-untyped-def]
            items = "".join(
                f'<li><a href="{escape(claim_href(str(c)))}" target="_top">{escape(str(c))}</a></li>'
                for c in ds.raw("claims")["id"]
            )
            return (
                '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
                "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'self'; style-src 'self'\">"
                f'<title>Embed</title><link rel="stylesheet" href="{escape(assets["timeline.css"])}">'
                f'<script src="{escape(assets["embed.js"])}" defer></script></head>'
                f'<body><main><h1><a href="{escape(story_href)}" target="_top">Timeline</a></h1><ul>{items}</ul></main></body></html>\n'
            )

        def embed_code(embed_url, *, title):  # type: ignore[no-untyped-def]
            return f'<iframe src="{escape(embed_url)}" title="{escape(title)}" style="width:100%;border:0"></iframe>'

        embed.render_embed = render_embed  # type: ignore[attr-defined]
        embed.embed_code = embed_code  # type: ignore[attr-defined]
        sys.modules["timeline.publish.embed"] = embed
        import timeline.publish

        timeline.publish.embed = embed  # type: ignore[attr-defined]
        installed = True
    return installed
