"""Try before you schedule: fetch and clean without touching the archive.

``zhengwen sources try`` runs one source's crawl pass into an in-memory archive, so
what it shows is exactly what a crawl would do; ``zhengwen clean URL`` fetches pages
with the crawler's polite fetcher (robots.txt, one request per host at a time).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import IO, TextIO

import httpx

from cleaners import Article, CleanerError, RuleSet, clean_html
from cleaners.formats import to_markdown, to_text

from .crawl import crawl
from .errors import FetchError, RobotsDisallowedError, RobotsUnavailableError
from .fetch import Fetcher
from .robots import Robots
from .settings import Settings
from .sources import Source
from .stats import Stats
from .store import Archive, StoredArticle
from .urls import host_key

__all__ = ["Trial", "clean_urls", "print_trial", "try_source", "write_articles"]


@dataclass(frozen=True)
class Trial:
    """What one pass over a source found: discovery pages, article URLs, cleaned articles."""

    stats: Stats
    pages: list[tuple[str, str, str, str | None]]  # (url, kind, status, error)
    article_urls: list[str]
    articles: list[StoredArticle]


async def try_source(source: Source, settings: Settings, *, limit: int,
                     rules: RuleSet | None = None,
                     transport: httpx.AsyncBaseTransport | None = None) -> Trial:
    """One crawl pass of ``source`` into a throw-away in-memory archive, cleaning at most
    ``limit`` articles."""
    with Archive(":memory:", lock=False) as archive:
        stats = await crawl([source], archive, replace(settings, max_pages_per_source=limit),
                            rules=rules, force=True, transport=transport, command="sources try")
        rows = archive.frontier.listing(source.id)
        articles = list(archive.articles(source_id=source.id))
    pages = [(url, kind, status, error) for url, kind, status, _, error in rows if kind != "article"]
    found = [url for url, kind, *_ in rows if kind == "article"]
    return Trial(stats, pages, found, articles)


def print_trial(trial: Trial, out: TextIO) -> None:
    """The trial as plain text: pages followed, article URLs found, cleaned articles."""
    out.write(f"# pages followed ({len(trial.pages)})\n")
    for url, kind, status, error in trial.pages:
        out.write(f"{kind:8} {'ok' if status == 'done' else status:8} {url}"
                  + (f"  ({error})" if error else "") + "\n")
    out.write(f"\n# article URLs found ({len(trial.article_urls)})\n")
    out.writelines(url + "\n" for url in trial.article_urls)
    out.write(f"\n# first {len(trial.articles)} articles, cleaned\n")
    for stored in trial.articles:
        a = stored.article
        meta = {k: v for k, v in a.to_dict().items() if k not in ("text", "removed") and v}
        out.write("\n" + json.dumps({"url": stored.url, **meta}, ensure_ascii=False) + "\n")
        out.write((a.text[:300] + (" …" if len(a.text) > 300 else "")) + "\n")


async def clean_urls(urls: Sequence[str], settings: Settings, *, rules: RuleSet | None = None,
                     transport: httpx.AsyncBaseTransport | None = None,
                     ) -> list[tuple[str, Article | None, str | None]]:
    """``(url, article, error)`` for each URL, fetched politely and cleaned."""
    results: list[tuple[str, Article | None, str | None]] = []
    async with Fetcher(settings, transport=transport) as fetcher:
        robots = Robots(fetcher, obey=settings.obey_robots)
        for url in urls:
            try:
                if not await robots.allowed(url, settings.delay_s):
                    problem = robots.problems.get(host_key(url))
                    raise (RobotsUnavailableError(url, problem) if problem
                           else RobotsDisallowedError(url, "robots.txt disallows it"))
                delay = await robots.crawl_delay(url, settings.delay_s)
                result = await fetcher.fetch(url, delay_s=delay)
                article = clean_html(result.body, result.final_url, headers=result.headers,
                                     rules=rules)
                results.append((url, article, None))
            except (FetchError, CleanerError) as exc:
                results.append((url, None, str(exc) if url in str(exc) else f"{url}: {exc}"))
    return results


def write_articles(records: Iterable[tuple[str, Article]], out: IO[str], fmt: str) -> None:
    """Records as ``clean`` writes them: jsonl/json with ``path``, or md/txt for reading."""
    items = list(records)
    if fmt == "json":
        data = [{"path": path, **article.to_dict()} for path, article in items]
        out.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return
    for n, (path, article) in enumerate(items):
        if fmt == "jsonl":
            out.write(json.dumps({"path": path, **article.to_dict()}, ensure_ascii=False) + "\n")
        else:
            out.write(("\n" if n else "") + (to_markdown if fmt == "md" else to_text)(article))
