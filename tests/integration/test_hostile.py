"""A crawl of the hostile site (fixtures/hostile): every case ends as a stored page or a
recorded, typed failure, nothing outside the scope is fetched, memory stays bounded."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import subprocess
import sys
import time
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from scraper import Archive
from scraper.export import export_articles

from .hostile import HostileSite

ROOT = Path(__file__).resolve().parents[2]
#: Peak resident memory allowed to the crawl process (it meets 1 GiB bombs).
MEMORY_CAP_MB = 300
_ROUTES = tomllib.loads((ROOT / "fixtures/hostile/routes.toml").read_text(encoding="utf-8"))
FAILURES = sorted({r.get("expect") for r in _ROUTES["route"]} - {"stored", "absent", None})


@dataclass
class HostileRun:
    site: HostileSite
    db: Path
    returncode: int
    seconds: float
    report: dict
    stderr: str

    def frontier(self) -> dict[str, tuple[str, str | None]]:
        conn = sqlite3.connect(self.db)
        try:
            return {url: (status, error) for url, status, error in
                    conn.execute("SELECT url, status, last_error FROM urls")}
        finally:
            conn.close()

    def stored(self) -> dict[str, str]:
        conn = sqlite3.connect(self.db)
        try:
            return dict(conn.execute("SELECT url, final_url FROM articles"))
        finally:
            conn.close()


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HostileRun]:
    tmp = tmp_path_factory.mktemp("hostile")
    with HostileSite() as site:
        sources = tmp / "sources.toml"
        sources.write_text(site.sources_text(), encoding="utf-8")
        db = tmp / "archive.sqlite"
        start = time.monotonic()
        done = subprocess.run([sys.executable, "-m", "tests.integration.hostile_crawl",
                               str(sources), str(db)], cwd=ROOT, capture_output=True,
                              text=True, timeout=300)
        seconds = time.monotonic() - start
        report = json.loads(done.stdout) if done.returncode == 0 else {}
        yield HostileRun(site, db, done.returncode, seconds, report, done.stderr)


def _routes(run: HostileRun, expect: str) -> list[dict]:
    return [r for r in run.site.routes if r.get("expect") == expect]


def test_the_crawl_finishes(hostile: HostileRun) -> None:
    assert hostile.returncode == 0, hostile.stderr[-3000:]
    assert hostile.report["stats"]["counts"]["store/article/new"] >= 1


def test_memory_stays_under_the_cap(hostile: HostileRun) -> None:
    assert hostile.report["vmhwm_kb"] < MEMORY_CAP_MB * 1024


def test_good_pages_of_the_hostile_hosts_are_stored(hostile: HostileRun) -> None:
    stored = hostile.stored()
    wanted = [hostile.site.url(r) for r in _routes(hostile, "stored")]
    assert sorted(u for u in wanted if u not in stored) == []


@pytest.mark.parametrize("expect", FAILURES)
def test_each_bad_url_has_its_typed_reason(hostile: HostileRun, expect: str) -> None:
    frontier = hostile.frontier()
    classes = tuple(f"{name}: " for name in expect.split(" or "))
    for route in _routes(hostile, expect):
        url = hostile.site.url(route)
        status, error = frontier[url]
        assert status in ("failed", "gone", "skipped"), (url, status, error)
        assert error is not None and error.startswith(classes), (url, error)
        assert url not in hostile.stored()


def test_every_failure_class_has_a_case() -> None:
    named = {name for expect in FAILURES for name in expect.split(" or ")}
    assert {"OutOfScopeError", "BlockedAddressError", "RedirectError", "RobotsDisallowedError",
            "BodyTooLargeError", "TransportError", "HostGivenUpError", "ChallengeError",
            "HTTPStatusError"} <= named


def test_urls_outside_the_scope_never_reach_the_frontier(hostile: HostileRun) -> None:
    frontier = hostile.frontier()
    for route in _routes(hostile, "absent"):
        assert hostile.site.url(route) not in frontier


def test_nothing_is_fetched_outside_the_scope(hostile: HostileRun) -> None:
    assert [h.path for h in hostile.site.hits if h.host == "other"] == []
    stored = hostile.stored()
    main, slow = hostile.site.bases["main"], hostile.site.bases["slow"]
    assert all(final.startswith((main, slow)) for final in stored.values())


def test_a_self_listing_sitemap_index_is_read_once(hostile: HostileRun) -> None:
    assert sum(1 for h in hostile.site.hits if h.path == "/sitemap_index.xml") == 1


def test_cookies_sent_back_stay_small(hostile: HostileRun) -> None:
    sent = [h.cookie_bytes for h in hostile.site.hits if h.host == "main"]
    assert 0 < max(sent) <= 8192


def test_a_host_that_trickles_is_given_up(hostile: HostileRun) -> None:
    slow = [h for h in hostile.site.hits if h.host == "slow" and h.path.startswith("/a/")]
    assert len(slow) == 3  # max_host_timeouts; the later URLs and retries cost no request
    errors = [e for url, (_, e) in hostile.frontier().items()
              if url.startswith(hostile.site.bases["slow"])]
    assert any(e.startswith("HostGivenUpError: ") and "after 3 timeouts in a row" in e
               for e in errors)


def test_challenge_pages_are_never_stored(hostile: HostileRun) -> None:
    with Archive(hostile.db, lock=False) as archive:
        texts = [a.article.text for a in archive.articles()]
    assert not any("$_ts" in t or "正在验证中" in t for t in texts)


def test_a_formula_title_is_text_in_the_csv(hostile: HostileRun) -> None:
    out = io.StringIO()
    with Archive(hostile.db, lock=False) as archive:
        export_articles(archive.articles(), out, "csv")
    titles = [row["title"] for row in csv.DictReader(io.StringIO(out.getvalue()))]
    assert "'=HYPERLINK(\"http://evil.example/\",\"点击查看详情\")" in titles
    assert not any(t.startswith(("=", "+", "-", "@")) for t in titles)
