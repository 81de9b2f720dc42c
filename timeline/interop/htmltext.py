"""HTML to plain text, keeping the links: what an imported slide's text becomes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

BLOCKS = frozenset(
    "p div br li ul ol blockquote h1 h2 h3 h4 h5 h6 tr table section article header footer figure figcaption".split()
)
_BARE_URL = re.compile(r"https?://[^\s<>\"']+[^\s<>\"'.,;:!?)\]]")


@dataclass
class Text:
    """Plain text (paragraphs separated by a blank line), the ``(url, link text)`` pairs found,
    and the addresses of the pages embedded (an ``<iframe>``'s ``src``)."""

    text: str
    links: list[tuple[str, str]] = field(default_factory=list)
    embeds: list[str] = field(default_factory=list)


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[list[str]] = [[]]
        self.links: list[tuple[str, str]] = []
        self.embeds: list[str] = []
        self._href: str | None = None
        self._label: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        if tag in BLOCKS:
            self.blocks.append([])
        if tag == "iframe":
            src = (dict(attrs).get("src") or "").strip()
            if src:
                self.embeds.append(src)
        if tag == "a":
            self._href = (dict(attrs).get("href") or "").strip()
            self._label = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1
        if tag == "a" and self._href is not None:
            label = " ".join("".join(self._label).split())
            if self._href:
                self.links.append((self._href, label))
            self._href = None
        if tag in BLOCKS:
            self.blocks.append([])

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        self.blocks[-1].append(data)
        if self._href is not None:
            self._label.append(data)
        else:
            self.links.extend((m.group(0), "") for m in _BARE_URL.finditer(data))


def html_to_text(html: str) -> Text:
    """Text of ``html`` (entities decoded, whitespace collapsed) and every link in it, in order."""
    if not html or not html.strip():
        return Text("")
    p = _Parser()
    p.feed(html)
    p.close()
    paragraphs = [" ".join("".join(b).split()) for b in p.blocks]
    return Text("\n\n".join(x for x in paragraphs if x), p.links, p.embeds)
