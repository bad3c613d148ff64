"""Why each block of a page went: the page's blocks in reading order, each with the
rule that removed it, and the element chosen as the body.

Read-only: it runs the cleaner's own stages (``prune_tree``, ``locate_content``) on
a fresh tree and compares the tree before and after, so it explains what
``clean_html`` does without changing it. A pruned element is tied to its rule by
the text the removal recorded, the same text ``Article.removed`` holds; line-level
removals (made after extraction) are matched to the body's blocks by their text.
"""

from __future__ import annotations

import re
from collections import defaultdict, deque
from collections.abc import Mapping
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser, LexborNode

from .api import Rules, clean_html
from .article import Article
from .blocks import _BLOCKS
from .decode import decode_bytes
from .locate import locate_content
from .prune import NOISE_TAGS, node_text, prune_tree
from .rules import resolve_rules

__all__ = ["Block", "Trace", "trace_html"]

_SNIPPET_CHARS = 200  # prune records the first 200 characters of a removed element
_SPACES = re.compile(r"[ \t\r\n\u00a0\u3000]+")
_NOT_TEXT = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class Block:
    """One visible line of the page.

    ``rule`` names the rule that removed it (``None`` if kept); ``in_body`` tells
    whether it lies in the element chosen as the body; ``extracted`` whether its
    text reached the article.
    """

    text: str
    rule: str | None
    in_body: bool
    extracted: bool


@dataclass(frozen=True)
class Trace:
    """The page's blocks, how the body was found (a rule name or ``"score"``), the article."""

    blocks: list[Block]
    body_how: str | None
    article: Article


@dataclass
class _Piece:
    text: str
    block: int | None
    ancestors: tuple[int, ...]


def _pieces(body: LexborNode) -> tuple[list[_Piece | None], dict[int, tuple[int | None, str]]]:
    """Text nodes in reading order (``None`` for a line break) and every element's
    parent id and text, read before pruning frees the removed nodes."""
    pieces: list[_Piece | None] = []
    elements: dict[int, tuple[int | None, str]] = {}
    for node in body.traverse(include_text=True):
        if node.tag == "br":
            pieces.append(None)
        elif node.tag == "-text":
            chain, block, parent = [], None, node.parent
            while parent is not None:
                chain.append(parent.mem_id)
                if block is None and parent.tag in _BLOCKS:
                    block = parent.mem_id
                parent = parent.parent
            pieces.append(_Piece(node.text_content or "", block, tuple(chain)))
        else:
            parent = node.parent
            elements[node.mem_id] = (parent.mem_id if parent is not None else None,
                                     node_text(node))
    return pieces, elements


def _root_rules(elements: Mapping[int, tuple[int | None, str]], survivors: set[int],
                removals: list[tuple[str, str]]) -> dict[int, str]:
    """The rule of each removed element whose parent stayed (the element a rule dropped)."""
    by_text: dict[str, deque[str]] = defaultdict(deque)
    for rule, text in removals:
        by_text[text].append(rule)
    roots: dict[int, str] = {}
    for mem_id, (parent, text) in elements.items():
        if mem_id not in survivors and parent in survivors:
            queue = by_text.get(text[:_SNIPPET_CHARS])
            roots[mem_id] = queue.popleft() if queue else "prune.unrecorded"
    return roots


def _lines(pieces: list[_Piece | None], roots: Mapping[int, str],
           body_id: int | None) -> list[tuple[str, str | None, bool]]:
    lines: list[tuple[str, str | None, bool]] = []
    parts: list[str] = []
    key: tuple[int | None, str | None, bool] | None = None

    def flush() -> None:
        text = _SPACES.sub(" ", "".join(parts)).strip()
        if text and key is not None:
            lines.append((text, key[1], key[2]))
        parts.clear()

    for piece in pieces:
        if piece is None:
            flush()
            continue
        if not piece.text.strip():
            if parts:
                parts.append(" ")
            continue
        rule = next((roots[a] for a in piece.ancestors if a in roots), None)
        this = (piece.block, rule, body_id in piece.ancestors)
        if this != key:
            flush()
            key = this
        parts.append(piece.text)
    flush()
    return lines


def _squash(text: str) -> str:
    return _NOT_TEXT.sub("", text)


def _blocks(lines: list[tuple[str, str | None, bool]], line_removals: list[tuple[str, str]],
            article: Article) -> list[Block]:
    """Blocks with line-level removals matched, in order, to the body's kept lines."""
    rules: list[str | None] = [rule for _, rule, _ in lines]
    for rule, text in line_removals:
        want = _squash(text)
        for i, (line, line_rule, in_body) in enumerate(lines):
            got = _squash(line)
            if in_body and line_rule is None and rules[i] is None and got and want and (
                    want in got or got in want):
                rules[i] = rule
                break
    kept = _squash(f"{article.title or ''}{article.text}")
    return [Block(text, rule, in_body, rule is None and bool(_squash(text))
                  and _squash(text) in kept)
            for (text, _, in_body), rule in zip(lines, rules, strict=True)]


def trace_html(html: bytes | str, url: str | None = None, *,
               headers: Mapping[str, str] | None = None, rules: Rules = None) -> Trace:
    """Clean ``html`` as :func:`clean_html` does and explain every block's fate."""
    ruleset = resolve_rules(rules)
    article = clean_html(html, url, headers=headers, rules=ruleset)
    if isinstance(html, bytes):
        html = decode_bytes(html, headers, source=url or "<bytes>")[0]
    tree = LexborHTMLParser(html)
    if tree.body is None:
        return Trace([], None, article)
    tree.strip_tags(NOISE_TAGS)
    pieces, elements = _pieces(tree.body)
    pruned = prune_tree(tree, ruleset)
    survivors = {n.mem_id for n in tree.body.traverse(include_text=False)}
    survivors.add(tree.body.mem_id)
    roots = _root_rules(elements, survivors, [(r.rule, r.text) for r in pruned])
    located = locate_content(tree, ruleset)
    lines = _lines(pieces, roots, located.node.mem_id if located is not None else None)
    line_removals = [(r.rule, r.text) for r in article.removed[len(pruned):]]
    return Trace(_blocks(lines, line_removals, article),
                 located.how if located is not None else None, article)
