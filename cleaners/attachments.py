"""Attachment links of an article (附件: the notice's PDF, the form to fill in).

Gov notices often carry their substance in attached files, so the links are kept
with absolute URLs: document links inside the body element, and links under an
附件 / Attachment label anywhere on the page (templates put that list below the
body block).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import unquote, urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from .tree import node_text, within

__all__ = ["find_attachments"]

_EXTENSIONS = ("pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "wps", "et", "ofd", "zip", "rar",
               "7z", "csv")
_DOCUMENT = re.compile(rf"\.(?:{'|'.join(_EXTENSIONS)})(?:[?#]|$)", re.I)
_LABEL = re.compile(r"^\s*(?:附\s*件|相关附件|附件下载|attachments?)", re.I)
_LABEL_DEPTH = 3


def _labelled(link: LexborNode) -> bool:
    """Whether the link or a close ancestor starts with an attachment label."""
    node: LexborNode | None = link
    for _ in range(_LABEL_DEPTH + 1):
        if node is None or node.tag in ("body", "html"):
            return False
        if _LABEL.match(node_text(node)):
            return True
        node = node.parent
    return False


def find_attachments(tree: LexborHTMLParser, body: Sequence[LexborNode],
                     url: str | None) -> list[tuple[str, str]]:
    """(name, absolute URL) of the page's attachments, in page order, once each."""
    if tree.body is None:
        return []
    base_node = tree.css_first("base[href]")
    base = urljoin(url or "", base_node.attributes.get("href") or "") if base_node else url or ""
    ids = {n.mem_id for n in body}
    found: dict[str, str] = {}
    # Every link, tested in Python: a CSS screen of one selector per extension costs
    # twice as much.
    for link in tree.body.css("a[href]"):
        href = (link.attributes.get("href") or "").strip()
        if not _DOCUMENT.search(href) or href.startswith(("javascript:", "mailto:")):
            continue
        absolute = urljoin(base, href)
        if absolute in found:
            continue
        if within(link, ids) or _labelled(link):
            name = node_text(link) or unquote(urlsplit(absolute).path.rsplit("/", 1)[-1])
            found[absolute] = name
    return [(name, link) for link, name in found.items()]
