"""Crawl throughput of 1, 2 and 4 ``zhengwen crawl`` processes sharing one PostgreSQL
archive, against one process on SQLite, on the generated site.

The site's own request log, not the crawlers' counts, says whether the workers
shared the work as they should: every article served once across workers, never two
requests to one host in flight at once, and (in a run with a delay) never a request
to a host sooner than the delay after the previous one ended. The PostgreSQL server
is the tests' throwaway cluster (tests/pgserver.py: loopback only, fsync off).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from bench.crawling import ROOT, Site
from bench.rss import PeakWatcher

__all__ = ["PgRun", "check_log", "postgres", "run_workers", "server_cpu_s", "to_json"]

_ARTICLE = re.compile(r"/t20241001_\d+\.html$")
_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class PgRun:
    """One crawl by ``workers`` processes on one archive, and what the site saw."""

    engine: str
    workers: int
    clean: bool
    delay_s: float
    seconds: float = 0.0
    cpu_s: float = 0.0  # the workers' CPU (their cleaning processes included)
    server_cpu_s: float = 0.0  # PostgreSQL's backends, reaped by the postmaster
    peak_mb: float = 0.0  # the largest worker's
    stored: int = 0  # distinct article URLs stored (responses or article versions)
    stored_rows: int = 0  # rows: more than ``stored`` means a duplicate
    archive_bytes: int = 0  # every table with its indexes (SQLite: the files)
    body_bytes: int = 0  # of which zlib-compressed bodies
    requests: int = 0  # served by the site, all kinds
    article_requests: int = 0
    duplicate_fetches: int = 0  # article requests beyond the first per URL
    list_requests: int = 0
    robots_requests: int = 0
    overlaps: int = 0  # requests that started while another to the host was in flight
    min_gap_ms: float = float("inf")  # shortest end-to-start gap between two requests to a host
    failed: int = 0  # fetch and clean errors the workers counted
    exit_codes: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # stderr tails of workers that failed

    @property
    def label(self) -> str:
        return f"{self.workers} × {'SQLite' if self.engine == 'sqlite' else 'PostgreSQL'}"

    @property
    def pages_per_s(self) -> float:
        return self.stored / self.seconds if self.seconds else 0.0


def server_cpu_s(pid: int) -> float:
    """CPU seconds of a postmaster and the children it has reaped (the backends of
    closed connections)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(v) for v in fields[11:15]) / _TICKS


@contextmanager
def postgres() -> Iterator[tuple[object | None, str]]:
    """A throwaway server (tests/pgserver.py), or ``(None, why not)``."""
    try:
        import psycopg  # noqa: F401  (the archive needs it)

        from tests.pgserver import PostgresServer, PostgresUnavailable
    except ImportError as exc:
        yield None, f"{exc} (pip install -e '.[postgres]')"
        return
    try:
        server = PostgresServer.start()
    except PostgresUnavailable as exc:
        yield None, str(exc).splitlines()[0]
        return
    with server:
        yield server, ""


def check_log(run: PgRun, served: list[tuple[int, str, float, float]]) -> None:
    """Fill ``run``'s request counts, duplicate article fetches, overlapping requests
    per host and shortest gap per host from the site's log."""
    run.requests = len(served)
    articles = Counter((h, p) for h, p, _, _ in served if _ARTICLE.search(p))
    run.article_requests = sum(articles.values())
    run.duplicate_fetches = sum(n - 1 for n in articles.values())
    run.list_requests = sum(1 for _, p, _, _ in served if p.startswith("/list/index"))
    run.robots_requests = sum(1 for _, p, _, _ in served if p == "/robots.txt")
    by_host: dict[int, list[tuple[float, float]]] = defaultdict(list)
    for host, _, start, end in served:
        by_host[host].append((start, end))
    for spans in by_host.values():
        spans.sort()
        busy_until = spans[0][1]
        for start, end in spans[1:]:
            if start < busy_until:
                run.overlaps += 1
            else:
                run.min_gap_ms = min(run.min_gap_ms, 1000 * (start - busy_until))
            busy_until = max(busy_until, end)


def _worker_outcome(run: PgRun, out: IO[str], err: IO[str]) -> None:
    """Count the worker's failed fetches; keep the end of its stderr if it crashed."""
    out.seek(0)
    err.seek(0)
    try:
        counts = json.loads(out.read())["counts"]
    except (ValueError, KeyError):
        counts = {}
    run.failed += sum(n for k, n in counts.items() if k.startswith(("fetch/error/", "clean/error/")))
    tail = [line for line in err.read().splitlines() if line.strip()][-3:]
    if not counts or run.exit_codes[-1] not in (0, 1) or any("Traceback" in t for t in tail):
        run.errors.append(f"worker {len(run.exit_codes)} exit {run.exit_codes[-1]}: "
                          + " / ".join(tail))


def _stored(run: PgRun, db: str) -> None:
    """Articles stored (distinct URLs and rows) and the archive's size."""
    from scraper import Archive

    table = "articles" if run.clean else "responses WHERE kind = 'article'"
    with Archive(db, lock=False, readonly=True) as archive:
        conn = archive.conn
        urls, rows = conn.execute(f"SELECT count(DISTINCT url), count(*) FROM {table}").fetchone()
        run.stored, run.stored_rows = int(urls), int(rows)
        run.body_bytes = int(conn.execute("SELECT sum(length(data)) FROM bodies").fetchone()[0])
        if conn.is_postgres:
            run.archive_bytes = int(conn.execute(
                "SELECT sum(pg_total_relation_size(oid)) FROM pg_class WHERE relkind = 'r' "
                "AND relnamespace = 'public'::regnamespace").fetchone()[0])
    if not run.archive_bytes:
        run.archive_bytes = sum(f.stat().st_size for f in Path(db).parent.glob(Path(db).name + "*"))


def run_workers(site: Site, db: str, workers: int, hosts: int, per_host: int, *, clean: bool,
                delay_s: float = 0.0, postmaster: int | None = None) -> PgRun:
    """``workers`` crawl processes started together on the same sources file and archive
    (created and migrated beforehand, so the timing is the crawl's)."""
    from scraper import Archive

    run = PgRun("postgresql" if postmaster else "sqlite", workers, clean, delay_s)
    with tempfile.TemporaryDirectory() as tmp:
        sources = site.sources(Path(tmp) / "s.toml", hosts, per_host, clean=clean,
                               delay_s=delay_s)
        Archive(db, command="bench").close()
        site.served()  # empty the log
        server_before = server_cpu_s(postmaster) if postmaster else 0.0
        start = time.perf_counter()
        procs = []
        with ExitStack() as files:
            for i in range(workers):
                out, err = (files.enter_context(open(Path(tmp) / f"{i}.{kind}", "w+"))
                            for kind in ("out", "err"))
                proc = subprocess.Popen(
                    [sys.executable, "-m", "scraper", "crawl", "--sources", str(sources), "--db",
                     db, "--force", "--json", "--no-progress"], cwd=ROOT, stdout=out, stderr=err)
                procs.append((proc, PeakWatcher(proc.pid), out, err))
            for proc, watcher, out, err in procs:
                _, status, usage = os.wait4(proc.pid, 0)
                proc.returncode = os.waitstatus_to_exitcode(status)
                run.cpu_s += usage.ru_utime + usage.ru_stime
                run.peak_mb = max(run.peak_mb, watcher.stop())
                run.exit_codes.append(proc.returncode)
                _worker_outcome(run, out, err)
        run.seconds = time.perf_counter() - start
        if postmaster:
            time.sleep(0.5)  # the postmaster reaps the backends of the closed connections
            run.server_cpu_s = server_cpu_s(postmaster) - server_before
    check_log(run, site.served())
    _stored(run, db)
    return run


def to_json(run: PgRun) -> dict[str, object]:
    data = dict(run.__dict__)
    data["pages_per_s"] = run.pages_per_s
    if data["min_gap_ms"] == float("inf"):
        data["min_gap_ms"] = None
    return data


if __name__ == "__main__":  # a quick look: python -m bench.pgcrawl HOSTS PER_HOST WORKERS
    hosts_, per_host_, workers_ = (int(a) for a in sys.argv[1:4])
    with postgres() as (server_, why), Site(hosts_, per_host_, 8701) as site_:
        if server_ is None:
            sys.exit(f"PostgreSQL unavailable: {why}")
        url_ = server_.url(server_.create_database())  # type: ignore[attr-defined]
        result = run_workers(site_, url_, workers_, hosts_, per_host_, clean=False,
                             postmaster=server_.pid)  # type: ignore[attr-defined]
        print(json.dumps(to_json(result), indent=2))
