"""Sources TOML -> :class:`Source` and :class:`Settings`, validated strictly.

The dataclasses are the schema: pydantic checks every key against their type hints
(strict: no string for a list, no number for text, no "yes" for a bool) and their
constraints, and every mistake is reported with its line, so a file is fixed in one
pass rather than one error at a time.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
import typing
from dataclasses import MISSING, dataclass, fields
from functools import cache
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

from croniter import croniter
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, create_model

from cleaners import Rule, RuleSet, default_rules
from cleaners.rules import selector_error

from .errors import SourcesError
from .settings import Settings

__all__ = ["Source", "in_shard", "load_config", "load_sources", "source_rules"]

_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
Problems = list[tuple[int | None, str]]


def _source_id(value: str) -> str:
    if not _ID.match(value):
        raise ValueError("id must be lower-case letters, digits, '-' or '_'")
    return value


def _http_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not an http(s) URL: {url!r}")
    return url


def _regex(pattern: str) -> str:
    try:
        re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"bad regex: {exc}") from None
    return pattern


def _selector(selector: str) -> str:
    if selector_error(selector) is not None:
        raise ValueError(f"bad CSS selector: {selector!r}")
    return selector


def _cron(expression: str) -> str:
    if not croniter.is_valid(expression):
        raise ValueError(f"not a cron expression: {expression!r}")
    return expression


_Url = Annotated[str, AfterValidator(_http_url)]
_Selector = Annotated[str, AfterValidator(_selector)]
_Text = Annotated[str, Field(min_length=1)]


@dataclass(frozen=True)
class Source:
    """One configured site section. Absent keys inherit the crawl settings."""

    id: Annotated[str, AfterValidator(_source_id)]
    name: _Text
    start_urls: Annotated[tuple[_Url, ...], Field(min_length=1)]
    sitemaps: tuple[_Url, ...] = ()
    feeds: tuple[_Url, ...] = ()
    article_pattern: Annotated[str, AfterValidator(_regex)] | None = None
    article_selector: _Selector | None = None
    max_list_pages: Annotated[int, Field(ge=1)] = 5
    allowed_hosts: tuple[_Text, ...] = ()
    schedule: Annotated[str, AfterValidator(_cron)] = "0 */6 * * *"
    delay_s: Annotated[float, Field(ge=0)] | None = None
    drop_selectors: tuple[_Selector, ...] = ()
    content_selector: _Selector | None = None


def source_rules(source: Source, base: RuleSet | None = None) -> RuleSet:
    """The cleaning rules of a source: its selectors first, then ``base`` (the defaults)."""
    base = base or default_rules()
    prefix = f"source.{source.id.replace('_', '-')}"
    extra: list[Rule] = []
    if source.content_selector:
        extra.append(Rule(f"{prefix}.content", "content", f"content_selector of source {source.id}",
                          selectors=(source.content_selector,)))
    if source.drop_selectors:
        extra.append(Rule(f"{prefix}.drop", "drop", f"drop_selectors of source {source.id}",
                          selectors=source.drop_selectors))
    return RuleSet(tuple(extra) + base.rules) if extra else base


@cache
def _model(cls: type) -> type[BaseModel]:
    """A strict pydantic model of a dataclass: same fields, types and defaults; numbers
    of Settings must be >= 0 (their units are seconds, bytes and counts)."""
    hints = typing.get_type_hints(cls, include_extras=True)
    spec: dict[str, Any] = {}
    for f in fields(cls):
        hint = hints[f.name]
        if cls is Settings and hint in (int, float):
            hint = Annotated[hint, Field(ge=0)]
        default = f.default if f.default is not MISSING else ...
        spec[f.name] = (hint, default)
    config = ConfigDict(extra="forbid", strict=True)
    return create_model(f"{cls.__name__}Spec", __config__=config, **spec)


_MESSAGES = {
    "tuple_type": "{key} must be a list, e.g. {key} = [\"...\"]",
    "string_type": "{key} must be text in quotes",
    "bool_type": "{key} must be true or false",
    "int_type": "{key} must be a whole number",
    "float_type": "{key} must be a number",
    "missing": "missing required key {key!r}",
    "too_short": "{key} must not be empty",
    "greater_than_equal": "{key} must be >= {ge}",
}


def _validate(cls: type, table: dict[str, Any], unknown: str) -> tuple[Any, list[tuple[str, str]]]:
    """``(instance or None, [(key, message)])``; lists become tuples where tuples are meant."""
    model = _model(cls)
    data = {k: tuple(v) if isinstance(v, list) else v for k, v in table.items()}
    try:
        spec = model.model_validate(data)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            loc = error["loc"]
            key = str(loc[0]) if loc else ""
            name = key + "".join(f"[{i}]" for i in loc[1:])
            if error["type"] == "extra_forbidden":
                message = f"{unknown} {key!r}"
            elif error["type"] == "value_error":
                message = str(error["ctx"]["error"])
            else:
                template = _MESSAGES.get(error["type"], "{key}: " + error["msg"])
                message = template.format(key=name, **error.get("ctx", {}))
            problems.append((key, message))
        return None, problems
    try:
        return cls(**dict(spec)), []
    except ValueError as exc:  # a rule across fields (Settings.__post_init__)
        return None, [("", str(exc))]


class _Lines:
    """Where a table and its keys are in the file (tomllib gives no positions)."""

    def __init__(self, raw: str) -> None:
        self.lines = raw.splitlines()

    def tables(self, header: str) -> list[int]:
        pattern = re.compile(rf"^\s*{header}\s*(#.*)?$")
        return [i for i, line in enumerate(self.lines) if pattern.match(line)]

    def key(self, start: int | None, key: str) -> int | None:
        """Line (1-based) of ``key`` in the table starting at index ``start``, else the table's."""
        if start is None:
            return None
        if key:
            for i in range(start + 1, len(self.lines)):
                if self.lines[i].lstrip().startswith("["):
                    break
                if re.match(rf"\s*{re.escape(key)}\s*=", self.lines[i]):
                    return i + 1
        return start + 1


def _source_problems(entries: list[Any], lines: _Lines) -> tuple[list[Source], Problems]:
    starts = lines.tables(r"\[\[\s*source\s*\]\]")
    sources: list[Source] = []
    problems: Problems = []
    seen: set[str] = set()
    for n, entry in enumerate(entries):
        start = starts[n] if len(starts) == len(entries) else None
        label = f"source {entry.get('id', n + 1)!r}" if isinstance(entry, dict) else "source"
        if not isinstance(entry, dict):
            problems.append((None, f"{label}: must be a [[source]] table"))
            continue
        source, found = _validate(Source, entry, "unknown key")
        if source is not None and source.id in seen:
            found.append(("id", "duplicate id"))
        elif source is not None:
            seen.add(source.id)
            sources.append(source)
        problems.extend((lines.key(start, key), f"{label}: {msg}") for key, msg in found)
    return sources, problems


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
    lines = _Lines(raw)
    problems: Problems = [(None, f"unknown top-level key {k!r}; sources are [[source]] tables")
                          for k in sorted(set(data) - {"source", "settings"})]
    table = data.get("settings", {})
    settings = Settings()
    if not isinstance(table, dict):
        problems.append((None, "[settings] must be a table"))
    else:
        start = next(iter(lines.tables(r"\[\s*settings\s*\]")), None)
        found_settings, found = _validate(Settings, table, "unknown setting")
        settings = found_settings or settings
        problems.extend((lines.key(start, key), f"[settings]: {msg}") for key, msg in found)
    entries = data.get("source", [])
    if not isinstance(entries, list) or not entries:
        problems.append((None, "no [[source]] tables"))
        raise SourcesError(str(path), problems)
    sources, source_problems = _source_problems(entries, lines)
    problems.extend(source_problems)
    if problems:
        raise SourcesError(str(path), sorted(problems, key=lambda p: p[0] or 0))
    return settings, sources


def load_sources(path: str | Path) -> list[Source]:
    """The sources of a sources file (see :func:`load_config`)."""
    return load_config(path)[1]


def in_shard(source_id: str, shard: int, shards: int) -> bool:
    """Whether ``source_id`` belongs to shard ``shard`` of ``shards`` (1-based).

    The hash is of the id alone, so a source stays on its shard however the sources
    file is reordered or grows: each machine crawls its own part into its own archive.
    """
    digest = hashlib.sha256(source_id.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % shards == shard - 1
