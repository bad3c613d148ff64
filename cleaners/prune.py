"""Apply the selector and block rules to a selectolax tree, recording each removal.

Runs before trafilatura sees the page: what the rules know for certain (share bars,
breadcrumbs, toolbars, related lists, footers) is removed up front, which both keeps
it out of the text and shrinks what the extractor has to walk.
"""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser, LexborNode

from .article import SNIPPET_CHARS, Removal
from .needles import PageRules, PageText
from .rules import Rule, RuleSet
from .selectors import SelectorScreen
from .tree import TextIndex, link_density, node_text, tag_ids

__all__ = ["BLOCK_TAGS", "link_density", "node_text", "prune_tree"]

#: Tags whose text a pattern rule is matched against.
BLOCK_TAGS = ("div, p, span, li, ul, ol, dl, dt, dd, td, tr, table, h1, h2, h3, h4, h5, h6, "
              "section, aside, a, font, strong, b, em, label, center, header, footer, nav, form")
_BLOCK_IDS = tag_ids(*BLOCK_TAGS.split(", "))
#: Never part of an article's text.
NOISE_TAGS = ["script", "style", "noscript", "template", "iframe", "object", "embed", "svg",
              "canvas", "select", "button", "input", "textarea"]
_HEADING_MAX_CHARS = 120  # list headings are short; disclaimers a sentence
_LIST_MAX_CHARS = 3000
_LIST_MIN_LINK_DENSITY = 0.5
_LIST_MAX_UNLINKED_CHARS = 300
_MAX_SELECTED_SHARE = 0.6


def _record(removed: list[Removal], rule: Rule, node: LexborNode) -> None:
    text = node_text(node)
    if text:
        removed.append(Removal(rule.name, text[:SNIPPET_CHARS]))


def _outermost(matches: list[tuple[LexborNode, Rule]]) -> list[tuple[LexborNode, Rule]]:
    """The matches not inside another match. Each ancestor's verdict is kept, so
    the walks up the tree add up to its size, not to matches × depth."""
    ids = {node.mem_id for node, _ in matches}
    covered: dict[int, bool] = {}  # element -> some ancestor of it (or it) matched
    keep = []
    for node, rule in matches:
        path: list[int] = []
        parent, verdict = node.parent, False
        while parent is not None:
            pid = parent.mem_id
            if pid in ids or pid in covered:
                verdict = pid in ids or covered[pid]
                break
            path.append(pid)
            parent = parent.parent
        covered.update(dict.fromkeys(path, verdict))
        if not verdict:
            keep.append((node, rule))
    return keep


def _drop_selected(tree: LexborHTMLParser, rules: tuple[Rule, ...], page_chars: int,
                   removed: list[Removal], screen: SelectorScreen) -> None:
    matches: list[tuple[LexborNode, Rule]] = []
    seen: set[int] = set()
    for rule in rules:
        if not rule.selectors:
            continue
        # One query per rule (its selectors that can match, as a group): one walk of
        # the tree, not one per selector; the elements come in document order.
        for node in screen.select(tree, rule.selectors):
            if node.mem_id in seen or node.tag in ("html", "body"):
                continue
            seen.add(node.mem_id)
            # A selector matching a wrapper of most of the page has misfired.
            if len(node_text(node)) <= _MAX_SELECTED_SHARE * page_chars:
                matches.append((node, rule))
    for node, rule in _outermost(matches):
        _record(removed, rule, node)
        node.decompose()


def _matching(blocks: list[LexborNode], rules: PageRules, limit: int,
              index: TextIndex) -> list[tuple[LexborNode, Rule]]:
    """The ``blocks`` still in the tree whose text (at most ``limit`` chars) one of
    ``rules`` matches. Nested blocks often share a text, so verdicts are kept for the
    page."""
    found: list[tuple[LexborNode, Rule]] = []
    cache: dict[str, Rule | None] = {}
    texts, gone = index.texts, index.gone
    for node in blocks:
        key = node.mem_id
        if key in gone:
            continue
        text = texts.get(key)
        if text and len(text) <= limit:
            if text not in cache:
                cache[text] = rules.first_match(text)
            rule = cache[text]
            if rule is not None and not _data_cell(node, index):
                found.append((node, rule))
    return found


def _drop_limit(rules: RuleSet) -> int:
    return max((r.max_chars for r in rules.of_kind("drop") if r.patterns), default=0)


def _drop_matching_blocks(blocks: list[LexborNode], rules: RuleSet, page: PageText,
                          removed: list[Removal], index: TextIndex) -> None:
    limit = _drop_limit(rules)
    if not limit:
        return
    matches = _matching(blocks, PageRules(rules.of_kind("drop"), page), limit, index)
    for node, rule in _outermost(matches):
        _record(removed, rule, node)
        index.decompose(node)


def _data_cell(node: LexborNode, index: TextIndex) -> bool:
    """A table cell beside other filled cells of its row: a column header such as
    时间 or 来源 is data, not a meta label left without its value."""
    if node.tag not in ("td", "th"):
        return False
    row = node.parent
    if row is None or row.tag != "tr":
        return False
    return sum(1 for cell in row.iter()
               if cell.tag in ("td", "th") and index.lengths.get(cell.mem_id)) > 1


class _ListBlocks:
    """The nodes a list heading stands for: its link-dense container, or itself and
    the link-dense siblings that follow it. How far up a list container reaches is
    kept per element, so headings sharing ancestors climb them once."""

    def __init__(self, index: TextIndex) -> None:
        self._index = index
        self._top: dict[int, LexborNode | None] = {}

    def _is_list(self, node: LexborNode) -> bool:
        text_len = self._index.lengths.get(node.mem_id, 0)
        density = self._index.link_density(node)
        return not (text_len > _LIST_MAX_CHARS or density < _LIST_MIN_LINK_DENSITY
                    or text_len * (1 - density) > _LIST_MAX_UNLINKED_CHARS)

    def _climb(self, start: LexborNode | None) -> LexborNode | None:
        """The highest list-like ancestor reached from ``start`` going up through
        list-like elements only; ``None`` when ``start`` is not list-like."""
        path: list[LexborNode] = []
        node = start
        top: LexborNode | None = None
        while True:
            if node is None or node.tag in ("body", "html") or not self._is_list(node):
                break
            if node.mem_id in self._top:
                top = self._top[node.mem_id]
                break
            path.append(node)
            node = node.parent
        for element in reversed(path):
            top = top or element
            self._top[element.mem_id] = top
        return self._top.get(start.mem_id) if start is not None else None

    def of(self, heading: LexborNode) -> list[LexborNode]:
        container = self._climb(heading.parent)
        if container is not None:
            return [container]
        nodes = [heading]
        sibling = heading.next
        while sibling is not None:
            if sibling.tag == "-text":
                if sibling.text(strip=True):
                    break
            else:
                if (self._index.lengths.get(sibling.mem_id, 0)
                        and self._index.link_density(sibling) < _LIST_MIN_LINK_DENSITY):
                    break
                nodes.append(sibling)
            sibling = sibling.next
        return nodes


def _innermost(headings: list[tuple[LexborNode, Rule]]) -> list[tuple[LexborNode, Rule]]:
    """The headings with no other heading inside them."""
    outer: set[int] = set()  # elements with a heading inside
    for node, _ in headings:
        parent = node.parent
        while parent is not None and parent.mem_id not in outer:
            outer.add(parent.mem_id)
            parent = parent.parent
    return [(node, rule) for node, rule in headings if node.mem_id not in outer]


def _heading_limit(rules: RuleSet) -> int:
    return max((min(r.max_chars, _HEADING_MAX_CHARS) for r in rules.of_kind("drop-list")
                if r.patterns), default=0)


def _drop_lists(blocks: list[LexborNode], rules: RuleSet, page: PageText, removed: list[Removal],
                index: TextIndex) -> None:
    limit = _heading_limit(rules)
    if not limit:
        return
    headings = _matching(blocks, PageRules(rules.of_kind("drop-list"), page), limit, index)
    lists = _ListBlocks(index)
    listed = [(block, rule) for node, rule in _innermost(headings) for block in lists.of(node)]
    unique = list({block.mem_id: (block, rule) for block, rule in listed}.values())
    for block, rule in _outermost(unique):
        _record(removed, rule, block)
        index.decompose(block)


def prune_tree(tree: LexborHTMLParser, rules: RuleSet,
               screen: SelectorScreen | None = None) -> list[Removal]:
    """Remove noise tags and everything the drop and drop-list rules match.
    ``screen`` (made from the page when not given) tells which selectors can match."""
    removed: list[Removal] = []
    tree.strip_tags(NOISE_TAGS)
    # The page's text as it stands before any removal: every block text screened
    # later is made of its text nodes (see cleaners.needles).
    text = node_text(tree.body) if tree.body is not None else ""
    _drop_selected(tree, rules.of_kind("drop"), len(text), removed,
                   screen or SelectorScreen(tree))
    if tree.body is not None:
        # One text index, whose walk also lists the blocks, for both passes: the list
        # pass keeps the index right as it removes, and the block pass skips what it removed.
        index = TextIndex(tree.body, max(_heading_limit(rules), _drop_limit(rules)), _BLOCK_IDS)
        blocks = index.listed
        page = PageText(text)
        _drop_lists(blocks, rules, page, removed, index)
        _drop_matching_blocks(blocks, rules, page, removed, index)
    return removed
