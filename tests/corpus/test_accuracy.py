"""Accuracy gate on ../shared/corpus (deterministic: same pages, same code, same score).

The bar: mean 4-gram F1 >= 0.93 on the 43 magic-html gold pages, no page more than
0.05 below trafilatura's default extraction, and every trafilatura snippet page at
least as good as trafilatura itself. Their full-page dumps: mean F1 >= 0.93, none at 0.
"""

from __future__ import annotations

import statistics
from pathlib import Path

import pytest

from bench.corpus import all_pages
from bench.eval import PageResult, evaluate
from cleaners import clean_html

MEAN_F1_BAR = 0.93
MAX_GAP_BELOW_TRAFILATURA = 0.05
DUMP_MEAN_F1_FLOOR = 0.93


@pytest.fixture(scope="module")
def results(corpus_root: Path) -> list[PageResult]:
    return evaluate()


def test_mean_f1_on_magic_html_gold(results: list[PageResult]) -> None:
    rows = [r for r in results if r.page.source == "magic-html"]
    assert len(rows) == 43
    mean = statistics.fmean(r.ours.f1 for r in rows)
    assert mean >= MEAN_F1_BAR, f"mean F1 {mean:.3f} below the bar {MEAN_F1_BAR}"


def test_no_page_far_below_trafilatura(results: list[PageResult]) -> None:
    worse = {r.page.name: round(r.ours.f1 - r.trafilatura.f1, 3) for r in results
             if r.ours.f1 < r.trafilatura.f1 - MAX_GAP_BELOW_TRAFILATURA}
    assert worse == {}


def test_snippet_pages(results: list[PageResult]) -> None:
    rows = [r for r in results if r.page.source == "trafilatura"]
    assert len(rows) == 3
    for r in rows:
        assert r.ours.f1 >= r.trafilatura.f1, r.page.name


def test_full_page_dumps_floor(results: list[PageResult]) -> None:
    rows = [r for r in results if r.page.source == "magic-html"]
    assert statistics.fmean(r.dump.f1 for r in rows) >= DUMP_MEAN_F1_FLOOR
    assert [r.page.name for r in rows if r.dump.f1 == 0] == []  # every page has an article


def test_every_corpus_page_cleans_without_error(corpus_root: Path) -> None:
    pages = all_pages(corpus_root)
    assert len(pages) >= 100
    empty = []
    for name, path, url in pages:
        article = clean_html(path.read_bytes(), url)
        if not article.text:
            empty.append(name)
    assert len(empty) <= 2, empty
