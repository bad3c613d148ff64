import asyncio

import httpx

from scraper import Fetcher, Settings
from scraper.robots import Robots

SETTINGS = Settings(delay_s=0.0, backoff_s=0.0, max_attempts=1, user_agent="zhengwen-test")


def _check(robots_response: httpx.Response, url: str) -> tuple[bool, float, dict[str, str]]:
    def handler(request: httpx.Request) -> httpx.Response:
        assert request.url.path == "/robots.txt"
        return robots_response

    async def run() -> tuple[bool, float, dict[str, str]]:
        async with Fetcher(SETTINGS, transport=httpx.MockTransport(handler)) as fetcher:
            robots = Robots(fetcher)
            return (await robots.allowed(url, 0.0), await robots.crawl_delay(url, 0.5),
                    robots.problems)

    return asyncio.run(run())


def test_disallow_and_crawl_delay() -> None:
    text = "User-agent: *\nDisallow: /private/\nCrawl-delay: 3\n"
    assert _check(httpx.Response(200, text=text), "http://a.cn/private/x.html")[:2] == (False, 3.0)
    assert _check(httpx.Response(200, text=text), "http://a.cn/news/x.html")[:2] == (True, 3.0)


def test_rules_for_our_user_agent() -> None:
    text = "User-agent: zhengwen-test\nDisallow: /\n\nUser-agent: *\nAllow: /\n"
    assert _check(httpx.Response(200, text=text), "http://a.cn/x.html")[0] is False


def test_missing_robots_allows_everything() -> None:
    allowed, delay, problems = _check(httpx.Response(404), "http://a.cn/x.html")
    assert allowed and delay == 0.5 and problems == {}


def test_unreachable_robots_forbids_and_says_why() -> None:
    allowed, _, problems = _check(httpx.Response(503), "http://a.cn/x.html")
    assert not allowed and problems == {"a.cn": "robots.txt answered HTTP 503"}


def test_sitemap_lines_and_the_response_kept() -> None:
    text = "User-agent: *\nDisallow:\nSitemap: http://a.cn/sitemap.xml.gz\n"
    kept = []

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, text=text)

    async def run() -> list[str]:
        async with Fetcher(SETTINGS, transport=httpx.MockTransport(handler)) as fetcher:
            return await Robots(fetcher, keep=kept.append).sitemaps("http://a.cn/x.html", 0.0)

    assert asyncio.run(run()) == ["http://a.cn/sitemap.xml.gz"]
    assert [r.final_url for r in kept] == ["http://a.cn/robots.txt"]


def test_robots_redirected_to_another_host_is_unreachable() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(301, headers={"Location": "http://other.cn/robots.txt"})

    async def run() -> tuple[bool, dict[str, str]]:
        async with Fetcher(SETTINGS, transport=httpx.MockTransport(handler)) as fetcher:
            robots = Robots(fetcher)
            return await robots.allowed("http://a.cn/x.html", 0.0), robots.problems

    allowed, problems = asyncio.run(run())
    assert not allowed and "redirects to another host" in problems["a.cn"]
