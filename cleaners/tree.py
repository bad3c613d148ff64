"""Text lengths, short texts and linked characters of every element, in one walk.

``node.text()`` walks the element's whole subtree, so asking it of every block of a
page costs the sum of all subtree sizes: quadratic in the nesting depth, and a page
of 100,000 nested ``<div>``s never finishes. :class:`TextIndex` computes the same
figures bottom-up in one walk of the tree: what :func:`node_text` would return
(kept only for texts short enough to be screened), its length, and the characters
inside links that :func:`link_density` counts.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

from .errors import ExtractionError

__all__ = ["MAX_NESTING", "TextIndex", "link_density", "nesting_depth", "node_text",
           "parse_html"]

#: Deepest element nesting parsed. Real pages stay under about 700 (script text
#: included); the parser's time grows with the square of the depth beyond.
MAX_NESTING = 3000


def node_text(node: LexborNode) -> str:
    return node.text(deep=True, separator=" ", strip=True)


def link_density(node: LexborNode, text_len: int | None = None) -> float:
    """Share of the node's visible characters that sit inside links."""
    total = text_len if text_len is not None else len(node_text(node))
    if not total:
        return 0.0
    linked = sum(len(a.text(deep=True, strip=True)) for a in node.css("a"))
    return min(linked / total, 1.0)


class TextIndex:
    """Per element under ``root`` (``root`` included), by ``mem_id``: ``length`` of
    its ``node_text``, the ``text`` itself when at most ``keep_chars`` long, and
    ``linked`` characters (stripped text of the ``<a>`` elements in it, itself
    included). Valid until the tree changes."""

    def __init__(self, root: LexborNode, keep_chars: int) -> None:
        self._keep = keep_chars
        self.lengths: dict[int, int] = {}
        self.texts: dict[int, str] = {}
        self.linked: dict[int, int] = {}
        self._pieces: dict[int, int] = {}
        self._walk(root)

    def _walk(self, root: LexborNode) -> None:
        # Iterative post-order: (node, its children's (text or None, length, pieces,
        # linked)) on a stack, so any depth fits.
        stack: list[tuple[LexborNode, list[tuple[str | None, int, int, int]]]] = [(root, [])]
        child = root.child
        while stack:
            if child is not None:
                if child.tag == "-text":
                    content = child.text_content
                    if content is not None:
                        piece = content.strip()
                        stack[-1][1].append((piece if len(piece) <= self._keep else None,
                                             len(piece), 1, 0))
                    child = child.next
                elif child.tag.startswith("-"):  # comments and the like hold no text
                    child = child.next
                else:
                    stack.append((child, []))
                    child = child.child
                continue
            node, parts = stack.pop()
            entry = self._finish(node, parts)
            if stack:
                stack[-1][1].append(entry)
                child = node.next

    def _finish(self, node: LexborNode,
                parts: list[tuple[str | None, int, int, int]]) -> tuple[str | None, int, int, int]:
        pieces = sum(p[2] for p in parts)
        joined = [p for p in parts if p[2]]  # each child's text, or a text node's
        length = sum(p[1] for p in joined) + max(len(joined) - 1, 0)
        linked = sum(p[3] for p in parts)
        if node.tag == "a":
            linked += length - max(pieces - 1, 0)  # a.text(strip=True) has no separators
        text = None
        if length <= self._keep:
            text = " ".join(p[0] or "" for p in joined)
            self.texts[node.mem_id] = text
        self.lengths[node.mem_id] = length
        self.linked[node.mem_id] = linked
        return text, length, pieces, linked

    def link_density(self, node: LexborNode) -> float:
        """:func:`link_density` of ``node``, read from the index when it is in it."""
        if node.mem_id not in self.lengths:
            return link_density(node)
        total = self.lengths[node.mem_id]
        return min(self.linked[node.mem_id] / total, 1.0) if total else 0.0


_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)")
#: Elements that never nest: void elements and those whose end tag the parser
#: implies (a new <p> or <li> closes the open one).
_FLAT = frozenset(["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                   "param", "source", "track", "wbr", "p", "li", "dt", "dd", "option",
                   "optgroup", "rb", "rt", "rtc", "rp", "tr", "td", "th", "thead", "tbody",
                   "tfoot", "colgroup", "caption", "html", "head", "body"])


def nesting_depth(html: str) -> int:
    """The deepest element nesting of ``html`` as its tags say, estimated in one
    pass without parsing (the parser itself slows down on deep nesting)."""
    depth = deepest = 0
    for closing, tag in _TAG.findall(html):
        if tag.lower() in _FLAT:
            continue
        if closing:
            depth = max(depth - 1, 0)
        else:
            depth += 1
            deepest = max(deepest, depth)
    return deepest


def parse_html(html: str, source: str) -> LexborHTMLParser:
    """The parsed page; a page nested deeper than MAX_NESTING is refused with an
    ExtractionError naming ``source`` instead of stalling the parser."""
    if html.count("<") > MAX_NESTING and nesting_depth(html) > MAX_NESTING:
        raise ExtractionError(source, f"elements nested deeper than {MAX_NESTING}")
    return LexborHTMLParser(html)
