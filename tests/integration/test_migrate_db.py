"""``zhengwen migrate-db``: a crawled SQLite archive copied into PostgreSQL (and back)
reads, searches, reports and crawls on as the original does."""

from __future__ import annotations

import asyncio
import json
import re
import sqlite3
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner

import scraper.transfer as transfer_module
from scraper import Archive, ArchiveError, Stats, crawl, load_config
from scraper.cli import cli
from scraper.transfer import TABLES, transfer

from .conftest import SiteCrawler


def _invoke(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def _fails(*args: str) -> str:
    """A command run as installed (through the CLI's error boundary) that exits with 2:
    its stderr."""
    done = subprocess.run([sys.executable, "-m", "scraper", *args], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    return done.stderr


def _export(db: str) -> list[dict]:
    out = _invoke("export", "--db", db, "--format", "jsonl", "--all-versions")
    return [json.loads(line) for line in out.splitlines()]


def _crawl(crawler: SiteCrawler, db: str) -> Stats:
    settings, sources = load_config(crawler.sources_file())
    with Archive(db) as archive:
        return asyncio.run(crawl(sources, archive, replace(settings, delay_s=0.02), force=True,
                                 cleaner=crawler.cleaner))


def _pg_rows(url: str, sql: str) -> list[tuple]:
    with psycopg.connect(url) as conn:
        return conn.execute(sql).fetchall()


@pytest.fixture
def copied(crawler: SiteCrawler, postgres_url: str) -> tuple[str, str]:
    """The demo site crawled once into SQLite, then copied into PostgreSQL."""
    crawler.run(delay_s=0.02)
    out = _invoke("migrate-db", str(crawler.db), postgres_url)
    assert "copied" in out and "articles" in out
    return str(crawler.db), postgres_url


def test_the_copy_exports_the_same_records(copied: tuple[str, str]) -> None:
    sqlite_db, pg = copied
    original = _export(sqlite_db)
    assert original and _export(pg) == original
    with sqlite3.connect(sqlite_db) as conn:
        urls = conn.execute("SELECT rowid, url, status, content_hash FROM urls "
                            "ORDER BY rowid").fetchall()
        health = conn.execute("SELECT count(*) FROM source_health").fetchone()[0]
        ids = conn.execute("SELECT id, url, version, response_id FROM articles "
                           "ORDER BY id").fetchall()
    assert _pg_rows(pg, "SELECT id, url, version, response_id FROM articles ORDER BY id") == ids
    assert _pg_rows(pg, "SELECT rowid, url, status, content_hash FROM urls ORDER BY rowid") == urls
    assert _pg_rows(pg, "SELECT count(*) FROM source_health") == [(health,)]
    assert _pg_rows(pg, "SELECT count(*) FROM hosts") == [(0,)]


def test_the_summary_counts_every_table(crawler: SiteCrawler, postgres_url: str) -> None:
    crawler.run(delay_s=0.02, only=("demo-news",))
    out = _invoke("migrate-db", str(crawler.db), postgres_url)
    total = 0
    with sqlite3.connect(crawler.db) as conn:
        for table in TABLES:
            count = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            row = next(line for line in out.splitlines() if f" {table} " in line)
            assert re.findall(r"\d+", row) == [str(count)] * 2, row
            total += count
    assert total > 0
    assert f"copied {total} rows from {crawler.db} to {postgres_url} in " in out


def test_search_runs_templates_and_report_work_on_the_copy(copied: tuple[str, str],
                                                         tmp_path: Path) -> None:
    sqlite_db, pg = copied
    for args in (["search", "教育"], ["search", "学校 安全"], ["runs"], ["templates"],
                 ["sources", "health", "--json"], ["export", "--format", "csv"]):
        assert _invoke(*args, "--db", pg) == _invoke(*args, "--db", sqlite_db), args
    host = _invoke("templates", "--db", pg).split("\t")[0]
    assert _invoke("templates", host, "--db", pg) == _invoke("templates", host, "--db", sqlite_db)
    with sqlite3.connect(sqlite_db) as conn:
        article_id = str(conn.execute("SELECT max(id) FROM articles").fetchone()[0])
    for name, db in (("pg.html", pg), ("sqlite.html", sqlite_db)):
        _invoke("explain", article_id, "--db", db, "-o", str(tmp_path / name))
    assert (tmp_path / "pg.html").read_bytes() == (tmp_path / "sqlite.html").read_bytes()
    _invoke("report", "--db", pg, "-o", str(tmp_path / "pg"))
    _invoke("report", "--db", sqlite_db, "-o", str(tmp_path / "sqlite"))
    pages = sorted(p.relative_to(tmp_path / "pg") for p in (tmp_path / "pg").rglob("*.html"))
    assert pages and pages == sorted(p.relative_to(tmp_path / "sqlite")
                                     for p in (tmp_path / "sqlite").rglob("*.html"))
    assert ((tmp_path / "pg" / "index.html").read_text(encoding="utf-8")
            == (tmp_path / "sqlite" / "index.html").read_text(encoding="utf-8"))


def test_a_crawl_on_the_copy_goes_on_where_the_original_stopped(
        copied: tuple[str, str], crawler: SiteCrawler) -> None:
    _, pg = copied
    before = {r["id"]: r for r in _export(pg)}
    [(max_id,)] = _pg_rows(pg, "SELECT max(id) FROM articles")
    [(max_response,)] = _pg_rows(pg, "SELECT max(id) FROM responses")
    stats = _crawl(crawler, pg)
    assert stats.get("store/article/new") == 0
    assert stats.get("store/article/changed") == 1  # the demo site's one changing page
    assert stats.get("store/article/not-modified") > 0
    after = _export(pg)
    assert len(after) == len(before) + 1
    assert all(r == before[r["id"]] for r in after if r["id"] in before)
    new_ids = _pg_rows(pg, f"SELECT id, version FROM articles WHERE id > {max_id}")
    assert [v for _, v in new_ids] == [2]
    assert _pg_rows(pg, f"SELECT count(*) > 0 FROM responses WHERE id > {max_response}") == [(True,)]
    [(max_rowid,)] = _pg_rows(pg, "SELECT max(rowid) FROM urls")
    with Archive(pg) as archive, archive.transaction():
        archive.frontier.add(["http://127.0.0.1:9/found-later.html"], "demo-jyt", "article")
    assert _pg_rows(pg, "SELECT url FROM urls ORDER BY rowid DESC LIMIT 1") == [
        ("http://127.0.0.1:9/found-later.html",)]
    [(rowid,)] = _pg_rows(pg, "SELECT rowid FROM urls WHERE url LIKE '%found-later%'")
    assert rowid > max_rowid  # after every copied one (re-found URLs use up serials too)


def test_a_target_holding_data_is_refused(copied: tuple[str, str], tmp_path: Path) -> None:
    sqlite_db, pg = copied
    out = _fails("migrate-db", sqlite_db, pg)
    assert "the target already holds data" in out and "articles: " in out
    assert "***" not in out and pg.rsplit("/", 1)[1] in out
    with Archive(pg, readonly=True) as archive:  # nothing was added
        assert len(list(archive.articles(all_versions=True))) == len(_export(sqlite_db))


def test_copying_back_to_sqlite_gives_the_same_archive(copied: tuple[str, str],
                                                       tmp_path: Path) -> None:
    sqlite_db, pg = copied
    back = tmp_path / "back.sqlite"
    _invoke("migrate-db", pg, str(back))
    assert _export(str(back)) == _export(sqlite_db)
    query = "SELECT rowid, url, status FROM urls ORDER BY rowid"
    with sqlite3.connect(sqlite_db) as a, sqlite3.connect(back) as b:
        assert a.execute(query).fetchall() == b.execute(query).fetchall()
        for table in ("bodies", "reprints", "reprint_bands", "source_health"):
            rows = f"SELECT * FROM {table} ORDER BY 1, 2"
            assert a.execute(rows).fetchall() == b.execute(rows).fetchall(), table
        fts = "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH '教育厅'"
        assert a.execute(fts).fetchone() == b.execute(fts).fetchone() != (0,)
    assert _invoke("search", "教育厅", "--db", str(back)) == _invoke("search", "教育厅", "--db",
                                                                   sqlite_db)


def test_sqlite_to_sqlite(crawler: SiteCrawler, tmp_path: Path) -> None:
    crawler.run(delay_s=0.02, only=("demo-jyt",))
    copy = tmp_path / "copy.sqlite"
    _invoke("migrate-db", str(crawler.db), str(copy))
    assert _export(str(copy)) == _export(str(crawler.db))


def test_bad_input_is_named(tmp_path: Path, postgres_url: str) -> None:
    missing = _fails("migrate-db", str(tmp_path / "none.sqlite"), postgres_url)
    assert "none.sqlite: no archive here" in missing
    notes = tmp_path / "notes.sqlite"
    notes.write_bytes(b"not a database " * 100)
    assert "notes.sqlite: not a usable archive" in _fails("migrate-db", str(notes), postgres_url)
    empty = tmp_path / "empty.sqlite"
    sqlite3.connect(empty).close()
    assert "empty.sqlite: not a zhengwen archive" in _fails("migrate-db", str(empty),
                                                            postgres_url)
    assert "not a zhengwen archive" in _fails("migrate-db", postgres_url,
                                              str(tmp_path / "x.sqlite"))
    down = "postgresql://zw:secret@127.0.0.1:1/archive"
    archive = tmp_path / "ok.sqlite"
    Archive(archive).close()
    refused = _fails("migrate-db", str(archive), down)
    assert "postgresql://zw:***@127.0.0.1:1/archive: cannot connect" in refused
    copy = tmp_path / "copy.sqlite"
    refused = _fails("migrate-db", down, str(copy))
    assert "postgresql://zw:***@127.0.0.1:1/archive: cannot connect" in refused
    assert "secret" not in refused


def test_an_old_archive_is_refused_saying_how(tmp_path: Path, postgres_url: str) -> None:
    old = tmp_path / "old.sqlite"
    with Archive(old) as archive:
        archive.conn.execute("DELETE FROM migrations WHERE name = '0013-leases'")
        archive.conn.commit()
    out = _fails("migrate-db", str(old), postgres_url)
    assert "needs an upgrade (0013-leases)" in out and "writing command" in out


def test_small_batches_copy_the_same(crawler: SiteCrawler, postgres_url: str,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    crawler.run(delay_s=0.02, only=("demo-jyt",))
    monkeypatch.setattr(transfer_module, "BATCH", 3)
    done = transfer(str(crawler.db), postgres_url)
    assert done.rows["articles"][1] > 3 and all(a == b for a, b in done.rows.values())
    assert _export(postgres_url) == _export(str(crawler.db))


def test_a_failed_copy_leaves_the_target_empty(crawler: SiteCrawler, postgres_url: str,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    crawler.run(delay_s=0.02, only=("demo-jyt",))
    copy_table = transfer_module._copy_table

    def failing(source: object, target: object, table: str) -> int:
        if table == "runs":
            raise ArchiveError("invented failure while copying runs")
        return copy_table(source, target, table)  # type: ignore[arg-type]

    monkeypatch.setattr(transfer_module, "_copy_table", failing)
    with pytest.raises(ArchiveError, match="invented failure"):
        transfer(str(crawler.db), postgres_url)
    for table in TABLES:
        assert _pg_rows(postgres_url, f"SELECT count(*) FROM {table}") == [(0,)], table
    monkeypatch.undo()
    transfer(str(crawler.db), postgres_url)  # the empty target takes a copy again
    assert _export(postgres_url) == _export(str(crawler.db))


def test_leases_and_claims_are_not_copied(tmp_path: Path, postgres_url: str) -> None:
    """A crawl killed holding leases leaves them in its archive; the copy has no workers."""
    source = tmp_path / "killed.sqlite"
    with Archive(source) as archive, archive.transaction():
        archive.frontier.add(["http://127.0.0.1:9/a.html", "http://127.0.0.1:9/b.html"], "s",
                             "article")
        archive.conn.execute("UPDATE urls SET leased_by = 'w1', leased_until = 9e9")
        archive.conn.execute("INSERT INTO source_runs (source_id, claimed_by, claimed_until) "
                             "VALUES ('s', 'w1', 9e9)")
    transfer(str(source), postgres_url)
    assert _pg_rows(postgres_url, "SELECT url, leased_by, leased_until FROM urls ORDER BY rowid") \
        == [("http://127.0.0.1:9/a.html", None, None), ("http://127.0.0.1:9/b.html", None, None)]
    assert _pg_rows(postgres_url, "SELECT source_id, claimed_by FROM source_runs") == [("s", None)]
