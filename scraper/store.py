"""The archive: the frontier, raw bodies, responses and versioned articles, in one
SQLite file (WAL) or one PostgreSQL database (``postgresql://`` URL), with the same
tables, migrations and methods on both.

A SQLite writer (crawl, reclean) holds an exclusive lock file beside the database
(``<db>.lock``, flock), which the kernel releases when the process dies, even by
SIGKILL. A PostgreSQL archive takes many writers: crawl workers share its frontier
through leases (see :mod:`scraper.frontier`). Readers (export) need no lock, and
``readonly=True`` opens an archive without writing (a read-only mount, a read-only
role). Timestamps are epoch seconds in the tables; the ``*_iso`` views give them as
ISO 8601 UTC text.
"""

from __future__ import annotations

import dataclasses
import fcntl
import hashlib
import json
import os
import time
import zlib
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Protocol

from cleaners import Article, Removal, SiteTemplate

from .database import Database, connect_postgres, connect_sqlite, is_postgres_url, redact
from .errors import ArchiveError, ArchiveLockedError
from .frontier import Frontier
from .migrations import migrate, migrations, pending
from .reprints import link_article, link_missing

__all__ = ["Archive", "Response", "StoredArticle", "StoredResponse", "source_filters", "text_hash",
           "url_in", "url_list"]

DEFAULT_DB = "data/zhengwen.sqlite"

# Every Article field has a column of its name, except url (the final_url column) and
# encoding (a column of the version); lists are stored as JSON.
_ARTICLE_FIELDS = tuple(f.name for f in dataclasses.fields(Article)
                        if f.name not in ("url", "encoding"))
_JSON_FIELDS = frozenset({"keywords", "removed", "provenance", "attachments"})
# The columns _stored() and _response() read, in their order.
_ARTICLE_SELECT = ("SELECT a.id, a.url, a.version, a.source_id, a.final_url, a.fetched_at, "
                   "a.http_status, a.encoding, "
                   + ", ".join(f"a.{f}" for f in _ARTICLE_FIELDS) + " FROM articles a")
_RESPONSE_SELECT = ("SELECT r.url, r.final_url, r.status, r.headers, b.data, r.fetched_at, "
                    "r.id, r.source_id FROM responses r JOIN bodies b ON b.sha256 = r.body_sha256")


def text_hash(article: Article) -> str:
    """What decides "changed": the title and the cleaned text."""
    return hashlib.sha256(f"{article.title or ''}\n{article.text}".encode()).hexdigest()


class Response(Protocol):
    """What the archive keeps of a response (the fetcher's result is one)."""

    @property
    def url(self) -> str: ...
    @property
    def final_url(self) -> str: ...
    @property
    def status(self) -> int: ...
    @property
    def headers(self) -> Mapping[str, str]: ...
    @property
    def body(self) -> bytes: ...
    @property
    def fetched_at(self) -> float: ...


@dataclass(frozen=True)
class StoredArticle:
    """One article version as the archive holds it."""

    id: int
    url: str
    version: int
    source_id: str
    final_url: str | None
    fetched_at: float
    http_status: int | None
    encoding: str | None
    article: Article


@dataclass(frozen=True)
class StoredResponse:
    """A raw response read back from the archive."""

    url: str
    final_url: str
    status: int
    headers: dict[str, str]
    body: bytes
    fetched_at: float
    id: int
    source_id: str


class Archive:
    """Open (creating and migrating) an archive: a SQLite path or a ``postgresql://`` URL.

    ``lock=True`` for SQLite writers; ``command`` names the writer in the lock file,
    so a second writer is told who holds it. ``readonly=True`` opens without writing
    anything, for reading an archive on a read-only mount or with a read-only role.
    """

    def __init__(self, path: str | Path = DEFAULT_DB, *, lock: bool = True,
                 command: str = "crawl", readonly: bool = False) -> None:
        self.postgres = is_postgres_url(path)
        #: The SQLite file, ``None`` for PostgreSQL.
        self.path: Path | None = None if self.postgres else Path(path)
        #: What messages call the archive: the path, or the URL without its password.
        self.name = redact(str(path)) if self.postgres else str(path)
        self._lock_file: IO[str] | None = None
        self.conn: Database = None  # type: ignore[assignment]
        try:
            if self.postgres:
                self.conn = _connect_postgres(str(path), self.name, readonly=readonly)
            elif readonly:
                self.conn = _connect_readonly(Path(path))
            else:
                Path(path).parent.mkdir(parents=True, exist_ok=True)
                if lock:
                    self._lock(command)
                self.conn = connect_sqlite(Path(path))
            if readonly:
                _refuse_pending(self.conn, self.name)
            elif any(name.endswith("-reprints") for name in migrate(self.conn)):
                link_missing(self.conn)  # versions stored before reprints were tracked
        except Exception as exc:
            self.close()
            if isinstance(exc, OSError):
                raise ArchiveError(f"{self.name}: cannot open ({exc.strerror or exc})") from exc
            if _is_db_error(exc):
                raise ArchiveError(f"{self.name}: not a usable archive ({exc})") from exc
            raise
        self.frontier = Frontier(self.conn)
        if lock and not readonly and not self.postgres:
            self.frontier.release_all()  # the lock makes this the only writer

    def _lock(self, command: str) -> None:
        assert self.path is not None
        lock_path = self.path.with_name(self.path.name + ".lock")
        handle = open(lock_path, "a+", encoding="utf-8")  # noqa: SIM115 (held until close)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            pid, _, holder = handle.read().strip().partition(" ")
            handle.close()
            raise ArchiveLockedError(
                f"{self.name} is in use by zhengwen {holder or 'crawl'} (pid {pid or 'unknown'}); "
                "wait for it to finish or use another --db") from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()} {command}")
        handle.flush()
        self._lock_file = handle

    def close(self) -> None:
        conn = getattr(self, "conn", None)
        if conn is not None:
            conn.close()
            self.conn = None  # type: ignore[assignment]
        if self._lock_file is not None:
            self._lock_file.close()
            self._lock_file = None

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Commit everything written inside at once, or nothing."""
        try:
            with self.conn.transaction():
                yield
        except self.conn.errors as exc:
            raise ArchiveError(f"{self.name}: write failed ({exc})") from exc

    # -- writing -------------------------------------------------------------------

    def put_response(self, result: Response, source_id: str, *, kind: str = "article") -> int:
        """Keep a raw response (bodies are stored once per content hash); ``kind`` is
        what it was fetched as: article, list, sitemap, feed or robots."""
        digest = hashlib.sha256(result.body).hexdigest()
        self.conn.execute("INSERT INTO bodies (sha256, size, data) VALUES (?, ?, ?) "
                          "ON CONFLICT DO NOTHING",
                          (digest, len(result.body), zlib.compress(result.body, 6)))
        return int(self.conn.execute(
            "INSERT INTO responses (url, final_url, source_id, fetched_at, status, headers, "
            "body_sha256, kind) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (result.url, result.final_url, source_id, result.fetched_at, result.status,
             json.dumps(dict(result.headers), ensure_ascii=False), digest, kind)).fetchone()[0])

    def put_discovery_response(self, result: Response, source_id: str, kind: str) -> bool:
        """Keep a list page, sitemap, feed or robots.txt response unless the newest one
        kept for its URL has the same body (a routine pass then adds nothing)."""
        digest = hashlib.sha256(result.body).hexdigest()
        row = self.conn.execute("SELECT body_sha256 FROM responses WHERE url = ? "
                                "ORDER BY id DESC LIMIT 1", (result.url,)).fetchone()
        if row is not None and row[0] == digest:
            return False
        self.put_response(result, source_id, kind=kind)
        return True

    def latest(self, url: str) -> tuple[int, str] | None:
        """``(version, text_hash)`` of the newest stored version of ``url``."""
        row = self.conn.execute("SELECT version, text_hash FROM articles WHERE url = ? "
                                "ORDER BY version DESC LIMIT 1", (url,)).fetchone()
        return (row[0], row[1]) if row else None

    def put_article(self, article: Article, *, url: str, source_id: str,
                    result: Response, response_id: int | None = None) -> str:
        """Store ``article`` unless its text equals the newest version's.

        ``result`` is the response it was cleaned from: stored here (only when the
        article is new or changed) unless ``response_id`` says it is stored already.
        Returns ``"new"`` (first version), ``"changed"`` (a further version) or ``"unchanged"``.
        On PostgreSQL the URL is locked for the transaction first, so two workers storing
        the same URL never make the same version twice.
        """
        if self.conn.is_postgres:
            self.conn.execute("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))", (url,))
        digest = text_hash(article)
        latest = self.latest(url)
        if latest and latest[1] == digest:
            return "unchanged"
        if response_id is None:
            response_id = self.put_response(result, source_id)
        version = latest[0] + 1 if latest else 1
        article_id = self.conn.execute(
            f"INSERT INTO articles (url, version, source_id, final_url, fetched_at, http_status, "
            f"encoding, text_hash, {', '.join(_ARTICLE_FIELDS)}, response_id, cleaned_at) "
            f"VALUES ({', '.join('?' * (10 + len(_ARTICLE_FIELDS)))}) RETURNING id",
            (url, version, source_id, result.final_url, result.fetched_at, result.status,
             article.encoding, digest, *_article_values(article), response_id,
             time.time())).fetchone()[0]
        link_article(self.conn, int(article_id), article.text)
        return "changed" if latest else "new"

    def replace_article(self, article_id: int, article: Article) -> None:
        """Overwrite the cleaned fields of one stored version (``zhengwen reclean``)."""
        sets = ", ".join(f"{f} = ?" for f in _ARTICLE_FIELDS)
        self.conn.execute(
            f"UPDATE articles SET {sets}, encoding = ?, text_hash = ?, cleaned_at = ? WHERE id = ?",
            (*_article_values(article), article.encoding, text_hash(article), time.time(),
             article_id))
        link_article(self.conn, article_id, article.text)

    # The database's clock, like the frontier's claims they are compared with.
    def source_started(self, source_id: str) -> None:
        self.conn.execute("INSERT INTO source_runs (source_id, last_started) VALUES (?, ?) "
                          "ON CONFLICT (source_id) DO UPDATE SET last_started = excluded.last_started",
                          (source_id, self.conn.now()))

    def source_finished(self, source_id: str) -> None:
        self.conn.execute("UPDATE source_runs SET last_finished = ? WHERE source_id = ?",
                          (self.conn.now(), source_id))

    def last_finished(self, source_id: str) -> float | None:
        row = self.conn.execute("SELECT last_finished FROM source_runs WHERE source_id = ?",
                                (source_id,)).fetchone()
        return row[0] if row else None

    def run_started(self, command: str, started: float | None = None) -> int:
        """Record a run as ``running``; a run killed before :meth:`run_finished` stays so."""
        return int(self.conn.execute(
            "INSERT INTO runs (started, command, status) VALUES (?, ?, ?) RETURNING id",
            (time.time() if started is None else started, command, "running")).fetchone()[0])

    def run_finished(self, run_id: int, *, status: str, exit_code: int, summary: str,
                     stats: Mapping[str, object]) -> None:
        """What the run did: ``finished`` or ``stopped``, its exit code, one line per source."""
        self.conn.execute(
            "UPDATE runs SET finished = ?, status = ?, exit_code = ?, summary = ?, stats = ? "
            "WHERE id = ?", (time.time(), status, exit_code, summary,
                             json.dumps(stats, ensure_ascii=False), run_id))

    def runs(self, limit: int = 20) -> list[dict[str, Any]]:
        """The newest runs first, timestamps in ISO 8601 UTC."""
        cur = self.conn.execute("SELECT id, command, status, exit_code, started, finished, summary "
                                "FROM runs_iso ORDER BY id DESC LIMIT ?", (limit,))
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur]

    # -- reading -------------------------------------------------------------------

    def articles(self, *, source_id: str | None = None, since: float | None = None,
                 all_versions: bool = False) -> Iterator[StoredArticle]:
        """Stored articles, oldest first; by default only each URL's newest version."""
        where, args = source_filters("a", source_id, since)
        if not all_versions:
            where.append("a.version = (SELECT max(version) FROM articles b WHERE b.url = a.url)")
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        rows = self.conn.execute(f"{_ARTICLE_SELECT} {clause} ORDER BY a.fetched_at, a.id", args)
        for row in rows:
            yield _stored(row)

    def article_ids(self, *, source_id: str | None = None) -> list[int]:
        """Ids of every stored article version, oldest first."""
        clause, args = ("WHERE source_id = ?", (source_id,)) if source_id else ("", ())
        return [r[0] for r in self.conn.execute(f"SELECT id FROM articles {clause} ORDER BY id",
                                                args)]

    def uncleaned_responses(self, *, source_id: str | None = None) -> list[int]:
        """Ids of each URL's newest response that no article was cleaned from
        (crawled with ``clean_pages = false``)."""
        clause, args = ("AND r.source_id = ?", (source_id,)) if source_id else ("", ())
        return [row[0] for row in self.conn.execute(
            "SELECT r.id FROM responses r WHERE r.kind = 'article' AND r.id = (SELECT max(id) "
            "FROM responses WHERE url = r.url) AND NOT EXISTS (SELECT 1 FROM articles a WHERE a.url = r.url "
            f"AND a.response_id >= r.id) {clause} ORDER BY r.id", args)]

    def discovery_responses(self, *, source_id: str | None = None,
                            since: float | None = None) -> Iterator[StoredResponse]:
        """Responses fetched to find articles (list pages, sitemaps, feeds, robots.txt),
        oldest first; robots.txt belongs to no source and is left out by ``source_id``."""
        where, args = source_filters("r", source_id, since)
        where.append("r.kind != 'article'")
        rows = self.conn.execute(f"{_RESPONSE_SELECT} WHERE {' AND '.join(where)} "
                                 "ORDER BY r.fetched_at, r.id", args)
        for row in rows:
            yield _response(row)

    def response(self, response_id: int) -> StoredResponse:
        """A stored raw response by id."""
        row = self.conn.execute(f"{_RESPONSE_SELECT} WHERE r.id = ?", (response_id,)).fetchone()
        if row is None:
            raise ArchiveError(f"{self.name}: no stored response {response_id}")
        return _response(row)

    def response_of(self, article_id: int) -> StoredResponse:
        """The raw response an article version was cleaned from."""
        row = self.conn.execute(
            f"{_RESPONSE_SELECT} WHERE r.id = (SELECT response_id FROM articles WHERE id = ?)",
            (article_id,)).fetchone()
        if row is None:
            raise ArchiveError(f"{self.name}: article {article_id} has no stored response")
        return _response(row)

    def article(self, article_id: int) -> Article | None:
        """The cleaned fields of one stored version."""
        row = self.conn.execute(f"{_ARTICLE_SELECT} WHERE a.id = ?", (article_id,)).fetchone()
        return _stored(row).article if row else None

    def versions_of(self, urls: Iterable[str]) -> list[StoredArticle]:
        """Every stored version of ``urls``, oldest first."""
        rows = self.conn.execute(f"{_ARTICLE_SELECT} WHERE {url_in(self.conn, 'a.url')} "
                                 "ORDER BY a.fetched_at, a.id", (url_list(self.conn, urls),))
        return [_stored(row) for row in rows]

    def source_ids(self) -> list[str]:
        """The sources the archive holds URLs of, sorted."""
        return [r[0] for r in self.conn.execute("SELECT DISTINCT source_id FROM urls ORDER BY 1")]

    # -- site templates --------------------------------------------------------------

    def put_template(self, template: SiteTemplate) -> None:
        """Keep (replace) the learned template of one host."""
        with self.transaction():
            self.conn.execute(
                "INSERT INTO templates (host, pages, data, updated_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (host) DO UPDATE SET pages = excluded.pages, data = excluded.data, "
                "updated_at = excluded.updated_at",
                (template.site, template.pages,
                 json.dumps(template.to_dict(), ensure_ascii=False), time.time()))

    def template(self, host: str) -> SiteTemplate | None:
        """The stored template of ``host``, or ``None`` when none was learned."""
        row = self.conn.execute("SELECT data FROM templates WHERE host = ?", (host,)).fetchone()
        return SiteTemplate.from_dict(json.loads(row[0])) if row else None

    def template_hosts(self) -> list[tuple[str, int]]:
        """Hosts with a stored template and the pages it was learned from."""
        return list(self.conn.execute("SELECT host, pages FROM templates ORDER BY host"))

    def count_articles(self, source_id: str | None = None) -> int:
        clause, args = ("WHERE source_id = ?", (source_id,)) if source_id else ("", ())
        return int(self.conn.execute(f"SELECT count(*) FROM articles {clause}", args).fetchone()[0])


def _connect_readonly(path: Path) -> Database:
    if not path.is_file():
        raise ArchiveError(f"{path}: no archive here")
    return connect_sqlite(path, readonly=True)


def _connect_postgres(url: str, name: str, *, readonly: bool) -> Database:
    """Connect, naming the server (never the password) when it cannot be reached or
    the driver is not installed."""
    try:
        return connect_postgres(url, readonly=readonly)
    except ImportError as exc:
        raise ArchiveError(f"{name}: {exc}") from exc
    except Exception as exc:
        if type(exc).__name__ == "OperationalError" and _is_db_error(exc):
            reason = " ".join(str(exc).replace(url, name).split())
            raise ArchiveError(f"{name}: cannot connect ({reason})") from exc
        raise


def _refuse_pending(db: Database, name: str) -> None:
    """A reader never migrates: an archive that needs it is refused, saying how."""
    todo = pending(db)
    if todo and len(todo) == len(migrations(db.dialect)):
        raise ArchiveError(f"{name}: not a zhengwen archive (no tables of one)")
    if todo:
        raise ArchiveError(f"{name}: the archive needs an upgrade ({', '.join(todo)}); open it "
                           "once with a writing command (crawl, reclean) where it is writable")


def _is_db_error(exc: Exception) -> bool:
    """A driver's error (sqlite3's or psycopg's), as opposed to a bug of ours."""
    return type(exc).__module__.split(".")[0] in ("sqlite3", "psycopg")


def url_in(db: Database, column: str) -> str:
    """``column IN`` the list given as one argument by :func:`url_list`."""
    return f"{column} = ANY(?)" if db.is_postgres else \
        f"{column} IN (SELECT value FROM json_each(?))"


def url_list(db: Database, values: Iterable[str]) -> object:
    return list(values) if db.is_postgres else json.dumps(list(values))


def source_filters(alias: str, source_id: str | None, since: float | None
                   ) -> tuple[list[str], list[object]]:
    """WHERE terms and their arguments for the usual filters of a table aliased
    ``alias``: one source, fetched at or after ``since`` (epoch seconds)."""
    where: list[str] = []
    args: list[object] = []
    if source_id:
        where.append(f"{alias}.source_id = ?")
        args.append(source_id)
    if since is not None:
        where.append(f"{alias}.fetched_at >= ?")
        args.append(since)
    return where, args


def _article_values(article: Article) -> tuple[object, ...]:
    return tuple(json.dumps(getattr(article, f), ensure_ascii=False)  # Removal -> [rule, text]
                 if f in _JSON_FIELDS else getattr(article, f) for f in _ARTICLE_FIELDS)


def _response(row: tuple) -> StoredResponse:
    url, final, status, headers, data, at, rid, sid = row
    return StoredResponse(url, final, status, json.loads(headers), zlib.decompress(data), at,
                          rid, sid)


def _stored(row: tuple) -> StoredArticle:
    aid, url, version, sid, final_url, fetched_at, status, encoding = row[:8]
    values = dict(zip(_ARTICLE_FIELDS, row[8:], strict=True))
    for name in _JSON_FIELDS:
        values[name] = json.loads(values[name])
    values["removed"] = [Removal(*r) for r in values["removed"]]
    values["attachments"] = [tuple(a) for a in values["attachments"]]
    article = Article(url=final_url or url, encoding=encoding, **values)
    return StoredArticle(aid, url, version, sid, final_url, fetched_at, status, encoding, article)
