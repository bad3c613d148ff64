"""Crawl statistics: slash-keyed counters (``fetch/status/200``, ``store/article/new``),
shown as a summary table and as ``--json`` from the same dict, and each source's
verdict, from which the exit code of a crawl comes."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import datetime

__all__ = ["EXIT_DRIFT", "EXIT_FAILED", "EXIT_OK", "EXIT_PARTIAL", "Stats"]

#: Exit codes of a crawl (2 is a usage or configuration error, before any fetching;
#: 4: every source went well, but one is drifting, see scraper.health).
EXIT_OK, EXIT_PARTIAL, EXIT_FAILED, EXIT_DRIFT = 0, 1, 3, 4
_ERRORS = ("fetch/error", "clean/error")


class Stats:
    """Counters for one run, overall and per source."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.per_source: dict[str, Counter[str]] = {}
        self.blocked: dict[str, str] = {}
        #: Sources that were not due -> when they are next due (epoch seconds).
        self.next_due: dict[str, float] = {}
        self.values: dict[str, dict[str, list[float]]] = {}  # source -> key -> observations
        self.drifting: dict[str, list[dict[str, object]]] = {}  # source -> drifting figures

    def inc(self, key: str, n: int = 1, *, source: str | None = None) -> None:
        self.counts[key] += n
        if source is not None:
            self.per_source.setdefault(source, Counter())[key] += n

    def observe(self, key: str, value: float, *, source: str) -> None:
        """Keep one observation of a source (a text length) for a median."""
        self.values.setdefault(source, {}).setdefault(key, []).append(value)

    def observed(self, key: str, source: str) -> list[float]:
        return self.values.get(source, {}).get(key, [])

    def get(self, key: str, source: str | None = None) -> int:
        counts = self.counts if source is None else self.per_source.get(source, Counter())
        return counts[key]

    def total(self, prefix: str, source: str | None = None) -> int:
        """Sum of the counters under ``prefix/``."""
        counts = self.counts if source is None else self.per_source.get(source, Counter())
        return sum(v for k, v in counts.items() if k.startswith(prefix + "/"))

    def errors(self, source: str | None = None) -> int:
        """URLs that failed to fetch or to clean."""
        return sum(self.total(prefix, source) for prefix in _ERRORS)

    def verdict(self, source: str) -> tuple[str, str]:
        """``(verdict, reason)``: ``ok``, ``partial`` (some pages failed), ``failed`` (the
        source failed outright) or ``not-due``."""
        if self.get("source/not-due", source):
            return "not-due", ""
        fetched = self.get("fetch/pages", source)
        if self.get("source/failed", source):
            return "failed", "the source's pass crashed (see the log)"
        if self.get("fetch/error/ChallengeError", source):
            return "failed", "blocked by an anti-bot challenge"
        if self.get("fetch/error/RobotsUnavailableError", source) and not fetched:
            return "failed", "robots.txt unreachable"
        if self.errors(source) and not fetched:
            return "failed", "unreachable: every request failed"
        if self.get("articles/failed", source) and not self.get("articles/ok", source):
            return "failed", "every article failed"
        if self.errors(source):
            return "partial", f"{self.errors(source)} URLs failed"
        return "ok", ""

    def exit_code(self, sources: Iterable[str]) -> int:
        sources = list(sources)
        verdicts = {self.verdict(s)[0] for s in sources}
        if "failed" in verdicts:
            return EXIT_FAILED
        if "partial" in verdicts:
            return EXIT_PARTIAL
        return EXIT_DRIFT if any(s in self.drifting for s in sources) else EXIT_OK

    def summary_line(self, source: str) -> str:
        """What the run did for one source, in one line (the ``runs`` table keeps these)."""
        verdict, reason = self.verdict(source)
        if verdict == "not-due":
            when = datetime.fromtimestamp(self.next_due.get(source, 0)).astimezone()
            return f"{source}: not due (next {when.isoformat(timespec='minutes')})"
        did = ", ".join(f"{self.get(f'store/article/{k}', source)} {k}"
                        for k in ("new", "changed")) + f", {self.errors(source)} failed"
        drift = (f"; drifting: {', '.join(str(f['figure']) for f in self.drifting[source])}"
                 if source in self.drifting else "")
        return f"{source}: {verdict}{f' ({reason})' if reason else ''}; {did}{drift}"

    def to_dict(self) -> dict[str, object]:
        return {"counts": dict(sorted(self.counts.items())),
                "sources": {s: dict(sorted(c.items())) for s, c in sorted(self.per_source.items())},
                "blocked_hosts": dict(self.blocked), "drifting": dict(self.drifting),
                "next_due": {s: datetime.fromtimestamp(t).astimezone().isoformat(timespec="seconds")
                             for s, t in sorted(self.next_due.items())}}
