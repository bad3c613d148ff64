"""The throwaway PostgreSQL server the archive's PostgreSQL tests run against
(tests/pgserver.py, fixtures in tests/conftest.py)."""

from __future__ import annotations

import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from tests import pgserver
from tests.pgserver import PostgresServer, PostgresUnavailable, find_bindir

pytest_plugins = ["pytester"]


def test_server_listens_on_loopback_only(postgres_server: PostgresServer) -> None:
    with psycopg.connect(postgres_server.url()) as conn:
        listen, fsync, encoding = conn.execute(
            "SELECT current_setting('listen_addresses'), current_setting('fsync'), "
            "pg_encoding_to_char(encoding) FROM pg_database WHERE datname = 'postgres'"
        ).fetchone()
    assert (listen, fsync, encoding) == ("127.0.0.1", "off", "UTF8")
    assert (postgres_server.root / f".s.PGSQL.{postgres_server.port}").is_socket()
    assert postgres_server.running()


def test_url_is_a_fresh_empty_database(postgres_server: PostgresServer, postgres_url: str) -> None:
    assert postgres_url.startswith(f"postgresql://postgres@127.0.0.1:{postgres_server.port}/test_")
    with psycopg.connect(postgres_url) as conn:
        name, tables = conn.execute(
            "SELECT current_database(), count(*) FROM information_schema.tables "
            "WHERE table_schema = 'public'").fetchone()
        conn.execute("CREATE TABLE page (url text PRIMARY KEY, body text)")
        conn.execute("INSERT INTO page VALUES (%s, %s)", ("http://127.0.0.1/a", "正文"))
        assert conn.execute("SELECT body FROM page").fetchone() == ("正文",)
    assert postgres_url.endswith("/" + name)
    assert tables == 0


def test_databases_are_isolated_and_dropped(postgres_server: PostgresServer,
                                            postgres_url: str) -> None:
    other = postgres_server.create_database()
    try:
        with psycopg.connect(postgres_url) as conn:
            conn.execute("CREATE TABLE only_here (n int)")
        with psycopg.connect(postgres_server.url(other)) as conn:
            assert conn.execute("SELECT to_regclass('only_here')").fetchone() == (None,)
            open_conn = psycopg.connect(postgres_server.url(other))  # left open on purpose
    finally:
        postgres_server.drop_database(other)
    assert _query_fails(open_conn)  # dropped under it
    open_conn.close()
    with psycopg.connect(postgres_server.url()) as conn:
        names = {row[0] for row in conn.execute("SELECT datname FROM pg_database")}
    assert other not in names
    assert postgres_url.rsplit("/", 1)[1] in names


def _query_fails(conn: psycopg.Connection) -> bool:
    try:
        conn.execute("SELECT 1")
    except psycopg.OperationalError:
        return True
    return False


Sessions = tuple[psycopg.Connection, psycopg.Connection]


@pytest.fixture
def queue(postgres_url: str) -> Iterator[Sessions]:
    """Two sessions on a table of four pending URLs, as two crawler workers would share it."""
    with psycopg.connect(postgres_url, autocommit=True) as setup:
        setup.execute("CREATE TABLE frontier (id int PRIMARY KEY, url text NOT NULL, "
                      "taken_by text)")
        setup.execute("INSERT INTO frontier SELECT n, 'http://127.0.0.1/' || n "
                      "FROM generate_series(1, 4) AS n")
    with psycopg.connect(postgres_url) as a, psycopg.connect(postgres_url) as b:
        for conn in (a, b):
            conn.execute("SET lock_timeout = '10s'")  # a wrong lock fails instead of hanging
            conn.commit()
        yield a, b


CLAIM = ("SELECT id FROM frontier WHERE taken_by IS NULL ORDER BY id "
         "LIMIT %s FOR UPDATE SKIP LOCKED")


def test_skip_locked_gives_each_session_other_rows(queue: Sessions) -> None:
    a, b = queue
    first = [row[0] for row in a.execute(CLAIM, (2,))]
    second = [row[0] for row in b.execute(CLAIM, (2,))]
    assert first == [1, 2]
    assert second == [3, 4]  # not blocked by a's locks, and none of a's rows
    with pytest.raises(psycopg.errors.LockNotAvailable):
        b.execute("SELECT id FROM frontier WHERE id = 1 FOR UPDATE NOWAIT")
    b.rollback()


def test_committed_claims_are_not_taken_again(queue: Sessions) -> None:
    a, b = queue
    claimed = [row[0] for row in a.execute(CLAIM, (1,))]
    a.execute("UPDATE frontier SET taken_by = 'a' WHERE id = ANY(%s)", (claimed,))
    b_before = [row[0] for row in b.execute(CLAIM, (4,))]
    b.rollback()  # releases its locks; a still holds row 1
    a.commit()
    b_after = [row[0] for row in b.execute(CLAIM, (4,))]
    b.commit()
    assert claimed == [1]
    assert b_before == [2, 3, 4]
    assert b_after == [2, 3, 4]
    assert a.execute("SELECT taken_by FROM frontier WHERE id = 1").fetchone() == ("a",)


def test_stop_ends_the_server_and_removes_its_folder() -> None:
    with PostgresServer.start() as server:
        pid, root, url = server.pid, server.root, server.url()
        assert server.running()
        with psycopg.connect(url) as conn:
            assert conn.execute("SELECT pg_backend_pid() <> %s", (pid,)).fetchone() == (True,)
    assert not server.running()
    assert _proc_state(pid) in ("gone", "Z")
    assert not root.exists()
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(url, connect_timeout=5)


def _proc_state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return "gone"


def test_missing_binaries_are_named(tmp_path: Path) -> None:
    with pytest.raises(PostgresUnavailable) as caught:
        PostgresServer.start(bindir=tmp_path)
    message = str(caught.value)
    assert str(tmp_path) in message
    assert "no initdb, pg_ctl, postgres" in message
    assert "make postgres" in message


def test_finder_skips_folders_without_the_server() -> None:
    real = find_bindir()
    with tempfile.TemporaryDirectory() as empty:
        assert find_bindir([Path(empty), real]) == real


def test_initdb_failure_shows_its_output(monkeypatch: pytest.MonkeyPatch) -> None:
    with tempfile.TemporaryDirectory() as folder:
        bindir, temp = Path(folder, "bin"), Path(folder, "tmp")
        for path in (Path(folder), bindir, temp):
            path.mkdir(exist_ok=True)
            path.chmod(0o755)  # reachable by the postgres user when running as root
        for name in ("initdb", "pg_ctl", "postgres"):
            script = bindir / name
            script.write_text("#!/bin/sh\necho 'initdb: invented failure: disk on fire' >&2\n"
                              "exit 1\n")
            script.chmod(script.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
        monkeypatch.setattr(tempfile, "tempdir", str(temp))
        with pytest.raises(PostgresUnavailable) as caught:
            PostgresServer.start(bindir=bindir)
        left = list(temp.iterdir())
    message = str(caught.value)
    assert message.startswith("initdb (initialising the cluster) failed (exit 1)")
    assert str(bindir / "initdb") in message
    assert "disk on fire" in message
    assert left == []  # the cluster's temporary folder is removed


INNER_CONFTEST = "from tests.conftest import postgres_server, postgres_url  # noqa: F401\n"
INNER_TEST = "def test_needs_the_database(postgres_url):\n    assert postgres_url\n"


@pytest.mark.parametrize(("ci", "outcome"), [(None, {"skipped": 1}), ("true", {"errors": 1})])
def test_unavailable_server_skips_loudly_and_fails_on_ci(
        pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, ci: str | None,
        outcome: dict[str, int]) -> None:
    def unavailable(cls: type[PostgresServer], bindir: Path | None = None) -> PostgresServer:
        raise PostgresUnavailable("initdb not found in /invented/bin")

    monkeypatch.setattr(PostgresServer, "start", classmethod(unavailable))
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    pytester.makeconftest(INNER_CONFTEST)
    pytester.makepyfile(INNER_TEST)
    result = pytester.runpytest("-p", "no:cacheprovider", "-rs")
    result.assert_outcomes(**outcome)
    reason = ("POSTGRES TESTS SKIPPED: initdb not found in /invented/bin" if ci is None
              else "PostgreSQL is required when CI is set: initdb not found in /invented/bin")
    result.stdout.fnmatch_lines([f"*{reason}*"])


def test_server_start_failure_shows_the_server_log(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(pgserver.SETTINGS, "shared_buffers", "'plenty'")
    with tempfile.TemporaryDirectory() as folder:
        Path(folder).chmod(0o755)  # reachable by the postgres user when running as root
        monkeypatch.setattr(tempfile, "tempdir", folder)
        with pytest.raises(PostgresUnavailable) as caught:
            PostgresServer.start()
        left = list(Path(folder).iterdir())
    message = str(caught.value)
    assert message.startswith("pg_ctl start failed")
    assert "server log:" in message
    assert 'invalid value for parameter "shared_buffers": "plenty"' in message
    assert left == []
