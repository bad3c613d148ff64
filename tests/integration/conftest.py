"""The demo site (fixtures/site) served by real HTTP servers on 127.0.0.1."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from cleaners.isolation import IsolatedCleaner
from scraper import Archive, Stats, crawl, load_config
from scraper.demo_site import DemoSite


@dataclass
class SiteCrawler:
    site: DemoSite
    db: Path
    cleaner: IsolatedCleaner
    extra_sources: str = ""  # more [[source]] tables after the site's own

    def sources_file(self) -> Path:
        path = self.db.with_suffix(".sources.toml")
        path.write_text(self.site.sources_text() + self.extra_sources, encoding="utf-8")
        return path

    def run(self, *, only: tuple[str, ...] = (), **settings: object) -> Stats:
        """One forced crawl pass; ``settings`` override the site's [settings]."""
        base, sources = load_config(self.sources_file())
        sources = [s for s in sources if not only or s.id in only]
        with Archive(self.db) as archive:
            return asyncio.run(crawl(sources, archive, replace(base, **settings), force=True,
                                     cleaner=self.cleaner))


@pytest.fixture(scope="session")
def cleaner() -> Iterator[IsolatedCleaner]:
    """One pool of cleaning workers for every crawl of the session (starting one costs
    about a second)."""
    with IsolatedCleaner(workers=1, time_limit_s=30) as pool:
        yield pool


@pytest.fixture
def crawler(site: DemoSite, tmp_path: Path, cleaner: IsolatedCleaner) -> SiteCrawler:
    return SiteCrawler(site, tmp_path / "archive.sqlite", cleaner)
