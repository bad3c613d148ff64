"""What an HTML page states about itself: meta tags, JSON-LD, ``<title>``, headline, URL.

Gov CMSs (TRS, Hanweb, Kaipu) fill ``<meta name="ArticleTitle|PubDate|ContentSource|
SiteName|Keywords">`` reliably; news templates use og: and article: tags or JSON-LD.
Each becomes a :class:`~cleaners.fields.Candidate` whose zone says which kind of
statement it is; the field stage ranks them against the page's visible lines.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from htmldate import find_date
from selectolax.lexbor import LexborHTMLParser

from .blocks import PageWalk
from .fields import Candidate, Fields, is_chinese, read_fields, url_candidates
from .prune import NOISE_TAGS, node_text
from .rules import RuleSet
from .titles import HEADLINE_SEARCH, find_headline, split_title

__all__ = ["META_TAGS", "PageFacts", "align_lines", "html_fields", "page_candidates",
           "read_page"]

#: (field, zone, meta name or property), in order of trust within a zone.
META_TAGS: tuple[tuple[str, str, str], ...] = (
    ("title", "gov-meta", "ArticleTitle"), ("published", "gov-meta", "PubDate"),
    ("source", "gov-meta", "ContentSource"), ("sitename", "gov-meta", "SiteName"),
    ("keywords", "gov-meta", "Keywords"), ("author", "gov-meta", "Author"),
    ("title", "meta", "og:title"), ("sitename", "meta", "og:site_name"), ("url", "meta", "og:url"),
    ("published", "meta", "article:published_time"), ("published", "meta", "og:release_date"),
    ("published", "meta", "publishdate"), ("published", "meta", "pubdate"),
    ("published", "meta", "publish_date"), ("published", "meta", "datePublished"),
    ("published", "meta", "weibo: article:create_at"), ("published", "meta", "dc.date.issued"),
    ("published", "modified", "dateUpdate"), ("published", "modified", "article:modified_time"),
    ("published", "modified", "dateModified"),
    ("author", "meta", "article:author"), ("source", "meta", "source"),
    ("source", "meta", "mediaid"), ("keywords", "meta", "keywords"),
    ("keywords", "meta", "news_keywords"),
)
_META: dict[str, tuple[int, str, str]] = {}
for _i, (_field, _zone, _name) in enumerate(META_TAGS):
    _META.setdefault(_name.lower(), (_i, _field, _zone))
#: JSON-LD keys -> fields; nesting deeper than this is not walked (a page's data,
#: not a program, and a hostile page must not exhaust the stack).
_JSON_LD_KEYS = {"headline": "title", "datePublished": "published", "dateCreated": "published",
                 "author": "author", "creator": "author", "publisher": "sitename"}
_JSON_LD_MAX_DEPTH = 8
_SPACES = re.compile(r"\s+")


def _json_ld_values(data: object, depth: int = 0) -> Iterator[tuple[str, str]]:
    """(key, text) pairs of the JSON-LD keys anywhere in ``data``, depth-bounded."""
    if depth > _JSON_LD_MAX_DEPTH:
        return
    if isinstance(data, list):
        for item in data:
            yield from _json_ld_values(item, depth + 1)
        return
    if not isinstance(data, dict):
        return
    for key, value in data.items():
        if key in _JSON_LD_KEYS:
            if isinstance(value, str):
                yield key, value
            else:
                people = value if isinstance(value, list) else [value]
                names = [p.get("name") for p in people if isinstance(p, dict)]
                names += [p for p in people if isinstance(p, str)]
                for name in names:
                    if isinstance(name, str):
                        yield key, name
        elif isinstance(value, (dict, list)):
            yield from _json_ld_values(value, depth + 1)


def _json_ld(tree: LexborHTMLParser) -> Iterator[Candidate]:
    for node in tree.css('script[type="application/ld+json"]'):
        try:
            data = json.loads(node.text() or "")
        except (ValueError, RecursionError):
            continue
        for key, value in _json_ld_values(data):
            yield Candidate(_JSON_LD_KEYS[key], value, "json-ld", f"json-ld:{key}")


def page_candidates(tree: LexborHTMLParser, url: str | None) -> list[Candidate]:
    """What the page's ``<meta>`` tags, JSON-LD and URL say (call before pruning)."""
    found: list[Candidate] = []
    for node in tree.css("meta"):
        attrs = node.attributes
        key = (attrs.get("name") or attrs.get("property") or attrs.get("itemprop") or "")
        entry = _META.get(key.strip().lower())
        content = attrs.get("content")
        if entry is not None and content and content.strip():
            order, fieldname, zone = entry
            found.append(Candidate(fieldname, content, zone, f"meta:{META_TAGS[order][2]}", order))
    found.extend(_json_ld(tree))
    return found + url_candidates(url)


def align_lines(before: Sequence[str], after: Sequence[tuple[str, bool]]
                ) -> tuple[list[str], list[bool], list[int]]:
    """The page's lines after pruning (``(text, inside the article)``) with the lines
    the pruning removed put back where they stood: (lines, inside, removed indexes)."""
    texts = [text for text, _ in after]
    lines: list[str] = []
    inside: list[bool] = []
    removed: list[int] = []
    matcher = SequenceMatcher(None, list(before), texts, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("delete", "replace"):
            removed.extend(range(len(lines), len(lines) + i2 - i1))
            lines.extend(before[i1:i2])
            inside.extend([False] * (i2 - i1))
        if tag != "delete":
            lines.extend(texts[j1:j2])
            inside.extend(flag for _, flag in after[j1:j2])
    return lines, inside, removed


@dataclass(frozen=True)
class PageFacts:
    """What a page states before pruning: its candidates, titles and visible lines."""

    candidates: list[Candidate]
    page_title: str
    headings: list[str]
    declared_lang: str | None
    lines: list[str]
    html: str
    walk: PageWalk | None  # the body's text nodes, for its lines after pruning


def read_page(tree: LexborHTMLParser, html: str, url: str | None) -> PageFacts:
    """Read the page's own statements and its visible lines (strips the noise tags,
    so call it before pruning: the field stage needs the lines pruning removes)."""
    candidates = page_candidates(tree, url)
    title_node = tree.css_first("title")
    page_title = _SPACES.sub(" ", node_text(title_node) if title_node is not None else "")
    headings = [node_text(n) for n in tree.css("h1, h2")]
    html_node = tree.css_first("html")
    lang = html_node.attributes.get("lang") if html_node is not None else None
    tree.strip_tags(NOISE_TAGS)
    walk = PageWalk(tree.body) if tree.body is not None else None
    lines = [line.text for line in walk.lines()] if walk is not None else []
    return PageFacts(candidates, page_title.strip(), headings, lang, lines, html, walk)


def _htmldate(html: str) -> Candidate | None:
    """htmldate in its safe mode (no extensive search), checked like any date."""
    try:
        day = find_date(html, extensive_search=False, original_date=True)
    except Exception:  # htmldate's parsers raise assorted errors on odd pages: no date
        return None
    return Candidate("published", day, "htmldate", "htmldate") if day else None


def html_fields(facts: PageFacts, after: Sequence[tuple[str, bool]], text: str,
                rules: RuleSet) -> Fields:
    """The page's fields: its statements and its lines (pruned ones put back)."""
    lines, inside, removed = align_lines(facts.lines, after)
    start = next((i for i, flag in enumerate(inside) if flag), len(lines))
    end = max((i + 1 for i, flag in enumerate(inside) if flag), default=start)
    field_rules, screen = rules.of_kind("field"), rules.screen("field")
    # Only the lines near the body's start can be the headline's meta lines.
    meta_lines = [False] * len(lines)
    for i in range(max(0, start - HEADLINE_SEARCH), min(len(lines), start + 2)):
        meta_lines[i] = screen is not None and screen.search(lines[i]) and any(
            len(lines[i]) <= r.max_chars and r.search(lines[i]) for r in field_rules)
    headline = find_headline(lines, start, facts.page_title, facts.headings, meta_lines)
    chinese = is_chinese(text or facts.page_title, facts.declared_lang)
    stated = list(facts.candidates)
    title, site = split_title(facts.page_title, lines[headline] if headline is not None else None)
    stated += [Candidate("title", title or "", "title", "title"),
               Candidate("sitename", site or "", "title", "title")]
    if not chinese and not any(c.name == "published" and c.zone in ("meta", "json-ld")
                               for c in stated):
        found = _htmldate(facts.html)
        stated += [found] if found is not None else []
    return read_fields(lines, start, end, rules, headline=headline, removed=removed,
                       stated=stated, chinese=chinese)
