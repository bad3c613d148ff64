"""Schema migrations: named, ordered, each applied once inside its own transaction.

The scripts are data: ``schema/<engine>/<name>.sql``, one file per migration and
engine, the same names for SQLite and PostgreSQL (a test holds them in step). A new
migration is a new file in both folders; an applied one is never edited (the name
is its key in the ``migrations`` table).
"""

from __future__ import annotations

import time
from functools import cache
from pathlib import Path

from .database import Database

__all__ = ["migrate", "migrations", "pending"]

_SCHEMA = Path(__file__).with_name("schema")
# Serialises migrating processes on PostgreSQL (pg_advisory_xact_lock's key).
_LOCK_KEY = 0x7A68656E67776E


@cache
def migrations(dialect: str) -> tuple[tuple[str, str], ...]:
    """``(name, script)`` of every migration for ``dialect``, in order."""
    return tuple((path.stem, path.read_text(encoding="utf-8"))
                 for path in sorted((_SCHEMA / dialect).glob("*.sql")))


def _done(db: Database) -> set[str]:
    return {row[0] for row in db.execute("SELECT name FROM migrations")}


def _has_table(db: Database) -> bool:
    if db.is_postgres:
        return db.execute("SELECT to_regclass('migrations') IS NOT NULL").fetchone()[0]
    return db.execute("SELECT 1 FROM sqlite_master WHERE name = 'migrations'").fetchone() is not None


def pending(db: Database) -> list[str]:
    """Names of the migrations not yet applied (all of them on an empty database)."""
    done = _done(db) if _has_table(db) else set()
    return [name for name, _ in migrations(db.dialect) if name not in done]


def migrate(db: Database) -> list[str]:
    """Apply the migrations not yet applied; return their names.

    Each runs in a transaction that first takes the migrating lock (SQLite's
    ``BEGIN IMMEDIATE``, a PostgreSQL advisory lock) and checks it is still pending,
    so processes opening a new archive at once apply each migration once: the
    others wait, then find it done.
    """
    if db.is_postgres:
        with db.transaction():
            db.execute("SELECT pg_advisory_xact_lock(?)", (_LOCK_KEY,))
            db.execute("CREATE TABLE IF NOT EXISTS migrations "
                       "(name TEXT PRIMARY KEY, applied_at DOUBLE PRECISION)")
    else:
        db.execute("CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at REAL)")
        db.commit()
    done = _done(db)
    applied = []
    for name, sql in migrations(db.dialect):
        if name in done:
            continue
        if _apply(db, name, sql):
            applied.append(name)
    return applied


def _apply(db: Database, name: str, sql: str) -> bool:
    if db.is_postgres:
        with db.transaction():
            db.execute("SELECT pg_advisory_xact_lock(?)", (_LOCK_KEY,))
            if db.execute("SELECT 1 FROM migrations WHERE name = ?", (name,)).fetchone():
                return False
            db.script(sql)
            db.execute("INSERT INTO migrations VALUES (?, ?)", (name, time.time()))
        return True
    db.execute("BEGIN IMMEDIATE")
    try:
        if db.execute("SELECT 1 FROM migrations WHERE name = ?", (name,)).fetchone():
            db.rollback()
            return False
        db.script(sql)
        db.execute("INSERT INTO migrations VALUES (?, ?)", (name, time.time()))
        db.commit()
    except BaseException:
        db.rollback()
        raise
    return True
