"""Clean documents in worker processes, each under a time limit.

One hostile page (a pattern that backtracks, a parser that loops, a crash in a C
extension) must never stall a crawl or a batch. Each document is cleaned in a worker
process; a worker that runs past the time limit or dies is replaced, the document
fails with a typed error naming it, and the run goes on. pebble's ProcessPool does
the killing and the respawning, as datatrove's extractors do.
"""

from __future__ import annotations

import asyncio
import multiprocessing
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import Future, TimeoutError
from dataclasses import dataclass
from typing import Literal

from pebble import ProcessExpired, ProcessPool

from .api import clean_html, clean_text
from .article import Article
from .errors import CleanerError, CleanTimeoutError, WorkerCrashError
from .rules import RuleSet, default_rules
from .templates import SiteTemplate

__all__ = ["DEFAULT_TIME_LIMIT_S", "Document", "IsolatedCleaner"]

#: Seconds one document may take; the slowest corpus page takes well under one.
DEFAULT_TIME_LIMIT_S = 30.0
_PRELOAD = ["cleaners.api"]


@dataclass(frozen=True)
class Document:
    """One input to clean. ``name`` (a path or URL) names it in errors."""

    data: bytes | str
    kind: Literal["html", "text"] = "html"
    url: str | None = None
    headers: Mapping[str, str] | None = None
    name: str = ""
    template: SiteTemplate | None = None  # the site's boilerplate, see templates.py

    @property
    def label(self) -> str:
        return self.name or self.url or "<document>"


# A worker keeps the RuleSets it has seen, so a rule set's screens are compiled once
# per worker rather than once per document (an unpickled RuleSet starts cold).
_RULES: dict[RuleSet, RuleSet] = {}


def _clean(document: Document, rules: RuleSet) -> Article:
    rules = _RULES.setdefault(rules, rules)
    if document.kind == "text":
        text = document.data if isinstance(document.data, str) else document.data.decode(
            "utf-8", errors="replace")
        return clean_text(text, document.url, rules=rules, template=document.template)
    return clean_html(document.data, document.url, headers=document.headers, rules=rules,
                      template=document.template)


class IsolatedCleaner:
    """A pool of cleaning workers with a per-document time limit.

    ``clean`` blocks, ``clean_async`` awaits without blocking the event loop, and
    ``map`` cleans many documents in input order. Every failure is a CleanerError
    subclass naming the document: a timeout is :class:`CleanTimeoutError`, a worker
    that died is :class:`WorkerCrashError`. ``close`` (or leaving the ``with`` block)
    kills the workers at once, which is what a second Ctrl-C wants.
    """

    def __init__(self, *, workers: int = 1, time_limit_s: float = DEFAULT_TIME_LIMIT_S,
                 rules: RuleSet | None = None) -> None:
        if workers < 1:
            raise ValueError("workers must be at least 1")
        if time_limit_s <= 0:
            raise ValueError("time_limit_s must be positive")
        self.workers = workers
        self.time_limit_s = time_limit_s
        self.rules = rules or default_rules()
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(_PRELOAD)
        self._pool = ProcessPool(max_workers=workers, context=context)

    def __enter__(self) -> IsolatedCleaner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the workers now; documents in flight fail."""
        self._pool.stop()
        self._pool.join()

    def submit(self, document: Document, *, rules: RuleSet | None = None) -> Future[Article]:
        """Start cleaning ``document``; the future's result is the Article or the
        typed error (see :meth:`result`)."""
        return self._pool.schedule(_clean, args=(document, rules or self.rules),
                                   timeout=self.time_limit_s)

    def result(self, document: Document, future: Future[Article]) -> Article:
        """The Article of a submitted document, with pool failures made typed."""
        try:
            return future.result()
        except TimeoutError:
            raise CleanTimeoutError(document.label, self.time_limit_s) from None
        except ProcessExpired as exc:
            raise WorkerCrashError(document.label, f"exit code {exc.exitcode}") from None
        except CleanerError:
            raise
        except Exception as exc:  # a bug in a stage must not end the run
            raise WorkerCrashError(document.label, f"{type(exc).__name__}: {exc}") from None

    def clean(self, document: Document, *, rules: RuleSet | None = None) -> Article:
        return self.result(document, self.submit(document, rules=rules))

    async def clean_async(self, document: Document, *, rules: RuleSet | None = None) -> Article:
        future = self.submit(document, rules=rules)
        try:
            await asyncio.wrap_future(future)
        except BaseException as exc:
            if isinstance(exc, asyncio.CancelledError):
                future.cancel()
                raise
        return self.result(document, future)

    def map(self, documents: Iterable[Document], *, rules: RuleSet | None = None,
            window: int | None = None) -> Iterator[tuple[Document, Article | CleanerError]]:
        """(document, Article or error) in input order, with at most ``window``
        documents in flight (default: four per worker) so memory stays flat."""
        window = window or 4 * self.workers
        pending: list[tuple[Document, Future[Article]]] = []
        for document in documents:
            pending.append((document, self.submit(document, rules=rules)))
            if len(pending) >= window:
                yield self._take(*pending.pop(0))
        while pending:
            yield self._take(*pending.pop(0))

    def _take(self, document: Document,
              future: Future[Article]) -> tuple[Document, Article | CleanerError]:
        try:
            return document, self.result(document, future)
        except CleanerError as exc:
            return document, exc
