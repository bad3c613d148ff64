"""The HTTP client: conditional GET, size caps, retries with backoff and Retry-After.

httpx and tenacity errors are translated here and nowhere else; callers see the
:class:`~scraper.errors.FetchError` tree. ``transport=`` takes any httpx transport
(tests pass ``httpx.MockTransport`` for responses a real server cannot easily make).
"""

from __future__ import annotations

import asyncio
import email.utils
import time
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, stop_after_attempt
from tenacity.wait import wait_random_exponential

from .challenge import detect_challenge
from .errors import BodyTooLargeError, ChallengeError, FetchError, HTTPStatusError, TransportError
from .politeness import Politeness
from .settings import Settings
from .stats import Stats
from .urls import host_key

__all__ = ["FetchResult", "Fetcher", "TEXT_TYPES"]

#: Content types that are decoded and cleaned; anything else is recorded, not cleaned.
TEXT_TYPES = frozenset({"", "text/html", "application/xhtml+xml", "text/plain"})
_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@dataclass(frozen=True)
class FetchResult:
    """One response: 2xx with its body, or 304 (``not_modified``) with none."""

    url: str
    final_url: str
    status: int
    headers: dict[str, str]
    body: bytes
    fetched_at: float

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    @property
    def is_text(self) -> bool:
        return self.content_type in TEXT_TYPES


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    now = time.time() if now is None else now
    return max(0.0, when.timestamp() - now)


class Fetcher:
    """Polite, retrying GETs. Use as ``async with Fetcher(settings) as fetcher``."""

    def __init__(self, settings: Settings, *, stats: Stats | None = None,
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.settings = settings
        self.stats = stats if stats is not None else Stats()
        self.politeness = Politeness(settings.concurrency)
        self._backoff = wait_random_exponential(multiplier=settings.backoff_s,
                                                max=settings.max_backoff_s)
        timeout = httpx.Timeout(settings.read_timeout_s, connect=settings.connect_timeout_s)
        self._client = httpx.AsyncClient(
            transport=transport, timeout=timeout, follow_redirects=True,
            max_redirects=settings.max_redirects,
            headers={"User-Agent": settings.user_agent, "Accept": _ACCEPT,
                     "Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"},
            limits=httpx.Limits(max_connections=settings.concurrency * 2))

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._client.aclose()

    async def fetch(self, url: str, *, etag: str | None = None,
                    last_modified: str | None = None, delay_s: float | None = None) -> FetchResult:
        """GET ``url``, retrying what may recover; raise a FetchError for the rest."""
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        delay = self.settings.delay_s if delay_s is None else delay_s
        retrying = AsyncRetrying(
            stop=stop_after_attempt(self.settings.max_attempts), wait=self._wait,
            retry=retry_if_exception(lambda e: isinstance(e, FetchError) and e.retryable),
            before_sleep=self._count_retry, reraise=True)
        async for attempt in retrying:
            with attempt:
                return await self._attempt(url, headers, delay)
        raise AssertionError("unreachable: tenacity reraises the last error")

    def _wait(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, HTTPStatusError) and exc.retry_after is not None:
            wait = min(exc.retry_after, self.settings.max_backoff_s)
            self.politeness.defer(host_key(exc.url), wait)
            return wait
        return self._backoff(state)

    def _count_retry(self, state: RetryCallState) -> None:
        exc = state.outcome.exception() if state.outcome else None
        reason = f"status/{exc.status}" if isinstance(exc, HTTPStatusError) else type(exc).__name__
        self.stats.inc(f"fetch/retry/{reason}")

    async def _attempt(self, url: str, headers: dict[str, str], delay: float) -> FetchResult:
        async with self.politeness.slot(host_key(url), delay):
            try:
                async with asyncio.timeout(self.settings.total_timeout_s):
                    return await self._get(url, headers)
            except TimeoutError as exc:
                raise TransportError(url, f"no complete response in "
                                          f"{self.settings.total_timeout_s:g} s") from exc

    async def _get(self, url: str, headers: dict[str, str]) -> FetchResult:
        try:
            async with self._client.stream("GET", url, headers=headers) as response:
                self.stats.inc(f"fetch/status/{response.status_code}")
                body = await self._read(url, response)
                final_url = str(response.url)
                status = response.status_code
                resp_headers = {k.lower(): v for k, v in response.headers.items()}
        except httpx.TooManyRedirects as exc:
            raise TransportError(url, f"more than {self.settings.max_redirects} redirects") from exc
        except httpx.TimeoutException as exc:
            raise TransportError(url, f"timed out ({type(exc).__name__})") from exc
        except httpx.UnsupportedProtocol as exc:
            raise FetchError(url, f"unsupported URL: {exc}") from exc
        except (httpx.TransportError, httpx.DecodingError) as exc:
            raise TransportError(url, f"{type(exc).__name__}: {exc or 'connection failed'}") from exc
        except httpx.InvalidURL as exc:
            raise FetchError(url, f"invalid URL: {exc}") from exc
        reason = detect_challenge(status, resp_headers, body)
        if reason:
            raise ChallengeError(url, host_key(final_url), reason)
        if status >= 400 or (300 <= status < 400 and status != 304):
            raise HTTPStatusError(url, status, parse_retry_after(resp_headers.get("retry-after")))
        return FetchResult(url=url, final_url=final_url, status=status, headers=resp_headers,
                           body=body, fetched_at=datetime.now(UTC).timestamp())

    async def _read(self, url: str, response: httpx.Response) -> bytes:
        limit = self.settings.max_body_bytes
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise BodyTooLargeError(url, f"Content-Length {declared} is over the {limit} byte limit")
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.aiter_bytes():  # decompressed: caps gzip bombs too
            size += len(chunk)
            if size > limit:
                raise BodyTooLargeError(url, f"body passed the {limit} byte limit while streaming")
            chunks.append(chunk)
        return b"".join(chunks)
