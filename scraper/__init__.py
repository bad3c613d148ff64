"""zhengwen scraper: configured sources in, a versioned archive and exports out.

>>> import asyncio
>>> from scraper import Archive, crawl, load_config
>>> settings, sources = load_config("sources.toml")
>>> with Archive("data/zhengwen.sqlite") as archive:
...     stats = asyncio.run(crawl(sources, archive, settings))

Cleaning is done by :mod:`cleaners`; this package fetches, schedules and stores.
"""

import logging

from .crawl import crawl
from .errors import (
                     ArchiveError,
                     ArchiveLockedError,
                     BodyTooLargeError,
                     ChallengeError,
                     FetchError,
                     HTTPStatusError,
                     OutOfScopeError,
                     RedirectError,
                     RobotsDisallowedError,
                     RobotsUnavailableError,
                     ScraperError,
                     SourcesError,
                     TransportError,
)
from .fetch import Fetcher, FetchResult
from .reclean import reclean
from .settings import Settings
from .sources import Source, load_config, load_sources, source_rules
from .stats import Stats
from .store import Archive

__all__ = [
    "Archive",
    "ArchiveError",
    "ArchiveLockedError",
    "BodyTooLargeError",
    "ChallengeError",
    "FetchError",
    "FetchResult",
    "Fetcher",
    "HTTPStatusError",
    "OutOfScopeError",
    "RedirectError",
    "RobotsDisallowedError",
    "RobotsUnavailableError",
    "ScraperError",
    "Settings",
    "Source",
    "SourcesError",
    "Stats",
    "TransportError",
    "crawl",
    "load_config",
    "load_sources",
    "reclean",
    "source_rules",
]

logging.getLogger(__name__).addHandler(logging.NullHandler())
