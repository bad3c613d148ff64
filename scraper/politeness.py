"""Per-host slots: one request in flight per host, a delay between requests to it,
and a global cap on requests in flight across hosts."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

__all__ = ["Politeness"]


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
            async with self._global:  # taken after the wait: a sleeping host holds no global slot
                try:
                    yield
                finally:
                    state.last_done = time.monotonic()

    def defer(self, host: str, seconds: float) -> None:
        """No request to ``host`` for ``seconds`` (its Retry-After applies to the host,
        not only to the URL that got it)."""
        state = self._hosts.setdefault(host, _Host())
        state.not_before = max(state.not_before, time.monotonic() + seconds)
