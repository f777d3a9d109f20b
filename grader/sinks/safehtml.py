"""HTML from what students wrote, safe to open: feedback pages and review packets show markdown answers,
notebook cells and outputs, messages and tracebacks, and every such fragment passes through ``clean`` after
it is rendered, whatever renderer made it (nbconvert's markdown renderer, for one, passes a ```mermaid
block through unescaped even with escaping on).

``clean`` is nh3 (Python bindings of ammonia, a maintained allow-list sanitizer built on a browser-grade
HTML parser): what an honest answer needs stays (headings, lists, emphasis, code, tables, links to http,
https, mailto or relative addresses, images as PNG or JPEG ``data:`` URLs, MathML); everything else goes,
tags first (script and style with their content), then every attribute not listed (``on*``, ``style``,
``class``, ``href`` on MathML) and every URL with another scheme.

Math is rendered here, to MathML (latex2mathml, pure Python), which browsers draw natively: the pages load
no script at all (MathJax from a CDN needed the network and would run beside student text), so they work
offline and math is one more allow-listed markup, not a way into a script.
"""

from __future__ import annotations

import html
import re

import latex2mathml.converter
import nh3

_MATHML = {"math", "semantics", "annotation", "mrow", "mi", "mn", "mo", "ms", "mtext", "mspace", "mfrac",
           "msqrt", "mroot", "msub", "msup", "msubsup", "munder", "mover", "munderover", "mmultiscripts",
           "mprescripts", "none", "mtable", "mtr", "mtd", "mstyle", "mpadded", "mphantom", "menclose",
           "merror"}
TAGS = {"h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "blockquote", "div", "span", "pre", "code",
        "kbd", "samp", "var", "b", "strong", "i", "em", "u", "s", "del", "ins", "mark", "sub", "sup", "small",
        "ul", "ol", "li", "dl", "dt", "dd", "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td",
        "a", "img", "details", "summary", "input"} | _MATHML
_CELL = {"align", "colspan", "rowspan"}
ATTRIBUTES = {
    "a": {"href", "title"}, "img": {"src", "alt", "title", "width", "height"}, "ol": {"start"},
    "td": _CELL, "th": _CELL, "input": {"type", "checked", "disabled"},  # markdown task lists
    "math": {"display"},
    "mo": {"stretchy", "fence", "separator", "form", "largeop", "movablelimits", "accent"},
    "mover": {"accent"}, "munder": {"accentunder"}, "munderover": {"accent", "accentunder"},
    "mstyle": {"displaystyle", "scriptlevel", "mathvariant"}, "mi": {"mathvariant"}, "mn": {"mathvariant"},
    "mtext": {"mathvariant"}, "mspace": {"width", "height", "depth"}, "mfrac": {"linethickness"},
    "mtd": {"columnspan", "rowspan"}, "menclose": {"notation"}, "mtable": {"columnalign", "rowspacing"},
}
_IMAGE = re.compile(r"data:image/(png|jpeg);base64,[A-Za-z0-9+/]*={0,2}")


def _attribute(tag: str, attribute: str, value: str) -> str | None:
    """Images only from the page itself (nothing fetched, no SVG: it can carry script); links never to
    ``data:`` (a page of the attacker's own); inputs only as the disabled check boxes of a task list."""
    if tag == "img" and attribute == "src":
        return value if _IMAGE.fullmatch(value) else None
    if tag == "a" and attribute == "href":
        return None if value.strip().lower().startswith("data:") else value
    if tag == "input" and attribute == "type":
        return value if value == "checkbox" else None
    return value


def clean(fragment: str) -> str:
    return nh3.clean(fragment, tags=TAGS, attributes=ATTRIBUTES, attribute_filter=_attribute,
                     url_schemes={"http", "https", "mailto", "data"}, link_rel="noopener noreferrer nofollow",
                     set_tag_attribute_values={"input": {"disabled": ""}})


def mathml(tex: str, display: str) -> str:
    """TeX as MathML; TeX that latex2mathml cannot read is shown as its source."""
    try:
        return latex2mathml.converter.convert(tex, display=display)
    except Exception:  # noqa: BLE001 - latex2mathml's dozen errors share no base class but Exception
        return f'<code>{html.escape(tex, quote=False)}</code>'


def _renderer():  # built on first use: nbconvert's markdown module takes ~0.5 s to import
    from nbconvert.filters.markdown_mistune import IPythonRenderer

    class Renderer(IPythonRenderer):
        def block_code(self, code: str, info: str | None = None) -> str:
            # Every fence as plain code: no mermaid.js here to draw a diagram, and pygments' highlighting
            # is classes, which the sanitizer drops.
            return super().block_code(code, None)

        def inline_math(self, body: str) -> str:
            return mathml(body, "inline")

        def block_math(self, body: str) -> str:
            return mathml(body, "block")

        def latex_environment(self, name: str, body: str) -> str:
            return mathml(f"\\begin{{{name}}}{body}\\end{{{name}}}", "block")

    return Renderer(escape=True, allow_harmful_protocols=False, exclude_anchor_links=True)


def markdown_html(text: str) -> str:
    """Markdown (raw HTML in it shown as text) with its math as MathML, sanitized."""
    from nbconvert.filters.markdown_mistune import MarkdownWithMath

    return clean(MarkdownWithMath(renderer=_renderer()).render(text))
