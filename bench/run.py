"""``make bench``: zhengwen against its peers on the same inputs, in one run.

Writes results/bench.md (tables, the commands, the machine), results/bench.json
and PNG charts into results/ (git ignores it). Informs; never gates CI.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from collections import Counter
from datetime import datetime
from functools import cache
from pathlib import Path

from bench.archive_size import chinese_pages, stored_bytes
from bench.charts import bar_chart, line_chart
from bench.corpus import all_pages, corpus_dir
from bench.crawling import Site, frontier_memory, profile_crawl, run_scrapy, run_zhengwen
from bench.extraction import measure_memory, run_extraction
from bench.offline import loopback_only
from bench.pages import load_pages
from bench.peers import load_tools
from bench.pgcrawl import PgRun, postgres, run_workers, to_json
from bench.profiling import CLEAN_STAGES, profile_stages
from bench.scale import ScaleResult, ScaleRun, scale_runs
from bench.template_eval import cost_section
from bench.throughput import clean_directory, dump_throughput
from cleaners import clean_html

OUT = Path("results")
SECTIONS = ("extraction", "clean_profile", "throughput", "scale", "templates", "archive-size",
            "crawl", "pg-crawl", "pg-frontier")


def _table(header: list[str], rows: list[list[object]]) -> list[str]:
    fmt = [f"| {' | '.join(header)} |", f"|{'---|' * len(header)}"]
    return fmt + [f"| {' | '.join(str(c) for c in row)} |" for row in rows]


def _shares(rows: list[tuple[str, float]]) -> list[list[object]]:
    total = rows[-1][1] or 1.0
    return [[label, f"{ms:.2f}", f"{ms / total:.0%}"] for label, ms in rows]


def extraction_section(pages, rounds: int, memory: bool) -> tuple[list[str], dict]:  # type: ignore[no-untyped-def]
    tools, missing = load_tools()
    results = run_extraction(tools, pages, rounds)
    if memory:
        for name, result in results.items():
            result.peak_mb = measure_memory(name)
    scored = sum(p.scored for p in pages)
    rows = []
    for r in results.values():
        meta = [f"{h}/{n}" for h, n in (r.meta_accuracy(k) for k in ("title", "date", "author"))]
        rows.append([r.name, f"{r.mean_f1:.3f}", f"{r.median_f1:.3f}", f"{r.share_090:.0%}",
                     *meta, f"{r.pages_per_s:.1f}",
                     f"{r.peak_mb:.0f}" if r.peak_mb else "-"])
    ours = results["zhengwen"]
    peers = [r for n, r in results.items() if n != "zhengwen"]
    best = max(peers, key=lambda r: r.mean_f1)
    ratio = ours.pages_per_s / results["trafilatura"].pages_per_s
    lines = [f"## Extraction ({len(pages)} pages: the corpus and the fixtures; {scored} with gold; "
             f"{rounds} rounds, tools alternated page by page, one core)", ""]
    lines += _table(["tool", "mean F1", "median F1", "F1 ≥ 0.9", "title", "date", "author",
                     "pages/s", "peak RSS MB"], rows)
    lines += ["", f"**zhengwen pages/s ÷ trafilatura pages/s: {ratio:.2f}**  ",
              f"**zhengwen F1 − best peer F1 ({best.name}): {ours.mean_f1 - best.mean_f1:+.3f}**", ""]
    for name, why in missing.items():
        lines.append(f"- {name}: {why}")
    data = {"ratio_vs_trafilatura": ratio, "f1_minus_best_peer": ours.mean_f1 - best.mean_f1,
            "best_peer": best.name,
            "tools": {r.name: {"mean_f1": r.mean_f1, "median_f1": r.median_f1,
                               "share_f1_090": r.share_090, "pages_per_s": r.pages_per_s,
                               "rates": r.rates, "peak_mb": r.peak_mb, "errors": r.errors,
                               "meta": {k: r.meta_accuracy(k) for k in ("title", "date", "author")}}
                      for r in results.values()}}
    names = list(results)
    bar_chart(OUT / "f1.png", "Mean character 4-gram F1 (gold pages)", names,
              [results[n].mean_f1 for n in names], "F1")
    bar_chart(OUT / "extract_speed.png", "Extraction speed, one core", names,
              [results[n].pages_per_s for n in names], "pages/s", log=True)
    return lines, data


def clean_profile_section(pages) -> tuple[list[str], dict]:  # type: ignore[no-untyped-def]
    def run() -> int:
        for page in pages:
            clean_html(page.html, page.url)
        return len(pages)

    rows = profile_stages(run, CLEAN_STAGES)
    lines = ["## Where clean_html spends its time (cProfile, CPU ms per page; the profiler "
             "adds overhead, so read the shares)", ""]
    lines += _table(["stage", "ms/page", "share"], _shares(rows))
    return lines + [""], dict(rows)


def throughput_section(pages, corpus: Path | None) -> tuple[list[str], dict]:  # type: ignore[no-untyped-def]
    mbps, mb, count = dump_throughput(pages)
    files = ([p for _, p, _ in all_pages(corpus)] if corpus else
             sorted(Path("fixtures/pages").glob("*.html")))
    runs = clean_directory(files, 1000, (1, os.cpu_count() or 2))
    speedup = runs[1].pages_per_s / runs[0].pages_per_s
    lines = ["## Throughput", "",
             f"- clean_text on {count} full-page text dumps ({mb:.2f} MB): **{mbps:.2f} MB/s** "
             "(one core, median of 3)",
             *(f"- `zhengwen clean DIR --jobs {r.jobs}` over {r.pages} pages: **{r.pages_per_s:.1f} "
               f"pages/s** ({r.seconds:.1f} s)" for r in runs),
             f"- speed-up of {runs[1].jobs} workers over one: **{speedup:.2f}×**", ""]
    return lines, {"dump_mb_per_s": mbps, "dir_pages_per_s": {r.jobs: r.pages_per_s for r in runs},
                   "speedup": speedup}


def scale_section(corpus: Path | None, count: int) -> tuple[list[str], dict]:
    files = ([p for _, p, _ in all_pages(corpus)] if corpus else
             sorted(Path("fixtures/pages").glob("*.html")))
    result = scale_runs(files, count, (1, 2))
    rows = [[r.workers, f"`{r.command}`", f"{r.seconds:.1f}", f"{r.pages_per_s:.1f}",
             f"{r.startup_s:.1f} / {r.startup_cpu_s:.1f}", f"{r.steady_pages_per_s:.1f}" if r.steady_pages_per_s else "–",
             f"{r.cpu_ms_per_page:.1f}",
             f"{r.records:,}", r.empty, sum(r.failed.values()), r.load.split(",")[0]]
            for r in result.runs]
    lines = [f"## Cleaning at scale ({count:,} pages: {result.distinct} distinct corpus pages "
             "cycled, the same folder for every run; load average before "
             f"{result.load[0]}, after {result.load[1]})", "",
             "Start-up is the same command on one page (wall / CPU seconds); the pages/s after "
             "start-up and the CPU per page (every process of the command, workers and "
             "forkservers included) have it taken off.", ""]
    lines += _table(["workers", "command", "wall s", "pages/s", "start-up s wall / CPU",
                     "pages/s after start-up", "CPU ms/page", "records", "empty", "failed",
                     "load at start"], rows)
    pipelines = [r for r in result.runs if r.step_ms is not None]
    bare = sum(result.bare_ms) / 2
    lines += ["", f"`clean_html` alone on the same {count:,} pages (one warm process, median "
              f"of 3 per page): **{bare:.1f} ms/page** ({result.bare_ms[0]:.1f} before the runs, "
              f"{result.bare_ms[1]:.1f} after). The datatrove step's own time per document "
              "(the stage's stats.json: the sandbox round trip, cleaning included) and the "
              "writer's:", ""]
    lines += _table(["workers", "CleanStep ms/doc", "overhead over clean_html ms/doc",
                     "JsonlWriter ms/doc", "CPU ms/page, pipeline − clean"],
                    [[r.workers, f"{r.step_ms:.1f}", f"{(r.step_ms or 0) - bare:+.1f}",
                      f"{r.writer_ms or 0:.2f}",
                      f"{r.cpu_ms_per_page - _clean_run(result, r.workers).cpu_ms_per_page:+.1f}"]
                     for r in pipelines])
    failures = Counter[str]()
    for run in result.runs:
        failures.update(run.failed)
    lines += ["", f"Records: text identical in every run for **{result.same_text:,} of "
              f"{count:,}** pages; failures: "
              + (", ".join(f"{k} ×{v}" for k, v in failures.items()) or "none") + "."]
    if not all(r.whole_tree for r in result.runs):
        lines.append("CPU is missing for processes that outlived the command (no subreaper).")
    data = {"pages": count, "bare_clean_ms": result.bare_ms, "same_text": result.same_text,
            "load": result.load,
            "runs": [{k: v for k, v in vars(r).items() if k != "texts"} for r in result.runs]}
    return lines + [""], data


def _clean_run(result: ScaleResult, workers: int) -> ScaleRun:
    return next(r for r in result.runs if r.workers == workers and r.step_ms is None)


def crawl_section(hosts: int, per_host: int, clean_per_host: int, frontier_max: int
                  ) -> tuple[list[str], dict]:
    with Site(hosts, per_host, 8700) as site:
        runs = [run_zhengwen(site, hosts, per_host, clean=False), run_scrapy(site, hosts, per_host),
                run_zhengwen(site, hosts, clean_per_host, clean=True)]
        stages = profile_crawl(site, 10, 40)
    memory = frontier_memory(frontier_max)
    ratio = runs[0].pages_per_s / runs[1].pages_per_s
    rows = [[r.tool, r.articles, r.requests, f"{r.seconds:.1f}", f"{r.pages_per_s:.0f}",
             f"{r.cpu_ms_per_page:.2f}", f"{r.peak_mb:.0f}"] for r in runs]
    lines = [f"## Crawling ({hosts} hosts on 127.0.0.2 … 127.0.0.{hosts + 1}, no politeness delay, "
             "8 requests in flight, one per host, robots.txt obeyed; the site runs in its own "
             "process)", ""]
    lines += _table(["job", "articles stored", "requests", "seconds", "articles/s",
                     "CPU ms/article", "peak RSS MB"], rows)
    lines += ["", f"**zhengwen ÷ Scrapy, fetch-only articles/s: {ratio:.2f}**", "",
              "Where a crawl with cleaning spends its CPU (10 hosts × 40 articles, cProfile):", ""]
    lines += _table(["stage", "ms/article", "share"], _shares(stages))
    lines += ["", "Frontier growth (Frontier.add in transactions of 500 URLs; "
              "a lease of 1000 URLs at each checkpoint; seconds of adding):", ""]
    lines += _table(["URLs", "peak RSS MB", "database MB", "seconds"],
                    [[f"{m['urls']:,}", m["peak_rss_mb"], m["db_mb"], m["seconds"]] for m in memory])
    bar_chart(OUT / "crawl.png", "Crawl throughput on the generated site",
              [r.tool for r in runs], [r.pages_per_s for r in runs], "articles/s")
    line_chart(OUT / "frontier.png", "Peak RSS while the frontier grows",
               [m["urls"] for m in memory], [m["peak_rss_mb"] for m in memory], "URLs", "MB")
    return lines + [""], {"runs": [r.__dict__ for r in runs], "ratio_vs_scrapy": ratio,
                          "stages": dict(stages), "frontier": memory}


_PG_HEADER = ["workers × archive", "mode", "articles stored",
              "requests served (articles / list pages / robots.txt)",
              "failed fetches", "duplicate fetches or versions", "overlapping requests to a host",
              "min gap ms", "seconds", "articles/s", "CPU s, workers", "CPU s, PostgreSQL", "CPU ms/article",
              "peak RSS MB (largest worker)", "archive MB (KB per article)"]


def _pg_rows(runs: list[PgRun]) -> list[list[object]]:
    return [[r.label, "clean" if r.clean else "fetch only", f"{r.stored:,}",
             f"{r.requests:,} ({r.article_requests:,} / {r.list_requests} / {r.robots_requests})",
             r.failed, r.duplicate_fetches + r.stored_rows - r.stored, r.overlaps,
             "-" if r.min_gap_ms == float("inf") else f"{r.min_gap_ms:.1f}",
             f"{r.seconds:.1f}", f"{r.pages_per_s:.0f}", f"{r.cpu_s:.1f}",
             f"{r.server_cpu_s:.1f}" if r.engine == "postgresql" else "-",
             f"{1000 * (r.cpu_s + r.server_cpu_s) / max(r.stored, 1):.2f}", f"{r.peak_mb:.0f}",
             f"{r.archive_bytes / 1e6:.1f} ({r.archive_bytes / max(r.stored, 1) / 1e3:.1f})"]
            for r in runs]


def pg_crawl_section(hosts: int, per_host: int, clean_per_host: int,
                     polite: tuple[int, int, float]) -> tuple[list[str], dict]:
    title = "## Crawling with several workers on PostgreSQL"
    with postgres() as (server, why):
        if server is None:
            print(f"bench: pg-crawl SKIPPED: PostgreSQL could not start: {why}", file=sys.stderr)
            return [title, "", f"**Skipped: PostgreSQL could not start: {why}**", ""], \
                {"skipped": why}

        def fresh() -> str:
            return server.url(server.create_database())  # type: ignore[attr-defined]

        runs: list[PgRun] = []
        with Site(hosts, per_host, 8701) as site, tempfile.TemporaryDirectory() as tmp:
            for clean, pages in ((False, per_host), (True, clean_per_host)):
                mode = "clean" if clean else "fetch-only"
                runs.append(run_workers(site, str(Path(tmp) / f"{mode}.sqlite"), 1, hosts, pages,
                                        clean=clean))
                for workers in (1, 2, 4):
                    runs.append(run_workers(site, fresh(), workers, hosts, pages, clean=clean,
                                            postmaster=server.pid))  # type: ignore[attr-defined]
                    print(f"bench: pg-crawl {mode} {workers} workers: "
                          f"{runs[-1].pages_per_s:.0f} articles/s", file=sys.stderr, flush=True)
            polite_hosts, polite_pages, delay = polite
            runs.append(run_workers(site, fresh(), 4, polite_hosts, polite_pages, clean=False,
                                    delay_s=delay, postmaster=server.pid))  # type: ignore[attr-defined]
    base = runs[0].pages_per_s
    lines = [f"{title} ({hosts} hosts × {per_host} articles fetch-only, × {clean_per_host} "
             "with cleaning; separate `zhengwen crawl --force` processes started together on one "
             "sources file and one archive, each 8 requests in flight; the site's request log "
             "checks the sharing)", ""]
    lines += _table(_PG_HEADER, _pg_rows(runs[:-1]))
    lines += ["", f"Politeness with a delay: {runs[-1].workers} workers, {polite_hosts} hosts × "
              f"{polite_pages} articles, delay_s = {delay}:", ""]
    lines += _table(_PG_HEADER, _pg_rows(runs[-1:]))
    lines += ["", "**PostgreSQL 1 / 2 / 4 workers ÷ SQLite 1 worker, fetch-only articles/s: "
              + " / ".join(f"{r.pages_per_s / base:.2f}" for r in runs[1:4]) + "**", ""]
    lines += [f"- {r.label} ({'clean' if r.clean else 'fetch only'}): {e}"
              for r in runs for e in r.errors]
    return lines + [""], {"runs": [to_json(r) for r in runs]}


def pg_frontier_section(total: int) -> tuple[list[str], dict]:
    title = f"## Frontier at {total:,} URLs, PostgreSQL and SQLite"
    with postgres() as (server, why):
        if server is None:
            print(f"bench: pg-frontier SKIPPED: PostgreSQL could not start: {why}",
                  file=sys.stderr)
            return [title, "", f"**Skipped: PostgreSQL could not start: {why}**", ""], \
                {"skipped": why}
        url = server.url(server.create_database())  # type: ignore[attr-defined]
        rows = frontier_memory(total, url) + frontier_memory(total)
    lines = [title + " (Frontier.add in transactions of 500 URLs; at each checkpoint a lease "
             "of 1000 URLs by Frontier.lease, as a crawl worker takes them)", ""]
    lines += _table(["engine", "URLs", "seconds adding", "lease of 1000, ms", "peak RSS MB",
                     "database MB", "urls table + indexes MB"],
                    [[m["engine"], f"{m['urls']:,}", m["seconds"], m["lease_ms"],
                      m["peak_rss_mb"], m["db_mb"], m.get("urls_mb", "-")] for m in rows])
    return lines + [""], {"checkpoints": rows}


def archive_size_section(corpus: Path) -> tuple[list[str], dict]:
    pages = chinese_pages(corpus)
    with tempfile.TemporaryDirectory() as tmp, postgres() as (server, why):
        sizes = {"sqlite": stored_bytes(lambda kind: Path(tmp) / f"{kind}.sqlite", pages)}
        if server is not None:
            sizes["postgresql"] = stored_bytes(
                lambda kind: server.url(server.create_database()), pages)  # type: ignore[attr-defined]
    first = next(iter(sizes.values()))
    lines = [f"## Archive bytes per page ({first['pages']:.0f} Chinese corpus pages, mean "
             f"{first['html'] / 1e3:.1f} KB of HTML, {first['body'] / 1e3:.1f} KB "
             f"zlib-compressed, {first['text'] / 1e3:.1f} KB of cleaned text, cleaned in "
             f"{first['clean_ms']:.1f} CPU ms each; stored as a crawl stores them, the "
             "archive's growth divided by the pages)", ""]
    lines += _table(["engine", "KB per raw response (fetch only)",
                     "KB per article version (cleaned, its response included)"],
                    [[engine, f"{m['response'] / 1e3:.1f}", f"{m['article'] / 1e3:.1f}"]
                     for engine, m in sizes.items()])
    if server is None:
        lines += ["", f"PostgreSQL skipped: it could not start: {why}"]
    return lines + [""], sizes


def _sections(value: str) -> list[str]:
    names = [n.strip() for n in value.split(",") if n.strip()]
    unknown = [n for n in names if n not in SECTIONS]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"unknown section {', '.join(unknown) or value!r} (choose from {', '.join(SECTIONS)})")
    return names


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1 round, smaller crawl (a smoke run)")
    parser.add_argument("--skip-crawl", action="store_true")
    parser.add_argument("--only", type=_sections, metavar="SECTION[,SECTION]",
                        help=f"run these sections only ({', '.join(SECTIONS)}); the report "
                        "goes to results/bench-SECTION.md and .json")
    parser.add_argument("--scale-pages", type=int, metavar="N",
                        help="pages for the scale section (default 10,000; 1,000 with --quick)")
    args = parser.parse_args(argv if argv is not None else sys.argv[1:])
    loopback_only()
    OUT.mkdir(exist_ok=True)
    corpus = corpus_dir()
    if corpus is None:
        print("note: ../shared/corpus not found; extraction runs on the fixtures only",
              file=sys.stderr)
    crawls = ("crawl", "pg-crawl", "pg-frontier")
    wanted = args.only or [s for s in SECTIONS if not (s in crawls and args.skip_crawl)
                           and not (s in ("templates", "archive-size") and corpus is None)]
    pages = cache(lambda: load_pages(corpus))
    scale_pages = args.scale_pages or (1000 if args.quick else 10_000)
    sizes = (10, 40, 20, 100_000) if args.quick else (50, 200, 40, 1_000_000)
    pg_sizes = (10, 40, 20, (4, 10, 0.25)) if args.quick else (50, 200, 40, (10, 20, 0.25))
    sections = {
        "extraction": lambda: extraction_section(pages(), 1 if args.quick else 3, not args.quick),
        "clean_profile": lambda: clean_profile_section(pages()),
        "throughput": lambda: throughput_section(pages(), corpus),
        "scale": lambda: scale_section(corpus, scale_pages),
        "templates": lambda: cost_section(corpus) if corpus else ([], {}),
        "archive-size": lambda: archive_size_section(corpus) if corpus else ([], {}),
        "crawl": lambda: crawl_section(*sizes),
        "pg-crawl": lambda: pg_crawl_section(*pg_sizes),
        "pg-frontier": lambda: pg_frontier_section(sizes[-1]),
    }
    started = time.time()
    command = " ".join(["python -m bench.run", *(argv if argv is not None else sys.argv[1:])])
    lines = ["# zhengwen benchmark", "",
             f"{datetime.now():%Y-%m-%d %H:%M}, {os.cpu_count()} cores, "
             f"Python {platform.python_version()}, {platform.machine()}, "
             f"command: `{command.strip()}`", ""]
    data: dict[str, object] = {}
    for key in wanted:
        print(f"bench: {key} …", file=sys.stderr, flush=True)
        part, data[key] = sections[key]()
        lines += part
    lines.append(f"Run time: {time.time() - started:.0f} s. Charts: "
                 + ", ".join(sorted(p.name for p in OUT.glob("*.png"))))
    report = "\n".join(lines) + "\n"
    stem = f"bench-{'-'.join(args.only)}" if args.only else "bench"
    (OUT / f"{stem}.md").write_text(report, encoding="utf-8")
    (OUT / f"{stem}.json").write_text(json.dumps(data, indent=2, default=str), encoding="utf-8")
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
