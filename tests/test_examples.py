"""The worked example of README's "Testing your sources" passes as a user would run it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "testing-sources"


def test_the_testing_sources_example_passes(pytester: pytest.Pytester) -> None:
    shutil.copytree(EXAMPLE, pytester.path, dirs_exist_ok=True)
    pages = len(list((pytester.path / "pages").rglob("*.html")))
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=pages + 2)  # the pages, the recording, test_source.py
    assert pages >= 3


def test_a_changed_selector_fails_the_example_with_a_diff(pytester: pytest.Pytester) -> None:
    shutil.copytree(EXAMPLE, pytester.path, dirs_exist_ok=True)
    sources = pytester.path / "sources.toml"
    # A wrong content selector alone no longer changes the text (the body choice
    # checks the block against the page), so the change drops part of the body.
    sources.write_text(sources.read_text(encoding="utf-8").replace(
        'content_selector = ".TRS_Editor"',
        'content_selector = ".TRS_Editor"\ndrop_selectors = [".TRS_Editor p:first-child"]'),
        encoding="utf-8")
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(failed=len(list((pytester.path / "pages").rglob("*.html"))) + 2)
    result.stdout.fnmatch_lines(["*.html: * difference(s) from the snapshot", "  text:",
                                 "    --- snapshot", "    +++ now"])
    result.stdout.fnmatch_lines(["*demo-jyt.warc.gz: the replay differs from the snapshots",
                                 "  xxgk_tzgg_*.expected.json: text:"])
