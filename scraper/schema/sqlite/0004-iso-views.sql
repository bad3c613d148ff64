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
