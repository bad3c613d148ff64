"""Sitemaps and sitemap indexes (XML, gzipped XML, plain text) -> URLs, in linear time.

lxml's incremental parser in recover mode reads what the many malformed sitemaps of
portals hold (an unclosed ``<loc>`` costs nothing extra), never expands entities
and never reaches the network; finished ``<url>`` elements are dropped as it goes,
so memory follows the URL list, not the document.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from lxml import etree

from .encodings import BudgetExceeded, DecodeFailed, decode_all
from .errors import BodyTooLargeError, DecodingError
from .urls import canonicalize_url

__all__ = ["Sitemap", "parse_sitemap", "plausible_url"]

_GZIP_MAGIC = b"\x1f\x8b"
_MAX_URL_CHARS = 2048


@dataclass(frozen=True)
class Sitemap:
    """Page URLs and child sitemap URLs (of an index), each in document order."""

    pages: list[str]
    children: list[str]


def plausible_url(text: str | None) -> str | None:
    """``text`` as a canonical http(s) URL, or ``None`` for anything else (spaces inside,
    control characters, absurd length)."""
    text = (text or "").strip()
    if (not text.startswith(("http://", "https://")) or len(text) > _MAX_URL_CHARS
            or any(c.isspace() or ord(c) < 32 for c in text)):
        return None
    try:
        return canonicalize_url(text)
    except ValueError:
        return None


def _local(tag: object) -> str:
    return etree.QName(tag).localname.lower() if isinstance(tag, str) else ""


def parse_sitemap(data: bytes, url: str, *, max_bytes: int, max_urls: int) -> Sitemap:
    """The URLs of a sitemap body; ``.xml.gz`` bodies are unzipped within ``max_bytes``.
    At most ``max_urls`` page URLs are returned."""
    if data[:2] == _GZIP_MAGIC:
        try:
            data = decode_all(data, "gzip", max_bytes)
        except BudgetExceeded as exc:
            raise BodyTooLargeError(url, f"gzipped sitemap {exc}") from exc
        except DecodeFailed as exc:
            raise DecodingError(url, f"gzipped sitemap: {exc}") from exc
    if data.lstrip()[:1] != b"<":  # a text sitemap: one URL per line
        lines = data.decode("utf-8", errors="replace").splitlines()
        listed = [u for line in lines if (u := plausible_url(line))]
        return Sitemap(list(dict.fromkeys(listed))[:max_urls], [])
    pages: dict[str, None] = {}
    children: dict[str, None] = {}
    index = False
    parser = etree.iterparse(io.BytesIO(data), events=("start", "end"), recover=True,
                             resolve_entities=False, no_network=True, huge_tree=False)
    try:
        for event, element in parser:
            name = _local(element.tag)
            if event == "start":
                index = index or name == "sitemapindex"
                continue
            if name == "loc":
                link = plausible_url(element.text)
                parent = element.getparent()
                if link and (_local(parent.tag) if parent is not None else "") == "sitemap":
                    children[link] = None
                elif link:
                    pages[link] = None
                if len(pages) >= max_urls:
                    break
            elif name in ("url", "sitemap"):
                element.clear()
                while element.getprevious() is not None:
                    del element.getparent()[0]
    except etree.XMLSyntaxError:
        pass  # recover mode gave up (an empty or binary body): keep what was read
    if index:  # a <loc> left unclosed in an index still names a child
        children.update(dict.fromkeys(pages))
        pages = {}
    return Sitemap(list(pages)[:max_urls], list(children))
