"""The article's title: the ``<title>`` without its site suffix, and the headline line.

Shared by HTML pages and text dumps: both are lists of visible lines with a body
segment, and the headline is found among the lines before the body.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .tree import squeezed

__all__ = ["HEADLINE_SEARCH", "find_headline", "split_title"]

_TITLE_SEPARATORS = re.compile(r"\s*(?:_|\||｜|--|—|–|\s-\s|-(?=[^-]{2,16}$))\s*")
# A bare "-" splits off a site name only when what follows reads like one
# ("…城！-新华网"), so "1-10月" and "2023-2024学年" stay whole.
_SITE_AFTER_HYPHEN = re.compile(
    r"^(?P<title>.{4,}?)-(?P<site>[^-]{1,12}(?:网|报|台|站|在线|频道|政府|门户|中心|厅|局|委|部))$")
_HEADLINE_MIN, _HEADLINE_MAX = 4, 120
HEADLINE_SEARCH = 15
_NAMED_SEARCH = 60  # share bars and ads may stand between a named headline and the body
_TITLE_SHARE = 0.6  # a line the <title> starts with is the headline if it is most of it
_SECTION_MAX_CHARS = 6  # 新闻动态, 通知公告: a section name in the <title>, not a headline
_WORDS = re.compile(r"[^\W\d_]")
_SENTENCE_END = re.compile(r"[。；;，,：:]$")
#: Lines that stand where a headline does but are not one: breadcrumbs and toolbars.
_NOT_HEADLINE = re.compile(r"[>›»]|^\s*(?:首页|当前位置|您的位置|你的位置|位置)|字号|字体|打印")
_ACCOUNT_MAX_CHARS = 8  # an account or outlet name between headline and dateline


def split_title(page_title: str, heading: str | None = None) -> tuple[str | None, str | None]:
    """Split a ``<title>`` into (title, site name) on its "_" / "-" / "|" suffix.

    When the page has a heading that the ``<title>`` starts with, the heading is the
    title and the rest is the site name, so a "-" inside a title ("1-10月…") survives.
    """
    page_title = " ".join((page_title or "").split())
    if not page_title:
        return (heading or None), None
    if heading and page_title.startswith(heading) and len(heading) < len(page_title):
        rest = _TITLE_SEPARATORS.split(page_title[len(heading):].strip(" _|-—–"))
        parts = [p for p in rest if p]
        return heading, (parts[-1] if parts else None)
    parts = [p for p in re.split(r"\s*(?:_|\||｜|--|—|–|\s-\s)\s*", page_title) if p]
    if len(parts) == 1:
        m = _SITE_AFTER_HYPHEN.match(parts[0])
        return (m["title"], m["site"]) if m else (parts[0], None)
    site = parts[-1]
    if re.fullmatch(r"[\w.-]+\.(?:cn|com|net|org)", site) and len(parts) > 2:
        site = parts[-2]
    return parts[0], site


def _headline_like(line: str) -> bool:
    return (_HEADLINE_MIN <= len(line) <= _HEADLINE_MAX
            and not _SENTENCE_END.search(line) and len(_WORDS.findall(line)) >= _HEADLINE_MIN)


def find_headline(lines: Sequence[str], start: int, page_title: str,
                  headings: Sequence[str], meta_lines: Sequence[bool],
                  ruled: Sequence[bool] = ()) -> int | None:
    """The index of the headline among the lines before the body ``start``.

    The nearest line that the ``<title>`` begins with (the title minus its site
    suffix) or that is one of the page's h1/h2, else the nearest line right above a
    meta line (发布时间 … 来源 …) that no other rule names (``ruled``). A short named
    line above that one is a section heading (新闻动态) that the ``<title>`` repeats,
    and the line above the meta wins.
    """
    title = squeezed(page_title)
    heads = {squeezed(h) for h in headings}
    window = range(min(len(lines) - 1, start + 1), max(0, start - HEADLINE_SEARCH) - 1, -1)
    far = range(min(len(lines) - 1, start + 1), max(0, start - _NAMED_SEARCH) - 1, -1)
    main = squeezed(split_title(page_title)[0] or "")
    named = next((i for i in far if _headline_like(lines[i]) and (
        squeezed(lines[i]) in heads and title.startswith(squeezed(lines[i])[:6])
        or title.startswith(squeezed(lines[i]))
        and len(squeezed(lines[i])) >= _TITLE_SHARE * len(main))), None)
    if named is not None and named >= start:  # the body repeats it: the header's copy
        named = next((i for i in far if i < start and lines[i] == lines[named]), named)
    above_meta = next((i for i in window if i + 1 < len(lines) and meta_lines[i + 1]
                       and not meta_lines[i] and not (ruled and ruled[i])
                       and _headline_like(lines[i])
                       and not _NOT_HEADLINE.search(lines[i])), None)
    if (above_meta is not None and above_meta > 0
            and len(squeezed(lines[above_meta])) <= _ACCOUNT_MAX_CHARS
            and _headline_like(lines[above_meta - 1])
            and len(lines[above_meta - 1]) > len(lines[above_meta])):
        above_meta -= 1  # headline / account name (加拿大必读, IT之家) / dateline
    if named is None or (above_meta is not None and above_meta > named
                         and len(squeezed(lines[named])) <= _SECTION_MAX_CHARS):
        return above_meta
    return named
