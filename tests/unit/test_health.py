"""Health figures and drift judgement against a source's own history."""

from __future__ import annotations

import sqlite3

import pytest

from cleaners import Article
from scraper.database import Database
from scraper.health import MIN_ARTICLES, SourceHealth, check_health, count_article, count_list_page
from scraper.migrations import migrate
from scraper.stats import Stats


@pytest.fixture
def conn() -> Database:
    conn = Database(sqlite3.connect(":memory:"), "sqlite", ":memory:")
    migrate(conn)
    return conn


def _pass(conn: Database, started: float, articles: list[Article],
          list_links: tuple[int, ...] = (5,)) -> Stats:
    stats = Stats()
    for article in articles:
        count_article(stats, "s", article)
    for links in list_links:
        count_list_page(stats, "s", links)
    check_health(conn, stats, ["s"], started)
    return stats


GOOD = Article(title="标题", text="正文" * 200, published="2024-10-12", source="某厅",
               located_by="source.s.content")


def test_steady_passes_never_drift(conn: Database) -> None:
    for run in range(5):
        assert _pass(conn, run, [GOOD] * 4).drifting == {}
    figures = {f.figure: f for f in SourceHealth(conn).latest()}
    assert figures["median_chars"].value == 400 and figures["median_chars"].baseline == 400
    assert figures["filled/published"].value == 1.0 and figures["filled/author"].value == 0.0
    assert figures["list_no_links"].value == 0.0


@pytest.mark.parametrize(("broken", "figures"), [
    (Article(title="标题", text="", located_by=None), {"empty_text", "median_chars",
                                                     "content_rule", "filled/published",
                                                     "filled/source"}),
    (Article(title="标题", text="正文" * 30, published="2024-10-12", source="某厅",
             located_by="score"), {"median_chars", "content_rule"}),
    (Article(title="标题", text="正文" * 200, located_by="source.s.content"),
     {"filled/published", "filled/source"}),
])
def test_a_sharp_move_drifts(conn: Database, broken: Article, figures: set) -> None:
    _pass(conn, 1, [GOOD] * 4)
    stats = _pass(conn, 2, [broken] * MIN_ARTICLES)
    assert {f["figure"] for f in stats.drifting["s"]} == figures
    assert all(f["since"] == 2 for f in stats.drifting["s"])


def test_too_few_pages_are_not_judged_and_keep_the_state(conn: Database) -> None:
    _pass(conn, 1, [GOOD] * 4)
    broken = Article(text="", title="标题")
    assert _pass(conn, 2, [broken] * (MIN_ARTICLES - 1)).drifting == {}
    assert "empty_text" in {f["figure"] for f in _pass(conn, 3, [broken] * 3).drifting["s"]}
    still = _pass(conn, 4, [])  # nothing cleaned: the last judged state stands
    assert {f["since"] for f in still.drifting["s"]} == {3}
    assert _pass(conn, 5, [GOOD] * 3).drifting == {}  # fixed: enough good pages say so


def test_a_list_page_without_links_drifts_at_once(conn: Database) -> None:
    _pass(conn, 1, [], list_links=(8, 6))
    stats = _pass(conn, 2, [], list_links=(0,))
    assert [(f["figure"], f["value"], f["baseline"]) for f in stats.drifting["s"]] == [
        ("list_no_links", 1.0, 0.0)]


def test_history_is_pruned(conn: Database) -> None:
    for run in range(80):
        _pass(conn, run, [], list_links=(3,))
    kept = conn.execute("SELECT count(*) FROM source_health").fetchone()[0]
    assert 0 < kept < 80
