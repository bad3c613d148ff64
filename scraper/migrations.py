"""Schema migrations: named, ordered, each applied once inside its own transaction.

A new migration is appended; an applied one is never edited (the name is its key).
"""

from __future__ import annotations

import sqlite3
import time

__all__ = ["MIGRATIONS", "migrate", "pending"]

MIGRATIONS: tuple[tuple[str, str], ...] = (
    ("0001-frontier", """
        CREATE TABLE urls (
            url           TEXT PRIMARY KEY,
            source_id     TEXT NOT NULL,
            kind          TEXT NOT NULL,              -- article | list | sitemap | feed
            status        TEXT NOT NULL DEFAULT 'new',-- new | done | failed | gone | skipped
            http_status   INTEGER,
            content_type  TEXT,
            etag          TEXT,
            last_modified TEXT,
            content_hash  TEXT,                       -- sha256 of the last body seen
            attempts      INTEGER NOT NULL DEFAULT 0, -- failures since the last success
            last_error    TEXT,                       -- 'ClassName: message'
            discovered_at REAL NOT NULL,
            fetched_at    REAL,
            next_fetch    REAL NOT NULL DEFAULT 0
        );
        CREATE INDEX urls_due ON urls (source_id, kind, next_fetch);
        CREATE TABLE source_runs (
            source_id     TEXT PRIMARY KEY,
            last_started  REAL,
            last_finished REAL
        );
        CREATE TABLE runs (
            id       INTEGER PRIMARY KEY,
            started  REAL NOT NULL,
            finished REAL,
            stats    TEXT
        );
    """),
    ("0002-archive", """
        CREATE TABLE bodies (
            sha256 TEXT PRIMARY KEY,
            size   INTEGER NOT NULL,
            data   BLOB NOT NULL                      -- zlib-compressed raw body
        );
        CREATE TABLE responses (
            id          INTEGER PRIMARY KEY,
            url         TEXT NOT NULL,
            final_url   TEXT NOT NULL,
            source_id   TEXT NOT NULL,
            fetched_at  REAL NOT NULL,
            status      INTEGER NOT NULL,
            headers     TEXT NOT NULL,                -- JSON object, lower-case names
            body_sha256 TEXT NOT NULL REFERENCES bodies (sha256)
        );
        CREATE INDEX responses_url ON responses (url);
        CREATE TABLE articles (
            id           INTEGER PRIMARY KEY,
            url          TEXT NOT NULL,
            version      INTEGER NOT NULL,
            source_id    TEXT NOT NULL,
            final_url    TEXT,
            fetched_at   REAL NOT NULL,
            http_status  INTEGER,
            encoding     TEXT,
            text_hash    TEXT NOT NULL,
            title        TEXT,
            text         TEXT NOT NULL,
            published    TEXT,
            source       TEXT,
            author       TEXT,
            editor       TEXT,
            sitename     TEXT,
            keywords     TEXT NOT NULL DEFAULT '[]',
            original_url TEXT,
            language     TEXT,
            removed      TEXT NOT NULL DEFAULT '[]',
            response_id  INTEGER NOT NULL REFERENCES responses (id),
            cleaned_at   REAL NOT NULL,
            UNIQUE (url, version)
        );
        CREATE INDEX articles_source ON articles (source_id, fetched_at);
    """),
    ("0003-outcomes-runs-script", """
        ALTER TABLE urls ADD COLUMN outcome TEXT;     -- new | changed | unchanged | empty | binary ...
        ALTER TABLE urls ADD COLUMN note TEXT;        -- why, for outcomes that are not articles
        ALTER TABLE runs ADD COLUMN command TEXT;     -- crawl | schedule | sources try ...
        ALTER TABLE runs ADD COLUMN status TEXT;      -- running | finished | stopped
        ALTER TABLE runs ADD COLUMN exit_code INTEGER;
        ALTER TABLE runs ADD COLUMN summary TEXT;     -- one line per source: what it did
        ALTER TABLE articles ADD COLUMN script TEXT;  -- Hans | Hant (language is 'zh')
        UPDATE articles SET script = substr(language, 4), language = 'zh'
            WHERE language IN ('zh-Hans', 'zh-Hant');
        UPDATE runs SET command = 'crawl', status = 'finished' WHERE finished IS NOT NULL;
    """),
    ("0004-iso-views", """
        CREATE VIEW urls_iso AS SELECT url, source_id, kind, status, outcome, note, http_status,
            content_type, etag, last_modified, content_hash, attempts, last_error,
            strftime('%Y-%m-%dT%H:%M:%fZ', discovered_at, 'unixepoch') AS discovered_at,
            strftime('%Y-%m-%dT%H:%M:%fZ', fetched_at, 'unixepoch') AS fetched_at,
            strftime('%Y-%m-%dT%H:%M:%fZ', next_fetch, 'unixepoch') AS next_fetch
            FROM urls;
        CREATE VIEW responses_iso AS SELECT id, url, final_url, source_id,
            strftime('%Y-%m-%dT%H:%M:%fZ', fetched_at, 'unixepoch') AS fetched_at, status,
            headers, body_sha256 FROM responses;
        CREATE VIEW articles_iso AS SELECT id, url, version, source_id, final_url,
            strftime('%Y-%m-%dT%H:%M:%fZ', fetched_at, 'unixepoch') AS fetched_at, http_status,
            encoding, text_hash, title, text, published, source, author, editor, sitename,
            keywords, original_url, language, script, removed, response_id,
            strftime('%Y-%m-%dT%H:%M:%fZ', cleaned_at, 'unixepoch') AS cleaned_at
            FROM articles;
        CREATE VIEW runs_iso AS SELECT id, command, status, exit_code,
            strftime('%Y-%m-%dT%H:%M:%fZ', started, 'unixepoch') AS started,
            strftime('%Y-%m-%dT%H:%M:%fZ', finished, 'unixepoch') AS finished, summary, stats
            FROM runs;
        CREATE VIEW source_runs_iso AS SELECT source_id,
            strftime('%Y-%m-%dT%H:%M:%fZ', last_started, 'unixepoch') AS last_started,
            strftime('%Y-%m-%dT%H:%M:%fZ', last_finished, 'unixepoch') AS last_finished
            FROM source_runs;
    """),
    # What a response was fetched as: article, list, sitemap, feed or robots.
    ("0005-response-kind", """
        ALTER TABLE responses ADD COLUMN kind TEXT NOT NULL DEFAULT 'article';
        DROP VIEW IF EXISTS responses_iso;
        CREATE VIEW responses_iso AS SELECT id, url, final_url, source_id, kind,
            strftime('%Y-%m-%dT%H:%M:%fZ', fetched_at, 'unixepoch') AS fetched_at, status,
            headers, body_sha256 FROM responses;
    """),
    ("0006-templates", """
        CREATE TABLE templates (
            host       TEXT PRIMARY KEY,
            pages      INTEGER NOT NULL,
            data       TEXT NOT NULL,                 -- SiteTemplate.to_dict() as JSON
            updated_at REAL NOT NULL
        );
    """),
    ("0007-source-health", """
        CREATE TABLE source_health (
            source_id   TEXT NOT NULL,
            figure      TEXT NOT NULL,                -- empty_text, median_chars, filled/title …
            run_started REAL NOT NULL,                -- the pass (runs.started)
            value       REAL NOT NULL,
            samples     INTEGER NOT NULL,             -- pages the value was computed from
            baseline    REAL,                         -- median of the previous passes, if any
            drifting    INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (source_id, figure, run_started)
        );
        ALTER TABLE articles ADD COLUMN located_by TEXT;  -- content rule name, 'score', NULL
    """),
    ("0008-article-provenance", """
        ALTER TABLE articles ADD COLUMN provenance TEXT NOT NULL DEFAULT '{}';  -- field -> origin
    """),
    # How the body was found, and the attachment links (附件) as JSON [[name, url], ...].
    ("0009-body-source-attachments", """
        ALTER TABLE articles ADD COLUMN body_source TEXT;
        ALTER TABLE articles ADD COLUMN attachments TEXT NOT NULL DEFAULT '[]';
    """),
    ("0010-search", """
        -- Full-text search over every article version. The trigram tokenizer needs no word
        -- segmentation, so it serves Chinese; triggers keep it in step with each write.
        CREATE VIRTUAL TABLE articles_fts USING fts5 (
            title, text, content = 'articles', content_rowid = 'id', tokenize = 'trigram');
        CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
            INSERT INTO articles_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
        END;
        CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
            INSERT INTO articles_fts (articles_fts, rowid, title, text)
                VALUES ('delete', old.id, old.title, old.text);
        END;
        CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN
            INSERT INTO articles_fts (articles_fts, rowid, title, text)
                VALUES ('delete', old.id, old.title, old.text);
            INSERT INTO articles_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
        END;
        INSERT INTO articles_fts (articles_fts) VALUES ('rebuild');
    """),
    ("0011-reprints", """
        -- MinHash signatures and LSH band keys: a new article finds its candidates with
        -- one indexed query. cluster_id is the id of the cluster's first article.
        CREATE TABLE reprints (
            article_id INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
            cluster_id INTEGER NOT NULL,
            matched_id INTEGER,                   -- the article it matched, NULL if none
            similarity REAL,                      -- estimated Jaccard with matched_id
            signature  BLOB NOT NULL              -- MinHash values, uint32 little-endian
        );
        CREATE INDEX reprints_cluster ON reprints (cluster_id);
        CREATE TABLE reprint_bands (
            band_key   INTEGER NOT NULL,          -- hash of (band number, band values)
            article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE
        );
        CREATE INDEX reprint_bands_key ON reprint_bands (band_key);
        CREATE INDEX reprint_bands_article ON reprint_bands (article_id);
    """),
    ("0012-latest-articles", """
        -- Each URL's newest version, timestamps in ISO 8601, with its reprint cluster.
        CREATE VIEW latest_articles AS
            SELECT a.*, r.cluster_id
            FROM articles_iso a LEFT JOIN reprints r ON r.article_id = a.id
            WHERE a.version = (SELECT max(b.version) FROM articles b WHERE b.url = a.url);
    """),
)


def pending(conn: sqlite3.Connection) -> list[str]:
    """Names of the migrations not yet applied (all of them on an empty database)."""
    has_table = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'migrations'").fetchone()
    done = {row[0] for row in conn.execute("SELECT name FROM migrations")} if has_table else set()
    return [name for name, _ in MIGRATIONS if name not in done]


def _statements(sql: str) -> list[str]:
    """The script's statements, split where SQLite says one is complete."""
    statements, current = [], ""
    for line in sql.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            statements.append(current)
            current = ""
    return statements


def migrate(conn: sqlite3.Connection) -> list[str]:
    """Apply the migrations not yet applied; return their names.

    Each runs in an IMMEDIATE transaction that first checks it is still pending, so
    two processes opening a new archive at once (a crawl and a reader) apply each
    migration once: the second waits for the first, then finds it done.
    """
    conn.execute("CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at REAL)")
    conn.commit()
    done = {row[0] for row in conn.execute("SELECT name FROM migrations")}
    applied = []
    for name, sql in MIGRATIONS:
        if name in done:
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            if conn.execute("SELECT 1 FROM migrations WHERE name = ?", (name,)).fetchone():
                conn.rollback()
                continue
            for statement in _statements(sql):
                conn.execute(statement)
            conn.execute("INSERT INTO migrations VALUES (?, ?)", (name, time.time()))
            conn.commit()
        except BaseException:
            conn.rollback()
            raise
        applied.append(name)
    return applied
