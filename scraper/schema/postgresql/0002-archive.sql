CREATE TABLE bodies (
    sha256 TEXT PRIMARY KEY,
    size   BIGINT NOT NULL,
    data   BYTEA NOT NULL                     -- zlib-compressed raw body
);
CREATE TABLE responses (
    id          BIGSERIAL PRIMARY KEY,
    url         TEXT NOT NULL,
    final_url   TEXT NOT NULL,
    source_id   TEXT NOT NULL,
    fetched_at  DOUBLE PRECISION NOT NULL,
    status      INTEGER NOT NULL,
    headers     TEXT NOT NULL,                -- JSON object, lower-case names
    body_sha256 TEXT NOT NULL REFERENCES bodies (sha256)
);
CREATE INDEX responses_url ON responses (url);
CREATE TABLE articles (
    id           BIGSERIAL PRIMARY KEY,
    url          TEXT NOT NULL,
    version      INTEGER NOT NULL,
    source_id    TEXT NOT NULL,
    final_url    TEXT,
    fetched_at   DOUBLE PRECISION NOT NULL,
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
    response_id  BIGINT NOT NULL REFERENCES responses (id),
    cleaned_at   DOUBLE PRECISION NOT NULL,
    UNIQUE (url, version)
);
CREATE INDEX articles_source ON articles (source_id, fetched_at);
