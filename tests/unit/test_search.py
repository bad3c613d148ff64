"""Search: the trigram index follows every write and is built for older archives
(whose versions are linked into reprint clusters on the same first opening)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from cleaners import Article
from scraper import Archive, FetchResult
from scraper.migrations import migrations
from scraper.search import MARK_END, MARK_START, search

NOTICE = "示例省教育厅关于做好秋季学期学生资助工作的通知。各地要准确认定资助对象。"


def _put(archive: Archive, url: str, article: Article, source: str = "s") -> None:
    result = FetchResult(url=url, final_url=url, status=200, headers={}, body=url.encode(),
                         fetched_at=1e9)
    with archive.transaction():
        archive.put_article(article, url=url, source_id=source, result=result)


def test_finds_new_versions_only_with_snippets(tmp_path: Path) -> None:
    with Archive(tmp_path / "a.sqlite") as archive:
        _put(archive, "http://a.cn/1", Article(title="通知", text=NOTICE))
        _put(archive, "http://b.cn/2", Article(title="新闻", text="地铁三号线开通试运营。"), "news")
        hits = search(archive.conn, "学生资助")
        assert [h.url for h in hits] == ["http://a.cn/1"]
        assert f"{MARK_START}学生资助{MARK_END}" in hits[0].snippet
        _put(archive, "http://a.cn/1", Article(title="通知", text="已撤回。"))  # version 2
        assert search(archive.conn, "学生资助") == []
        assert [h.version for h in search(archive.conn, "撤回")] == [2]  # two chars: LIKE
        assert [h.url for h in search(archive.conn, "开通 地铁", source_id="news")] == [
            "http://b.cn/2"]
        assert search(archive.conn, "开通", source_id="s") == []


def test_recleaned_text_is_reindexed(tmp_path: Path) -> None:
    with Archive(tmp_path / "a.sqlite") as archive:
        _put(archive, "http://a.cn/1", Article(text=NOTICE))
        with archive.transaction():
            archive.replace_article(1, Article(text="高标准农田建设项目开工。"))
        assert search(archive.conn, "资助对象") == []
        assert [h.article_id for h in search(archive.conn, "农田建设")] == [1]


def test_migration_indexes_an_existing_archive(tmp_path: Path) -> None:
    db = tmp_path / "old.sqlite"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE migrations (name TEXT PRIMARY KEY, applied_at REAL)")
    search_at = next(i for i, (name, _) in enumerate(migrations("sqlite")) if name.endswith("-search"))
    for name, sql in migrations("sqlite")[:search_at]:  # the archive as it was before search and reprints
        conn.executescript(sql)
        conn.execute("INSERT INTO migrations VALUES (?, 0)", (name,))
    conn.execute("INSERT INTO bodies VALUES ('x', 0, x'')")
    conn.execute("INSERT INTO responses (id, url, final_url, source_id, fetched_at, status, "
                 "headers, body_sha256) VALUES (1, 'http://a.cn/1', 'http://a.cn/1', 's', 1e9, "
                 "200, '{}', 'x')")
    for url in ("http://a.cn/1", "http://b.cn/1"):
        conn.execute("INSERT INTO articles (url, version, source_id, fetched_at, text_hash, "
                     "title, text, response_id, cleaned_at) VALUES (?, 1, 's', 1e9, 'h', 't', ?, "
                     "1, 1e9)", (url, NOTICE))
    conn.commit()
    conn.close()
    with Archive(db) as archive:
        assert {h.url for h in search(archive.conn, "秋季学期")} == {"http://a.cn/1",
                                                                   "http://b.cn/1"}
        rows = archive.conn.execute("SELECT fetched_at, cluster_id FROM latest_articles").fetchall()
        assert rows == [("2001-09-09T01:46:40.000Z", 1)] * 2  # ISO times; one reprint cluster
