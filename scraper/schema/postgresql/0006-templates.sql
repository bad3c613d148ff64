CREATE TABLE templates (
    host       TEXT PRIMARY KEY,
    pages      INTEGER NOT NULL,
    data       TEXT NOT NULL,                 -- SiteTemplate.to_dict() as JSON
    updated_at DOUBLE PRECISION NOT NULL
);
