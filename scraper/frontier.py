"""Per-URL crawl state in the archive's SQLite file.

Write methods do not commit: the crawl wraps each page's writes in
``Archive.transaction()``, so a killed crawl leaves each page fully stored or not at all.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["Frontier", "UrlState"]


@dataclass(frozen=True)
class UrlState:
    url: str
    source_id: str
    kind: str
    status: str
    etag: str | None
    last_modified: str | None
    content_hash: str | None
    attempts: int
    last_error: str | None
    next_fetch: float


_COLUMNS = "url, source_id, kind, status, etag, last_modified, content_hash, attempts, " \
           "last_error, next_fetch"


class Frontier:
    """The URLs a crawl knows, with what happened to each."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def add(self, urls: Iterable[str], source_id: str, kind: str) -> int:
        """Record URLs not seen before (due at once); return how many were new."""
        now = time.time()
        before = self._conn.total_changes
        self._conn.executemany(
            "INSERT OR IGNORE INTO urls (url, source_id, kind, discovered_at) VALUES (?, ?, ?, ?)",
            [(u, source_id, kind, now) for u in urls])
        return self._conn.total_changes - before

    def state(self, url: str) -> UrlState | None:
        row = self._conn.execute(f"SELECT {_COLUMNS} FROM urls WHERE url = ?", (url,)).fetchone()
        return UrlState(*row) if row else None

    def due(self, source_id: str, kind: str, *, limit: int, max_failures: int,
            now: float | None = None) -> list[UrlState]:
        """URLs of a source that may be fetched now: new first, then the oldest due."""
        rows = self._conn.execute(
            f"SELECT {_COLUMNS} FROM urls WHERE source_id = ? AND kind = ? AND next_fetch <= ? "
            "AND status != 'gone' AND attempts < ? "
            "ORDER BY status != 'new', next_fetch, rowid LIMIT ?",
            (source_id, kind, time.time() if now is None else now, max_failures, limit))
        return [UrlState(*row) for row in rows]

    def counts(self, source_id: str | None = None) -> dict[str, int]:
        """URLs per status, for the summary."""
        where, args = ("WHERE source_id = ?", (source_id,)) if source_id else ("", ())
        rows = self._conn.execute(f"SELECT status, count(*) FROM urls {where} GROUP BY status", args)
        return dict(rows.fetchall())

    def mark_done(self, url: str, *, http_status: int, content_type: str | None,
                  etag: str | None, last_modified: str | None, content_hash: str | None,
                  next_fetch: float, outcome: str | None = None, note: str | None = None) -> None:
        """Fetched. ``outcome`` says what the page gave (``new``, ``empty``, ``binary`` …)
        and ``note`` why, when it is not an article; ``None`` keeps the previous outcome."""
        self._conn.execute(
            "UPDATE urls SET status = 'done', http_status = ?, content_type = ?, etag = ?, "
            "last_modified = ?, content_hash = ?, attempts = 0, last_error = NULL, "
            "fetched_at = ?, next_fetch = ?, outcome = coalesce(?, outcome), "
            "note = CASE WHEN ? IS NULL THEN note ELSE ? END WHERE url = ?",
            (http_status, content_type, etag, last_modified, content_hash, time.time(),
             next_fetch, outcome, outcome, note, url))

    def mark_not_modified(self, url: str, *, next_fetch: float) -> None:
        self._conn.execute(
            "UPDATE urls SET http_status = 304, attempts = 0, last_error = NULL, fetched_at = ?, "
            "next_fetch = ? WHERE url = ?", (time.time(), next_fetch, url))

    def mark_failed(self, url: str, error: Exception, *, gone: bool = False,
                    http_status: int | None = None, next_fetch: float) -> None:
        """Record a failure; ``gone`` (404/410) is final, others count toward max_failures."""
        self._conn.execute(
            "UPDATE urls SET status = ?, http_status = coalesce(?, http_status), "
            "attempts = attempts + 1, last_error = ?, fetched_at = ?, next_fetch = ? WHERE url = ?",
            ("gone" if gone else "failed", http_status,
             f"{type(error).__name__}: {getattr(error, 'reason', error)}",
             time.time(), next_fetch, url))

    def mark_skipped(self, url: str, error: Exception, *, next_fetch: float) -> None:
        """Not fetched (robots.txt, a challenged host); looked at again after ``next_fetch``."""
        self._conn.execute(
            "UPDATE urls SET status = 'skipped', last_error = ?, next_fetch = ? WHERE url = ?",
            (f"{type(error).__name__}: {getattr(error, 'reason', error)}", next_fetch, url))

    def reset_discovery(self, source_id: str) -> None:
        """List pages, sitemaps and feeds are read again on every pass."""
        self._conn.execute("UPDATE urls SET next_fetch = 0 WHERE source_id = ? AND kind != 'article'",
                           (source_id,))

    def listing(self, source_id: str) -> list[tuple[str, str, str, str | None, str | None]]:
        """``(url, kind, status, outcome, last_error)`` of a source's URLs, in discovery order."""
        return self._conn.execute(
            "SELECT url, kind, status, outcome, last_error FROM urls WHERE source_id = ? "
            "ORDER BY rowid", (source_id,)).fetchall()
