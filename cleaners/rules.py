"""Load the named cleaning rules from TOML files into an immutable :class:`RuleSet`.

A rule is data: a stable ``name`` (it appears in ``Article.removed`` and in crawl
stats), a ``kind``, CSS ``selectors`` and/or regex ``patterns``, a ``why`` and
``examples`` that the test suite runs through the rule. Patterns are written once,
in Simplified Chinese; the loader adds their Traditional forms.

Kinds:

``content``     selectors of the block that holds the article (first match wins)
``drop``        elements removed from the page by selector; and blocks or text lines of
                at most ``max_chars`` characters that a pattern matches
``drop-list``   a heading (相关阅读 …): in a page the link list it heads is removed, in
                text the heading line and everything after it
``field``       short lines holding metadata: the named groups of a pattern (``source``,
                ``published`` …) fill Article fields and the line leaves the body
``byline``      metadata inside a body paragraph (新华社北京10月28日电（记者 张三）…, a
                trailing （张三 李四）): the named groups fill fields, the line stays

Every pattern, built-in or user, must pass :func:`cleaners.backtrack.nested_quantifier`
(no unbounded quantifier inside a repeated group) or its file is refused: a rule must
not be able to hang the cleaner on a hostile line.
"""

from __future__ import annotations

import re
import tomllib
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

from .backtrack import nested_quantifier
from .errors import RulesError
from .script import convert

__all__ = ["KINDS", "Rule", "RuleSet", "default_rules", "load_rules"]

KINDS = ("content", "drop", "drop-list", "field", "byline")
FIELDS = ("url", "title", "published", "source", "author", "editor", "sitename", "keywords",
          "original_url")
_KEYS = {"name", "kind", "selectors", "patterns", "why", "examples", "max_chars"}
_DEFAULT_MAX_CHARS = 200
_NAME = re.compile(r"^[a-z0-9-]+(\.[a-z0-9-]+)+$")


@dataclass(frozen=True)
class Rule:
    """One named rule; see the module docstring for the kinds."""

    name: str
    kind: str
    why: str
    selectors: tuple[str, ...] = ()
    patterns: tuple[re.Pattern[str], ...] = ()
    examples: tuple[str, ...] = ()
    max_chars: int = _DEFAULT_MAX_CHARS
    origin: str = ""

    def search(self, text: str) -> re.Match[str] | None:
        """The first pattern match in ``text``, or ``None``."""
        for pattern in self.patterns:
            m = pattern.search(text)
            if m:
                return m
        return None


_NAMED_GROUP = re.compile(r"\(\?P<\w+>")
_GLOBAL_FLAGS = re.compile(r"^\(\?([aiLmsux]+)\)")


@lru_cache(maxsize=1024)
def is_anchored(source: str) -> bool:
    """Whether every match must start at position 0: a leading ``^`` and no ``|``
    outside groups and character classes."""
    if not source.startswith("^"):
        return False
    depth, escaped, in_class = 0, False, False
    for char in source:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            return False
    return True


@dataclass(frozen=True)
class Screen:
    """All the patterns of some rules in two alternations, so that a text none of
    them can match is passed over with one or two regex calls instead of one per
    pattern: the anchored patterns are tried at position 0 only."""

    anchored: re.Pattern[str] | None
    floating: re.Pattern[str] | None

    @classmethod
    def of(cls, rules: Iterable[Rule]) -> Screen | None:
        anchored: list[str] = []
        floating: list[str] = []
        for pattern in (p for rule in rules for p in rule.patterns):
            source = _NAMED_GROUP.sub("(?:", pattern.pattern)
            flags = _GLOBAL_FLAGS.match(source)
            if flags:
                source = f"(?{flags.group(1)}:{source[flags.end():]})"
            (anchored if is_anchored(source) else floating).append(f"(?:{source})")
        if not anchored and not floating:
            return None
        return cls(re.compile("|".join(anchored)) if anchored else None,
                   re.compile("|".join(floating)) if floating else None)

    def search(self, text: str) -> bool:
        return bool((self.anchored is not None and self.anchored.match(text))
                    or (self.floating is not None and self.floating.search(text)))


class Screens:
    """The screens of some rules by text length: a text is screened only against
    the rules whose ``max_chars`` admit it, so a long line never meets a pattern
    meant for short ones. One tier per distinct ``max_chars``, holding every rule
    that admits texts up to that length; a tier is compiled when first needed."""

    def __init__(self, rules: Iterable[Rule]) -> None:
        self._rules = [r for r in rules if r.patterns]
        self.limits = sorted({r.max_chars for r in self._rules})
        self._tiers: dict[int, Screen | None] = {}

    def search(self, text: str) -> bool:
        """Whether some rule that admits ``text``'s length could match it."""
        tier = bisect_left(self.limits, len(text))
        if tier == len(self.limits):
            return False
        if tier not in self._tiers:
            limit = self.limits[tier]
            self._tiers[tier] = Screen.of(r for r in self._rules if r.max_chars >= limit)
        screen = self._tiers[tier]
        return screen is not None and screen.search(text)


@dataclass(frozen=True)
class RuleSet:
    """Rules grouped by kind, in file order; user files come before the defaults."""

    rules: tuple[Rule, ...]
    _kinds: dict[tuple[str, ...], tuple[Rule, ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False)
    _screens: dict[tuple[str, ...], Screens] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False)

    def of_kind(self, *kinds: str) -> tuple[Rule, ...]:
        """The rules of these kinds in file order: the same tuple on every call."""
        if kinds not in self._kinds:
            self._kinds[kinds] = tuple(r for r in self.rules if r.kind in kinds)
        return self._kinds[kinds]

    def screen(self, *kinds: str) -> Screens:
        """A quick test for "could some pattern of these kinds match?" (see Screens)."""
        if kinds not in self._screens:
            self._screens[kinds] = Screens(r for r in self.rules if r.kind in kinds)
        return self._screens[kinds]

    def first_match(self, kind: str, text: str) -> Rule | None:
        """The first rule of ``kind`` that admits ``text``'s length and matches it."""
        if not self.screen(kind).search(text):
            return None
        return next((r for r in self.of_kind(kind)
                     if r.patterns and len(text) <= r.max_chars and r.search(text)), None)

    def names(self) -> list[str]:
        return [r.name for r in self.rules]


def _variants(pattern: str) -> list[str]:
    """The pattern plus its Traditional spellings (mainland, Taiwan and Hong Kong)."""
    out = [pattern]
    for locale in ("zh-hant", "zh-tw", "zh-hk"):
        variant = convert(pattern, locale)
        if variant not in out:
            out.append(variant)
    return out


def _line_of(raw: str, name: str) -> int | None:
    m = re.search(rf"""^\s*name\s*=\s*["']{re.escape(name)}["']""", raw, re.MULTILINE)
    return raw.count("\n", 0, m.start()) + 1 if m else None


def _strings(value: object, key: str, path: str, line: int | None, name: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise RulesError(path, f"{key} must be a list of non-empty strings", line=line, rule=name)
    return tuple(value)


def selector_error(selector: str) -> str | None:
    """Why ``selector`` is not usable CSS, or ``None`` when it is (also used to check
    the selectors of a crawler's sources file)."""
    if not selector.strip():
        return "empty selector"
    try:
        LexborHTMLParser("<p></p>").css(selector)
    except Exception as exc:  # selectolax raises a bare exception type for bad CSS
        return str(exc) or type(exc).__name__
    return None


def _check_selector(selector: str, path: str, line: int | None, name: str) -> None:
    error = selector_error(selector)
    if error is not None:
        raise RulesError(path, f"bad selector {selector!r}: {error}", line=line, rule=name)


def _build_rule(entry: dict, path: str, raw: str) -> Rule:
    name = entry.get("name")
    if not isinstance(name, str) or not _NAME.match(name):
        raise RulesError(path, f"every rule needs a name like 'family.variant', got {name!r}")
    line = _line_of(raw, name)
    unknown = set(entry) - _KEYS
    if unknown:
        raise RulesError(path, f"unknown keys {sorted(unknown)}", line=line, rule=name)
    kind = entry.get("kind")
    if kind not in KINDS:
        raise RulesError(path, f"kind must be one of {KINDS}, got {kind!r}", line=line, rule=name)
    why = entry.get("why")
    if not isinstance(why, str) or not why.strip():
        raise RulesError(path, "every rule needs a 'why'", line=line, rule=name)
    selectors = _strings(entry.get("selectors"), "selectors", path, line, name)
    patterns = _strings(entry.get("patterns"), "patterns", path, line, name)
    if not selectors and not patterns:
        raise RulesError(path, "a rule needs selectors or patterns", line=line, rule=name)
    if kind in ("field", "byline", "drop-list") and not patterns:
        raise RulesError(path, f"a {kind} rule needs patterns", line=line, rule=name)
    if kind == "content" and not selectors:
        raise RulesError(path, "a content rule needs selectors", line=line, rule=name)
    for selector in selectors:
        _check_selector(selector, path, line, name)
    compiled = []
    for pattern in patterns:
        for variant in _variants(pattern):
            try:
                compiled.append(re.compile(variant))
            except re.error as exc:
                raise RulesError(path, f"bad pattern {pattern!r}: {exc}", line=line,
                                 rule=name) from exc
        risk = nested_quantifier(pattern)
        if risk is not None:
            raise RulesError(path, f"pattern {pattern!r} refused: {risk}", line=line, rule=name)
    if kind in ("field", "byline"):
        for p in compiled:
            groups = set(p.groupindex)
            if not groups or not groups <= set(FIELDS):
                raise RulesError(path, f"field patterns need named groups from {FIELDS}, "
                                 f"got {sorted(groups)}", line=line, rule=name)
    max_chars = entry.get("max_chars", _DEFAULT_MAX_CHARS)
    if not isinstance(max_chars, int) or max_chars <= 0:
        raise RulesError(path, "max_chars must be a positive integer", line=line, rule=name)
    return Rule(name=name, kind=kind, why=why.strip(), selectors=selectors,
                patterns=tuple(compiled),
                examples=_strings(entry.get("examples"), "examples", path, line, name),
                max_chars=max_chars, origin=f"{path}:{line or 1}")


def _read_file(path: Path) -> tuple[Rule, ...]:
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RulesError(str(path), f"cannot read rules file: {exc}") from exc
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        raise RulesError(str(path), f"invalid TOML: {exc}",
                         line=int(m.group(1)) if m else None) from exc
    unknown = set(data) - {"rule"}
    if unknown:
        raise RulesError(str(path), f"unknown top-level keys {sorted(unknown)}; use [[rule]]")
    entries = data.get("rule", [])
    if not isinstance(entries, list):
        raise RulesError(str(path), "[[rule]] must be an array of tables")
    return tuple(_build_rule(entry, str(path), raw) for entry in entries)


def merge_rules(sets: Sequence[RuleSet]) -> RuleSet:
    """Concatenate rule sets; a repeated name is an error (names are stable IDs)."""
    seen: dict[str, Rule] = {}
    for rule in (r for s in sets for r in s.rules):
        if rule.name in seen:
            first = seen[rule.name]
            path, _, line = rule.origin.rpartition(":")
            raise RulesError(path, f"duplicate rule name (first defined at {first.origin})",
                             line=int(line) if line.isdigit() else None, rule=rule.name)
        seen[rule.name] = rule
    return RuleSet(tuple(seen.values()))


def _builtin_paths() -> list[Path]:
    folder = resources.files("cleaners") / "rules"
    return sorted(Path(str(p)) for p in folder.iterdir() if p.name.endswith(".toml"))


@lru_cache(maxsize=1)
def default_rules() -> RuleSet:
    """The rules shipped in ``cleaners/rules/``, loaded once."""
    return merge_rules([RuleSet(_read_file(p)) for p in _builtin_paths()])


@lru_cache(maxsize=32)
def _load_user(path: str, mtime: float) -> RuleSet:
    return RuleSet(_read_file(Path(path)))


def load_rules(*paths: str | Path, defaults: bool = True) -> RuleSet:
    """User rule files (first, so their content selectors win) plus the defaults."""
    sets: list[RuleSet] = []
    for p in paths:
        path = Path(p)
        if not path.is_file():
            raise RulesError(str(path), "rules file not found")
        sets.append(_load_user(str(path.resolve()), path.stat().st_mtime))
    if defaults:
        sets.append(default_rules())
    return merge_rules(sets)


def resolve_rules(rules: RuleSet | str | Path | Iterable[str | Path] | None) -> RuleSet:
    """Accept what the public API accepts for ``rules=`` and return a RuleSet."""
    if rules is None:
        return default_rules()
    if isinstance(rules, RuleSet):
        return rules
    if isinstance(rules, (str, Path)):
        return load_rules(rules)
    return load_rules(*rules)
