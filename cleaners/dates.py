"""Dates as pages write them -> ISO 8601, never raising.

The formats are a table (data first), compiled into one alternation so that a text
is scanned once, left to right: a meta value holding 20 000 dates costs linear time.
Chinese pages write wall-clock time: Asia/Shanghai applies to them when no offset is
written, while a written offset is kept as it is (converting moves the calendar day
of a third of the dates that carry one). A non-Chinese page without an offset gives
a naive stamp: guessing its zone would be worse than saying nothing.

htmldate's default mode reads "2024年10月28日" as 2024-01-01, so Chinese dates are
parsed here, and only a calendar-valid result between 1990 and the fetch time counts.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

__all__ = ["SHANGHAI", "find_dates", "parse_date", "parse_url_date"]

SHANGHAI = ZoneInfo("Asia/Shanghai")
_MIN_YEAR = 1990
_FUTURE_SLACK = timedelta(days=1)  # a page's clock may run ahead of the fetcher's zone

_S = r"[\s\u3000]*"  # any run of blanks, newlines included (dumps split dates over lines)
_HALF = r"(?P<half>上午|下午|早上|晚上|凌晨|中午|AM|PM|am|pm)?"
_WEEKDAY = r"(?:(?:星期|礼拜|禮拜|周|週)[一二三四五六日天])?"
_TIME = (rf"(?:{_S}{_WEEKDAY}{_S}{_HALF}{_S}(?P<H>[01]?\d|2[0-3]){_S}[:：时點点]{_S}(?P<M>[0-5]\d)"
         rf"(?:{_S}[:：分]{_S}(?P<S>[0-5]\d))?{_S}(?P<half2>AM|PM|am|pm)?)?")
_CN_DIGITS = "〇○零一二三四五六七八九"
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december")
_MONTH_NAME = r"(?P<mn>(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?)"

#: (name, pattern). Named groups: y, m (or mn, a month name), d, optional H, M, S,
#: half (上午/下午, AM/PM) and tz; ``cy/cm/cd`` hold Chinese numerals.
DATE_FORMATS: tuple[tuple[str, str], ...] = (
    ("iso8601", r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})[T ](?P<H>\d{2}):(?P<M>\d{2})"
                r"(?::(?P<S>\d{2})(?:\.\d+)?)?(?P<tz>Z|[+-]\d{2}:?\d{2})"),
    ("chinese", rf"(?P<y>(?:19|20)\d{{2}}){_S}年{_S}(?P<m>\d{{1,2}}){_S}月{_S}(?P<d>\d{{1,2}})"
                rf"{_S}[日号]{_TIME}"),
    ("chinese-numerals", rf"(?P<cy>[{_CN_DIGITS}]{{4}}){_S}年{_S}(?P<cm>[一二三四五六七八九十]{{1,3}})"
                         rf"{_S}月{_S}(?P<cd>[一二三四五六七八九十]{{1,3}}){_S}日"),
    ("numeric", rf"(?P<y>(?:19|20)\d{{2}})(?P<sep>[-/.])(?P<m>\d{{1,2}})(?P=sep)(?P<d>\d{{1,2}})"
                rf"(?!\d){_TIME}"),
    ("year-then-month-day", rf"(?P<y>(?:19|20)\d{{2}})[\s\u3000]+(?P<m>[01]?\d)/(?P<d>[0-3]?\d)"
                            rf"(?![\d/]){_TIME}"),
    ("day-month-year", rf"(?<![\d.])(?P<d>[0-3]?\d)\.(?P<m>[01]?\d)\.(?P<y>(?:19|20)\d{{2}})(?!\d){_TIME}"),
    ("month-name", rf"(?<![A-Za-z]){_MONTH_NAME}\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?,?\s+"
                   rf"(?P<y>(?:19|20)\d{{2}})(?!\d){_TIME}"),
    ("day-month-name", rf"(?<!\d)(?P<d>[0-3]?\d)\.?\s+{_MONTH_NAME}\s+(?P<y>(?:19|20)\d{{2}})"
                       rf"(?!\d){_TIME}"),
)
#: Dates in URL paths: /2024-05/20/, /20240515/, /2019/12/10/, t20221010_1079808.html.
URL_DATE_FORMATS: tuple[str, ...] = (
    r"/(?P<y>20\d{2})[-/]?(?P<m>[01]\d)[-/]?(?P<d>[0-3]\d)/",
    r"/t(?P<y>20\d{2})(?P<m>[01]\d)(?P<d>[0-3]\d)_",
    r"/(?P<y>20\d{2})-(?P<m>[01]\d)/(?P<d>[0-3]\d)/",
    r"/(?P<y>20\d{2})/(?P<m>[01]\d)(?P<d>[0-3]\d)/",
)


def _combined() -> tuple[re.Pattern[str], tuple[str, ...]]:
    """One regex of every format; group ``gN_x`` is group ``x`` of format N."""
    parts, names = [], []
    for i, (name, pattern) in enumerate(DATE_FORMATS):
        pattern = re.sub(r"\(\?P<(\w+)>", rf"(?P<g{i}_\1>", pattern)
        pattern = re.sub(r"\(\?P=(\w+)\)", rf"(?P=g{i}_\1)", pattern)
        parts.append(f"(?P<f{i}>{pattern})")
        names.append(name)
    return re.compile("|".join(parts)), tuple(names)


_ALL, _FORMAT_NAMES = _combined()
_URL_COMPILED = tuple(re.compile(p) for p in URL_DATE_FORMATS)
_TZ = re.compile(r"^([+-])(\d{2}):?(\d{2})$")


def _cn_number(text: str) -> int:
    """二〇二四 -> 2024 (digit by digit); 二十八 -> 28, 十 -> 10, 十二 -> 12."""
    if "十" not in text:
        return int("".join(str(_CN_DIGITS.index(c) - 2 if _CN_DIGITS.index(c) > 2 else 0)
                           for c in text))
    tens, _, units = text.partition("十")
    value = (_CN_DIGITS.index(tens) - 2 if tens else 1) * 10
    return value + (_CN_DIGITS.index(units) - 2 if units else 0)


def _offset(raw: str) -> tzinfo:
    if raw == "Z":
        return UTC
    m = _TZ.match(raw)
    if m is None:
        raise ValueError(raw)
    delta = timedelta(hours=int(m.group(2)), minutes=int(m.group(3)))
    return timezone(-delta if m.group(1) == "-" else delta)  # ValueError beyond ±24 h


def _hour(g: dict[str, str | None]) -> int:
    hour = int(g["H"] or 0)
    half = (g.get("half") or g.get("half2") or "").lower()
    if half in ("下午", "晚上", "pm") and hour < 12 or half == "中午" and hour < 11:
        hour += 12
    elif half in ("凌晨", "am") and hour == 12:
        hour = 0
    return hour


def _day(g: dict[str, str | None]) -> date:
    if g.get("cy"):
        return date(_cn_number(g["cy"] or ""), _cn_number(g["cm"] or ""), _cn_number(g["cd"] or ""))
    name = (g.get("mn") or "").lower().rstrip(".")[:3]
    month = (next(i for i, m in enumerate(_MONTHS, 1) if m.startswith(name)) if name
             else int(g["m"] or 0))
    return date(int(g["y"] or 0), month, int(g["d"] or 0))


def _to_iso(g: dict[str, str | None], zone: tzinfo | None, now: datetime | None) -> str | None:
    try:
        day = _day(g)
        if day.year < _MIN_YEAR:
            return None
        if g.get("H") is None:
            stamp = None
        else:
            stamp = datetime(day.year, day.month, day.day, _hour(g), int(g["M"] or 0),
                             int(g.get("S") or 0))
            if g.get("tz"):
                stamp = stamp.replace(tzinfo=_offset(g["tz"] or ""))
            elif zone is not None:
                stamp = stamp.replace(tzinfo=zone)
    except (ValueError, OverflowError, StopIteration):
        return None
    limit = (now or datetime.now(UTC)).date() + _FUTURE_SLACK
    if day > limit:
        return None
    return stamp.isoformat() if stamp is not None else day.isoformat()


def _groups(m: re.Match[str]) -> dict[str, str | None]:
    index = next(i for i in range(len(_FORMAT_NAMES)) if m.group(f"f{i}") is not None)
    prefix = f"g{index}_"
    return {k[len(prefix):]: v for k, v in m.groupdict().items() if k.startswith(prefix)}


def find_dates(text: str, *, zone: tzinfo | None = SHANGHAI,
               now: datetime | None = None) -> list[tuple[int, str]]:
    """Every date in ``text`` as ``(position, iso)``, in order of position.

    ``zone`` applies to a time written without an offset (``None``: a naive stamp);
    dates after ``now`` (default: the current time) or before 1990 are left out.
    """
    found = []
    for m in _ALL.finditer(text or ""):
        iso = _to_iso(_groups(m), zone, now)
        if iso:
            found.append((m.start(), iso))
    return found


def parse_date(text: str | None, *, zone: tzinfo | None = SHANGHAI,
               now: datetime | None = None) -> str | None:
    """The first date in ``text`` as ISO 8601, or ``None`` (see :func:`find_dates`).

    >>> parse_date("发布时间：2024年10月28日 下午3:34")
    '2024-10-28T15:34:00+08:00'
    """
    for m in _ALL.finditer(text or ""):
        iso = _to_iso(_groups(m), zone, now)
        if iso:
            return iso
    return None


def parse_url_date(url: str | None, *, now: datetime | None = None) -> str | None:
    """A day encoded in a URL path (``/202210/t20221010_1.html``), or ``None``."""
    for pattern in _URL_COMPILED:
        m = pattern.search(url or "")
        if m:
            iso = _to_iso(m.groupdict(), None, now)
            if iso:
                return iso
    return None
