-- Several workers on one archive: a URL is leased to one worker until leased_until
-- (a killed worker's leases run out and its URLs return to the pool; a pass takes a
-- URL once, as taken_at says, whatever became of it); a source's
-- discovery is claimed by one worker; hosts hold the per-host politeness state that
-- every worker obeys. Times are epoch seconds of the database's clock.
ALTER TABLE urls ADD COLUMN leased_by TEXT;
ALTER TABLE urls ADD COLUMN leased_until REAL;
ALTER TABLE urls ADD COLUMN taken_at REAL;        -- last leased: a pass takes a URL once
ALTER TABLE source_runs ADD COLUMN claimed_by TEXT;
ALTER TABLE source_runs ADD COLUMN claimed_until REAL;
ALTER TABLE source_runs ADD COLUMN discovered_at REAL;  -- its discovery last completed
CREATE TABLE hosts (
    host       TEXT PRIMARY KEY,                 -- host[:port]
    holder     TEXT,                             -- the worker with a request in flight
    busy_until REAL,                             -- its slot runs out then, if it died
    next_at    REAL NOT NULL DEFAULT 0           -- no request starts before (delay, Retry-After)
);
