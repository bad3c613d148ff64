"""The WARC export of a crawled demo site: filters, warcinfo, request records, raw crawl."""

from __future__ import annotations

from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from scraper import Archive
from scraper.export import export_warc

from .conftest import SiteCrawler
from .test_crawl import JYT_ARTICLES, NEWS_ARTICLES


def _warc(db: Path, tmp_path: Path, **options: object) -> tuple[int, list[tuple[str, str]]]:
    path = tmp_path / "out.warc.gz"
    with Archive(db, lock=False) as archive, open(path, "wb") as out:
        count = export_warc(archive, out, **options)  # type: ignore[arg-type]
    with open(path, "rb") as fh:
        records = [(r.rec_type, r.rec_headers.get_header("WARC-Target-URI") or "")
                   for r in ArchiveIterator(fh)]
    return count, records


def test_warc_has_warcinfo_and_request_response_pairs(crawler: SiteCrawler,
                                                      tmp_path: Path) -> None:
    crawler.run(delay_s=0.02)
    count, records = _warc(crawler.db, tmp_path)
    assert records[0][0] == "warcinfo"
    kinds = [k for k, _ in records[1:]]
    assert count == JYT_ARTICLES + NEWS_ARTICLES
    assert kinds == ["request", "response"] * count
    assert all(records[i][1] == records[i + 1][1] for i in range(1, len(records), 2))


def test_warc_honours_source_since_and_all_versions(crawler: SiteCrawler,
                                                    tmp_path: Path) -> None:
    for _ in range(2):  # c_1005 changes between the two crawls: two versions
        crawler.run(delay_s=0.02)
    assert _warc(crawler.db, tmp_path, source_id="demo-news")[0] == NEWS_ARTICLES
    assert _warc(crawler.db, tmp_path, source_id="demo-news", all_versions=True)[0] == \
        NEWS_ARTICLES + 1
    count, records = _warc(crawler.db, tmp_path, since=4102444800.0)  # 2100-01-01
    assert count == 0 and [k for k, _ in records] == ["warcinfo"]


def test_raw_warc_adds_list_pages_sitemaps_feeds_and_robots(crawler: SiteCrawler,
                                                             tmp_path: Path) -> None:
    crawler.run(delay_s=0.02)
    plain, _ = _warc(crawler.db, tmp_path)
    count, records = _warc(crawler.db, tmp_path, raw=True)
    uris = {u for k, u in records if k == "response"}
    assert count > plain
    for path in ("/xxgk/tzgg/index.html", "/sitemap.xml", "/rss.xml", "/list.html",
                 "/robots.txt"):
        assert any(u.endswith(path) for u in uris), path
