"""Crawl benchmark: zhengwen (with and without cleaning) and Scrapy (fetch only)
against the generated many-host site, plus frontier memory and a per-stage CPU
profile of zhengwen's crawl."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from bench.crawlsite import LOG_PATH, host_ips
from bench.profiling import profile_stages
from bench.rss import PeakWatcher

__all__ = ["CRAWL_STAGES", "CrawlResult", "Site", "frontier_memory", "profile_crawl",
           "run_scrapy", "run_zhengwen"]

ROOT = Path(__file__).resolve().parent.parent
CONCURRENCY = 8


@dataclass(frozen=True)
class CrawlResult:
    tool: str
    articles: int
    requests: int
    seconds: float
    cpu_s: float
    peak_mb: float

    @property
    def pages_per_s(self) -> float:
        return self.articles / self.seconds

    @property
    def cpu_ms_per_page(self) -> float:
        return 1000 * self.cpu_s / max(self.articles, 1)


class Site:
    """The generated site in a process of its own (so it does not share the crawler's core)."""

    def __init__(self, hosts: int, per_host: int, port: int) -> None:
        self.hosts, self.per_host, self.port = hosts, per_host, port
        self._proc: subprocess.Popen | None = None

    def __enter__(self) -> Site:
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "bench.crawlsite", "--hosts", str(self.hosts), "--pages",
             str(self.per_host), "--port", str(self.port)], cwd=ROOT, stdout=subprocess.PIPE,
            text=True)
        if self._proc.stdout is None or self._proc.stdout.readline().strip() != "ready":
            raise RuntimeError("the generated site did not start")
        return self

    def __exit__(self, *exc: object) -> None:
        if self._proc is not None:
            self._proc.terminate()
            self._proc.communicate(timeout=10)

    def sources(self, path: Path, hosts: int, per_host: int, *, clean: bool,
                delay_s: float = 0.0) -> Path:
        pages = -(-per_host // 20)
        lines = ["[settings]", "allow_private_hosts = true", f"delay_s = {delay_s}",
                 f"concurrency = {CONCURRENCY}",
                 f"max_pages_per_source = {per_host}", f"clean_pages = {str(clean).lower()}",
                 "max_attempts = 2", ""]
        for i, ip in enumerate(host_ips(self.hosts)[:hosts]):
            lines += ["[[source]]", f'id = "h{i}"', f'name = "host {i}"',
                      f'start_urls = ["http://{ip}:{self.port}/list/index.html"]',
                      "article_pattern = '/t20241001_\\d+\\.html$'",
                      f"max_list_pages = {pages}", ""]
        path.write_text("\n".join(lines), encoding="utf-8")
        return path

    def served(self) -> list[tuple[int, str, float, float]]:
        """The requests served since the last call: ``(host, path, start, end)``."""
        url = f"http://{host_ips(1)[0]}:{self.port}{LOG_PATH}"
        with urllib.request.urlopen(url, timeout=30) as response:
            return [tuple(r) for r in json.loads(response.read())]


def _measured(args: list[str]) -> tuple[float, float, float, str]:
    """Run a command; return wall seconds, CPU seconds, peak RSS MB and its stdout."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            text=True)
    watcher = PeakWatcher(proc.pid)
    out = proc.stdout.read() if proc.stdout else ""
    _, _, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    return seconds, usage.ru_utime + usage.ru_stime, watcher.stop(), out


def run_zhengwen(site: Site, hosts: int, per_host: int, *, clean: bool) -> CrawlResult:
    with tempfile.TemporaryDirectory() as tmp:
        sources = site.sources(Path(tmp) / "s.toml", hosts, per_host, clean=clean)
        seconds, cpu, peak, out = _measured(
            [sys.executable, "-m", "scraper", "crawl", "--sources", str(sources), "--db",
             str(Path(tmp) / "a.sqlite"), "--force", "--json", "--no-progress"])
    counts = json.loads(out)["counts"]
    stored = counts.get("store/article/new", 0) + counts.get("store/article/raw", 0)
    return CrawlResult("zhengwen" + (" (clean)" if clean else " (fetch only)"), stored,
                       counts.get("fetch/pages", 0), seconds, cpu, peak)


def run_scrapy(site: Site, hosts: int, per_host: int) -> CrawlResult:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "items.jsonl"
        seconds, cpu, peak, _ = _measured(
            [sys.executable, "-m", "bench.scrapy_fetch", "--hosts", str(hosts), "--pages",
             str(per_host), "--port", str(site.port), "--concurrency", str(CONCURRENCY),
             "--out", str(out)])
        stored = sum(1 for _ in out.open(encoding="utf-8")) if out.exists() else 0
    lists = hosts * -(-per_host // 20)
    return CrawlResult("Scrapy (fetch only)", stored, stored + lists, seconds, cpu, peak)


def frontier_memory(total: int, db: str | None = None) -> list[dict[str, float]]:
    """bench.frontier_mem's checkpoints, on a temporary SQLite file or on ``db``."""
    done = subprocess.run([sys.executable, "-m", "bench.frontier_mem", str(total),
                           *(["--db", db] if db else [])], cwd=ROOT,
                          capture_output=True, text=True, timeout=3600, check=True)
    return [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]


# Stage -> the function whose cumulative time stands for it.
CRAWL_STAGES = (
    ("fetch (httpx, retries, politeness)", "fetch.py", "fetch"),
    ("robots.txt", "robots.py", "allowed"),
    ("discover (list pages)", "discover.py", "parse_list_page"),
    # Pages are cleaned in worker processes, which this profile of the crawl's own
    # process does not see; learning the hosts' templates runs here.
    ("site templates (learning)", "templates.py", "learn"),
    ("store (writes, reprint links)", "store.py", "put_article"),
    ("frontier (leases and updates)", "frontier.py", "lease"),
)


def profile_crawl(site: Site, hosts: int, per_host: int) -> list[tuple[str, float]]:
    """CPU ms per article page by stage of one zhengwen crawl with cleaning, in process."""
    from scraper import Archive, crawl, load_config

    with tempfile.TemporaryDirectory() as tmp:
        settings, sources = load_config(site.sources(Path(tmp) / "s.toml", hosts, per_host,
                                                     clean=True))
        with Archive(Path(tmp) / "a.sqlite") as archive:
            def run() -> int:
                stats = asyncio.run(crawl(sources, archive, settings, force=True))
                return stats.get("store/article/new")
            return profile_stages(run, CRAWL_STAGES)
