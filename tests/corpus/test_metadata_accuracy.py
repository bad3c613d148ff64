"""Metadata gate on the hand-made gold (fixtures/gold/metadata.json): deterministic,
same pages and same code give the same counts.

The bars sit just under what the field stage reaches, so a change that loses fields
on the gold fails here; see ``make eval`` for the table beside trafilatura and GNE.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.metadata_eval import (
    FIELDS,
    GOLD_PATH,
    GoldEntry,
    Scores,
    field_right,
    gold_entries,
    ours_on_dump,
    score,
)

OVERALL_BAR = 0.94
FIELD_BARS = {"title": 0.97, "published": 0.95, "source": 0.85, "author": 0.90, "editor": 0.97}
DUMP_OVERALL_BAR = 0.80


@pytest.fixture(scope="module")
def entries(corpus_root: Path) -> list[GoldEntry]:
    found = gold_entries(GOLD_PATH)
    assert len(found) >= 120
    return found


@pytest.fixture(scope="module")
def scores(entries: list[GoldEntry]) -> Scores:
    return score(entries)


def test_overall_share_of_field_checks(scores: Scores) -> None:
    assert scores.share() >= OVERALL_BAR, scores.misses


@pytest.mark.parametrize("field", FIELDS)
def test_each_field(scores: Scores, field: str) -> None:
    assert scores.share(field) >= FIELD_BARS[field], [m for m in scores.misses if m[1] == field]


def test_full_page_dumps_get_the_same_fields(entries: list[GoldEntry]) -> None:
    dumps = score(entries, ours_on_dump)
    assert dumps.share() >= DUMP_OVERALL_BAR, dumps.misses


@pytest.mark.parametrize(("field", "gold", "got", "right"), [
    ("published", "2019-09-07 13:43", "2019-09-07T13:43:45+08:00", True),
    ("published", "2019-09-07 13:43", "2019-09-07T13:44:00+08:00", False),
    ("published", "2019-09-07", "2019-09-07T23:59:00-05:00", True),
    ("published", "", "2019-09-07", False),
    ("author", "", "张三", None),
    ("editor", "", None, True),
    ("editor", "张三  李四", "张三 李四", True),
])
def test_comparison(field: str, gold: str, got, right) -> None:
    assert field_right(field, gold, got) is right
