"""Exceptions raised by :mod:`scraper`.

::

    ScraperError
    ├── SourcesError          a sources file with mistakes (.path, .problems: [(line, message)])
    ├── FetchError            one URL could not be fetched (.url)
    └── ArchiveError          the archive cannot be opened or written
        └── ArchiveLockedError  another crawl holds the archive's lock

Per-URL failures are outcomes recorded in the frontier and the stats; only
SourcesError and ArchiveError stop a run.
"""

from __future__ import annotations

__all__ = ["ArchiveError", "ArchiveLockedError", "FetchError", "ScraperError", "SourcesError"]


class ScraperError(Exception):
    """Base class of every error the scraper raises."""


class SourcesError(ScraperError):
    """A sources file has mistakes; every one is listed with its line."""

    def __init__(self, path: str, problems: list[tuple[int | None, str]]) -> None:
        self.path = path
        self.problems = list(problems)
        lines = [f"{path}:{line}: {msg}" if line else f"{path}: {msg}" for line, msg in problems]
        super().__init__("\n".join(lines))


class FetchError(ScraperError):
    """A URL could not be fetched."""

    def __init__(self, url: str, message: str) -> None:
        self.url = url
        super().__init__(f"{url}: {message}")


class ArchiveError(ScraperError):
    """The archive database cannot be used."""


class ArchiveLockedError(ArchiveError):
    """Another crawl is running on the same archive."""
