-- What a response was fetched as: article, list, sitemap, feed or robots.
ALTER TABLE responses ADD COLUMN kind TEXT NOT NULL DEFAULT 'article';
DROP VIEW IF EXISTS responses_iso;
CREATE VIEW responses_iso AS SELECT id, url, final_url, source_id, kind,
    zw_iso(fetched_at) AS fetched_at, status, headers, body_sha256 FROM responses;
