"""Every fixture page and dump against its hand-checked expected JSON, every field,
through the zhengwen pytest plugin (the same one users run on their own pages)."""

from __future__ import annotations

import pytest

from scraper.pytest_plugin import SnapshotCase
from scraper.snapshot import find_pages, snapshot_path
from tests.conftest import FIXTURES

FOLDERS = (FIXTURES / "pages", FIXTURES / "dumps")


@pytest.mark.zhengwen_snapshots(*FOLDERS)
def test_fixture_matches_expected(zhengwen_snapshot: SnapshotCase) -> None:
    zhengwen_snapshot.check()


def test_every_fixture_has_expected_output() -> None:
    cases = find_pages(FOLDERS)
    assert len(cases) >= 15
    missing = [p.name for p in cases if not snapshot_path(p).is_file()]
    assert missing == []
