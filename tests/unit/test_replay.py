"""Recording responses and reading them back: bodies decoded, order and statuses kept."""

from __future__ import annotations

import asyncio
import gzip
from pathlib import Path

import httpx
import pytest

from scraper.errors import NotRecordedError, RecordingError
from scraper.replay import (
    RecordedResponse,
    RecordingTransport,
    ReplayTransport,
    load_recording,
    write_recording,
)

PAGE = "示例正文".encode() * 50


def _server(request: httpx.Request) -> httpx.Response:
    if request.url.path == "/gone.html":
        return httpx.Response(404, text="missing")
    return httpx.Response(200, content=gzip.compress(PAGE),
                          headers={"content-encoding": "gzip", "content-type": "text/html",
                                   "etag": '"v1"'})


async def _get(transport: httpx.AsyncBaseTransport, *paths: str) -> list[httpx.Response]:
    async with httpx.AsyncClient(transport=transport, base_url="http://example.gov.cn") as client:
        return [await client.get(p) for p in paths]


def test_a_recording_round_trips_through_warc(tmp_path: Path) -> None:
    recorder = RecordingTransport(httpx.MockTransport(_server))
    asyncio.run(_get(recorder, "/a.html", "/gone.html"))
    assert [(r.url, r.status) for r in recorder.responses] == [
        ("http://example.gov.cn/a.html", 200), ("http://example.gov.cn/gone.html", 404)]
    first = recorder.responses[0]
    assert first.body == PAGE and "content-encoding" not in dict(first.headers)

    write_recording(tmp_path / "s.warc.gz", recorder.responses, limit=7)
    loaded = load_recording(tmp_path)
    assert loaded.responses == recorder.responses and loaded.limit == 7

    replayed = asyncio.run(_get(ReplayTransport(tmp_path), "/a.html", "/gone.html"))
    assert [(r.status_code, r.content) for r in replayed] == [(200, PAGE), (404, b"missing")]


def test_an_unrecorded_url_raises_naming_it() -> None:
    transport = ReplayTransport([RecordedResponse("http://example.gov.cn/a.html", 200, (), b"")])
    with pytest.raises(NotRecordedError) as caught:
        asyncio.run(_get(transport, "/b.html"))
    assert caught.value.url == "http://example.gov.cn/b.html"


def test_robots_crawl_delay_is_not_replayed() -> None:
    robots = b"User-agent: *\nCrawl-delay: 30\nDisallow: /private/\n"
    transport = ReplayTransport([RecordedResponse("http://example.gov.cn/robots.txt", 200, (),
                                                  robots)])
    [response] = asyncio.run(_get(transport, "/robots.txt"))
    assert response.content == b"User-agent: *\nDisallow: /private/\n"


def test_a_missing_or_broken_recording_is_named(tmp_path: Path) -> None:
    with pytest.raises(RecordingError, match="no recording here"):
        load_recording(tmp_path)
    (tmp_path / "bad.warc.gz").write_bytes(b"not a warc")
    with pytest.raises(RecordingError, match="bad.warc.gz: not a readable WARC"):
        load_recording(tmp_path)
