"""Malformed sitemaps and feeds are parsed in linear time: growing the document four
times grows the time about four times (a quadratic parser would take sixteen).
Ratios only; nothing is asserted on seconds."""

from __future__ import annotations

import time
from collections.abc import Callable

from scraper.feeds import parse_feed
from scraper.sitemaps import parse_sitemap

_FILLER = "填充文字，不含任何标签。"


def _unclosed_loc(size: int) -> bytes:
    head = ('<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            "<url><loc>http://j.cn/a/1.html</loc></url><url><loc>http://j.cn/a/")
    return (head + _FILLER * (size // len(_FILLER.encode()))).encode()


def _unclosed_item(size: int) -> bytes:
    head = ('<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
            "<item><link>http://j.cn/a/1.html</link></item><item><description>")
    return (head + _FILLER * (size // len(_FILLER.encode()))).encode()


def _fastest(run: Callable[[], object]) -> float:
    """The least CPU time of five runs: the thread's own time, whatever else the
    machine is doing."""
    times = []
    for _ in range(5):
        start = time.thread_time()
        run()
        times.append(time.thread_time() - start)
    return min(times)


def _ratio(parse: Callable[[bytes], object], make: Callable[[int], bytes]) -> float:
    small, large = make(1_000_000), make(4_000_000)
    return _fastest(lambda: parse(large)) / max(_fastest(lambda: parse(small)), 1e-6)


def test_an_unclosed_loc_costs_linear_time() -> None:
    def parse(data: bytes) -> object:
        return parse_sitemap(data, "http://j.cn/s.xml", max_bytes=10**8, max_urls=10**6)

    assert parse(_unclosed_loc(340_000)).pages[0] == "http://j.cn/a/1.html"
    assert _ratio(parse, _unclosed_loc) < 8


def test_an_unclosed_item_costs_linear_time() -> None:
    def parse(data: bytes) -> object:
        return parse_feed(data, "http://j.cn/rss.xml", max_links=1000)

    assert parse(_unclosed_item(340_000)) == ["http://j.cn/a/1.html"]
    assert _ratio(parse, _unclosed_item) < 8
