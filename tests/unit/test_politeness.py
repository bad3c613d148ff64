import asyncio
import time

from scraper.politeness import Politeness


def test_one_request_in_flight_per_host_and_the_delay_between() -> None:
    events: list[tuple[str, str, float]] = []

    async def request(p: Politeness, host: str) -> None:
        async with p.slot(host, 0.05):
            events.append((host, "start", time.monotonic()))
            await asyncio.sleep(0.01)
            events.append((host, "end", time.monotonic()))

    async def run() -> None:
        p = Politeness(concurrency=8)
        await asyncio.gather(*(request(p, h) for h in ["a"] * 4 + ["b"] * 4))

    asyncio.run(run())
    for host in "ab":
        mine = [(kind, t) for h, kind, t in events if h == host]
        assert [k for k, _ in mine] == ["start", "end"] * 4  # never two in flight
        ends = [t for k, t in mine if k == "end"]
        starts = [t for k, t in mine if k == "start"]
        assert all(s - e >= 0.049 for e, s in zip(ends, starts[1:], strict=False))


def test_global_cap() -> None:
    in_flight, peak = 0, 0

    async def request(p: Politeness, host: str) -> None:
        nonlocal in_flight, peak
        async with p.slot(host, 0.0):
            in_flight += 1
            peak = max(peak, in_flight)
            await asyncio.sleep(0.01)
            in_flight -= 1

    async def run() -> None:
        p = Politeness(concurrency=2)
        await asyncio.gather(*(request(p, f"h{i}") for i in range(6)))

    asyncio.run(run())
    assert peak == 2


def test_retry_after_defers_the_whole_host() -> None:
    starts: dict[str, float] = {}

    async def run() -> None:
        p = Politeness(concurrency=4)
        began = time.monotonic()
        p.defer("a", 0.2)

        async def request(host: str) -> None:
            async with p.slot(host, 0.0):
                starts[host] = time.monotonic() - began

        await asyncio.gather(request("a"), request("b"))

    asyncio.run(run())
    assert starts["a"] >= 0.19 and starts["b"] < 0.1
