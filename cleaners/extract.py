"""Main text of the content element: trafilatura, with a plain fallback.

The only module importing trafilatura. The located element alone is handed over,
wrapped in a bare document, so trafilatura formats paragraphs and tables without
walking (or picking up) the rest of the page. :func:`extract_page` is the other
candidate: trafilatura's own choice over the whole pruned page.

trafilatura is handed a parsed tree, not the markup: lxml.html's parser picks each
element's class in a Python callback, called for every element trafilatura touches
(hundreds of thousands a page); lxml's own default lookup, with every element an
``HtmlElement``, gives the same tree and text, and trafilatura's calls on the bench
pages take about 5 % less time.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import trafilatura
from lxml import etree
from lxml import html as lxml_html
from selectolax.lexbor import LexborHTMLParser, LexborNode

from .blocks import block_lines
from .tree import squeezed

__all__ = ["extract_lines", "extract_page"]

_MIN_KEPT_SHARE = 0.3  # trafilatura keeping less than this of the element failed
_SAME_LINES_SHARE = 0.9
_OPTIONS: dict[str, Any] = dict(include_tables=True, include_comments=False, favor_recall=True,
                deduplicate=False, include_images=False, include_links=False,
                with_metadata=False)


# trafilatura's own parser settings (trafilatura.utils.HTML_PARSER), without the
# Python-level element class lookup.
_PARSER = etree.HTMLParser(collect_ids=False, default_doctype=False, remove_comments=True,
                           remove_pis=True)
_PARSER.set_element_class_lookup(etree.ElementDefaultClassLookup(
    element=lxml_html.HtmlElement, comment=lxml_html.HtmlComment))


def _trafilatura(document: str, url: str | None) -> str:
    """trafilatura's text of ``document``. Both callers wrap their markup in a
    document, which lxml parses; should lxml still refuse one, it goes to
    trafilatura as it is, which answers for it, instead of failing the page."""
    try:
        tree: lxml_html.HtmlElement | str = lxml_html.fromstring(document, parser=_PARSER)
    except (ValueError, etree.ParserError):
        tree = document
    return trafilatura.extract(tree, url=url, fast=True, **_OPTIONS) or ""


def _visible(text: str) -> int:
    return len(squeezed(text))


def _row(line: str) -> str:
    """A table row as trafilatura writes it (``| a | b |``) as tab-separated cells."""
    if len(line) > 2 and line.startswith("|") and line.endswith("|") and line.count("|") > 2:
        return "\t".join(cell.strip() for cell in line[1:-1].split(" | "))
    return line


def _lines(text: str) -> list[str]:
    """Non-empty lines; table rows become tab-separated cells."""
    return [_row(line.strip()) for line in text.splitlines() if line.strip()]


def extract_lines(nodes: LexborNode | Sequence[LexborNode], url: str | None = None) -> list[str]:
    """The element's (or consecutive elements') article text as lines; a table row
    is one line of tab-separated cells."""
    nodes = (nodes,) if isinstance(nodes, LexborNode) else tuple(nodes)
    document = f"<html><body>{''.join(n.html or '' for n in nodes)}</body></html>"
    # fast: without trafilatura's readability/jusText comparison, which on a lone
    # block swapped good readings for worse ones on the gold pages, and costs a fifth more.
    text = _trafilatura(document, url)
    own = [line.text for node in nodes for line in block_lines(node)]
    if _visible(text) < _MIN_KEPT_SHARE * _visible("".join(own)):
        return own
    kept = _lines(text)
    # trafilatura drops a repeated short line ("成人票原价：60元" under each of ten
    # sights) after its first use. When its lines are the element's own lines, let it
    # choose which lines are article and keep them as often as the page has them.
    chosen = {squeezed(line) for line in kept}
    restored = [line for line in own if squeezed(line) in chosen]
    if len(restored) > len(kept) and len(chosen & {squeezed(x) for x in own}) >= (
            _SAME_LINES_SHARE * len(chosen)):
        return restored
    return kept


def extract_page(tree: LexborHTMLParser, url: str | None = None) -> list[str]:
    """trafilatura's article lines for a whole (pruned) page. Its body alone is
    handed over: with the noise tags gone, trafilatura reads nothing in ``<head>``
    (it deletes it), and parsing and walking it is a twentieth of the call."""
    if tree.body is None:
        return []
    return _lines(_trafilatura(f"<html>{tree.body.html or ''}</html>", url))
