"""The HTTP client: conditional GET, size caps, retries with backoff and Retry-After.

Redirects are followed here, hop by hop, so that every hop is checked (loops, the
source's scope and robots.txt through the caller's ``check``, the address guard of
:mod:`scraper.scope` at connect time) and takes a polite slot of its own host.
Bodies are decoded by :mod:`scraper.encodings` within the byte budget.

httpx and tenacity errors are translated here and nowhere else; callers see the
:class:`~scraper.errors.FetchError` tree. ``transport=`` takes any httpx transport
(tests pass ``httpx.MockTransport`` for responses a real server cannot easily make);
it replaces the network, and with it the address guard.
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from http.cookiejar import Cookie, CookieJar

import httpx
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, stop_after_attempt
from tenacity.wait import wait_random_exponential

from .challenge import detect_challenge
from .encodings import ACCEPT_ENCODING, BodyDecoder, BudgetExceeded, DecodeFailed
from .errors import (
    BlockedAddressError,
    BodyTooLargeError,
    ChallengeError,
    DecodingError,
    FetchError,
    HostGivenUpError,
    HTTPStatusError,
    RedirectError,
    TransportError,
)
from .politeness import Politeness
from .scope import AddressGuard, GuardedTransport, Resolver
from .settings import Settings
from .stats import Stats
from .urls import host_key, resolve_url

__all__ = ["FetchResult", "Fetcher", "HopCheck", "TEXT_TYPES"]

log = logging.getLogger("scraper.fetch")

#: Called with every redirect target before it is fetched; raises a FetchError to refuse it.
HopCheck = Callable[[str], Awaitable[None]]

#: Content types that are decoded and cleaned; anything else is recorded, not cleaned.
TEXT_TYPES = frozenset({"", "text/html", "application/xhtml+xml", "text/plain"})
_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
# What a server may make us send back: a host's cookies never pass this many bytes.
_COOKIE_BYTES_PER_HOST = 8192


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


class _CappedCookieJar(CookieJar):
    """A cookie jar that keeps at most ``per_host`` cookies and 8 KB per domain; the rest
    of a flood of Set-Cookie headers is dropped."""

    def __init__(self, per_host: int) -> None:
        super().__init__()
        self._per_host = per_host

    def set_cookie(self, cookie: Cookie) -> None:
        held = [c for c in self if c.domain == cookie.domain and c.name != cookie.name]
        size = sum(len(c.name) + len(c.value or "") for c in held)
        if (len(held) >= self._per_host
                or size + len(cookie.name) + len(cookie.value or "") > _COOKIE_BYTES_PER_HOST):
            return
        super().set_cookie(cookie)


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
    """Polite, retrying GETs. Use as ``async with Fetcher(settings) as fetcher``.

    ``resolver`` replaces DNS for the address guard (tests); ``transport`` replaces
    the network altogether; ``politeness`` shares host slots with other workers.
    """

    def __init__(self, settings: Settings, *, stats: Stats | None = None,
                 transport: httpx.AsyncBaseTransport | None = None,
                 resolver: Resolver | None = None,
                 politeness: Politeness | None = None) -> None:
        self.settings = settings
        self.stats = stats if stats is not None else Stats()
        self.politeness = politeness or Politeness(settings.concurrency)
        #: Hosts given up for this run, with the reason.
        self.given_up: dict[str, str] = {}
        self._timeouts: dict[str, int] = {}
        self._backoff = wait_random_exponential(multiplier=settings.backoff_s,
                                                max=settings.max_backoff_s)
        timeout = httpx.Timeout(settings.read_timeout_s, connect=settings.connect_timeout_s)
        limits = httpx.Limits(max_connections=settings.concurrency * 2)
        if transport is None:
            guard = AddressGuard(allow_private=settings.allow_private_hosts, resolver=resolver)
            transport = GuardedTransport(guard, limits=limits)
        self._client = httpx.AsyncClient(
            transport=transport, timeout=timeout, follow_redirects=False, trust_env=False,
            cookies=_CappedCookieJar(settings.max_cookies_per_host),
            headers={"User-Agent": settings.user_agent, "Accept": _ACCEPT,
                     "Accept-Encoding": ACCEPT_ENCODING,
                     "Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"},
            limits=limits)

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._client.aclose()

    async def fetch(self, url: str, *, etag: str | None = None,
                    last_modified: str | None = None, delay_s: float | None = None,
                    check: HopCheck | None = None) -> FetchResult:
        """GET ``url``, retrying what may recover; raise a FetchError for the rest.

        ``check`` vets every redirect target (scope, robots.txt) before it is fetched.
        """
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
                return await self._follow(url, headers, delay, check)
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

    async def _follow(self, url: str, headers: dict[str, str], delay: float,
                      check: HopCheck | None) -> FetchResult:
        """One attempt: the URL and its redirects, each hop vetted and polite."""
        chain = [url]
        hop = url
        while True:
            response = await self._hop(hop, headers, delay)
            if isinstance(response, FetchResult):
                return replace(response, url=url)  # final_url is the last hop
            target = resolve_url(response, hop)
            if target is None:
                raise RedirectError(url, f"{hop} redirects to {response!r}, not an http(s) URL")
            if target in chain:
                raise RedirectError(url, "redirect loop: " + " -> ".join([*chain, target]))
            if len(chain) > self.settings.max_redirects:
                raise RedirectError(url, f"more than {self.settings.max_redirects} redirects")
            if check is not None:
                await check(target)
            chain.append(target)
            hop = target

    async def _hop(self, url: str, headers: dict[str, str], delay: float) -> FetchResult | str:
        """One request: a result, or the Location of a redirect."""
        host = host_key(url)
        async with self.politeness.slot(host, delay):
            if host in self.given_up:  # checked in the slot: the queue behind a slow host
                raise HostGivenUpError(url, self.given_up[host])
            try:
                async with asyncio.timeout(self.settings.total_timeout_s):
                    result = await self._get(url, headers)
            except TimeoutError as exc:
                self._timed_out(host)
                raise TransportError(url, f"no complete response in "
                                          f"{self.settings.total_timeout_s:g} s") from exc
            except httpx.TimeoutException as exc:
                self._timed_out(host)
                raise TransportError(url, f"timed out ({type(exc).__name__})") from exc
        self._timeouts.pop(host, None)
        return result

    def _timed_out(self, host: str) -> None:
        count = self._timeouts[host] = self._timeouts.get(host, 0) + 1
        limit = self.settings.max_host_timeouts
        if limit and count >= limit and host not in self.given_up:
            self.given_up[host] = (f"host {host} given up for this run after {count} "
                                   "timeouts in a row")
            self.stats.inc("fetch/host-given-up")
            log.warning("%s", self.given_up[host])

    async def _get(self, url: str, headers: dict[str, str]) -> FetchResult | str:
        try:
            async with self._client.stream("GET", url, headers=headers) as response:
                status = response.status_code
                self.stats.inc(f"fetch/status/{status}")
                resp_headers = {k.lower(): v for k, v in response.headers.items()}
                if status in _REDIRECTS:
                    location = response.headers.get("location")
                    if not location:
                        raise RedirectError(url, f"HTTP {status} without a Location header")
                    return location
                body = await self._read(url, response)
        except httpx.UnsupportedProtocol as exc:
            raise FetchError(url, f"unsupported URL: {exc}") from exc
        except httpx.TimeoutException:
            raise
        except httpx.TransportError as exc:
            raise TransportError(url, f"{type(exc).__name__}: {exc or 'connection failed'}") from exc
        except httpx.InvalidURL as exc:
            raise FetchError(url, f"invalid URL: {exc}") from exc
        except BlockedAddressError as exc:  # raised at connect time, named by host only
            raise BlockedAddressError(url, exc.reason) from exc
        reason = detect_challenge(status, resp_headers, body)
        if reason:
            raise ChallengeError(url, host_key(url), reason)
        if status >= 400 or (300 <= status < 400 and status != 304):
            raise HTTPStatusError(url, status, parse_retry_after(resp_headers.get("retry-after")))
        return FetchResult(url=url, final_url=url, status=status, headers=resp_headers,
                           body=body, fetched_at=datetime.now(UTC).timestamp())

    async def _read(self, url: str, response: httpx.Response) -> bytes:
        limit = self.settings.max_body_bytes
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise BodyTooLargeError(url, f"Content-Length {declared} is over the {limit} byte limit")
        decoder = BodyDecoder(response.headers.get("content-encoding", ""), limit)
        chunks: list[bytes] = []
        try:
            # the raw stream (aiter_raw refuses a mocked response that holds its bytes)
            async for raw in response.stream:  # type: ignore[union-attr]
                chunks.extend(decoder.feed(raw))
        except BudgetExceeded as exc:
            raise BodyTooLargeError(url, f"body {exc}") from exc
        except DecodeFailed as exc:
            raise DecodingError(url, f"Content-Encoding "
                                     f"{response.headers.get('content-encoding')!r}: {exc}") from exc
        return b"".join(chunks)
