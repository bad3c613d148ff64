"""The crawl benchmark's check of the site's request log: it is what reports a duplicate
fetch or a politeness breach across workers, so it must see them."""

from bench.pgcrawl import PgRun, check_log

ARTICLE = "/list/202410/t20241001_{}.html"


def _checked(served: list[tuple[int, str, float, float]]) -> PgRun:
    run = PgRun("postgresql", 2, clean=False, delay_s=0.0)
    check_log(run, served)
    return run


def test_sequential_requests_pass_and_give_the_shortest_gap() -> None:
    served = [(0, "/robots.txt", 0.0, 0.1), (0, "/list/index.html", 0.4, 0.5),
              (0, ARTICLE.format(1), 0.75, 0.8), (1, ARTICLE.format(1), 0.0, 1.0)]
    run = _checked(served)
    assert (run.requests, run.article_requests, run.list_requests, run.robots_requests) == \
        (len(served), 2, 1, 1)
    assert run.duplicate_fetches == 0 and run.overlaps == 0
    assert abs(run.min_gap_ms - 250.0) < 1e-6


def test_an_article_served_twice_is_a_duplicate_whatever_the_order() -> None:
    served = [(3, ARTICLE.format(7), 2.0, 2.1), (3, ARTICLE.format(8), 0.0, 0.1),
              (3, ARTICLE.format(7), 1.0, 1.1)]
    assert _checked(served).duplicate_fetches == 1


def test_a_request_inside_another_to_the_same_host_is_an_overlap() -> None:
    # The second starts while the first is in flight; the third starts after the second
    # ended but while the long first one still runs.
    served = [(0, ARTICLE.format(1), 0.0, 3.0), (0, ARTICLE.format(2), 1.0, 1.5),
              (0, ARTICLE.format(3), 2.0, 2.5), (1, ARTICLE.format(1), 1.0, 1.5)]
    run = _checked(served)
    assert run.overlaps == 2
    assert run.min_gap_ms == float("inf")
