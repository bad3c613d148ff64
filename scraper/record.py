"""``zhengwen record``: crawl a source once, politely, and keep what replaying it takes.

Each source is crawled on its own into a scratch archive, with the crawler's fetcher,
robots.txt and scope, up to ``limit`` articles, through a
:class:`~scraper.replay.RecordingTransport`. Every response (robots.txt, list pages,
sitemaps, feeds, articles, errors) goes to ``DIR/<source-id>.warc.gz``; each
article's page and its snapshot go to ``DIR/<source-id>/`` for a person to review
and commit, and for the pytest plugin to check.
"""

from __future__ import annotations

import asyncio
import dataclasses
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from cleaners import RuleSet, default_rules

from .crawl import crawl
from .replay import RecordingTransport, write_recording
from .scope import AddressGuard, GuardedTransport, Scope
from .settings import Settings
from .snapshot import Snapshots, snapshot_of
from .sources import Source
from .stats import Stats
from .store import Archive

__all__ = ["SourceRecording", "page_source", "record"]

_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")


@dataclass(frozen=True)
class SourceRecording:
    """What recording one source wrote."""

    source_id: str
    warc: Path
    responses: int
    pages: list[Path]
    stats: Stats


def page_source(url: str, sources: Sequence[Source] = ()) -> Source:
    """A source that fetches single pages of ``url``'s host, with no discovery.

    It is the configured source whose scope holds ``url``, with its start URLs,
    sitemaps and feeds removed (its selectors still apply, its scope is kept), or a
    bare ``page-<host>`` source.
    """
    owner = next((s for s in sources if Scope.of(s).allows(url)), None)
    if owner is not None:
        hosts = owner.allowed_hosts or tuple(dict.fromkeys(
            urlsplit(u).netloc for u in (*owner.start_urls, *owner.sitemaps, *owner.feeds)))
        return dataclasses.replace(owner, start_urls=(), sitemaps=(), feeds=(),
                                   allowed_hosts=hosts)
    host = urlsplit(url).hostname or ""
    return Source(id="page-" + re.sub(r"[^a-z0-9_]+", "-", host.lower()).strip("-"), name=host,
                  start_urls=(), allowed_hosts=(urlsplit(url).netloc,))


def _page_name(url: str, taken: set[str]) -> str:
    """A file name from the URL's path (query included), unique within a source."""
    parts = urlsplit(url)
    stem = _UNSAFE.sub("_", (parts.path.strip("/") + ("_" + parts.query if parts.query else "")))
    stem = re.sub(r"\.s?html?$", "", stem.strip("_")) or "index"
    name, n = f"{stem}.html", 1
    while name in taken:
        n += 1
        name = f"{stem}-{n}.html"
    taken.add(name)
    return name


def _save_pages(archive: Archive, source: Source, folder: Path,
                snapshots: Snapshots) -> list[Path]:
    taken: set[str] = set()
    pages = []
    for stored in archive.articles(source_id=source.id):
        response = archive.response_of(stored.id)
        page = folder / _page_name(stored.url, taken)
        folder.mkdir(parents=True, exist_ok=True)
        page.write_bytes(response.body)
        inputs: dict[str, object] = {"input_url": response.final_url, "input_source": source.id}
        if "content-type" in response.headers:
            inputs["input_headers"] = {"content-type": response.headers["content-type"]}
        snapshots.write(page, snapshot_of(snapshots.clean(page, inputs), inputs))
        pages.append(page)
    return pages


async def record(sources: Sequence[Source], out_dir: str | Path, settings: Settings | None = None,
                 *, limit: int = 5, rules: RuleSet | None = None, urls: Sequence[str] = (),
                 configured: Sequence[Source] | None = None,
                 stop: asyncio.Event | None = None) -> list[SourceRecording]:
    """Record each source, and the single pages ``urls`` under the :func:`page_source`
    their host has among ``configured`` (default: ``sources``)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    settings = settings or Settings()
    rules = rules or default_rules()
    singles: dict[str, tuple[Source, list[str]]] = {}
    for url in urls:
        source = page_source(url, sources if configured is None else configured)
        singles.setdefault(source.id, (source, []))[1].append(url)
    jobs = [(s, ()) for s in sources] + list(singles.values())
    recordings = []
    for source, seeds in jobs:
        if stop is not None and stop.is_set():
            break
        guard = AddressGuard(allow_private=settings.allow_private_hosts)
        transport = RecordingTransport(
            GuardedTransport(guard, limits=httpx.Limits(max_connections=settings.concurrency * 2)),
            max_body_bytes=settings.max_body_bytes)
        source_settings = dataclasses.replace(settings, max_pages_per_source=max(limit, len(seeds)))
        with (tempfile.TemporaryDirectory() as scratch,
              Archive(Path(scratch) / "scratch.sqlite") as archive):
            with archive.transaction():
                archive.frontier.add(list(seeds), source.id, "article")
            stats = await crawl([source], archive, source_settings, rules=rules, force=True,
                                stop=stop, transport=transport)
            warc = out / f"{source.id}.warc.gz"
            write_recording(warc, transport.responses,
                            limit=source_settings.max_pages_per_source)
            pages = _save_pages(archive, source, out / source.id,
                                Snapshots(rules, {source.id: source}))
        recordings.append(SourceRecording(source.id, warc, len(transport.responses), pages, stats))
    return recordings
