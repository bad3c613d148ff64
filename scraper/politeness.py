"""Per-host slots: one request in flight per host, a delay between requests to it,
and a global cap on requests in flight across hosts.

:class:`Politeness` keeps them in the process. :class:`SharedPoliteness` keeps them
in a shared archive's ``hosts`` table as well, so they hold across every worker
crawling that archive, on one machine or many.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from .database import Database

__all__ = ["Politeness", "SharedPoliteness"]


@dataclass
class _Host:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    last_done: float = float("-inf")
    not_before: float = float("-inf")  # set by a server's Retry-After


class Politeness:
    """Hands out request slots. The delay runs from the end of one request to the
    start of the next, so two requests to a host never start closer than it."""

    def __init__(self, concurrency: int) -> None:
        self._global = asyncio.Semaphore(concurrency)
        self._hosts: dict[str, _Host] = {}

    @asynccontextmanager
    async def slot(self, host: str, delay_s: float) -> AsyncIterator[None]:
        state = self._hosts.setdefault(host, _Host())
        async with state.lock:
            wait = max(state.last_done + delay_s, state.not_before) - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            while True:  # a waiting host holds no global slot, nor a shared host row
                await self._global.acquire()
                retry_in = self._try_take(host)
                if retry_in is None:
                    break
                self._global.release()
                await asyncio.sleep(retry_in)
            try:
                yield
            finally:
                state.last_done = time.monotonic()
                self._global.release()
                self._give(host, delay_s)

    def defer(self, host: str, seconds: float) -> None:
        """No request to ``host`` for ``seconds`` (its Retry-After applies to the host,
        not only to the URL that got it)."""
        state = self._hosts.setdefault(host, _Host())
        state.not_before = max(state.not_before, time.monotonic() + seconds)

    def _try_take(self, host: str) -> float | None:
        """Take the host's turn beyond this process: ``None`` when taken, else the
        seconds until it is worth asking again (here it is always free)."""
        return None

    def _give(self, host: str, delay_s: float) -> None:
        """End the request's turn beyond this process."""


class SharedPoliteness(Politeness):
    """Politeness through the archive: a worker takes a host's row before a request
    (``busy_until`` bounds it, so a killed worker's slot frees itself) and sets the
    host's ``next_at`` when done; Retry-After moves ``next_at`` for every worker.
    Times are the database's clock, the same for every machine."""

    _POLL_S = 0.5  # longest wait between two looks at a host another worker holds

    def __init__(self, concurrency: int, db: Database, holder: str, hold_s: float) -> None:
        super().__init__(concurrency)
        self._db, self._holder, self._hold_s = db, holder, hold_s
        self._known: set[str] = set()  # hosts whose row this worker has made sure of

    def _row(self, host: str) -> None:
        """Make sure the host has its row (once per host and worker, not per request)."""
        if host not in self._known:
            self._db.execute("INSERT INTO hosts (host) VALUES (?) ON CONFLICT DO NOTHING",
                             (host,))
            self._known.add(host)

    def _try_take(self, host: str) -> float | None:
        db = self._db
        self._row(host)
        now = db.now()
        if db.execute(
                "UPDATE hosts SET holder = ?, busy_until = ? WHERE host = ? AND next_at <= ? "
                "AND (busy_until IS NULL OR busy_until < ?) RETURNING host",
                (self._holder, now + self._hold_s, host, now, now)).fetchone():
            return None
        row = db.execute("SELECT next_at, busy_until FROM hosts WHERE host = ?",
                         (host,)).fetchone()
        ready = max(row[0], row[1] or 0.0) if row else now
        return min(max(ready - now, 0.01), self._POLL_S)

    def _give(self, host: str, delay_s: float) -> None:
        after = self._db.now() + delay_s
        self._db.execute(
            "UPDATE hosts SET holder = NULL, busy_until = NULL, next_at = CASE WHEN next_at > ? "
            "THEN next_at ELSE ? END WHERE host = ? AND holder = ?",
            (after, after, host, self._holder))

    def defer(self, host: str, seconds: float) -> None:
        super().defer(host, seconds)
        db = self._db
        self._row(host)
        until = db.now() + seconds
        db.execute("UPDATE hosts SET next_at = ? WHERE host = ? AND next_at < ?",
                   (until, host, until))
