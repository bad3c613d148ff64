"""Choose the body of a text dump by evidence, not by length alone.

Length alone fails on short articles: a 40-line run of teasers or sidebar items
outweighs a two-sentence notice. A reader finds the notice by its frame, so the
choice weighs the same evidence:

* the header: a title line followed, within a few lines, by a meta line (a date,
  来源 …); the body starts after it and runs to the first list heading;
* sentence punctuation: a paragraph line counts its length only when it holds a
  sentence end, a long unpunctuated line (a headline) counts half, and a row of
  blank-separated Chinese names or a short bulleted line (links) counts as a short
  line;
* dated lines: a short line carrying a date or a relative time ("3 小时前") in a run
  marks a listing, and costs as much as a rule-matched line;
* list items: one of three headers within a dozen lines is an item of a listing
  of summaries, and a run followed by dated lines alternating with teasers is an
  item of a feed, not an article;
* end markers: 责任编辑, 上一篇 and the footer close an article; crossing one costs
  more than a long paragraph brings;
* the next header: an article ends where the next article's title starts.

The largest segment (Kadane's maximum-sum run over the line scores) is the first
guess. A header above it whose first run of prose holds a sentence wins over it:
merged with it when the two overlap, alone when they do not (a short article under
its title, with a longer feed below), unless the segment below reads as the
article itself (mostly sentences, several times the weight, no title between). A
header below it wins only when the largest segment reads as a listing. Without a
usable header the largest segment is the body. The header's title (the longest
title-like line over its meta line) names the article.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from .dates import find_dates
from .rules import Rule

__all__ = ["Body", "find_body", "is_sentence", "line_scores", "select_body"]

_PARAGRAPH_CHARS = 40
_SENTENCE_CHARS = 15
_SENTENCE_END = re.compile(r"[。；;।۔]|(?<=[^\W\u4e00-\u9fff])[.!?][\"'”’)]?(?:\s|$)")
_EXCLAIM = re.compile(r"[！？!?]")
_CLAUSE = re.compile(r"[，,、]")
_BULLETS = "·•●○■□▪▫◆◇►▶>»-*"
_CJK = re.compile(r"[\u4e00-\u9fff]")
_LINK_ROW_WORDS, _LINK_ROW_WORD_CHARS = 4, 12  # names of at most ~12 characters
_CRUMB = re.compile(r"\s[>»/]\s|>")  # 首页 > 新闻 > 正文
_TITLE_END = re.compile(r"[。！？；;，,：:]$")
_RELATIVE_TIME = re.compile(r"\d+\s*(?:秒|分钟|分鐘|小时|小時|天|日|周|週|个月|個月)前|昨[天日]|前[天日]|刚刚|剛剛")
_SHORT_COST = 20
_RULE_COST = 50
_BARRIER = -10**9
# Lines that close an article (责任编辑, 上一篇, the copyright footer): crossing one
# costs more than a long paragraph brings.
_END_MARKERS = ("meta.editor", "nav.prev-next", "footer.")
_END_COST = 400
_DATED_MAX_CHARS = 40
_TITLE_MIN, _TITLE_MAX = 4, 80
_HEADER_REACH = 3  # lines between a title and its meta line (source, author …)
_MIN_BODY_SCORE = 15
_RECURRING_PROSE = 1
_CLUSTER_LINES, _CLUSTER_HEADERS = 12, 3  # three headers this close make a listing
_LISTING_DATED = 3  # dated lines in a run, and at least one line in ...
_LISTING_DATED_SHARE = 10
_PROSE_SHARE, _OUTWEIGH = 0.6, 3  # an article below a header's opening line
_FEED_GAP = 3  # a feed: a dated line, a teaser or two, a dated line


@dataclass(frozen=True)
class _Header:
    title: int  # index of the title line
    meta: int  # its first meta line
    start: int  # first line after the meta lines
    end: int  # the window ends at the next list heading (exclusive)


def _is_dated(line: str) -> bool:
    return len(line) <= _DATED_MAX_CHARS and bool(_RELATIVE_TIME.search(line)
                                                  or find_dates(line))


def is_sentence(line: str) -> bool:
    """A line of prose. A short line ending in ！ or ？ alone is a headline, a short
    line behind a bullet (· 标题) a link."""
    if len(line) < _SENTENCE_CHARS or (len(line) < _PARAGRAPH_CHARS and line[0] in _BULLETS):
        return False
    return bool(_SENTENCE_END.search(line) or (_EXCLAIM.search(line) and (
        _CLAUSE.search(line) or len(line) >= _PARAGRAPH_CHARS)))


def _is_link_row(line: str) -> bool:
    """Chinese names separated by blanks (a row of links), not a sentence."""
    words = line.split()
    chinese = sum(bool(_CJK.search(word)) for word in words)
    return (len(words) >= _LINK_ROW_WORDS and chinese * 10 >= 7 * len(words)
            and len(line) <= _LINK_ROW_WORD_CHARS * len(words))


def _score(line: str, rule: Rule | None, recurring: bool) -> int:
    if rule is not None:
        if rule.kind == "drop-list":
            return _BARRIER
        return -_END_COST if rule.name.startswith(_END_MARKERS) else -_RULE_COST
    if recurring:
        return _RECURRING_PROSE
    if is_sentence(line):
        return len(line)
    if len(line) >= _PARAGRAPH_CHARS and not _is_link_row(line):
        return len(line) // 2
    return -_RULE_COST if _is_dated(line) else -_SHORT_COST


def line_scores(lines: Sequence[str], matched: Sequence[Rule | None],
                recurring: Sequence[bool] | None = None) -> list[int]:
    """Each line's weight as body text: its length for a paragraph, a cost otherwise.
    Prose that recurs on a site's pages (``recurring``) weighs almost nothing: it
    stays beside the article's text but is no evidence for it."""
    flags = recurring if recurring is not None else [False] * len(lines)
    return [_score(line, rule, flag)
            for line, rule, flag in zip(lines, matched, flags, strict=True)]


def find_body(scores: Sequence[int]) -> tuple[int, int]:
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


@dataclass(frozen=True)
class _Dump:
    """A dump's lines with what is known of each, computed once."""

    lines: Sequence[str]
    matched: Sequence[Rule | None]
    scores: list[int]
    dated: list[bool]
    barrier: list[int]  # index of the next list heading at or after each line

    @classmethod
    def of(cls, lines: Sequence[str], matched: Sequence[Rule | None],
           recurring: Sequence[bool] | None) -> _Dump:
        barrier, following = [0] * len(lines), len(lines)
        for i in range(len(lines) - 1, -1, -1):
            rule = matched[i]
            if rule is not None and rule.kind == "drop-list":
                following = i
            barrier[i] = following
        return cls(lines, matched, line_scores(lines, matched, recurring),
                   [_is_dated(line) for line in lines], barrier)

    def is_meta(self, i: int) -> bool:
        rule = self.matched[i]
        if rule is not None:
            return rule.kind == "field" or rule.name.startswith("meta.")
        return self.dated[i]

    def is_title(self, i: int) -> bool:
        line = self.lines[i]
        return (self.matched[i] is None and _TITLE_MIN <= len(line) <= _TITLE_MAX
                and not _TITLE_END.search(line) and not is_sentence(line)
                and not self.dated[i] and not _is_link_row(line)
                and len(_CRUMB.findall(line)) < 2)

    def feed_follows(self, i: int) -> bool:
        """Line ``i`` starts a feed: dated lines alternating with teasers."""
        return i < len(self.dated) and self.dated[i] and any(self.dated[i + 1:i + 1 + _FEED_GAP])

    def outweighs(self, prose: tuple[int, int], body: tuple[int, int]) -> bool:
        """Is ``prose`` (below ``body``, no other title between) the article's text
        itself, ``body`` only a line above it? It must read as an article (mostly
        sentences, no dated teasers) and weigh several times more."""
        lines = self.lines[prose[0]:prose[1]]
        sentences = sum(is_sentence(line) for line in lines)
        return (not self.is_listing(*prose) and sentences >= _PROSE_SHARE * len(lines)
                and sum(self.scores[prose[0]:prose[1]])
                >= _OUTWEIGH * sum(self.scores[body[0]:body[1]]))

    def is_listing(self, start: int, end: int) -> bool:
        """Teasers rather than prose: a run with several dated lines."""
        dated = sum(self.dated[start:end])
        return dated >= _LISTING_DATED and dated * _LISTING_DATED_SHARE >= end - start


def _headers(dump: _Dump) -> list[_Header]:
    """Every title with a meta line close under it, and where its body may start."""
    headers: list[_Header] = []
    count = len(dump.lines)
    for i in range(count):
        if not dump.is_title(i):
            continue
        meta = [j for j in range(i + 1, min(i + 1 + _HEADER_REACH, count)) if dump.is_meta(j)]
        if not meta:
            continue
        start = meta[-1] + 1
        while start < count and dump.is_meta(start):
            start += 1
        headers.append(_Header(i, meta[0], start,
                               dump.barrier[start] if start < count else count))
    return headers


def _first_run(header: _Header, dump: _Dump) -> tuple[int, int] | None:
    """The first run of paragraph lines under a header that holds a sentence: the
    article's opening, however short. A run ends where its sum drops to zero or at
    a dated line (the next teaser's time)."""
    scores, i = dump.scores, header.start
    while i < header.end:
        if scores[i] <= 0:
            i += 1
            continue
        total, best, end, j = 0, 0, i, i
        while j < header.end and total + scores[j] > 0 and not dump.dated[j]:
            total += scores[j]
            j += 1
            if total > best:
                best, end = total, j
        if best >= _MIN_BODY_SCORE and any(is_sentence(line) for line in dump.lines[i:end]):
            return i, end
        i = j
    return None


class Body(NamedTuple):
    """The body's ``[start, end)`` lines and, when a header was found, its title line."""

    start: int
    end: int
    title: int | None = None


def _title(header: _Header, dump: _Dump) -> int:
    """The header's title: of the title-like lines just above its meta line (the
    title, a channel name, 播报文章 …), the longest."""
    above = [j for j in range(max(header.meta - _HEADER_REACH, 0), header.meta)
             if dump.is_title(j)]
    return max(above, key=lambda j: len(dump.lines[j]))


def select_body(lines: Sequence[str], matched: Sequence[Rule | None],
                recurring: Sequence[bool] | None = None) -> Body:
    """The article body's lines and title; see the module docstring."""
    dump = _Dump.of(lines, matched, recurring)
    longest = find_body(dump.scores)
    listing = dump.is_listing(*longest)
    headers = _headers(dump)
    starts = sorted(h.start for h in headers)
    for header in headers:
        if header.title >= longest[1] and not listing:
            break
        if longest[0] <= header.title < longest[1]:
            # A title inside the run: the run's head is a listing above the article
            # (clip it), or the "title" is a line of the article (keep the run).
            if not dump.is_listing(longest[0], header.title):
                continue
            longest = (min(header.start, longest[1]), longest[1])
        body = _first_run(header, dump)
        near = set(starts[bisect_left(starts, header.start - _CLUSTER_LINES):
                          bisect_right(starts, header.start + _CLUSTER_LINES)])
        if (body is None or dump.is_listing(*body) or len(near) >= _CLUSTER_HEADERS
                or dump.feed_follows(body[1])):
            continue  # no prose, or summaries in a listing or a feed
        next_title = any(body[1] <= h.title < longest[0] for h in headers)
        if (longest[1] > body[0] and longest[0] < header.end and not next_title
                and not dump.is_listing(body[1], longest[1])):
            return Body(body[0], max(body[1], longest[1]), _title(header, dump))
        if longest[0] >= body[1] and not next_title and dump.outweighs(longest, body):
            return Body(*longest, _title(header, dump))
        return Body(*body, _title(header, dump))
    return Body(*longest)
