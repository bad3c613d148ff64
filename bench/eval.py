"""``make eval``: accuracy of clean_html and clean_text on the corpus gold pages,
side by side with trafilatura's default extraction on the same decoded input.

Also importable: the accuracy gate in tests/corpus calls :func:`evaluate`.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from dataclasses import dataclass

import trafilatura
from selectolax.lexbor import LexborHTMLParser

from bench.corpus import GoldPage, corpus_dir, gold_pages
from bench.score import Score, ngram_score, snippet_score
from cleaners import clean_html, clean_text
from cleaners.blocks import block_lines
from cleaners.decode import decode_bytes
from cleaners.prune import NOISE_TAGS

__all__ = ["PageResult", "evaluate", "full_page_dump", "main"]


@dataclass(frozen=True)
class PageResult:
    page: GoldPage
    ours: Score
    dump: Score
    trafilatura: Score


def full_page_dump(html: str) -> str:
    """Every visible block of a page on its own line, menus and footers included."""
    tree = LexborHTMLParser(html)
    tree.strip_tags(NOISE_TAGS)
    return "\n".join(line.text for line in block_lines(tree.body)) if tree.body else ""


def _score(page: GoldPage, text: str | None) -> Score:
    if page.gold_text is not None:
        return ngram_score(text, page.gold_text)
    return snippet_score(text, page.with_snippets, page.without_snippets)


def evaluate_page(page: GoldPage) -> PageResult:
    raw = page.read()
    html, _ = decode_bytes(raw, source=str(page.path))
    ours = clean_html(raw, page.url).text
    dump = clean_text(full_page_dump(html), page.url).text
    peer = trafilatura.extract(html, url=page.url) or ""
    return PageResult(page, _score(page, ours), _score(page, dump), _score(page, peer))


def evaluate(source: str | None = None) -> list[PageResult]:
    root = corpus_dir()
    if root is None:
        raise FileNotFoundError("../shared/corpus not found (set ZHENGWEN_CORPUS)")
    pages = [p for p in gold_pages(root) if source is None or p.source == source]
    return [evaluate_page(p) for p in pages]


def _mean(values: list[float]) -> float:
    return statistics.fmean(values) if values else 0.0


def report(results: list[PageResult], out=sys.stdout) -> None:
    out.write(f"{'page':44} {'ours P':>7} {'R':>6} {'F1':>6} {'dump F1':>8} {'traf F1':>8}\n")
    for r in sorted(results, key=lambda r: r.ours.f1 - r.trafilatura.f1):
        out.write(f"{r.page.name[:44]:44} {r.ours.precision:7.3f} {r.ours.recall:6.3f} "
                  f"{r.ours.f1:6.3f} {r.dump.f1:8.3f} {r.trafilatura.f1:8.3f}\n")
    for source in sorted({r.page.source for r in results}):
        rows = [r for r in results if r.page.source == source]
        out.write(f"\n{source} ({len(rows)} pages): mean F1 clean_html {_mean([r.ours.f1 for r in rows]):.3f}"
                  f"  clean_text(dump) {_mean([r.dump.f1 for r in rows]):.3f}"
                  f"  trafilatura {_mean([r.trafilatura.f1 for r in rows]):.3f}"
                  f"  | median clean_html {statistics.median([r.ours.f1 for r in rows]):.3f}"
                  f"  worst gap to trafilatura {min(r.ours.f1 - r.trafilatura.f1 for r in rows):+.3f}\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", help="only pages of this corpus source (magic-html, trafilatura)")
    args = parser.parse_args(argv)
    try:
        results = evaluate(args.source)
    except FileNotFoundError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 2
    report(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
