"""Archive -> files: JSONL in the ``{text, id, metadata}`` shape corpus tools
(datatrove and the like) read, CSV, Markdown, and the raw responses as WARC.

Remote text is untrusted: CSV cells that a spreadsheet would run as a formula are
neutralised, and a WARC header line is only ever built from a validated URL.
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import itertools
import json
import logging
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from http import HTTPStatus
from importlib.metadata import PackageNotFoundError, version
from typing import BinaryIO, TextIO
from urllib.parse import urlsplit

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from cleaners import Article
from cleaners.formats import to_markdown

from .errors import ExportError
from .store import Archive, StoredArticle, StoredResponse

__all__ = ["FORMATS", "csv_cell", "export_articles", "export_warc", "record_of", "warc_uri"]

log = logging.getLogger("scraper.export")

FORMATS = ("jsonl", "csv", "md", "warc")
# The Article's own fields, in its order, beside the archive's (url, version, fetch time).
_ARTICLE_META = tuple(f.name for f in dataclasses.fields(Article)
                      if f.name not in ("url", "text", "encoding", "removed"))
_CSV_COLUMNS = ("id", "url", "version", "source_id", *_ARTICLE_META, "fetched_at", "text")
# Hop-by-hop and encoding headers do not describe the stored (decoded) body.
_DROP_HEADERS = {"content-encoding", "content-length", "transfer-encoding", "connection"}
# A cell starting with one of these is a formula to Excel, LibreOffice and Sheets.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> object:
    """``value`` safe for a spreadsheet: text that would start a formula gets a leading
    apostrophe (OWASP's advice), which the spreadsheet shows as text."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def warc_uri(url: str) -> str:
    """``url`` if it may stand in a WARC header; ExportError naming it otherwise."""
    bad = next((c for c in url if c.isspace() or ord(c) < 32 or ord(c) == 127), None)
    if bad is not None:
        raise ExportError(f"{url!r}: not written to the WARC: the URL holds {bad!r}, which "
                          "would break or forge a header line")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ExportError(f"{url!r}: not written to the WARC: not an http(s) URL")
    return url


def _iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).isoformat(timespec="seconds")


def record_of(stored: StoredArticle) -> dict[str, object]:
    """One article as a ``{text, id, metadata}`` record."""
    digest = hashlib.sha1(stored.url.encode()).hexdigest()[:16]
    return {"text": stored.article.text, "id": f"{digest}-v{stored.version}",
            "metadata": _metadata(stored)}


def _metadata(stored: StoredArticle) -> dict[str, object]:
    return {
        "url": stored.url, "final_url": stored.final_url, "version": stored.version,
        "source_id": stored.source_id,
        **{name: getattr(stored.article, name) for name in _ARTICLE_META},
        "encoding": stored.encoding, "http_status": stored.http_status,
        "fetched_at": _iso(stored.fetched_at)}


def export_articles(articles: Iterator[StoredArticle], out: TextIO, fmt: str) -> int:
    """Write articles to ``out`` as jsonl, csv or md; return how many."""
    count = 0
    writer = None
    if fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=_CSV_COLUMNS)
        writer.writeheader()
    for stored in articles:
        record = record_of(stored)
        if fmt == "jsonl":
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
        elif writer is not None:
            meta = _metadata(stored)
            meta["keywords"] = ";".join(stored.article.keywords)
            meta["provenance"] = json.dumps(stored.article.provenance, ensure_ascii=False)
            writer.writerow({k: csv_cell(record[k] if k in ("id", "text") else meta.get(k))
                             for k in _CSV_COLUMNS})
        elif fmt == "md":
            out.write(("\n---\n\n" if count else "") + to_markdown(stored.article))
        else:
            raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
        count += 1
    return count


def _software() -> str:
    try:
        return f"zhengwen/{version('zhengwen')}"
    except PackageNotFoundError:
        return "zhengwen"


def _warc_date(ts: float) -> str:
    return _iso(ts).replace("+00:00", "Z")


def _write_exchange(writer: WARCWriter, response: StoredResponse) -> None:
    """A request record and its response record, linked by WARC-Concurrent-To."""
    uri = warc_uri(response.final_url)
    date = _warc_date(response.fetched_at)
    headers = [(k, v) for k, v in response.headers.items() if k not in _DROP_HEADERS]
    headers.append(("content-length", str(len(response.body))))
    try:
        phrase = HTTPStatus(response.status).phrase
    except ValueError:
        phrase = "Unknown"
    record = writer.create_warc_record(
        uri, "response", payload=io.BytesIO(response.body), length=len(response.body),
        http_headers=StatusAndHeaders(f"{response.status} {phrase}", headers,
                                      protocol="HTTP/1.1"),
        warc_headers_dict={"WARC-Date": date})
    parts = urlsplit(uri)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    request = writer.create_warc_record(
        uri, "request", payload=io.BytesIO(b""), length=0,
        http_headers=StatusAndHeaders(f"GET {target} HTTP/1.1",
                                      [("Host", parts.netloc), ("User-Agent", _software())],
                                      is_http_request=True),
        warc_headers_dict={"WARC-Date": date,
                           "WARC-Concurrent-To": record.rec_headers.get_header("WARC-Record-ID")})
    writer.write_record(request)
    writer.write_record(record)


def export_warc(archive: Archive, out: BinaryIO, *, source_id: str | None = None,
                since: float | None = None, all_versions: bool = False,
                raw: bool = False) -> int:
    """The responses behind the exported articles as a gzip WARC: a warcinfo record,
    then a request and a response record per page; ``raw`` adds the list pages,
    sitemaps, feeds and robots.txt the crawl fetched. Returns the responses written;
    a response whose URL cannot stand in a header is left out with a warning."""
    writer = WARCWriter(out, gzip=True)
    writer.write_record(writer.create_warcinfo_record(
        getattr(out, "name", "zhengwen.warc.gz"),
        {"software": _software(), "format": "WARC File Format 1.1",
         "description": "pages archived by zhengwen" + (" with the crawl's list pages, "
                                                         "sitemaps, feeds and robots.txt"
                                                         if raw else "")}))
    articles = archive.articles(source_id=source_id, since=since, all_versions=all_versions)
    responses = _article_responses(archive, articles)
    if raw:
        responses = itertools.chain(
            responses, archive.discovery_responses(source_id=source_id, since=since))
    count = 0
    for response in responses:
        try:
            _write_exchange(writer, response)
        except ExportError as exc:
            log.warning("%s", exc)
            continue
        count += 1
    return count


def _article_responses(archive: Archive, articles: Iterable[StoredArticle]
                       ) -> Iterator[StoredResponse]:
    seen: set[int] = set()
    for stored in articles:
        response = archive.response_of(stored.id)
        if response.id not in seen:
            seen.add(response.id)
            yield response
