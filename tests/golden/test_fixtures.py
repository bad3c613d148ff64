"""Every fixture page and dump against its hand-checked expected JSON, every field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cleaners import clean_html, clean_text
from tests.conftest import FIXTURES

CASES = sorted((FIXTURES / "pages").glob("*.html")) + sorted((FIXTURES / "dumps").glob("*.txt"))


def _clean(path: Path, expected: dict) -> dict:
    if path.suffix == ".html":
        article = clean_html(path.read_bytes(), expected.get("input_url"))
    else:
        article = clean_text(path.read_text(encoding="utf-8"))
    data = article.to_dict()
    data["removed_rules"] = sorted({r["rule"] for r in data.pop("removed")})
    return data


@pytest.mark.parametrize("path", CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fixture_matches_expected(path: Path) -> None:
    expected = json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))
    got = _clean(path, expected)
    expected.pop("input_url", None)
    for key, value in expected.items():
        assert got[key] == value, f"{path.name}: field {key!r}"


def test_every_fixture_has_expected_output() -> None:
    assert len(CASES) >= 15
    missing = [p.name for p in CASES if not p.with_suffix(".expected.json").is_file()]
    assert missing == []
