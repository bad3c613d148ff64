"""``zhengwen clean``: clean saved pages and text dumps from files or stdin."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from pathlib import Path
from typing import IO
from urllib.parse import urlsplit

import click
from rich.console import Console
from rich.progress import Progress
from selectolax.lexbor import LexborHTMLParser

from .api import clean_html, clean_text
from .article import Article
from .errors import CleanerError, InputError
from .formats import to_markdown, to_text
from .rules import RuleSet, load_rules
from .templates import SiteTemplate

__all__ = ["clean_command", "learn_templates"]

HTML_SUFFIXES = {".html", ".htm", ".shtml", ".xhtml"}
TEXT_SUFFIXES = {".txt"}
_PROGRESS_MIN_INPUTS = 20


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


def _kind(path: Path | None, forced: str | None, data: bytes) -> str:
    if forced:
        return forced
    if path is not None and path.suffix.lower() in TEXT_SUFFIXES:
        return "text"
    if path is not None and path.suffix.lower() in HTML_SUFFIXES:
        return "html"
    return "html" if b"<" in data[:2048] and b">" in data[:2048] else "text"


def _read(path: Path | None) -> bytes:
    name = str(path) if path is not None else "<stdin>"
    try:
        return sys.stdin.buffer.read() if path is None else path.read_bytes()
    except OSError as exc:
        raise InputError(name, f"cannot read: {exc.strerror or exc}") from exc


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


def learn_templates(inputs: list[Path | None], site: str) -> dict[str, SiteTemplate]:
    """Each input's template (by path), one per group of inputs; an unreadable input
    is left to the clean pass, which reports it."""
    groups: dict[str, SiteTemplate] = {}
    templates: dict[str, SiteTemplate] = {}
    for path in inputs:
        if path is None:
            continue
        try:
            data = _read(path)
            kind = _kind(path, None, data)
            key = site_of(path, data, kind, site)
            template = groups.setdefault(key, SiteTemplate(Path(key).name or key))
            template.add(data if kind == "html" else data.decode("utf-8-sig"))
        except (CleanerError, UnicodeDecodeError):
            continue
        templates[str(path)] = template
    return templates


def clean_one(path: Path | None, *, url: str | None, rules: RuleSet,
              forced: str | None, template: SiteTemplate | None = None) -> Article:
    """Read and clean one input; raises CleanerError subclasses naming it."""
    name = str(path) if path is not None else "<stdin>"
    data = _read(path)
    kind = _kind(path, forced, data)
    if kind == "html":
        return clean_html(data, url, rules=rules, template=template)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        from .decode import decode_bytes
        text, _ = decode_bytes(data, source=name)
    return clean_text(text, url, rules=rules, template=template)


def _clean_task(path: Path | None, *, url: str | None, rules: RuleSet, forced: str | None,
                templates: dict[str, SiteTemplate] | None = None,
                ) -> tuple[str, Article | None, str | None]:
    """One input -> (name, article, error message); runs in worker processes too."""
    name = str(path) if path is not None else "-"
    template = (templates or {}).get(str(path))
    try:
        return name, clean_one(path, url=url, rules=rules, forced=forced,
                               template=template), None
    except CleanerError as exc:
        return name, None, str(exc) if name in str(exc) else f"{name}: {exc}"


def _results(inputs: list[Path | None], jobs: int,
             task: partial) -> Iterator[tuple[str, Article | None, str | None]]:
    """Results in input order; ``jobs`` > 1 spreads the inputs over processes."""
    if jobs <= 1 or len(inputs) < 2 or None in inputs:
        yield from map(task, inputs)
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        yield from pool.map(task, inputs, chunksize=max(1, min(16, len(inputs) // (jobs * 4))))


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
            self._out.write((to_markdown if self._fmt == "md" else to_text)(article))

    def close(self) -> None:
        if self._fmt == "json":
            self._out.write("\n]\n")


@click.command("clean")
@click.argument("paths", nargs=-1, required=True)
@click.option("--url", help="URL of the page (one input), used for metadata and output.")
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
@click.option("--site", help="Learn each site's recurring boilerplate from the inputs and "
              "remove it: NAME treats every input as one site, 'folder' each folder, "
              "'host' the pages naming one host (canonical link, og:url).")
def clean_command(paths: tuple[str, ...], url: str | None, rule_files: tuple[str, ...],
                  fmt: str, output: str, forced: str | None, jobs: int,
                  site: str | None) -> None:
    """Clean saved HTML pages (.html/.htm/.shtml) and text dumps (.txt).

    PATHS are files or directories (searched recursively); '-' reads stdin. A file
    that cannot be read or decoded is reported by name and the run goes on; the exit
    code is 1 when any input failed.
    """
    rules = load_rules(*rule_files)  # a broken rules file stops the run before any input
    inputs = list(iter_inputs(paths))
    templates = learn_templates(inputs, site) if site else None
    task = partial(_clean_task, url=url, rules=rules, forced=forced, templates=templates)
    failures = 0
    with (click.open_file(output, "w", encoding="utf-8") as out,
          Progress(transient=True, disable=len(inputs) < _PROGRESS_MIN_INPUTS,
                   console=Console(stderr=True)) as progress):
        writer = _Writer(out, fmt)
        bar = progress.add_task("cleaning", total=len(inputs))
        for name, article, error in _results(inputs, jobs or os.cpu_count() or 1, task):
            if article is not None:
                writer.write(name, article)
            else:
                failures += 1
                click.echo(f"Error: {error}", err=True)
            progress.advance(bar)
        writer.close()
    if failures:
        click.echo(f"{failures} of {len(inputs)} inputs failed", err=True)
        raise SystemExit(1)
