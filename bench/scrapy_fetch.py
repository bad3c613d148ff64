"""``python -m bench.scrapy_fetch``: the crawl benchmark's fetch-only job in Scrapy,
against the same generated site and with the same politeness (one request in
flight per host, no delay, 8 in flight overall, robots.txt obeyed); every article
page is stored (url, status, body) in a JSON-lines feed."""

from __future__ import annotations

import argparse
import re

import scrapy
from scrapy.crawler import CrawlerProcess

from bench.crawlsite import PER_LIST, host_ips

_ARTICLE = re.compile(r"/t20241001_\d+\.html$")


class FetchSpider(scrapy.Spider):
    name = "fetch"

    def __init__(self, starts: list[str], pages: int, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.starts, self.pages = starts, pages

    async def start(self):  # type: ignore[no-untyped-def]
        for url in self.starts:
            yield scrapy.Request(url, callback=self.parse_list, cb_kwargs={"start": url, "page": 0})

    def parse_list(self, response, start: str, page: int):  # type: ignore[no-untyped-def]
        for href in response.css("a::attr(href)").getall():
            url = response.urljoin(href)
            if _ARTICLE.search(url):
                yield scrapy.Request(url, callback=self.parse_article)
        if page + 1 < self.pages:
            yield scrapy.Request(start.replace("index.html", f"index_{page + 1}.html"),
                                 callback=self.parse_list,
                                 cb_kwargs={"start": start, "page": page + 1})

    def parse_article(self, response):  # type: ignore[no-untyped-def]
        yield {"url": response.url, "status": response.status, "body": response.text}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hosts", type=int, required=True)
    parser.add_argument("--pages", type=int, required=True, help="articles per host")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    process = CrawlerProcess(settings={
        "ROBOTSTXT_OBEY": True, "CONCURRENT_REQUESTS": args.concurrency,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 1, "DOWNLOAD_DELAY": 0, "RETRY_TIMES": 1,
        "COOKIES_ENABLED": False, "TELNETCONSOLE_ENABLED": False, "LOG_LEVEL": "ERROR",
        "USER_AGENT": "zhengwen-bench", "FEEDS": {args.out: {"format": "jsonlines"}},
    })
    starts = [f"http://{ip}:{args.port}/list/index.html" for ip in host_ips(args.hosts)]
    process.crawl(FetchSpider, starts=starts, pages=-(-args.pages // PER_LIST))
    process.start()


if __name__ == "__main__":
    main()
