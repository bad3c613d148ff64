"""clean_html and clean_text: the stages in order, short and flat."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from selectolax.lexbor import LexborHTMLParser

from .article import Article
from .attachments import find_attachments
from .blocks import block_lines
from .body import find_body
from .decode import decode_bytes
from .errors import typed_failures
from .lang import language_fields
from .lines import clean_lines
from .metadata import fields_from_lines, meta_fields, split_title, window
from .prune import node_text, prune_tree
from .rules import RuleSet, resolve_rules
from .templates import SiteTemplate
from .textdump import clean_dump
from .tree import parse_html

__all__ = ["clean_html", "clean_text"]

Rules = RuleSet | str | Path | Iterable[str | Path] | None


def _heading(tree: LexborHTMLParser, page_title: str) -> str | None:
    """The page's article heading: an h1/h2 the ``<title>`` starts with, else the h1."""
    headings = [node_text(n) for n in tree.css("h1, h2")]
    headings = [h for h in headings if 4 <= len(h) <= 120]
    for heading in headings:
        if page_title.startswith(heading) or heading.startswith(page_title[:20] or "\0"):
            return heading
    h1 = tree.css_first("h1")
    text = node_text(h1) if h1 is not None else ""
    return text if 4 <= len(text) <= 120 else None


def _merge(*sources: Mapping[str, object]) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for source in sources:
        for key, value in source.items():
            if value and key not in merged:
                merged[key] = value
    return merged


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
    meta = meta_fields(tree)
    title_node = tree.css_first("title")
    page_title = node_text(title_node) if title_node is not None else ""
    heading = _heading(tree, page_title)
    html_node = tree.css_first("html")
    declared_lang = html_node.attributes.get("lang") if html_node is not None else None

    removed = prune_tree(tree, ruleset)
    if template is not None:
        removed += template.prune(tree, ruleset)
    body = find_body(tree, ruleset, url)
    page = ([(line.text, line.inside) for line in block_lines(tree.body, body.node)]
            if tree.body is not None and body.node is not None else [])
    cleaned = clean_lines(body.lines, ruleset)
    fields = _merge(meta, cleaned.fields, fields_from_lines(window(page), ruleset))

    title, sitename = split_title(page_title, heading)
    title = fields.get("title") or title
    lines = cleaned.lines
    if lines and title and lines[0].replace(" ", "") == str(title).replace(" ", ""):
        lines = lines[1:]
    text = "\n".join(lines)
    return Article(
        url=url or fields.get("url"), title=title, text=text,
        published=fields.get("published"), source=fields.get("source"),
        author=fields.get("author"), editor=fields.get("editor"),
        sitename=fields.get("sitename") or sitename, keywords=list(fields.get("keywords") or []),
        original_url=fields.get("original_url"),
        **language_fields(text or str(title or ""), declared_lang),
        encoding=encoding, removed=removed + cleaned.removed,
        located_by=body.located_by, body_source=body.how,
        attachments=find_attachments(tree, body.nodes, url),
    )


@typed_failures
def clean_text(text: str, url: str | None = None, *, rules: Rules = None,
               template: SiteTemplate | None = None) -> Article:
    """Clean a text dump of a page (one block per line, boilerplate around the article).

    ``template`` (a :class:`SiteTemplate` learned from the site's dumps or pages)
    removes the site's recurring lines."""
    if not isinstance(text, str):
        raise TypeError(f"clean_text() takes str, not {type(text).__name__}")
    return clean_dump(text, url, resolve_rules(rules), template)
