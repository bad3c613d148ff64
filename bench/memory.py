"""``python -m bench.memory TOOL``: peak RSS of one extractor over every bench page,
in a process of its own so that tools do not share a high-water mark."""

from __future__ import annotations

import contextlib
import json
import sys

from bench.corpus import corpus_dir
from bench.offline import loopback_only
from bench.pages import load_pages
from bench.peers import load_tools
from bench.rss import peak_rss_mb


def main(tool: str) -> int:
    loopback_only()
    pages = load_pages(corpus_dir())
    tools, missing = load_tools([tool])
    if tool not in tools:
        print(missing.get(tool, f"unknown tool {tool}"), file=sys.stderr)
        return 2
    for page in pages:
        with contextlib.suppress(Exception):  # as in the timed run: a failing page is skipped
            tools[tool].run(page.html, page.url)
    peak = round(peak_rss_mb() or 0.0, 1)
    print(json.dumps({"tool": tool, "pages": len(pages), "peak_mb": peak}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
