"""robots.txt per host (protego), fetched once per run through the polite fetcher.

RFC 9309: a robots.txt that is absent (4xx) allows everything; one that cannot be
reached (5xx, network error) forbids everything until a later run. Its redirects
are followed on the same host name only.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from urllib.parse import urlsplit

from protego import Protego

from .errors import (
    BlockedAddressError,
    ChallengeError,
    FetchError,
    HTTPStatusError,
    OutOfScopeError,
)
from .fetch import Fetcher, FetchResult
from .urls import host_key

__all__ = ["Robots"]

_ALLOW_ALL = Protego.parse("")
_DISALLOW_ALL = Protego.parse("User-agent: *\nDisallow: /\n")


class Robots:
    """Answers "may we fetch this URL?" and "what Crawl-delay?" for each host."""

    def __init__(self, fetcher: Fetcher, *, obey: bool = True,
                 keep: Callable[[FetchResult], None] | None = None) -> None:
        """``keep`` is given each robots.txt response fetched (to archive it)."""
        self._fetcher = fetcher
        self._obey = obey
        self._keep = keep
        self._rules: dict[str, Protego] = {}
        self.problems: dict[str, str] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def _for(self, url: str, delay_s: float) -> Protego:
        host = host_key(url)
        async with self._locks.setdefault(host, asyncio.Lock()):
            if host not in self._rules:
                self._rules[host] = await self._load(url, delay_s)
        return self._rules[host]

    async def _load(self, url: str, delay_s: float) -> Protego:
        parts = urlsplit(url)
        robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"

        async def same_host(target: str) -> None:
            if urlsplit(target).hostname != parts.hostname:
                raise OutOfScopeError(target, f"robots.txt of {parts.hostname} redirects "
                                              "to another host")

        try:
            result = await self._fetcher.fetch(robots_url, delay_s=delay_s, check=same_host)
        except (ChallengeError, BlockedAddressError):  # the host's own problem, not robots.txt's
            raise
        except HTTPStatusError as exc:
            if 400 <= exc.status < 500:
                return _ALLOW_ALL
            self.problems[host_key(url)] = f"robots.txt answered HTTP {exc.status}"
            return _DISALLOW_ALL
        except FetchError as exc:
            self.problems[host_key(url)] = f"robots.txt unreachable: {exc}"
            return _DISALLOW_ALL
        if self._keep is not None:
            self._keep(result)
        text = result.body.decode("utf-8", errors="replace")
        return Protego.parse(text)

    async def allowed(self, url: str, delay_s: float) -> bool:
        if not self._obey:
            return True
        rules = await self._for(url, delay_s)
        return bool(rules.can_fetch(url, self._fetcher.settings.user_agent))

    async def sitemaps(self, url: str, delay_s: float) -> list[str]:
        """The ``Sitemap:`` URLs robots.txt of ``url``'s host lists."""
        if not self._obey:
            return []
        rules = await self._for(url, delay_s)
        return list(rules.sitemaps)

    async def crawl_delay(self, url: str, delay_s: float) -> float:
        """The longer of ``delay_s`` and the host's Crawl-delay."""
        if not self._obey:
            return delay_s
        rules = await self._for(url, delay_s)
        robots_delay = rules.crawl_delay(self._fetcher.settings.user_agent) or 0.0
        return max(delay_s, float(robots_delay))
