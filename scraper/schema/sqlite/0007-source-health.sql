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
