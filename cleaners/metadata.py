"""Article metadata from a page: meta tags, then og:/JSON-LD, then the page text.

Gov CMSs (TRS, Hanweb, Kaipu) fill ``<meta name="ArticleTitle|PubDate|ContentSource|
SiteName|Keywords">`` reliably, so those come first; news templates use og: and
article: tags or JSON-LD; the rest is read from the lines around the article with
the same field rules the line pass uses.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

from selectolax.lexbor import LexborHTMLParser

from .dates import parse_date
from .lines import fields_in, normalise_field
from .rules import RuleSet

__all__ = ["fields_from_lines", "meta_fields", "split_title", "window"]

#: (field, meta name or property), in order of trust.
META_TAGS: tuple[tuple[str, str], ...] = (
    ("title", "ArticleTitle"), ("published", "PubDate"), ("source", "ContentSource"),
    ("sitename", "SiteName"), ("keywords", "Keywords"), ("author", "Author"),
    ("title", "og:title"), ("sitename", "og:site_name"), ("url", "og:url"),
    ("published", "article:published_time"), ("published", "og:release_date"),
    ("published", "publishdate"), ("published", "pubdate"), ("published", "publish_date"),
    ("published", "weibo: article:create_at"),
    ("author", "article:author"), ("source", "source"), ("source", "mediaid"),
    ("keywords", "keywords"), ("keywords", "news_keywords"),
)
_LOWER_META = {name.lower(): fieldname for fieldname, name in META_TAGS}
_TITLE_SEPARATORS = re.compile(r"\s*(?:_|\||｜|--|—|–|\s-\s)\s*")
# A bare "-" splits off a site name only when what follows reads like one
# ("…城！-新华网"), so "1-10月" and "2023-2024学年" stay whole.
_SITE_AFTER_HYPHEN = re.compile(
    r"^(?P<title>.{4,}?)-(?P<site>[^-]{1,12}(?:网|报|台|站|在线|频道|政府|门户|中心|厅|局|委|部))$")
_HEADER_WINDOW = 15
_FOOTER_WINDOW = 10
_DATE_LINE_MAX_CHARS = 80


def _meta_value(fieldname: str, raw: str) -> object | None:
    raw = raw.strip()
    if not raw:
        return None
    if fieldname == "published":
        return parse_date(raw)
    if fieldname == "title":
        return raw
    return normalise_field(fieldname, raw)


def _json_ld(tree: LexborHTMLParser) -> Iterable[tuple[str, str]]:
    for node in tree.css('script[type="application/ld+json"]'):
        try:
            data = json.loads(node.text() or "")
        except ValueError:
            continue
        items = data if isinstance(data, list) else data.get("@graph", [data])
        for item in items:
            if not isinstance(item, dict):
                continue
            if isinstance(item.get("headline"), str):
                yield "title", item["headline"]
            if isinstance(item.get("datePublished"), str):
                yield "published", item["datePublished"]
            author = item.get("author")
            author = author[0] if isinstance(author, list) and author else author
            if isinstance(author, dict) and isinstance(author.get("name"), str):
                yield "author", author["name"]
            publisher = item.get("publisher")
            if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
                yield "sitename", publisher["name"]


def meta_fields(tree: LexborHTMLParser) -> dict[str, object]:
    """Fields from ``<meta>`` tags (gov first, then og:/article:) and JSON-LD."""
    found: dict[str, tuple[int, object]] = {}
    order = {name.lower(): i for i, (_, name) in enumerate(META_TAGS)}
    for node in tree.css("meta"):
        attrs = node.attributes
        key = (attrs.get("name") or attrs.get("property") or attrs.get("itemprop") or "")
        key = key.strip().lower()
        fieldname = _LOWER_META.get(key)
        content = attrs.get("content")
        if not fieldname or not content:
            continue
        value = _meta_value(fieldname, content)
        rank = order[key]
        if value and (fieldname not in found or rank < found[fieldname][0]):
            found[fieldname] = (rank, value)
    fields = {name: value for name, (_, value) in found.items()}
    for fieldname, raw in _json_ld(tree):
        if fieldname not in fields:
            value = _meta_value(fieldname, raw)
            if value:
                fields[fieldname] = value
    return fields


def split_title(page_title: str, heading: str | None = None) -> tuple[str | None, str | None]:
    """Split a ``<title>`` into (title, site name) on its "_" / "-" / "|" suffix.

    When the page has a heading that the ``<title>`` starts with, the heading is the
    title and the rest is the site name, so a "-" inside a title ("1-10月…") survives.
    """
    page_title = re.sub(r"\s+", " ", page_title or "").strip()
    if not page_title:
        return (heading or None), None
    if heading and page_title.startswith(heading) and len(heading) < len(page_title):
        rest = _TITLE_SEPARATORS.split(page_title[len(heading):].strip(" _|-—–"))
        parts = [p for p in rest if p]
        return heading, (parts[-1] if parts else None)
    parts = [p for p in _TITLE_SEPARATORS.split(page_title) if p]
    if len(parts) == 1:
        m = _SITE_AFTER_HYPHEN.match(parts[0])
        return (m["title"], m["site"]) if m else (parts[0], None)
    site = parts[-1]
    if re.fullmatch(r"[\w.-]+\.(?:cn|com|net|org)", site) and len(parts) > 2:
        site = parts[-2]
    return parts[0], site


def fields_from_lines(lines: list[str], rules: RuleSet) -> dict[str, object]:
    """Fields the field rules find in ``lines``; the first line that gives one wins."""
    fields = fields_in(lines, rules)
    if "published" not in fields:  # an unlabelled date near the title
        date = next((parse_date(line) for line in lines
                     if len(line) <= _DATE_LINE_MAX_CHARS and parse_date(line)), None)
        if date:
            fields["published"] = date
    return fields


def window(lines: list[tuple[str, bool]]) -> list[str]:
    """Lines near the article, nearest first: before it, then after it."""
    first = next((i for i, (_, inside) in enumerate(lines) if inside), len(lines))
    last = max((i for i, (_, inside) in enumerate(lines) if inside), default=len(lines) - 1)
    before = [t for t, _ in reversed(lines[max(0, first - _HEADER_WINDOW):first])]
    after = [t for t, _ in lines[last + 1:last + 1 + _FOOTER_WINDOW]]
    return before + after
