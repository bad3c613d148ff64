"""Choose the article body: the located block, checked against the whole page.

One scored element is never the only candidate: it can be a sidebar, a comment
area, a caption or one column of an article split over several. When the located
block holds most of the page's paragraph score and trafilatura keeps most of it,
and no other element holds much of the rest, it is taken as it is (the common
case: one trafilatura call on a small element).
Otherwise trafilatura's extraction of the whole pruned page is a second candidate
and the evidence decides:

* the page candidate repeats the block and adds little: the block (it is the more
  precise of the two);
* the page candidate contains the block and adds text that lies with it in a close
  ancestor made almost only of the two: the article goes on around the block, so
  the page candidate (``page:extends``);
* the two hardly overlap and the block holds a minor share of the page's paragraphs,
  or sits in an aside, caption, form, header, footer or nav: the block was something
  else, so the page candidate (``page:replaces``).

A page reading that lost the block's table, or whose text beyond the block is mostly
the page's link texts, is trafilatura's fallback of reading every line (short pages
fall to it) and is never taken.
"""

from __future__ import annotations

from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser, LexborNode

from .extract import extract_lines, extract_page
from .locate import locate_content
from .rules import RuleSet
from .selectors import SelectorScreen
from .tree import node_text, squeezed

__all__ = ["Body", "find_body"]

_CHEAP_SHARE = 0.7       # a block with this share of the paragraph score is trusted...
_MINOR_BLOCK = 0.5       # ...or with this share when no other element holds...
_RIVAL_SHARE = 0.15      # ...this share of it...
_CHEAP_KEPT = 0.5        # ...and when trafilatura keeps this much of its text
_CONTAINED = 0.8         # share of one candidate's n-grams found in the other
_DISJOINT = 0.5
_MINOR_SHARE = 0.25      # a block with less of the paragraph score is a fragment
_REPLACE_SHARE = 0.5
_MIN_GAIN = 0.25         # page text beyond the block, relative to the block
_COVER = 0.8             # the ancestor holding the page candidate...
_PURE = 0.85             # ...is made of it to this share (a fragment's: _MINOR_PURE)...
_MINOR_PURE = 0.5
_MAX_DEPTH = 5           # ...and lies this close above the block
_MENU_SHARE = 0.3        # page text beyond the block that is link text: menus
_REPLACE_SIZE = 0.5      # a replacing page candidate is at least this long against the block
_ASIDE_TAGS = frozenset(["aside", "figcaption", "form", "header", "footer", "nav"])
_ASIDE_DEPTH = 4
_N = 4


@dataclass(frozen=True)
class Body:
    """The body lines, the element they were found in (``None`` when none) and how
    they were found: a content rule name, ``score`` (``+siblings`` when the
    article's sibling containers joined), or ``page:extends``/``page:replaces``."""

    lines: list[str]
    node: LexborNode | None
    how: str | None
    nodes: tuple[LexborNode, ...] = ()  # the located element and its joined siblings
    located_by: str | None = None       # the content rule that located it, or "score"


def _grams(text: str) -> set[str]:
    text = squeezed(text)
    return {text[i:i + _N] for i in range(max(len(text) - _N + 1, 0))}


def _has_table(lines: list[str]) -> bool:
    return any("\t" in line for line in lines)


def _enclosing(node: LexborNode | None, page: set[str]) -> tuple[int, float] | None:
    """Depth above ``node`` of the first ancestor holding most of ``page``, and the
    share of that ancestor's text that ``page`` accounts for."""
    for depth in range(_MAX_DEPTH + 1):
        if node is None or node.tag in ("body", "html"):
            return None
        grams = _grams(node_text(node))
        common = len(grams & page)
        if common >= _COVER * len(page):
            return depth, common / max(len(grams), 1)
        node = node.parent
    return None


def _menus(tree: LexborHTMLParser, lines: list[str], page_lines: list[str]) -> bool:
    """Whether the page candidate's lines beyond the block are mostly link texts of
    the page: trafilatura fell back to reading the menus, not a better article."""
    block = {squeezed(line) for line in lines}
    extra = [key for key in (squeezed(line) for line in page_lines) if key not in block]
    if not extra or tree.body is None:
        return False
    links = {squeezed(a.text(deep=True)) for a in tree.body.css("a")}
    linked = sum(len(key) for key in extra if key in links)
    return linked >= _MENU_SHARE * sum(len(key) for key in extra)


def _page_wins(lines: list[str], page_lines: list[str], node: LexborNode,
               share: float) -> str | None:
    """Why the page candidate beats the block, or ``None`` when it does not."""
    block, page = _grams("".join(lines)), _grams("".join(page_lines))
    if not page or (_has_table(lines) and not _has_table(page_lines)):
        # A reading of the page that lost the block's table is trafilatura's
        # line-by-line fallback, not a better choice of article.
        return None
    if not block:
        return "page:replaces"
    common = len(block & page)
    if common >= _CONTAINED * len(block):
        if len(page - block) < _MIN_GAIN * len(block):
            return None
        found = _enclosing(node, page)
        if found is not None and (found[1] >= _PURE or (
                share < _MINOR_SHARE and found[1] >= _MINOR_PURE)):
            return "page:extends"
        return None
    if common < _DISJOINT * len(block) and len(page) > _REPLACE_SIZE * len(block) and (
            share < _REPLACE_SHARE or _aside(node)):
        return "page:replaces"
    return None


def _aside(node: LexborNode | None) -> bool:
    """Whether the block sits in an element that is by its tag not the article: an
    aside, a caption, a form (its messages), a header, footer or navigation."""
    for _ in range(_ASIDE_DEPTH):
        if node is None:
            return False
        if node.tag in _ASIDE_TAGS:
            return True
        node = node.parent
    return False


def find_body(tree: LexborHTMLParser, rules: RuleSet, url: str | None = None,
              screen: SelectorScreen | None = None) -> Body:
    """The article's lines (before the line pass) from the pruned ``tree``."""
    located = locate_content(tree, rules, screen)
    if located is None:
        lines = extract_page(tree, url)
        return Body(lines, None, "page:replaces" if lines else None)
    by = located.how.split("+", 1)[0]
    lines = extract_lines(located.nodes, url)
    text = "".join(lines)
    kept = len(squeezed(text)) >= _CHEAP_KEPT * len(
        squeezed("".join(node_text(n) for n in located.nodes)))
    # Joined siblings (the columns of one article, a listicle's items, a lede) stand
    # for their parent: the article around them is looked for from there.
    anchor = located.nodes[0].parent if len(located.nodes) > 1 else located.node
    if kept and not _aside(anchor) and (located.share >= _CHEAP_SHARE or (
            located.share >= _MINOR_BLOCK and located.rival < _RIVAL_SHARE)):
        return Body(lines, located.node, located.how, located.nodes, by)
    page = extract_page(tree, url)
    why = (None if _menus(tree, lines, page)
           else _page_wins(lines, page, anchor or located.node, located.share))
    if why is None:
        return Body(lines, located.node, located.how, located.nodes, by)
    return Body(page, located.node, why, located.nodes, by)
