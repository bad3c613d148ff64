"""A crawl of the demo site through real HTTP: what is stored, skipped and failed."""

from __future__ import annotations

import json
import sqlite3

import pytest

from scraper import Archive
from scraper.demo_site import DemoSite

from .conftest import SiteCrawler

JYT_ARTICLES = 10   # 8 on the list pages, 1 GBK, 1 only in the sitemap
NEWS_ARTICLES = 6   # 5 on the list pages, 1 only in the feed (the PDF is not an article)


def _urls(db) -> dict[str, tuple]:
    """Path -> (status, http_status, content_type, last_error) of every frontier URL."""
    conn = sqlite3.connect(db)
    rows = conn.execute("SELECT url, status, http_status, content_type, last_error FROM urls")
    return {row[0].split("/", 3)[3]: tuple(row[1:]) for row in rows}


def test_first_crawl_stores_every_article_once(crawler: SiteCrawler) -> None:
    stats = crawler.run(delay_s=0.05)
    with Archive(crawler.db, lock=False) as archive:
        jyt = list(archive.articles(source_id="demo-jyt"))
        news = list(archive.articles(source_id="demo-news"))
        assert archive.count_articles() == JYT_ARTICLES + NEWS_ARTICLES
    assert len(jyt) == JYT_ARTICLES and len(news) == NEWS_ARTICLES
    assert stats.get("store/article/new") == JYT_ARTICLES + NEWS_ARTICLES
    assert all(a.version == 1 and a.article.text for a in jyt + news)
    gbk = next(a for a in jyt if a.url.endswith("t20241020_100109.html"))
    assert gbk.encoding == "gb18030" and gbk.article.title == "示例省教育厅发布冬季学校防火提示"
    assert gbk.article.source == "示例省教育厅安全处"
    assert gbk.article.published == "2024-10-20T09:00:00+08:00"
    assert "隐患" in gbk.article.text and "字体" not in gbk.article.text


def test_boilerplate_is_stripped_and_traced(crawler: SiteCrawler) -> None:
    stats = crawler.run(delay_s=0.05)
    with Archive(crawler.db, lock=False) as archive:
        article = next(a.article for a in archive.articles(source_id="demo-news")
                       if a.url.endswith("c_1003.htm"))
    assert (article.source, article.author, article.editor) == ("示例日报", "李想", "周南")
    for junk in ("分享到", "猜你喜欢", "热门文章", "ICP", "您的位置", "责任编辑"):
        assert junk not in article.text
    rules = {r.rule for r in article.removed}
    assert {"share.bdshare", "nav.breadcrumb", "footer.copyright", "meta.editor"} <= rules
    assert "source.demo-news.drop" in rules  # the source's own drop_selectors
    assert stats.get("clean/removed/share.bshare") == JYT_ARTICLES


def test_failures_are_outcomes_not_crashes(crawler: SiteCrawler) -> None:
    stats = crawler.run(delay_s=0.05)
    urls = _urls(crawler.db)
    assert urls["xxgk/tzgg/202410/t20241019_100199.html"][:2] == ("gone", 404)
    assert urls["xxgk/tzgg/202410/t20241019_100199.html"][3] == "HTTPStatusError: HTTP 404"
    assert urls["2024-10/14/report_1007.pdf"][:3] == ("done", 200, "application/pdf")
    assert stats.get("store/article/skipped-content-type") == 1
    # the 500-then-200 page was retried within the pass and stored
    assert urls["xxgk/tzgg/202410/t20241016_100106.html"][:2] == ("done", 200)
    assert stats.get("fetch/retry/status/500") == 1


def test_no_retry_on_404(crawler: SiteCrawler, site: DemoSite) -> None:
    crawler.run(delay_s=0.05)
    assert site.hits("jyt", "/xxgk/tzgg/202410/t20241019_100199.html") == 1
    assert site.hits("jyt", "/xxgk/tzgg/202410/t20241016_100106.html") == 2


def test_retry_after_is_honoured(crawler: SiteCrawler, site: DemoSite) -> None:
    crawler.run(only=("demo-news",), delay_s=0.0, backoff_s=0.0)
    hits = [r for r in site.requests if r.path == "/2024-10/13/c_1004.htm"]
    assert [r.status for r in hits] == [503, 200]
    assert hits[1].at - hits[0].at >= 0.95  # Retry-After: 1


def test_robots_txt_is_obeyed(crawler: SiteCrawler, site: DemoSite) -> None:
    stats = crawler.run(only=("demo-jyt",), delay_s=0.05)
    assert site.hits("jyt", "/robots.txt") == 1
    assert site.hits("jyt", "/private/t20241011_900001.html") == 0
    status, _, _, error = _urls(crawler.db)["private/t20241011_900001.html"]
    assert status == "skipped" and error.startswith("RobotsDisallowedError")
    assert stats.get("fetch/skipped/robots") == 1


def test_politeness_spaces_requests_per_host(crawler: SiteCrawler, site: DemoSite) -> None:
    delay = 0.25
    crawler.run(delay_s=delay, concurrency=4)
    for host in ("jyt", "news"):
        times = sorted(r.at for r in site.requests if r.host == host)
        assert len(times) > 8
        gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
        assert min(gaps) >= delay - 0.02, (host, min(gaps))
    # the two hosts were crawled side by side, not one after the other
    jyt = [r.at for r in site.requests if r.host == "jyt"]
    news = [r.at for r in site.requests if r.host == "news"]
    assert min(news) < max(jyt) and min(jyt) < max(news)


def test_challenge_blocks_the_host_and_stores_nothing(crawler: SiteCrawler, site: DemoSite) -> None:
    stats = crawler.run(delay_s=0.05)
    assert stats.blocked == {site.bases["waf"].split("//")[1]: "ruishu-$_ts"}
    assert stats.get("fetch/error/ChallengeError", "demo-city") == 1
    with Archive(crawler.db, lock=False) as archive:
        assert archive.count_articles("demo-city") == 0
    status, _, _, error = _urls(crawler.db)["jyj/index.html"]
    assert status == "skipped" and error.startswith("ChallengeError:") and "ruishu-$_ts" in error
    # only the challenge page itself was requested, nothing behind it
    assert [r.path for r in site.requests if r.host == "waf"] == ["/robots.txt", "/jyj/index.html"]


def test_second_crawl_uses_304_and_stores_only_the_change(crawler: SiteCrawler,
                                                          site: DemoSite) -> None:
    crawler.run(delay_s=0.02)
    stats = crawler.run(delay_s=0.02)
    assert stats.get("store/article/new") == 0
    assert stats.get("store/article/changed") == 1
    assert stats.get("store/article/not-modified") == JYT_ARTICLES + NEWS_ARTICLES - 1 + 1  # + PDF
    assert stats.get("discover/list/stopped-no-new") == 2  # page 1 of each list brought nothing
    conditional = [r for r in site.requests if "if-none-match" in r.headers]
    assert conditional and all(r.status in (200, 304) for r in conditional)
    with Archive(crawler.db, lock=False) as archive:
        versions = list(archive.articles(source_id="demo-news", all_versions=True))
        changed = [a for a in versions if a.url.endswith("c_1005.htm")]
        assert [a.version for a in changed] == [1, 2]
        assert "更正" in changed[1].article.text and "更正" not in changed[0].article.text
        assert archive.count_articles() == JYT_ARTICLES + NEWS_ARTICLES + 1


def test_a_third_crawl_adds_nothing(crawler: SiteCrawler) -> None:
    for _ in range(2):
        crawler.run(delay_s=0.02)
    with Archive(crawler.db, lock=False) as archive:
        before = archive.count_articles()
        responses = archive.conn.execute("SELECT count(*) FROM responses").fetchone()[0]
    stats = crawler.run(delay_s=0.02)
    with Archive(crawler.db, lock=False) as archive:
        assert archive.count_articles() == before
        assert archive.conn.execute("SELECT count(*) FROM responses").fetchone()[0] == responses
    assert stats.total("store/article") == stats.get("store/article/not-modified")


def test_runs_are_recorded_with_their_stats(crawler: SiteCrawler) -> None:
    crawler.run(delay_s=0.02)
    conn = sqlite3.connect(crawler.db)
    (stats,) = conn.execute("SELECT stats FROM runs").fetchone()
    assert json.loads(stats)["counts"]["store/article/new"] == JYT_ARTICLES + NEWS_ARTICLES


@pytest.mark.parametrize("field", ["title", "published", "source"])
def test_every_jyt_article_has_its_metadata(crawler: SiteCrawler, field: str) -> None:
    crawler.run(only=("demo-jyt",), delay_s=0.02)
    with Archive(crawler.db, lock=False) as archive:
        assert all(getattr(a.article, field) for a in archive.articles())


def test_raw_only_crawl_then_reclean(crawler: SiteCrawler) -> None:
    from scraper import load_config, reclean

    stats = crawler.run(delay_s=0.02, clean_pages=False)
    assert stats.get("store/article/raw") == JYT_ARTICLES + NEWS_ARTICLES
    assert stats.total("clean/removed") == 0
    sources = {s.id: s for s in load_config(crawler.sources_file())[1]}
    with Archive(crawler.db) as archive:
        assert archive.count_articles() == 0
        counts = reclean(archive, sources)
        assert counts["cleaned"] == JYT_ARTICLES + NEWS_ARTICLES and counts["failed"] == 0
        assert archive.count_articles() == JYT_ARTICLES + NEWS_ARTICLES
        assert reclean(archive, sources)["cleaned"] == 0  # nothing left raw
        titles = {a.article.title for a in archive.articles(source_id="demo-jyt")}
    assert "示例省教育厅发布冬季学校防火提示" in titles


def test_an_unreachable_source_does_not_stop_the_others(crawler: SiteCrawler) -> None:
    import socket

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        dead = probe.getsockname()[1]
    crawler.extra_sources = ('\n[[source]]\nid = "gone"\nname = "gone"\n'
                             f'start_urls = ["http://127.0.0.1:{dead}/index.html"]\n')
    stats = crawler.run(delay_s=0.02, max_attempts=2, backoff_s=0.0)
    # robots.txt unreachable: an error of the host, not a robots skip
    assert stats.get("fetch/error/RobotsUnavailableError", "gone") == 1
    assert stats.get("fetch/skipped/robots", "gone") == 0
    assert stats.verdict("gone") == ("failed", "robots.txt unreachable")
    assert stats.get("store/article/new") == JYT_ARTICLES + NEWS_ARTICLES
    status, _, _, error = _urls(crawler.db)["index.html"]
    assert status == "failed" and error.startswith("RobotsUnavailableError: robots.txt unreachable")

