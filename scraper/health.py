"""Source health: figures of each crawl pass per source, and drift against its history.

A redesign, a WAF or a moved list rarely makes a crawl fail: pages still answer 200
and cleaning still returns *something*. What moves is the shape of the output, so
each pass records per source:

* ``empty_text``     share of cleaned articles with no text (bad when it rises);
* ``median_chars``   median text length (bad when it halves or doubles);
* ``content_rule``   share of articles whose body a content rule found (bad when it falls);
* ``filled/<field>`` share of articles with that metadata field (bad when it falls);
* ``list_no_links``  share of list pages that gave no article link (bad when it rises).

A figure drifts when it moves past its threshold away from the median of the same
figure over the source's previous passes (up to :data:`HISTORY`). Figures from too
few pages (fewer than :data:`MIN_ARTICLES` articles, or no list page) are recorded
but neither judged nor used as history.
"""

from __future__ import annotations

import logging
import statistics
from collections.abc import Iterable
from dataclasses import asdict, dataclass

from cleaners import Article

from .database import Database
from .stats import Stats

__all__ = ["HISTORY", "MIN_ARTICLES", "Figure", "SourceHealth", "check_health", "count_article",
           "count_list_page"]

log = logging.getLogger("scraper.health")

#: Previous passes whose median is a figure's baseline.
HISTORY = 10
#: Cleaned articles a pass needs before its article figures are judged.
MIN_ARTICLES = 3
# Rows kept per source and figure (the history needs HISTORY; the rest shows streaks).
_KEEP = 5 * HISTORY
#: Metadata fields whose fill rate is watched.
META_FIELDS = ("title", "published", "source", "author", "editor", "sitename")
# Figure (or prefix) -> (kind, threshold): "rise"/"fall" by at least the threshold
# (a share), or "ratio": below baseline/threshold or above baseline*threshold.
_LIMITS = {"empty_text": ("rise", 0.3), "list_no_links": ("rise", 0.5),
           "content_rule": ("fall", 0.3), "filled/": ("fall", 0.3), "median_chars": ("ratio", 2.0)}


def count_article(stats: Stats, source_id: str, article: Article) -> None:
    """Count one cleaned article towards its source's figures (called by the crawl)."""
    stats.inc("health/articles", source=source_id)
    stats.observe("health/chars", len(article.text), source=source_id)
    if not article.text:
        stats.inc("health/empty", source=source_id)
    if article.located_by not in (None, "score"):
        stats.inc("health/content-rule", source=source_id)
    for name in META_FIELDS:
        if getattr(article, name):
            stats.inc(f"health/filled/{name}", source=source_id)


def count_list_page(stats: Stats, source_id: str, links: int) -> None:
    """Count one parsed list page and whether it gave any article link."""
    stats.inc("health/list-pages", source=source_id)
    if not links:
        stats.inc("health/list-no-links", source=source_id)


def _figures(stats: Stats, sid: str) -> dict[str, tuple[float, int]]:
    """Figure -> (value, pages it was computed from) of one source in this pass."""
    figures: dict[str, tuple[float, int]] = {}
    if articles := stats.get("health/articles", sid):
        figures["empty_text"] = (stats.get("health/empty", sid) / articles, articles)
        figures["median_chars"] = (statistics.median(stats.observed("health/chars", sid)),
                                   articles)
        figures["content_rule"] = (stats.get("health/content-rule", sid) / articles, articles)
        for name in META_FIELDS:
            figures[f"filled/{name}"] = (stats.get(f"health/filled/{name}", sid) / articles,
                                         articles)
    if lists := stats.get("health/list-pages", sid):
        figures["list_no_links"] = (stats.get("health/list-no-links", sid) / lists, lists)
    return figures


def _enough(figure: str, samples: int) -> bool:
    return samples >= (1 if figure == "list_no_links" else MIN_ARTICLES)


def _drifts(figure: str, value: float, baseline: float) -> bool:
    kind, limit = next(v for k, v in _LIMITS.items() if figure.startswith(k))
    if kind == "rise":
        return value - baseline >= limit
    if kind == "fall":
        return baseline - value >= limit
    return value < baseline / limit or value > baseline * limit


@dataclass(frozen=True)
class Figure:
    """One figure of one source in one pass, as recorded."""

    source_id: str
    figure: str
    run_started: float
    value: float
    samples: int
    baseline: float | None
    drifting: bool
    since: float | None = None  # the first pass of the current drifting streak


class SourceHealth:
    """The ``source_health`` table: one row per source, figure and pass."""

    def __init__(self, conn: Database) -> None:
        self._conn = conn

    def baseline(self, sid: str, figure: str, before: float) -> float | None:
        rows = self._conn.execute(
            "SELECT value, samples FROM source_health WHERE source_id = ? AND figure = ? "
            "AND run_started < ? ORDER BY run_started DESC", (sid, figure, before))
        history = [value for value, samples in rows if _enough(figure, samples)][:HISTORY]
        return statistics.median(history) if history else None

    def record(self, sid: str, started: float, figures: dict[str, tuple[float, int]]) -> None:
        """Store this pass's figures, judged against the history (older rows are pruned)."""
        for figure, (value, samples) in sorted(figures.items()):
            baseline = self.baseline(sid, figure, started)
            drifting = (baseline is not None and _enough(figure, samples)
                        and _drifts(figure, value, baseline))
            self._conn.execute(
                "INSERT INTO source_health (source_id, figure, run_started, value, samples, "
                "baseline, drifting) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (source_id, figure, "
                "run_started) DO UPDATE SET value = excluded.value, samples = excluded.samples, "
                "baseline = excluded.baseline, drifting = excluded.drifting",
                (sid, figure, started, value, samples, baseline, int(drifting)))
            self._conn.execute(
                "DELETE FROM source_health WHERE source_id = ? AND figure = ? AND run_started < "
                "(SELECT min(run_started) FROM (SELECT run_started FROM source_health WHERE "
                "source_id = ? AND figure = ? ORDER BY run_started DESC LIMIT ?) AS recent)",
                (sid, figure, sid, figure, _KEEP))

    def _since(self, sid: str, figure: str, started: float) -> float:
        """The first pass of the drifting streak that ``started`` ends."""
        since = started
        for run, drifting in self._conn.execute(
                "SELECT run_started, drifting FROM source_health WHERE source_id = ? AND "
                "figure = ? AND run_started <= ? ORDER BY run_started DESC",
                (sid, figure, started)):
            if not drifting:
                break
            since = run
        return since

    def latest(self, source_ids: Iterable[str] | None = None) -> list[Figure]:
        """Each source's newest judged value of each figure (the newest value when none
        was from enough pages), the drifting ones with their ``since``."""
        wanted = set(source_ids) if source_ids is not None else None
        newest: dict[tuple[str, str], tuple] = {}
        for row in self._conn.execute(
                "SELECT source_id, figure, run_started, value, samples, baseline, drifting "
                "FROM source_health ORDER BY source_id, figure, run_started DESC"):
            key = (row[0], row[1])
            if wanted is not None and row[0] not in wanted:
                continue
            if key not in newest or (not _enough(row[1], newest[key][4])
                                     and _enough(row[1], row[4])):
                newest[key] = row
        return [Figure(sid, figure, started, value, samples, baseline, bool(drifting),
                       self._since(sid, figure, started) if drifting else None)
                for sid, figure, started, value, samples, baseline, drifting in newest.values()]


def check_health(conn: Database, stats: Stats, source_ids: Iterable[str],
                 started: float) -> None:
    """Record the pass's figures of ``source_ids`` and put the sources' drifting figures
    in ``stats.drifting`` (shown in the summary and the JSON stats). A figure this pass
    had too few pages for keeps its last judged state: a source stays drifting until
    enough pages say otherwise."""
    health = SourceHealth(conn)
    for sid in source_ids:
        health.record(sid, started, _figures(stats, sid))
        drifting = [f for f in health.latest([sid]) if f.drifting]
        if drifting:
            stats.drifting[sid] = [{k: v for k, v in asdict(f).items() if k != "source_id"}
                                   for f in drifting]
            log.warning("source %s is drifting: %s", sid, "; ".join(
                f"{f.figure} {f.value:.2f} (usually {f.baseline:.2f})" for f in drifting))
