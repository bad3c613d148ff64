"""URL canonicalisation, so that one page is one frontier entry."""

from __future__ import annotations

import posixpath
from urllib.parse import urljoin, urlsplit, urlunsplit

from courlan import normalize_url

__all__ = ["canonicalize_url", "host_key", "resolve_url"]


def canonicalize_url(url: str) -> str:
    """Lower-case scheme and host, no default port, no fragment, resolved ``.``/``..``,
    sorted query without tracking parameters (courlan)."""
    parts = urlsplit(url.strip())
    path = parts.path or "/"
    if "/." in path:
        trailing = path.endswith("/")
        path = posixpath.normpath(path)
        path = "/" + path.lstrip("/") + ("/" if trailing and path != "/" else "")
    url = urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))
    return normalize_url(url, strict=False)


def resolve_url(href: str, base: str) -> str | None:
    """An href made absolute and canonical; ``None`` for javascript:, mailto: and the like."""
    href = href.strip()
    if not href or href.startswith(("#", "javascript:", "mailto:", "tel:", "data:")):
        return None
    absolute = urljoin(base, href)
    if urlsplit(absolute).scheme not in ("http", "https"):
        return None
    try:
        return canonicalize_url(absolute)
    except ValueError:
        return None


def host_key(url: str) -> str:
    """``host[:port]`` in lower case: the unit of politeness, robots.txt and blocking."""
    return urlsplit(url).netloc.lower()
