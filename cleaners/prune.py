"""Apply the selector and block rules to a selectolax tree, recording each removal.

Runs before trafilatura sees the page: what the rules know for certain (share bars,
breadcrumbs, toolbars, related lists, footers) is removed up front, which both keeps
it out of the text and shrinks what the extractor has to walk.
"""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser, LexborNode

from .article import Removal
from .rules import Rule, RuleSet, Screen

__all__ = ["BLOCK_TAGS", "link_density", "node_text", "prune_tree"]

#: Tags whose text a pattern rule is matched against.
BLOCK_TAGS = ("div, p, span, li, ul, ol, dl, dt, dd, td, tr, table, h1, h2, h3, h4, h5, h6, "
              "section, aside, a, font, strong, b, em, label, center, header, footer, nav, form")
#: Never part of an article's text.
NOISE_TAGS = ["script", "style", "noscript", "template", "iframe", "object", "embed", "svg",
              "canvas", "select", "button", "input", "textarea"]
_HEADING_MAX_CHARS = 120  # list headings are short; disclaimers a sentence
_LIST_MAX_CHARS = 3000
_LIST_MIN_LINK_DENSITY = 0.5
_LIST_MAX_UNLINKED_CHARS = 300
_SNIPPET_CHARS = 200
_MAX_SELECTED_SHARE = 0.6


def node_text(node: LexborNode) -> str:
    return node.text(deep=True, separator=" ", strip=True)


def link_density(node: LexborNode, text_len: int | None = None) -> float:
    """Share of the node's visible characters that sit inside links."""
    total = text_len if text_len is not None else len(node_text(node))
    if not total:
        return 0.0
    linked = sum(len(a.text(deep=True, strip=True)) for a in node.css("a"))
    return min(linked / total, 1.0)


def _record(removed: list[Removal], rule: Rule, node: LexborNode) -> None:
    text = node_text(node)
    if text:
        removed.append(Removal(rule.name, text[:_SNIPPET_CHARS]))


def _outermost(matches: list[tuple[LexborNode, Rule]]) -> list[tuple[LexborNode, Rule]]:
    ids = {node.mem_id for node, _ in matches}
    keep = []
    for node, rule in matches:
        parent = node.parent
        while parent is not None and parent.mem_id not in ids:
            parent = parent.parent
        if parent is None:
            keep.append((node, rule))
    return keep


def _drop_selected(tree: LexborHTMLParser, rules: tuple[Rule, ...],
                   removed: list[Removal]) -> None:
    matches: list[tuple[LexborNode, Rule]] = []
    seen: set[int] = set()
    page_chars = len(node_text(tree.body)) if tree.body is not None else 0
    for rule in rules:
        for selector in rule.selectors:
            for node in tree.css(selector):
                if node.mem_id in seen or node.tag in ("html", "body"):
                    continue
                seen.add(node.mem_id)
                # A selector matching a wrapper of most of the page has misfired.
                if len(node_text(node)) <= _MAX_SELECTED_SHARE * page_chars:
                    matches.append((node, rule))
    for node, rule in _outermost(matches):
        _record(removed, rule, node)
        node.decompose()


def _first_rule(text: str, rules: tuple[Rule, ...], screen: Screen,
                cache: dict[str, Rule | None]) -> Rule | None:
    """The first rule whose pattern matches ``text``. Nested blocks often share a
    text, so verdicts are kept for the page; the screen skips texts no rule matches."""
    if text not in cache:
        cache[text] = (next((r for r in rules if len(text) <= r.max_chars and r.search(text)),
                            None) if screen.search(text) else None)
    return cache[text]


def _drop_matching_blocks(tree: LexborHTMLParser, rules: tuple[Rule, ...],
                          screen: Screen | None, removed: list[Removal]) -> None:
    rules = tuple(r for r in rules if r.patterns)
    limit = max((r.max_chars for r in rules), default=0)
    if tree.body is None or not limit or screen is None:
        return
    matches: list[tuple[LexborNode, Rule]] = []
    cache: dict[str, Rule | None] = {}
    for node in tree.body.css(BLOCK_TAGS):
        text = node_text(node)
        if text and len(text) <= limit and not _data_cell(node):
            rule = _first_rule(text, rules, screen, cache)
            if rule is not None:
                matches.append((node, rule))
    for node, rule in _outermost(matches):
        _record(removed, rule, node)
        node.decompose()


def _data_cell(node: LexborNode) -> bool:
    """A table cell beside other filled cells of its row: a column header such as
    时间 or 来源 is data, not a meta label left without its value."""
    row = node.parent
    if node.tag not in ("td", "th") or row is None or row.tag != "tr":
        return False
    return sum(1 for cell in row.iter() if cell.tag in ("td", "th") and node_text(cell)) > 1


def _list_block(heading: LexborNode) -> list[LexborNode]:
    """The nodes a list heading stands for: its link-dense container, or itself and
    the link-dense siblings that follow it."""
    block = heading
    parent = heading.parent
    while parent is not None and parent.tag not in ("body", "html"):
        text_len = len(node_text(parent))
        density = link_density(parent, text_len)
        if (text_len > _LIST_MAX_CHARS or density < _LIST_MIN_LINK_DENSITY
                or text_len * (1 - density) > _LIST_MAX_UNLINKED_CHARS):
            break
        block, parent = parent, parent.parent
    if block is not heading:
        return [block]
    nodes = [heading]
    sibling = heading.next
    while sibling is not None:
        if sibling.tag == "-text":
            if sibling.text(strip=True):
                break
        else:
            text_len = len(node_text(sibling))
            if text_len and link_density(sibling, text_len) < _LIST_MIN_LINK_DENSITY:
                break
            nodes.append(sibling)
        sibling = sibling.next
    return nodes


def _drop_lists(tree: LexborHTMLParser, rules: tuple[Rule, ...],
                screen: Screen | None, removed: list[Removal]) -> None:
    if tree.body is None or not rules or screen is None:
        return
    headings: list[tuple[LexborNode, Rule]] = []
    limit = max(min(r.max_chars, _HEADING_MAX_CHARS) for r in rules)
    cache: dict[str, Rule | None] = {}
    for node in tree.body.css(BLOCK_TAGS):
        text = node_text(node)
        if text and len(text) <= limit:
            rule = _first_rule(text, rules, screen, cache)
            if rule is not None:
                headings.append((node, rule))
    # The innermost element of each heading, then each list block once, outermost.
    inner = {n.mem_id for n, _ in headings}
    blocks: list[tuple[LexborNode, Rule]] = []
    for node, rule in headings:
        if any(child.mem_id in inner and child.mem_id != node.mem_id
               for child in node.traverse(include_text=False)):
            continue
        blocks.extend((block, rule) for block in _list_block(node))
    unique = list({block.mem_id: (block, rule) for block, rule in blocks}.values())
    for block, rule in _outermost(unique):
        _record(removed, rule, block)
        block.decompose()


def prune_tree(tree: LexborHTMLParser, rules: RuleSet) -> list[Removal]:
    """Remove noise tags and everything the drop and drop-list rules match."""
    removed: list[Removal] = []
    tree.strip_tags(NOISE_TAGS)
    drops = rules.of_kind("drop")
    _drop_selected(tree, drops, removed)
    _drop_lists(tree, rules.of_kind("drop-list"), rules.screen("drop-list"), removed)
    _drop_matching_blocks(tree, drops, rules.screen("drop"), removed)
    return removed
