"""The ``zhengwen`` command: one group, a subcommand per job."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import inspect
import json
import logging
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import click
from click.core import ParameterSource
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from cleaners import CleanerError, RuleSet, default_rules, load_rules
from cleaners.cli import clean_command
from cleaners.formats import to_markdown
from cleaners.isolation import IsolatedCleaner

from .catalog import datasette_metadata
from .crawl import crawl
from .database import is_postgres_url, redact
from .demo_site import DemoSite
from .display import health_table, live_progress, summary
from .errors import ScraperError
from .explain import explain_target, load_target
from .export import FORMATS, export_articles, export_warc
from .health import SourceHealth
from .logs import err_console, logging_options, setup_logging
from .pipeline.command import pipeline_command
from .reclean import reclean
from .record import SourceRecording, record
from .replay import replay_crawl
from .report import write_report
from .reprints import dedupe
from .schedule import install_stop_handlers, run_schedule
from .search import MARK_END, MARK_START, search
from .settings import Settings
from .sources import Source, in_shard, load_config, source_rules
from .stats import EXIT_DRIFT, Stats
from .store import DEFAULT_DB, Archive
from .transfer import transfer
from .trial import clean_urls, print_trial, try_source, write_articles

__all__ = ["cli", "main"]

_err = err_console
log = logging.getLogger("scraper.cli")


def _pick(sources: list[Source], ids: tuple[str, ...],
          shard: tuple[int, int] | None = None) -> list[Source]:
    known = {s.id: s for s in sources}
    unknown = [i for i in ids if i not in known]
    if unknown:
        raise click.BadParameter(f"unknown source {', '.join(unknown)}; the file has "
                                 f"{', '.join(known)}", param_hint="--source")
    picked = [known[i] for i in ids] if ids else sources
    return [s for s in picked if in_shard(s.id, *shard)] if shard else picked


def _shard(_ctx: click.Context, _param: click.Parameter, value: str | None
           ) -> tuple[int, int] | None:
    if value is None:
        return None
    k, _, n = value.partition("/")
    if not (k.isdigit() and n.isdigit() and 1 <= int(k) <= int(n)):
        raise click.BadParameter(f"{value!r} is not K/N with 1 <= K <= N (e.g. 2/4)")
    return int(k), int(n)


def _rules(paths: tuple[str, ...]) -> RuleSet:
    return load_rules(*paths) if paths else default_rules()


def _rules_by_source(sources_file: str, paths: tuple[str, ...]) -> Callable[[str | None], RuleSet]:
    """Each source's rules (its selectors, then ``paths``, then the defaults), as a crawl
    cleans with them; the sources file is optional."""
    base = _rules(paths)
    sources = {s.id: s for s in load_config(sources_file)[1]} if Path(sources_file).is_file() else {}
    built: dict[str | None, RuleSet] = {}

    def rules_for(source_id: str | None) -> RuleSet:
        if source_id not in built:
            source = sources.get(source_id or "")
            built[source_id] = source_rules(source, base) if source else base
        return built[source_id]
    return rules_for


def _need_archive(db: str) -> None:
    """A reading command needs an archive: a SQLite file that exists, or a URL."""
    if not (is_postgres_url(db) or Path(db).is_file()):
        raise ScraperError(f"{db}: no archive here (crawl first, or pass --db)")


sources_option = click.option("--sources", "sources_file", default="sources.toml", show_default=True,
                              type=click.Path(dir_okay=False), help="Sources file (TOML).")
db_option = click.option("--db", default=DEFAULT_DB, show_default=True,
                         type=click.Path(dir_okay=False),
                         help="Archive: a SQLite file, or a postgresql:// URL shared by many workers.")
source_option = click.option("--source", "source_ids", multiple=True, metavar="ID",
                             help="Only this source (repeatable).")
shard_option = click.option(
    "--shard", callback=_shard, metavar="K/N",
    help="Only the sources of shard K of N, by a stable hash of their id (one archive per shard).")
rules_option = click.option("--rules", "rule_files", multiple=True, type=click.Path(dir_okay=False),
                            help="Extra rules file, before the built-in rules (repeatable).")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="zhengwen")
def cli() -> None:
    """zhengwen: crawl Chinese government and news sites and clean their articles."""


class _CleanCommand(click.Command):
    """``clean`` of the cleaners, extended here (cleaners never import the scraper):
    http(s) arguments are fetched politely and cleaned."""

    def invoke(self, ctx: click.Context) -> None:
        paths = ctx.params.get("paths", ())
        allow_private = ctx.params.pop("allow_private_hosts", False)
        urls = [p for p in paths if p.startswith(("http://", "https://"))]
        if not urls:
            clean_command.invoke(ctx)
            return
        if len(urls) != len(paths):
            raise click.UsageError("give URLs or paths, not both")
        setup_logging()
        rules = load_rules(*ctx.params.get("rule_files", ()))
        settings = Settings(allow_private_hosts=allow_private)
        results = asyncio.run(clean_urls(urls, settings, rules=rules))
        with click.open_file(ctx.params.get("output") or "-", "w", encoding="utf-8") as out:
            write_articles([(u, a) for u, a, _ in results if a is not None], out,
                           ctx.params.get("fmt") or "jsonl")
        errors = [e for _, _, e in results if e]
        for error in errors:
            click.echo(f"Error: {error}", err=True)
        if errors:
            raise SystemExit(1)


_ALLOW_PRIVATE = click.Option(
    ["--allow-private-hosts"], is_flag=True,
    help="With URLs: let fetches reach private and loopback addresses (a site on your own "
         "network); cloud metadata addresses stay refused.")

cli.add_command(_CleanCommand(
    name="clean", params=[*clean_command.params, _ALLOW_PRIVATE], callback=clean_command.callback,
    help=inspect.cleandoc(clean_command.help or "") + "\n\nhttp(s) URLs instead of PATHS are fetched politely "
    "(robots.txt, the crawler's fetcher) and cleaned; nothing is stored.",
    short_help=clean_command.short_help))
cli.add_command(pipeline_command)


@cli.group("sources")
def sources_group() -> None:
    """Work with sources files."""


@sources_group.command("check")
@click.argument("file", type=click.Path(dir_okay=False))
def sources_check(file: str) -> None:
    """Validate a sources FILE; every mistake is named with its line."""
    _, sources = load_config(file)
    click.echo(f"{file}: {len(sources)} sources OK "
               f"({', '.join(s.id for s in sources)})")


@sources_group.command("try")
@click.argument("source_id", metavar="ID")
@sources_option
@rules_option
@click.option("--limit", default=3, show_default=True, type=click.IntRange(min=1),
              help="Articles fetched and cleaned.")
@logging_options
def sources_try(source_id: str, sources_file: str, rule_files: tuple[str, ...], limit: int,
                quiet: bool) -> None:
    """Fetch one source's list pages, sitemaps and feeds; print the pages followed, the
    article URLs found and the first articles cleaned. Writes nothing to the archive."""
    settings, sources = load_config(sources_file)
    [source] = _pick(sources, (source_id,))
    trial = asyncio.run(try_source(source, settings, limit=limit, rules=_rules(rule_files)))
    print_trial(trial, sys.stdout)
    raise SystemExit(trial.stats.exit_code([source.id]))


@sources_group.command("health")
@db_option
@source_option
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def sources_health(db: str, source_ids: tuple[str, ...], as_json: bool) -> None:
    """Each source's health figures of its newest crawl pass, against its history.

    Exits with 4 when a source is drifting.
    """
    _need_archive(db)
    with Archive(db, lock=False) as archive:
        figures = SourceHealth(archive.conn).latest(source_ids or None)
    if as_json:
        click.echo(json.dumps([dataclasses.asdict(f) for f in figures], indent=2))
    else:  # piped into a log or mail: wide enough for a row per figure
        wide = None if Console().is_terminal else 120
        Console(width=wide).print(health_table(figures))
    if any(f.drifting for f in figures):
        raise SystemExit(EXIT_DRIFT)


async def _crawl_once(sources: list[Source], archive: Archive, settings: Settings, *,
                      stats: Stats, stop: asyncio.Event, rule_files: tuple[str, ...],
                      force: bool, progress: bool, replay: str | None = None) -> Stats:
    ids = [s.id for s in sources]
    live = live_progress(stats, ids, _err) if progress else contextlib.nullcontext()
    with live:
        if replay is not None:
            return await replay_crawl(sources, archive, replay, settings, stats=stats, stop=stop,
                                      rules=_rules(rule_files))
        return await crawl(sources, archive, settings, stats=stats, stop=stop,
                           rules=_rules(rule_files), force=force)


def _report(stats: Stats, sources: list[Source], as_json: bool, title: str) -> None:
    if as_json:
        click.echo(json.dumps(stats.to_dict(), ensure_ascii=False, indent=2))
    else:
        out = Console()
        if not out.is_terminal:  # a log file or a pipe: no wrapping at 80 columns
            out = Console(width=200)
        out.print(summary(stats, [s.id for s in sources], title))


@cli.command("crawl")
@sources_option
@source_option
@db_option
@rules_option
@shard_option
@click.option("--force", is_flag=True, help="Crawl the sources even if their schedule says not yet.")
@click.option("--json", "as_json", is_flag=True, help="Print the stats as JSON.")
@click.option("--progress/--no-progress", default=None, help="Live table (default: on a terminal).")
@click.option("--replay", type=click.Path(exists=True), metavar="DIR",
              help="Crawl a recording (zhengwen record) offline, into a scratch archive "
                   "unless --db is given; an unrecorded URL is an error.")
@logging_options
def crawl_command(sources_file: str, source_ids: tuple[str, ...], db: str,
                  rule_files: tuple[str, ...], shard: tuple[int, int] | None, force: bool,
                  as_json: bool, progress: bool | None, replay: str | None, quiet: bool) -> None:
    """One pass over the sources that are due (for cron or a systemd timer).

    Exit code: 0 all fine; 1 some pages failed; 3 a source failed outright
    (unreachable, robots.txt unreachable, every page failed, or blocked by an
    anti-bot challenge); 4 all went well but a source is drifting (zhengwen sources
    health); 2 a usage or configuration error.
    """
    settings, all_sources = load_config(sources_file)
    sources = _pick(all_sources, source_ids, shard)
    show = _err.is_terminal if progress is None else progress
    scratch = (tempfile.TemporaryDirectory() if replay and click.get_current_context()
               .get_parameter_source("db") is ParameterSource.DEFAULT else None)

    async def run() -> tuple[Stats, bool]:
        stop = asyncio.Event()
        install_stop_handlers(stop)
        with Archive(Path(scratch.name) / "replay.sqlite" if scratch else db,
                     command="crawl") as archive:
            stats = await _crawl_once(sources, archive, settings, stats=Stats(), stop=stop,
                                      rule_files=rule_files, force=force, progress=show,
                                      replay=replay)
        return stats, stop.is_set()

    with scratch or contextlib.nullcontext():
        stats, stopped = asyncio.run(run())
    if as_json or not quiet:
        _report(stats, sources, as_json, "crawl summary" + (" (stopped early)" if stopped else ""))
    raise SystemExit(stats.exit_code([s.id for s in sources]))


@cli.command("schedule")
@sources_option
@source_option
@db_option
@rules_option
@shard_option
@click.option("--json", "as_json", is_flag=True, help="Print each pass's stats as JSON.")
@logging_options
def schedule_command(sources_file: str, source_ids: tuple[str, ...], db: str,
                     rule_files: tuple[str, ...], shard: tuple[int, int] | None, as_json: bool,
                     quiet: bool) -> None:
    """Run until stopped, starting each source by its cron expression.

    SIGINT or SIGTERM abandons the requests in flight and exits cleanly; a second
    signal exits at once.
    """
    settings, all_sources = load_config(sources_file)
    sources = _pick(all_sources, source_ids, shard)
    rules = _rules(rule_files)

    async def run() -> int:
        stop = asyncio.Event()
        install_stop_handlers(stop)
        pool = (IsolatedCleaner(workers=settings.clean_workers, rules=rules,
                                time_limit_s=settings.clean_time_limit_s)
                if settings.clean_pages else contextlib.nullcontext(None))
        with Archive(db, command="schedule") as archive, pool as cleaner:
            async def one_pass(due: list[Source]) -> None:
                stats = await crawl(due, archive, settings, stop=stop, rules=rules, force=True,
                                    cleaner=cleaner, command="schedule")
                for sid in (s.id for s in due):
                    log.info("%s", stats.summary_line(sid))
                if as_json or not quiet:
                    _report(stats, due, as_json, f"pass at {datetime.now():%Y-%m-%d %H:%M:%S}")

            log.info("scheduling %d sources into %s", len(sources), db)
            _err.print(f"scheduling {len(sources)} sources into {db}; Ctrl-C to stop")
            return await run_schedule(sources, archive.last_finished, one_pass, stop)

    passes = asyncio.run(run())
    _err.print(f"stopped after {passes} passes")


@cli.command("record")
@click.argument("targets", nargs=-1, required=True, metavar="SOURCE-ID|URL...")
@sources_option
@rules_option
@click.option("--limit", default=5, show_default=True, type=click.IntRange(min=0),
              help="Articles recorded per source.")
@click.option("-o", "--output", required=True, type=click.Path(file_okay=False),
              help="Folder for the recordings and the article snapshots.")
@logging_options
def record_command(targets: tuple[str, ...], sources_file: str, rule_files: tuple[str, ...],
                   limit: int, output: str, quiet: bool) -> None:
    """Crawl sources (or single pages) politely and save them for offline replay.

    Writes OUTPUT/<source-id>.warc.gz (every response: robots.txt, list pages,
    sitemaps, feeds, the first --limit articles) and, per article, the page and its
    snapshot OUTPUT/<source-id>/<page>.expected.json to review and commit.
    """
    settings, all_sources = (load_config(sources_file) if Path(sources_file).is_file()
                             else (Settings(), []))
    urls = tuple(t for t in targets if t.startswith(("http://", "https://")))
    ids = tuple(t for t in targets if t not in urls)
    sources = _pick(all_sources, ids) if ids else []

    async def run() -> list[SourceRecording]:
        stop = asyncio.Event()
        install_stop_handlers(stop)
        return await record(sources, output, settings, limit=limit, rules=_rules(rule_files),
                            urls=urls, configured=all_sources, stop=stop)

    for rec in asyncio.run(run()):
        errors, skipped = rec.stats.total("fetch/error"), rec.stats.total("fetch/skipped")
        click.echo(f"{rec.source_id}: {rec.responses} responses -> {rec.warc}; "
                   f"{len(rec.pages)} article snapshots -> {rec.warc.parent / rec.source_id}/"
                   + (f"; {errors} fetch errors" if errors else "")
                   + (f"; {skipped} skipped (robots.txt, a challenge)" if skipped else ""))
    click.echo("Review the snapshots, then commit them with the recordings.")


def _since(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date like 2024-10-01 or 2024-10-01T08:00",
                                 param_hint="--since") from None
    return (when if when.tzinfo else when.astimezone()).timestamp()


@cli.command("export")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="jsonl", show_default=True)
@click.option("--source", "source_id", metavar="ID", help="Only this source.")
@click.option("--since", metavar="DATE", help="Only articles archived on or after DATE (ISO 8601).")
@click.option("--all-versions", is_flag=True, help="Every stored version, not only the newest.")
@click.option("--raw", is_flag=True,
              help="With --format warc: also the list pages, sitemaps, feeds and robots.txt.")
@click.option("--dedupe", "dedupe_", is_flag=True, help="One article per reprint cluster (its original).")
@db_option
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Output file (default: stdout).")
def export_command(fmt: str, source_id: str | None, since: str | None, all_versions: bool,
                   raw: bool, dedupe_: bool, db: str, output: str | None) -> None:
    """Write archived articles as JSONL ({text, id, metadata}), CSV, Markdown or WARC."""
    _need_archive(db)
    with Archive(db, readonly=True) as archive:
        known = archive.source_ids()
        if source_id is not None and source_id not in known:
            raise click.BadParameter(f"no source {source_id!r} in {db}; it holds "
                                     f"{', '.join(known) or 'no sources yet'}",
                                     param_hint="--source")
        if fmt == "warc":
            if output is None:
                raise click.UsageError("--format warc writes a binary file; give -o FILE.warc.gz")
            with open(output, "wb") as out:
                count = export_warc(archive, out, source_id=source_id, since=_since(since),
                                    all_versions=all_versions, raw=raw)
        else:
            articles = archive.articles(source_id=source_id, since=_since(since),
                                        all_versions=all_versions)
            if dedupe_:
                articles = dedupe(archive.conn, articles)
            with (open(output, "w", encoding="utf-8", newline="") if output
                  else contextlib.nullcontext(sys.stdout)) as out:
                count = export_articles(articles, out, fmt)
    _err.print(f"exported {count} {'responses' if fmt == 'warc' else 'articles'}"
               + (f" to {output}" if output else ""))


@cli.command("explain")
@click.argument("target", metavar="PAGE|URL|ARCHIVE-ID")
@sources_option
@db_option
@rules_option
@click.option("-o", "--output", type=click.Path(dir_okay=False), default="explain.html",
              show_default=True, help="HTML file to write.")
@click.option("--allow-private-hosts", is_flag=True,
              help="With a URL: let the fetch reach private and loopback addresses.")
def explain_command(target: str, sources_file: str, db: str, rule_files: tuple[str, ...],
                    output: str, allow_private_hosts: bool) -> None:
    """Write one HTML page showing every block of a page and the rule that removed it.

    TARGET is a saved page, a URL (fetched politely with the settings of --sources:
    robots.txt obeyed, the crawl delay kept) or the id of an archived article version
    (its stored page, cleaned with today's rules and its source's selectors from
    --sources).
    """
    settings = load_config(sources_file)[0] if Path(sources_file).is_file() else Settings()
    if allow_private_hosts:
        settings = replace(settings, allow_private_hosts=True)
    page = load_target(target, db=db, settings=settings)
    html = explain_target(page, rules=_rules_by_source(sources_file, rule_files)(page.source_id))
    Path(output).write_text(html, encoding="utf-8")
    click.echo(f"wrote {output}")


@cli.command("report")
@sources_option
@db_option
@rules_option
@click.option("--run", "run_id", type=int, help="Run id (default: the latest run).")
@click.option("-o", "--output", type=click.Path(file_okay=False), required=True,
              help="Folder to write the site into.")
def report_command(sources_file: str, db: str, rule_files: tuple[str, ...], run_id: int | None,
                   output: str) -> None:
    """Write a static site over a crawl run: sources, failures, rules, reprints, articles."""
    _need_archive(db)
    with Archive(db, readonly=True) as archive:
        pages = write_report(archive, output, run_id=run_id,
                             rules_for=_rules_by_source(sources_file, rule_files))
    click.echo(f"wrote {output}/index.html and {pages} article pages")


@cli.command("search")
@click.argument("query")
@click.option("--source", "source_id", metavar="ID", help="Only this source.")
@click.option("--since", metavar="DATE", help="Only articles archived on or after DATE (ISO 8601).")
@click.option("--limit", default=20, show_default=True, help="At most this many hits.")
@db_option
def search_command(query: str, source_id: str | None, since: str | None, limit: int,
                   db: str) -> None:
    """Find archived articles (newest versions) containing every word of QUERY."""
    _need_archive(db)
    with Archive(db, readonly=True) as archive:
        hits = search(archive.conn, query, source_id=source_id, since=_since(since), limit=limit)
    console = Console(highlight=False)
    for hit in hits:
        snippet = escape(hit.snippet).replace(MARK_START, "[bold yellow]").replace(
            MARK_END, "[/bold yellow]")
        console.print(f"[bold]{escape(hit.title or hit.url)}[/bold]  [dim]#{hit.article_id} "
                      f"{escape(hit.source_id)} {escape(hit.url)}[/dim]\n  "
                      + snippet.replace("\n", " "))
    _err.print(f"{len(hits)} hits")


@cli.command("datasette-metadata")
@db_option
@click.option("-o", "--output", type=click.Path(dir_okay=False), default="metadata.json",
              show_default=True, help="File to write.")
def datasette_metadata_command(db: str, output: str) -> None:
    """Write Datasette metadata describing every table, view and column of the archive."""
    Path(output).write_text(json.dumps(datasette_metadata(db), ensure_ascii=False, indent=2),
                            encoding="utf-8")
    click.echo(f"wrote {output}; try: datasette {db} -m {output}")


@cli.command("reclean")
@sources_option
@db_option
@rules_option
@click.option("--source", "source_id", metavar="ID", help="Only this source.")
@logging_options
def reclean_command(sources_file: str, db: str, rule_files: tuple[str, ...],
                    source_id: str | None, quiet: bool) -> None:
    """Clean the stored raw pages again and update the articles whose output changes."""
    sources = load_config(sources_file)[1]  # its selectors are part of each source's rules
    _need_archive(db)
    with Archive(db, command="reclean") as archive:
        counts = reclean(archive, {s.id: s for s in sources}, rules=_rules(rule_files),
                         source_id=source_id)
    click.echo(f"checked {counts['checked']}, updated {counts['updated']}, "
               f"cleaned {counts['cleaned']} kept raw, failed {counts['failed']}")


@cli.command("migrate-db")
@click.argument("source")
@click.argument("target")
@logging_options
def migrate_db_command(source: str, target: str, quiet: bool) -> None:
    """Copy the archive SOURCE into the new, empty archive TARGET, each a SQLite path or
    a postgresql:// URL (e.g. SQLite to PostgreSQL when crawls need many workers).

    Ids and discovery order are kept; the copy is one transaction (a failure leaves
    TARGET empty), and every table's row count is checked after.
    """
    if not (is_postgres_url(source) or Path(source).is_file()):
        raise ScraperError(f"{source}: no archive here (migrate-db reads an existing archive)")
    done = transfer(source, target)
    if quiet:
        return
    table = Table()
    for name in ("table", "source rows", "copied rows"):
        table.add_column(name, justify="left" if name == "table" else "right")
    for name, (expected, copied) in done.rows.items():
        table.add_row(name, str(expected), str(copied))
    Console(width=None if Console().is_terminal else 120).print(table)
    click.echo(f"copied {sum(c for _, c in done.rows.values())} rows from {_shown(source)} "
               f"to {_shown(target)} in {done.seconds:.1f} s")


def _shown(db: str) -> str:
    return redact(db) if is_postgres_url(db) else db


@cli.command("runs")
@db_option
@click.option("-n", "--limit", default=10, show_default=True, help="How many runs, newest first.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per run.")
def runs_command(db: str, limit: int, as_json: bool) -> None:
    """What the last runs did: command, status (running, finished, stopped; a run
    killed outright stays "running"), exit code and one line per source."""
    _need_archive(db)
    with Archive(db, readonly=True) as archive:
        runs = archive.runs(limit)
    for run in runs:
        if as_json:
            click.echo(json.dumps(run, ensure_ascii=False))
            continue
        click.echo(f"#{run['id']} {run['command'] or 'crawl'} {run['started']} -> "
                   f"{run['finished'] or '-'}: {run['status'] or 'finished'}, "
                   f"exit {run['exit_code'] if run['exit_code'] is not None else '-'}")
        for line in (run["summary"] or "").splitlines():
            click.echo(f"    {line}")


@cli.command("templates")
@click.argument("host", required=False)
@db_option
@click.option("--limit", default=40, show_default=True, help="Recurring lines shown.")
def templates_command(host: str | None, db: str, limit: int) -> None:
    """Show the boilerplate a crawl learned for HOST (without HOST: the hosts)."""
    _need_archive(db)
    with Archive(db, readonly=True) as archive:
        if host is None:
            for name, pages in archive.template_hosts():
                click.echo(f"{name}\t{pages} pages")
            return
        template = archive.template(host)
    if template is None:
        raise ScraperError(f"{host}: no template learned (hosts: zhengwen templates --db {db})")
    rows = template.learned()
    click.echo(f"{host}: {template.pages} pages, {len(rows)} recurring lines, "
               f"{sum(1 for n in template.blocks.values() if n > 1)} recurring blocks; "
               f"removals are named {template.rule.name}")
    for count, text in rows[:limit]:
        click.echo(f"{count:5}  {text}")


@cli.command("demo-site")
@click.option("--port", default=8600, show_default=True,
              help="First port; the site's hosts take PORT, PORT+1, …")
@click.option("--write-sources", type=click.Path(dir_okay=False),
              help="Write a sources file for the running site here.")
def demo_site_command(port: int, write_sources: str | None) -> None:
    """Serve the fixture site on 127.0.0.1 until Ctrl-C."""
    with DemoSite(port=port) as site:
        for name, base in site.bases.items():
            click.echo(f"{name:6} {base}/")
        if write_sources:
            Path(write_sources).write_text(site.sources_text(), encoding="utf-8")
            click.echo(f"sources file: {write_sources}")
        with contextlib.suppress(KeyboardInterrupt):
            while True:
                time.sleep(3600)


@cli.command("demo")
@click.option("--db", default="data/demo.sqlite", show_default=True,
              type=click.Path(dir_okay=False), help="Archive to create (replaced if present).")
def demo_command(db: str) -> None:
    """Serve the fixture site, crawl it twice into a fresh archive, show two articles.

    The site has a page that answers 404 and a host behind an anti-bot challenge on
    purpose; their warnings show how failures are reported.
    """
    setup_logging()
    for suffix in ("", "-wal", "-shm"):
        Path(db + suffix).unlink(missing_ok=True)
    with DemoSite() as site:
        sources_path = Path(db).with_suffix(".sources.toml")
        sources_path.parent.mkdir(parents=True, exist_ok=True)
        sources_path.write_text(site.sources_text(), encoding="utf-8")
        settings, sources = load_config(sources_path)
        _err.print("The demo site has a page that answers 404 and a host behind an anti-bot "
                   "challenge on purpose: their warnings below show how failures are reported.",
                   style="dim")
        with Archive(db, command="demo") as archive:
            for title in ("first crawl", "second crawl (304s, one changed page)"):
                stats = asyncio.run(crawl(sources, archive, settings, force=True))
                _report(stats, sources, False, title)
            picks = [next(archive.articles(source_id=s.id), None) for s in sources[:2]]
            for stored in filter(None, picks):
                click.echo(to_markdown(stored.article))
            total = archive.count_articles()
    click.echo(f"{total} article versions in {db}; try: zhengwen export --db {db} --format jsonl")


def main() -> None:
    """Console entry point: the single error boundary of the CLI."""
    try:
        cli(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except (CleanerError, ScraperError) as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(2)
    except SystemExit:
        raise
