"""A static check that refuses the regex shape behind catastrophic backtracking.

Python's ``re`` backtracks: a quantifier inside a repeated group (``(a+)+``,
``(\\s*x\\s*)+``) lets one text be split between the iterations in exponentially many
ways, and a line that almost matches then takes hours. Every rule pattern, built-in
or user, must pass this check when its file is loaded, so no rule can hang the
cleaner on a hostile page; the per-document time limit of the isolated cleaner is
the backstop for slow patterns of other shapes (such as ``(a|aa)+``).

The check walks the parse tree of Python's own parser, so it judges exactly what
``re`` will run. Refused: an unbounded quantifier (``*``, ``+``, ``{n,}``) inside a
group that repeats more than once. Allowed, because they cannot give characters back
to the enclosing repeat: a possessive quantifier (``\\s*+``), an atomic group
(``(?>…)``) and a lookaround, each checked on its own. Bounded inner quantifiers
(``.{0,12}``) are allowed.
"""

from __future__ import annotations

from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

__all__ = ["nested_quantifier"]

_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT)


def _parts(op: object, av: Any, outer: bool) -> list[tuple[list, bool]]:
    """The sub-patterns of one parsed item, each with whether it sits in a repeat."""
    if op in _REPEATS:
        return [(av[2], outer or av[1] > 1)]
    if op is sre.POSSESSIVE_REPEAT:
        return [(av[2], False)]
    if op is sre.ATOMIC_GROUP:
        return [(av, False)]
    if op in (sre.ASSERT, sre.ASSERT_NOT):
        return [(av[1], False)]
    if op is sre.SUBPATTERN:
        return [(av[3], outer)]
    if op is sre.BRANCH:
        return [(branch, outer) for branch in av[1]]
    if op is sre.GROUPREF_EXISTS:
        return [(branch, outer) for branch in av[1:] if branch is not None]
    return []


def _walk(items: list, outer: bool) -> bool:
    """Whether ``items`` hold an unbounded backtracking quantifier; ``outer`` tells
    whether they sit inside a group that repeats."""
    for op, av in items:
        if op in _REPEATS and outer and av[1] == sre.MAXREPEAT:
            return True
        if any(_walk(list(sub), inner) for sub, inner in _parts(op, av, outer)):
            return True
    return False


def nested_quantifier(pattern: str) -> str | None:
    """Why ``pattern`` risks catastrophic backtracking, or ``None`` when it passes
    the check (see the module docstring). ``pattern`` must compile."""
    parsed = sre_parse.parse(pattern)
    if not _walk(list(parsed), False):
        return None
    return ("an unbounded quantifier (*, + or {n,}) inside a repeated group can backtrack "
            "catastrophically; make the inner one possessive (*+, ++) or atomic (?>...), "
            "or bound it ({0,20})")

