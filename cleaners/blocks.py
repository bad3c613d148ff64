"""A page as lines of visible text, one line per block element.

selectolax joins text nodes without regard to layout; the metadata search and the
derived "full-page dumps" need the lines a reader sees, so text nodes that share
their nearest block ancestor are joined into one line and ``<br>`` breaks a line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from selectolax.lexbor import LexborNode

__all__ = ["BLOCK_ELEMENTS", "SPACES", "Line", "block_lines"]

#: Elements that start a new visible line.
BLOCK_ELEMENTS = frozenset(
    ["address", "article", "aside", "blockquote", "body", "center", "dd", "details", "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "html", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul"])
SPACES = re.compile(r"[ \t\r\n\u00a0\u3000]+")


@dataclass(frozen=True)
class Line:
    """One visible line; ``inside`` tells whether it lies within the marked element."""

    text: str
    inside: bool


class _Ancestry:
    """For each element: its nearest block element (itself or an ancestor) and
    whether it lies within the marked element. Each element's answer is kept, so a
    walk up the tree stops at the first element already seen: the walks add up to
    the tree's size instead of text nodes × depth."""

    def __init__(self, marked: int | None) -> None:
        self._marked = marked
        self._known: dict[int, tuple[int | None, bool]] = {}

    def of(self, node: LexborNode | None) -> tuple[int | None, bool]:
        path: list[LexborNode] = []
        answer: tuple[int | None, bool] = (None, False)
        while node is not None:
            known = self._known.get(node.mem_id)
            if known is not None:
                answer = known
                break
            path.append(node)
            node = node.parent
        block, inside = answer
        for element in reversed(path):
            if element.tag in BLOCK_ELEMENTS:
                block = element.mem_id
            inside = inside or element.mem_id == self._marked
            self._known[element.mem_id] = (block, inside)
        return block, inside


def block_lines(root: LexborNode, marked: LexborNode | None = None) -> list[Line]:
    """Visible text of ``root`` as lines; lines within ``marked`` are flagged."""
    ancestry = _Ancestry(marked.mem_id if marked is not None else None)
    lines: list[Line] = []
    parts: list[str] = []
    current: int | None = None
    inside = False

    def flush() -> None:
        text = SPACES.sub(" ", "".join(parts)).strip()
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
        block_id, node_inside = ancestry.of(node.parent)
        if block_id != current or node_inside != inside:
            flush()
            current, inside = block_id, node_inside
        parts.append(text)
    flush()
    return lines
