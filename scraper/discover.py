"""Article URLs from list pages and their pagination (sitemaps: :mod:`scraper.sitemaps`,
feeds: :mod:`scraper.feeds`).

Pure functions over text; the crawl fetches and decides when to stop paging.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser

from .scope import Scope
from .sources import Source
from .urls import canonicalize_url, resolve_url

__all__ = ["ListPage", "article_matcher", "parse_list_page", "trs_page_url"]

# Article URL shapes of the common gov.cn and news CMSs, used when a source gives
# neither article_pattern nor article_selector.
DEFAULT_ARTICLE_PATTERNS = (
    r"/t\d{8}_\d+\.s?html?$",                      # TRS WCM: /202410/t20241012_1079808.html
    r"/art/\d{4}/\d{1,2}/\d{1,2}/art_\d+_\d+\.html$",  # Hanweb: /art/2024/10/12/art_1_2.html
    r"/content_\d+\.s?html?$",                     # gov.cn: /content_6912345.htm
    r"/\d{6}/[0-9a-zA-Z_-]+\.s?html?$",            # /202410/abc123.shtml
    r"/\d{4}-\d{2}/\d{2}/[^/]+\.s?html?$",         # news portals: /2024-10/12/c_1130.htm
)
# Link texts of a "next page" control (Simplified, Traditional, symbols).
NEXT_PAGE_TEXTS = frozenset({"下一页", "下页", "下一頁", "下頁", "后页", "後頁", ">", "»", "›",
                             "next", "next page"})
_TRS_INDEX = re.compile(r"^(?P<stem>.*/)(?P<name>index|list|default)(?:_(?P<n>\d+))?\.(?P<ext>s?html?)$")
_TRS_COUNT = re.compile(r"createPageHTML\(\s*['\"]?(\d+)")


@dataclass(frozen=True)
class ListPage:
    """What one list page gives: article URLs in page order, and the next list page."""

    articles: list[str]
    next_page: str | None
    page_count: int | None


def article_matcher(source: Source) -> Callable[[str], bool]:
    """A test for "is this URL an article of the source?" (scope and pattern)."""
    scope = Scope.of(source)
    patterns = ([re.compile(source.article_pattern)] if source.article_pattern
                else [] if source.article_selector
                else [re.compile(p) for p in DEFAULT_ARTICLE_PATTERNS])

    def matches(url: str) -> bool:
        if not scope.allows(url):
            return False
        return not patterns or any(p.search(url) for p in patterns)

    return matches


def trs_page_url(start_url: str, page: int) -> str | None:
    """Page ``page`` (0-based) of a TRS-style list: index.html, index_1.html, index_2.html …"""
    url = start_url if not start_url.endswith("/") else start_url + "index.html"
    m = _TRS_INDEX.match(url)
    if not m:
        return None
    suffix = "" if page == 0 else f"_{page}"
    return f"{m['stem']}{m['name']}{suffix}.{m['ext']}"


def parse_list_page(html: str, url: str, source: Source,
                    is_article: Callable[[str], bool], *, max_links: int | None = None) -> ListPage:
    """Article links of one list page (at most ``max_links``) and its next page."""
    tree = LexborHTMLParser(html)
    scopes = tree.css(source.article_selector) if source.article_selector else [tree]
    seen: set[str] = set()
    articles: list[str] = []
    for scope in scopes:
        for a in scope.css("a[href]"):
            link = resolve_url(a.attributes.get("href") or "", url)
            if link and link not in seen and is_article(link):
                seen.add(link)
                articles.append(link)
                if max_links is not None and len(articles) >= max_links:
                    break
        if max_links is not None and len(articles) >= max_links:
            break
    next_page = None
    here = canonicalize_url(url)
    for a in tree.css("a[href]"):
        if a.text(strip=True).lower() in NEXT_PAGE_TEXTS:
            link = resolve_url(a.attributes.get("href") or "", url)
            if link and link != here:
                next_page = link
                break
    m = _TRS_COUNT.search(html)
    return ListPage(articles, next_page, int(m.group(1)) if m else None)
