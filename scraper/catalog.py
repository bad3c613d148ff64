"""What each table, view and column of the archive holds, as Datasette metadata.

``zhengwen datasette-metadata -o metadata.json`` writes it, so that
``datasette data/zhengwen.sqlite -m metadata.json`` explains itself. A test checks
that every table and view of a fresh archive is described here.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["TABLES", "datasette_metadata"]

_ARTICLE_COLUMNS = {
    "id": "Article version id (what `zhengwen explain ID` takes)",
    "url": "Canonical URL of the page", "version": "1 for the first text seen, +1 per change",
    "source_id": "Source id from the sources file",
    "final_url": "URL after redirects", "fetched_at": "When the page was fetched",
    "http_status": "HTTP status of the response", "encoding": "Character encoding the page was decoded with",
    "text_hash": "sha256 of title and text: what decides 'changed'",
    "title": "Article title", "text": "Cleaned body text, one paragraph per line",
    "published": "Publication time, ISO 8601 (Asia/Shanghai offset when the time is known)",
    "source": "来源: the publisher the page names", "author": "作者", "editor": "责任编辑",
    "sitename": "The site's name", "keywords": "JSON list of keywords",
    "original_url": "URL of the original when the page says it is a reprint",
    "language": "Detected language (zh, en, ...)",
    "script": "Hans (Simplified) or Hant (Traditional) for Chinese",
    "removed": "JSON list of [rule, text]: every block the cleaner removed and the rule that did",
    "provenance": "JSON object: where each field came from (meta:og:site_name, "
                  "line:meta.source@header, heading ...)",
    "body_source": "Where the body text came from: the located block, its template "
                   "siblings, or the extractor's reading of the pruned page",
    "attachments": "JSON list of [name, url]: the article's attachment links (附件)",
    "located_by": "How the body was found: the content rule's name, 'score' (paragraph "
                  "scoring), or empty",
    "response_id": "The raw response (responses.id) it was cleaned from",
    "cleaned_at": "When it was last cleaned",
}

#: table or view -> (title, description, {column: description})
_TABLES: dict[str, tuple[str, str, dict[str, str]]] = {
    "articles": ("Article versions", "Every cleaned version of every article; a page whose text "
                 "changes gets a new version, an unchanged one does not.", _ARTICLE_COLUMNS),
    "latest_articles": ("Latest articles", "Each URL's newest version, with its reprint cluster; "
                        "times as ISO 8601 text in UTC.",
                        _ARTICLE_COLUMNS | {"cluster_id": "Reprint cluster (reprints.cluster_id)"}),
    "responses": ("Raw responses", "Every stored HTTP response; its body is in bodies.", {
        "id": "Response id", "url": "Requested URL", "final_url": "URL after redirects",
        "source_id": "Source id", "fetched_at": "When it was fetched", "status": "HTTP status",
        "headers": "JSON object of response headers (lower-case names)",
        "body_sha256": "The body (bodies.sha256)",
        "kind": "What it was fetched as: article, list, sitemap, feed or robots"}),
    "bodies": ("Raw bodies", "Response bodies, stored once per content hash, zlib-compressed.", {
        "sha256": "sha256 of the raw body", "size": "Size in bytes before compression",
        "data": "zlib-compressed body"}),
    "urls": ("Frontier", "Every URL the crawler knows and its state.", {
        "url": "Canonical URL", "source_id": "Source id",
        "kind": "article, list, sitemap or feed",
        "status": "new, done, failed, gone (404/410) or skipped (robots.txt, anti-bot)",
        "http_status": "Last HTTP status", "content_type": "Last Content-Type",
        "etag": "ETag for conditional GET", "last_modified": "Last-Modified for conditional GET",
        "content_hash": "sha256 of the last body seen",
        "attempts": "Failures since the last success",
        "last_error": "Why the last attempt failed: 'ErrorClass: message'",
        "discovered_at": "When it was first found", "fetched_at": "When it was last fetched",
        "next_fetch": "Not fetched again before this time",
        "outcome": "What the last fetch gave: new, changed, unchanged, empty, binary ...",
        "note": "Why, for outcomes that are not articles",
        "leased_by": "The worker fetching it now (host:pid:tag), if any",
        "leased_until": "Its lease runs out then; a killed worker's URLs return to the pool",
        "taken_at": "When a worker last took it: a pass takes a URL once"}),
    "source_runs": ("Source runs", "When each source last started and finished a pass.", {
        "source_id": "Source id", "last_started": "Start of its last pass",
        "last_finished": "End of its last complete pass",
        "claimed_by": "The worker reading its list pages, sitemaps and feeds now, if any",
        "claimed_until": "That claim runs out then",
        "discovered_at": "When its discovery was last completed: the workers of an unfinished "
                         "pass fetch what it found"}),
    "hosts": ("Hosts", "Per-host politeness shared by every crawl worker of the archive.", {
        "host": "host[:port]", "holder": "The worker with a request to it in flight",
        "busy_until": "That request's slot runs out then, should its worker die",
        "next_at": "No request to the host starts before this time (delay, Retry-After)"}),
    "runs": ("Crawl runs", "One row per crawl pass, with its statistics.", {
        "id": "Run id (what `zhengwen report --run` takes)", "started": "Start of the pass",
        "finished": "End of the pass",
        "stats": "JSON: counters (fetch/status/200, store/article/new, clean/removed/<rule>...), "
                 "per source, and blocked hosts",
        "command": "The command that ran it: crawl, schedule, sources try ...",
        "status": "running, finished or stopped", "exit_code": "The command's exit code",
        "summary": "One line per source: what it did"}),
    "reprints": ("Reprint links", "The MinHash signature and reprint cluster of each article "
                 "version.", {
        "article_id": "Article version (articles.id)",
        "cluster_id": "Cluster: the id of its first article; equal ids are one text",
        "matched_id": "The article it was found similar to, if any",
        "similarity": "Estimated Jaccard similarity of character shingles with matched_id",
        "signature": "MinHash values (128 uint32, little-endian)"}),
    "reprint_bands": ("Reprint LSH bands", "Locality-sensitive hashing keys: articles sharing a "
                      "key are candidate reprints.", {
        "band_key": "Hash of one band of a signature", "article_id": "Article version"}),
    "articles_fts": ("Search index", "Full-text index (FTS5, trigram) over titles and texts; "
                     "query with MATCH for three characters or more.", {
        "title": "Article title", "text": "Cleaned text"}),
    "templates": ("Site templates", "What recurs on each host's pages, learned as the crawl "
                  "goes; cleaning removes it (rules template.<host>).", {
        "host": "Host name", "pages": "Pages it was learned from",
        "data": "The template as JSON (recurring lines and blocks, with sample texts)",
        "updated_at": "When it was last updated"}),
    "source_health": ("Source health", "Per pass and source, figures that show a site's "
                      "redesign (empty texts, text length, fields filled), against the "
                      "source's own history.", {
        "source_id": "Source id", "figure": "empty_text, median_chars, filled/title ...",
        "run_started": "The pass (runs.started)", "value": "The figure in this pass",
        "samples": "Pages the value was computed from",
        "baseline": "Median of the previous passes, if any",
        "drifting": "1 when the figure left its baseline"}),
    "migrations": ("Schema migrations", "Migrations applied to this archive.", {
        "name": "Migration name", "applied_at": "When it was applied"}),
}


#: Every table and view; the ``*_iso`` views are their tables with epoch seconds as ISO text.
TABLES = _TABLES | {
    f"{name}_iso": (f"{title} (ISO times)", f"{description} Times as ISO 8601 text in UTC.",
                    columns)
    for name, (title, description, columns) in _TABLES.items()
    if name in ("urls", "responses", "articles", "runs", "source_runs")}


def datasette_metadata(db: str | Path) -> dict[str, object]:
    """Datasette metadata for the archive at ``db`` (keyed by its file stem, as Datasette does)."""
    tables: dict[str, dict[str, object]] = {
        name: {"title": title, "description": description, "columns": columns}
        for name, (title, description, columns) in TABLES.items()}
    for shadow in ("data", "idx", "content", "docsize", "config"):
        tables[f"articles_fts_{shadow}"] = {"hidden": True}
    return {"title": "zhengwen archive",
            "description": "Articles crawled from Chinese government and news sites, cleaned, "
                           "versioned, searchable, with their raw pages and reprint clusters.",
            "databases": {Path(db).stem: {"tables": tables}}}
