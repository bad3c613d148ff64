"""Every built-in pattern runs in near-linear time on adversarial lines.

Attack lines are built from each pattern's own pieces (its literals, a sample of each
character class), separators, whitespace and the rule's examples, repeated on a
ladder of growing sizes and ended by one character that makes the match fail, which
is what drives a backtracking engine into its worst case. Doubling the size may at
most triple the time; no absolute time is asserted (timings under a noise floor are
too short to compare and are not judged). Times are the thread's CPU time, so a busy
machine does not pass for a slow pattern.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from re import Pattern
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]

import pytest

from cleaners import default_rules
from cleaners.rules import Rule

SEPARATORS = (" ", "\u3000", "|", "｜", "丨", ":", "：", "【", "】", "[", "]", "-", "a", "1",
              "年", "。", "\n")
FAIL = "\x00"
MAX_CHARS = 2048
MAX_RATIO = 3.0  # per doubling: linear gives 2, quadratic 4, exponential far more
NOISE_FLOOR_S = 2e-3  # shorter runs are too noisy to compare; a slow pattern soon exceeds it
CATEGORY_SAMPLES = {sre.CATEGORY_SPACE: " ", sre.CATEGORY_DIGIT: "1", sre.CATEGORY_WORD: "a",
                    sre.CATEGORY_NOT_SPACE: "a", sre.CATEGORY_NOT_DIGIT: "a",
                    sre.CATEGORY_NOT_WORD: " "}


def pieces(items: list) -> Iterator[str]:
    """The literal runs of a parsed pattern and one sample of each character class."""
    run: list[str] = []
    for op, av in items:
        if op is sre.LITERAL:
            run.append(chr(av))
            continue
        if run:
            yield "".join(run)
            run = []
        if op is sre.IN:
            for kind, value in av:
                if kind is sre.LITERAL:
                    yield chr(value)
                elif kind is sre.RANGE:
                    yield chr(value[0])
                elif kind is sre.CATEGORY:
                    yield CATEGORY_SAMPLES.get(value, " ")
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            yield from pieces(av[2])
        elif op is sre.SUBPATTERN:
            yield from pieces(av[3])
        elif op in (sre.ATOMIC_GROUP,):
            yield from pieces(av)
        elif op in (sre.ASSERT, sre.ASSERT_NOT):
            yield from pieces(av[1])
        elif op is sre.BRANCH:
            for branch in av[1]:
                yield from pieces(branch)
    if run:
        yield "".join(run)


def attack_units(rule: Rule, pattern: Pattern[str]) -> list[str]:
    """Units whose repetition probes ``pattern``: its pieces alone and glued to each
    separator (before and after), and each example line alone and with a separator."""
    own = set(pieces(list(sre_parse.parse(pattern.pattern))))
    examples = {line for e in rule.examples for line in e.splitlines() if line.strip()}
    units = own | set(SEPARATORS) | examples
    units |= {p + s for p in own | examples for s in SEPARATORS}
    units |= {s + p for p in own for s in SEPARATORS}
    units |= {p + s * 5 + "|" for p in own for s in (" ", "\u3000")}
    return sorted(u for u in units if u)


def _seconds(call: Callable[[str], object], text: str, careful: bool = False) -> float:
    """CPU seconds of one run; ``careful``: the best of runs spread over a tenth of
    a second of CPU time at least."""
    best, began, runs = float("inf"), time.thread_time(), 0
    while runs < 1 or (careful and (runs < 5 or time.thread_time() - began < 0.1)):
        start = time.thread_time()
        call(text)
        best = min(best, time.thread_time() - start)
        runs += 1
    return best


def assert_near_linear(call: Callable[[str], object], unit: str,
                       max_chars: int = MAX_CHARS) -> None:
    """Time ``call`` on ``unit`` × 1, 2, 4 … (+ FAIL); each doubling at most MAX_RATIO."""
    previous: tuple[str, float] | None = None
    count = 1
    while len(unit) * count <= max_chars:
        text = unit * count + FAIL
        spent = _seconds(call, text)
        if previous is not None and spent > NOISE_FLOOR_S and spent / previous[1] > MAX_RATIO:
            # A slow single run may be the machine: measure both again before judging.
            spent, before = _seconds(call, text, True), _seconds(call, previous[0], True)
            assert spent / max(before, 1e-7) <= MAX_RATIO or spent <= NOISE_FLOOR_S, (
                f"{unit!r} × {count}: {spent / max(before, 1e-7):.1f}× the time of × {count // 2}")
        previous = (text, max(spent, 1e-7))
        count *= 2


RULES = [rule for rule in default_rules().rules if rule.patterns]


@pytest.mark.parametrize("rule", RULES, ids=[r.name for r in RULES])
def test_every_builtin_pattern_is_near_linear(rule: Rule) -> None:
    for pattern in rule.patterns:
        for unit in attack_units(rule, pattern):
            assert_near_linear(pattern.search, unit)


def test_the_combined_screen_is_near_linear() -> None:
    """The screen of every line rule (its lowest tier holds every pattern; the other
    tiers hold subsets of it, so they cost no more)."""
    rules = default_rules()
    screens = rules.screen("drop-list", "field", "drop")
    screens.search("x")  # compiles the lowest tier
    members = [r for r in rules.rules if r.patterns]
    units = sorted({u for r in members for u in attack_units(r, r.patterns[0])
                    if len(u) > 1 and u not in SEPARATORS})
    screen = screens._tiers[0]
    assert screen is not None
    # A fixed sample of the units, up to 1,024 chars: no screened text exceeds the
    # largest max_chars (300), and the patterns alone are proven on the full ladder.
    for unit in random.Random(0).sample(units, 200):
        assert_near_linear(screen.search, unit, max_chars=1024)
