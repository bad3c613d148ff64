"""A page as lines of visible text, one line per block element.

selectolax joins text nodes without regard to layout; the metadata search and the
derived "full-page dumps" need the lines a reader sees, so text nodes that share
their nearest block ancestor are joined into one line and ``<br>`` breaks a line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from selectolax.lexbor import LexborNode

__all__ = ["Line", "block_lines"]

_BLOCKS = frozenset(
    ["address", "article", "aside", "blockquote", "body", "center", "dd", "details", "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "html", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul"])
_SPACES = re.compile(r"[ \t\r\n\u00a0\u3000]+")


@dataclass(frozen=True)
class Line:
    """One visible line; ``inside`` tells whether it lies within the marked element."""

    text: str
    inside: bool


def _block_of(node: LexborNode) -> LexborNode | None:
    parent = node.parent
    while parent is not None and parent.tag not in _BLOCKS:
        parent = parent.parent
    return parent


def _is_inside(node: LexborNode, marked: int | None) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.mem_id == marked:
            return True
        parent = parent.parent
    return False


def block_lines(root: LexborNode, marked: LexborNode | None = None) -> list[Line]:
    """Visible text of ``root`` as lines; lines within ``marked`` are flagged."""
    marked_id = marked.mem_id if marked is not None else None
    lines: list[Line] = []
    parts: list[str] = []
    current: int | None = None
    inside = False

    def flush() -> None:
        text = _SPACES.sub(" ", "".join(parts)).strip()
        if text:
            lines.append(Line(text, inside))
        parts.clear()

    for node in root.traverse(include_text=True):
        if node.tag == "br":
            flush()
            continue
        if node.tag != "-text":
            continue
        text = node.text_content or ""
        if not text.strip():
            if parts:
                parts.append(" ")
            continue
        block = _block_of(node)
        block_id = block.mem_id if block is not None else None
        node_inside = marked_id is not None and _is_inside(node, marked_id)
        if block_id != current or node_inside != inside:
            flush()
            current, inside = block_id, node_inside
        parts.append(text)
    flush()
    return lines
