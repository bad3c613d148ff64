"""RSS and Atom feeds -> item links, with feedparser.

feedparser's own fallback for malformed XML is a loose parser that takes seconds
per megabyte; lxml in recover mode repairs the document first (linear, no entity
expansion, no network), so feedparser always gets well-formed XML.
"""

from __future__ import annotations

import feedparser
from lxml import etree

from .urls import resolve_url

__all__ = ["parse_feed"]


def _well_formed(data: bytes) -> bytes | None:
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True,
                             huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        return None
    if root is None:
        return None
    return etree.tostring(root, encoding="utf-8", xml_declaration=True)


def _link(entry: feedparser.FeedParserDict) -> str | None:
    """The entry's page: its ``rel="alternate"`` link (Atom's ``rel="edit"`` and
    enclosures are not pages), else a guid that is a URL (RSS items with no link)."""
    for link in entry.get("links", []):
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return str(link["href"])
    guid = entry.get("id")
    if isinstance(guid, str) and guid.strip().startswith(("http://", "https://")):
        return guid
    return None


def parse_feed(data: bytes, base_url: str, *, max_links: int) -> list[str]:
    """Canonical item links of an RSS (0.9x, 1.0, 2.0) or Atom feed, in feed order,
    at most ``max_links``; relative links are resolved against ``base_url``."""
    fixed = _well_formed(data)
    if fixed is None:
        return []
    parsed = feedparser.parse(fixed, sanitize_html=False, resolve_relative_uris=False)
    links: dict[str, None] = {}
    for entry in parsed.entries:
        href = _link(entry)
        url = resolve_url(href, base_url) if href else None
        if url:
            links[url] = None
            if len(links) >= max_links:
                break
    return list(links)
