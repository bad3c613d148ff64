"""Page snapshots: a saved page or text dump beside its expected Article as JSON.

``page.html`` (or ``page.txt``) and ``page.expected.json`` hold the input and what
cleaning it should give: the fields of :meth:`Article.to_dict`, with ``removed``
reduced to the sorted names of the rules that removed something
(``removed_rules``). Keys starting with ``input_`` say how to clean the page:
``input_url`` (its URL), ``input_source`` (the source whose selectors apply) and
``input_headers`` (the response's Content-Type, for its charset). A check compares
every field the snapshot holds and describes each difference for a person to
review; an update rewrites the snapshot from the current output. A source's
recording (``<source-id>.warc.gz`` beside the folder ``<source-id>/`` of its pages)
is checked by replaying it: the crawl must store those pages, every field alike.
"""

from __future__ import annotations

import asyncio
import difflib
import json
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cleaners import Article, RuleSet, clean_html, clean_text, default_rules

from .errors import ScraperError
from .replay import replay_crawl
from .settings import Settings
from .sources import Source, source_rules
from .store import Archive

__all__ = ["PAGE_SUFFIXES", "RECORDING_SUFFIX", "Snapshots", "describe_changes", "find_pages",
           "snapshot_of", "snapshot_path"]

#: Saved pages (cleaned as HTML) and text dumps (cleaned as text).
PAGE_SUFFIXES = (".html", ".htm", ".txt")
#: One source's recording (``zhengwen record``), beside the folder of its pages.
RECORDING_SUFFIX = ".warc.gz"
_SUFFIX = ".expected.json"


def snapshot_path(page: Path) -> Path:
    return page.with_suffix(_SUFFIX)


def find_pages(folders: Iterable[str | Path]) -> list[Path]:
    """Every saved page or dump under ``folders``, sorted."""
    pages: list[Path] = []
    for folder in folders:
        folder = Path(folder)
        if not folder.is_dir():
            raise ScraperError(f"{folder}: no such folder of snapshot pages")
        pages += [p for p in folder.rglob("*") if p.suffix in PAGE_SUFFIXES and p.is_file()]
    return sorted(pages)


def snapshot_of(article: Article, inputs: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The snapshot form of ``article``, followed by the ``input_`` keys."""
    data = article.to_dict()
    data["removed_rules"] = sorted({r["rule"] for r in data.pop("removed")})
    return {**data, **{k: v for k, v in (inputs or {}).items() if k.startswith("input_")}}


def describe_changes(expected: Mapping[str, Any], got: Mapping[str, Any]) -> list[str]:
    """One readable entry per field that differs: the text as a unified diff of lines,
    removed rules as lost / new names, other fields as old -> new."""
    changes = []
    for key, want in expected.items():
        if key.startswith("input_") or got.get(key) == want:
            continue
        have = got.get(key)
        if key == "text" and isinstance(want, str) and isinstance(have, str):
            diff = difflib.unified_diff(want.splitlines(), have.splitlines(), "snapshot", "now",
                                        lineterm="", n=1)
            changes.append("text:\n" + "\n".join(f"    {line}" for line in diff))
        elif key == "removed_rules" and isinstance(want, list) and isinstance(have, list):
            lost, new = sorted(set(want) - set(have)), sorted(set(have) - set(want))
            parts = ([f"no longer removed: {', '.join(lost)}"] if lost else []) + (
                [f"newly removed: {', '.join(new)}"] if new else [])
            changes.append(f"removed_rules: {'; '.join(parts) or 'order changed'}")
        else:
            changes.append(f"{key}: {want!r} -> {have!r}")
    return changes


@dataclass
class Snapshots:
    """Cleans snapshot pages with a rule set and sources, checks or rewrites snapshots."""

    rules: RuleSet = field(default_factory=default_rules)
    sources: Mapping[str, Source] = field(default_factory=dict)
    sources_file: str | None = None

    def clean(self, page: Path, inputs: Mapping[str, Any]) -> Article:
        """Clean ``page`` as the crawl would: with its source's selectors and headers."""
        url = inputs.get("input_url")
        rules = self.rules
        if sid := inputs.get("input_source"):
            if sid not in self.sources:
                where = self.sources_file or "no sources file (set zhengwen_sources)"
                raise ScraperError(f"{page}: recorded for source {sid!r}, which is not in {where}")
            rules = source_rules(self.sources[sid], self.rules)
        if page.suffix == ".txt":
            return clean_text(page.read_text(encoding="utf-8"), url, rules=rules)
        return clean_html(page.read_bytes(), url, headers=inputs.get("input_headers"),
                          rules=rules)

    def check(self, page: Path, *, update: bool = False) -> tuple[list[str], bool]:
        """``(changes, written)``: the differences from the snapshot (empty when it
        matches), and whether the snapshot was (re)written because ``update`` is set."""
        path = snapshot_path(page)
        expected = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
        got = snapshot_of(self.clean(page, expected), expected)
        if not any(not k.startswith("input_") for k in expected):
            changes = [f"no snapshot in {path.name} yet"]
        else:
            changes = describe_changes(expected, got)
        if changes and update:
            self.write(page, got)
            return changes, True
        return changes, False

    @staticmethod
    def write(page: Path, snapshot: Mapping[str, Any]) -> Path:
        path = snapshot_path(page)
        path.write_text(json.dumps(snapshot, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        return path

    def check_recording(self, warc: Path, settings: Settings | None = None) -> list[str]:
        """Replay one source's recording offline and compare what it stores with the
        snapshots in ``<source-id>/`` beside it: the same pages, every field alike.
        Returns the problems (empty when all agree)."""
        sid = warc.name.removesuffix(RECORDING_SUFFIX)
        if sid not in self.sources:
            where = self.sources_file or "no sources file (set zhengwen_sources)"
            raise ScraperError(f"{warc}: a recording of source {sid!r}, which is not in {where}")
        with (tempfile.TemporaryDirectory() as scratch,
              Archive(Path(scratch) / "replay.sqlite") as archive):
            asyncio.run(replay_crawl([self.sources[sid]], archive, warc, settings,
                                     rules=self.rules))
            got = {s.final_url or s.url: s.article for s in archive.articles()}
            problems = [f"{url}: {error}" for url, error in archive.conn.execute(
                "SELECT url, last_error FROM urls WHERE last_error LIKE 'NotRecordedError%'")]
        expected = {}
        for path in sorted((warc.parent / sid).glob(f"*{_SUFFIX}")):
            snapshot = json.loads(path.read_text(encoding="utf-8"))
            expected[snapshot.get("input_url")] = (path, snapshot)
        problems += [f"{url}: has a snapshot, but the replay did not store it"
                     for url in sorted(set(expected) - set(got), key=str)]
        problems += [f"{url}: stored by the replay, but has no snapshot"
                     for url in sorted(set(got) - set(expected))]
        for url in sorted(set(got) & set(expected)):
            path, snapshot = expected[url]
            changes = describe_changes(_without_templates(snapshot),
                                       _without_templates(snapshot_of(got[url])))
            problems += [f"{path.name}: {change}" for change in changes]
        return problems


def _without_templates(snapshot: Mapping[str, Any]) -> dict[str, Any]:
    """``snapshot`` without ``template.<host>`` removals: a crawl applies what it has
    learned of the host's template so far, which a single page's cleaning cannot know."""
    if "removed_rules" not in snapshot:
        return dict(snapshot)
    rules = [r for r in snapshot["removed_rules"] if not r.startswith("template.")]
    return {**snapshot, "removed_rules": rules}
