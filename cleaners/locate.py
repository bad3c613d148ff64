"""Find the element that holds the article: a content rule, else paragraph scoring.

The scoring follows readability's idea: every paragraph-like block credits its
parent (and half to the grandparent) with its length and its count of clause and
sentence marks, in any script (Chinese 。，、, Latin . , ; Japanese 、。 …);
link-heavy candidates, items of a long list (teasers of a feed, each as long as
a short article), the element holding such a feed of ``<article>`` teasers, and
consent notices (cookie banners: their prose can outweigh a short article) are
discounted. An article split over sibling containers of one template
(``div.story-column`` × 5, or the numbered items of a listicle a few levels above
the winner) is taken whole: the siblings that share the tag and class and hold
paragraphs join it. Lead paragraphs standing just before the winner (the preview
of a paywalled story, a lede outside the body container) join it too. The result
also says which share of the page's paragraph score it holds, the evidence the body
choice weighs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from selectolax.lexbor import LexborHTMLParser, LexborNode

from .rules import RuleSet
from .selectors import SelectorScreen
from .tree import link_density, node_text, within

__all__ = ["Located", "locate_content"]

_PARAGRAPH_TAGS = "p, td, pre, blockquote, li, dd, h2, h3, h4, section, div, span, font"
_OWN_TEXT_TAGS = frozenset(["div", "section", "span", "font", "td", "li", "dd"])
# Clause and sentence marks: CJK full-width ones anywhere, Latin ones before a space.
_PUNCT = re.compile(r"[，。、；：！？｡､]|[,.;:!?](?=\s|$)|[؟،।]")
_MIN_PARAGRAPH_CHARS = 20
_MIN_CONTENT_CHARS = 10
_MIN_TABLE_ROWS = 3
_NARROW_SHARE = 0.2
_SIBLING_SHARE = 0.2  # of the winner's score: less, and a same-template sibling is not article
_TOP_CANDIDATES = 8
_LISTING_DEPTH = 4       # an li or article this close above a candidate...
_LISTING_ITEMS = 4       # ...among this many siblings of its tag makes it a feed item
_LIST_ITEM_WEIGHT = 0.3
_ITEM_TAGS = frozenset(["li", "article"])  # one item of a list or of a feed of teasers
_TEMPLATE_DEPTH = 5      # how far above the winner a listicle's items are looked for
_NOTICE_WEIGHT = 0.1
_NOTICE_CHARS = 3000     # the opening of a candidate read for a consent notice
_LEAD_MAX_LINK_DENSITY = 0.5
_LEAD_MIN_CHARS = 60     # shorter paragraphs before the body are its meta lines (作者：… 时间：…)
# A consent notice: the cookie word (a loanword in most languages) with the words
# for consent, partners or personal data that every such notice states.
_COOKIES = re.compile(r"cookie|ciasteczk|κουκί|куки|쿠키|クッキー", re.IGNORECASE)
_CONSENT = re.compile(
    r"consent|zgod[aęy]|einwillig|zustimm|consentement|consentimiento|consentimento|consenso|"
    r"toestemming|samtycke|samtykke|suostumu|souhlas|hozzájárul|согласи|同意|"
    r"\bIAB\b|\bTCF\b|partner|personal data|dane osobowe|personenbezogen|données personnelles|"
    r"datos personales|dados pessoais|dati personali|个人信息|個人資料", re.IGNORECASE)
_NOTICE_MIN_HITS = 3
_CANDIDATE_TAGS = {"div", "article", "section", "td", "main", "body", "form", "center",
                   "table", "tbody", "font", "dd", "li", "span", "blockquote"}


Paragraph = tuple[LexborNode, float]


@dataclass(frozen=True)
class Located:
    """The content element(s) and how they were found (a rule name or ``"score"``).

    ``nodes`` is the element followed by same-template siblings that continue the
    article; ``share`` is the part of the page's paragraph score inside them and
    ``rival`` the part held by the best-scoring element outside them.
    """

    node: LexborNode
    how: str
    share: float = 1.0
    nodes: tuple[LexborNode, ...] = ()
    paragraphs: list[Paragraph] = field(default_factory=list, repr=False)

    @cached_property
    def rival(self) -> float:
        """Worked out on demand: most pages are settled by ``share`` alone."""
        return _rival(self.paragraphs, self.nodes) if self.share < 1.0 else 0.0


def _paragraphs(root: LexborNode) -> list[Paragraph]:
    """Every paragraph-like block under ``root`` with its score."""
    found: list[Paragraph] = []
    for para in root.css(_PARAGRAPH_TAGS):
        # A container counts as a paragraph only for text directly inside it.
        text = (para.text(deep=False, strip=True) if para.tag in _OWN_TEXT_TAGS
                else node_text(para))
        if len(text) < _MIN_PARAGRAPH_CHARS:
            continue
        found.append((para, 1 + len(_PUNCT.findall(text)) + min(len(text) / 50, 6)))
    # A data table (rows of short cells, no table inside) is one paragraph whose rows
    # count as its clauses: a schedule or a list of figures has no sentence to score.
    for table in root.css("table"):
        rows = len(table.css("tr"))
        if rows < _MIN_TABLE_ROWS or any(t.mem_id != table.mem_id for t in table.css("table")):
            continue
        text = node_text(table)
        if len(text) >= _MIN_PARAGRAPH_CHARS:
            found.append((table, 1 + rows + min(len(text) / 50, 6)))
    return found


def _best(paragraphs: list[Paragraph]) -> tuple[LexborNode, float] | None:
    """The best-scoring element and its share of the paragraphs' score."""
    scores: dict[int, float] = {}
    nodes: dict[int, LexborNode] = {}
    total = 0.0
    for para, score in paragraphs:
        total += score
        parent = para if para.tag in ("div", "td", "section") else para.parent
        for share, node in ((1.0, parent), (0.5, parent.parent if parent else None)):
            if node is None or node.tag not in _CANDIDATE_TAGS:
                continue
            scores[node.mem_id] = scores.get(node.mem_id, 0.0) + share * score
            nodes[node.mem_id] = node
    if not scores:
        return None
    best_id, best = -1, -1.0
    for i in sorted(scores, key=scores.__getitem__, reverse=True)[:_TOP_CANDIDATES]:
        if scores[i] <= best:
            break  # a weight is at most 1: neither this candidate nor a later one wins
        value = scores[i] * _weight(nodes[i])
        if value > best:
            best_id, best = i, value
    return nodes[best_id], scores[best_id] / total


def _weight(node: LexborNode) -> float:
    """What a candidate's score counts: less its links, less when it is a feed (or
    an item of one) or a consent notice."""
    text = node_text(node)
    weight = 1 - link_density(node, len(text))
    if _in_listing(node) or _holds_feed(node):
        weight *= _LIST_ITEM_WEIGHT
    if _notice(text[:_NOTICE_CHARS]):
        weight *= _NOTICE_WEIGHT
    return weight


def _items(node: LexborNode) -> int:
    """How many siblings of ``node`` (itself included) share its tag."""
    parent = node.parent
    return sum(1 for child in parent.iter() if child.tag == node.tag) if parent else 1


def _in_listing(node: LexborNode | None) -> bool:
    """Whether ``node`` is (inside) one item of a list of many: a teaser in a feed."""
    for _ in range(_LISTING_DEPTH):
        if node is None or node.parent is None:
            return False
        if node.tag in _ITEM_TAGS:
            return _items(node) >= _LISTING_ITEMS
        node = node.parent
    return False


def _holds_feed(node: LexborNode) -> bool:
    """Whether ``node``'s children are a feed: many ``<article>`` teasers side by side."""
    return sum(1 for child in node.iter() if child.tag == "article") >= _LISTING_ITEMS


def _notice(text: str) -> bool:
    """Whether a candidate's opening ``text`` reads as a consent notice: the cookie
    word and, around it, the words for consent, partners and personal data."""
    return bool(_COOKIES.search(text)) and len(_CONSENT.findall(text)) >= _NOTICE_MIN_HITS


def _rival(paragraphs: list[Paragraph], nodes: tuple[LexborNode, ...]) -> float:
    """Share of the page's paragraph score held by the best element outside ``nodes``."""
    ids = {n.mem_id for n in nodes}
    outside = [p for p in paragraphs if not within(p[0], ids)]
    best = _best(outside)
    if best is None:
        return 0.0
    total = sum(score for _, score in paragraphs)
    return best[1] * sum(score for _, score in outside) / total


def _share(paragraphs: list[Paragraph], nodes: tuple[LexborNode, ...]) -> float:
    total = sum(score for _, score in paragraphs)
    if not total:
        return 1.0
    ids = {n.mem_id for n in nodes}
    return sum(score for para, score in paragraphs if within(para, ids)) / total


def _same_template(node: LexborNode, paragraphs: list[Paragraph], floor: float
                   ) -> list[LexborNode]:
    """``node`` and its siblings of the same tag and class that hold at least
    ``floor`` of the paragraph score and are not link lists."""
    cls = node.attributes.get("class")
    parent = node.parent
    if not cls or parent is None:
        return [node]
    same = [c for c in parent.iter() if c.tag == node.tag and c.attributes.get("class") == cls]
    return [c for c in same if c.mem_id == node.mem_id
            or (_share(paragraphs, (c,)) >= floor and link_density(c) < 0.5)]


def _template_siblings(node: LexborNode, paragraphs: list[Paragraph]) -> tuple[LexborNode, ...]:
    """``node`` and its siblings of the same tag and class that hold paragraphs; or,
    a few levels up, the many same-template items of a listicle that ``node`` is
    part of (each numbered item its own wrapper)."""
    floor = _SIBLING_SHARE * _share(paragraphs, (node,))
    joined = _same_template(node, paragraphs, floor)
    if len(joined) > 1:
        return tuple(joined)
    ancestor = node.parent
    for _ in range(_TEMPLATE_DEPTH):
        if ancestor is None or ancestor.tag in ("body", "html"):
            break
        items = _same_template(ancestor, paragraphs, floor)
        if len(items) >= _LISTING_ITEMS:
            return tuple(items)
        ancestor = ancestor.parent
    return (node,)


def _lead(node: LexborNode, paragraphs: list[Paragraph]) -> tuple[LexborNode, ...]:
    """The paragraphs (``<p>``, a sentence or more) standing before ``node`` among its
    siblings: the preview of a paywalled story or a lede kept outside the body
    container."""
    scored = {para.mem_id for para, _ in paragraphs}
    lead: list[LexborNode] = []
    sibling = node.prev
    while sibling is not None:
        if (sibling.tag == "p" and sibling.mem_id in scored
                and len(node_text(sibling)) >= _LEAD_MIN_CHARS
                and link_density(sibling) < _LEAD_MAX_LINK_DENSITY):
            lead.append(sibling)
        sibling = sibling.prev
    return tuple(reversed(lead))


def _by_rule(tree: LexborHTMLParser, rules: RuleSet, screen: SelectorScreen
             ) -> tuple[LexborNode, str] | None:
    for rule in rules.of_kind("content"):
        for selector in rule.selectors:
            best, best_len = None, 0
            for node in screen.select(tree, (selector,)):
                length = len(node_text(node))
                if length > best_len:
                    best, best_len = node, length
            if best is not None and best_len >= _MIN_CONTENT_CHARS:
                return best, rule.name
    return None


def locate_content(tree: LexborHTMLParser, rules: RuleSet,
                   screen: SelectorScreen | None = None) -> Located | None:
    """The article's element, or ``None`` when the page has no paragraph at all.

    A content rule's element is narrowed to the scored element inside it when that
    one holds most of the paragraph text: template classes such as
    ``.article-content`` sometimes wrap the feed under the article as well.
    ``screen`` (made from the page when not given) tells which selectors can match.
    """
    if tree.body is None:
        return None
    page = _paragraphs(tree.body)
    by_rule = _by_rule(tree, rules, screen or SelectorScreen(tree))
    if by_rule is not None:
        root, how = by_rule
        ids = {root.mem_id}
        scored = _best([p for p in page if within(p[0], ids)])
        node = root
        if scored and scored[0].mem_id != root.mem_id and scored[1] >= _NARROW_SHARE:
            node, how = scored[0], f"{how}+score"
    else:
        scored = _best(page)
        if scored is None:
            return None
        node, how = scored[0], "score"
    nodes = _template_siblings(node, page)
    if len(nodes) > 1:
        how += "+siblings"
    else:
        lead = _lead(node, page)
        if lead:
            nodes, how = lead + nodes, f"{how}+lead"
    share = _share(page, nodes)
    return Located(node, how, share, nodes, page)
