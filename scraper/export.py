"""Archive -> files: JSONL in the ``{text, id, metadata}`` shape corpus tools
(datatrove and the like) read, CSV, Markdown, and the raw responses as WARC."""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import BinaryIO, TextIO

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from cleaners import Article
from cleaners.formats import to_markdown

from .store import Archive, StoredArticle

__all__ = ["FORMATS", "export_articles", "export_warc", "record_of"]

FORMATS = ("jsonl", "csv", "md", "warc")
# The Article's own fields, in its order, beside the archive's (url, version, fetch time).
_ARTICLE_META = tuple(f.name for f in dataclasses.fields(Article)
                      if f.name not in ("url", "text", "encoding", "removed"))
_CSV_COLUMNS = ("id", "url", "version", "source_id", *_ARTICLE_META, "fetched_at", "text")
# Hop-by-hop and encoding headers do not describe the stored (decoded) body.
_DROP_HEADERS = {"content-encoding", "content-length", "transfer-encoding", "connection"}


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
            writer.writerow({k: (record[k] if k in ("id", "text") else meta.get(k))
                             for k in _CSV_COLUMNS})
        elif fmt == "md":
            out.write(("\n---\n\n" if count else "") + to_markdown(stored.article))
        else:
            raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
        count += 1
    return count


def export_warc(archive: Archive, out: BinaryIO, *, source_id: str | None = None) -> int:
    """The raw responses behind the stored articles as gzip WARC response records."""
    writer = WARCWriter(out, gzip=True)
    count = 0
    for article_id in archive.article_ids(source_id=source_id):
        response = archive.response_of(article_id)
        headers = [(k, v) for k, v in response.headers.items() if k not in _DROP_HEADERS]
        headers.append(("content-length", str(len(response.body))))
        http_headers = StatusAndHeaders(f"{response.status} OK", headers, protocol="HTTP/1.1")
        record = writer.create_warc_record(
            response.final_url, "response", payload=io.BytesIO(response.body),
            length=len(response.body), http_headers=http_headers,
            warc_headers_dict={"WARC-Date": _iso(response.fetched_at).replace("+00:00", "Z")})
        writer.write_record(record)
        count += 1
    return count
