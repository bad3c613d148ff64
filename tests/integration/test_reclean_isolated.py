"""reclean cleans each page in a worker: a page over its time limit is logged with
its reason and counted, and the rest of its batch is written."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import pytest

from cleaners import load_rules
from scraper import Archive, reclean
from scraper.store import StoredResponse
from tests.conftest import FIXTURES


def _response(url: str, body: bytes) -> StoredResponse:
    return StoredResponse(id=0, url=url, final_url=url, source_id="site", fetched_at=time.time(),
                          status=200, headers={"Content-Type": "text/html; charset=utf-8"},
                          body=body)


def test_a_page_over_its_time_limit_is_counted_and_the_batch_goes_on(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    good = (FIXTURES / "pages" / "trs_gov_article.html").read_bytes()
    slow = (FIXTURES / "hostile" / "slow_page.html").read_bytes()
    rules = load_rules(FIXTURES / "hostile" / "slow_rule.toml")
    with Archive(tmp_path / "a.sqlite") as archive:
        with archive.transaction():
            for url, body in (("http://x.gov.cn/1.html", good), ("http://x.gov.cn/slow.html", slow),
                              ("http://x.gov.cn/2.html", good)):
                archive.put_response(_response(url, body), "site")
        with caplog.at_level(logging.WARNING, logger="scraper.reclean"):
            counts = reclean(archive, {}, rules=rules, time_limit_s=1)
        stored = {a.url for a in archive.articles()}
    assert counts["cleaned"] == 2 and counts["failed"] == 1
    assert stored == {"http://x.gov.cn/1.html", "http://x.gov.cn/2.html"}
    assert "http://x.gov.cn/slow.html" in caplog.text and "longer than 1 s" in caplog.text
