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
