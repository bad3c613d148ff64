"""When sources are due, and the loop of ``zhengwen schedule``."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import time
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime

from croniter import croniter

from .sources import Source

__all__ = ["install_stop_handlers", "is_due", "next_run", "run_schedule"]

log = logging.getLogger("scraper.schedule")


def next_run(source: Source, last_finished: float | None) -> float:
    """The first time the source's cron expression fires after its last finished pass
    (local time, as cron reads it); 0 when it never ran."""
    if last_finished is None:
        return 0.0
    start = datetime.fromtimestamp(last_finished).astimezone()
    return float(croniter(source.schedule, start).get_next(float))


def is_due(source: Source, last_finished: float | None, now: float | None = None) -> bool:
    return next_run(source, last_finished) <= (time.time() if now is None else now)


def install_stop_handlers(stop: asyncio.Event) -> None:
    """The first SIGINT or SIGTERM sets ``stop``: requests, retries and backoff waits are
    abandoned, pages being stored finish. A second one exits at once (128 + the signal's
    number): each page is stored in its own transaction, and the handler runs between
    two steps of the event loop, never inside one, so nothing stored is lost."""
    loop = asyncio.get_running_loop()

    def handle(sig: signal.Signals) -> None:
        if stop.is_set():
            log.warning("second %s: exiting now", sig.name)
            logging.shutdown()
            os._exit(128 + sig.value)
        log.warning("%s: stopping (a second signal exits at once)", sig.name)
        stop.set()

    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, handle, sig)


async def run_schedule(sources: Sequence[Source], last_finished: Callable[[str], float | None],
                       run_pass: Callable[[list[Source]], Awaitable[None]], stop: asyncio.Event,
                       *, max_sleep_s: float = 60.0) -> int:
    """Start each source when its cron expression says, until ``stop`` is set.

    ``run_pass`` is awaited with the due sources; an exception from it is logged and
    the loop goes on. Returns the number of passes run.
    """
    passes = 0
    while not stop.is_set():
        now = time.time()
        due = [s for s in sources if is_due(s, last_finished(s.id), now)]
        if due:
            passes += 1
            try:
                await run_pass(due)
            except Exception:  # one bad pass never ends the schedule
                log.exception("crawl pass over %s failed", ", ".join(s.id for s in due))
                await _sleep(stop, max_sleep_s)
            continue
        wake = min(next_run(s, last_finished(s.id)) for s in sources)
        await _sleep(stop, min(max(wake - now, 0.1), max_sleep_s))
    return passes


async def _sleep(stop: asyncio.Event, seconds: float) -> None:
    """Sleep, waking early when ``stop`` is set."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)
