"""Readers that hand the cleaning step what it needs: raw bytes and HTTP headers.

datatrove's own WarcReader decodes each payload itself and drops the HTTP headers,
so the charset a Chinese page declares in ``Content-Type`` is lost before cleaning.
These readers put the undecoded body and its headers in the Document's media (one
``Media`` of id :data:`RAW`), and the cleaning step decodes them the way
``clean_html`` does everywhere else.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from datatrove.data import Document, Media, MediaType
from datatrove.pipeline.readers.base import BaseDiskReader, BaseReader
from warcio.archiveiterator import ArchiveIterator

from cleaners.cli import HTML_SUFFIXES, TEXT_SUFFIXES

__all__ = ["RAW", "FolderReader", "HtmlJsonlReader", "RawWarcReader", "raw_document",
           "readers_for"]

#: The media id under which a reader stores the raw body.
RAW = "zhengwen:raw"
#: Records larger than this are skipped (and counted), as the crawler caps bodies.
MAX_RECORD_BYTES = 10 * 1024 * 1024
#: What ``zhengwen clean`` takes for a saved page or a text dump.
_PAGE_SUFFIXES = tuple(sorted(HTML_SUFFIXES | TEXT_SUFFIXES))
_HTML_TYPES = ("text/html", "application/xhtml+xml")


def raw_document(body: bytes, *, doc_id: str, kind: str = "html", url: str | None = None,
                 headers: dict[str, str] | None = None,
                 metadata: dict[str, object] | None = None) -> Document:
    """A Document whose text is still to be made: the body waits in its media."""
    media = Media(id=RAW, type=MediaType.DOCUMENT, url=url or "", media_bytes=body,
                  metadata={"kind": kind, "headers": headers or {}})
    return Document(text="", id=doc_id, media=[media], metadata=dict(metadata or {}))


class RawWarcReader(BaseDiskReader):
    """HTML response records of WARC files (``.warc``, ``.warc.gz``): Common Crawl's
    files and ``zhengwen export --format warc`` alike. Other records are skipped."""

    name = "🕷 WARC (raw)"

    def read_file(self, filepath: str) -> Iterator[Document]:
        with self.data_folder.open(filepath, "rb") as stream:
            for record in ArchiveIterator(stream):
                document = self._document(record, filepath)
                if document is not None:
                    yield document

    def _document(self, record, filepath: str) -> Document | None:
        if record.rec_type != "response" or record.http_headers is None:
            return None
        status = record.http_headers.get_statuscode()
        content_type = (record.http_headers.get_header("Content-Type") or "").lower()
        if not status.startswith("2") or (content_type and not content_type.startswith(
                _HTML_TYPES)):
            self.stat_update("skipped/not_html_200")
            return None
        body = record.content_stream().read(MAX_RECORD_BYTES + 1)
        if len(body) > MAX_RECORD_BYTES:
            self.stat_update("skipped/too_large")
            return None
        url = record.rec_headers.get_header("WARC-Target-URI")
        return raw_document(
            body, doc_id=record.rec_headers.get_header("WARC-Record-ID") or url, url=url,
            headers=dict(record.http_headers.headers),
            metadata={"file_path": filepath,
                      "warc_date": record.rec_headers.get_header("WARC-Date")})


class HtmlJsonlReader(BaseDiskReader):
    """JSON Lines (optionally ``.gz``) with the page's HTML in one field
    (``html_key``), its URL in ``url_key`` and optional ``headers``."""

    name = "🐿 JSONL (html)"

    def __init__(self, data_folder, *, html_key: str = "html", url_key: str = "url",
                 **kwargs) -> None:
        super().__init__(data_folder, **kwargs)
        self.html_key, self.url_key = html_key, url_key

    def read_file(self, filepath: str) -> Iterator[Document]:
        with self.data_folder.open(filepath, "rt", compression="infer", encoding="utf-8") as f:
            for line_number, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                    html = row[self.html_key]
                except (json.JSONDecodeError, KeyError, TypeError):
                    self.stat_update("skipped/bad_line")
                    continue
                if not isinstance(html, str):
                    self.stat_update("skipped/bad_line")
                    continue
                headers = row.get("headers") if isinstance(row.get("headers"), dict) else {}
                # The JSON text is already Unicode: say so, so no charset guess overrides it.
                headers = {**headers, "Content-Type": "text/html; charset=utf-8"}
                yield raw_document(
                    html.encode("utf-8"), doc_id=str(row.get("id") or f"{filepath}/{line_number}"),
                    url=row.get(self.url_key), headers=headers,
                    metadata={"file_path": filepath})


class FolderReader(BaseDiskReader):
    """Saved HTML pages and text dumps, one document per file (kind by suffix)."""

    name = "📁 pages and dumps"

    def read_file(self, filepath: str) -> Iterator[Document]:
        suffix = Path(filepath).suffix.lower()
        kind = "text" if suffix in TEXT_SUFFIXES else "html"
        with self.data_folder.open(filepath, "rb") as f:
            body = f.read(MAX_RECORD_BYTES + 1)
        if len(body) > MAX_RECORD_BYTES:
            self.stat_update("skipped/too_large")
            return
        yield raw_document(body, doc_id=filepath, kind=kind, metadata={"file_path": filepath})


def _kind_of(path: Path) -> str | None:
    name = path.name.lower()
    if name.endswith((".warc", ".warc.gz")):
        return "warc"
    if name.endswith((".jsonl", ".jsonl.gz", ".ndjson")):
        return "jsonl"
    if name.endswith(_PAGE_SUFFIXES):
        return "pages"
    return None


_READERS: dict[str, type[BaseDiskReader]] = {
    "warc": RawWarcReader, "jsonl": HtmlJsonlReader, "pages": FolderReader}


def readers_for(inputs: list[str | Path], lists_dir: str | Path) -> list[BaseReader]:
    """One reader per kind of file under each input (a file or a folder).

    The files each reader takes are listed, sorted, in ``lists_dir``: tasks split
    that list, so a run resumed later splits the same files the same way. Raises
    ``ValueError`` naming an input that does not exist or holds nothing readable.
    """
    lists = Path(lists_dir)
    lists.mkdir(parents=True, exist_ok=True)
    readers: list[BaseReader] = []
    for number, raw in enumerate(inputs):
        root = Path(raw)
        if root.is_file():
            files = [root]
            root = root.parent
        elif root.is_dir():
            files = sorted(p for p in root.rglob("*") if p.is_file())
        else:
            raise ValueError(f"{raw}: no such file or folder")
        by_kind: dict[str, list[str]] = {}
        for path in files:
            if (kind := _kind_of(path)) is not None:
                by_kind.setdefault(kind, []).append(path.relative_to(root).as_posix())
        if not by_kind:
            raise ValueError(f"{raw}: holds no WARC, JSONL, HTML or .txt file")
        for kind, names in sorted(by_kind.items()):
            listing = lists / f"{number:03d}-{kind}.txt"
            listing.write_text("".join(f"{name}\n" for name in names), encoding="utf-8")
            readers.append(_READERS[kind](str(root.resolve()), paths_file=str(listing)))
    return readers
