"""SIGKILL a crawl subprocess mid-run, crawl again: nothing lost, nothing fetched
twice that was stored, no duplicate article."""

from __future__ import annotations

import os
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
    assert conn.execute("SELECT count(*) FROM responses").fetchone()[0] == len(urls)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
