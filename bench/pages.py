"""The pages ``make bench`` extracts: every corpus page and every fixture page,
decoded once, with whatever gold each has (text, snippets, title/date/author)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from bench.corpus import all_pages, gold_pages
from cleaners import DecodeError, decode_bytes

__all__ = ["BenchPage", "load_pages"]

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "pages"


@dataclass(frozen=True)
class BenchPage:
    name: str
    html: str
    url: str | None
    gold_text: str | None = None
    with_snippets: tuple[str, ...] = ()
    without_snippets: tuple[str, ...] = ()
    meta: dict[str, str] = field(default_factory=dict)  # gold title / date / author

    @property
    def scored(self) -> bool:
        return self.gold_text is not None or bool(self.with_snippets or self.without_snippets)


def _fixture_pages() -> list[BenchPage]:
    pages = []
    for path in sorted(FIXTURES.glob("*.html")):
        expected = json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))
        meta = {k: expected[v] for k, v in (("title", "title"), ("date", "published"),
                                             ("author", "author")) if expected.get(v)}
        pages.append(BenchPage(f"fixtures/{path.stem}", decode_bytes(path.read_bytes())[0],
                               expected.get("input_url"), gold_text=expected["text"], meta=meta))
    return pages


def load_pages(root: Path | None) -> list[BenchPage]:
    """Corpus pages (when ``root`` is given) then the fixture pages."""
    pages: list[BenchPage] = []
    if root is not None:
        gold = {p.path.resolve(): p for p in gold_pages(root)}
        for name, path, url in all_pages(root):
            try:
                html = decode_bytes(path.read_bytes(), source=name)[0]
            except DecodeError:
                continue
            g = gold.get(path.resolve())
            pages.append(BenchPage(name, html, url or (g.url if g else None),
                                   g.gold_text if g else None,
                                   g.with_snippets if g else (), g.without_snippets if g else (),
                                   g.meta if g else {}))
    return pages + _fixture_pages()
