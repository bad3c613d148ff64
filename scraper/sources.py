"""Sources TOML -> :class:`Source`; ``zhengwen sources check`` reports every mistake
with its line, so a file is fixed in one pass rather than one error at a time."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from croniter import croniter

from cleaners.rules import selector_error

from .errors import SourcesError
from .settings import Settings

__all__ = ["Source", "load_config", "load_sources"]

_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_KEYS = {"id", "name", "start_urls", "sitemaps", "feeds", "article_pattern", "article_selector",
         "max_list_pages", "allowed_hosts", "schedule", "delay_s", "drop_selectors",
         "content_selector"}
_REQUIRED = ("id", "name", "start_urls")


@dataclass(frozen=True)
class Source:
    """One configured site section. Absent keys inherit the crawl settings."""

    id: str
    name: str
    start_urls: tuple[str, ...]
    sitemaps: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()
    article_pattern: str | None = None
    article_selector: str | None = None
    max_list_pages: int = 5
    allowed_hosts: tuple[str, ...] = ()
    schedule: str = "0 */6 * * *"
    delay_s: float | None = None
    drop_selectors: tuple[str, ...] = ()
    content_selector: str | None = None


def _line_of(raw: str, source_id: object, key: str | None = None) -> int | None:
    lines = raw.splitlines()
    start = next((i for i, line in enumerate(lines)
                  if re.match(rf"""\s*id\s*=\s*["']{re.escape(str(source_id))}["']""", line)), None)
    if start is None:
        return None
    if key is None:
        return start + 1
    begin = max((i for i in range(start + 1) if lines[i].strip().startswith("[[")), default=0)
    for i in range(begin, len(lines)):
        if i > begin and lines[i].strip().startswith("[["):
            break
        if re.match(rf"\s*{re.escape(key)}\s*=", lines[i]):
            return i + 1
    return start + 1


def _check(entry: dict, raw: str, seen: set[str]) -> list[tuple[int | None, str]]:
    sid = entry.get("id", "?")
    problems: list[tuple[int | None, str]] = []

    def bad(key: str | None, message: str) -> None:
        problems.append((_line_of(raw, sid, key), f"source {sid!r}: {message}"))

    for key in _REQUIRED:
        if key not in entry:
            bad(None, f"missing required key {key!r}")
    for key in sorted(set(entry) - _KEYS):
        bad(key, f"unknown key {key!r}")
    if "id" in entry and (not isinstance(sid, str) or not _ID.match(sid)):
        bad("id", "id must be lower-case letters, digits, '-' or '_'")
    elif sid in seen:
        bad("id", "duplicate id")
    seen.add(str(sid))
    for key in ("start_urls", "sitemaps", "feeds"):
        urls = entry.get(key, [])
        if not isinstance(urls, list) or not all(isinstance(u, str) for u in urls):
            bad(key, f"{key} must be a list of URLs")
            continue
        for url in urls:
            if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).hostname:
                bad(key, f"not an http(s) URL: {url!r}")
    if key_value := entry.get("article_pattern"):
        try:
            re.compile(key_value)
        except (re.error, TypeError) as exc:
            bad("article_pattern", f"bad regex: {exc}")
    for key in ("article_selector", "content_selector", "drop_selectors"):
        value = entry.get(key)
        selectors = [value] if isinstance(value, str) else value or []
        if not isinstance(selectors, list) or not all(isinstance(v, str) for v in selectors):
            bad(key, f"{key} must be CSS selector text")
            continue
        for selector in selectors:
            if selector_error(selector) is not None:
                bad(key, f"bad CSS selector: {selector!r}")
    schedule = entry.get("schedule")
    if schedule is not None and (not isinstance(schedule, str) or not croniter.is_valid(schedule)):
        bad("schedule", f"not a cron expression: {schedule!r}")
    delay = entry.get("delay_s")
    if delay is not None and (not isinstance(delay, (int, float)) or delay < 0):
        bad("delay_s", "delay_s must be a number of seconds >= 0")
    pages = entry.get("max_list_pages")
    if pages is not None and (not isinstance(pages, int) or pages < 1):
        bad("max_list_pages", "max_list_pages must be a whole number >= 1")
    return problems


def _settings_problems(table: object, raw: str) -> list[tuple[int | None, str]]:
    if not isinstance(table, dict):
        return [(None, "[settings] must be a table")]
    problems: list[tuple[int | None, str]] = []
    names = Settings.names()
    defaults = Settings()
    for key, value in table.items():
        line = next((i + 1 for i, text in enumerate(raw.splitlines())
                     if re.match(rf"\s*{re.escape(key)}\s*=", text)), None)
        if key not in names:
            problems.append((line, f"[settings]: unknown setting {key!r}"))
            continue
        expected = type(getattr(defaults, key))
        ok = isinstance(value, expected) or (expected is float and isinstance(value, int))
        if not ok or isinstance(value, bool) != (expected is bool):
            problems.append((line, f"[settings]: {key} must be a {expected.__name__}"))
        elif isinstance(value, (int, float)) and not isinstance(value, bool) and value < 0:
            problems.append((line, f"[settings]: {key} must be >= 0"))
    return problems


def load_config(path: str | Path) -> tuple[Settings, list[Source]]:
    """Read and validate a sources file: its ``[settings]`` table and its sources.

    Raises SourcesError listing every mistake with its line.
    """
    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SourcesError(str(path), [(None, f"cannot read: {exc}")]) from exc
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        raise SourcesError(str(path), [(int(m.group(1)) if m else None, f"invalid TOML: {exc}")]
                           ) from exc
    entries = data.get("source", [])
    problems: list[tuple[int | None, str]] = [
        (None, f"unknown top-level key {k!r}; sources are [[source]] tables")
        for k in sorted(set(data) - {"source", "settings"})]
    problems.extend(_settings_problems(data.get("settings", {}), raw))
    if not isinstance(entries, list) or not entries:
        problems.append((None, "no [[source]] tables"))
        raise SourcesError(str(path), problems)
    seen: set[str] = set()
    for entry in entries:
        problems.extend(_check(entry, raw, seen))
    if problems:
        raise SourcesError(str(path), problems)
    tuples = ("start_urls", "sitemaps", "feeds", "allowed_hosts", "drop_selectors")
    sources = [Source(**{k: (tuple(v) if k in tuples else v) for k, v in e.items()})
               for e in entries]
    return Settings(**data.get("settings", {})), sources


def load_sources(path: str | Path) -> list[Source]:
    """The sources of a sources file (see :func:`load_config`)."""
    return load_config(path)[1]
