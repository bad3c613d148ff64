-- zw_iso: epoch seconds as ISO 8601 UTC text, as SQLite's strftime gives it.
CREATE FUNCTION zw_iso(seconds DOUBLE PRECISION) RETURNS TEXT LANGUAGE sql IMMUTABLE AS $$
    SELECT to_char(to_timestamp(seconds) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
$$;
CREATE VIEW urls_iso AS SELECT url, source_id, kind, status, outcome, note, http_status,
    content_type, etag, last_modified, content_hash, attempts, last_error,
    zw_iso(discovered_at) AS discovered_at, zw_iso(fetched_at) AS fetched_at,
    zw_iso(next_fetch) AS next_fetch
    FROM urls;
CREATE VIEW responses_iso AS SELECT id, url, final_url, source_id,
    zw_iso(fetched_at) AS fetched_at, status, headers, body_sha256 FROM responses;
CREATE VIEW articles_iso AS SELECT id, url, version, source_id, final_url,
    zw_iso(fetched_at) AS fetched_at, http_status,
    encoding, text_hash, title, text, published, source, author, editor, sitename,
    keywords, original_url, language, script, removed, response_id,
    zw_iso(cleaned_at) AS cleaned_at
    FROM articles;
CREATE VIEW runs_iso AS SELECT id, command, status, exit_code,
    zw_iso(started) AS started, zw_iso(finished) AS finished, summary, stats
    FROM runs;
CREATE VIEW source_runs_iso AS SELECT source_id,
    zw_iso(last_started) AS last_started, zw_iso(last_finished) AS last_finished
    FROM source_runs;
