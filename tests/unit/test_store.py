import sqlite3
from pathlib import Path

import pytest

from cleaners import Article, Removal
from scraper import Archive, ArchiveError, ArchiveLockedError, FetchResult
from scraper.migrations import migrations


def _result(body: bytes = b"<p>x</p>") -> FetchResult:
    return FetchResult(url="http://a.cn/1.html", final_url="http://a.cn/1.html", status=200,
                       headers={"content-type": "text/html"}, body=body, fetched_at=1.0e9)


def _store(archive: Archive, article: Article, body: bytes = b"<p>x</p>") -> str:
    with archive.transaction():
        archive.frontier.add(["http://a.cn/1.html"], "s", "article")
        rid = archive.put_response(_result(body), "s")
        return archive.put_article(article, url="http://a.cn/1.html", source_id="s",
                                   result=_result(body), response_id=rid)


def test_versions_grow_only_with_changed_text(tmp_path: Path) -> None:
    with Archive(tmp_path / "a.sqlite") as archive:
        first = Article(url="http://a.cn/1.html", title="标题", text="正文一",
                        removed=[Removal("nav.breadcrumb", "当前位置")], keywords=["教育"])
        assert _store(archive, first) == "new"
        assert _store(archive, first, b"<p>x</p><!-- counter 2 -->") == "unchanged"
        assert _store(archive, Article(title="标题", text="正文二")) == "changed"
        stored = list(archive.articles(all_versions=True))
        assert [s.version for s in stored] == [1, 2]
        assert stored[0].article == first
        assert [s.version for s in archive.articles()] == [2]
        assert archive.response_of(stored[0].id).body == b"<p>x</p>"


def test_provenance_is_kept(tmp_path: Path) -> None:
    with Archive(tmp_path / "a.sqlite") as archive:
        article = Article(title="标题", text="正文一", published="2024-05-20",
                          provenance={"title": "heading", "published": "meta:PubDate"})
        _store(archive, article)
        (stored,) = archive.articles()
        assert stored.article.provenance == article.provenance


def test_one_writer_at_a_time(tmp_path: Path) -> None:
    db = tmp_path / "a.sqlite"
    with Archive(db, command="reclean"):
        with pytest.raises(ArchiveLockedError, match=r"in use by zhengwen reclean \(pid \d+\)"):
            Archive(db)
        with Archive(db, lock=False) as reader:  # readers need no lock
            assert reader.count_articles() == 0
    Archive(db).close()  # released on close


def test_not_an_archive_is_named(tmp_path: Path) -> None:
    db = tmp_path / "notes.sqlite"
    db.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(ArchiveError, match="notes.sqlite"):
        Archive(db)


def test_migrations_apply_once(tmp_path: Path) -> None:
    db = tmp_path / "a.sqlite"
    Archive(db).close()
    with Archive(db) as archive:
        names = [r[0] for r in archive.conn.execute("SELECT name FROM migrations ORDER BY name")]
    assert names == [name for name, _ in migrations("sqlite")]


def test_a_read_only_open_reads_and_never_writes(tmp_path: Path) -> None:
    db = tmp_path / "a.sqlite"
    with Archive(db) as archive:
        _store(archive, Article(title="标题", text="正文一", language="zh", script="Hans"))
    with Archive(db, readonly=True) as archive:
        [stored] = archive.articles()
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            archive.conn.execute("DELETE FROM articles")
    assert (stored.article.language, stored.article.script) == ("zh", "Hans")
    with pytest.raises(ArchiveError, match="none.sqlite: no archive here"):
        Archive(tmp_path / "none.sqlite", readonly=True)


def test_old_language_tags_are_migrated_and_views_give_iso_times(tmp_path: Path) -> None:
    db = tmp_path / "old.sqlite"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE migrations (name TEXT PRIMARY KEY, applied_at REAL)")
    for name, sql in migrations("sqlite")[:2]:
        conn.executescript(sql)
        conn.execute("INSERT INTO migrations VALUES (?, 0)", (name,))
    conn.execute("INSERT INTO bodies VALUES ('h', 1, x'00')")
    conn.execute("INSERT INTO responses VALUES (1, 'u', 'u', 's', 0, 200, '{}', 'h')")
    conn.execute("INSERT INTO articles (url, version, source_id, fetched_at, text_hash, text, "
                 "language, response_id, cleaned_at) VALUES ('u', 1, 's', 1.7e9, 'x', '正文', "
                 "'zh-Hant', 1, 1.7e9)")
    conn.commit()
    conn.close()
    with Archive(db) as archive:
        [stored] = archive.articles()
        (fetched,) = archive.conn.execute("SELECT fetched_at FROM articles_iso").fetchone()
    assert (stored.article.language, stored.article.script) == ("zh", "Hant")
    assert fetched == "2023-11-14T22:13:20.000Z"
