import asyncio
from datetime import datetime

from scraper.schedule import is_due, next_run, run_schedule
from scraper.sources import Source

SOURCE = Source(id="s", name="s", start_urls=("http://a.cn/",), schedule="15 */4 * * *")


def test_never_run_is_due() -> None:
    assert next_run(SOURCE, None) == 0.0 and is_due(SOURCE, None)


def test_next_run_follows_the_cron_expression() -> None:
    last = datetime(2024, 10, 1, 9, 0).astimezone().timestamp()
    expected = datetime(2024, 10, 1, 12, 15).astimezone().timestamp()
    assert next_run(SOURCE, last) == expected
    assert not is_due(SOURCE, last, now=expected - 1) and is_due(SOURCE, last, now=expected)


def test_a_failing_pass_does_not_stop_the_schedule() -> None:
    finished: dict[str, float | None] = {"s": None}
    calls: list[list[str]] = []

    async def one_pass(due: list[Source]) -> None:
        calls.append([s.id for s in due])
        if len(calls) == 1:
            raise RuntimeError("first pass breaks")
        finished["s"] = datetime.now().timestamp()
        stop.set()

    async def run() -> int:
        return await run_schedule([SOURCE], finished.get, one_pass, stop, max_sleep_s=0.01)

    stop = asyncio.Event()
    assert asyncio.run(run()) == 2
    assert calls == [["s"], ["s"]]
