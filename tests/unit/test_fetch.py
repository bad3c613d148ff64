"""The fetcher against responses a real server cannot easily make (httpx.MockTransport)."""

from __future__ import annotations

import asyncio
import gzip
import zlib
from collections.abc import Callable

import brotli
import httpx
import pytest
import zstandard

from scraper import (
    BodyTooLargeError,
    ChallengeError,
    Fetcher,
    FetchError,
    FetchResult,
    HTTPStatusError,
    OutOfScopeError,
    RedirectError,
    Settings,
    Stats,
    TransportError,
)
from scraper.errors import DecodingError, HostGivenUpError
from scraper.fetch import parse_retry_after

FAST = Settings(delay_s=0.0, backoff_s=0.0, max_attempts=3, max_body_bytes=10_000)


def _fetch(handler: Callable[[httpx.Request], httpx.Response], url: str = "http://a.cn/x.html",
           settings: Settings = FAST, **kw: str) -> tuple[FetchResult, Stats]:
    stats = Stats()

    async def run() -> FetchResult:
        async with Fetcher(settings, stats=stats, transport=httpx.MockTransport(handler)) as f:
            return await f.fetch(url, **kw)

    return asyncio.run(run()), stats


def _counting(responses: list[httpx.Response | Exception]):  # type: ignore[no-untyped-def]
    calls: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        item = responses[min(len(calls), len(responses)) - 1]
        if isinstance(item, Exception):
            raise item
        return item

    return handler, calls


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504])
def test_retries_recover_on_retryable_statuses(status: int) -> None:
    handler, calls = _counting([httpx.Response(status), httpx.Response(200, text="<p>ok</p>")])
    result, stats = _fetch(handler)
    assert result.status == 200 and len(calls) == 2
    assert stats.get(f"fetch/retry/status/{status}") == 1


@pytest.mark.parametrize("status", [400, 401, 403, 404, 410])
def test_no_retry_on_other_4xx(status: int) -> None:
    handler, calls = _counting([httpx.Response(status)])
    with pytest.raises(HTTPStatusError) as info:
        _fetch(handler)
    assert info.value.status == status and len(calls) == 1
    assert "http://a.cn/x.html" in str(info.value)


def test_connection_errors_are_retried_then_reported() -> None:
    handler, calls = _counting([httpx.ConnectError("refused")])
    with pytest.raises(TransportError, match="ConnectError"):
        _fetch(handler)
    assert len(calls) == FAST.max_attempts


def test_timeouts_are_retried() -> None:
    handler, calls = _counting([httpx.ReadTimeout("slow"), httpx.Response(200, text="ok")])
    result, stats = _fetch(handler)
    assert result.body == b"ok" and stats.get("fetch/retry/TransportError") == 1


def test_retry_after_sets_the_wait() -> None:
    handler, calls = _counting([httpx.Response(503, headers={"Retry-After": "0"}),
                                httpx.Response(200, text="ok")])
    assert _fetch(handler)[0].status == 200
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0) == 10.0
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None


def test_retry_after_is_capped_by_max_backoff() -> None:
    settings = Settings(delay_s=0.0, backoff_s=0.0, max_backoff_s=0.01, max_attempts=2)
    handler, calls = _counting([httpx.Response(429, headers={"Retry-After": "3600"}),
                                httpx.Response(200, text="ok")])
    assert _fetch(handler, settings=settings)[0].status == 200


def test_conditional_get_sends_validators_and_takes_304() -> None:
    handler, calls = _counting([httpx.Response(304)])
    result, _ = _fetch(handler, etag='"abc"', last_modified="Mon, 01 Jan 2024 00:00:00 GMT")
    assert result.not_modified and result.body == b""
    assert calls[0].headers["if-none-match"] == '"abc"'
    assert calls[0].headers["if-modified-since"] == "Mon, 01 Jan 2024 00:00:00 GMT"
    assert calls[0].headers["user-agent"].startswith("zhengwen")


def test_body_limit_from_content_length() -> None:
    handler, _ = _counting([httpx.Response(200, headers={"Content-Length": "20000"},
                                           content=b"x" * 20000)])
    with pytest.raises(BodyTooLargeError, match="Content-Length"):
        _fetch(handler)


def test_body_limit_while_streaming_without_length() -> None:
    async def chunks():  # type: ignore[no-untyped-def]
        for _ in range(2):
            yield b"x" * 6000

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=chunks())

    with pytest.raises(BodyTooLargeError, match="streaming"):
        _fetch(handler)


def test_body_limit_counts_decompressed_bytes() -> None:
    bomb = gzip.compress(b"\0" * 200_000)  # 200 kB that travels as a few hundred bytes
    handler, _ = _counting([httpx.Response(200, headers={"Content-Encoding": "gzip"},
                                           content=bomb)])
    with pytest.raises(BodyTooLargeError):
        _fetch(handler)


def test_too_many_redirects_are_not_retried() -> None:
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        step = request.url.path.strip("/")
        n = int(step) if step.isdigit() else 0
        return httpx.Response(302, headers={"Location": f"/{n + 1}"})

    with pytest.raises(RedirectError, match="more than 3 redirects"):
        _fetch(handler, settings=Settings(delay_s=0.0, max_redirects=3, max_attempts=3))
    assert len(calls) == 4  # the URL and three hops, once


def test_a_redirect_loop_is_named_and_not_retried() -> None:
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        target = "/b.html" if request.url.path == "/a.html" else "/a.html"
        return httpx.Response(302, headers={"Location": target})

    with pytest.raises(RedirectError, match="redirect loop: .*a.html -> .*b.html -> .*a.html"):
        _fetch(handler, url="http://a.cn/a.html")
    assert calls == ["/a.html", "/b.html"]


def test_every_redirect_hop_is_checked() -> None:
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(str(request.url))
        return httpx.Response(302, headers={"Location": "http://internal.a.cn:8080/admin"})

    async def check(url: str) -> None:
        if not url.startswith("http://a.cn/"):
            raise OutOfScopeError(url, "redirect leaves the source's hosts")

    async def run() -> None:
        async with Fetcher(FAST, transport=httpx.MockTransport(handler)) as fetcher:
            await fetcher.fetch("http://a.cn/x.html", check=check)

    with pytest.raises(OutOfScopeError, match="internal.a.cn:8080"):
        asyncio.run(run())
    assert calls == ["http://a.cn/x.html"]  # the target was never asked


def test_redirect_gives_final_url() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/old.html":
            return httpx.Response(301, headers={"Location": "/new.html"})
        return httpx.Response(200, text="<p>moved</p>", headers={"Content-Type": "text/html"})

    result, _ = _fetch(handler, url="http://a.cn/old.html")
    assert (result.url, result.final_url) == ("http://a.cn/old.html", "http://a.cn/new.html")
    assert result.is_text


@pytest.mark.parametrize(("status", "body", "headers", "signature"), [
    (412, b"<script>var $_ts=window['$_ts'];</script>", {}, "ruishu-$_ts"),
    (202, b"<script>$_ts.cd='x';</script>", {}, "ruishu-$_ts"),
    (521, b"<script>document.cookie='__jsl_clearance=1'</script>",
     {"Set-Cookie": "__jsluid_h=abc; path=/"}, "jiasule-__jsl"),
])
def test_challenge_pages_are_recognised(status: int, body: bytes, headers: dict, signature: str) -> None:
    handler, calls = _counting([httpx.Response(status, content=body, headers=headers)])
    with pytest.raises(ChallengeError) as info:
        _fetch(handler)
    assert info.value.host == "a.cn" and info.value.signature == signature
    assert len(calls) == 1  # never retried, never bypassed


def test_a_plain_412_is_a_status_error_not_a_challenge() -> None:
    handler, _ = _counting([httpx.Response(412, text="precondition failed")])
    with pytest.raises(HTTPStatusError):
        _fetch(handler)


def test_non_html_is_flagged() -> None:
    handler, _ = _counting([httpx.Response(200, content=b"%PDF-1.4",
                                           headers={"Content-Type": "application/pdf"})])
    result, _ = _fetch(handler)
    assert not result.is_text and result.content_type == "application/pdf"


def test_unsupported_scheme_is_a_fetch_error() -> None:
    async def run() -> None:
        async with Fetcher(FAST) as fetcher:  # the real transport refuses before connecting
            await fetcher.fetch("ftp://a.cn/x")

    with pytest.raises(FetchError, match="ftp://a.cn/x") as info:
        asyncio.run(run())
    assert not info.value.retryable


def test_total_timeout_covers_a_trickling_body() -> None:
    async def trickle():  # type: ignore[no-untyped-def]
        for _ in range(10):
            await asyncio.sleep(0.05)
            yield b"x"

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=trickle())

    settings = Settings(delay_s=0.0, total_timeout_s=0.2, max_attempts=1)
    with pytest.raises(TransportError, match="no complete response in 0.2 s"):
        _fetch(handler, settings=settings)


def _encoded(encoding: str, data: bytes) -> httpx.Response:
    """A response whose body travels encoded (``content=`` would make httpx decode it)."""
    return httpx.Response(200, headers={"Content-Encoding": encoding},
                          stream=httpx.ByteStream(data))


def _bomb(encoding: str, size: int = 200_000) -> bytes:
    data = b"\0" * size
    for name in [n.strip() for n in encoding.split(",")]:  # applied left to right
        data = {"gzip": gzip.compress, "br": brotli.compress,
                "zstd": zstandard.ZstdCompressor().compress,
                "deflate": zlib.compress}[name](data)
    return data


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "br", "zstd", "gzip, gzip",
                                      "br, gzip", "zstd, gzip, deflate"])
def test_every_encoding_is_decoded(encoding: str) -> None:
    page = "<p>正文</p>".encode() * 100
    data = page
    for name in [n.strip() for n in encoding.split(",")]:  # applied left to right
        data = {"gzip": gzip.compress, "br": brotli.compress,
                "zstd": zstandard.ZstdCompressor().compress, "deflate": zlib.compress}[name](data)
    handler, _ = _counting([_encoded(encoding, data)])
    assert _fetch(handler)[0].body == page


@pytest.mark.parametrize("encoding", ["gzip, gzip", "br", "zstd", "deflate, br"])
def test_bombs_stop_at_the_decoder_and_are_not_retried(encoding: str) -> None:
    handler, calls = _counting([_encoded(encoding, _bomb(encoding))])
    with pytest.raises(BodyTooLargeError, match="10000 byte limit"):
        _fetch(handler)
    assert len(calls) == 1


def test_bad_compressed_data_is_a_decoding_error_not_retried() -> None:
    handler, calls = _counting([_encoded("gzip", b"this is not gzip at all")])
    with pytest.raises(DecodingError, match="'gzip'"):
        _fetch(handler)
    assert len(calls) == 1


def test_cookies_are_capped_per_host() -> None:
    flood = [("Set-Cookie", f"c{i}={'v' * 100}; Path=/") for i in range(200)]
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers.get("cookie", ""))
        return httpx.Response(200, headers=flood, text="ok")

    async def run() -> None:
        settings = Settings(delay_s=0.0, max_cookies_per_host=20)
        async with Fetcher(settings, transport=httpx.MockTransport(handler)) as fetcher:
            for _ in range(5):
                await fetcher.fetch("http://a.cn/x.html")

    asyncio.run(run())
    assert seen[0] == "" and 0 < len(seen[-1]) < 8192
    assert seen[-1].count("=") == 20


def test_no_cookies_when_the_cap_is_zero() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers.get("cookie", ""))
        return httpx.Response(200, headers={"Set-Cookie": "s=1; Path=/"}, text="ok")

    async def run() -> None:
        async with Fetcher(Settings(delay_s=0.0, max_cookies_per_host=0),
                           transport=httpx.MockTransport(handler)) as fetcher:
            for _ in range(2):
                await fetcher.fetch("http://a.cn/x.html")

    asyncio.run(run())
    assert seen == ["", ""]


def test_a_host_that_keeps_timing_out_is_given_up() -> None:
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(str(request.url))
        if request.url.host == "slow.cn":
            raise httpx.ReadTimeout("slow")
        return httpx.Response(200, text="ok")

    async def run() -> list[BaseException | FetchResult]:
        settings = Settings(delay_s=0.0, backoff_s=0.0, max_attempts=2, max_host_timeouts=3)
        async with Fetcher(settings, transport=httpx.MockTransport(handler)) as fetcher:
            results = [await _outcome(fetcher.fetch(f"http://slow.cn/{i}.html")) for i in range(5)]
            results.append(await fetcher.fetch("http://fast.cn/x.html"))
            return results

    results = asyncio.run(run())
    assert len([c for c in calls if "slow.cn" in c]) == 3
    assert isinstance(results[-2], HostGivenUpError)
    assert "after 3 timeouts in a row" in str(results[-2])
    assert isinstance(results[-1], FetchResult)


async def _outcome(coro):  # type: ignore[no-untyped-def]
    try:
        return await coro
    except FetchError as exc:
        return exc


@pytest.mark.parametrize(("body", "signature"), [
    (b"<script>var $_ts=window['$_ts'];if(!$_ts)$_ts={};$_ts.nsd=1;</script>", "ruishu-$_ts"),
    (b"<script>document.cookie=('_')+('_jsl_clearance_s=1');location.href=location</script>"
     b"__jsl_clearance", "jiasule-__jsl"),
    (b"<html><script>var arg1='3F2A';document.cookie='acw_sc__v2='+x;</script></html>",
     "aliyun-acw_sc"),
    ("<html><body><p>您的访问请求正在验证中……</p></body></html>".encode(), "verification-page"),
    ("<html><body><p>您的访问请求正在验证中……</p></body></html>".encode("gb18030"),
     "verification-page"),
])
def test_challenges_are_recognised_by_body_with_status_200(body: bytes, signature: str) -> None:
    handler, calls = _counting([httpx.Response(200, content=body)])
    with pytest.raises(ChallengeError) as info:
        _fetch(handler)
    assert info.value.signature == signature and len(calls) == 1


def test_an_article_about_cookies_is_not_a_challenge() -> None:
    page = "<p>网站使用 document.cookie 保存登录状态。</p>".encode() * 20
    handler, _ = _counting([httpx.Response(200, content=page)])
    assert _fetch(handler)[0].body == page


def test_raw_deflate_arriving_a_byte_at_a_time() -> None:
    page = "<p>正文</p>".encode() * 50
    packer = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    raw = packer.compress(page) + packer.flush()

    async def one_byte_chunks():  # type: ignore[no-untyped-def]
        for i in range(len(raw)):
            yield raw[i:i + 1]

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"Content-Encoding": "deflate"},
                              content=one_byte_chunks())

    assert _fetch(handler)[0].body == page
