"""The result of cleaning: one article with its metadata and the trace of removals."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, NamedTuple

__all__ = ["SNIPPET_CHARS", "Article", "Removal"]

#: Characters of a removed block or line kept in ``Removal.text``.
SNIPPET_CHARS = 200


class Removal(NamedTuple):
    """One block or line dropped by a named rule (``rule`` is stable, see rules/*.toml)."""

    rule: str
    text: str


@dataclass(frozen=True)
class Article:
    """A cleaned article.

    ``text`` holds the body paragraphs joined by newlines, without the title.
    ``published`` is ISO 8601: a timestamp when the time is known (with the offset
    the page wrote, else +08:00 on a Chinese page, else none), a bare date when only
    the day is known, ``None`` when the page gives none. ``provenance`` tells where
    each field came from (it explains the values and takes no part in comparisons):
    ``meta:PubDate``, ``json-ld:datePublished``, ``url``,
    ``title``, or ``line:<rule name>@<zone>`` for a line of the page.
    ``body_source`` says how the body was found: a content rule's name, ``score``
    (paragraph scoring; ``+siblings`` when sibling containers of the article joined),
    or ``page:extends`` / ``page:replaces`` when trafilatura's reading of the whole
    pruned page was taken over the located block. ``attachments`` holds the
    attached files (附件) as (name, absolute URL). Table rows are lines of
    tab-separated cells.
    ``language`` is ``zh`` for Chinese, with ``script`` ``Hans`` or ``Hant``; for other
    pages it is the page's own tag and ``script`` is ``None``.
    ``located_by`` tells how the body was found in an HTML page: the name of the
    content rule that matched, ``"score"`` (paragraph scoring), or ``None`` (no body,
    or a text dump); a rule that stops matching is the first sign of a redesign.
    """

    url: str | None = None
    title: str | None = None
    text: str = ""
    published: str | None = None
    source: str | None = None
    author: str | None = None
    editor: str | None = None
    sitename: str | None = None
    keywords: list[str] = field(default_factory=list)
    original_url: str | None = None
    language: str | None = None
    script: str | None = None
    encoding: str | None = None
    removed: list[Removal] = field(default_factory=list)
    located_by: str | None = None
    provenance: dict[str, str] = field(default_factory=dict, compare=False)
    # Provenance, not content: a change of route alone is no new version on reclean.
    body_source: str | None = field(default=None, compare=False)
    attachments: list[tuple[str, str]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: plain dicts, lists and strings."""
        data = asdict(self)
        data["removed"] = [{"rule": r.rule, "text": r.text} for r in self.removed]
        data["attachments"] = [list(a) for a in self.attachments]
        return data
