"""Per-URL crawl state in the archive, shared by every worker that crawls it.

Write methods do not commit: the crawl wraps each page's writes in
``Archive.transaction()``, so a killed crawl leaves each page fully stored or not at all.

Workers take URLs by lease (:meth:`Frontier.lease`): a leased URL is theirs until
``leased_until``, and marking it fetched, failed or skipped ends the lease. A worker
killed with -9 ends nothing; its leases run out and the URLs return to the pool. On
PostgreSQL the lease query skips rows another worker is leasing at that moment
(``FOR UPDATE SKIP LOCKED``), so two workers never take the same URL. A source's
discovery (list pages, sitemaps, feeds) is claimed the same way by one worker.
"""

from __future__ import annotations

import os
import secrets
import socket
import time
from collections.abc import Iterable
from dataclasses import dataclass

from .database import Database

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
_UNLEASE = "leased_by = NULL, leased_until = NULL"


class Frontier:
    """The URLs a crawl knows, with what happened to each."""

    def __init__(self, conn: Database, holder: str | None = None) -> None:
        self._conn = conn
        #: This worker's name in leases and claims: host, pid and a random part.
        self.holder = holder or f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"

    def add(self, urls: Iterable[str], source_id: str, kind: str) -> int:
        """Record URLs not seen before (due at once); return how many were new."""
        now = time.time()
        unique = list(dict.fromkeys(urls))
        if not unique:
            return 0
        # Known URLs are not inserted at all: a conflicting insert would still draw a
        # rowid from PostgreSQL's sequence, and a routine pass re-reads every list page.
        if self._conn.is_postgres:  # one round trip, rowids in the given order
            return max(self._conn.execute(
                "INSERT INTO urls (url, source_id, kind, discovered_at) SELECT u, ?, ?, ? FROM "
                "unnest(?::text[]) WITH ORDINALITY AS t (u, n) WHERE NOT EXISTS (SELECT 1 FROM "
                "urls WHERE url = u) ORDER BY n ON CONFLICT DO NOTHING",
                (source_id, kind, now, unique)).rowcount, 0)
        rows = [(u, source_id, kind, now, u) for u in unique]
        cur = self._conn.executemany(
            "INSERT INTO urls (url, source_id, kind, discovered_at) SELECT ?, ?, ?, ? "
            "WHERE NOT EXISTS (SELECT 1 FROM urls WHERE url = ?) ON CONFLICT DO NOTHING", rows)
        return max(cur.rowcount, 0)

    def state(self, url: str) -> UrlState | None:
        row = self._conn.execute(f"SELECT {_COLUMNS} FROM urls WHERE url = ?", (url,)).fetchone()
        return UrlState(*row) if row else None

    def lease(self, source_id: str, kind: str, *, limit: int, max_failures: int,
              due_before: float, lease_s: float) -> list[UrlState]:
        """Take up to ``limit`` URLs of a source that were due at ``due_before`` and
        that no worker holds, for ``lease_s`` seconds; new ones first (they are due
        from 0), then the oldest due, in the order of an index. A URL taken since ``due_before`` (by this pass or a worker's
        pass running beside it) is not taken again, whatever became of it."""
        db = self._conn
        skip_locked = " FOR UPDATE SKIP LOCKED" if db.is_postgres else ""
        with db.transaction():
            now = db.now()
            rows = db.execute(
                "UPDATE urls SET leased_by = ?, leased_until = ?, taken_at = ? WHERE url IN ("
                "SELECT url FROM urls WHERE source_id = ? AND kind = ? AND next_fetch <= ? "
                "AND status != 'gone' AND attempts < ? AND (leased_until IS NULL OR "
                "leased_until < ?) AND (taken_at IS NULL OR taken_at < ?) "
                "ORDER BY next_fetch, rowid LIMIT ?"
                f"{skip_locked}) RETURNING {_COLUMNS}, rowid",
                (self.holder, now + lease_s, now, source_id, kind, due_before, max_failures,
                 now, due_before, limit)).fetchall()
        rows.sort(key=lambda r: (r[9], r[-1]))
        return [UrlState(*row[:-1]) for row in rows]

    def release(self, source_id: str) -> int:
        """Give back the source's URLs this worker still holds (a pass that stops early)."""
        with self._conn.transaction():
            return max(self._conn.execute(
                f"UPDATE urls SET {_UNLEASE} WHERE source_id = ? AND leased_by = ?",
                (source_id, self.holder)).rowcount, 0)

    def release_all(self) -> None:
        """End every lease and claim, whoever holds it: for a single writer (SQLite's
        lock), whose earlier run may have been killed holding some."""
        with self._conn.transaction():
            self._conn.execute(f"UPDATE urls SET {_UNLEASE} WHERE leased_by IS NOT NULL")
            self._conn.execute("UPDATE source_runs SET claimed_by = NULL, claimed_until = NULL "
                               "WHERE claimed_by IS NOT NULL")

    def claim_discovery(self, source_id: str, claim_s: float) -> bool:
        """Whether this worker may read the source's list pages, sitemaps and feeds
        now (for ``claim_s`` seconds, renewed by calling again). ``False`` while
        another worker's claim runs, and when another worker completed them within
        ``claim_s`` for a pass of the source that has not finished yet: its workers
        fetch what that discovery found."""
        db = self._conn
        with db.transaction():
            db.execute("INSERT INTO source_runs (source_id) VALUES (?) ON CONFLICT DO NOTHING",
                       (source_id,))
            now = db.now()
            return db.execute(
                "UPDATE source_runs SET claimed_by = ?, claimed_until = ? WHERE source_id = ? "
                "AND (claimed_by = ? OR ((claimed_until IS NULL OR claimed_until < ?) AND "
                "(discovered_at IS NULL OR discovered_at <= coalesce(last_finished, 0) "
                "OR discovered_at <= ?))) "
                "RETURNING source_id",
                (self.holder, now + claim_s, source_id, self.holder, now, now - claim_s)
            ).fetchone() is not None

    def end_discovery(self, source_id: str, *, completed: bool) -> None:
        """Release the claim; ``completed`` when every list page, sitemap and feed was read."""
        with self._conn.transaction():
            self._conn.execute(
                "UPDATE source_runs SET claimed_by = NULL, claimed_until = NULL, discovered_at = "
                "CASE WHEN ? = 1 THEN ? ELSE discovered_at END WHERE source_id = ? AND "
                "claimed_by = ?", (int(completed), self._conn.now(), source_id, self.holder))

    def discovery_interrupted(self, source_id: str) -> bool:
        """Whether the source's last discovery started and never completed."""
        row = self._conn.execute("SELECT last_started, discovered_at FROM source_runs "
                                 "WHERE source_id = ?", (source_id,)).fetchone()
        return bool(row and row[0] is not None and (row[1] is None or row[1] < row[0]))

    def discovering_elsewhere(self, source_id: str) -> bool:
        """Whether another worker is reading the source's list pages now."""
        return self._conn.execute(
            "SELECT 1 FROM source_runs WHERE source_id = ? AND claimed_until >= ? AND "
            "claimed_by != ?", (source_id, self._conn.now(), self.holder)).fetchone() is not None

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
            f"note = CASE WHEN ? IS NULL THEN note ELSE ? END, {_UNLEASE} WHERE url = ?",
            (http_status, content_type, etag, last_modified, content_hash, time.time(),
             next_fetch, outcome, outcome, note, url))

    def mark_not_modified(self, url: str, *, next_fetch: float) -> None:
        self._conn.execute(
            "UPDATE urls SET http_status = 304, attempts = 0, last_error = NULL, fetched_at = ?, "
            f"next_fetch = ?, {_UNLEASE} WHERE url = ?", (time.time(), next_fetch, url))

    def mark_failed(self, url: str, error: Exception, *, gone: bool = False,
                    http_status: int | None = None, next_fetch: float) -> None:
        """Record a failure; ``gone`` (404/410) is final, others count toward max_failures."""
        self._conn.execute(
            "UPDATE urls SET status = ?, http_status = coalesce(?, http_status), "
            f"attempts = attempts + 1, last_error = ?, fetched_at = ?, next_fetch = ?, {_UNLEASE} "
            "WHERE url = ?",
            ("gone" if gone else "failed", http_status,
             f"{type(error).__name__}: {getattr(error, 'reason', error)}",
             time.time(), next_fetch, url))

    def mark_skipped(self, url: str, error: Exception, *, next_fetch: float) -> None:
        """Not fetched (robots.txt, a challenged host); looked at again after ``next_fetch``."""
        self._conn.execute(
            f"UPDATE urls SET status = 'skipped', last_error = ?, next_fetch = ?, {_UNLEASE} "
            "WHERE url = ?",
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
