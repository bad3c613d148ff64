"""Extraction benchmark: every tool on the same decoded pages, alternated page by
page in one warm process (one core): accuracy, metadata, pages/s; peak memory per
tool in its own process."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
import unicodedata
from dataclasses import dataclass, field

from bench.pages import BenchPage
from bench.peers import Extracted, Extractor, Tool
from bench.score import ngram_score, normalise, snippet_score

__all__ = ["ToolResult", "measure_memory", "run_extraction"]


@dataclass
class ToolResult:
    name: str
    f1: list[float] = field(default_factory=list)          # scored pages, first round
    rates: list[float] = field(default_factory=list)       # pages/s per round
    meta_hits: dict[str, list[bool]] = field(default_factory=dict)
    errors: int = 0
    peak_mb: float | None = None

    @property
    def mean_f1(self) -> float:
        return statistics.fmean(self.f1) if self.f1 else 0.0

    @property
    def median_f1(self) -> float:
        return statistics.median(self.f1) if self.f1 else 0.0

    @property
    def share_090(self) -> float:
        return sum(f >= 0.9 for f in self.f1) / len(self.f1) if self.f1 else 0.0

    @property
    def pages_per_s(self) -> float:
        return statistics.median(self.rates) if self.rates else 0.0

    def meta_accuracy(self, key: str) -> tuple[int, int]:
        hits = self.meta_hits.get(key, [])
        return sum(hits), len(hits)


def _score(page: BenchPage, text: str) -> float:
    if page.gold_text is not None:
        return ngram_score(text, page.gold_text).f1
    return snippet_score(text, page.with_snippets, page.without_snippets).f1


def _meta_match(key: str, gold: str, got: str | None) -> bool:
    if not got:
        return False
    if key == "date":
        return unicodedata.normalize("NFKC", str(got))[:10] == gold[:10]
    return normalise(got) == normalise(gold)


def _call(fn: Extractor, page: BenchPage) -> tuple[Extracted | None, float]:
    start = time.perf_counter()
    try:
        out = fn(page.html, page.url)
    except Exception:  # a peer failing on a page scores 0 there; the run goes on
        out = None
    return out, time.perf_counter() - start


def run_extraction(tools: dict[str, Tool], pages: list[BenchPage],
                   rounds: int = 3) -> dict[str, ToolResult]:
    results = {name: ToolResult(name) for name in tools}
    names = list(tools)
    for tool in tools.values():  # warm-up: imports, caches, jieba's dictionary
        for page in pages[:3]:
            _call(tool.run, page)
    for round_no in range(rounds):
        spent = dict.fromkeys(names, 0.0)
        for i, page in enumerate(pages):
            shift = (i + round_no) % len(names)
            for name in names[shift:] + names[:shift]:  # alternate who goes first
                out, seconds = _call(tools[name].run, page)
                spent[name] += seconds
                if round_no:
                    continue
                result = results[name]
                result.errors += out is None
                out = out or Extracted("")
                if page.scored:
                    result.f1.append(_score(page, out.text))
                if page.meta and tools[name].metadata is not None:
                    out = _call(tools[name].metadata, page)[0] or out
                for key, gold in page.meta.items():
                    result.meta_hits.setdefault(key, []).append(
                        _meta_match(key, gold, getattr(out, key)))
        for name in names:
            results[name].rates.append(len(pages) / spent[name])
    return results


def measure_memory(tool: str) -> float | None:
    """Peak RSS (MB) of a process that imports ``tool`` and extracts every page once."""
    done = subprocess.run([sys.executable, "-m", "bench.memory", tool], capture_output=True,
                          text=True, timeout=1800)
    if done.returncode != 0:
        return None
    return float(json.loads(done.stdout.strip().splitlines()[-1])["peak_mb"])
