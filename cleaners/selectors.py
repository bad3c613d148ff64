"""Which CSS selectors can match a page, told from its class and id values.

lexbor matches each selector against every element, and a class selector re-reads
the element's class list each time: the hundred drop selectors and the content
selectors cost about as much as one walk per selector, on pages where most of
them name a class or id that the page never uses. :class:`SelectorScreen` reads
the page's class and id values once; a selector whose classes or ids are not all
among them is not run, since it cannot match.

The screen only ever lets through too much, never too little: values are compared
lower-cased (quirks-mode pages match them without regard to case), split on any
white space, and a selector it cannot read (pseudo-classes, escapes) is always run.
Elements removed after the screen was made only make it let more through.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from selectolax.lexbor import LexborHTMLParser, LexborNode

__all__ = ["SelectorScreen"]

# One piece of a selector list: a combinator or comma, a type selector, a class, an
# id or an attribute selector. Anything else (":", "\\", namespaces) is not read.
_PIECE = re.compile(r"""
    (?P<sep>\s*[>+~,]\s*|\s+)
  | (?P<tag>\*|[A-Za-z][\w-]*)
  | \.(?P<cls>[\w-]+)
  | \#(?P<id>[\w-]+)
  | \[\s*(?P<attr>[A-Za-z_][\w-]*)\s*
      (?:(?P<op>[~|^$*]?=)\s*(?:"(?P<dq>[^"\\]*)"|'(?P<sq>[^'\\]*)'|(?P<bare>[\w-]+))
         \s*(?:[iIsS]\s*)?)?\]
""", re.VERBOSE)

#: What a selector needs of the page: a class or id token, or a piece of the text
#: of its class or id values.
Need = tuple[str, str]


def _attribute_need(name: str, op: str | None, value: str) -> Need | None:
    name = name.lower()
    if name not in ("class", "id") or not op or not value:
        return None
    if op == "~=" and len(value.split()) != 1:  # matches no element
        return None
    return (name if op == "~=" else f"{name}-text", value.lower())


@lru_cache(maxsize=4096)
def needs(selector: str) -> tuple[tuple[Need, ...], ...] | None:
    """Per selector of the list, the needs that must all be met for it to match;
    ``None`` when the selector is not read (it is always run)."""
    alternatives: list[tuple[Need, ...]] = []
    current: list[Need] = []
    at = 0
    while at < len(selector):
        piece = _PIECE.match(selector, at)
        if piece is None:
            return None
        at = piece.end()
        if piece["sep"] is not None and "," in piece["sep"]:
            alternatives.append(tuple(current))
            current = []
        elif piece["cls"] is not None:
            current.append(("class", piece["cls"].lower()))
        elif piece["id"] is not None:
            current.append(("id", piece["id"].lower()))
        elif piece["attr"] is not None:
            value = next((v for v in (piece["dq"], piece["sq"], piece["bare"]) if v is not None),
                         "")
            need = _attribute_need(piece["attr"], piece["op"], value)
            if need is not None:
                current.append(need)
    alternatives.append(tuple(current))
    return tuple(alternatives)


class SelectorScreen:
    """The class and id values of a page, to run only the selectors that can match."""

    def __init__(self, tree: LexborHTMLParser) -> None:
        classes = " ".join([n.attrs.get("class") or "" for n in tree.css("[class]")]).lower()
        ids = " ".join([n.attrs.get("id") or "" for n in tree.css("[id]")]).lower()
        # Per kind of need, what its value is looked up in: a set of tokens or a text.
        self._has: dict[str, set[str] | str] = {
            "class": set(classes.split()), "id": set(ids.split()),
            "class-text": classes, "id-text": ids}

    def _met(self, need: Need) -> bool:
        return need[1] in self._has[need[0]]

    def may_match(self, selector: str) -> bool:
        """Whether ``selector`` can match an element of the page."""
        alternatives = needs(selector)
        return alternatives is None or any(all(map(self._met, alternative))
                                           for alternative in alternatives)

    def select(self, root: LexborHTMLParser | LexborNode, selectors: Sequence[str]
               ) -> list[LexborNode]:
        """``root.css`` of the selectors that can match, as one group (document
        order); no query at all when none can."""
        kept = [selector for selector in selectors if self.may_match(selector)]
        return root.css(", ".join(kept)) if kept else []
