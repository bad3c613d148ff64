"""Test-wide guards (no test reaches beyond the loopback interface) and shared fixtures:
the corpus, the demo site, and a throwaway PostgreSQL server."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

import pytest

from bench.offline import loopback_connect
from tests.pgserver import PostgresServer, PostgresUnavailable

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"


@pytest.fixture(autouse=True)
def _no_internet(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket.socket, "connect", loopback_connect)


@pytest.fixture(scope="session")
def corpus_root() -> Path:
    from bench.corpus import corpus_dir

    root = corpus_dir()
    if root is None:
        pytest.skip("../shared/corpus is absent (CI always has it; set ZHENGWEN_CORPUS to point "
                    "at a copy)")
    return root


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    path = ROOT.parent / "shared" / "seeds"
    if not path.is_dir():
        pytest.skip("../shared/seeds is absent (CI always has it)")
    return path


@pytest.fixture
def site() -> Iterator:
    """The demo site on 127.0.0.1, fresh per test (its flaky and changing pages count
    requests from zero)."""
    from scraper.demo_site import DemoSite

    with DemoSite() as demo:
        yield demo


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test that uses the PostgreSQL server carries the ``postgres`` marker, so
    ``-m "not postgres"`` leaves them all out."""
    for item in items:
        if {"postgres_server", "postgres_url"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.postgres)


def _postgres_unavailable(reason: str) -> NoReturn:
    """Skip, loudly; on CI (``CI`` set) fail instead, so CI never passes without the database."""
    if os.environ.get("CI", "").lower() not in ("", "0", "false"):
        pytest.fail(f"PostgreSQL is required when CI is set: {reason}", pytrace=False)
    pytest.skip(f"POSTGRES TESTS SKIPPED: {reason}")


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """One throwaway cluster per session (per xdist worker) on 127.0.0.1, stopped and its
    folder removed at the end; `make postgres` installs the server binaries."""
    try:
        import psycopg  # noqa: F401  (the fixtures below and every caller need it)
    except ImportError:
        _postgres_unavailable("the psycopg package is absent: pip install -e '.[postgres]' "
                              "(`make install` does)")
    try:
        server = PostgresServer.start()
    except PostgresUnavailable as exc:
        _postgres_unavailable(str(exc))
    with server:
        yield server


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> Iterator[str]:
    """A fresh empty database for this test, dropped after it:
    ``postgresql://postgres@127.0.0.1:PORT/test_N``."""
    name = postgres_server.create_database()
    yield postgres_server.url(name)
    postgres_server.drop_database(name)
