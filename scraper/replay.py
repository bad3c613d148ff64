"""Recorded responses: kept while a crawl runs, served back later with no network.

A recording is a folder with one gzip WARC file per source (``<source-id>.warc.gz``):
a response record per HTTP exchange, in the order they happened, so a URL that
answered 500 and then 200 replays the same way. Bodies are stored decoded (the
``Content-Encoding`` header is dropped), as ``zhengwen export --format warc`` does.

:class:`RecordingTransport` wraps a live transport and keeps every complete
response; :class:`ReplayTransport` answers from a recording and raises
:class:`~scraper.errors.NotRecordedError` for anything else, so a replayed crawl
reports a missing page by its URL instead of skipping it or reaching the network.
"""

from __future__ import annotations

import dataclasses
import io
import re
from collections import Counter
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from http import HTTPStatus
from pathlib import Path
from typing import Any, cast

import httpx
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from .crawl import crawl
from .encodings import BudgetExceeded, DecodeFailed, decode_all
from .errors import NotRecordedError, RecordingError
from .settings import Settings
from .sources import Source
from .stats import Stats
from .store import Archive

__all__ = ["RecordedResponse", "Recording", "RecordingTransport", "ReplayTransport",
           "load_recording",
           "replay_crawl", "write_recording"]

# Hop-by-hop and encoding headers do not describe the stored (decoded) body.
_DROP_HEADERS = {"content-encoding", "content-length", "transfer-encoding", "connection"}
_LIMIT = re.compile(rb"zhengwen-limit: (\d+)")
_CRAWL_DELAY = re.compile(rb"(?im)^[ \t]*crawl-delay[ \t]*:.*(\r?\n|$)")


@dataclass(frozen=True)
class RecordedResponse:
    """One HTTP exchange as recorded: the requested URL, status, headers, decoded body."""

    url: str
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes


class _Tee(httpx.AsyncByteStream):
    """Passes a body through and hands it over once it has been read to the end
    (a body the fetcher abandons, e.g. over the size limit, is not kept)."""

    def __init__(self, stream: httpx.AsyncByteStream, done: Callable[[bytes], None]) -> None:
        self._stream, self._done = stream, done

    async def __aiter__(self) -> AsyncIterator[bytes]:
        chunks = []
        async for chunk in self._stream:
            chunks.append(chunk)
            yield chunk
        self._done(b"".join(chunks))

    async def aclose(self) -> None:
        await self._stream.aclose()


class RecordingTransport(httpx.AsyncBaseTransport):
    """Wraps the live transport ``inner`` (the fetcher's, with its address guard) and
    keeps every complete response in ``responses``."""

    def __init__(self, inner: httpx.AsyncBaseTransport, *,
                 max_body_bytes: int = Settings.max_body_bytes) -> None:
        self._inner = inner
        self._limit = max_body_bytes
        self.responses: list[RecordedResponse] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self._inner.handle_async_request(request)
        url, status, headers = str(request.url), response.status_code, response.headers

        def keep(raw: bytes) -> None:
            try:  # decoded as the fetcher does, so the recording holds what the crawl saw
                body = decode_all(raw, headers.get("content-encoding", ""), self._limit)
            except (BudgetExceeded, DecodeFailed):
                return  # the crawl fails this response too; nothing to replay
            kept = tuple((k.lower(), v) for k, v in headers.multi_items()
                         if k.lower() not in _DROP_HEADERS)
            self.responses.append(RecordedResponse(url, status, kept, body))

        stream = cast(httpx.AsyncByteStream, response.stream)  # an async transport's
        return httpx.Response(status, headers=headers, stream=_Tee(stream, keep),
                              request=request, extensions=response.extensions)

    async def aclose(self) -> None:
        await self._inner.aclose()


def write_recording(path: str | Path, responses: Sequence[RecordedResponse], *,
                    limit: int | None = None) -> None:
    """Write ``responses`` to a gzip WARC file, one response record each, in order,
    after a warcinfo record holding ``limit`` (articles recorded per source)."""
    now = datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=True)
        info = {"software": "zhengwen record"} | ({"zhengwen-limit": str(limit)} if limit else {})
        writer.write_record(writer.create_warcinfo_record(Path(path).name, info))
        for r in responses:
            headers = [*r.headers, ("content-length", str(len(r.body)))]
            record = writer.create_warc_record(
                r.url, "response", payload=io.BytesIO(r.body), length=len(r.body),
                http_headers=StatusAndHeaders(f"{r.status} {_reason(r.status)}".strip(), headers,
                                              protocol="HTTP/1.1"),
                warc_headers_dict={"WARC-Date": now})
            writer.write_record(record)


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def _read_warc(path: Path) -> tuple[list[RecordedResponse], int | None]:
    responses, limit = [], None
    try:
        with open(path, "rb") as stream:
            for record in ArchiveIterator(stream):
                if record.rec_type == "warcinfo":
                    found = _LIMIT.search(record.content_stream().read())
                    limit = int(found.group(1)) if found else limit
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                http = record.http_headers
                headers = tuple((k.lower(), v) for k, v in http.headers
                                if k.lower() not in _DROP_HEADERS)
                responses.append(RecordedResponse(record.rec_headers.get_header("WARC-Target-URI"),
                                                  int(http.get_statuscode()), headers,
                                                  record.content_stream().read()))
    except (OSError, ArchiveLoadFailed, ValueError) as exc:
        raise RecordingError(f"{path}: not a readable WARC recording ({exc})") from exc
    return responses, limit


@dataclass(frozen=True)
class Recording:
    """The responses of a recording, and the most articles it recorded per source."""

    responses: list[RecordedResponse]
    limit: int | None


def load_recording(path: str | Path) -> Recording:
    """Read a recording: a folder of ``*.warc.gz`` files, or one file."""
    path = Path(path)
    files = [path] if path.is_file() else sorted(path.glob("*.warc.gz")) if path.is_dir() else []
    if not files:
        raise RecordingError(f"{path}: no recording here (expected *.warc.gz files written by "
                             "`zhengwen record`)")
    read = [_read_warc(f) for f in files]
    limits = [limit for _, limit in read if limit is not None]
    return Recording([r for responses, _ in read for r in responses],
                     max(limits) if limits else None)


class ReplayTransport(httpx.AsyncBaseTransport):
    """Answers requests from a recording; never touches the network.

    A URL recorded several times answers in the recorded order, then repeats its last
    answer. ``If-None-Match`` equal to the recorded ETag gets a 304, as a server would.
    robots.txt is served without its Crawl-delay: nobody is there to be polite to.
    """

    def __init__(self, recording: str | Path | Sequence[RecordedResponse], *,
                 name: str | None = None) -> None:
        responses = (load_recording(recording).responses if isinstance(recording, (str, Path))
                     else recording)
        self.name = name or (str(recording) if isinstance(recording, (str, Path))
                             else "the recording")
        self._by_url: dict[str, list[RecordedResponse]] = {}
        for response in responses:
            self._by_url.setdefault(response.url, []).append(response)
        self._served: Counter[str] = Counter()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        url = str(request.url)
        answers = self._by_url.get(url)
        if not answers:
            raise NotRecordedError(url, f"not in {self.name}; record the source again "
                                        "(zhengwen record) to add it")
        recorded = answers[min(self._served[url], len(answers) - 1)]
        self._served[url] += 1
        headers = dict(recorded.headers)
        etag = headers.get("etag")
        if etag and request.headers.get("if-none-match") == etag:
            return httpx.Response(304, headers={"etag": etag}, request=request)
        body = recorded.body
        if request.url.path == "/robots.txt":
            body = _CRAWL_DELAY.sub(b"", body)
        return httpx.Response(recorded.status, headers=list(recorded.headers), content=body,
                              request=request)


async def replay_crawl(sources: Sequence[Source], archive: Archive,
                       recording: str | Path | Sequence[RecordedResponse],
                       settings: Settings | None = None, **options: Any) -> Stats:
    """:func:`~scraper.crawl` against a recording: offline, every source forced, no
    politeness delays or backoff (no server is asked), and no more articles per source
    than were recorded (the same first ones). ``options`` go to ``crawl``."""
    settings = settings or Settings()
    if isinstance(recording, (str, Path)):
        loaded = load_recording(recording)
        responses: Sequence[RecordedResponse] = loaded.responses
        if loaded.limit is not None:
            settings = dataclasses.replace(
                settings, max_pages_per_source=min(loaded.limit, settings.max_pages_per_source))
    else:
        responses = recording
    quick = dataclasses.replace(settings, delay_s=0.0, backoff_s=0.0, max_backoff_s=0.0)
    transport = ReplayTransport(
        responses, name=str(recording) if isinstance(recording, (str, Path)) else None)
    return await crawl([dataclasses.replace(s, delay_s=None) for s in sources], archive, quick,
                       force=True, transport=transport, **options)
