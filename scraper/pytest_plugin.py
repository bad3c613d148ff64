"""The pytest plugin: one test per saved page, compared field by field with its snapshot.

Installed with the package (``pytest11`` entry point). Configure in the pytest ini::

    [pytest]
    zhengwen_snapshots = tests/pages        # folders of page.html / page.txt + page.expected.json
    zhengwen_rules = rules/extra.toml       # optional: rules files, before the built-in rules
    zhengwen_sources = sources.toml         # optional: the sources whose selectors pages use

or mark a test that takes the ``zhengwen_snapshot`` argument (folders relative to the rootdir)::

    @pytest.mark.zhengwen_snapshots("tests/pages")
    def test_page(zhengwen_snapshot):
        zhengwen_snapshot.check()

Each recording in those folders (``<source-id>.warc.gz``, written by ``zhengwen
record``) is a test too: the source is crawled from it offline and must store the
pages its snapshots hold, with the same fields.

A failure lists each changed field (the text as a unified diff); after reviewing it,
``pytest --zhengwen-update`` rewrites the snapshots from the current output. The
snapshot format is hand-written rather than syrupy's or pytest-regressions': the
files are the project's long-standing ``.expected.json`` golden files, which
``zhengwen record`` also writes.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from cleaners import default_rules, load_rules

from .settings import Settings
from .snapshot import PAGE_SUFFIXES, RECORDING_SUFFIX, Snapshots, find_pages
from .sources import load_config

_UPDATED = pytest.StashKey[list[str]]()
_SNAPSHOTS = pytest.StashKey[Snapshots]()
_SETTINGS = pytest.StashKey[Settings]()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--zhengwen-update", action="store_true",
                     help="zhengwen: rewrite page snapshots that differ (after reviewing the diff)")
    parser.addini("zhengwen_snapshots", "zhengwen: folders of saved pages and their "
                  ".expected.json snapshots; one test per page", type="paths", default=[])
    parser.addini("zhengwen_rules", "zhengwen: rules files applied before the built-in rules",
                  type="paths", default=[])
    parser.addini("zhengwen_sources", "zhengwen: sources file whose selectors recorded pages use",
                  type="paths", default=[])


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "zhengwen_snapshots(*folders): parametrize the test's "
                            "zhengwen_snapshot argument over the pages in these folders")
    config.stash[_UPDATED] = []


def _snapshots(config: pytest.Config) -> Snapshots:
    """The rules and sources of the ini options, loaded once per session."""
    if _SNAPSHOTS not in config.stash:
        rule_files = config.getini("zhengwen_rules")
        source_files = config.getini("zhengwen_sources")
        configs = [load_config(f) for f in source_files]
        config.stash[_SETTINGS] = configs[0][0] if configs else Settings()
        config.stash[_SNAPSHOTS] = Snapshots(
            load_rules(*rule_files) if rule_files else default_rules(),
            {s.id: s for _, sources in configs for s in sources},
            ", ".join(map(str, source_files)) or None)
    return config.stash[_SNAPSHOTS]


class SnapshotCase:
    """One page and its snapshot; ``check()`` fails the test with the differences."""

    def __init__(self, config: pytest.Config, page: Path) -> None:
        self.config, self.page = config, page

    def check(self) -> None:
        update = self.config.getoption("zhengwen_update")
        changes, written = _snapshots(self.config).check(self.page, update=update)
        if written:
            self.config.stash[_UPDATED].append(str(self.page))
        elif changes:
            pytest.fail(f"{self.page}: {len(changes)} difference(s) from the snapshot\n"
                        + "\n".join(f"  {c}" for c in changes)
                        + "\nReview, then run pytest --zhengwen-update to accept the new output.",
                        pytrace=False)

    def __repr__(self) -> str:
        return f"SnapshotCase({self.page})"


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "zhengwen_snapshot" not in metafunc.fixturenames:
        return
    marker = metafunc.definition.get_closest_marker("zhengwen_snapshots")
    folders = ([metafunc.config.rootpath / f for f in marker.args] if marker and marker.args
               else metafunc.config.getini("zhengwen_snapshots"))
    pages = find_pages(folders)
    metafunc.parametrize("zhengwen_snapshot", [SnapshotCase(metafunc.config, p) for p in pages],
                         ids=[f"{p.parent.name}/{p.name}" for p in pages])


class SnapshotItem(pytest.Item):
    """The test of one page found under a ``zhengwen_snapshots`` folder."""

    def runtest(self) -> None:
        SnapshotCase(self.config, self.path).check()

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"zhengwen snapshot: {self.name}"


class ReplayItem(pytest.Item):
    """The test of one source's recording: replayed offline, it stores the pages its
    snapshots hold, with the same fields."""

    def runtest(self) -> None:
        snapshots = _snapshots(self.config)
        problems = snapshots.check_recording(self.path, self.config.stash[_SETTINGS])
        if problems:
            pytest.fail(f"{self.path}: the replay differs from the snapshots\n"
                        + "\n".join(f"  {p}" for p in problems)
                        + "\nA page test names the same change: review it and run pytest "
                          "--zhengwen-update; a page missing on either side needs the source "
                          "recorded again (zhengwen record).", pytrace=False)

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"zhengwen replay: {self.name}"


class SnapshotPage(pytest.File):
    def collect(self) -> Iterator[pytest.Item]:
        item = ReplayItem if self.path.name.endswith(RECORDING_SUFFIX) else SnapshotItem
        yield item.from_parent(self, name=self.path.name)


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> SnapshotPage | None:
    if file_path.suffix not in PAGE_SUFFIXES and not file_path.name.endswith(RECORDING_SUFFIX):
        return None
    folders = parent.config.getini("zhengwen_snapshots")
    if any(file_path.is_relative_to(folder) for folder in folders):
        return SnapshotPage.from_parent(parent, path=file_path)
    return None


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter,
                            config: pytest.Config) -> None:
    updated = config.stash.get(_UPDATED, [])
    if updated:
        terminalreporter.write_line(f"zhengwen: {len(updated)} snapshot(s) written: "
                                    + ", ".join(Path(p).name for p in updated))
