"""Main text of the content element: trafilatura, with a plain fallback.

The only module importing trafilatura. The located element alone is handed over,
wrapped in a bare document, so trafilatura formats paragraphs and tables without
walking (or picking up) the rest of the page.
"""

from __future__ import annotations

import re

import trafilatura
from selectolax.lexbor import LexborNode

from .blocks import block_lines

__all__ = ["extract_lines"]

_MIN_KEPT_SHARE = 0.2  # trafilatura keeping less than this of the element failed
_SAME_LINES_SHARE = 0.9
_WS = re.compile(r"\s+")


def _visible(text: str) -> int:
    return len(_WS.sub("", text))


def extract_lines(node: LexborNode, url: str | None = None) -> list[str]:
    """The element's article text as lines (paragraphs and table rows)."""
    document = f"<html><body>{node.html or ''}</body></html>"
    text = trafilatura.extract(document, url=url, include_tables=True, include_comments=False,
                               favor_recall=True, deduplicate=False, include_images=False,
                               include_links=False, with_metadata=False) or ""
    own = [line.text for line in block_lines(node)]
    if _visible(text) < _MIN_KEPT_SHARE * _visible("".join(own)):
        return own
    kept = [line.strip() for line in text.splitlines() if line.strip()]
    # trafilatura drops a repeated short line ("成人票原价：60元" under each of ten
    # sights) after its first use. When its lines are the element's own lines, let it
    # choose which lines are article and keep them as often as the page has them.
    chosen = {_WS.sub("", line) for line in kept}
    restored = [line for line in own if _WS.sub("", line) in chosen]
    if len(restored) > len(kept) and len(chosen & {_WS.sub("", x) for x in own}) >= (
            _SAME_LINES_SHARE * len(chosen)):
        return restored
    return kept
