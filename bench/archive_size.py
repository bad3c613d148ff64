"""Bytes the archive stores per article, on real pages: the corpus's Chinese pages
cleaned and stored as a crawl stores them (the response, its zlib-compressed body, the
article version, its search and reprint rows), then the archive's growth divided by
the pages. The generated crawl site's pages are small and repetitive, so its archive
under-states what a real crawl keeps; these are the figures to size a crawl from."""

from __future__ import annotations

import csv
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from cleaners import Article, CleanerError, clean_html
from scraper import Archive

__all__ = ["PageResponse", "chinese_pages", "stored_bytes"]


@dataclass(frozen=True)
class PageResponse:
    """A saved page as the archive's ``Response``."""

    url: str
    body: bytes
    status: int = 200
    headers: dict[str, str] = field(default_factory=lambda: {"content-type": "text/html"})
    fetched_at: float = field(default_factory=time.time)

    @property
    def final_url(self) -> str:
        return self.url


def chinese_pages(corpus: Path) -> list[PageResponse]:
    """The manifest's Chinese pages (zh, zh-Hant), each under a URL of its own."""
    with (corpus / "manifest.csv").open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["lang"].startswith("zh")]
    return [PageResponse(r.get("url") or f"http://corpus.invalid/{r['file']}",
                         (corpus / r["file"]).read_bytes()) for r in rows]


def _size(archive: Archive) -> int:
    conn = archive.conn
    if conn.is_postgres:
        return int(conn.execute(
            "SELECT sum(pg_total_relation_size(oid)) FROM pg_class WHERE relkind = 'r' "
            "AND relnamespace = 'public'::regnamespace").fetchone()[0])
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    assert archive.path is not None
    return archive.path.stat().st_size


def stored_bytes(fresh: Callable[[str], str | Path], pages: list[PageResponse]
                 ) -> dict[str, float]:
    """Mean bytes per page: raw HTML, its compressed body, cleaned text (and the CPU ms
    clean_html took, one core), and the archive's
    growth per page kept raw (``response``) and per page cleaned (``article``, the
    response included); ``fresh(kind)`` gives a new empty archive for each."""
    sizes: dict[str, float] = {"pages": len(pages),
                               "html": sum(len(p.body) for p in pages) / len(pages)}
    start = time.process_time()
    cleaned = [(p, _clean(p)) for p in pages]
    sizes["clean_ms"] = 1000 * (time.process_time() - start) / len(pages)
    articles = [(p, a) for p, a in cleaned if a is not None and a.text]
    sizes["text"] = sum(len(a.text.encode()) for _, a in articles) / len(articles)
    sizes["articles"] = len(articles)
    for kind in ("response", "article"):
        with Archive(fresh(kind), command="bench") as archive:
            before = _size(archive)
            with archive.transaction():
                if kind == "response":
                    for page in pages:
                        archive.put_response(page, "corpus")
                else:
                    for page, article in articles:
                        archive.put_article(article, url=page.url, source_id="corpus",
                                            result=page)
            if kind == "response":
                sizes["body"] = float(archive.conn.execute(
                    "SELECT avg(length(data)) FROM bodies").fetchone()[0])
            sizes[kind] = (_size(archive) - before) / (len(pages) if kind == "response"
                                                       else len(articles))
    return sizes


def _clean(page: PageResponse) -> Article | None:
    try:
        return clean_html(page.body, page.url, headers=page.headers)
    except CleanerError:
        return None
