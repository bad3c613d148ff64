"""The evaluation corpus in ../shared/corpus: pages, gold text and snippets.

Shared by ``make eval``, ``make bench`` and the accuracy gate in tests/corpus.
"""

from __future__ import annotations

import csv
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["CORPUS_ENV", "SETS", "GoldPage", "all_pages", "corpus_dir", "gold_pages"]

CORPUS_ENV = "ZHENGWEN_CORPUS"


@dataclass(frozen=True)
class GoldPage:
    """One saved page with what is known to be its article."""

    name: str
    path: Path
    url: str | None
    source: str
    gold_text: str | None = None
    with_snippets: tuple[str, ...] = ()
    without_snippets: tuple[str, ...] = ()
    meta: dict[str, str] = field(default_factory=dict)

    def read(self) -> bytes:
        return self.path.read_bytes()


def corpus_dir() -> Path | None:
    """``$ZHENGWEN_CORPUS`` or ``../shared/corpus`` beside the checkout; None if absent."""
    env = os.environ.get(CORPUS_ENV)
    candidates = [Path(env)] if env else []
    candidates.append(Path(__file__).resolve().parent.parent.parent / "shared" / "corpus")
    return next((c for c in candidates if (c / "manifest.csv").is_file()), None)


def _manifest(root: Path) -> list[dict[str, str]]:
    with (root / "manifest.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


#: The gold sets, in report order: Chinese full text, other languages, English, snippets.
SETS = ("magic-html", "magic-html-other", "aeb", "trafilatura")


def _magic_html(root: Path, source: str) -> list[GoldPage]:
    """magic-html's layout: ``gold/<sha256>.json`` ({url, content}) beside ``htmls/``."""
    pages = []
    for gold in sorted((root / "raw" / source / "gold").glob("*.json")):
        data = json.loads(gold.read_text(encoding="utf-8"))
        pages.append(GoldPage(name=f"{source}/{gold.stem[:10]}",
                              path=root / "raw" / source / "htmls" / f"{gold.stem}.html",
                              url=data.get("url"), source=source, gold_text=data["content"]))
    return pages


def _aeb(root: Path) -> list[GoldPage]:
    """The article-extraction-benchmark: one ``ground-truth.json`` keyed by page hash."""
    path = root / "raw" / "aeb" / "ground-truth.json"
    if not path.is_file():
        return []
    truth = json.loads(path.read_text(encoding="utf-8"))
    return [GoldPage(name=f"aeb/{key[:10]}", path=root / "raw" / "aeb" / "html" / f"{key}.html",
                     url=entry.get("url"), source="aeb", gold_text=entry["articleBody"])
            for key, entry in sorted(truth.items())]


def gold_pages(root: Path) -> list[GoldPage]:
    """Pages with independent gold: full text (magic-html, magic-html-other, aeb) and
    with/without snippets (trafilatura)."""
    pages = _magic_html(root, "magic-html") + _magic_html(root, "magic-html-other") + _aeb(root)
    for gold in sorted((root / "raw" / "trafilatura" / "gold").glob("*.json")):
        data = json.loads(gold.read_text(encoding="utf-8"))
        meta = {k: data[k] for k in ("title", "author", "date") if data.get(k)}
        pages.append(GoldPage(name=f"trafilatura/{gold.stem[:30]}",
                              path=root / "raw" / "trafilatura" / "eval" / data["file"],
                              url=data.get("url"), source="trafilatura",
                              with_snippets=tuple(data.get("with", [])),
                              without_snippets=tuple(data.get("without", [])), meta=meta))
    return pages


def all_pages(root: Path) -> list[tuple[str, Path, str | None]]:
    """Every page of the manifest as (name, path, url)."""
    return [(row["file"], root / row["file"], row.get("url") or None) for row in _manifest(root)]
