"""The demo site (fixtures/site) served by real HTTP servers on 127.0.0.1."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from scraper import Archive, Stats, crawl, load_config
from scraper.demo_site import DemoSite


@dataclass
class SiteCrawler:
    site: DemoSite
    db: Path
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
            return asyncio.run(crawl(sources, archive, replace(base, **settings), force=True))


@pytest.fixture
def crawler(site: DemoSite, tmp_path: Path) -> SiteCrawler:
    return SiteCrawler(site, tmp_path / "archive.sqlite")
