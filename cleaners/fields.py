"""The field stage: candidates from every place a page states its metadata, the
choice among them with evidence, and the one assembly of an :class:`Article`.

HTML pages and text dumps both come here: a page gives candidates from its meta
tags, JSON-LD, title and URL (see metadata.py) and both give their lines, each
line tagged with the zone it stands in (header under the headline, first or last
body lines, trailer, lines before the article, blocks the pruning removed). A
candidate's zone is its evidence: a date on the line under the headline beats a
``<meta>`` modified time, which beats a date in a sidebar list (not read at all).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from datetime import tzinfo

from .article import Article, Removal
from .dates import SHANGHAI, find_dates, parse_date, parse_url_date
from .lang import detect_language, language_fields
from .lines import normalise_field
from .needles import LineScreen, PageText
from .rules import Rule, RuleSet
from .script import convert

__all__ = ["Candidate", "Field", "Fields", "choose_fields", "is_chinese", "line_candidates",
           "read_fields", "to_article", "url_candidates", "zone_lines"]

#: Zones a line can stand in, in the order a reader trusts them.
HEADER, ABOVE, BODY_FIRST, BODY, BODY_LAST, TRAILER, BEFORE, REMOVED = (
    "header", "above", "body-first", "body", "body-last", "trailer", "before", "removed")
#: Where each field is looked for, best first. Names without a line zone are the
#: page's own statements: ``gov-meta`` (PubDate, ContentSource …), ``meta`` (og:,
#: article:), ``json-ld``, ``url``, ``htmldate``, ``modified`` (update times).
ORDER: dict[str, tuple[str, ...]] = {
    "published": (HEADER, ABOVE, "gov-meta", "meta", "json-ld", "htmldate", "url", BODY_FIRST,
                  BODY_LAST, TRAILER, BEFORE, REMOVED, "modified"),
    "source": (HEADER, ABOVE, BODY_FIRST, BODY_LAST, TRAILER, REMOVED, "gov-meta", "meta",
               BODY, BEFORE),
    "author": (HEADER, ABOVE, BODY_FIRST, BODY_LAST, TRAILER, REMOVED, BODY, "gov-meta",
               "json-ld", "meta", BEFORE),
    "editor": (HEADER, ABOVE, BODY_FIRST, BODY_LAST, TRAILER, REMOVED, BODY, "gov-meta", "meta"),
    "title": ("gov-meta", "heading", "title", "meta", "json-ld", HEADER),
    "sitename": ("gov-meta", "meta", "json-ld", "title"),
    "keywords": ("gov-meta", "meta", HEADER, BODY_FIRST, BODY_LAST, TRAILER),
    "url": ("meta", HEADER, BEFORE, TRAILER),
    "original_url": (HEADER, BODY_FIRST, BODY_LAST, TRAILER, REMOVED),
}
#: For a page not in Chinese the page's machine-readable dates come first: its
#: visible lines are read with Chinese templates in mind.
FOREIGN_PUBLISHED = ("meta", "json-ld", "gov-meta", "htmldate", "url", HEADER, ABOVE)
#: Fields whose every distinct value is kept, in page order (several editors).
JOINED = frozenset({"editor"})
_STATED = frozenset({"gov-meta", "meta", "json-ld"})
#: Byline rules read paragraphs, so only the lines where a byline stands.
_BYLINE_ZONES = frozenset({HEADER, BODY_FIRST, BODY, BODY_LAST})
_DATELINES = frozenset({"meta.dateline"})
_UNLABELLED = ("line:meta.date-source", "line:meta.url-date-source")
_UNLABELLED_DATE_ZONES = frozenset({HEADER, BODY_FIRST})
_DATE_LINE_MAX_CHARS = 60
#: An unlabelled date line is mostly the date: a title or a sentence around a date
#: (图文解读：《…》 2023-07-12) names another page's day.
_UNLABELLED_REST_CHARS = 20
_DATE_PIECE_MAX_CHARS = 16  # 2024年 / 10月28日 / 10:34 / 发布时间：
_DATE_LIKE = re.compile(r"[\d\s:：/.\-年月日时分秒号]+")
_NEXT_LINE_MAX_CHARS = 20
_BODY_FIRST_LINES, _BODY_LAST_LINES = 5, 3
_HEADER_LINES, _ABOVE_LINES, _BEFORE_LINES, _TRAILER_LINES = 8, 6, 15, 12
_REMOVED_AFTER_LINES = 40
#: Words around names in bylines (roles, "reported", "compiled"), dropped from names.
_ROLES = ("记者", "通讯员", "实习生", "编辑", "撰稿人", "撰稿", "作者", "评论员", "摄影", "摄像", "报道",
          "整合", "整理", "综合", "编译", "执笔", "采写", "文图", "图文")
_ROLE_PATTERN = (rf"[^\s、，,/／|｜:：]{{0,12}}?(?:{'|'.join(_ROLES)}|发自\S*)(?=[\s、，,/／丨︱|｜]|$)"
                 r"|^(?:记者|通讯员|实习生|评论员)|[/／丨︱|｜:：]")
_ROLE_WORDS = re.compile("|".join(dict.fromkeys(  # Simplified and Traditional spellings
    convert(_ROLE_PATTERN, locale) for locale in ("zh-cn", "zh-hant", "zh-tw", "zh-hk"))))
_NAME_SPLIT = re.compile(r"[\s、，,;；&＆]+")
_PHOTO_CREDIT = re.compile(r"摄$|^摄影?")
_PERSON = re.compile(r"^(?:[\u4e00-\u9fff]{2,4}|[\u4e00-\u9fff]{1,3}·[\u4e00-\u9fff]{1,8}|"
                     r"[A-Z][A-Za-z.'-]+(?: [A-Z][A-Za-z.'-]+){0,3})$")
_LABELLED_NAME = re.compile(r"^(?=.*[^\W\d_])[\w·.'-]{1,12}$")
_LATIN_NAME = re.compile(r"^[A-Za-z][A-Za-z.'-]*(?: [A-Z][A-Za-z.'-]*){1,2}$")
#: The ends of outlet names (新京报, 新华社, 澎湃新闻网 …): an outlet is never an author.
_OUTLET = re.compile(r"(?:网|报|社|台|刊|局|厅|委|办|部|院|中心|公司|集团|新闻|频道|在线|"
                     r"杂志|日报|晚报|时报|周刊|政府|学校|大学|学院|医院)$|\.(?:com|cn|net)",
                     re.IGNORECASE)
#: Words that stand where a name should but name nobody (网络整理, 佚名, 系统管理员).
_NOBODY = re.compile(r"^(?:网络|佚名|本站|本网|匿名|未知|小编|管理员|系统管理员|admin|"
                     r"administrator|编辑部|网络整理|综合)$", re.IGNORECASE)
#: A suffix naming a site, channel or office: short, not a number, ending in an
#: organisation word. Applied to every title candidate, at most three times.
_SITE_SUFFIX = re.compile(
    r"(?:\s+(?!\d)[^\s\-_|｜—–]{2,16}?|\s*[-_|｜—–]\s*(?!\d)[^\s\-_|｜—–]{0,16}?)"
    r"(?:网|频道|网站|门户|在线|新闻|政府|中心|办事处|医院|纪检|委员会|管理局|教育局|教育厅|日报|"
    r"晚报|时报|报|台|站)$")
_TITLE_MIN_CHARS = 4
_STAFF_CODE = re.compile(r"[_＿][A-Za-z]{1,4}\d{2,8}$|^[A-Za-z]{1,4}\d{2,8}$")
_NOT_A_SOURCE = re.compile(
    r"^(?:来自|发自|来源于|本站|本网|网络|互联网|原创|字号|字体)$|^(?:来自|发自|來自|發自)|[，。！？；]"
    r"|《.*》.{4,}|(?:发布|發佈|發布|发表|發表)[于於]|浏览|瀏覽|阅读|閱讀|点击|點擊|官方账号|官方帳號")
_SOURCE_MAX_CHARS = 30


@dataclass(frozen=True)
class Field:
    """A field value and where it came from (``meta:PubDate``, ``line:meta.source@header``)."""

    value: str | tuple[str, ...]
    origin: str


@dataclass(frozen=True)
class Candidate:
    """A raw value offered for a field, its zone (its evidence) and its page order."""

    name: str
    raw: str
    zone: str
    origin: str
    order: int = 0


@dataclass(frozen=True)
class Fields:
    """The chosen fields of one article, each with its provenance."""

    url: Field | None = None
    title: Field | None = None
    published: Field | None = None
    source: Field | None = None
    author: Field | None = None
    editor: Field | None = None
    sitename: Field | None = None
    keywords: Field | None = None
    original_url: Field | None = None

    def value(self, name: str) -> str | None:
        found = getattr(self, name)
        return found.value if found is not None and isinstance(found.value, str) else None

    def provenance(self) -> dict[str, str]:
        """Field name -> origin, for every field that has a value."""
        return {f.name: getattr(self, f.name).origin for f in fields(self)
                if getattr(self, f.name) is not None}


def _people(raw: str, labelled: bool = False) -> str | None:
    """Person names of a byline in page order, roles and outlets dropped. After a
    label (责任编辑：…) any short name counts; in a paragraph only name shapes do."""
    if labelled and _LATIN_NAME.match(raw.strip()):
        return raw.strip()
    tokens = [_STAFF_CODE.sub("", t.strip("()（）【】[]“”\"'"))
              for t in _NAME_SPLIT.split(_ROLE_WORDS.sub(" ", raw))]
    names: list[str] = []
    for token in _joined_halves(tokens):
        # After a label (作者：, 文/) an office may be the writer (文/示例省教育厅);
        # in a paragraph an outlet's name (新京报记者 X) is only the employer.
        shaped = (_LABELLED_NAME.match(token) if labelled
                  else _PERSON.match(token) and not _OUTLET.search(token))
        if (token and shaped and not _NOBODY.match(token) and not _PHOTO_CREDIT.search(token)
                and token not in names):
            names.append(token)
    return " ".join(names) or None


def _without_site_suffix(title: str) -> str:
    """The title without the site, department or channel names a CMS appends after
    "_", "-", "|" or a space (…_示例网, …-股票频道, … 东区办事处)."""
    for _ in range(3):
        m = _SITE_SUFFIX.search(title)
        if m is None or m.start() < _TITLE_MIN_CHARS:
            break
        title = title[:m.start()]
    return title


def _joined_halves(tokens: list[str]) -> list[str]:
    """People's Daily pads two-character names to three places: 方 敏 -> 方敏."""
    out: list[str] = []
    for token in tokens:
        if len(token) == 1 and out and len(out[-1]) == 1:
            out[-1] += token
        else:
            out.append(token)
    return out


def _is_person(value: object) -> bool:
    return all(_PERSON.match(n) and not _OUTLET.search(n) for n in str(value).split())


def _normalise(name: str, raw: str, zone: str, zone_of_tz: tzinfo | None,
               origin: str = "") -> object | None:
    raw = raw.strip()
    if name == "published":
        return parse_date(raw, zone=zone_of_tz)
    if name in ("author", "editor") and zone not in ("meta", "json-ld", "gov-meta"):
        return _people(raw, labelled=not origin.startswith(("line:byline.", "line:date")))
    if name in ("author", "editor"):
        value = normalise_field(name, raw)
        return _people(value) if isinstance(value, str) and not _OUTLET.search(value) else None
    if name == "title":
        return _without_site_suffix(re.sub(r"\s+", " ", raw)) or None
    value = normalise_field(name, raw.strip("·•・ "))
    if name == "source" and isinstance(value, str) and (
            _NOT_A_SOURCE.search(value) or len(value) > _SOURCE_MAX_CHARS):
        return None
    if name == "keywords" and isinstance(value, list):
        return tuple(value)
    return value


def url_candidates(url: str | None) -> list[Candidate]:
    """The day a URL path encodes (t20191210_, /2019-12/10/, /201912/10/)."""
    day = parse_url_date(url)
    return [Candidate("published", day, "url", "url")] if day else []


def zone_lines(count: int, start: int, end: int, headline: int | None,
               removed: Iterable[int] = ()) -> list[str | None]:
    """The zone of each of ``count`` lines whose body is ``[start, end)``.

    The header runs from the headline to the body (or the few lines before the body
    when no headline is found); lines farther away belong to no zone and are not read.
    """
    zones: list[str | None] = [None] * count
    if headline is not None and headline < start:
        header = range(headline + 1, min(start, headline + 1 + _HEADER_LINES))
    else:
        header = range(max(0, start - _HEADER_LINES // 2), start)
    for i in range(max(0, start - _BEFORE_LINES), start):
        zones[i] = BEFORE
    for i in header:
        zones[i] = HEADER
    if headline is not None:  # a meta block above the headline (date / 来源 / headline)
        for i in range(max(0, headline - _ABOVE_LINES), headline):
            zones[i] = ABOVE
    for i in range(start, end):
        zones[i] = BODY_FIRST if i < start + _BODY_FIRST_LINES else (
            BODY_LAST if i >= end - _BODY_LAST_LINES else BODY)
    for i in range(end, min(count, end + _TRAILER_LINES)):
        zones[i] = TRAILER
    for i in removed:  # near the article only: a removed sidebar far away says nothing
        if start - _BEFORE_LINES <= i < end + _REMOVED_AFTER_LINES and zones[i] is None:
            zones[i] = REMOVED
    return zones


def _rule_hits(rule: Rule, line: str, following: str | None) -> Iterable[tuple[str, str]]:
    """Every (field, value) the rule's patterns give in the line: a line may hold
    several (编辑：A 责任编辑：B)."""
    for pattern in rule.patterns:
        matches = list(pattern.finditer(line))
        for m in matches:
            groups = m.groupdict()
            if not all(groups.values()) and following is not None and (
                    len(following) <= _NEXT_LINE_MAX_CHARS and m.end() == len(line.rstrip())):
                # 责任编辑： / 来源： with the value on the next line.
                joined = pattern.match(f"{line} {following}", m.start())
                groups = joined.groupdict() if joined is not None else groups
            yield from ((key, value) for key, value in groups.items() if value)
        if matches:
            return


def line_candidates(lines: Sequence[str], zones: Sequence[str | None],
                    rules: RuleSet) -> list[Candidate]:
    """Candidates the field and byline rules find in the lines that have a zone, plus
    unlabelled dates on short lines under the headline."""
    found: list[Candidate] = []
    # Rules none of whose patterns can match in the zoned lines are left out.
    zoned = PageText("\n".join(line for line, zone in zip(lines, zones, strict=True)
                               if zone is not None))
    screen = LineScreen(rules.of_kind("field"), zoned)
    field_rules = tuple(screen.rules)
    bylines = tuple(LineScreen(rules.of_kind("byline"), zoned).rules)
    for i, (line, zone) in enumerate(zip(lines, zones, strict=True)):
        if zone is None:
            continue
        following = lines[i + 1] if i + 1 < len(lines) else None
        fielded = field_rules if screen.search(line) else ()
        for rule in fielded + (bylines if zone in _BYLINE_ZONES else ()):
            if len(line) <= rule.max_chars:
                # A labelled date (发布日期：, 生成日期：) before the body is the meta
                # block's, however far the headline stands.
                near = ABOVE if rule.name in _DATELINES and zone == BEFORE else zone
                found.extend(Candidate(key, value, near, f"line:{rule.name}@{near}", i)
                             for key, value in _rule_hits(rule, line, following))
        if zone in _UNLABELLED_DATE_ZONES and len(line) <= _DATE_LINE_MAX_CHARS and len(
                _DATE_LIKE.sub("", line)) <= _UNLABELLED_REST_CHARS:
            found.append(Candidate("published", line, zone, f"line:date@{zone}", i))
    return found


def _split_date_candidates(lines: Sequence[str], zones: Sequence[str | None]) -> list[Candidate]:
    """A date split over short lines next to the headline (2024年 / 10月28日 / 10:34)."""
    found = []
    for zone in (HEADER, ABOVE):
        near = [(i, line) for i, (line, z) in enumerate(zip(lines, zones, strict=True))
                if z == zone and len(line) <= _DATE_PIECE_MAX_CHARS]
        joined = "\n".join(line for _, line in near)
        found += [Candidate("published", joined[pos:], zone, f"line:split-date@{zone}",
                            near[0][0]) for pos, _ in find_dates(joined)[:1] if len(near) > 1]
    return found


def _pick(name: str, candidates: list[Candidate], order: Sequence[str],
          tz: tzinfo | None, taken: Sequence[str] = ()) -> Field | None:
    """The first usable candidate by zone, then page order (``JOINED`` fields: every
    distinct one, in page order). A meta value inside one of ``taken`` is refused."""
    # An outlet named without a label (2019-09-26 10:56 示例网) yields to a 来源： line.
    labelled = name == "source" and any(c.origin.startswith("line:meta.source@")
                                        for c in candidates)
    ranked = sorted((c for c in candidates if c.name == name and c.zone in order),
                    key=lambda c: (labelled and c.origin.startswith(_UNLABELLED),
                                   order.index(c.zone), c.order))
    chosen: list[tuple[object, str]] = []
    fallback: Field | None = None  # an office credited as author, when no person is
    for candidate in ranked:
        value = _normalise(name, candidate.raw, candidate.zone, tz, candidate.origin)
        if not value or (candidate.zone in _STATED and any(str(value) in t for t in taken)):
            continue
        if name == "author" and not _is_person(value):
            fallback = fallback or Field(value, candidate.origin)  # type: ignore[arg-type]
            continue
        if name not in JOINED:
            return Field(value, candidate.origin)  # type: ignore[arg-type]
        if all(value != v for v, _ in chosen):
            chosen.append((value, candidate.origin))
    if not chosen:
        return fallback
    in_page = sorted(chosen, key=lambda vc: next(c.order for c in ranked if c.origin == vc[1]))
    names: list[str] = []
    for value, _ in in_page:
        names.extend(n for n in str(value).split() if n not in names)
    return Field(" ".join(names), in_page[0][1])


def _with_time(day: Field | None, candidates: list[Candidate], tz: tzinfo | None) -> Field | None:
    """A day-only date gains the time of a lesser candidate on the same day."""
    if day is None or "T" in str(day.value):
        return day
    for c in candidates:
        if c.name == "published":
            stamp = parse_date(c.raw, zone=tz)
            if stamp and stamp.startswith(f"{day.value}T"):
                return Field(stamp, f"{day.origin}+{c.origin}")
    return day


def choose_fields(candidates: list[Candidate], *, chinese: bool = True,
                  lines: Sequence[str] = (), zones: Sequence[str | None] = ()) -> Fields:
    """The best candidate of each field by its zone (see ORDER), then page order."""
    tz = SHANGHAI if chinese else None
    candidates = candidates + _split_date_candidates(lines, zones)
    chosen = {}
    for name, order in ORDER.items():
        if name != "author":
            order = FOREIGN_PUBLISHED if name == "published" and not chinese else order
            chosen[name] = _pick(name, candidates, order, tz)
    chosen["published"] = _with_time(chosen["published"], candidates, tz)
    # A CMS fills <meta name=author> with the site (网易): not a byline.
    outlets = [str(f.value) for f in (chosen["source"], chosen["sitename"]) if f is not None]
    chosen["author"] = _pick("author", candidates, ORDER["author"], tz, outlets)
    return Fields(**chosen)


def is_chinese(text: str, declared: str | None = None) -> bool:
    """Whether a page is Chinese: by its text, else by its declared language."""
    language = detect_language(text, declared)
    return bool(language and language.lower().startswith("zh"))


def to_article(found: Fields, *, text: str, removed: list[Removal], url: str | None,
               encoding: str | None = None, declared_lang: str | None = None,
               located_by: str | None = None) -> Article:
    """The one assembly of an Article, for HTML pages and text dumps alike."""
    title = found.value("title")
    keywords = found.keywords.value if found.keywords is not None else ()
    lang = language_fields(text or (title or ""), declared_lang)
    return Article(
        url=url or found.value("url"), title=title, text=text,
        published=found.value("published"), source=found.value("source"),
        author=found.value("author"), editor=found.value("editor"),
        sitename=found.value("sitename"), keywords=list(keywords),
        original_url=found.value("original_url"),
        language=lang["language"], script=lang["script"], encoding=encoding,
        removed=removed, located_by=located_by, provenance=found.provenance(),
    )


def read_fields(lines: Sequence[str], start: int, end: int, rules: RuleSet, *,
                headline: int | None = None, removed: Iterable[int] = (),
                stated: Sequence[Candidate] = (), chinese: bool = True) -> Fields:
    """Fields of an article whose body is ``lines[start:end]``: its lines read by zone
    (see :func:`zone_lines`) against what the page ``stated`` (meta tags, URL …)."""
    zones = zone_lines(len(lines), start, end, headline, removed)
    found = list(stated) + line_candidates(lines, zones, rules)
    if headline is not None:
        found.append(Candidate("title", lines[headline], "heading", "heading", headline))
    return choose_fields(found, chinese=chinese, lines=lines, zones=zones)
