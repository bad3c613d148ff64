"""One crawl pass: due sources -> discover -> fetch -> decode -> clean -> store.

The stages are called in a fixed order with typed arguments. A page's failure is
an outcome (recorded in the frontier and the stats, logged with its URL and
reason); only ArchiveError stops the pass. Pages are cleaned in worker processes
under a time limit, so fetching never waits on a page being cleaned. Setting
``stop`` abandons requests, retries and backoff waits at once; what is stored
stays stored (each page is one transaction).
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from collections.abc import Awaitable, Sequence
from typing import Any, TypeVar

import httpx

from cleaners import Article, CleanerError, RuleSet, decode_bytes, default_rules
from cleaners.isolation import Document, IsolatedCleaner

from .discover import article_matcher, parse_list_page, trs_page_url
from .errors import (
    ArchiveError,
    ChallengeError,
    FetchError,
    HTTPStatusError,
    RobotsDisallowedError,
    RobotsUnavailableError,
)
from .feeds import parse_feed
from .fetch import Fetcher, FetchResult
from .frontier import UrlState
from .health import check_health, count_article, count_list_page
from .politeness import SharedPoliteness
from .robots import Robots
from .schedule import is_due, next_run
from .scope import Scope
from .settings import Settings
from .sitemaps import parse_sitemap
from .sources import Source, source_rules
from .stats import Stats
from .store import Archive
from .templates import HostTemplates
from .urls import host_key

__all__ = ["crawl", "page_problem"]

log = logging.getLogger("scraper.crawl")
_T = TypeVar("_T")
# Leading bytes of formats that are never a page, whatever the Content-Type says.
_BINARY_MAGIC = (b"%PDF", b"PK\x03\x04", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"\x1f\x8b",
                 b"Rar!", b"\xd0\xcf\x11\xe0", b"7z\xbc\xaf")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_POLL_S = 0.25  # between looks at a frontier that another worker is still filling


def page_problem(body: bytes) -> tuple[str, str] | None:
    """``(outcome, reason)`` when a body served as text is no page at all, else ``None``."""
    if not body.strip():
        return "empty", "empty body"
    head = body[:1024]
    if head.startswith(_BINARY_MAGIC) or (b"\x00" in head and not head.startswith(_UTF16_BOMS)):
        return "binary", "binary content served as a page"
    return None


class _SourcePass:
    """The state of one source during one pass."""

    def __init__(self, source: Source, archive: Archive, fetcher: Fetcher, robots: Robots,
                 settings: Settings, stats: Stats, stopping: asyncio.Future[Any],
                 rules: RuleSet, cleaner: IsolatedCleaner | None) -> None:
        self.source, self.archive, self.fetcher, self.robots = source, archive, fetcher, robots
        self.settings, self.stats, self.stopping = settings, stats, stopping
        self.rules = source_rules(source, rules)
        self.cleaner = cleaner
        self.scope = Scope.of(source)
        self.templates = HostTemplates(archive)
        self.is_article = article_matcher(source)
        self.delay_s = settings.delay_s if source.delay_s is None else source.delay_s
        self.due_before = 0.0  # the pass takes the URLs due when it started
        self.walk_all = False  # walk list pages past one with nothing new
        self.sitemaps_seen: set[str] = set()  # an index listing itself is read once
        self.sitemap_urls = 0

    def inc(self, key: str, n: int = 1) -> None:
        self.stats.inc(key, n, source=self.source.id)

    @property
    def stopped(self) -> bool:
        return self.stopping.done()

    async def run(self) -> None:
        sid = self.source.id
        frontier = self.archive.frontier
        self.due_before = self.archive.conn.now()
        try:
            if not await self.claimed_discovery():
                self.inc("discover/by-other-worker")
                log.info("%s: another worker reads or has read its list pages in this pass; "
                         "taking articles only", sid)
            await self.fetch_articles()
        finally:
            frontier.release(sid)
        self.templates.save()
        if not self.stopped:
            with self.archive.transaction():
                self.archive.source_finished(sid)

    async def claimed_discovery(self) -> bool:
        """Read the source's list pages, sitemaps and feeds if this worker can claim
        them; ``False`` when another worker reads or has read them for this pass."""
        frontier = self.archive.frontier
        if not frontier.claim_discovery(self.source.id, self.settings.lease_s):
            return False
        try:
            await self.discover()
        finally:
            frontier.end_discovery(self.source.id, completed=not self.stopped)
        return True

    async def discover(self) -> None:
        """Read the source's list pages, sitemaps and feeds (this worker's claim).
        After a discovery that never completed (its worker was killed or stopped), list
        pages are walked to the end: the stop at a page with nothing new would otherwise
        leave the unread pages' articles unfound."""
        sid = self.source.id
        self.walk_all = self.archive.frontier.discovery_interrupted(sid)
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
        if self.settings.robots_sitemaps and self.settings.obey_robots and not self.stopped:
            await self.read_robots_sitemaps()

    # -- discovery -------------------------------------------------------------------

    async def _discovery_fetch(self, url: str, kind: str) -> FetchResult | None:
        """Fetch a list page, sitemap or feed; its response is kept for the raw WARC."""
        with self.archive.transaction():
            self.archive.frontier.add([url], self.source.id, kind)
        self.archive.frontier.claim_discovery(self.source.id, self.settings.lease_s)  # renewed
        result = await self.fetch(url, None)
        if result is None:
            return None
        with self.archive.transaction():
            self.archive.put_discovery_response(result, self.source.id, kind)
            self.archive.frontier.mark_done(
                url, http_status=result.status, content_type=result.content_type, etag=None,
                last_modified=None, content_hash=None, next_fetch=0, outcome="read")
        self.inc(f"discover/{kind}/fetched")
        log.info("%s: %s read", url, kind)
        return result

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
            if url is None or url in seen or self.stopped:
                return
            seen.add(url)
            result = await self._discovery_fetch(url, "list")
            if result is None:
                return
            try:
                text, _ = decode_bytes(result.body, result.headers, source=url)
            except CleanerError as exc:
                self._failed(url, exc)
                return
            cap = self.settings.max_links_per_page
            listing = parse_list_page(text, result.final_url, self.source, self.is_article,
                                      max_links=cap)
            if len(listing.articles) >= cap:
                self.inc("discover/list/capped")
            count_list_page(self.stats, self.source.id, len(listing.articles))
            if self._add_articles(listing.articles) == 0 and not self.walk_all:
                self.inc("discover/list/stopped-no-new")
                return
            last = listing.page_count is not None and page + 1 >= listing.page_count
            url = listing.next_page or (None if last else trs_page_url(start, page + 1))

    async def read_sitemap(self, url: str, depth: int = 0) -> None:
        """A sitemap or index, its children depth-first: each file once, within the
        depth, file and URL caps."""
        limits = self.settings
        if (url in self.sitemaps_seen or self.stopped
                or self.sitemap_urls >= limits.max_sitemap_urls):
            return
        if len(self.sitemaps_seen) >= limits.max_sitemap_files:
            self.inc("discover/sitemap/capped")
            return
        self.sitemaps_seen.add(url)
        result = await self._discovery_fetch(url, "sitemap")
        if result is None:
            return
        try:
            sitemap = await asyncio.to_thread(
                parse_sitemap, result.body, url, max_bytes=limits.max_body_bytes,
                max_urls=limits.max_sitemap_urls - self.sitemap_urls)
        except FetchError as exc:  # a gzipped sitemap too large or broken
            self._failed(url, exc)
            return
        self.sitemap_urls += len(sitemap.pages)
        self._add_articles([u for u in sitemap.pages if self.is_article(u)])
        for child in sitemap.children:
            if depth >= limits.max_sitemap_depth:
                self.inc("discover/sitemap/too-deep")
                return
            await self.read_sitemap(child, depth + 1)

    async def read_robots_sitemaps(self) -> None:
        """The ``Sitemap:`` lines of robots.txt of the source's start hosts, in scope."""
        for start in self.source.start_urls:
            try:
                listed = await self.robots.sitemaps(start, self.delay_s)
            except FetchError:  # the host's own problem; its URLs record it
                continue
            for url in listed:
                if self.scope.allows(url):
                    await self.read_sitemap(url)

    async def read_feed(self, url: str) -> None:
        result = await self._discovery_fetch(url, "feed")
        if result is not None:
            links = await asyncio.to_thread(parse_feed, result.body, result.final_url,
                                            max_links=self.settings.max_links_per_page)
            self._add_articles([u for u in links if self.is_article(u)])

    # -- articles ----------------------------------------------------------------------

    async def fetch_articles(self) -> None:
        """Fetch the source's due articles, leased from the frontier a batch at a time
        (other workers of a shared archive take the rest); while another worker still
        reads the source's list pages, wait for the URLs it finds, and read them when
        its claim ends without a completed discovery (its worker died)."""
        frontier = self.archive.frontier
        left = self.settings.max_pages_per_source
        batch = self.settings.concurrency  # a small batch leaves the rest to other workers
        queue: list[UrlState] = []
        refill = asyncio.Lock()

        waited = False  # for another worker's discovery

        async def next_state() -> UrlState | None:
            nonlocal left, waited
            async with refill:
                while not queue and left > 0 and not self.stopped:
                    states = frontier.lease(self.source.id, "article", limit=min(batch, left),
                                            max_failures=self.settings.max_failures,
                                            due_before=self.due_before,
                                            lease_s=self.settings.lease_s)
                    if states:
                        left -= len(states)
                        self.inc("articles/queued", len(states))
                        queue.extend(reversed(states))
                    elif frontier.discovering_elsewhere(self.source.id):
                        waited = True
                        await asyncio.sleep(_POLL_S)
                    elif waited:  # its claim ended: finished, or its worker died
                        waited = False
                        if not await self.claimed_discovery():
                            break
                        self.inc("discover/taken-over")
                    else:
                        break
                return queue.pop() if queue and not self.stopped else None

        async def worker() -> None:
            while (state := await next_state()) is not None:
                try:
                    await self.article(state)
                except (ArchiveError, asyncio.CancelledError):
                    raise
                except Exception as exc:  # a bug on one page must not end the run
                    log.exception("%s: unexpected error", state.url)
                    self._failed(state.url, exc, article=True)

        await asyncio.gather(*(worker() for _ in range(self.settings.concurrency)))

    async def article(self, state: UrlState) -> None:
        result = await self.fetch(state.url, state)
        if result is None:
            return
        url, revisit = state.url, time.time() + self.settings.revisit_after_s
        if result.not_modified:
            with self.archive.transaction():
                self.archive.frontier.mark_not_modified(url, next_fetch=revisit)
            self._outcome(url, "not-modified")
            return
        digest = hashlib.sha256(result.body).hexdigest()
        problem = page_problem(result.body) if result.is_text else None
        article: Article | None = None
        outcome, note = "skipped-content-type", None
        if not result.is_text:
            note = f"content type {result.content_type}"
        elif digest == state.content_hash:  # same bytes: nothing to clean
            outcome = "unchanged"
        elif problem is not None:
            outcome, note = problem
        elif self.cleaner is not None:
            article = await self.clean(url, result)
            if article is None:
                return
            if not article.text and not article.title:
                outcome, note, article = "empty", "no title and no text after cleaning", None
        else:
            outcome = "raw"
        with self.archive.transaction():  # the page and its frontier state, or neither
            if article is not None:
                outcome = self.archive.put_article(article, url=url, source_id=self.source.id,
                                                   result=result)
            elif outcome == "raw":
                self.archive.put_response(result, self.source.id)
            self.archive.frontier.mark_done(
                url, http_status=result.status, content_type=result.content_type,
                etag=result.headers.get("etag"), last_modified=result.headers.get("last-modified"),
                content_hash=digest, next_fetch=revisit,
                outcome=None if outcome == "unchanged" else outcome, note=note)
        self._outcome(url, outcome, note)

    def _outcome(self, url: str, outcome: str, note: str | None = None) -> None:
        self.inc(f"store/article/{outcome}")
        self.inc("articles/ok")
        if note and outcome in ("empty", "binary"):
            log.warning("%s: not stored: %s", url, note)
        else:
            log.info("%s: %s", url, outcome)

    async def clean(self, url: str, result: FetchResult) -> Article | None:
        """The cleaned page, from a worker under the time limit; a failure is recorded."""
        assert self.cleaner is not None
        template = self.templates.learn(result.final_url, result.body).compact()
        document = Document(result.body, "html", result.final_url, result.headers, name=url,
                            template=template)
        try:
            article = await self.until_stopped(self.cleaner.clean_async(document,
                                                                        rules=self.rules))
        except CleanerError as exc:
            self._failed(url, exc, stage="clean", article=True)
            return None
        for removal in article.removed if article else ():
            self.inc(f"clean/removed/{removal.rule}")
        if article is not None:
            count_article(self.stats, self.source.id, article)
        return article

    # -- fetching ----------------------------------------------------------------------

    async def until_stopped(self, awaitable: Awaitable[_T]) -> _T | None:
        """The awaitable's result, or ``None`` as soon as the crawl is told to stop (the
        awaitable is cancelled: a request, its retries and backoff waits are abandoned)."""
        task: asyncio.Future[Any] = asyncio.ensure_future(awaitable)
        await asyncio.wait({task, self.stopping}, return_when=asyncio.FIRST_COMPLETED)
        if task.done():
            return task.result()
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        return None

    async def fetch(self, url: str, state: UrlState | None) -> FetchResult | None:
        """Fetch politely; a failure is recorded and gives ``None``."""
        host = host_key(url)
        if host in self.stats.blocked and (state is None or state.status != "done"):
            self.inc("fetch/skipped/blocked")  # a challenged host: only known-good URLs go on
            return None
        if self.stopped:
            return None
        try:
            return await self.until_stopped(self._fetch_allowed(url, state))
        except ChallengeError as exc:
            if exc.host not in self.stats.blocked:
                log.warning("%s; new URLs of %s are paused for this run", exc, exc.host)
            self.stats.blocked[exc.host] = exc.signature
            with self.archive.transaction():
                self.archive.frontier.mark_skipped(url, exc, next_fetch=0)
            self.inc("fetch/error/ChallengeError")
        except FetchError as exc:
            self._failed(url, exc, article=state is not None)
        return None

    async def _fetch_allowed(self, url: str, state: UrlState | None) -> FetchResult | None:
        self.scope.check(url)
        if not await self.robots.allowed(url, self.delay_s):
            problem = self.robots.problems.get(host_key(url))
            if problem is not None:
                raise RobotsUnavailableError(url, problem)
            with self.archive.transaction():
                self.archive.frontier.mark_skipped(
                    url, RobotsDisallowedError(url, "robots.txt disallows it"),
                    next_fetch=time.time() + self.settings.revisit_after_s)
            self.inc("fetch/skipped/robots")
            return None
        delay = await self.robots.crawl_delay(url, self.delay_s)
        result = await self.fetcher.fetch(url, etag=state.etag if state else None,
                                          last_modified=state.last_modified if state else None,
                                          delay_s=delay, check=self.check_hop)
        self.inc("fetch/pages")
        return result

    async def check_hop(self, url: str) -> None:
        """A redirect target must be in scope and allowed by its host's robots.txt."""
        self.scope.check(url, "redirect")
        if not await self.robots.allowed(url, self.delay_s):
            problem = self.robots.problems.get(host_key(url))
            if problem is not None:
                raise RobotsUnavailableError(url, f"redirect target: {problem}")
            raise RobotsDisallowedError(url, "redirect target: robots.txt disallows it")

    def _failed(self, url: str, exc: Exception, stage: str = "fetch",
                article: bool = False) -> None:
        status = exc.status if isinstance(exc, HTTPStatusError) else None
        log.warning("%s", exc if url in str(exc) else f"{url}: {exc}")
        with self.archive.transaction():
            self.archive.frontier.mark_failed(
                url, exc, gone=status in (404, 410), http_status=status,
                next_fetch=time.time() + self.settings.retry_failed_after_s)
        self.inc(f"{stage}/error/{type(exc).__name__}")
        if article:
            self.inc("articles/failed")


async def crawl(sources: Sequence[Source], archive: Archive, settings: Settings | None = None, *,
                stats: Stats | None = None, stop: asyncio.Event | None = None,
                rules: RuleSet | None = None, force: bool = False,
                transport: httpx.AsyncBaseTransport | None = None,
                cleaner: IsolatedCleaner | None = None, command: str = "crawl") -> Stats:
    """One pass over the sources that are due (all of them with ``force``).

    Sources run side by side; hosts are shared politely between them. Setting
    ``stop`` abandons the requests in flight and ends the pass; the run is recorded
    in the archive's ``runs`` table either way, with what each source did. Pages are
    cleaned by ``cleaner`` (one kept across passes saves starting workers each time),
    else by workers started for this pass.
    """
    settings = settings or Settings()
    stats = stats if stats is not None else Stats()
    stop = stop or asyncio.Event()
    rules = rules or default_rules()
    started = time.time()
    due = [s for s in sources if force or is_due(s, archive.last_finished(s.id), started)]
    for source in sources:
        if source not in due:
            stats.inc("source/not-due", source=source.id)
            stats.next_due[source.id] = next_run(source, archive.last_finished(source.id))
    with archive.transaction():
        run_id = archive.run_started(command, started)
    stopping = asyncio.ensure_future(stop.wait())
    own_cleaner = cleaner is None and bool(due) and settings.clean_pages
    if own_cleaner:
        cleaner = IsolatedCleaner(workers=settings.clean_workers, rules=rules,
                                  time_limit_s=settings.clean_time_limit_s)
    if not settings.clean_pages:
        cleaner = None
    try:
        politeness = (SharedPoliteness(settings.concurrency, archive.conn, archive.frontier.holder,
                                       settings.total_timeout_s + 5)
                      if archive.postgres else None)
        async with Fetcher(settings, stats=stats, transport=transport,
                           politeness=politeness) as fetcher:
            def keep_robots(result: FetchResult) -> None:  # for the raw WARC export
                with archive.transaction():
                    archive.put_discovery_response(result, "", "robots")

            robots = Robots(fetcher, obey=settings.obey_robots, keep=keep_robots)
            passes = [_SourcePass(s, archive, fetcher, robots, settings, stats, stopping, rules,
                                  cleaner) for s in due]
            results = await asyncio.gather(*(p.run() for p in passes), return_exceptions=True)
    finally:
        stopping.cancel()
        if own_cleaner and cleaner is not None:
            cleaner.close()
    for source, result in zip(due, results, strict=True):
        if isinstance(result, ArchiveError):
            raise result
        if isinstance(result, BaseException):
            log.error("source %s failed: %r", source.id, result)
            stats.inc("source/failed", source=source.id)
    with archive.transaction():
        check_health(archive.conn, stats, [s.id for s in due], started)
    _record_run(archive, run_id, stats, [s.id for s in sources], stopped=stop.is_set())
    return stats


def _record_run(archive: Archive, run_id: int, stats: Stats, ids: list[str], *,
                stopped: bool) -> None:
    with archive.transaction():
        archive.run_finished(run_id, status="stopped" if stopped else "finished",
                             exit_code=stats.exit_code(ids),
                             summary="\n".join(stats.summary_line(s) for s in ids),
                             stats=stats.to_dict())
