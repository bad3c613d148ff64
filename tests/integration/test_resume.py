"""SIGKILL a crawl subprocess mid-run, crawl again: nothing lost, nothing fetched
twice that was stored, no duplicate article."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from scraper.demo_site import DemoSite

from .conftest import SiteCrawler
from .test_crawl import JYT_ARTICLES, NEWS_ARTICLES

ROOT = Path(__file__).resolve().parents[2]


def _crawl_process(sources: Path, db: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "scraper", "crawl", "--sources", str(sources), "--db", str(db),
         "--force", "--no-progress"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _stored(db: Path) -> list[tuple[str, str]]:
    conn = sqlite3.connect(db, timeout=10)
    try:
        return conn.execute("SELECT url, response_id FROM articles").fetchall()
    except sqlite3.OperationalError:  # tables not created yet
        return []
    finally:
        conn.close()


def test_sigkill_then_resume(crawler: SiteCrawler, site: DemoSite) -> None:
    sources = crawler.sources_file()
    # revisits off: the second run must not fetch again what the first one stored
    text = sources.read_text(encoding="utf-8").replace("revisit_after_s = 0", "revisit_after_s = 86400")
    sources.write_text(text.replace("delay_s = 0.2", "delay_s = 0.3"), encoding="utf-8")

    first = _crawl_process(sources, crawler.db)
    deadline = time.monotonic() + 60
    while len(_stored(crawler.db)) < 4 and time.monotonic() < deadline and first.poll() is None:
        time.sleep(0.05)
    os.kill(first.pid, signal.SIGKILL)
    first.communicate()
    assert first.returncode == -signal.SIGKILL
    before = {url for url, _ in _stored(crawler.db)}
    assert 4 <= len(before) < JYT_ARTICLES + NEWS_ARTICLES, "kill came too late to test resume"
    hits_before = len(site.requests)

    second = _crawl_process(sources, crawler.db)  # the lock died with the first process
    out, err = second.communicate(timeout=120)
    assert second.returncode == 3, err.decode()  # 3: the demo site's challenge host

    rows = _stored(crawler.db)
    urls = [url for url, _ in rows]
    assert len(urls) == len(set(urls)), "an article was stored twice"
    assert len(urls) == JYT_ARTICLES + NEWS_ARTICLES, "an article was lost"
    assert before <= set(urls)
    refetched = [r.path for r in site.requests[hits_before:]
                 if any(u.endswith(r.path) for u in before)]
    assert refetched == [], f"stored pages fetched again: {refetched}"
    conn = sqlite3.connect(crawler.db)
    assert conn.execute("SELECT count(*) FROM responses WHERE kind = 'article'"
                        ).fetchone()[0] == len(urls)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_repeated_sigkill_at_random_moments(crawler: SiteCrawler) -> None:
    """Five kills, each at a random moment (seeded, so a failure can be replayed) after the
    run stored something, then a run to the end: every article once, every response
    once, a sound file."""
    sources = crawler.sources_file()
    text = sources.read_text(encoding="utf-8").replace("revisit_after_s = 0", "revisit_after_s = 86400")
    # Slower than the cleaning workers start, so pages are stored one by one, not in a burst.
    sources.write_text(text.replace("delay_s = 0.2", "delay_s = 0.5"), encoding="utf-8")
    total = JYT_ARTICLES + NEWS_ARTICLES
    rng = random.Random(20241012)
    kills = []
    for _ in range(5):
        before = len(_stored(crawler.db))
        proc = _crawl_process(sources, crawler.db)
        deadline = time.monotonic() + 60
        while (len(_stored(crawler.db)) == before and proc.poll() is None
               and time.monotonic() < deadline):
            time.sleep(0.02)
        time.sleep(rng.uniform(0.0, 0.2))
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            kills.append(len(_stored(crawler.db)))
        proc.communicate()
    assert len(kills) >= 3 and all(n < total for n in kills), f"kills came too late: {kills}"

    final = _crawl_process(sources, crawler.db)
    _, err = final.communicate(timeout=120)
    assert final.returncode == 3, err.decode()  # 3: the demo site's challenge host

    urls = [url for url, _ in _stored(crawler.db)]
    assert len(urls) == len(set(urls)), "an article was stored twice"
    assert len(urls) == total, "an article was lost"
    conn = sqlite3.connect(crawler.db)
    try:
        assert conn.execute("SELECT count(*) FROM responses WHERE kind = 'article'"
                            ).fetchone()[0] == len(urls)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM urls WHERE kind = 'article' AND status = 'new'"
                            ).fetchone()[0] == 0
    finally:
        conn.close()
