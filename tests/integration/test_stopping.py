"""Stopping a crawl promptly, and a page that takes too long to clean."""

from __future__ import annotations

import asyncio
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from cleaners import load_rules
from cleaners.isolation import IsolatedCleaner
from scraper import Archive, Settings, crawl, load_config
from tests.conftest import ROOT

ARTICLES = 12
PAGE = ("<html><head><title>示例通知</title></head><body><div class='TRS_Editor'>"
        "<p>示例市教育局发布冬季学校安全工作通知，要求各校做好检查。</p>"
        "<p>{line}</p></div></body></html>")


class _Slow(BaseHTTPRequestHandler):
    """A list of articles; each article takes ``delay`` seconds and fails with 503 (so a
    crawl would retry and back off); /hostile.html is a page with a long line of a's."""

    delay = 3.0

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802
        if self.path == "/robots.txt":
            return self._send(404, b"")
        if self.path == "/list/index.html":
            links = "".join(f'<a href="/a/202410/t20241001_{i}.html">通知{i}</a>'
                            for i in range(ARTICLES))
            return self._send(200, f"<html><body>{links}<a href='/hostile.html'>x</a>"
                                   "</body></html>".encode())
        if self.path == "/hostile.html":
            return self._send(200, PAGE.format(line="a" * 40 + "!").encode())
        self.server.hits += 1  # type: ignore[attr-defined]
        time.sleep(self.delay)
        self._send(503, b"busy")

    def _send(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def slow_site() -> Iterator[ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Slow)
    server.daemon_threads = True
    server.hits = 0  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02},
                     daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def _sources(tmp_path: Path, server: ThreadingHTTPServer, pattern: str, attempts: int = 5) -> Path:
    base = f"http://127.0.0.1:{server.server_address[1]}"
    path = tmp_path / "sources.toml"
    path.write_text(f"[settings]\nallow_private_hosts = true\ndelay_s = 0\n"
                    f"max_attempts = {attempts}\nbackoff_s = 20\n"
                    "max_backoff_s = 60\nconcurrency = 4\n\n"
                    f'[[source]]\nid = "slow"\nname = "slow"\nstart_urls = ["{base}/list/index.html"]\n'
                    f"article_pattern = '{pattern}'\nmax_list_pages = 1\n", encoding="utf-8")
    return path


def _start(tmp_path: Path, sources: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "scraper", "crawl", "--sources", str(sources),
                             "--db", str(tmp_path / "a.sqlite"), "--no-progress"],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for_requests(server: ThreadingHTTPServer) -> None:
    deadline = time.monotonic() + 30
    while server.hits < 2 and time.monotonic() < deadline:  # type: ignore[attr-defined]
        time.sleep(0.05)
    assert server.hits >= 2  # type: ignore[attr-defined]


def test_sigterm_stops_a_crawl_of_slow_pages_within_seconds(tmp_path: Path,
                                                            slow_site: ThreadingHTTPServer) -> None:
    proc = _start(tmp_path, _sources(tmp_path, slow_site, r"/t\d{8}_\d+\.html$"))
    _wait_for_requests(slow_site)
    sent = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=60)
    took = time.monotonic() - sent
    # Without abandoning retries, 12 pages x 5 attempts with 20 s backoffs take minutes.
    assert took < 15, (took, err)
    assert "SIGTERM: stopping" in err and "crawl summary (stopped early)" in out
    conn = sqlite3.connect(tmp_path / "a.sqlite")
    (status, summary), = conn.execute("SELECT status, summary FROM runs").fetchall()
    assert status == "stopped" and summary.startswith("slow: ")


def test_a_second_signal_exits_at_once(tmp_path: Path, slow_site: ThreadingHTTPServer) -> None:
    proc = _start(tmp_path, _sources(tmp_path, slow_site, r"/t\d{8}_\d+\.html$"))
    _wait_for_requests(slow_site)
    proc.send_signal(signal.SIGINT)  # two kinds: the kernel merges two pending SIGINTs
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    # the kernel may hand them over in either order
    assert proc.returncode in (128 + signal.SIGINT.value, 128 + signal.SIGTERM.value), err
    assert ": exiting now" in err
    with Archive(tmp_path / "a.sqlite") as archive:  # intact, and the lock is free
        assert archive.frontier.counts()["new"] >= 1


def test_a_page_over_the_cleaning_time_limit_is_recorded_and_the_crawl_goes_on(
        tmp_path: Path, slow_site: ThreadingHTTPServer) -> None:
    rules = tmp_path / "hostile.toml"
    rules.write_text('[[rule]]\nname = "site.backtrack"\nkind = "drop"\n'
                     "patterns = ['^(a|aa)+$']\nwhy = \"test: a pattern that backtracks\"\n"
                     "examples = ['aaaa']\n", encoding="utf-8")
    settings, sources = load_config(_sources(tmp_path, slow_site, r"/hostile\.html$", attempts=1))
    with (Archive(tmp_path / "a.sqlite") as archive,
          IsolatedCleaner(time_limit_s=1.0) as cleaner):
        stats = asyncio.run(crawl(sources, archive, settings, rules=load_rules(rules),
                                  force=True, cleaner=cleaner))
        (status, error), = archive.conn.execute(
            "SELECT status, last_error FROM urls WHERE url LIKE '%hostile%'").fetchall()
    assert stats.get("clean/error/CleanTimeoutError", "slow") == 1
    assert status == "failed" and error.startswith("CleanTimeoutError")
    assert stats.verdict("slow") == ("failed", "every article failed")
    assert Settings().clean_time_limit_s > 1.0
