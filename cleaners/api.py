"""clean_html and clean_text: the stages in order, short and flat."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser, LexborNode

from .article import Article
from .attachments import find_attachments
from .blocks import Line
from .body import find_body
from .decode import decode_bytes
from .errors import typed_failures
from .fields import to_article
from .lines import clean_lines
from .metadata import PageFacts, html_fields, read_page
from .prune import prune_tree
from .rules import RuleSet, resolve_rules
from .selectors import SelectorScreen
from .templates import SiteTemplate
from .textdump import clean_dump
from .tree import parse_html

__all__ = ["clean_html", "clean_text"]

Rules = RuleSet | str | Path | Iterable[str | Path] | None


def _page_lines(tree: LexborHTMLParser, facts: PageFacts, node: LexborNode | None
                ) -> list[Line]:
    """The pruned page's lines, those in ``node`` flagged: the walk made before
    pruning, replayed over the nodes left (no node is added in between)."""
    if tree.body is None or node is None or facts.walk is None:
        return []
    live = {n.mem_id for n in tree.body.traverse(include_text=True)}
    return facts.walk.lines(live, {n.mem_id for n in node.traverse(include_text=True)})


@typed_failures
def clean_html(html: bytes | str, url: str | None = None, *,
               headers: Mapping[str, str] | None = None, rules: Rules = None,
               template: SiteTemplate | None = None) -> Article:
    """Clean one HTML page into an :class:`Article`.

    ``html`` may be bytes (decoded with ``headers``' charset, the page's declaration
    and detection) or text. ``rules`` is a RuleSet, a rules file or several; the
    default rules apply when it is ``None``. ``template`` (a :class:`SiteTemplate`
    learned from the site's pages) removes the site's recurring blocks. A page
    without article text gives an Article with empty ``text``, not an error.
    """
    ruleset = resolve_rules(rules)
    encoding = None
    if isinstance(html, bytes):
        html, encoding = decode_bytes(html, headers, source=url or "<bytes>")
    elif not isinstance(html, str):
        raise TypeError(f"clean_html() takes bytes or str, not {type(html).__name__}")
    tree = parse_html(html, url or "<string>")
    facts = read_page(tree, html, url)

    screen = SelectorScreen(tree)  # the page's classes and ids, for every selector pass
    removed = prune_tree(tree, ruleset, screen)
    if template is not None:
        removed += template.prune(tree, ruleset)
    body = find_body(tree, ruleset, url, screen)
    page = _page_lines(tree, facts, body.node)
    cleaned = clean_lines(body.lines, ruleset)

    found = html_fields(facts, page, "\n".join(cleaned.lines), ruleset)
    title = found.value("title")
    lines = cleaned.lines
    if lines and title and lines[0].replace(" ", "") == title.replace(" ", ""):
        lines = lines[1:]
    article = to_article(found, text="\n".join(lines), removed=removed + cleaned.removed,
                         url=url, encoding=encoding, declared_lang=facts.declared_lang,
                         located_by=body.located_by)
    return replace(article, body_source=body.how,
                   attachments=find_attachments(tree, body.nodes, url))


@typed_failures
def clean_text(text: str, url: str | None = None, *, rules: Rules = None,
               template: SiteTemplate | None = None) -> Article:
    """Clean a text dump of a page (one block per line, boilerplate around the article).

    ``template`` (a :class:`SiteTemplate` learned from the site's dumps or pages)
    removes the site's recurring lines."""
    if not isinstance(text, str):
        raise TypeError(f"clean_text() takes str, not {type(text).__name__}")
    return clean_dump(text, url, resolve_rules(rules), template)
