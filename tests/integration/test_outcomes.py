"""What a crawl records for pages that are no articles, and for a challenge met midway."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx

from cleaners.isolation import IsolatedCleaner
from scraper import Archive, Settings, Source, crawl

BASE = "http://site.example.cn"
ARTICLE = ("<html><head><title>示例通知</title></head><body><div class='TRS_Editor'>"
           "<p>示例市教育局发布冬季学校安全工作通知，要求各校做好防火检查。</p></div></body></html>")
CHALLENGE = "<html><script>var $_ts=window['$_ts'];</script></html>"


def _app(pages: dict[str, tuple[int, bytes]]) -> httpx.MockTransport:
    def handle(request: httpx.Request) -> httpx.Response:
        status, body = pages.get(request.url.path, (404, b""))
        return httpx.Response(status, content=body, headers={"content-type": "text/html"})

    return httpx.MockTransport(handle)


def _list(*names: str) -> tuple[int, bytes]:
    links = "".join(f'<a href="/a/202410/{n}.html">{n}</a>' for n in names)
    return 200, f"<html><body>{links}</body></html>".encode()


def _crawl(db: Path, pages: dict[str, tuple[int, bytes]], cleaner: IsolatedCleaner):
    source = Source(id="s", name="s", start_urls=(f"{BASE}/list.html",), max_list_pages=1,
                    article_pattern=r"/a/\d{6}/\w+\.html$")
    settings = Settings(delay_s=0, concurrency=1, revisit_after_s=0, max_attempts=1)
    with Archive(db) as archive:
        stats = asyncio.run(crawl([source], archive, settings, force=True, cleaner=cleaner,
                                  transport=_app(pages)))
        rows = archive.conn.execute("SELECT url, status, outcome, note, last_error FROM urls "
                                    "WHERE kind = 'article'").fetchall()
        count = archive.count_articles()
    return stats, {url.rsplit("/", 1)[1]: tuple(row) for url, *row in rows}, count


def test_empty_and_binary_pages_are_recorded_not_stored(tmp_path: Path,
                                                        cleaner: IsolatedCleaner) -> None:
    pages = {"/list.html": _list("good", "blank", "png", "shell"),
             "/a/202410/good.html": (200, ARTICLE.encode()),
             "/a/202410/blank.html": (200, b"  \n"),
             "/a/202410/png.html": (200, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
             "/a/202410/shell.html": (200, b"<html><body><div></div></body></html>")}
    stats, urls, count = _crawl(tmp_path / "a.sqlite", pages, cleaner)
    assert count == 1 and urls["good.html"][:2] == ("done", "new")
    assert urls["blank.html"][:3] == ("done", "empty", "empty body")
    assert urls["png.html"][:3] == ("done", "binary", "binary content served as a page")
    assert urls["shell.html"][:3] == ("done", "empty", "no title and no text after cleaning")
    assert (stats.get("store/article/empty"), stats.get("store/article/binary")) == (2, 1)
    assert stats.verdict("s") == ("ok", "")


def test_a_challenge_pauses_new_urls_and_spares_known_good_ones(tmp_path: Path,
                                                                cleaner: IsolatedCleaner) -> None:
    db = tmp_path / "a.sqlite"
    pages = {"/list.html": _list("one", "two"), "/a/202410/one.html": (200, ARTICLE.encode()),
             "/a/202410/two.html": (200, ARTICLE.replace("防火", "用电").encode())}
    _crawl(db, pages, cleaner)
    pages["/list.html"] = _list("one", "two", "three", "four")
    pages["/a/202410/three.html"] = (412, CHALLENGE.encode())
    pages["/a/202410/four.html"] = (200, ARTICLE.encode())
    stats, urls, _ = _crawl(db, pages, cleaner)
    assert urls["three.html"][1] is None and urls["three.html"][0] == "skipped"
    assert urls["three.html"][3].startswith("ChallengeError")
    assert urls["four.html"][:2] == ("new", None)  # new: paused until a later run
    assert stats.get("fetch/skipped/blocked") == 1
    assert stats.get("store/article/unchanged") == 2  # the known-good pages were fetched
    assert stats.verdict("s") == ("failed", "blocked by an anti-bot challenge")
