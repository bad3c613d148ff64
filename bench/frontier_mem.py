"""``python -m bench.frontier_mem N``: peak RSS while the frontier grows to N URLs
through the same call discovery uses (Frontier.add, one transaction per batch),
with a due-URL query at each checkpoint. Prints one JSON line per checkpoint."""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

from bench.rss import peak_rss_mb
from scraper import Archive

BATCH = 500


def main(total: int) -> int:
    checkpoints = {n for n in (10_000, 100_000, 1_000_000, total) if n <= total}
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp, Archive(Path(tmp) / "f.sqlite") as archive:
        for first in range(0, total, BATCH):
            host = first // 200_000  # five hosts' worth of URLs per million
            with archive.transaction():
                archive.frontier.add(
                    (f"http://127.0.0.{2 + host}/jyt/xxgk/202410/t20241001_{n}.html"
                     for n in range(first, first + BATCH)), "bench", "article")
            done = first + BATCH
            if done in checkpoints:
                due = archive.frontier.due("bench", "article", limit=1000, max_failures=5)
                size = sum(p.stat().st_size for p in Path(tmp).glob("f.sqlite*"))
                print(json.dumps({
                    "urls": done, "due": len(due), "seconds": round(time.perf_counter() - start, 1),
                    "peak_rss_mb": round(peak_rss_mb() or 0.0, 1),
                    "db_mb": round(size / 1e6, 1)}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(int(float(sys.argv[1]))))
