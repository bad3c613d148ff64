"""``python -m bench.frontier_mem N [--db postgresql://…]``: peak RSS while the
frontier grows to N URLs through the same call discovery uses (Frontier.add, one
transaction per batch), with a real lease of 1000 URLs
(Frontier.lease, as a crawl worker takes them) at each checkpoint. Without ``--db``
the archive is a SQLite file in a temporary folder; a PostgreSQL database should be
empty. Prints one JSON line per checkpoint."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from bench.rss import peak_rss_mb
from scraper import Archive

BATCH = 500
LEASE = 1000


def _sizes(archive: Archive, folder: Path) -> dict[str, float]:
    """The database's size, and the frontier table's with its indexes, in MB."""
    if not archive.postgres:
        size = sum(p.stat().st_size for p in folder.glob("f.sqlite*"))
        return {"db_mb": round(size / 1e6, 1)}
    db, urls = archive.conn.execute(
        "SELECT pg_database_size(current_database()), pg_total_relation_size('urls')").fetchone()
    return {"db_mb": round(db / 1e6, 1), "urls_mb": round(urls / 1e6, 1)}


def main(total: int, db: str | None) -> int:
    checkpoints = {n for n in (10_000, 100_000, 1_000_000, total) if n <= total}
    adding = 0.0
    with tempfile.TemporaryDirectory() as tmp, \
            Archive(db or Path(tmp) / "f.sqlite", command="bench") as archive:
        frontier = archive.frontier
        for first in range(0, total, BATCH):
            host = first // 200_000  # five hosts' worth of URLs per million
            start = time.perf_counter()
            with archive.transaction():
                frontier.add(
                    (f"http://127.0.0.{2 + host}/jyt/xxgk/202410/t20241001_{n}.html"
                     for n in range(first, first + BATCH)), "bench", "article")
            adding += time.perf_counter() - start
            done = first + BATCH
            if done in checkpoints:
                start = time.perf_counter()
                leased = frontier.lease("bench", "article", limit=LEASE, max_failures=5,
                                        due_before=archive.conn.now(), lease_s=600)
                lease_ms = 1000 * (time.perf_counter() - start)
                print(json.dumps({
                    "engine": archive.conn.dialect, "urls": done,
                    "leased": len(leased), "lease_ms": round(lease_ms, 1),
                    "seconds": round(adding, 1), "peak_rss_mb": round(peak_rss_mb() or 0.0, 1),
                    **_sizes(archive, Path(tmp))}), flush=True)
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("total", type=lambda s: int(float(s)), help="URLs to add, e.g. 1e6")
    parser.add_argument("--db", help="a postgresql:// URL (default: a temporary SQLite file)")
    args = parser.parse_args()
    sys.exit(main(args.total, args.db))
