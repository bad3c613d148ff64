"""Site templates: the boilerplate a site repeats on its pages, learned from them.

Pages of one site share their navigation, footers, side lists and widget lines; the
second page of a site shows what the first page's template is. A
:class:`SiteTemplate` counts, over the pages it has seen, on how many pages each
text line recurs (text dumps; HTML pages give their visible lines too) and each
HTML block recurs (its DOM path plus its normalised text). What recurs on at least
``min_share`` of at least ``min_pages`` pages is the site's template.

Guards, so that an article's own text is never removed because it recurs:

* a unit counts once per page, so a line repeated inside one article is not
  boilerplate; and it must recur on ``min_pages`` different pages;
* a copy of a page already counted (most of its prose known: the same article
  under another URL, one slide of it) is not counted again;
* prose is never removed: a line or block of sentences (:func:`.segment.is_sentence`)
  with few links
  (a copyright notice, a standing disclaimer, a column's introduction) only stops
  counting as body evidence. A standing column introduction that sits directly
  above each article's text therefore stays in the body: it is the article's
  lead, and readers of that column see it there. Nav rows, headings, widget and
  teaser lines that recur are removed, each recorded as ``template.<site>``.

Templates are plain data: :meth:`SiteTemplate.to_dict` / :meth:`from_dict` store
them (the crawl archive keeps one per host).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from selectolax.lexbor import LexborHTMLParser, LexborNode

from .article import SNIPPET_CHARS, Removal
from .blocks import block_lines
from .decode import decode_bytes
from .prune import NOISE_TAGS, link_density, node_text
from .rules import Rule, RuleSet
from .segment import is_sentence
from .tree import squeezed

__all__ = ["SiteTemplate"]

_NAME_CHARS = re.compile(r"[^a-z0-9.-]+")
_PROSE_MAX_LINK_DENSITY = 0.3
_BLOCK_TAGS = ("div, ul, ol, dl, table, p, li, dd, section, aside, header, footer, nav, "
               "form, h1, h2, h3, h4, h5, h6, span, td, center")
_MAX_BLOCK_CHARS = 3000  # a block this long holds the page, not a widget
_MAX_UNITS = 100_000  # beyond this, units seen on one page only are forgotten
_SAMPLE_CHARS = 80
_COPY_SHARE = 0.8  # a page whose prose is this much known already is a copy
_COPY_MIN_CHARS = 80


def _key(text: str) -> str:
    """The normalised text: NFKC, no whitespace."""
    return squeezed(unicodedata.normalize("NFKC", text))


def _digest(text: str) -> str:
    return hashlib.blake2b(_key(text).encode("utf-8"), digest_size=8).hexdigest()


def _label(node: LexborNode) -> str:
    attrs = node.attributes
    ident = f"#{attrs['id']}" if attrs.get("id") else ""
    classes = "".join(f".{c}" for c in sorted((attrs.get("class") or "").split()))
    return f"{node.tag}{ident}{classes}"


def _path(node: LexborNode, cache: dict[int, str]) -> str:
    """The element's DOM path: tag, id and classes of it and its ancestors. ``cache``
    holds the paths of one page's elements already seen (siblings share a prefix)."""
    chain: list[LexborNode] = []
    current: LexborNode | None = node
    while current is not None and current.tag not in ("html", "-undef", None):
        if current.mem_id in cache:
            break
        chain.append(current)
        current = current.parent
    path = cache.get(current.mem_id, "") if current is not None else ""
    for element in reversed(chain):
        path = f"{path}>{_label(element)}" if path else _label(element)
        cache[element.mem_id] = path
    return path


def _block_keys(root: LexborNode) -> list[tuple[LexborNode, str]]:
    """Each block element with its key (DOM path and text digest)."""
    cache: dict[int, str] = {}
    keys = []
    for node in root.css(_BLOCK_TAGS):
        text = node_text(node)
        if text and len(text) <= _MAX_BLOCK_CHARS:
            keys.append((node, f"{_path(node, cache)}|{_digest(text)}"))
    return keys


def _units(page: str) -> tuple[list[str], set[str]]:
    """A page's text lines, and its block keys (``path|digest``) when it is HTML."""
    if page.lstrip()[:1] != "<":
        return [line.strip() for line in page.splitlines() if line.strip()], set()
    tree = LexborHTMLParser(page)
    tree.strip_tags(NOISE_TAGS)
    if tree.body is None:
        return [], set()
    blocks = {key for _, key in _block_keys(tree.body)}
    return [line.text for line in block_lines(tree.body)], blocks


def _outermost(node: LexborNode, ids: set[int]) -> bool:
    parent = node.parent
    while parent is not None and parent.mem_id not in ids:
        parent = parent.parent
    return parent is None


@dataclass
class SiteTemplate:
    """What recurs across the pages of one site; see the module docstring.

    ``site`` names the site (a host, a ``--site`` group or a folder) and the rule
    ``template.<site>`` that every removal it makes is recorded under.
    """

    site: str
    min_pages: int = 2
    min_share: float = 0.5
    pages: int = 0
    lines: Counter[str] = field(default_factory=Counter)
    blocks: Counter[str] = field(default_factory=Counter)
    samples: dict[str, str] = field(default_factory=dict)

    @classmethod
    def learn(cls, site: str, pages: Iterable[str | bytes], **options: Any) -> SiteTemplate:
        """A template learned from ``pages``: HTML (bytes, or text starting with
        ``<``) or text dumps."""
        template = cls(site, **options)
        for page in pages:
            template.add(page)
        return template

    @property
    def rule(self) -> Rule:
        """The rule every removal of this template is recorded under."""
        name = _NAME_CHARS.sub("-", self.site.lower()).strip("-.") or "site"
        return Rule(name=f"template.{name}", kind="drop",
                    why=f"recurs on at least {self.min_share:.0%} of {self.pages} pages")

    def add(self, page: str | bytes) -> None:
        """Count one more page: an HTML page (text or bytes) or a text dump."""
        if isinstance(page, bytes):
            page, _ = decode_bytes(page, source=self.site)
        texts, blocks = _units(page)
        digests = {_digest(text): text for text in texts}
        if self._is_copy(digests):
            return
        self.pages += 1
        self.lines.update(digests.keys())
        self.blocks.update(blocks)
        for digest, text in digests.items():
            if self.lines[digest] > 1 and digest not in self.samples:
                self.samples[digest] = text[:_SAMPLE_CHARS]
        self._bound()

    def _is_copy(self, digests: dict[str, str]) -> bool:
        """A copy of a page already counted (the same article under a second URL, a
        slide of it): most of its prose is known. Counting it would make the
        article's own text recur."""
        prose = {d: len(t) for d, t in digests.items() if is_sentence(t)}
        total = sum(prose.values())
        seen = sum(n for d, n in prose.items() if self.lines.get(d))
        return total >= _COPY_MIN_CHARS and seen >= _COPY_SHARE * total

    def _bound(self) -> None:
        """Keep memory flat over long crawls: a unit seen once is forgotten first."""
        for counter in (self.lines, self.blocks):
            if len(counter) > _MAX_UNITS:
                for key in [k for k, n in counter.items() if n == 1]:
                    del counter[key]

    def _recurs(self, count: int) -> bool:
        return (self.pages >= self.min_pages and count >= self.min_pages
                and count >= self.min_share * self.pages)

    def recurs_line(self, line: str) -> bool:
        """Does this text line recur on enough of the site's pages?"""
        return self._recurs(self.lines.get(_digest(line), 0))

    def prune(self, tree: LexborHTMLParser, rules: RuleSet) -> list[Removal]:
        """Remove the recurring non-prose blocks from a page's tree; the removals.
        Blocks holding metadata (a ``field`` rule matches: 来源, 作者 …) stay for the
        field pass, however often they recur."""
        if tree.body is None or self.pages < self.min_pages:
            return []
        fields = rules.of_kind("field")
        matches: list[LexborNode] = []
        for node, key in _block_keys(tree.body):
            if not self._recurs(self.blocks.get(key, 0)):
                continue
            text = node_text(node)
            if not (is_sentence(text) and link_density(node, len(text)) < _PROSE_MAX_LINK_DENSITY
                    or any(r.search(text) for r in fields)):
                matches.append(node)
        ids = {node.mem_id for node in matches}
        outermost = [node for node in matches if _outermost(node, ids)]
        removed = [Removal(self.rule.name, node_text(node)[:SNIPPET_CHARS])
                   for node in outermost]
        for node in outermost:  # its matched descendants go with it
            node.decompose()
        return removed

    def compact(self) -> SiteTemplate:
        """A copy holding only what recurs: all that cleaning needs, small enough to
        hand to a worker process with every page."""
        return SiteTemplate(self.site, self.min_pages, self.min_share, self.pages,
                            Counter({k: n for k, n in self.lines.items() if self._recurs(n)}),
                            Counter({k: n for k, n in self.blocks.items() if self._recurs(n)}))

    def learned(self) -> list[tuple[int, str]]:
        """The recurring lines (page count, text), most frequent first."""
        rows = [(n, self.samples.get(d, d)) for d, n in self.lines.items() if self._recurs(n)]
        return sorted(rows, key=lambda r: (-r[0], r[1]))

    def to_dict(self) -> dict[str, Any]:
        """The JSON form, for storage."""
        return {"site": self.site, "min_pages": self.min_pages, "min_share": self.min_share,
                "pages": self.pages, "lines": dict(self.lines), "blocks": dict(self.blocks),
                "samples": {d: t for d, t in self.samples.items() if self.lines.get(d, 0) > 1}}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SiteTemplate:
        """Rebuild a template stored with :meth:`to_dict`."""
        return cls(site=data["site"], min_pages=data.get("min_pages", 2),
                   min_share=data.get("min_share", 0.5), pages=data.get("pages", 0),
                   lines=Counter(data.get("lines", {})), blocks=Counter(data.get("blocks", {})),
                   samples=dict(data.get("samples", {})))
