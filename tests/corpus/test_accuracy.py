"""Accuracy gates on ../shared/corpus (deterministic: same pages, same code, same score).

Every gold set (Chinese full text, other languages, English, trafilatura's snippet
pages): mean 4-gram F1 at least trafilatura's default on the same set; the Chinese
set at 0.95 with the general algorithm alone (no site-family selectors); no page
more than 0.1 below trafilatura. The magic-html pages' full-page dumps: mean F1
>= 0.93, none at 0. Each page is cleaned once per session.
"""

from __future__ import annotations

import io
import statistics
from pathlib import Path

import pytest

from bench.corpus import SETS, all_pages
from bench.eval import WORST_SHOWN, PageResult, evaluate, report
from cleaners import clean_html

GENERAL_MEAN_F1_BAR = 0.95       # magic-html, without sites.toml
MAX_GAP_BELOW_TRAFILATURA = 0.1  # no page of any set further below trafilatura's default
DUMP_MEAN_F1_FLOOR = 0.93


@pytest.fixture(scope="session")
def results(corpus_root: Path) -> list[PageResult]:
    return evaluate(general_sets=("magic-html",))


def _rows(results: list[PageResult], source: str) -> list[PageResult]:
    rows = [r for r in results if r.page.source == source]
    assert rows, f"no pages of the gold set {source}"
    return rows


@pytest.mark.parametrize("source", SETS)
def test_mean_f1_at_least_trafilatura(results: list[PageResult], source: str) -> None:
    rows = _rows(results, source)
    ours = statistics.fmean(r.ours.f1 for r in rows)
    theirs = statistics.fmean(r.trafilatura.f1 for r in rows)
    assert ours >= theirs, f"{source}: mean F1 {ours:.3f} below trafilatura's {theirs:.3f}"


def test_general_algorithm_reaches_the_bar(results: list[PageResult]) -> None:
    rows = _rows(results, "magic-html")
    assert len(rows) == 43
    mean = statistics.fmean(r.general.f1 for r in rows if r.general is not None)
    assert mean >= GENERAL_MEAN_F1_BAR, f"without sites.toml: mean F1 {mean:.3f}"


@pytest.mark.parametrize("source", SETS)
def test_no_page_far_below_trafilatura(results: list[PageResult], source: str) -> None:
    worse = {r.page.name: round(r.gap, 3) for r in _rows(results, source)
             if r.gap < -MAX_GAP_BELOW_TRAFILATURA}
    assert worse == {}


def test_snippet_pages(results: list[PageResult]) -> None:
    for r in _rows(results, "trafilatura"):
        assert r.ours.f1 >= r.trafilatura.f1, r.page.name


def test_full_page_dumps_floor(results: list[PageResult]) -> None:
    rows = _rows(results, "magic-html")
    assert statistics.fmean(r.dump.f1 for r in rows) >= DUMP_MEAN_F1_FLOOR
    assert [r.page.name for r in rows if r.dump.f1 == 0] == []  # every page has an article


def test_report_has_a_row_per_set_and_the_worst_pages(results: list[PageResult]) -> None:
    out = io.StringIO()
    report(results, out)
    lines = out.getvalue().splitlines()
    assert "w/o sites" in lines[0] and "below>0.2" in lines[0]
    for source in SETS:
        assert any(line.startswith(source + " ") for line in lines), source
    worst = lines[lines.index(f"worst {WORST_SHOWN} pages against trafilatura:") + 1:]
    assert len(worst) == WORST_SHOWN and all("body:" in line for line in worst)


def test_every_corpus_page_cleans_without_error(corpus_root: Path) -> None:
    pages = all_pages(corpus_root)
    assert len(pages) >= 100
    empty = []
    for name, path, url in pages:
        article = clean_html(path.read_bytes(), url)
        if not article.text:
            empty.append(name)
    assert len(empty) <= 2, empty
