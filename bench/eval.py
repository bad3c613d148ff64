"""``make eval``: accuracy of clean_html and clean_text on the corpus gold pages,
side by side with trafilatura's default extraction on the same decoded input.

clean_html runs twice: with every built-in rule, and without the site-family
selectors (``cleaners/rules/sites.toml``), the general algorithm alone.
Also importable: the accuracy gates in tests/corpus call :func:`evaluate`.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import trafilatura
from selectolax.lexbor import LexborHTMLParser

from bench.corpus import SETS, GoldPage, corpus_dir, gold_pages
from bench.score import Score, ngram_score, snippet_score
from cleaners import RuleSet, clean_html, clean_text, load_rules
from cleaners.blocks import block_lines
from cleaners.decode import decode_bytes
from cleaners.prune import NOISE_TAGS

__all__ = ["SITES_FILE", "PageResult", "evaluate", "full_page_dump", "general_rules", "main"]

SITES_FILE = "sites.toml"
WORST_SHOWN = 10


@dataclass(frozen=True)
class PageResult:
    page: GoldPage
    ours: Score
    general: Score | None  # clean_html without the site-family rules (when asked)
    dump: Score
    trafilatura: Score
    how: str | None  # Article.body_source

    @property
    def gap(self) -> float:
        """clean_html's F1 minus trafilatura's on this page."""
        return self.ours.f1 - self.trafilatura.f1


@lru_cache(maxsize=1)
def general_rules() -> RuleSet:
    """The built-in rules without the site-family file."""
    folder = Path(str(resources.files("cleaners") / "rules"))
    return load_rules(*sorted(p for p in folder.glob("*.toml") if p.name != SITES_FILE),
                      defaults=False)


def full_page_dump(html: str) -> str:
    """Every visible block of a page on its own line, menus and footers included."""
    tree = LexborHTMLParser(html)
    tree.strip_tags(NOISE_TAGS)
    return "\n".join(line.text for line in block_lines(tree.body)) if tree.body else ""


def _score(page: GoldPage, text: str | None) -> Score:
    if page.gold_text is not None:
        return ngram_score(text, page.gold_text)
    return snippet_score(text, page.with_snippets, page.without_snippets)


def evaluate_page(page: GoldPage, *, general: bool = True) -> PageResult:
    raw = page.read()
    html, _ = decode_bytes(raw, source=str(page.path))
    ours = clean_html(raw, page.url)
    alone = _score(page, clean_html(raw, page.url, rules=general_rules()).text) if general else None
    dump = clean_text(full_page_dump(html), page.url).text
    peer = trafilatura.extract(html, url=page.url) or ""
    return PageResult(page, _score(page, ours.text), alone, _score(page, dump),
                      _score(page, peer), ours.body_source)


def evaluate(source: str | None = None, *,
             general_sets: tuple[str, ...] = SETS) -> list[PageResult]:
    """Every gold page of ``source`` (all sets when ``None``); the pages of
    ``general_sets`` are also cleaned without the site-family rules."""
    root = corpus_dir()
    if root is None:
        raise FileNotFoundError("../shared/corpus not found (set ZHENGWEN_CORPUS)")
    pages = [p for p in gold_pages(root) if source is None or p.source == source]
    return [evaluate_page(p, general=p.source in general_sets) for p in pages]


def _mean(values: list[float]) -> float:
    return statistics.fmean(values) if values else 0.0


def report(results: list[PageResult], out=sys.stdout, *, every_page: bool = False) -> None:
    if every_page:
        out.write(f"{'page':34} {'P':>6} {'R':>6} {'F1':>6} {'traf F1':>8}  body\n")
        for r in sorted(results, key=lambda r: r.gap):
            out.write(f"{r.page.name[:34]:34} {r.ours.precision:6.3f} {r.ours.recall:6.3f} "
                      f"{r.ours.f1:6.3f} {r.trafilatura.f1:8.3f}  {r.how}\n")
        out.write("\n")
    out.write(f"{'set':17} {'pages':>5} {'clean_html':>10} {'w/o sites':>9} {'trafilatura':>11} "
              f"{'below>0.05':>10} {'below>0.2':>9} {'dump':>6}\n")
    for source in [s for s in SETS if any(r.page.source == s for r in results)]:
        rows = [r for r in results if r.page.source == source]
        alone = [r.general.f1 for r in rows if r.general is not None]
        out.write(f"{source:17} {len(rows):5} {_mean([r.ours.f1 for r in rows]):10.3f} "
                  f"{f'{_mean(alone):9.3f}' if alone else '':>9} "
                  f"{_mean([r.trafilatura.f1 for r in rows]):11.3f} "
                  f"{sum(r.gap < -0.05 for r in rows):10} {sum(r.gap < -0.2 for r in rows):9} "
                  f"{_mean([r.dump.f1 for r in rows]):6.3f}\n")
    out.write(f"\nworst {WORST_SHOWN} pages against trafilatura:\n")
    for r in sorted(results, key=lambda r: r.gap)[:WORST_SHOWN]:
        out.write(f"  {r.page.name:30} clean_html {r.ours.f1:.3f}  trafilatura "
                  f"{r.trafilatura.f1:.3f}  ({r.gap:+.3f}, body: {r.how})\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", choices=SETS, help="only the pages of this gold set")
    parser.add_argument("--pages", action="store_true", help="also list every page")
    args = parser.parse_args(argv)
    try:
        results = evaluate(args.source)
    except FileNotFoundError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 2
    report(results, every_page=args.pages)
    return 0


if __name__ == "__main__":
    sys.exit(main())
