"""Every crawl knob in one frozen dataclass, with its default and its unit.

A sources file may set any of them in a ``[settings]`` table; per-source keys
(``delay_s``) override the crawl-wide value for that source only.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from importlib.metadata import PackageNotFoundError, version

__all__ = ["Settings"]


def _user_agent() -> str:
    try:
        return f"zhengwen/{version('zhengwen')}"
    except PackageNotFoundError:  # running from a checkout without install
        return "zhengwen"


@dataclass(frozen=True)
class Settings:
    """Crawl settings. The README's settings table lists the same fields."""

    #: Sent with every request, robots.txt included; robots rules are matched against it.
    user_agent: str = _user_agent()
    #: Seconds between two requests to one host (robots.txt Crawl-delay wins when longer).
    delay_s: float = 2.0
    #: Requests in flight across all hosts.
    concurrency: int = 8
    #: Seconds to open a connection.
    connect_timeout_s: float = 10.0
    #: Seconds to wait for the next bytes of a response.
    read_timeout_s: float = 30.0
    #: Seconds for a whole response, body included.
    total_timeout_s: float = 60.0
    #: Redirects followed before a fetch fails; every hop is checked against the source's scope.
    max_redirects: int = 5
    #: Let fetches reach private, loopback and link-local addresses (a local test site);
    #: cloud metadata addresses stay refused.
    allow_private_hosts: bool = False
    #: Largest body kept, counted after decompression (a gzip bomb stops here).
    max_body_bytes: int = 10 * 1024 * 1024
    #: Cookies kept per host for the run (at most 8 KB of them); 0 keeps none.
    max_cookies_per_host: int = 50
    #: Timeouts in a row after which a host is given up for the run; 0 never gives up.
    max_host_timeouts: int = 3
    #: Attempts per fetch, the first included (retries only on timeouts, connection errors, 408/429/5xx).
    max_attempts: int = 4
    #: First backoff in seconds; doubles per attempt, with jitter.
    backoff_s: float = 1.0
    #: Longest wait between attempts, a server's Retry-After included.
    max_backoff_s: float = 60.0
    #: Obey robots.txt (turn off only for sites you own).
    obey_robots: bool = True
    #: Seconds before a stored article is fetched again (with If-None-Match / If-Modified-Since).
    revisit_after_s: float = 7 * 24 * 3600.0
    #: Seconds before a failed URL is tried again in a later crawl.
    retry_failed_after_s: float = 3600.0
    #: Failed attempts after which a URL is given up.
    max_failures: int = 5
    #: Article pages fetched per source in one crawl pass.
    max_pages_per_source: int = 1000
    #: Article URLs taken from one list page or feed (a page of 100k links adds no more).
    max_links_per_page: int = 500
    #: Sitemap files read per source in one pass, indexes and robots.txt ``Sitemap:`` lines included.
    max_sitemap_files: int = 50
    #: Levels of sitemap indexes followed below a configured sitemap.
    max_sitemap_depth: int = 2
    #: Page URLs taken from a source's sitemaps in one pass.
    max_sitemap_urls: int = 50000
    #: Also read the sitemaps that robots.txt of the source's hosts names in ``Sitemap:`` lines.
    robots_sitemaps: bool = True
    #: Clean pages while crawling; false keeps raw responses only (``zhengwen reclean`` cleans them later).
    clean_pages: bool = True
    #: Seconds one page may take to clean; a page over it is recorded as failed, the run goes on.
    clean_time_limit_s: float = 30.0
    #: Processes that clean pages beside the crawl, so fetching never waits on a page.
    clean_workers: int = 1
    #: Seconds a worker holds the URLs it takes from the frontier (and a source's list pages);
    #: URLs of a worker killed meanwhile return to the other workers after it.
    lease_s: float = 600.0

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, (int, float)) and not isinstance(value, bool) and value < 0:
                raise ValueError(f"setting {f.name} must be >= 0, not {value!r}")
        if self.concurrency < 1 or self.max_attempts < 1 or self.clean_workers < 1:
            raise ValueError("concurrency, max_attempts and clean_workers must be at least 1")
        if self.clean_time_limit_s <= 0 or self.lease_s <= 0:
            raise ValueError("clean_time_limit_s and lease_s must be more than 0")

    @classmethod
    def names(cls) -> list[str]:
        """Field names, in the order of the README table."""
        return [f.name for f in fields(cls)]
