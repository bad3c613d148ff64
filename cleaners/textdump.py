"""clean_text: find the article inside a text dump of a page.

A dump has one block per line: header lines (greeting, breadcrumb, title, meta
lines), the body, then trailers (editor, links, lists). :mod:`.segment` chooses the
body lines by evidence (the title and meta lines above it, sentence punctuation,
list headings, dated teaser lines); this module turns them into an Article.
"""

from __future__ import annotations

import re

from .article import SNIPPET_CHARS, Article, Removal
from .fields import Candidate, is_chinese, read_fields, to_article, url_candidates
from .lines import LINE_KINDS, clean_lines
from .rules import Rule, RuleSet
from .segment import is_sentence, select_body
from .templates import SiteTemplate
from .titles import find_headline

__all__ = ["clean_dump"]

_TITLE_END = re.compile(r"[。！？；;，,：:]$")
_TITLE_MIN, _TITLE_MAX = 4, 80


def _matching_rule(line: str, rules: RuleSet) -> Rule | None:
    if not rules.screen(*LINE_KINDS).search(line):
        return None
    for kind in LINE_KINDS:
        rule = rules.first_match(kind, line)
        if rule is not None:
            return rule
    return None


def _title(header: list[str], matched: list[Rule | None]) -> str | None:
    candidates = [i for i, line in enumerate(header)
                  if matched[i] is None and _TITLE_MIN <= len(line) <= _TITLE_MAX
                  and not _TITLE_END.search(line)]
    for i in candidates:
        following = matched[i + 1] if i + 1 < len(header) else None
        if following is not None and following.name.startswith("meta."):
            return header[i]
    return header[candidates[-1]] if candidates else None


def _template_marks(lines: list[str], matched: list[Rule | None],
                    template: SiteTemplate | None, rule: Rule | None) -> list[bool]:
    """Mark the site's recurring lines: boilerplate takes the template's ``rule`` in
    ``matched``; recurring prose is flagged (kept, but no evidence of the body)."""
    if template is None:
        return [False] * len(lines)
    recurring = []
    for i, line in enumerate(lines):
        recurs = matched[i] is None and template.recurs_line(line)
        if recurs and not is_sentence(line):
            matched[i] = rule
        recurring.append(recurs and is_sentence(line))
    return recurring


def clean_dump(text: str, url: str | None, rules: RuleSet,
               template: SiteTemplate | None = None) -> Article:
    """Clean a text dump; see the module docstring."""
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line]
    verdicts: dict[str, Rule | None] = {}  # dumps repeat lines; each is matched once
    for line in lines:
        if line not in verdicts:
            verdicts[line] = _matching_rule(line, rules)
    matched = [verdicts[line] for line in lines]
    site_rule = template.rule if template is not None else None
    recurring = _template_marks(lines, matched, template, site_rule)
    start, end, title_at = select_body(lines, matched, recurring)
    dropped = [Removal(rule.name, line[:SNIPPET_CHARS])
               for line, rule in zip(lines[start:end], matched[start:end], strict=True)
               if rule is not None and rule is site_rule]
    header, trailer = lines[:start], lines[end:]
    title = lines[title_at] if title_at is not None else _title(header, matched[:start])

    body = [line for line, rule in zip(lines[start:end], matched[start:end], strict=True)
            if line != title and (rule is None or rule is not site_rule)]
    cleaned = clean_lines(body, rules)
    trailing = clean_lines(trailer, rules, trailer=True)

    removed = [Removal(rule.name if rule else "body.before", line[:SNIPPET_CHARS])
               for line, rule in zip(header, matched[:start], strict=True) if line != title]
    removed += dropped + cleaned.removed + trailing.removed
    removed += [Removal("body.after", line[:SNIPPET_CHARS]) for line in trailing.lines]
    body_text = "\n".join(cleaned.lines)
    headline = title_at if title_at is not None else find_headline(
        lines, start, "", (), [rule is not None and rule.kind == "field" for rule in matched],
        ruled=[rule is not None for rule in matched])
    if headline is None:
        headline = max((i for i, line in enumerate(header) if line == title), default=None)
    found = read_fields(lines, start, end, rules, headline=headline,
                        chinese=is_chinese(body_text or (title or "")),
                        stated=[Candidate("title", title or "", "title", "title")]
                        + url_candidates(url))
    return to_article(found, text=body_text, removed=removed, url=url)
