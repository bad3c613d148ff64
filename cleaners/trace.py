"""Why each block of a page went: the page's blocks in reading order, each with the
rule that removed it, and the element chosen as the body.

Read-only: it runs the cleaner's own stages (``prune_tree``, a site template's
``prune``, ``locate_content``) on
a fresh tree and compares the tree before and after, so it explains what
``clean_html`` does without changing it. A pruned element is tied to its rule by
the text the removal recorded, the same text ``Article.removed`` holds; line-level
removals (made after extraction) are matched to the body's blocks by their text.
Text only: the trace keeps no markup, so whatever shows it cannot run the page.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser, LexborNode

from .api import Rules, clean_html
from .article import SNIPPET_CHARS, Article
from .blocks import BLOCK_ELEMENTS, SPACES  # lines as block_lines makes them
from .decode import decode_bytes
from .locate import locate_content
from .prune import NOISE_TAGS, prune_tree
from .rules import resolve_rules
from .templates import SiteTemplate

__all__ = ["Block", "Trace", "trace_html"]

_NOT_TEXT = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class Block:
    """One visible line of the page.

    ``rules`` names the rules that removed it (empty if kept; more than one when
    several removed lines share the block); ``in_body`` tells whether it lies in the
    element chosen as the body; ``extracted`` whether its text reached the article.
    """

    text: str
    rules: tuple[str, ...]
    in_body: bool
    extracted: bool

    @property
    def rule(self) -> str | None:
        """The rule that removed the block (the first, if several)."""
        return self.rules[0] if self.rules else None


@dataclass(frozen=True)
class Trace:
    """The page's blocks, how the body was found (a rule name or ``"score"``), the article."""

    blocks: list[Block]
    body_how: str | None
    article: Article


@dataclass
class _Piece:
    """A text node (or a line break, ``text=None``) and the ids of its ancestors below body."""

    text: str | None
    block: int | None
    ancestors: tuple[int, ...]
    rule: str | None = None


def _pieces(body: LexborNode) -> list[_Piece]:
    """Text nodes and line breaks in reading order, read before pruning frees nodes."""
    pieces: list[_Piece] = []
    for node in body.traverse(include_text=True):
        if node.tag not in ("-text", "br"):
            continue
        chain, block, parent = [], None, node.parent
        while parent is not None and parent.mem_id != body.mem_id:
            chain.append(parent.mem_id)
            if block is None and parent.tag in BLOCK_ELEMENTS:
                block = parent.mem_id
            parent = parent.parent
        text = (node.text_content or "") if node.tag == "-text" else None
        pieces.append(_Piece(text, block, tuple(chain)))
    return pieces


def _spans(pieces: list[_Piece], survivors: set[int]) -> list[tuple[int, int]]:
    """``(first, last)`` piece index of each removed element, outermost first.

    An element's text nodes are consecutive in reading order, so a span is its text.
    """
    spans: dict[int, list[int]] = {}
    for i, piece in enumerate(pieces):
        for mem_id in piece.ancestors:
            if mem_id not in survivors:
                spans.setdefault(mem_id, [i, i])[1] = i
    return sorted(((first, last) for first, last in spans.values()), key=lambda s: (s[0], -s[1]))


def _assign(pieces: list[_Piece], spans: list[tuple[int, int]],
            removals: list[tuple[str, str]]) -> None:
    """Give each removed piece its rule.

    Removals are recorded in the order the pruner made them, each with the text its
    element had then, which lacks what earlier removals took from inside it. So each
    removal, in order, claims the first removed element whose still unclaimed text is
    the recorded text (recorded snippets are cut at 200 characters).
    """
    squashed = [_squash(p.text or "") for p in pieces]
    for rule, text in removals:
        want = _squash(text)
        if not want:
            continue  # nothing visible was removed
        for first, last in spans:
            free = [i for i in range(first, last + 1) if pieces[i].rule is None and squashed[i]]
            if not free or not want.startswith(squashed[free[0]]):
                continue
            rest = "".join(squashed[i] for i in free)
            if rest == want or (len(text) >= SNIPPET_CHARS and rest.startswith(want)):
                for piece in pieces[first:last + 1]:
                    piece.rule = piece.rule or rule
                break
    # Text whose recorded removal could not be told apart (two look-alike blocks, one
    # nested in the other) went with its outermost removed element: the rule most of
    # that element's text went by, else "prune.unrecorded".
    for first, last in spans:
        claimed = Counter(p.rule for p in pieces[first:last + 1] if p.rule is not None)
        fallback = claimed.most_common(1)[0][0] if claimed else "prune.unrecorded"
        for piece in pieces[first:last + 1]:
            piece.rule = piece.rule or fallback


def _lines(pieces: list[_Piece], body_id: int | None) -> list[tuple[str, str | None, bool]]:
    lines: list[tuple[str, str | None, bool]] = []
    parts: list[str] = []
    key: tuple[int | None, str | None, bool] | None = None

    def flush() -> None:
        text = SPACES.sub(" ", "".join(parts)).strip()
        if text and key is not None:
            lines.append((text, key[1], key[2]))
        parts.clear()

    for piece in pieces:
        if piece.text is None:
            flush()
            continue
        if not piece.text.strip():
            if parts:
                parts.append(" ")
            continue
        this = (piece.block, piece.rule, body_id in piece.ancestors)
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
    """Blocks with line-level removals matched, in order, to the kept lines, the body's
    first (a block may hold several removed lines, as one div holding 来源 and 责任编辑)."""
    rules: list[list[str]] = [[rule] if rule else [] for _, rule, _ in lines]
    for rule, text in line_removals:
        want = _squash(text)
        fits = [i for i, (line, pruned, _) in enumerate(lines)
                if want and pruned is None and _squash(line)
                and (want in _squash(line) or _squash(line) in want)]
        # The body's lines first: the body may also be read beyond the located element.
        ranked = sorted(fits, key=lambda i: (bool(rules[i]), not lines[i][2]))
        if ranked:
            rules[ranked[0]].append(rule)
    kept = _squash(f"{article.title or ''}{article.text}")
    return [Block(text, tuple(found), in_body,
                  not found and bool(_squash(text)) and _squash(text) in kept)
            for (text, _, in_body), found in zip(lines, rules, strict=True)]


def trace_html(html: bytes | str, url: str | None = None, *,
               headers: Mapping[str, str] | None = None, rules: Rules = None,
               template: SiteTemplate | None = None) -> Trace:
    """Clean ``html`` as :func:`clean_html` does and explain every block's fate."""
    ruleset = resolve_rules(rules)
    article = clean_html(html, url, headers=headers, rules=ruleset, template=template)
    if isinstance(html, bytes):
        html = decode_bytes(html, headers, source=url or "<bytes>")[0]
    tree = LexborHTMLParser(html)
    if tree.body is None:
        return Trace([], None, article)
    tree.strip_tags(NOISE_TAGS)
    pieces = _pieces(tree.body)
    pruned = prune_tree(tree, ruleset)
    if template is not None:
        pruned += template.prune(tree, ruleset)
    survivors = {n.mem_id for n in tree.body.traverse(include_text=False)}
    survivors.add(tree.body.mem_id)
    _assign(pieces, _spans(pieces, survivors), [(r.rule, r.text) for r in pruned])
    located = locate_content(tree, ruleset)
    lines = _lines(pieces, located.node.mem_id if located is not None else None)
    line_removals = [(r.rule, r.text) for r in article.removed[len(pruned):]]
    return Trace(_blocks(lines, line_removals, article),
                 located.how if located is not None else None, article)
