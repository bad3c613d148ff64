"""What a person sees of a crawl: a live table per source while it runs, the same
table as the end summary, the blocked hosts with their reasons, the drifting sources;
and the source health table."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from rich import box
from rich.console import Console, Group
from rich.live import Live
from rich.table import Table
from rich.text import Text

from .health import Figure
from .stats import Stats

__all__ = ["describe_drift", "health_table", "live_progress", "summary"]

# Column -> how it is computed from a source's counters.
_COLUMNS: tuple[tuple[str, Sequence[str]], ...] = (
    ("fetched", ("fetch/pages",)),
    ("queued", ("articles/queued",)),
    ("new", ("store/article/new",)),
    ("changed", ("store/article/changed",)),
    ("unchanged", ("store/article/unchanged", "store/article/not-modified")),
    ("skipped", ("fetch/skipped", "store/article/skipped-content-type", "store/article/empty",
                 "store/article/binary")),
    ("errors", ("fetch/error", "clean/error")),
)


_STYLES = {"ok": "green", "partial": "yellow", "failed": "red"}


def _value(stats: Stats, keys: Sequence[str], source: str | None) -> int:
    total = 0
    for key in keys:
        total += stats.get(key, source) + stats.total(key, source)
    return total


def summary(stats: Stats, source_ids: Sequence[str], title: str = "crawl summary") -> Group:
    """The per-source table with each source's verdict, a total row, the sources that
    failed and why, the hosts blocked by a challenge, and when sources not due are due."""
    table = Table(title=title, title_justify="left")
    table.add_column("source")
    table.add_column("status")
    for name, _ in _COLUMNS:
        table.add_column(name, justify="right")
    for sid in source_ids:
        verdict = stats.verdict(sid)[0]
        if verdict == "not-due":
            table.add_row(sid, "not due", *["-"] * len(_COLUMNS), style="dim")
            continue
        table.add_row(sid, Text(verdict, style=_STYLES.get(verdict, "")),
                      *(str(_value(stats, keys, sid)) for _, keys in _COLUMNS))
    table.add_row("total", "", *(str(_value(stats, keys, None)) for _, keys in _COLUMNS),
                  style="bold")
    parts: list[Table | Text] = [table]
    for sid in source_ids:
        verdict, reason = stats.verdict(sid)
        if verdict == "failed":
            parts.append(Text(f"{sid} failed: {reason}", style="red"))
    for host, reason in sorted(stats.blocked.items()):
        parts.append(Text(f"blocked for this run: {host} (anti-bot challenge: {reason}); "
                          "its new URLs wait for a later run", style="yellow"))
    for sid, when in sorted(stats.next_due.items(), key=lambda item: item[1]):
        at = datetime.fromtimestamp(when).astimezone().isoformat(timespec="minutes")
        parts.append(Text(f"{sid} is not due; next due {at} (--force crawls it now)",
                          style="dim"))
    for sid, figures in sorted(stats.drifting.items()):
        parts.append(Text(f"drifting: {sid}: " + "; ".join(map(describe_drift, figures)),
                          style="bold red"))
    return Group(*parts)


def describe_drift(figure: Mapping[str, Any]) -> str:
    """``content_rule 0.00, usually 1.00, since the pass of 2026-11-23 21:40``."""
    since = datetime.fromtimestamp(float(figure["since"] or figure["run_started"]))
    return (f"{figure['figure']} {figure['value']:.2f}, usually {figure['baseline']:.2f}, "
            f"since the pass of {since:%Y-%m-%d %H:%M}")


def health_table(figures: Sequence[Figure]) -> Table:
    """``zhengwen sources health``: each source's figures of its newest pass."""
    table = Table(title="source health (newest pass per source)", title_justify="left",
                  box=box.SIMPLE_HEAD)
    for name in ("source", "figure", "value", "usually", "pages", "state"):
        table.add_column(name, no_wrap=True,
                         justify="right" if name in ("value", "usually", "pages") else "left")
    for f in figures:
        when = datetime.fromtimestamp(f.since or f.run_started)
        table.add_row(f.source_id, f.figure, f"{f.value:.2f}",
                      "-" if f.baseline is None else f"{f.baseline:.2f}", str(f.samples),
                      f"DRIFTING since {when:%Y-%m-%d %H:%M}" if f.drifting else "ok",
                      style="bold red" if f.drifting else None)
    return table


def live_progress(stats: Stats, source_ids: Sequence[str], console: Console) -> Live:
    """A Live display of the summary table, refreshed while the crawl runs."""
    return Live(get_renderable=lambda: summary(stats, source_ids, "crawling"), console=console,
                refresh_per_second=4, transient=True)
