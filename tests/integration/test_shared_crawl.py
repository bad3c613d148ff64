"""Several crawl processes on one PostgreSQL archive: the work is shared, nothing is
fetched or stored twice, politeness holds across them, and a worker killed with -9
loses nothing."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from scraper.demo_site import DemoSite

from .test_crawl import JYT_ARTICLES, NEWS_ARTICLES

ROOT = Path(__file__).resolve().parents[2]
TOTAL = JYT_ARTICLES + NEWS_ARTICLES
DELAY_S = 0.3
ARTICLE = re.compile(r"/t\d{8}_\d+\.html$|/\d{4}-\d{2}/\d{2}/[a-z]+_\d+\.htm$")


def _sources(site: DemoSite, folder: Path, *, delay_s: float = DELAY_S, lease_s: float = 600
             ) -> Path:
    text = site.sources_text().replace("revisit_after_s = 0", "revisit_after_s = 86400")
    # A killed worker's host slots free themselves after the longest request can last.
    text = text.replace("delay_s = 0.2", f"delay_s = {delay_s}\nlease_s = {lease_s}\n"
                        "total_timeout_s = 5")
    path = folder / "sources.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def workers() -> Iterator[list[subprocess.Popen]]:
    """Crawl processes started by a test; any still running at its end are killed."""
    procs: list[subprocess.Popen] = []
    yield procs
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
        proc.communicate()


def _worker(procs: list[subprocess.Popen], sources: Path, db: str) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "-m", "scraper", "crawl", "--sources", str(sources), "--db", db,
         "--force", "--no-progress"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    procs.append(proc)
    return proc


def _finished(proc: subprocess.Popen) -> None:
    """The worker ran to its end: 0, 1 (a URL failed: the site's 404) or 3 (the site's
    challenge host), depending on which of the site's pages this worker took."""
    _, err = proc.communicate(timeout=300)
    assert proc.returncode in (0, 1, 3) and b"Traceback" not in err, err.decode()


def _rows(db: str, sql: str) -> list[tuple]:
    try:
        with psycopg.connect(db) as conn:
            return conn.execute(sql).fetchall()
    except (psycopg.errors.UndefinedTable, psycopg.errors.UndefinedColumn):  # not migrated yet
        return []


def _article_paths(site: DemoSite) -> list[str]:
    """Paths of the articles the site served with 200 (a retried 500 or 503 answers
    twice on purpose; robots, lists and feeds are left out)."""
    return [r.path for r in site.requests if r.status == 200 and ARTICLE.search(r.path)]


def _check_polite(site: DemoSite) -> None:
    """Per host, consecutive responses at least the delay apart, whichever worker asked."""
    ends: dict[str, list[float]] = defaultdict(list)
    for request in site.requests:
        ends[request.host].append(request.at)
    for host, times in ends.items():
        times.sort()
        gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
        assert min(gaps, default=DELAY_S) >= DELAY_S * 0.95, (host, min(gaps))


@pytest.mark.parametrize("count", [2, 4])
def test_workers_share_the_frontier(site: DemoSite, postgres_url: str, tmp_path: Path,
                                    workers: list[subprocess.Popen], count: int) -> None:
    sources = _sources(site, tmp_path)
    procs = [_worker(workers, sources, postgres_url) for _ in range(count)]
    for proc in procs:
        _finished(proc)

    urls = [row[0] for row in _rows(postgres_url, "SELECT url FROM articles")]
    assert len(urls) == len(set(urls)) == TOTAL
    assert _rows(postgres_url, "SELECT count(*) FROM responses WHERE kind = 'article'"
                 ) == [(TOTAL,)]
    paths = _article_paths(site)
    assert len(paths) == len(set(paths)), "an article was fetched by two workers"
    _check_polite(site)
    runs = _rows(postgres_url, "SELECT stats FROM runs WHERE status = 'finished'")
    assert len(runs) == count
    busy = [stats for (stats,) in runs if '"store/article/new"' in stats]
    assert len(busy) >= 2, "one worker did all the work"
    assert _rows(postgres_url, "SELECT count(*) FROM urls WHERE leased_by IS NOT NULL"
                 ) == [(0,)]


def test_a_killed_worker_loses_and_duplicates_nothing(site: DemoSite, postgres_url: str,
                                                      tmp_path: Path,
                                                      workers: list[subprocess.Popen]) -> None:
    lease_s = 3.0
    sources = _sources(site, tmp_path, delay_s=0.5, lease_s=lease_s)
    doomed, other = (_worker(workers, sources, postgres_url),
                     _worker(workers, sources, postgres_url))
    deadline = time.monotonic() + 120
    holding = ("SELECT count(*) FROM urls WHERE kind = 'article' AND leased_by LIKE "
               f"'%:{doomed.pid}:%'")  # a worker's name holds its pid
    while (not (_rows(postgres_url, holding) not in ([], [(0,)])
                and _rows(postgres_url, "SELECT count(*) FROM articles") not in ([], [(0,)]))
           and time.monotonic() < deadline and doomed.poll() is None):
        time.sleep(0.02)
    if doomed.poll() is not None:  # it ended before it could be killed holding leases
        _, err = doomed.communicate()
        pytest.fail(f"the worker to kill exited first ({doomed.returncode}): {err.decode()}")
    os.kill(doomed.pid, signal.SIGKILL)
    doomed.communicate()
    assert doomed.returncode == -signal.SIGKILL
    _finished(other)
    stored = _rows(postgres_url, "SELECT count(*) FROM articles")[0][0]
    assert stored < TOTAL, "the other worker took URLs the killed one held"

    time.sleep(lease_s)  # the dead worker's leases run out
    final = _worker(workers, sources, postgres_url)
    _finished(final)

    urls = [row[0] for row in _rows(postgres_url, "SELECT url FROM articles")]
    assert len(urls) == len(set(urls)), "an article was stored twice"
    missing = _rows(postgres_url, "SELECT url, status, attempts, last_error, leased_by, taken_at, "
                    "next_fetch FROM urls WHERE kind = 'article' AND url NOT IN "
                    "(SELECT url FROM articles)")
    assert len(urls) == TOTAL, f"an article was lost: {missing}"
    assert _rows(postgres_url, "SELECT count(*) FROM responses WHERE kind = 'article'"
                 ) == [(TOTAL,)]
    assert _rows(postgres_url, "SELECT count(*) FROM urls WHERE kind = 'article' AND "
                 "status = 'new'") == [(0,)]


def test_a_discovery_whose_worker_died_is_taken_over(site: DemoSite, postgres_url: str,
                                                    tmp_path: Path,
                                                    workers: list[subprocess.Popen]) -> None:
    lease_s = 3.0
    sources = _sources(site, tmp_path, delay_s=0.5, lease_s=lease_s)
    doomed = _worker(workers, sources, postgres_url)
    claiming = f"SELECT count(*) FROM source_runs WHERE claimed_by LIKE '%:{doomed.pid}:%'"
    deadline = time.monotonic() + 120
    while (_rows(postgres_url, claiming) in ([], [(0,)]) and time.monotonic() < deadline
           and doomed.poll() is None):
        time.sleep(0.02)
    other = _worker(workers, sources, postgres_url)  # finds the list pages claimed
    time.sleep(1.0)  # doomed reads a list page or two, then dies holding its claims
    os.kill(doomed.pid, signal.SIGKILL)
    doomed.communicate()
    _finished(other)  # waited for the claims to run out, then read the list pages itself
    [(stats,)] = _rows(postgres_url, "SELECT stats FROM runs WHERE status = 'finished'")
    assert '"discover/taken-over"' in stats
    time.sleep(lease_s)  # the dead worker's leases run out
    _finished(_worker(workers, sources, postgres_url))

    urls = [row[0] for row in _rows(postgres_url, "SELECT url FROM articles")]
    assert len(urls) == len(set(urls)) == TOTAL
    assert _rows(postgres_url, "SELECT count(*) FROM source_runs WHERE claimed_by IS NOT NULL"
                 ) == [(0,)]
