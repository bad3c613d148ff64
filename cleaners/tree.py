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

__all__ = ["A_ID", "BR_ID", "COMMENT_ID", "MAX_NESTING", "TEXT_ID", "TextIndex", "link_density",
           "nesting_depth", "node_text", "parse_html", "squeezed", "tag_ids", "within"]

#: Deepest element nesting parsed. Real pages stay under about 700 (script text
#: included); the parser's time grows with the square of the depth beyond.
MAX_NESTING = 3000


_TAGS = LexborHTMLParser("")


def tag_ids(*names: str) -> frozenset[int]:
    """lexbor's ids of these HTML tag names. A walk compares a node's ``tag_id``:
    its ``tag`` is a string looked up on every access, at twice the cost."""
    return frozenset(_TAGS.create_node(name).tag_id for name in names)


_SAMPLE = LexborHTMLParser("x<!---->").body.child  # type: ignore[union-attr]
TEXT_ID, COMMENT_ID = _SAMPLE.tag_id, _SAMPLE.next.tag_id  # type: ignore[union-attr]
A_ID, BR_ID = (next(iter(tag_ids(name))) for name in ("a", "br"))


def node_text(node: LexborNode) -> str:
    return node.text(deep=True, separator=" ", strip=True)


def squeezed(text: str) -> str:
    """``text`` without its white space: what ``re.sub(r"\\s+", "", text)`` gives
    (both use ``str.isspace``), in a third of the time."""
    return "".join(text.split())


def within(node: LexborNode | None, ids: set[int]) -> bool:
    """Whether ``node`` or one of its ancestors is among the elements ``ids``."""
    while node is not None:
        if node.mem_id in ids:
            return True
        node = node.parent
    return False


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
    included). Valid until the tree changes, except for elements removed through
    :meth:`decompose`, which keeps the figures of their ancestors right and notes the
    removed elements in ``gone``.

    ``node_text`` joins the stripped text nodes with spaces, so an element's length
    is the sum of its stripped text lengths plus one less than their count: both
    sums add up from the children."""

    def __init__(self, root: LexborNode, keep_chars: int,
                 listed: frozenset[int] = frozenset()) -> None:
        self.lengths: dict[int, int] = {}
        self.texts: dict[int, str] = {}
        self.linked: dict[int, int] = {}
        self.pieces: dict[int, int] = {}  # text nodes inside, the lengths' separators
        self.gone: set[int] = set()  # elements removed through decompose()
        self.keep = keep_chars
        self.listed: list[LexborNode] = []  # under root, with a tag id of ``listed``
        self._walk(root, keep_chars, listed)

    def _walk(self, root: LexborNode, keep: int, listed: frozenset[int]) -> None:
        # Iterative post-order, so any depth fits. Each open element carries
        # [node, its children's texts (None once too long), stripped chars, text
        # nodes, linked chars, tag id]. Elements are listed as they are entered: in
        # document order.
        lengths, texts, linked_of, pieces_of = self.lengths, self.texts, self.linked, self.pieces
        found = self.listed
        stack: list[list] = [[root, [], 0, 0, 0, root.tag_id]]
        child = root.child
        while stack:
            if child is not None:
                tag = child.tag_id
                if tag == TEXT_ID:
                    content = child.text_content
                    if content is not None:
                        piece = content.strip()
                        top = stack[-1]
                        top[2] += len(piece)
                        top[3] += 1
                        if top[1] is not None:
                            if top[2] + top[3] - 1 <= keep:
                                top[1].append(piece)
                            else:
                                top[1] = None
                    child = child.next
                elif tag == COMMENT_ID:  # comments hold no text
                    child = child.next
                else:
                    stack.append([child, [], 0, 0, 0, tag])
                    if tag in listed:
                        found.append(child)
                    child = child.child
                continue
            node, parts, chars, pieces, linked, tag = stack.pop()
            if tag == A_ID:
                linked += chars
            key = node.mem_id
            length = chars + pieces - 1 if pieces else 0
            lengths[key] = length
            linked_of[key] = linked
            pieces_of[key] = pieces
            text = None
            if parts is not None and length <= keep:
                text = " ".join(parts)
                texts[key] = text
            if stack:
                top = stack[-1]
                top[2] += chars
                top[3] += pieces
                top[4] += linked
                if pieces and top[1] is not None:
                    if text is not None and top[2] + top[3] - 1 <= keep:
                        top[1].append(text)
                    else:
                        top[1] = None
                child = node.next

    def decompose(self, node: LexborNode) -> None:
        """Decompose ``node`` and take it out of its ancestors' figures, so that one
        index serves the passes before and after a removal. An ancestor's text is
        read again only when it is short enough to keep."""
        key = node.mem_id
        pieces = self.pieces.get(key, 0)
        chars = self.lengths.get(key, 0) - pieces + 1 if pieces else 0
        linked = self.linked.get(key, 0)
        self.gone.update(element.mem_id for element in node.traverse())
        ancestors = []
        parent = node.parent
        while parent is not None and parent.mem_id in self.lengths:
            ancestors.append(parent)
            parent = parent.parent
        node.decompose()
        if not pieces:
            return
        for parent in ancestors:
            pid = parent.mem_id
            left = self.pieces[pid] - pieces
            own = self.lengths[pid] + 1 - self.pieces[pid] if self.pieces[pid] else 0
            length = own - chars + left - 1 if left else 0
            self.pieces[pid], self.lengths[pid] = left, length
            self.linked[pid] -= linked
            if length <= self.keep:
                self.texts[pid] = node_text(parent)

    def link_density(self, node: LexborNode) -> float:
        """:func:`link_density` of ``node``, read from the index when it is in it."""
        if node.mem_id not in self.lengths:
            return link_density(node)
        total = self.lengths[node.mem_id]
        return min(self.linked[node.mem_id] / total, 1.0) if total else 0.0


#: Elements that never nest: void elements and those whose end tag the parser
#: implies (a new <p> or <li> closes the open one).
_FLAT = frozenset(["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                   "param", "source", "track", "wbr", "p", "li", "dt", "dd", "option",
                   "optgroup", "rb", "rt", "rtc", "rp", "tr", "td", "th", "thead", "tbody",
                   "tfoot", "colgroup", "caption", "html", "head", "body"])
#: The "/" (or "") of every tag that can nest: the flat ones are passed over by the
#: regex engine, not by a Python loop.
_NESTING_TAG = re.compile(
    rf"<(/?)(?!(?:{'|'.join(sorted(_FLAT, key=len, reverse=True))})(?![A-Za-z0-9-]))"
    r"[A-Za-z][A-Za-z0-9-]*", re.IGNORECASE)


def _depth(marks: list[str]) -> int:
    depth = deepest = 0
    for closing in marks:
        if closing:
            depth = max(depth - 1, 0)
        else:
            depth += 1
            deepest = max(deepest, depth)
    return deepest


def nesting_depth(html: str) -> int:
    """The deepest element nesting of ``html`` as its tags say, estimated in one
    pass without parsing (the parser itself slows down on deep nesting)."""
    return _depth(_NESTING_TAG.findall(html))


def parse_html(html: str, source: str) -> LexborHTMLParser:
    """The parsed page; a page nested deeper than MAX_NESTING is refused with an
    ExtractionError naming ``source`` instead of stalling the parser."""
    # No deeper than the count of opening tags (at most the "<" not starting "</"):
    # most pages end the check there, before any tag is read.
    tags = html.count("<")
    if tags > MAX_NESTING and tags - html.count("</") > MAX_NESTING:
        marks = _NESTING_TAG.findall(html)
        if marks.count("") > MAX_NESTING and _depth(marks) > MAX_NESTING:
            raise ExtractionError(source, f"elements nested deeper than {MAX_NESTING}")
    return LexborHTMLParser(html)
