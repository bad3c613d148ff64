"""zhengwen scraper: configured sources in, a versioned archive and exports out.

>>> import asyncio
>>> from scraper import Archive, crawl, load_config
>>> settings, sources = load_config("sources.toml")
>>> with Archive("data/zhengwen.sqlite") as archive:
...     stats = asyncio.run(crawl(sources, archive, settings))

``record`` saves sources for offline tests; ``replay_crawl`` crawls such a recording.

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
                     NotRecordedError,
                     OutOfScopeError,
                     RecordingError,
                     RedirectError,
                     RobotsDisallowedError,
                     RobotsUnavailableError,
                     ScraperError,
                     SourcesError,
                     TransportError,
)
from .fetch import Fetcher, FetchResult
from .reclean import reclean
from .record import SourceRecording, record
from .replay import ReplayTransport, replay_crawl
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
    "NotRecordedError",
    "OutOfScopeError",
    "RecordingError",
    "RedirectError",
    "ReplayTransport",
    "RobotsDisallowedError",
    "RobotsUnavailableError",
    "ScraperError",
    "Settings",
    "Source",
    "SourceRecording",
    "SourcesError",
    "Stats",
    "TransportError",
    "crawl",
    "load_config",
    "load_sources",
    "reclean",
    "record",
    "replay_crawl",
    "source_rules",
]

logging.getLogger(__name__).addHandler(logging.NullHandler())
