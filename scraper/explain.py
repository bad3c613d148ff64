"""``zhengwen explain``: one page, every block and the rule that removed it, as HTML.

The target is a saved page, a URL (fetched politely: robots.txt and the crawl
delay, through the crawler's own fetcher) or an archive id (the stored raw
response, cleaned again with today's rules). The page is explained by
:func:`cleaners.trace.trace_html`; this module only renders, escaping everything.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from cleaners import Article, RuleSet, SiteTemplate
from cleaners.trace import Trace, trace_html

from .database import is_postgres_url
from .errors import ScraperError
from .fetch import Fetcher, FetchResult
from .pages import esc, family_classes, family_of, page
from .robots import Robots
from .settings import Settings
from .store import Archive
from .trial import fetch_politely

__all__ = ["Target", "explain_html", "explain_target", "load_target"]

_FIELDS = ("title", "published", "source", "author", "editor", "sitename", "keywords",
           "original_url", "language", "script", "encoding")


@dataclass(frozen=True)
class Target:
    """The raw page to explain and where it came from (for the heading)."""

    body: bytes
    url: str | None
    headers: dict[str, str]
    label: str
    source_id: str | None = None  # the archive's source, whose rules apply
    template: SiteTemplate | None = None  # the host's template learned by the crawl


async def _fetch(url: str, settings: Settings) -> FetchResult:
    async with Fetcher(settings) as fetcher:
        return await fetch_politely(fetcher, Robots(fetcher, obey=settings.obey_robots), url,
                                    settings.delay_s)


def _is_archive(db: str | Path) -> bool:
    """Whether ``db`` may name an archive: a PostgreSQL URL, or a SQLite file that exists."""
    return is_postgres_url(db) or Path(db).is_file()


def _template(db: str | Path, url: str) -> SiteTemplate | None:
    """The site template the archive learned for the URL's host, if any."""
    if not _is_archive(db):
        return None
    with Archive(db, readonly=True) as archive:
        return archive.template(urlsplit(url).hostname or "")


def load_target(target: str, *, db: str | Path, settings: Settings | None = None) -> Target:
    """A page path, an ``http(s)://`` URL or an archive id (digits) -> its raw page."""
    if target.startswith(("http://", "https://")):
        result = asyncio.run(_fetch(target, settings or Settings()))
        return Target(result.body, result.final_url, result.headers, result.final_url,
                      template=_template(db, result.final_url))
    path = Path(target)
    if path.is_file():
        return Target(path.read_bytes(), None, {}, str(path))
    if target.isdigit():
        if not _is_archive(db):
            raise ScraperError(f"{db}: no archive here to find article {target} in (pass --db)")
        with Archive(db, readonly=True) as archive:
            response = archive.response_of(int(target))
        return Target(response.body, response.final_url, response.headers,
                      f"article {target}: {response.final_url}", response.source_id,
                      _template(db, response.final_url))
    raise ScraperError(f"{target}: neither a file, an http(s) URL nor an archive id")


def _block_rows(trace: Trace, classes: dict[str, str]) -> str:
    rows = []
    for block in trace.blocks:
        if block.rule is not None:
            family = family_of(block.rule)
            labels = "".join(f'<span class="rule {classes[family_of(r)]}">{esc(r)}</span>'
                             for r in block.rules)
            rows.append(f'<div class="blk removed {classes[family]}" data-rule="{esc(block.rule)}"'
                        f' data-family="{esc(family)}">{labels}<s>{esc(block.text)}</s></div>')
        else:
            kind = "body" if block.in_body else "kept"
            if not block.extracted:
                kind += " dropped"
            rows.append(f'<div class="blk {kind}">{esc(block.text)}</div>')
    return "\n".join(rows)


def _provenance(article: Article) -> dict[str, object]:
    """Where each field came from, when the cleaner records it."""
    found = getattr(article, "provenance", None)
    return dict(found) if isinstance(found, dict) else {}


def _metadata_table(article: Article) -> str:
    where = _provenance(article)
    rows = []
    for name in _FIELDS:
        value = getattr(article, name, None)
        if isinstance(value, list):
            value = "、".join(map(str, value)) or None
        rows.append(f"<tr><th>{esc(name)}</th><td>{esc(value)}</td>"
                    f"<td class=\"muted\">{esc(where.get(name))}</td></tr>")
    return ("<table class=\"meta\"><tr><th>field</th><th>value</th><th>came from</th></tr>"
            + "".join(rows) + "</table>")


def _legend(classes: dict[str, str], trace: Trace) -> str:
    counts: dict[str, int] = {}
    for block in trace.blocks:
        for rule in block.rules:
            counts[family_of(rule)] = counts.get(family_of(rule), 0) + 1
    items = "".join(f'<li class="{classes[f]}" data-family="{esc(f)}"><span class="swatch">'
                    f"</span>{esc(f)} ({n})</li>" for f, n in sorted(counts.items()))
    return f'<ul class="legend">{items}</ul>'


def _body_source(article: Article, trace: Trace) -> str:
    """How the text was finally read, when it is more than the located element
    (its siblings joined, or the extractor's reading of the whole page)."""
    source = article.body_source
    return f" Text read as {source}." if source and source != trace.body_how else ""


def explain_html(trace: Trace, *, label: str) -> str:
    """The explain page for ``trace`` as one self-contained HTML document."""
    article = trace.article
    families = {family_of(r) for b in trace.blocks for r in b.rules}
    classes = family_classes(families)
    how = ("no element held article text" if trace.body_how is None else
           "by paragraph scoring (the element with the most Chinese prose)"
           if trace.body_how == "score" else f"by the content rule {trace.body_how}")
    paragraphs = "".join(f"<p>{esc(line)}</p>" for line in article.text.splitlines())
    removed = "".join(f"<li><code>{esc(r.rule)}</code> {esc(r.text)}</li>"
                      for r in article.removed)
    body = (
        f"<header><h1>Why this page was cleaned this way</h1><div>{esc(label)}</div>"
        f'<div id="body-how">Body chosen {esc(how)}.{esc(_body_source(article, trace))} '
        f"{len(article.removed)} removals, {len(families)} rule families.</div></header>"
        f"<main>{_legend(classes, trace)}<div class=\"cols\">"
        f'<section id="blocks"><h2>The page, block by block</h2>'
        f'<p class="muted">Struck through: removed, labelled with the rule. Yellow: the body. '
        f"Grey: kept by the rules but not taken into the article.</p>"
        f"{_block_rows(trace, classes)}</section>"
        f'<section id="article"><h2>The cleaned article</h2><h1>{esc(article.title)}</h1>'
        f"{paragraphs or '<p class=muted>(no article text)</p>'}"
        f"<h2>Metadata</h2>{_metadata_table(article)}"
        f"<h2>Removals, as recorded</h2><ol id=\"removals\">{removed}</ol></section>"
        "</div></main>")
    return page(f"explain: {label}", body, families=families)


def explain_target(target: Target, *, rules: RuleSet | None = None) -> str:
    """Clean ``target`` and render its explain page."""
    trace = trace_html(target.body, target.url, headers=target.headers, rules=rules,
                       template=target.template)
    return explain_html(trace, label=target.label)
