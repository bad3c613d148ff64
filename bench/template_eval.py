"""``make eval`` (second part): site templates on the corpus, and full-page dumps.

Two scores, per gold set:

* dumps: every gold page's full-page dump (all visible text, one block a line)
  cleaned by ``clean_text`` page by page, without templates: mean F1, share of
  pages at F1 >= 0.9 and pages at 0;
* sites: the corpus hosts with 3 or more pages (the URL's host, else the page's
  folder, as GNE keeps a site's pages under ``tests/<site>/``). A template is
  learned from all pages of the host, then each page with gold is scored with and
  without it, as a dump and as HTML.

``--timing`` adds the cost of learning and applying templates per page (also a
``make bench`` section).
"""

from __future__ import annotations

import argparse
import csv
import json
import statistics
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from bench.corpus import corpus_dir
from bench.eval import full_page_dump
from bench.score import ngram_score
from cleaners import SiteTemplate, clean_html, clean_text
from cleaners.decode import decode_bytes

__all__ = ["SitePage", "cost_section", "main", "site_pages"]

_MIN_SITE_PAGES = 3
_GOOD_F1 = 0.9


@dataclass(frozen=True)
class SitePage:
    """One corpus page with its group, decoded HTML, dump and gold (if any)."""

    name: str
    source: str
    site: str
    url: str | None
    html: str
    gold: str | None

    @property
    def dump(self) -> str:
        return full_page_dump(self.html)


def _gold(root: Path, row: dict[str, str], aeb: dict[str, dict]) -> str | None:
    path = Path(row["file"])
    if row["source"] in ("magic-html", "magic-html-other"):
        gold = root / "raw" / row["source"] / "gold" / f"{path.stem}.json"
        return json.loads(gold.read_text(encoding="utf-8"))["content"] if gold.is_file() else None
    if row["source"] == "aeb":
        return (aeb.get(path.stem) or {}).get("articleBody")
    return None


def _site(row: dict[str, str]) -> str:
    host = urlsplit(row["url"]).hostname if row.get("url") else None
    return host or str(Path(row["file"]).parent)


def site_pages(root: Path, *, min_pages: int = 1) -> list[SitePage]:
    """The manifest's pages with their site; only sites with ``min_pages`` or more."""
    with (root / "manifest.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    truth = root / "raw" / "aeb" / "ground-truth.json"
    aeb = json.loads(truth.read_text(encoding="utf-8")) if truth.is_file() else {}
    by_site: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        by_site[_site(row)].append(row)
    pages = []
    for site, group in sorted(by_site.items()):
        if len(group) < min_pages:
            continue
        for row in group:
            html, _ = decode_bytes((root / row["file"]).read_bytes(), source=row["file"])
            pages.append(SitePage(row["file"], row["source"], site, row.get("url") or None,
                                  html, _gold(root, row, aeb)))
    return pages


def _summary(label: str, scores: list[float]) -> str:
    if not scores:
        return f"{label}: no pages"
    good = sum(s >= _GOOD_F1 for s in scores) / len(scores)
    return (f"{label}: {len(scores)} pages, mean F1 {statistics.fmean(scores):.3f}, "
            f">= {_GOOD_F1}: {good:.0%}, at 0: {sum(s == 0 for s in scores)}")


def report_dumps(pages: list[SitePage], out=sys.stdout) -> None:
    """Full-page dumps of every gold page, cleaned page by page without templates."""
    by_source: dict[str, list[float]] = defaultdict(list)
    for page in pages:
        if page.gold is not None:
            f1 = ngram_score(clean_text(page.dump, page.url).text, page.gold).f1
            by_source[page.source].append(f1)
    out.write("Full-page dumps, page by page (clean_text, no template)\n")
    for source, scores in sorted(by_source.items()):
        out.write("  " + _summary(source, scores) + "\n")


def report_sites(pages: list[SitePage], out=sys.stdout) -> None:
    """Per host with 3+ pages: dumps and HTML with and without the host's template."""
    groups: dict[str, list[SitePage]] = defaultdict(list)
    for page in pages:
        groups[page.site].append(page)
    rows: dict[tuple[str, str], list[float]] = defaultdict(list)
    out.write(f"\nSite templates ({len(groups)} hosts with {_MIN_SITE_PAGES}+ pages; the "
              "template is learned from all pages of the host)\n")
    for site, group in sorted(groups.items()):
        dumps = [p.dump for p in group]
        text_template = SiteTemplate.learn(site, dumps)
        html_template = SiteTemplate.learn(site, [p.html for p in group])
        for page, dump in zip(group, dumps, strict=True):
            if page.gold is None:
                continue
            lang = "zh" if page.source == "magic-html" else "other"
            articles = {"dump": clean_text(dump, page.url),
                        "dump+template": clean_text(dump, page.url, template=text_template),
                        "html": clean_html(page.html, page.url),
                        "html+template": clean_html(page.html, page.url, template=html_template)}
            for key, article in articles.items():
                rows[(lang, key)].append(ngram_score(article.text, page.gold).f1)
        out.write(f"  {site}: {len(group)} pages, {sum(p.gold is not None for p in group)} "
                  f"with gold, {len(text_template.learned())} recurring lines\n")
    for lang, key in sorted(rows, key=lambda k: (k[0] != "zh", k[1])):
        label = "Chinese" if lang == "zh" else "non-Chinese"
        out.write("  " + _summary(f"{label} {key}", rows[(lang, key)]) + "\n")


def cost_section(root: Path) -> tuple[list[str], dict]:
    """For ``make bench``: milliseconds per page to learn templates and to apply them."""
    pages = [p for p in site_pages(root) if p.gold is not None or p.source == "gne"]
    groups: dict[str, list[SitePage]] = defaultdict(list)
    for page in pages:
        groups[page.site].append(page)
    groups = {s: g for s, g in groups.items() if len(g) >= _MIN_SITE_PAGES}
    timings = {"learn": 0.0, "clean": 0.0, "clean+template": 0.0}
    count = 0
    for site, group in groups.items():
        started = time.perf_counter()
        template = SiteTemplate.learn(site, [p.html for p in group])
        timings["learn"] += time.perf_counter() - started
        for page in group:
            started = time.perf_counter()
            clean_html(page.html, page.url)
            middle = time.perf_counter()
            clean_html(page.html, page.url, template=template)
            timings["clean"] += middle - started
            timings["clean+template"] += time.perf_counter() - middle
            count += 1
    per_page = {k: 1000 * v / max(count, 1) for k, v in timings.items()}
    lines = [f"## Site templates ({count} HTML pages of {len(groups)} hosts)", "",
             "| step | ms/page |", "|---|---|",
             *(f"| {k} | {v:.1f} |" for k, v in per_page.items()), ""]
    return lines, per_page


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timing", action="store_true", help="report the cost per page")
    args = parser.parse_args(argv)
    root = corpus_dir()
    if root is None:
        print("Error: ../shared/corpus not found (set ZHENGWEN_CORPUS)", file=sys.stderr)
        return 2
    pages = site_pages(root)
    report_dumps(pages)
    sites = {p.site for p in pages}
    counts = {s: sum(p.site == s for p in pages) for s in sites}
    report_sites([p for p in pages if counts[p.site] >= _MIN_SITE_PAGES])
    if args.timing:
        print("\n".join(cost_section(root)[0]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
