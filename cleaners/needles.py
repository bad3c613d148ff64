"""Which pattern rules can match anywhere in a page: one look at the page's text.

Most patterns cannot match unless one of a few literal strings is in the text
(相关阅读, 版权所有 …): their *needles*, read from the parsed pattern. A pattern
holds a set of them per item of its sequence (a pattern for "2024年" needs "19" or
"20", and "年"): a pattern one of whose sets has no needle in the page's text
cannot match any block of it, so a page's blocks are matched against the few
patterns left instead of the screens of all. Needles hold no whitespace: a block's
text joins its text nodes with spaces, so a needle found in it lies within one text
node, and so in the page's text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from functools import cache, lru_cache
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

from .rules import Rule, is_anchored

__all__ = ["LineScreen", "PageRules", "PageText", "needle_sets"]

_Needles = frozenset[str] | None
_MAX_CLASS = 8  # a character class of more literals says little
_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)


def _best(found: Iterable[_Needles]) -> _Needles:
    """The most selective choice: the longest shortest needle, then the fewest."""
    usable = [n for n in found if n]
    return max(usable, key=lambda n: (min(map(len, n)), -len(n))) if usable else None


def _sequence(items: Any) -> _Needles:
    """Needles of a sequence of parsed items: any one item's needles will do."""
    return _best(_items(items))


def _items(items: Any) -> list[_Needles]:
    """The needles of each item of a sequence of parsed items (``None`` for an item
    with none known): a match of the sequence holds a needle of every item."""
    found: list[_Needles] = []
    run: list[str] = []
    op: Any
    arg: Any
    for op, arg in items:  # the parser's (opcode, argument) pairs
        if op is sre.LITERAL and not chr(arg).isspace():
            run.append(chr(arg))
            continue
        if run:
            found.append(frozenset(["".join(run)]))
            run = []
        if op is sre.SUBPATTERN:
            found.append(_sequence(arg[-1]))
        elif op is sre.ATOMIC_GROUP:
            found.append(_sequence(arg))
        elif op is sre.BRANCH:
            branches = [_sequence(b) for b in arg[1]]
            if all(branches):
                found.append(frozenset(n for b in branches for n in b or ()))
        elif op in _REPEATS and arg[0] >= 1:
            found.append(_sequence(arg[2]))
        elif op is sre.IN and len(arg) <= _MAX_CLASS and all(
                o is sre.LITERAL and not chr(c).isspace() for o, c in arg):
            found.append(frozenset(chr(c) for _, c in arg))
    if run:
        found.append(frozenset(["".join(run)]))
    return found


_NeedleSets = tuple[frozenset[str], ...]


@cache
def needle_sets(pattern: re.Pattern[str]) -> _NeedleSets:
    """Sets of strings such that every match of ``pattern`` contains one string of
    each set; none when nothing is known (a case-insensitive pattern, or one
    without literals)."""
    if pattern.flags & re.IGNORECASE or "(?i" in pattern.pattern:
        return ()
    return tuple(dict.fromkeys(
        n for n in _items(sre_parse.parse(pattern.pattern, pattern.flags)) if n))


@cache
def _test(pattern: re.Pattern[str]) -> Callable[[str], object]:
    """The pattern's test of a text: an anchored pattern matches at the start or not
    at all, so ``match`` answers as ``search`` would, sooner."""
    return pattern.match if is_anchored(pattern.pattern) else pattern.search


class _Plan:
    """What the screening needs of some rules, worked out once: per pattern its rule,
    the rule's ``max_chars``, its test and its needle sets (none: always tried), in
    rule then pattern order and by falling ``max_chars``; and every needle once."""

    def __init__(self, rules: Sequence[Rule]) -> None:
        self.entries = [(rule, rule.max_chars, _test(p), needle_sets(p))
                        for rule in rules for p in rule.patterns]
        self.by_length = sorted(self.entries, key=lambda entry: -entry[1])
        self.rules = [(rule, [needle_sets(p) for p in rule.patterns]) for rule in rules]
        self.needles = _pairs(n for *_, sets in self.entries for found in sets for n in found)


def _pairs(needles: Iterable[str]) -> list[tuple[str, frozenset[str]]]:
    """Each needle once, with its letters (a needle one of whose letters is not in
    the page is not looked for)."""
    return [(needle, frozenset(needle)) for needle in sorted(set(needles))]


class _Key:
    """A rules sequence keyed by identity: hashing the rules would hash every
    compiled pattern's code, and the key keeps the sequence alive, so its id is not
    reused while the plan is cached."""

    __slots__ = ("rules",)

    def __init__(self, rules: Sequence[Rule]) -> None:
        self.rules = rules

    def __hash__(self) -> int:
        return id(self.rules)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Key) and other.rules is self.rules


@lru_cache(maxsize=64)
def _cached_plan(key: _Key) -> _Plan:
    return _Plan(key.rules)


def _plan(rules: Sequence[Rule]) -> _Plan:
    # A RuleSet hands out the same tuple of a kind every time; a list may change.
    return _cached_plan(_Key(rules)) if isinstance(rules, tuple) else _Plan(rules)


class PageText:
    """The text of a page's body (as :func:`cleaners.tree.node_text` gives it) and
    its set of characters, made once for all the kinds of rules screened on it."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.chars = set(text)
        self._needles: dict[str, bool] = {}  # patterns share needles (来源, 相关)
        self._found: set[str] = set()

    def _scan(self, needles: Iterable[tuple[str, frozenset[str]]]) -> set[str]:
        """The needles found in the text so far, each of ``needles`` looked for once."""
        known, found, chars, text = self._needles, self._found, self.chars, self.text
        for needle, letters in needles:
            if needle not in known:
                hit = known[needle] = chars.issuperset(letters) and needle in text
                if hit:
                    found.add(needle)
        return found

    def found(self, plan: _Plan) -> set[str]:
        """The needles of ``plan`` that are in the text (with those found before)."""
        return self._scan(plan.needles)

    def may_match(self, pattern: re.Pattern[str]) -> bool:
        """Whether ``pattern`` can match some text made of the page's text nodes."""
        sets = needle_sets(pattern)
        return _admitted(sets, self._scan(_pairs(n for found in sets for n in found)))


def _admitted(sets: _NeedleSets, present: set[str]) -> bool:
    return all(not present.isdisjoint(found) for found in sets)


class PageRules:
    """The rules of one kind whose patterns can match in ``page``, with only those
    patterns. :meth:`first_match` answers as :meth:`RuleSet.first_match` does for
    any block text of that page."""

    def __init__(self, rules: Sequence[Rule], page: PageText) -> None:
        plan = _plan(rules)
        present = page.found(plan)
        # (rule, its max_chars, a test of one of its patterns), in rule then pattern order
        self._tests: list[tuple[Rule, int, Callable[[str], object]]] = [
            (rule, max_chars, test) for rule, max_chars, test, found in plan.entries
            if _admitted(found, present)]

    def first_match(self, text: str) -> Rule | None:
        """The first rule that admits ``text``'s length and matches it."""
        size = len(text)
        for rule, max_chars, test in self._tests:
            if size <= max_chars and test(text):
                return rule
        return None


class LineScreen:
    """:meth:`RuleSet.screen`'s test for the lines of one text (``page``): whether
    some pattern of ``rules`` that admits a line's length matches it, tried only with
    the patterns whose needles are in the text (a line of it holds no others)."""

    def __init__(self, rules: Sequence[Rule], page: PageText) -> None:
        plan = _plan(rules)
        present = page.found(plan)
        self.rules = [rule for rule, patterns in plan.rules
                      if any(_admitted(found, present) for found in patterns)]
        self._tests = [(max_chars, test) for _, max_chars, test, found in plan.by_length
                       if _admitted(found, present)]

    def search(self, line: str) -> bool:
        size = len(line)
        for max_chars, test in self._tests:
            if size > max_chars:
                return False  # the rest admit shorter lines still
            if test(line):
                return True
        return False
