"""Exceptions raised by :mod:`scraper`.

::

    ScraperError
    ├── SourcesError              a sources file with mistakes (.path, .problems: [(line, message)])
    ├── FetchError                one URL could not be fetched (.url)
    │   ├── TransportError        connection refused/reset, timeout
    │   ├── HTTPStatusError       an error status (.status, .retry_after in seconds or None)
    │   ├── BodyTooLargeError     the body passed Settings.max_body_bytes
    │   ├── DecodingError         a Content-Encoding that does not decode
    │   ├── RedirectError         a redirect loop, too many redirects, a redirect without Location
    │   ├── OutOfScopeError       a URL or redirect hop outside the source's hosts
    │   │   └── BlockedAddressError  a host resolving to a private, loopback or metadata address
    │   ├── HostGivenUpError      the host timed out too often in a row; skipped for the run
    │   ├── ChallengeError        an anti-bot challenge page (.host, .signature)
    │   ├── RobotsDisallowedError robots.txt forbids the URL
    │   ├── RobotsUnavailableError robots.txt cannot be read (5xx, unreachable): the host fails
    │   └── NotRecordedError      a replayed crawl asked for a URL the recording lacks
    ├── ExportError               an archived record cannot be written as asked
    ├── RecordingError            a recording folder or file cannot be read
    └── ArchiveError              the archive cannot be opened or written
        └── ArchiveLockedError    another crawl holds the archive's lock

Per-URL failures are outcomes recorded in the frontier and the stats; only
SourcesError and ArchiveError stop a run.
"""

from __future__ import annotations

__all__ = ["ArchiveError", "ArchiveLockedError", "BlockedAddressError", "BodyTooLargeError",
           "ChallengeError", "DecodingError", "ExportError", "FetchError", "HTTPStatusError",
           "HostGivenUpError", "NotRecordedError", "OutOfScopeError", "RecordingError",
           "RedirectError", "RobotsDisallowedError", "RobotsUnavailableError", "ScraperError",
           "SourcesError", "TransportError"]

# Statuses worth another attempt: the server or a proxy may recover.
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})


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

    #: Whether another attempt may succeed.
    retryable = False

    def __init__(self, url: str, message: str) -> None:
        self.url = url
        self.reason = message
        super().__init__(f"{url}: {message}")


class TransportError(FetchError):
    """The connection failed or timed out."""

    retryable = True


class HTTPStatusError(FetchError):
    """The server answered with an error status."""

    def __init__(self, url: str, status: int, retry_after: float | None = None) -> None:
        self.status = status
        self.retry_after = retry_after
        self.retryable = status in RETRY_STATUSES
        super().__init__(url, f"HTTP {status}")


class BodyTooLargeError(FetchError):
    """The body is larger than the configured limit."""


class DecodingError(FetchError):
    """The body does not decode with its Content-Encoding; the same bytes would come again."""


class RedirectError(FetchError):
    """A redirect loop, more than Settings.max_redirects hops, or a redirect with no target."""


class OutOfScopeError(FetchError):
    """A URL (a redirect hop, a next-page link, a sitemap child) outside the source's hosts."""


class BlockedAddressError(OutOfScopeError):
    """The host resolves to a private, loopback, link-local, multicast, reserved or cloud
    metadata address (Settings.allow_private_hosts lets private ones through)."""


class HostGivenUpError(FetchError):
    """The host timed out Settings.max_host_timeouts times in a row; skipped for the run."""


class ChallengeError(FetchError):
    """The host answered with an anti-bot challenge; its new URLs wait for a later run."""

    def __init__(self, url: str, host: str, signature: str) -> None:
        self.host = host
        self.signature = signature
        super().__init__(url, f"anti-bot challenge from {host} ({signature}); "
                              "no bypass is attempted")


class RobotsDisallowedError(FetchError):
    """robots.txt does not allow the URL for our User-Agent."""


class RobotsUnavailableError(FetchError):
    """robots.txt answered 5xx or could not be reached, so nothing on the host may be
    fetched this run (RFC 9309); an error of the host, not a robots.txt skip."""


class NotRecordedError(FetchError):
    """A replayed crawl asked for a URL that was not recorded; never fetched live."""


class RecordingError(ScraperError):
    """A recording (folder of WARC files) is missing or unreadable."""


class ExportError(ScraperError):
    """An archived record cannot be exported as asked (e.g. a URL unfit for a WARC header)."""


class ArchiveError(ScraperError):
    """The archive database cannot be used."""


class ArchiveLockedError(ArchiveError):
    """Another writer (crawl, reclean) holds the archive."""
