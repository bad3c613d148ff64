"""Test-wide guards: no test reaches beyond the loopback interface."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.offline import loopback_connect

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
