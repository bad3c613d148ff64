"""Crawl statistics: slash-keyed counters (``fetch/status/200``, ``store/article/new``),
shown as a summary table and as ``--json`` from the same dict."""

from __future__ import annotations

from collections import Counter

__all__ = ["Stats"]


class Stats:
    """Counters for one run, overall and per source."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.per_source: dict[str, Counter[str]] = {}
        self.blocked: dict[str, str] = {}
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

    def to_dict(self) -> dict[str, object]:
        return {"counts": dict(sorted(self.counts.items())),
                "sources": {s: dict(sorted(c.items())) for s, c in sorted(self.per_source.items())},
                "blocked_hosts": dict(self.blocked), "drifting": dict(self.drifting)}
