"""The methodology page's text: ``methodology.md`` from the data folder, or a default.

The Markdown is rendered by markdown-it-py (CommonMark; raw HTML in it is not
passed through) and the result sanitised by nh3 (ammonia): only formatting tags,
links and the ids of headings (a ``#`` heading becomes an ``h2``, as the page has its
own ``h1``; headings get an id from their text, so a section can
be linked) survive; every link that is not http(s), mailto or on the site is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from markupsafe import Markup

from ..errors import ExportError
from ..i18n.markers import N_

FILENAME = "methodology.md"

#: The default text, one message per section (Markdown), translated where the page is written.
DEFAULT_SECTIONS = (
    N_(
        "## How claims are chosen\n"
        "\n"
        "We check statements of fact made in public by the people and bodies in this story,\n"
        "as they were reported at the time. Opinions, appeals and predictions are shown but\n"
        "not rated: there is nothing to check."
    ),
    N_(
        "## How we source\n"
        "\n"
        "Every event and every claim cites at least one source, with its publisher and date,\n"
        "so that a reader can repeat the check. We link only addresses we have opened and\n"
        "verified; a source whose address could not be verified is named without a link, and\n"
        "an archived copy is linked where one exists. Claims are quoted verbatim from where they\n"
        "were said. Where reports conflict, we say so and cite each of them."
    ),
    N_(
        "## Time zones\n"
        "\n"
        "Each time is shown as it was on the clock where it happened, with its UTC offset;\n"
        "the timeline can show every time in UTC or London time too. A date with no known time\n"
        "stays a date, never shown as midnight."
    ),
    N_(
        "## Corrections policy\n"
        "\n"
        "When we get something wrong we correct it openly: the corrections page lists every\n"
        "correction and update with its date, what changed and why, and the claim or event it\n"
        "touched shows it too. A changed verdict keeps its page and its address, and appears\n"
        "as an update in the claims feed."
    ),
)
DEFAULT_TEXT = "\n\n".join(DEFAULT_SECTIONS) + "\n"

_ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "em", "h2", "h3", "h4", "hr", "i", "li",
    "ol", "p", "pre", "strong", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
_SLUG = re.compile(r"[\W_]+")


def _slug(text: str) -> str:
    return _SLUG.sub("-", text.lower()).strip("-") or "section"


def render_markdown(text: str) -> Markup:
    """``text`` (Markdown) as sanitised HTML; headings carry ids made from their text."""
    import nh3
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    tokens = md.parse(text)
    seen: set[str] = set()
    for i, tok in enumerate(tokens):
        if tok.type in ("heading_open", "heading_close") and tok.tag == "h1":
            tok.tag = "h2"  # the page has its own h1
        if tok.type == "heading_open" and i + 1 < len(tokens):
            slug = base = _slug(tokens[i + 1].content)
            n = 2
            while slug in seen or slug in ("verdicts", "tl-main"):
                slug, n = f"{base}-{n}", n + 1
            seen.add(slug)
            tok.attrSet("id", slug)
    html = md.renderer.render(tokens, md.options, {})
    clean = nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes={"a": {"href", "title"}, "h2": {"id"}, "h3": {"id"}, "h4": {"id"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    return Markup(clean)


def default_text(gettext: Callable[[str], str] | None = None) -> str:
    """:data:`DEFAULT_TEXT`, each section through ``gettext`` (the page's language)."""
    if gettext is None:
        return DEFAULT_TEXT
    return "\n\n".join(gettext(section) for section in DEFAULT_SECTIONS) + "\n"


def methodology_text(folder: Path | None, gettext: Callable[[str], str] | None = None) -> Markup:
    """The methodology's text for ``folder``: its ``methodology.md``, else ``DEFAULT_TEXT`` (in the
    language of ``gettext``)."""
    path = Path(folder) / FILENAME if folder is not None else None
    if path is not None and path.is_file():
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            raise ExportError(
                f"{path}: cannot be read as UTF-8 text ({e}); save it as UTF-8 Markdown"
            ) from e
        return render_markdown(text)
    return render_markdown(default_text(gettext))
