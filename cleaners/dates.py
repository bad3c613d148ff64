"""Chinese and numeric date formats to ISO 8601 in Asia/Shanghai time.

The formats are a table (data first); :func:`parse_date` tries them in order.
htmldate's default mode reads "2024年10月28日" as 2024-01-01, so the project parses
dates itself and only accepts a calendar-valid result within a plausible range.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

__all__ = ["SHANGHAI", "find_dates", "parse_date", "parse_url_date"]

SHANGHAI = ZoneInfo("Asia/Shanghai")
_MIN_YEAR = 1990

_S = r"[\s\u3000]*"  # any run of blanks, newlines included (dumps split dates over lines)
_TIME = rf"(?:{_S}(?P<H>[01]?\d|2[0-3]){_S}[:：时]{_S}(?P<M>[0-5]\d){_S}(?:[:：分]{_S}(?P<S>[0-5]\d))?)?"

#: (name, pattern). Named groups: y, m, d, optional H, M, S and tz.
DATE_FORMATS: tuple[tuple[str, str], ...] = (
    ("iso8601", r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})[T ](?P<H>\d{2}):(?P<M>\d{2})"
                r"(?::(?P<S>\d{2})(?:\.\d+)?)?(?P<tz>Z|[+-]\d{2}:?\d{2})"),
    ("chinese", rf"(?P<y>(?:19|20)\d{{2}}){_S}年{_S}(?P<m>\d{{1,2}}){_S}月{_S}(?P<d>\d{{1,2}}){_S}[日号]{_TIME}"),
    ("numeric", rf"(?P<y>(?:19|20)\d{{2}})(?P<sep>[-/.])(?P<m>\d{{1,2}})(?P=sep)(?P<d>\d{{1,2}})(?!\d){_TIME}"),
)
#: Dates in URL paths: /2024-05/20/, /20240515/, t20221010_1079808.html, 2024/0517/.
URL_DATE_FORMATS: tuple[str, ...] = (
    r"/(?P<y>20\d{2})[-/]?(?P<m>[01]\d)[-/]?(?P<d>[0-3]\d)/",
    r"/t(?P<y>20\d{2})(?P<m>[01]\d)(?P<d>[0-3]\d)_",
    r"/(?P<y>20\d{2})-(?P<m>[01]\d)/(?P<d>[0-3]\d)/",
    r"/(?P<y>20\d{2})/(?P<m>[01]\d)(?P<d>[0-3]\d)/",
)
_COMPILED = tuple((name, re.compile(pat)) for name, pat in DATE_FORMATS)
_URL_COMPILED = tuple(re.compile(p) for p in URL_DATE_FORMATS)


def _plausible(day: date) -> bool:
    return day.year >= _MIN_YEAR and day <= date.today() + timedelta(days=366)


def _to_iso(m: re.Match[str]) -> str | None:
    g = m.groupdict()
    try:
        day = date(int(g["y"]), int(g["m"]), int(g["d"]))
    except ValueError:
        return None
    if not _plausible(day):
        return None
    if g.get("H") is None:
        return day.isoformat()
    stamp = datetime(day.year, day.month, day.day, int(g["H"]), int(g["M"]), int(g.get("S") or 0))
    tz = g.get("tz")
    if tz:
        offset = "+00:00" if tz == "Z" else f"{tz[:3]}:{tz[-2:]}"
        stamp = datetime.fromisoformat(stamp.isoformat() + offset).astimezone(SHANGHAI)
    else:
        stamp = stamp.replace(tzinfo=SHANGHAI)
    return stamp.isoformat()


def find_dates(text: str) -> list[tuple[int, str]]:
    """Every date in ``text`` as ``(position, iso)``, in order of position."""
    found: dict[int, str] = {}
    taken: list[range] = []
    for _, pattern in _COMPILED:
        for m in pattern.finditer(text):
            if any(m.start() in span for span in taken):
                continue
            iso = _to_iso(m)
            if iso:
                found[m.start()] = iso
                taken.append(range(m.start(), m.end()))
    return sorted(found.items())


def parse_date(text: str | None) -> str | None:
    """The first date in ``text`` as ISO 8601, or ``None``.

    >>> parse_date("发布时间：2024年10月28日 10:34")
    '2024-10-28T10:34:00+08:00'
    """
    if not text:
        return None
    dates = find_dates(text)
    return dates[0][1] if dates else None


def parse_url_date(url: str | None) -> str | None:
    """A day encoded in a URL path (``/202210/t20221010_1.html``), or ``None``."""
    for pattern in _URL_COMPILED:
        m = pattern.search(url or "")
        if m:
            iso = _to_iso(m)
            if iso:
                return iso
    return None
