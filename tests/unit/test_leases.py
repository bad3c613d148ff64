"""Leases, discovery claims and shared host slots: what lets several workers crawl
one archive. The frontier's part runs on both engines; the shared host slots on
PostgreSQL, where several workers run."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from scraper import Archive
from scraper.politeness import SharedPoliteness

URLS = [f"http://a.cn/{n}.html" for n in range(10)]


@pytest.fixture(params=["sqlite", "postgresql"])
def target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "a.sqlite")
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def two(target: str) -> Iterator[tuple[Archive, Archive]]:
    """Two workers on one archive (the SQLite lock is a process's; two connections
    stand for two workers here)."""
    with Archive(target, lock=False) as first, Archive(target, lock=False) as second:
        with first.transaction():
            first.frontier.add(URLS, "s", "article")
        yield first, second


def _lease(archive: Archive, limit: int, *, due_before: float | None = None,
           lease_s: float = 60) -> list[str]:
    due = archive.conn.now() if due_before is None else due_before
    return [s.url for s in archive.frontier.lease("s", "article", limit=limit, max_failures=5,
                                                  due_before=due, lease_s=lease_s)]


def test_workers_lease_disjoint_urls_in_discovery_order(two: tuple[Archive, Archive]) -> None:
    first, second = two
    a, b = _lease(first, 4), _lease(second, 4)
    assert a == URLS[:4] and b == URLS[4:8]
    assert _lease(first, 10) + _lease(second, 10) == URLS[8:]


def test_an_expired_lease_returns_to_the_pool(two: tuple[Archive, Archive]) -> None:
    first, second = two
    assert _lease(first, 3, lease_s=0.2) == URLS[:3]  # then the worker dies
    assert _lease(second, 3) == URLS[3:6]
    time.sleep(0.3)
    assert _lease(second, 3) == URLS[:3]  # a later pass takes the dead worker's URLs


def test_a_pass_takes_a_url_once_and_gives_back_what_it_leaves(
        two: tuple[Archive, Archive]) -> None:
    first, second = two
    started = first.conn.now()
    [url] = _lease(first, 1, due_before=started)
    with first.transaction():  # failed, due again at once (after the new ones)
        first.frontier.mark_failed(url, RuntimeError("boom"), next_fetch=started - 1)
    assert url not in _lease(first, 10, due_before=started) + _lease(second, 10,
                                                                     due_before=started)
    assert first.frontier.release("s") == 9
    assert second.frontier.release("s") == 0
    assert _lease(second, 10) == URLS[1:] + [url]  # a new pass: new ones first, then the failed


def test_one_worker_reads_a_sources_list_pages(two: tuple[Archive, Archive]) -> None:
    first, second = two
    assert first.frontier.claim_discovery("s", 60)
    assert first.frontier.claim_discovery("s", 60)  # renewed by its holder
    assert not second.frontier.claim_discovery("s", 60)
    assert second.frontier.discovering_elsewhere("s")
    first.frontier.end_discovery("s", completed=False)
    assert not second.frontier.discovering_elsewhere("s")
    assert second.frontier.claim_discovery("s", 0.2)
    time.sleep(0.3)  # the claimant died: its claim runs out
    assert first.frontier.claim_discovery("s", 60)


def test_a_completed_discovery_serves_the_rest_of_the_pass(two: tuple[Archive, Archive]) -> None:
    first, second = two
    assert first.frontier.claim_discovery("s", 60)
    first.frontier.end_discovery("s", completed=True)
    assert not second.frontier.claim_discovery("s", 60)  # the pass is still fetching
    with first.transaction():
        first.source_finished("s")
    assert second.frontier.claim_discovery("s", 60)  # a new pass reads the list pages again


def test_a_discovery_that_never_completed_is_known(two: tuple[Archive, Archive]) -> None:
    first, second = two
    assert not first.frontier.discovery_interrupted("s")  # never started
    assert first.frontier.claim_discovery("s", 60)
    with first.transaction():
        first.source_started("s")
    first.frontier.end_discovery("s", completed=False)  # stopped, or its worker killed
    assert second.frontier.discovery_interrupted("s")  # the next walks every list page
    assert second.frontier.claim_discovery("s", 60)
    second.frontier.end_discovery("s", completed=True)
    assert not first.frontier.discovery_interrupted("s")


def test_opening_a_sqlite_archive_ends_a_killed_runs_leases(tmp_path: Path) -> None:
    db = tmp_path / "a.sqlite"
    with Archive(db) as archive:
        with archive.transaction():
            archive.frontier.add(URLS, "s", "article")
        assert len(_lease(archive, 10)) == 10  # then killed, the leases unreleased
    with Archive(db) as archive:  # the lock: the only writer, so no lease is alive
        assert _lease(archive, 10) == URLS


def test_host_slots_hold_across_workers(postgres_url: str) -> None:
    delay = 0.2
    spans: list[tuple[float, float, str]] = []

    async def requests(politeness: SharedPoliteness, name: str) -> None:
        for _ in range(3):
            async with politeness.slot("a.cn", delay):
                start = time.monotonic()
                await asyncio.sleep(0.05)
                spans.append((start, time.monotonic(), name))

    async def main(first: Archive, second: Archive) -> None:
        slots = [SharedPoliteness(4, a.conn, a.frontier.holder, hold_s=30) for a in (first, second)]
        await asyncio.gather(requests(slots[0], "first"), requests(slots[1], "second"))

    with Archive(postgres_url) as first, Archive(postgres_url) as second:
        asyncio.run(main(first, second))
    spans.sort()
    assert {name for *_, name in spans} == {"first", "second"}
    for (_, end, _), (start, _, _) in zip(spans, spans[1:], strict=False):
        assert start - end >= delay * 0.95  # never two at once, the delay between them


def test_retry_after_holds_for_every_worker(postgres_url: str) -> None:
    async def main(first: Archive, second: Archive) -> float:
        slot = SharedPoliteness(4, second.conn, second.frontier.holder, hold_s=30)
        SharedPoliteness(4, first.conn, first.frontier.holder, hold_s=30).defer("a.cn", 0.5)
        deferred = time.monotonic()
        async with slot.slot("a.cn", 0):
            return time.monotonic() - deferred

    with Archive(postgres_url) as first, Archive(postgres_url) as second:
        assert asyncio.run(main(first, second)) >= 0.45


def test_a_dead_workers_host_slot_frees_itself(postgres_url: str) -> None:
    async def main(first: Archive, second: Archive) -> None:
        dead = SharedPoliteness(4, first.conn, first.frontier.holder, hold_s=0.3)
        assert dead._try_take("a.cn") is None  # taken, never given back: the worker died
        alive = SharedPoliteness(4, second.conn, second.frontier.holder, hold_s=30)
        async with asyncio.timeout(10):
            async with alive.slot("a.cn", 0):
                holder = second.conn.execute("SELECT holder FROM hosts").fetchone()[0]
        assert holder == second.frontier.holder

    with Archive(postgres_url) as first, Archive(postgres_url) as second:
        asyncio.run(main(first, second))


def test_adding_known_urls_leaves_the_discovery_order_compact(target: str) -> None:
    with Archive(target) as archive:
        for _ in range(3):  # a routine pass re-reads the same list pages
            with archive.transaction():
                assert archive.frontier.add(URLS, "s", "article") in (len(URLS), 0)
        with archive.transaction():
            assert archive.frontier.add([*URLS, "http://a.cn/new.html"], "s", "article") == 1
        assert archive.conn.execute("SELECT max(rowid), count(*) FROM urls").fetchone() == (11, 11)
