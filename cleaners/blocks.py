"""A page as lines of visible text, one line per block element.

selectolax joins text nodes without regard to layout; the metadata search and the
derived "full-page dumps" need the lines a reader sees, so text nodes that share
their nearest block ancestor are joined into one line and ``<br>`` breaks a line.
"""

from __future__ import annotations

import re
from operator import itemgetter
from typing import NamedTuple

from selectolax.lexbor import LexborNode

from .tree import BR_ID, TEXT_ID, tag_ids

__all__ = ["BLOCK_ELEMENTS", "SPACES", "Line", "PageWalk", "block_lines"]

#: Elements that start a new visible line.
BLOCK_ELEMENTS = frozenset(
    ["address", "article", "aside", "blockquote", "body", "center", "dd", "details", "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "html", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul"])
_BLOCK_IDS = tag_ids(*BLOCK_ELEMENTS)
#: What ``SPACES.sub(" ", text)`` collapses to one space: the runs of these white-space
#: characters (`` \t\r\n``, no-break and ideographic spaces), a lone space excepted,
#: which stays as it is: a page has one between most words, and a third less time
#: goes into replacing them with themselves.
SPACES = re.compile(r"[\t\r\n\u00a0\u3000][ \t\r\n\u00a0\u3000]*| [ \t\r\n\u00a0\u3000]+")


class Line(NamedTuple):
    """One visible line; ``inside`` tells whether it lies within the marked element.
    A tuple: a page makes tens of thousands of them."""

    text: str
    inside: bool


class _Lines:
    """The lines being built: text pieces join until the block (or the inside flag)
    changes or a ``<br>`` breaks the line."""

    def __init__(self) -> None:
        self.texts: list[str] = []  # before spaces collapse
        self.flags: list[bool] = []  # inside, per text
        self.parts: list[str] = []
        self.block: int | None = None
        self.inside = False

    def flush(self) -> None:
        if self.parts:
            self.texts.append("".join(self.parts))
            self.flags.append(self.inside)
            self.parts = []

    def lines(self) -> list[Line]:
        """The non-empty lines, their spaces collapsed in one pass over all of them: a
        NUL (which no text node holds, or each line is done alone) keeps them apart."""
        texts = self.texts
        if not texts:
            return []
        joined = "\0".join(texts)
        if joined.count("\0") == len(texts) - 1:
            texts = SPACES.sub(" ", joined).split("\0")
        else:
            texts = [SPACES.sub(" ", text) for text in texts]
        # Built by C loops (Line._make is tuple.__new__): a page has thousands of lines.
        return list(map(Line._make, filter(itemgetter(0), zip(map(str.strip, texts),
                                                              self.flags, strict=True))))


def _start(root: LexborNode, marked: int) -> tuple[int | None, bool]:
    """The nearest block element of ``root`` (itself or an ancestor) and whether
    ``root`` lies within the marked element."""
    chain = []
    node: LexborNode | None = root
    while node is not None:
        chain.append(node)
        node = node.parent
    block, inside = None, False
    for element in reversed(chain):
        if element.tag_id in _BLOCK_IDS:
            block = element.mem_id
        inside = inside or element.mem_id == marked
    return block, inside


#: One node of a walk: its mem_id, nearest block, inside flag and text ("" for
#: white space, ``None`` for a ``<br>``).
_Event = tuple[int, int | None, bool, str | None]


class PageWalk:
    """The text nodes and line breaks under ``root`` in document order, each with
    its nearest block: the lines of the tree as it stands, and of the same tree
    after elements were removed (the nodes left are looked up, the tree is not
    walked again). Valid while no node is added to the tree: a removed node's
    mem_id is then never another node's.

    One walk down the tree by hand: each open element carries its nearest block and
    inside flag, so a text node's line is known without looking up its ancestors."""

    def __init__(self, root: LexborNode, marked: LexborNode | None = None) -> None:
        marked_id = marked.mem_id if marked is not None else -1
        events: list[_Event] = []
        add = events.append
        blocks = _BLOCK_IDS
        block, inside = _start(root, marked_id)
        stack: list[tuple[LexborNode, int | None, bool]] = []
        node = root.child
        while node is not None or stack:
            if node is None:
                node, block, inside = stack.pop()
                node = node.next
                continue
            tag = node.tag_id
            if tag == TEXT_ID:
                text = node.text_content
                add((node.mem_id, block, inside, "" if not text or text.isspace() else text))
                node = node.next
                continue
            if tag == BR_ID:
                add((node.mem_id, block, inside, None))
                node = node.next
                continue
            child = node.child
            if child is None:
                node = node.next
                continue
            stack.append((node, block, inside))
            if tag in blocks:
                block = node.mem_id
                inside = inside or block == marked_id
            elif not inside:
                inside = node.mem_id == marked_id
            node = child
        self.events = events

    def lines(self, live: set[int] | None = None, inside: set[int] | None = None) -> list[Line]:
        """The lines, of the nodes in ``live`` only when it is given; with ``inside``,
        a line is flagged when its text nodes are in it (instead of the marked
        element's)."""
        out = _Lines()
        parts = out.parts
        for key, block, flag, text in self.events:
            if live is not None and key not in live:
                continue
            if text is None:
                out.flush()
                parts = out.parts
            elif not text:
                if parts:
                    parts.append(" ")
            else:
                if inside is not None:
                    flag = key in inside
                if block != out.block or flag != out.inside:
                    out.flush()
                    parts = out.parts
                    out.block, out.inside = block, flag
                parts.append(text)
        out.flush()
        return out.lines()


def block_lines(root: LexborNode, marked: LexborNode | None = None) -> list[Line]:
    """Visible text of ``root`` as lines; lines within ``marked`` are flagged."""
    return PageWalk(root, marked).lines()
