"""Every stylesheet we ship is written in logical properties, so a right-to-left page mirrors (issue 24.5).

The CSS is read by a real parser (tinycss2): our .css files, the ``<style>`` blocks of our templates
and the ``style="..."`` attributes our templates and Python write. A property or keyword that names a
side (``margin-left``, ``left:``, ``text-align: right``, ``float: left``) or a four-value shorthand whose
left and right differ is a finding; ``ALLOWED`` holds what must stay physical, each with its reason.
"""

from __future__ import annotations

import re
from pathlib import Path

import tinycss2
from tinycss2.ast import Declaration, IdentToken

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "timeline"
#: Vendored code we do not write (plotly.js positions its own SVG; its CSS is inside its script).
VENDORED = ("vendor",)
#: (file, property) pairs that must stay physical, with the reason. Empty: nothing of ours must.
ALLOWED: dict[tuple[str, str], str] = {}
SIDES = {"left", "right"}
#: Shorthands of four sides (top right bottom left): physical when their right and left differ.
FOUR_SIDED = {
    "margin", "padding", "inset", "border-width", "border-style", "border-color",
    "scroll-margin", "scroll-padding",
}  # fmt: skip
STYLE_BLOCK = re.compile(r"<style[^>]*>(.*?)</style>", re.DOTALL | re.IGNORECASE)
STYLE_ATTR = re.compile(r"""style=(["'])(.*?)\1""", re.DOTALL)


def _values(decl: Declaration) -> list[str]:
    return [
        tinycss2.serialize([t]).strip()
        for t in decl.value
        if t.type not in ("whitespace", "comment")
    ]


def physical(decl: Declaration) -> str | None:
    """Why ``decl`` is tied to left or right, or None when it follows the writing direction."""
    name = decl.lower_name
    if name.startswith("--"):  # a custom property's name is ours; its uses are checked
        return None
    if any(side in name.split("-") for side in SIDES):
        return f"property {name} names a side: use its inline-start/inline-end form"
    for token in decl.value:
        if isinstance(token, IdentToken) and token.lower_value in SIDES:
            return f"{name}: {token.value} names a side: use start/end (inline-start/inline-end)"
    values = _values(decl)
    if name in FOUR_SIDED and len(values) == 4 and values[1] != values[3]:
        return f"{name}: {' '.join(values)} sets left and right apart: use {name}-block and {name}-inline"
    if name == "border-radius" and len(set(" ".join(values).split("/")[0].split())) > 1:
        return f"border-radius: {' '.join(values)} rounds left and right apart: use border-start-start-radius etc."
    return None


def _declarations(rules: list) -> list[Declaration]:  # type: ignore[type-arg]
    out: list[Declaration] = []
    for rule in rules:
        if rule.type == "qualified-rule" or (
            rule.type == "at-rule" and rule.at_keyword == "font-face"
        ):
            out += [
                d
                for d in tinycss2.parse_declaration_list(
                    rule.content, skip_comments=True, skip_whitespace=True
                )
                if d.type == "declaration"
            ]
        elif rule.type == "at-rule" and rule.content is not None:  # @media, @supports: rules inside
            out += _declarations(
                tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True)
            )
        assert rule.type != "error", f"CSS does not parse: {rule.message}"
    return out


def findings(css: str, *, inline: bool = False) -> list[str]:
    """Each physical declaration of ``css`` (a stylesheet, or with ``inline`` a style attribute)."""
    if inline:
        decls = [
            d
            for d in tinycss2.parse_declaration_list(css, skip_comments=True, skip_whitespace=True)
            if d.type == "declaration"
        ]
    else:
        decls = _declarations(
            tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
        )
    return [f"{d.lower_name} (line {d.source_line}): {why}" for d in decls if (why := physical(d))]


def shipped_css() -> list[tuple[str, str, bool]]:
    """(where, css, inline) for every piece of CSS the package ships."""
    out = []
    for path in sorted(PACKAGE.rglob("*")):
        rel = path.relative_to(ROOT).as_posix()
        if not path.is_file() or any(part in VENDORED for part in path.parts):
            continue
        if path.suffix == ".css":
            out.append((rel, path.read_text(encoding="utf-8"), False))
        elif path.suffix in (".j2", ".html", ".py"):
            text = path.read_text(encoding="utf-8")
            out += [(f"{rel} <style>", m.group(1), False) for m in STYLE_BLOCK.finditer(text)]
            out += [(f"{rel} style=", m.group(2), True) for m in STYLE_ATTR.finditer(text)]
    return out


def test_the_checker_finds_each_kind_of_physical_css() -> None:
    css = """
    a { margin-left: 1px; text-align: right; padding: 0 1px 0 2px; float: left; }
    @media (max-width: 10px) { b { left: 0; border-top-right-radius: 2px; border-radius: 1px 2px; } }
    i { margin-inline-start: 1px; text-align: end; padding: 0 1px 0 1px; float: inline-start;
        inset-inline-start: 0; border-radius: 3px; margin: 0 auto; }
    """
    found = findings(css)
    assert [f.split(" ")[0] for f in found] == [
        "margin-left", "text-align", "padding", "float", "left", "border-top-right-radius", "border-radius",
    ]  # fmt: skip
    assert findings("width:100%;border:0;padding-right:2px", inline=True) == [
        "padding-right (line 1): property padding-right names a side: use its inline-start/inline-end form"
    ]


def test_no_stylesheet_we_ship_has_left_or_right() -> None:
    pieces = shipped_css()
    where = {w.split(" ")[0] for w, _, _ in pieces}
    # The three stylesheets, and the inline CSS of templates and Python, are all read.
    assert {
        "timeline/views/static/timeline.css",
        "timeline/publish/static/embed.css",
        "timeline/authoring/static/idlist.css",
        "timeline/publish/templates/nbconvert/timeline/index.html.j2",
        "timeline/publish/embed.py",
    } <= where
    problems = [
        f"{w}: {f}"
        for w, css, inline in pieces
        for f in findings(css, inline=inline)
        if (w.split(" ")[0], f.split(" ")[0]) not in ALLOWED
    ]
    assert not problems, (
        "physical left/right CSS (write it with logical properties):\n" + "\n".join(problems)
    )
