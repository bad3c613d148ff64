"""One connection interface over the archive's two engines: a SQLite file, or a
PostgreSQL database named by a ``postgresql://`` URL.

The store, frontier, health and search modules write one SQL (SQLite's ``?``
placeholders, ``INSERT ... ON CONFLICT``, ``RETURNING``), which both engines accept;
:class:`Database` turns the placeholders into psycopg's. Where the engines differ
(full-text search, the leasing clause, schema scripts) the caller asks
:attr:`Database.dialect`.

SQLite keeps Python's default transaction handling: a write opens a transaction that
:meth:`Database.transaction` commits. PostgreSQL runs in autocommit and
:meth:`Database.transaction` opens a real transaction block, so a crawl worker never
sits idle in a transaction holding row locks.
"""

from __future__ import annotations

import functools
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

__all__ = ["Database", "connect_postgres", "connect_sqlite", "is_postgres_url", "redact"]

_SCHEMES = ("postgresql://", "postgres://")


def is_postgres_url(target: str | Path) -> bool:
    """Whether ``target`` names a PostgreSQL database rather than a SQLite file."""
    return isinstance(target, str) and target.startswith(_SCHEMES)


def redact(url: str) -> str:
    """The URL without its password, for messages and logs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=f"{parts.username}:***@{host}"))


@functools.lru_cache(maxsize=512)
def _pyformat(sql: str) -> str:
    """SQLite's ``?`` placeholders as psycopg's ``%s`` (a literal ``%`` doubled)."""
    return sql.replace("%", "%%").replace("?", "%s")


class Database:
    """A DB-API connection with the engine's name; ``execute`` returns a cursor
    (iterable, ``fetchone``, ``fetchall``, ``rowcount``, ``description``)."""

    def __init__(self, raw: Any, dialect: str, name: str) -> None:
        self.raw = raw
        self.dialect = dialect  # "sqlite" | "postgresql"
        self.name = name
        if dialect == "postgresql":
            import psycopg

            self.errors: tuple[type[BaseException], ...] = (psycopg.Error,)
            self.integrity_errors: tuple[type[BaseException], ...] = (psycopg.IntegrityError,)
        else:
            self.errors = (sqlite3.Error,)
            self.integrity_errors = (sqlite3.IntegrityError,)

    @property
    def is_postgres(self) -> bool:
        return self.dialect == "postgresql"

    def execute(self, sql: str, params: Sequence[object] = ()) -> Any:
        if self.is_postgres:
            return self.raw.execute(_pyformat(sql), tuple(params)) if params else \
                self.raw.execute(sql)
        return self.raw.execute(sql, params)

    def executemany(self, sql: str, rows: Iterable[Sequence[object]]) -> Any:
        if self.is_postgres:
            cur = self.raw.cursor()
            cur.executemany(_pyformat(sql), [tuple(r) for r in rows])
            return cur
        return self.raw.executemany(sql, rows)

    def script(self, sql: str) -> None:
        """Several statements at once (schema scripts)."""
        if self.is_postgres:
            self.raw.execute(sql)
        else:
            for statement in _statements(sql):
                self.raw.execute(statement)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Commit everything written inside at once, or nothing."""
        if self.is_postgres:
            with self.raw.transaction():
                yield
        else:
            with self.raw:
                yield

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Read inside one read-only transaction: every query sees the database as it
        was at the first, while other processes go on writing."""
        if self.is_postgres:
            with self.raw.transaction():
                self.raw.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                yield
        else:
            self.raw.execute("BEGIN")
            try:
                yield
            finally:
                self.raw.rollback()

    def stream(self, sql: str, size: int) -> Iterator[list[tuple]]:
        """The rows of a query in lists of ``size``, never all held at once: a
        server-side cursor on PostgreSQL (inside :meth:`snapshot` or
        :meth:`transaction`), SQLite's cursor, which steps through the rows as read."""
        cursor = self.raw.cursor(name="zhengwen_stream") if self.is_postgres else \
            self.raw.execute(sql)
        try:
            if self.is_postgres:
                cursor.execute(sql)
            while rows := cursor.fetchmany(size):
                yield rows
        finally:
            cursor.close()

    def now(self) -> float:
        """The database's clock in epoch seconds: one clock for every worker of a
        shared archive, whatever their machines' clocks say."""
        if self.is_postgres:
            return float(self.raw.execute(
                "SELECT extract(epoch FROM clock_timestamp())").fetchone()[0])
        return time.time()

    def commit(self) -> None:
        self.raw.commit()

    def rollback(self) -> None:
        self.raw.rollback()

    def close(self) -> None:
        self.raw.close()


def _statements(sql: str) -> list[str]:
    """A SQLite script's statements, split where SQLite says one is complete."""
    statements, current = [], ""
    for line in sql.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            statements.append(current)
            current = ""
    return statements


def connect_sqlite(path: Path, *, readonly: bool = False) -> Database:
    """Open a SQLite archive (WAL); ``readonly`` opens with ``mode=ro``, or
    ``immutable=1`` when the directory is read-only (WAL cannot make its
    shared-memory file there)."""
    if readonly:
        uri = path.resolve().as_uri()
        conn = sqlite3.connect(f"{uri}?mode=ro", uri=True)
        try:
            conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
        except sqlite3.OperationalError:
            conn.close()
            conn = sqlite3.connect(f"{uri}?immutable=1", uri=True)
        return Database(conn, "sqlite", str(path))
    conn = sqlite3.connect(path, timeout=30)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA foreign_keys=ON")
    return Database(conn, "sqlite", str(path))


def connect_postgres(url: str, *, readonly: bool = False) -> Database:
    """Open a PostgreSQL archive (psycopg 3, autocommit, client-side binding)."""
    try:
        import psycopg
    except ImportError as exc:  # the extra is not installed
        raise ImportError("a postgresql:// archive needs psycopg: "
                          "pip install 'zhengwen[postgres]'") from exc
    conn = psycopg.connect(url, autocommit=True, cursor_factory=psycopg.ClientCursor,
                           application_name="zhengwen")
    if readonly:
        conn.execute("SET default_transaction_read_only = on")
    return Database(conn, "postgresql", redact(url))
