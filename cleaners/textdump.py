"""clean_text: find the article inside a text dump of a page.

A dump has one block per line: header lines (greeting, breadcrumb, title, meta
lines), the body, then trailers (editor, links, lists). The body is the run of lines
with the most paragraph text, found as a maximum-sum segment: paragraph lines add
their length, short lines cost a little (so section headings inside the body stay),
rule-matched lines cost more and list headings cannot be crossed.
"""

from __future__ import annotations

import re

from .article import Article, Removal
from .dates import find_dates
from .lang import language_fields
from .lines import clean_lines, fields_in
from .rules import Rule, RuleSet

__all__ = ["clean_dump", "find_body"]

_PARAGRAPH_CHARS = 40
_SENTENCE_CHARS = 15
_SENTENCE_END = re.compile(r"[。！？!?；;]|[。！？][”」』]")
_TITLE_END = re.compile(r"[。！？；;，,：:]$")
_SHORT_COST = 20
_RULE_COST = 50
_BARRIER = -10**9
_TITLE_MIN, _TITLE_MAX = 4, 80
_SNIPPET_CHARS = 200


def _matching_rule(line: str, rules: RuleSet) -> Rule | None:
    for kind in ("drop-list", "field", "drop"):
        for rule in rules.of_kind(kind):
            if rule.patterns and len(line) <= rule.max_chars and rule.search(line):
                return rule
    return None


def _line_score(line: str, rule: Rule | None) -> int:
    if rule is not None:
        return _BARRIER if rule.kind == "drop-list" else -_RULE_COST
    if len(line) >= _PARAGRAPH_CHARS or (len(line) >= _SENTENCE_CHARS
                                         and _SENTENCE_END.search(line)):
        return len(line)
    return -_SHORT_COST


def find_body(scores: list[int]) -> tuple[int, int]:
    """The ``[start, end)`` segment with the largest sum (Kadane); empty if all < 0."""
    best, best_span = 0, (0, 0)
    total, start = 0, 0
    for i, score in enumerate(scores):
        if total <= 0:
            total, start = 0, i
        total += score
        if total > best:
            best, best_span = total, (start, i + 1)
    return best_span


def _title(header: list[str], matched: list[Rule | None]) -> str | None:
    candidates = [i for i, line in enumerate(header)
                  if matched[i] is None and _TITLE_MIN <= len(line) <= _TITLE_MAX
                  and not _TITLE_END.search(line)]
    for i in candidates:
        following = matched[i + 1] if i + 1 < len(header) else None
        if following is not None and following.name.startswith("meta."):
            return header[i]
    return header[candidates[-1]] if candidates else None


def clean_dump(text: str, url: str | None, rules: RuleSet) -> Article:
    """Clean a text dump; see the module docstring."""
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line]
    matched = [_matching_rule(line, rules) for line in lines]
    start, end = find_body([_line_score(line, rule) for line, rule in zip(lines, matched,
                                                                           strict=True)])
    header, trailer = lines[:start], lines[end:]
    title = _title(header, matched[:start])

    fields = fields_in(reversed(header), rules)
    if "published" not in fields:  # a date split over header lines
        meta_lines = [line for line, rule in zip(header, matched[:start], strict=True)
                      if rule is None or rule.name.startswith("meta.")]
        dates = find_dates("\n".join(meta_lines))
        if dates:
            fields["published"] = dates[-1][1]

    body = [line for line in lines[start:end] if line != title]
    cleaned = clean_lines(body, rules)
    trailing = clean_lines(trailer, rules, trailer=True)
    for key, value in {**trailing.fields, **cleaned.fields}.items():
        fields.setdefault(key, value)

    removed = [Removal(rule.name if rule else "body.before", line[:_SNIPPET_CHARS])
               for line, rule in zip(header, matched[:start], strict=True) if line != title]
    removed += cleaned.removed + trailing.removed
    removed += [Removal("body.after", line[:_SNIPPET_CHARS]) for line in trailing.lines]
    body_text = "\n".join(cleaned.lines)
    return Article(
        url=url or fields.get("url"), title=title, text=body_text,
        published=fields.get("published"), source=fields.get("source"),
        author=fields.get("author"), editor=fields.get("editor"),
        sitename=fields.get("sitename"), keywords=list(fields.get("keywords") or []),
        original_url=fields.get("original_url"),
        **language_fields(body_text or (title or "")), removed=removed,
    )
