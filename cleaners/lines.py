"""The line pass: what the page pruning cannot see, found line by line.

Shared by HTML post-cleaning (trafilatura's output) and text dumps: field lines
(来源, 责任编辑, 网址 …) become Article fields and leave the body, drop patterns remove
widget and meta lines, and a list heading (相关阅读 …) cuts the rest of the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .article import SNIPPET_CHARS, Removal
from .dates import parse_date
from .needles import LineScreen, PageText
from .rules import Rule, RuleSet

__all__ = ["LINE_KINDS", "LineResult", "clean_lines", "normalise_field", "take_fields"]

#: The rule kinds the line pass applies, in the order it applies them.
LINE_KINDS = ("drop-list", "field", "drop")

_MEANINGFUL = re.compile(r"[\u4e00-\u9fff]|[A-Za-z]{2,}")
_NOT_A_NAME = re.compile(r"^(TOP|top|Top)\W*$|^https?://")
_KEYWORD_SPLIT = re.compile(r"[\s,，;；、|｜/]+")


@dataclass
class LineResult:
    """Lines kept, removals made and the fields the field rules found."""

    lines: list[str] = field(default_factory=list)
    removed: list[Removal] = field(default_factory=list)
    fields: dict[str, Any] = field(default_factory=dict)


def normalise_field(name: str, value: str) -> object | None:
    """Clean a raw field value; ``None`` when it carries nothing usable."""
    value = value.strip(" \t:：,，。;；()（）【】[]|｜")
    if not value:
        return None
    if name == "published":
        return parse_date(value)
    if name == "keywords":
        words = [w for w in _KEYWORD_SPLIT.split(value) if w]
        return words or None
    if name in ("url", "original_url"):
        return value if value.startswith(("http://", "https://")) else None
    if not _MEANINGFUL.search(value) or _NOT_A_NAME.match(value):
        return None
    return value


def take_fields(rule: Rule, line: str, fields: dict[str, object]) -> bool:
    """Fill ``fields`` (first value wins) from ``rule``'s groups; did the rule match?"""
    m = rule.search(line)
    if m is None:
        return False
    for name, raw in m.groupdict().items():
        if raw and name not in fields:
            value = normalise_field(name, raw)
            if value is not None:
                fields[name] = value
    return True


def clean_lines(lines: list[str], rules: RuleSet, *, trailer: bool = False) -> LineResult:
    """Run the field, drop and drop-list rules over ``lines``.

    A list heading cuts the rest of the text once a body line has been kept, so a
    heading above the article cannot take it away; in a ``trailer`` (lines known to
    follow the body) it cuts at once.
    """
    result = LineResult()
    field_rules = rules.of_kind("field")
    field_screen = rules.screen("field")
    # A line holds only the needles of the whole text: see cleaners.needles.
    any_rule = LineScreen(rules.of_kind(*LINE_KINDS), PageText("\n".join(lines)))
    screened: dict[str, bool] = {}
    for index, raw in enumerate(lines):
        line = raw.strip()
        if not line:
            continue
        if "\t" in line:
            # A table row: its cells (时间, 来源 as column headers) are data, not labels.
            result.lines.append(line)
            continue
        if line not in screened:  # text repeats lines; each is screened once
            screened[line] = any_rule.search(line)
        if not screened[line]:  # most lines: no rule can match
            result.lines.append(line)
            continue
        cut = rules.first_match("drop-list", line)
        if cut is not None and (trailer or result.lines):
            rest = [x.strip() for x in lines[index:] if x.strip()]
            result.removed.append(Removal(cut.name, "\n".join(rest)[:SNIPPET_CHARS]))
            break
        # A meta line may carry several fields (来源：… 责任编辑：…): every rule runs.
        hits = ([r for r in field_rules
                 if len(line) <= r.max_chars and take_fields(r, line, result.fields)]
                if field_screen.search(line) else [])
        rule = hits[0] if hits else rules.first_match("drop", line)
        if rule is not None:
            result.removed.append(Removal(rule.name, line[:SNIPPET_CHARS]))
            continue
        result.lines.append(line)
    return result
