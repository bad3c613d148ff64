-- The same tables as SQLite's; rowid stands for SQLite's implicit row number
-- (discovery order).
CREATE TABLE urls (
    rowid         BIGSERIAL UNIQUE,
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
    discovered_at DOUBLE PRECISION NOT NULL,
    fetched_at    DOUBLE PRECISION,
    next_fetch    DOUBLE PRECISION NOT NULL DEFAULT 0
);
CREATE INDEX urls_due ON urls (source_id, kind, next_fetch);
CREATE TABLE source_runs (
    source_id     TEXT PRIMARY KEY,
    last_started  DOUBLE PRECISION,
    last_finished DOUBLE PRECISION
);
CREATE TABLE runs (
    id       BIGSERIAL PRIMARY KEY,
    started  DOUBLE PRECISION NOT NULL,
    finished DOUBLE PRECISION,
    stats    TEXT
);
