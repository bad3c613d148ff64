"""``zhengwen clean``: clean saved pages and text dumps from files or stdin.

Every document is cleaned in a worker process under a time limit (see
:mod:`cleaners.isolation`), so one hostile file fails with its reason and the run
goes on. stdout carries the records only; the progress bar and every message go to
stderr.
"""

from __future__ import annotations

import json
import os
import signal
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType
from typing import IO
from urllib.parse import urlsplit

import click
from rich.console import Console
from rich.progress import Progress
from selectolax.lexbor import LexborHTMLParser

from .article import Article
from .decode import decode_dump
from .errors import CleanerError, InputError
from .formats import to_markdown, to_text
from .isolation import DEFAULT_TIME_LIMIT_S, Document, IsolatedCleaner
from .rules import RuleSet, load_rules
from .templates import SiteTemplate

__all__ = ["clean_command", "learn_templates"]

HTML_SUFFIXES = {".html", ".htm", ".shtml", ".xhtml"}
TEXT_SUFFIXES = {".txt"}
_PROGRESS_MIN_INPUTS = 20
_SIGTERM_EXIT = 128 + signal.SIGTERM


def iter_inputs(paths: tuple[str, ...]) -> Iterator[Path | None]:
    """Files named or found under directories (sorted); ``None`` stands for stdin."""
    for raw in paths:
        if raw == "-":
            yield None
            continue
        path = Path(raw)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*")
                              if p.is_file() and p.suffix.lower() in HTML_SUFFIXES | TEXT_SUFFIXES)
        else:
            yield path


def display_name(path: Path | None) -> str:
    """The input's name as valid text: bytes of a file name that are not UTF-8 are
    written as ``\\xNN``, so records and messages can always be encoded."""
    if path is None:
        return "-"
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def _kind(path: Path | None, forced: str | None, data: bytes) -> str:
    if forced:
        return forced
    if path is not None and path.suffix.lower() in TEXT_SUFFIXES:
        return "text"
    if path is not None and path.suffix.lower() in HTML_SUFFIXES:
        return "html"
    return "html" if b"<" in data[:2048] and b">" in data[:2048] else "text"


def _page_host(data: bytes) -> str | None:
    """The host of the URL a saved page names for itself (canonical link, og:url)."""
    tree = LexborHTMLParser(data.decode("utf-8", errors="replace"))
    for selector, attribute in (('link[rel="canonical"]', "href"),
                                ('meta[property="og:url"]', "content")):
        node = tree.css_first(selector)
        host = urlsplit(node.attributes.get(attribute) or "").hostname if node else None
        if host:
            return host
    return None


def site_of(path: Path, data: bytes, kind: str, site: str) -> str:
    """The group an input's template is learned in: ``site`` itself; or, for
    ``folder``, the input's folder; for ``host``, the host of the URL an HTML page
    names for itself, else its folder."""
    if site == "host" and kind == "html":
        return _page_host(data) or str(path.parent)
    return str(path.parent) if site in ("folder", "host") else site


def learn_templates(inputs: list[Path | None], site: str) -> dict[Path, SiteTemplate]:
    """Each input's template (by path), one per group of inputs; an unreadable input
    is left to the clean pass, which reports it."""
    groups: dict[str, SiteTemplate] = {}
    group_of: dict[Path, str] = {}
    for path in inputs:
        if path is None:
            continue
        try:
            data = path.read_bytes()
            kind = _kind(path, None, data)
            key = site_of(path, data, kind, site)
            template = groups.setdefault(key, SiteTemplate(Path(key).name or key))
            template.add(data if kind == "html" else data.decode("utf-8-sig"))
        except (OSError, CleanerError, UnicodeDecodeError):
            continue
        group_of[path] = key
    # Workers get the recurring units only: what is sent with each document stays small.
    compact = {key: template.compact() for key, template in groups.items()}
    return {path: compact[key] for path, key in group_of.items()}


def read_document(path: Path | None, *, url: str | None, forced: str | None,
                  template: SiteTemplate | None = None) -> Document:
    """One input read and typed; raises InputError or DecodeError naming it."""
    name = display_name(path)
    try:
        data = sys.stdin.buffer.read() if path is None else path.read_bytes()
    except OSError as exc:
        raise InputError(name, f"cannot read: {exc.strerror or exc}") from exc
    kind = _kind(path, forced, data)
    if kind == "html":
        return Document(data, "html", url=url, name=name, template=template)
    return Document(decode_dump(data, source=name), "text", url=url, name=name,
                    template=template)


class _Writer:
    """Writes each record as it comes, so memory stays flat over large directories."""

    _SEPARATORS = {"json": ",\n", "jsonl": "", "md": "\n", "txt": "\n\f\n"}

    def __init__(self, out: IO[str], fmt: str) -> None:
        self._out, self._fmt, self._count = out, fmt, 0
        if fmt == "json":
            out.write("[\n")

    def write(self, path: str, article: Article) -> None:
        if self._count:
            self._out.write(self._SEPARATORS[self._fmt])
        self._count += 1
        if self._fmt in ("json", "jsonl"):
            indent = 2 if self._fmt == "json" else None
            self._out.write(json.dumps({"path": path, **article.to_dict()}, ensure_ascii=False,
                                       indent=indent))
            if self._fmt == "jsonl":
                self._out.write("\n")
        else:
            self._out.write((to_markdown if self._fmt == "md" else to_text)(article, path=path))
        self._out.flush()

    def close(self) -> None:
        if self._fmt == "json":
            self._out.write("\n]\n")


def _documents(inputs: list[Path | None], *, url: str | None, forced: str | None,
               templates: dict[Path, SiteTemplate], failed: list[str],
               done: Callable[[], object]) -> Iterator[Document]:
    """The inputs read one by one; one that cannot be read is reported and skipped."""
    for path in inputs:
        try:
            yield read_document(path, url=url, forced=forced,
                                template=templates.get(path) if path is not None else None)
        except CleanerError as exc:
            failed.append(str(exc))
            click.echo(f"Error: {exc}", err=True)
            done()


def _stop_on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(_SIGTERM_EXIT)


@click.command("clean")
@click.argument("paths", nargs=-1, required=True)
@click.option("--url", help="URL of the page (one input only), used for metadata and output.")
@click.option("--rules", "rule_files", multiple=True, type=click.Path(dir_okay=False),
              help="Extra rules file (TOML); may be given several times.")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "json", "txt", "md"]),
              default="jsonl", show_default=True, help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True), default="-",
              help="Output file (default: stdout).")
@click.option("--as", "forced", type=click.Choice(["html", "text"]),
              help="Treat every input as HTML or as a text dump, whatever its suffix.")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=1, show_default=True,
              help="Worker processes; 0 uses every core.")
@click.option("--time-limit", "time_limit", type=click.FloatRange(min=0, min_open=True),
              default=DEFAULT_TIME_LIMIT_S, show_default=True, metavar="SECONDS",
              help="Longest a document may take; one over it fails and the run goes on.")
@click.option("--site", help="Learn each site's recurring boilerplate from the inputs and "
              "remove it: NAME treats every input as one site, 'folder' each folder, "
              "'host' the pages naming one host (canonical link, og:url).")
def clean_command(paths: tuple[str, ...], url: str | None, rule_files: tuple[str, ...],
                  fmt: str, output: str, forced: str | None, jobs: int,
                  time_limit: float, site: str | None) -> None:
    """Clean saved HTML pages (.html/.htm/.shtml) and text dumps (.txt).

    PATHS are files or directories (searched recursively); '-' reads stdin. Each
    document is cleaned in a worker under --time-limit. A file that cannot be read,
    decoded or cleaned in time is reported on stderr by name and the run goes on;
    the exit code is 1 when any input failed.
    """
    rules = load_rules(*rule_files)  # a broken rules file stops the run before any input
    inputs = list(iter_inputs(paths))
    if url is not None and len(inputs) > 1:
        raise click.UsageError(f"--url names one page, but {len(inputs)} inputs were given")
    try:
        out = click.open_file(output, "w", encoding="utf-8")
    except OSError as exc:
        raise click.FileError(output, exc.strerror or str(exc)) from None
    previous = signal.signal(signal.SIGTERM, _stop_on_sigterm)
    try:
        templates = learn_templates(inputs, site) if site else {}
        failed = _run(inputs, out, fmt, url=url, forced=forced, rules=rules,
                      templates=templates, workers=jobs or os.cpu_count() or 1,
                      time_limit=time_limit)
    finally:
        signal.signal(signal.SIGTERM, previous)
    if failed:
        click.echo(f"{len(failed)} of {len(inputs)} inputs failed", err=True)
        raise SystemExit(1)


def _run(inputs: list[Path | None], out: IO[str], fmt: str, *, url: str | None,
         forced: str | None, rules: RuleSet, templates: dict[Path, SiteTemplate],
         workers: int, time_limit: float) -> list[str]:
    """Clean ``inputs`` into ``out``; the messages of the inputs that failed."""
    failed: list[str] = []
    console = Console(stderr=True)
    show = len(inputs) >= _PROGRESS_MIN_INPUTS and console.is_terminal
    with (out, IsolatedCleaner(workers=workers, time_limit_s=time_limit, rules=rules) as cleaner,
          Progress(console=console, transient=True, disable=not show) as progress):
        writer = _Writer(out, fmt)
        bar = progress.add_task("cleaning", total=len(inputs))
        documents = _documents(inputs, url=url, forced=forced, templates=templates,
                               failed=failed,
                               done=lambda: progress.advance(bar))
        for document, result in cleaner.map(documents):
            if isinstance(result, CleanerError):
                message = str(result)
                if document.label not in message:  # clean_html names a URL or "<bytes>"
                    message = f"{document.label}: {message}"
                failed.append(message)
                click.echo(f"Error: {message}", err=True)
            else:
                writer.write(document.label, result)
            progress.advance(bar)
        writer.close()
    return failed
