"""``make bench``: extraction speed of clean_html against trafilatura.extract.

Both get the same decoded text, alternated page by page in one warm process; the
figure is the median over rounds of pages per second. Prints a Markdown table and
writes it to results/bench.md (git ignores results/).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import trafilatura

from bench.corpus import all_pages, corpus_dir
from cleaners import clean_html
from cleaners.decode import decode_bytes

ROUNDS = 3


def _time(fn, pages: list[tuple[str, str | None]]) -> float:
    start = time.perf_counter()
    for html, url in pages:
        fn(html, url)
    return time.perf_counter() - start


def main() -> int:
    root = corpus_dir()
    if root is None:
        print("Error: ../shared/corpus not found", file=sys.stderr)
        return 2
    pages = [(decode_bytes(path.read_bytes(), source=name)[0], url)
             for name, path, url in all_pages(root)]
    tools = {
        "zhengwen clean_html": lambda html, url: clean_html(html, url),
        "trafilatura.extract": lambda html, url: trafilatura.extract(html, url=url),
    }
    for fn in tools.values():  # warm-up
        _time(fn, pages[:5])
    rates: dict[str, list[float]] = {name: [] for name in tools}
    for _ in range(ROUNDS):
        for name, fn in tools.items():
            rates[name].append(len(pages) / _time(fn, pages))
    lines = [f"{len(pages)} corpus pages, {ROUNDS} rounds, one core, Python {sys.version.split()[0]}",
             "", "| tool | pages/s (median) |", "|---|---|"]
    for name, values in rates.items():
        lines.append(f"| {name} | {statistics.median(values):.1f} |")
    ratio = statistics.median(rates["zhengwen clean_html"]) / statistics.median(
        rates["trafilatura.extract"])
    lines += ["", f"zhengwen ÷ trafilatura pages/s: {ratio:.2f}"]
    report = "\n".join(lines) + "\n"
    print(report)
    out = Path("results")
    out.mkdir(exist_ok=True)
    (out / "bench.md").write_text(report, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
