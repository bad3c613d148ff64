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

from cleaners import RuleSet, default_rules

from .crawl import crawl
from .replay import RecordingTransport, write_recording
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


def page_source(urls: Sequence[str], sources: Sequence[Source] = ()) -> Source:
    """A source that fetches only ``urls`` (pages of one host), no discovery.

    It is the configured source of that host with its start URLs, sitemaps and
    feeds removed (its selectors still apply), or a bare ``page-<host>`` source.
    """
    host = urlsplit(urls[0]).hostname or ""
    owner = next((s for s in sources if host in s.hosts()), None)
    if owner is not None:
        return dataclasses.replace(owner, start_urls=(), sitemaps=(), feeds=(),
                                   allowed_hosts=owner.hosts())
    return Source(id="page-" + _UNSAFE.sub("-", host).strip("-").lower(), name=host,
                  start_urls=(), allowed_hosts=(host,))


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


def _save_pages(archive: Archive, source: Source, folder: Path, snapshots: Snapshots) -> list[Path]:
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
                 stop: asyncio.Event | None = None) -> list[SourceRecording]:
    """Record each source (and the single pages ``urls``, as :func:`page_source`s)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    settings = dataclasses.replace(settings or Settings(), max_pages_per_source=limit)
    rules = rules or default_rules()
    by_host: dict[str, list[str]] = {}
    for url in urls:
        by_host.setdefault(urlsplit(url).netloc, []).append(url)
    jobs = [(s, ()) for s in sources] + [(page_source(u, sources), u) for u in by_host.values()]
    recordings = []
    for source, seeds in jobs:
        if stop is not None and stop.is_set():
            break
        transport = RecordingTransport()
        with tempfile.TemporaryDirectory() as scratch, Archive(Path(scratch) / "a.sqlite") as archive:
            with archive.transaction():
                archive.frontier.add(list(seeds), source.id, "article")
            stats = await crawl([source], archive, settings, rules=rules, force=True, stop=stop,
                                transport=transport)
            warc = out / f"{source.id}.warc.gz"
            write_recording(warc, transport.responses, limit=settings.max_pages_per_source)
            pages = _save_pages(archive, source, out / source.id,
                                Snapshots(rules, {source.id: source}))
        recordings.append(SourceRecording(source.id, warc, len(transport.responses), pages, stats))
    return recordings
