"""Copy an archive from one engine to another (``zhengwen migrate-db``): SQLite to
PostgreSQL when one crawl grows into many workers, and back, with the same code.

Ids are kept (articles, responses, runs, and the URLs' discovery order, SQLite's
implicit ``rowid``, which PostgreSQL keeps in a ``rowid`` column), so article ids
in exports, reports and links stay valid. The source is read in one snapshot,
streamed in batches (memory stays flat whatever the archive's size), and written
in one transaction: a failure leaves the target as empty as it was.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from .database import Database
from .errors import ArchiveError
from .store import Archive

__all__ = ["TABLES", "Transfer", "transfer"]

log = logging.getLogger("scraper.transfer")

#: The data tables, parents before children. Not ``migrations`` (the target's own
#: migrations made its schema) nor ``hosts`` (politeness state of the moment).
TABLES = ("bodies", "responses", "articles", "reprints", "reprint_bands", "urls",
          "source_runs", "runs", "templates", "source_health")
# Tables whose SQLite rowid is data: the URLs' discovery order.
_ROWID_TABLES = frozenset({"urls"})
# PostgreSQL's serial columns, set past the copied ids so new rows never collide.
_SERIALS = (("articles", "id"), ("responses", "id"), ("runs", "id"), ("urls", "rowid"))
BATCH = 2000
# Fewer rows at a time where rows are big: a body may be megabytes, an article's text
# tens of kilobytes.
_BIG_ROWS = {"bodies": 50, "articles": 500, "reprints": 500}


@dataclass(frozen=True)
class Transfer:
    """What was copied: ``rows[table]`` in the source and in the target, and how long."""

    rows: dict[str, tuple[int, int]]
    seconds: float


def _columns(db: Database, table: str) -> list[str]:
    if db.is_postgres:
        names = [r[0] for r in db.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = "
            "current_schema() AND table_name = ? ORDER BY ordinal_position", (table,))]
    else:
        names = [r[0] for r in db.execute("SELECT name FROM pragma_table_info(?)", (table,))]
        if table in _ROWID_TABLES:
            names.insert(0, "rowid")
    return names


def _count(db: Database, table: str) -> int:
    return int(db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def _refuse_data(target: Archive) -> None:
    held = {t: n for t in TABLES if (n := _count(target.conn, t))}
    if held:
        raise ArchiveError(f"{target.name}: the target already holds data ("
                           + ", ".join(f"{t}: {n} rows" for t, n in held.items())
                           + "); migrate-db copies into a new, empty archive")


def _copy_table(source: Database, target: Database, table: str) -> int:
    wanted = set(_columns(target, table))
    columns = [c for c in _columns(source, table) if c in wanted]
    names = ", ".join(columns)
    insert = f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' * len(columns))})"
    copied = 0
    size = min(BATCH, _BIG_ROWS.get(table, BATCH))
    for rows in source.stream(f"SELECT {names} FROM {table}", size):
        target.executemany(insert, rows)
        copied += len(rows)
    return copied


def _reset_serials(target: Database) -> None:
    for table, column in _SERIALS:
        target.execute(f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), "
                       f"coalesce((SELECT max({column}) FROM {table}), 0) + 1, false)")


def transfer(source: str, target: str) -> Transfer:
    """Copy the archive at ``source`` (a SQLite path or ``postgresql://`` URL) into the
    new, empty archive at ``target``; verify every table's row count."""
    started = time.monotonic()
    rows: dict[str, tuple[int, int]] = {}
    with Archive(source, readonly=True) as src, \
            Archive(target, command="migrate-db") as dst:
        _refuse_data(dst)
        with src.conn.snapshot(), dst.transaction():
            for table in TABLES:
                expected = _count(src.conn, table)
                copied = _copy_table(src.conn, dst.conn, table)
                rows[table] = (expected, _count(dst.conn, table))
                log.info("%s: %d rows copied", table, copied)
                if not expected == copied == rows[table][1]:
                    raise ArchiveError(
                        f"{dst.name}: {table} has {rows[table][1]} rows after copying "
                        f"{copied} of the source's {expected}; nothing was written")
            if dst.conn.is_postgres:
                _reset_serials(dst.conn)
        dst.frontier.release_all()  # leases and claims of the source's workers mean nothing here
    return Transfer(rows, time.monotonic() - started)
