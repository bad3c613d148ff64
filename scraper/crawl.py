"""One crawl pass: due sources -> discover -> fetch -> decode -> clean -> store.

The stages are called in a fixed order with typed arguments. A page's failure is
an outcome (recorded in the frontier and the stats, logged with its URL and
reason); only ArchiveError stops the pass.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from collections.abc import Sequence

import httpx

from cleaners import CleanerError, Rule, RuleSet, clean_html, decode_bytes, default_rules

from .discover import article_matcher, parse_feed, parse_list_page, parse_sitemap, trs_page_url
from .errors import ArchiveError, ChallengeError, FetchError, HTTPStatusError, RobotsDisallowedError
from .fetch import Fetcher, FetchResult
from .frontier import UrlState
from .health import check_health, count_article, count_list_page
from .robots import Robots
from .schedule import is_due
from .settings import Settings
from .sources import Source
from .stats import Stats
from .store import Archive
from .urls import host_key

__all__ = ["crawl", "source_rules"]

log = logging.getLogger("scraper.crawl")
_MAX_SITEMAP_DEPTH = 2


def source_rules(source: Source, base: RuleSet | None = None) -> RuleSet:
    """The cleaning rules of a source: its selectors first, then ``base`` (the defaults)."""
    base = base or default_rules()
    prefix = f"source.{source.id.replace('_', '-')}"
    extra: list[Rule] = []
    if source.content_selector:
        extra.append(Rule(f"{prefix}.content", "content", f"content_selector of source {source.id}",
                          selectors=(source.content_selector,)))
    if source.drop_selectors:
        extra.append(Rule(f"{prefix}.drop", "drop", f"drop_selectors of source {source.id}",
                          selectors=source.drop_selectors))
    return RuleSet(tuple(extra) + base.rules) if extra else base


class _SourcePass:
    """The state of one source during one pass."""

    def __init__(self, source: Source, archive: Archive, fetcher: Fetcher, robots: Robots,
                 settings: Settings, stats: Stats, stop: asyncio.Event, rules: RuleSet) -> None:
        self.source, self.archive, self.fetcher, self.robots = source, archive, fetcher, robots
        self.settings, self.stats, self.stop = settings, stats, stop
        self.rules = source_rules(source, rules)
        self.is_article = article_matcher(source)
        self.delay_s = settings.delay_s if source.delay_s is None else source.delay_s

    def inc(self, key: str, n: int = 1) -> None:
        self.stats.inc(key, n, source=self.source.id)

    async def run(self) -> None:
        sid = self.source.id
        with self.archive.transaction():
            self.archive.source_started(sid)
            frontier = self.archive.frontier
            frontier.add(self.source.start_urls, sid, "list")
            frontier.add(self.source.sitemaps, sid, "sitemap")
            frontier.add(self.source.feeds, sid, "feed")
            frontier.reset_discovery(sid)
        steps = ([(url, self.walk_list) for url in self.source.start_urls]
                 + [(url, self.read_sitemap) for url in self.source.sitemaps]
                 + [(url, self.read_feed) for url in self.source.feeds])
        for url, step in steps:
            try:
                await step(url)
            except (ArchiveError, asyncio.CancelledError):
                raise
            except Exception as exc:  # a broken list page must not cost the source its articles
                log.exception("%s: unexpected error while discovering", url)
                self._failed(url, exc)
        await self.fetch_articles()
        if not self.stop.is_set():
            with self.archive.transaction():
                self.archive.source_finished(sid)

    # -- discovery -------------------------------------------------------------------

    async def _discovery_text(self, url: str, kind: str) -> tuple[FetchResult, str] | None:
        with self.archive.transaction():
            self.archive.frontier.add([url], self.source.id, kind)
        result = await self.fetch(url, None)
        if result is None:
            return None
        try:
            text, _ = decode_bytes(result.body, result.headers, source=url)
        except CleanerError as exc:
            self._failed(url, exc)
            return None
        with self.archive.transaction():
            self.archive.frontier.mark_done(
                url, http_status=result.status, content_type=result.content_type, etag=None,
                last_modified=None, content_hash=None, next_fetch=0)
        self.inc(f"discover/{kind}/fetched")
        return result, text

    def _add_articles(self, urls: list[str]) -> int:
        with self.archive.transaction():
            new = self.archive.frontier.add(urls, self.source.id, "article")
        self.inc("discover/article/new", new)
        return new

    async def walk_list(self, start: str) -> None:
        """Follow a list's pages until one brings no unseen article, or max_list_pages."""
        url: str | None = start
        seen: set[str] = set()
        for page in range(self.source.max_list_pages):
            if url is None or url in seen or self.stop.is_set():
                return
            seen.add(url)
            got = await self._discovery_text(url, "list")
            if got is None:
                return
            result, text = got
            listing = parse_list_page(text, result.final_url, self.source, self.is_article)
            count_list_page(self.stats, self.source.id, len(listing.articles))
            if self._add_articles(listing.articles) == 0:
                self.inc("discover/list/stopped-no-new")
                return
            last = listing.page_count is not None and page + 1 >= listing.page_count
            url = listing.next_page or (None if last else trs_page_url(start, page + 1))

    async def read_sitemap(self, url: str, depth: int = 0) -> None:
        got = await self._discovery_text(url, "sitemap")
        if got is None:
            return
        pages, children = parse_sitemap(got[1])
        self._add_articles([u for u in pages if self.is_article(u)])
        for child in children:
            if depth < _MAX_SITEMAP_DEPTH and not self.stop.is_set():
                await self.read_sitemap(child, depth + 1)

    async def read_feed(self, url: str) -> None:
        got = await self._discovery_text(url, "feed")
        if got is not None:
            self._add_articles([u for u in parse_feed(got[1]) if self.is_article(u)])

    # -- articles ----------------------------------------------------------------------

    async def fetch_articles(self) -> None:
        due = self.archive.frontier.due(self.source.id, "article",
                                        limit=self.settings.max_pages_per_source,
                                        max_failures=self.settings.max_failures)
        self.inc("articles/queued", len(due))
        queue: asyncio.Queue[UrlState] = asyncio.Queue()
        for state in due:
            queue.put_nowait(state)

        async def worker() -> None:
            while not self.stop.is_set() and not queue.empty():
                state = queue.get_nowait()
                try:
                    await self.article(state)
                except (ArchiveError, asyncio.CancelledError):
                    raise
                except Exception as exc:  # a bug on one page must not end the run
                    log.exception("%s: unexpected error", state.url)
                    self._failed(state.url, exc)

        workers = min(self.settings.concurrency, len(due))
        await asyncio.gather(*(worker() for _ in range(workers)))

    async def article(self, state: UrlState) -> None:
        result = await self.fetch(state.url, state)
        if result is None:
            return
        url, revisit = state.url, time.time() + self.settings.revisit_after_s
        if result.not_modified:
            with self.archive.transaction():
                self.archive.frontier.mark_not_modified(url, next_fetch=revisit)
            self.inc("store/article/not-modified")
            return
        digest = hashlib.sha256(result.body).hexdigest()
        changed = result.is_text and digest != state.content_hash  # same bytes: nothing to clean
        article = None
        if changed and self.settings.clean_pages:
            try:
                article = clean_html(result.body, result.final_url, headers=result.headers,
                                     rules=self.rules)
            except CleanerError as exc:
                self._failed(url, exc)
                return
            if not article.text:
                self.inc("clean/empty")
            count_article(self.stats, self.source.id, article)
            for removal in article.removed:
                self.inc(f"clean/removed/{removal.rule}")
        with self.archive.transaction():  # the page and its frontier state, or neither
            if not result.is_text:
                outcome = "skipped-content-type"
            elif not changed:
                outcome = "unchanged"
            elif article is None:
                self.archive.put_response(result, self.source.id)
                outcome = "raw"
            else:
                outcome = self.archive.put_article(article, url=url, source_id=self.source.id,
                                                   result=result)
            self.archive.frontier.mark_done(
                url, http_status=result.status, content_type=result.content_type,
                etag=result.headers.get("etag"), last_modified=result.headers.get("last-modified"),
                content_hash=digest, next_fetch=revisit)
        self.inc(f"store/article/{outcome}")

    # -- fetching ----------------------------------------------------------------------

    async def fetch(self, url: str, state: UrlState | None) -> FetchResult | None:
        """Fetch politely; a failure is recorded and gives ``None``."""
        host = host_key(url)
        if host in self.stats.blocked:
            self.inc("fetch/skipped/blocked")
            return None
        try:
            if not await self.robots.allowed(url, self.delay_s):
                reason = self.robots.problems.get(host, "robots.txt disallows it")
                with self.archive.transaction():
                    self.archive.frontier.mark_skipped(
                        url, RobotsDisallowedError(url, reason),
                        next_fetch=time.time() + self.settings.revisit_after_s)
                self.inc("fetch/skipped/robots")
                return None
            delay = await self.robots.crawl_delay(url, self.delay_s)
            result = await self.fetcher.fetch(url, etag=state.etag if state else None,
                                              last_modified=state.last_modified if state else None,
                                              delay_s=delay)
        except ChallengeError as exc:
            self.stats.blocked[exc.host] = exc.signature
            log.warning("%s", exc)
            with self.archive.transaction():
                self.archive.frontier.mark_skipped(url, exc, next_fetch=0)
            self.inc("fetch/error/ChallengeError")
            return None
        except FetchError as exc:
            self._failed(url, exc)
            return None
        self.inc("fetch/pages")
        return result

    def _failed(self, url: str, exc: Exception) -> None:
        status = exc.status if isinstance(exc, HTTPStatusError) else None
        log.warning("%s", exc if isinstance(exc, FetchError) else f"{url}: {exc}")
        with self.archive.transaction():
            self.archive.frontier.mark_failed(
                url, exc, gone=status in (404, 410), http_status=status,
                next_fetch=time.time() + self.settings.retry_failed_after_s)
        self.inc(f"fetch/error/{type(exc).__name__}")


async def crawl(sources: Sequence[Source], archive: Archive, settings: Settings | None = None, *,
                stats: Stats | None = None, stop: asyncio.Event | None = None,
                rules: RuleSet | None = None, force: bool = False,
                transport: httpx.AsyncBaseTransport | None = None) -> Stats:
    """One pass over the sources that are due (all of them with ``force``).

    Sources run side by side; hosts are shared politely between them. Setting
    ``stop`` finishes the pages in hand and ends the pass.
    """
    settings = settings or Settings()
    stats = stats if stats is not None else Stats()
    stop = stop or asyncio.Event()
    started = time.time()
    due = [s for s in sources if force or is_due(s, archive.last_finished(s.id), started)]
    for source in sources:
        if source not in due:
            stats.inc("source/not-due", source=source.id)
    async with Fetcher(settings, stats=stats, transport=transport) as fetcher:
        robots = Robots(fetcher, obey=settings.obey_robots)
        passes = [_SourcePass(s, archive, fetcher, robots, settings, stats, stop,
                              rules or default_rules()) for s in due]
        results = await asyncio.gather(*(p.run() for p in passes), return_exceptions=True)
    for source, result in zip(due, results, strict=True):
        if isinstance(result, ArchiveError):
            raise result
        if isinstance(result, BaseException):
            log.error("source %s failed: %r", source.id, result)
            stats.inc("source/failed", source=source.id)
    with archive.transaction():
        check_health(archive.conn, stats, [s.id for s in due], started)
        archive.record_run(started, stats.to_dict())
    return stats
