"""Find the element that holds the article: a content rule, else paragraph scoring.

The scoring follows readability's idea, tuned for Chinese: every paragraph-like block
credits its parent (and half to the grandparent) with its length and its count of
Chinese punctuation; link-heavy candidates are discounted. The winner is handed to
trafilatura alone, so sidebars and comment areas never reach the extractor.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser, LexborNode

from .prune import node_text
from .rules import RuleSet
from .tree import TextIndex

__all__ = ["Located", "locate_content"]

_PARAGRAPH_TAGS = "p, td, pre, blockquote, li, dd, h2, h3, h4, section, div, span, font"
_PUNCT = re.compile(r"[，。、；：！？,;]")
_MIN_PARAGRAPH_CHARS = 20
_MIN_CONTENT_CHARS = 10
_NARROW_SHARE = 0.2
_CANDIDATE_TAGS = {"div", "article", "section", "td", "main", "body", "form", "center",
                   "table", "tbody", "font", "dd", "li", "span", "blockquote"}


@dataclass(frozen=True)
class Located:
    """The content element and how it was found (a rule name or ``"score"``)."""

    node: LexborNode
    how: str


def _by_rule(tree: LexborHTMLParser, rules: RuleSet) -> Located | None:
    for rule in rules.of_kind("content"):
        for selector in rule.selectors:
            best, best_len = None, 0
            for node in tree.css(selector):
                length = len(node_text(node))
                if length > best_len:
                    best, best_len = node, length
            if best is not None and best_len >= _MIN_CONTENT_CHARS:
                return Located(best, rule.name)
    return None


def _by_score(root: LexborNode) -> tuple[LexborNode, float] | None:
    """The best-scoring element under ``root`` and its share of all paragraph score."""
    scores: dict[int, float] = {}
    nodes: dict[int, LexborNode] = {}
    total = 0.0
    for para in root.css(_PARAGRAPH_TAGS):
        if para.tag in ("div", "section", "span", "font", "td", "li", "dd"):
            # A container counts as a paragraph only for text directly inside it.
            own = para.text(deep=False, strip=True)
            if len(own) < _MIN_PARAGRAPH_CHARS:
                continue
            text = own
        else:
            text = node_text(para)
            if len(text) < _MIN_PARAGRAPH_CHARS:
                continue
        score = 1 + len(_PUNCT.findall(text)) + min(len(text) / 50, 6)
        total += score
        parent = para if para.tag in ("div", "td", "section") else para.parent
        for share, node in ((1.0, parent), (0.5, parent.parent if parent else None)):
            if node is None or node.tag not in _CANDIDATE_TAGS:
                continue
            scores[node.mem_id] = scores.get(node.mem_id, 0.0) + share * score
            nodes[node.mem_id] = node
    if not scores:
        return None
    index = TextIndex(root, 0)  # one walk for every candidate's link density
    best_id = max(scores, key=lambda i: scores[i] * (1 - index.link_density(nodes[i])))
    return nodes[best_id], scores[best_id] / total


def locate_content(tree: LexborHTMLParser, rules: RuleSet) -> Located | None:
    """The article's element, or ``None`` when the page has no paragraph at all.

    A content rule's element is narrowed to the scored element inside it when that
    one holds most of the paragraph text: template classes such as
    ``.article-content`` sometimes wrap the feed under the article as well.
    """
    located = _by_rule(tree, rules)
    root = located.node if located is not None else tree.body
    if root is None:
        return None
    scored = _by_score(root)
    if located is None:
        return Located(scored[0], "score") if scored else None
    if scored and scored[0].mem_id != root.mem_id and scored[1] >= _NARROW_SHARE:
        return Located(scored[0], f"{located.how}+score")
    return located
