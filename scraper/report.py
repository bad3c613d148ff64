"""``zhengwen report``: a static site over one crawl run.

``index.html`` holds the run (per source: articles new, changed, unchanged; pages
failed and why; hosts blocked), the rules that fired most, the reprint clusters,
the articles, and a search box. Each article version has a page with its earlier
versions and a diff, and an explain page.

The search box runs offline: the index is JSON inside ``index.html`` and a short
inline script matches substrings (which suits Chinese, having no spaces). A
static site opens from disk, can be copied or mailed as a folder, and needs no
server process to stay up; for a run's few hundred articles the index is small.
"""

from __future__ import annotations

import difflib
import json
import logging
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from cleaners import CleanerError, RuleSet

from .errors import ScraperError
from .explain import Target, explain_target
from .pages import esc, page
from .reprints import Cluster, clusters
from .store import Archive, StoredArticle, url_in, url_list

__all__ = ["Run", "load_run", "write_report"]

log = logging.getLogger("scraper.report")
_TOP_RULES = 20
_SEARCH_JS = """
const docs = JSON.parse(document.getElementById('search-index').textContent);
const box = document.getElementById('search'), out = document.getElementById('hits');
box.addEventListener('input', () => {
  out.replaceChildren();
  const terms = box.value.toLowerCase().split(/\\s+/).filter(Boolean);
  if (!terms.length) return;
  for (const d of docs) {
    const hay = (d.title + '\\n' + d.text).toLowerCase();
    if (!terms.every(t => hay.includes(t))) continue;
    const at = Math.max(0, hay.indexOf(terms[0]) - 20);
    const li = document.createElement('li'), a = document.createElement('a');
    a.href = d.href; a.textContent = d.title || d.url;
    const s = document.createElement('span');
    s.className = 'muted'; s.textContent = ' ' + d.source + ': …' + d.text.slice(at, at + 60) + '…';
    li.append(a, s); out.append(li);
    if (out.children.length >= 50) break;
  }
});
"""


@dataclass(frozen=True)
class Run:
    """A recorded run; ``finished`` is now for a run still going (or killed)."""

    id: int
    started: float
    finished: float
    stats: dict
    outcome: str
    summary: str


def load_run(archive: Archive, run_id: int | None = None) -> Run:
    """A recorded crawl run (the latest when ``run_id`` is ``None``)."""
    sql = "SELECT id, started, finished, stats, command, status, exit_code, summary FROM runs "
    row = archive.conn.execute(sql + ("WHERE id = ?" if run_id is not None else
                                      "ORDER BY id DESC LIMIT 1"),
                               (run_id,) if run_id is not None else ()).fetchone()
    if row is None:
        raise ScraperError(f"{archive.name}: " + (f"no run {run_id}" if run_id is not None
                                                   else "no crawl run recorded yet"))
    run_id, started, finished, stats, command, status, exit_code, summary = row
    outcome = " · ".join(str(x) for x in (command, status) if x) + (
        f" · exit code {exit_code}" if exit_code is not None else "")
    return Run(run_id, started, finished or time.time(), json.loads(stats or "{}"), outcome,
               summary or "")


def _when(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).isoformat(timespec="seconds")


def _table(head: list[str], rows: Sequence[Sequence[object]], *, html_cols: int = 0) -> str:
    """A table; the first ``html_cols`` cells of each row are already HTML."""
    cells = "".join(
        "<tr>" + "".join(f"<td>{c if i < html_cols else esc(c)}</td>" for i, c in enumerate(row))
        + "</tr>" for row in rows)
    return ("<table><tr>" + "".join(f"<th>{esc(h)}</th>" for h in head) + "</tr>"
            + (cells or f"<tr><td colspan={len(head)} class=muted>none</td></tr>") + "</table>")


def _sources_section(archive: Archive, run: Run) -> str:
    per_source: dict[str, dict[str, int]] = run.stats.get("sources", {})
    rows = [[sid] + [c.get(f"store/article/{k}", 0) for k in ("new", "changed", "unchanged",
                                                              "not-modified")]
            + [sum(v for k, v in c.items() if k.startswith("fetch/error/"))]
            for sid, c in sorted(per_source.items())]
    failed = archive.conn.execute(
        "SELECT source_id, url, status, last_error FROM urls WHERE status IN ('failed', 'gone') "
        "AND fetched_at BETWEEN ? AND ? ORDER BY source_id, url", (run.started, run.finished))
    link = [[f'<a href="{esc(u)}" rel="noreferrer">{esc(u)}</a>'
             if u.startswith(("http://", "https://")) else esc(u), s, st, e]
            for s, u, st, e in failed]  # only web links: never a javascript: URL
    blocked = run.stats.get("blocked_hosts", {})
    summary = f'<pre class="summary">{esc(run.summary)}</pre>' if run.summary else ""
    return ("<h2>Sources</h2>" + summary
            + _table(["source", "new", "changed", "unchanged", "not modified", "fetch errors"],
                     rows)
            + "<h2>Pages failed</h2>" + _table(["url", "source", "status", "reason"], link,
                                               html_cols=1)
            + "<h2>Hosts blocked</h2>" + _table(["host", "signature"],
                                                [[h, s] for h, s in sorted(blocked.items())]))


def _rules_section(run: Run) -> str:
    counts = Counter({k.removeprefix("clean/removed/"): v
                      for k, v in run.stats.get("counts", {}).items()
                      if k.startswith("clean/removed/")})
    return "<h2>Rules that fired most</h2>" + _table(
        ["rule", "removals"], [[r, n] for r, n in counts.most_common(_TOP_RULES)])


def _article_link(stored: StoredArticle, prefix: str = "") -> str:
    return (f'<a href="{prefix}articles/{stored.id}.html">{esc(stored.article.title or stored.url)}'
            f"</a>")


def _clusters_section(found: list[Cluster]) -> str:
    rows = [[_article_link(c.original), "<br>".join(_article_link(r) for r in c.reprints),
             c.id] for c in found]
    return "<h2>Reprint clusters</h2>" + _table(["original", "reprints", "cluster"], rows,
                                                 html_cols=2)


def _diff(old: StoredArticle, new: StoredArticle) -> str:
    lines = difflib.unified_diff(old.article.text.splitlines(), new.article.text.splitlines(),
                                 f"version {old.version}", f"version {new.version}", lineterm="")
    out = []
    for line in lines:
        kind = "add" if line.startswith("+") else "del" if line.startswith("-") else ""
        out.append(f'<div class="{kind}">{esc(line)}</div>')
    return '<div class="diff">' + "".join(out) + "</div>"


def _article_page(stored: StoredArticle, versions: list[StoredArticle], *,
                  explained: bool) -> str:
    a = stored.article
    links = " · ".join(
        f"<b>v{v.version}</b>" if v.id == stored.id else
        f'<a href="{v.id}.html">v{v.version}</a>' for v in versions)
    earlier = [v for v in versions if v.version < stored.version]
    diff = (f"<h2>Changes since version {earlier[-1].version}</h2>{_diff(earlier[-1], stored)}"
            if earlier else "")
    explain = f' · <a href="../explain/{stored.id}.html">explain</a>' if explained else ""
    body = (f'<header><a href="../index.html">report</a>{explain}'
            f"<h1>{esc(a.title)}</h1><div>{esc(stored.url)} · {esc(stored.source_id)} "
            f"· fetched {esc(_when(stored.fetched_at))}</div><div>versions: {links}</div></header>"
            f"<main>{diff}<h2>Text</h2>"
            + "".join(f"<p>{esc(p)}</p>" for p in a.text.splitlines()) + "</main>")
    return page(a.title or stored.url, body)


def _search_box(latest: list[StoredArticle]) -> tuple[str, str]:
    docs = [{"href": f"articles/{s.id}.html", "title": s.article.title or "", "url": s.url,
             "source": s.source_id, "text": s.article.text} for s in latest]
    data = json.dumps(docs, ensure_ascii=False).replace("<", "\\u003c")
    return ('<h2>Search</h2><input id="search" type="search" placeholder="search the articles" '
            'size="40"><ol id="hits"></ol>'
            f'<script type="application/json" id="search-index">{data}</script>', _SEARCH_JS)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _urls(archive: Archive, sql: str, args: tuple[object, ...]) -> set[str]:
    return {row[0] for row in archive.conn.execute(sql, args)}


def write_report(archive: Archive, out_dir: str | Path, *, run_id: int | None = None,
                 rules_for: Callable[[str], RuleSet] | None = None) -> int:
    """Write the site for a run into ``out_dir``; returns the number of article pages.

    ``rules_for(source_id)`` gives the rules the explain pages clean with (default rules
    when ``None``).
    """
    out = Path(out_dir)
    run = load_run(archive, run_id)
    in_run = _urls(archive, "SELECT url FROM articles WHERE fetched_at BETWEEN ? AND ?",
                   (run.started, run.finished))
    shown = in_run | _urls(
        archive, "SELECT url FROM latest_articles WHERE cluster_id IN (SELECT cluster_id FROM "
        f"latest_articles WHERE {url_in(archive.conn, 'url')})",
        (url_list(archive.conn, sorted(in_run)),))
    every = archive.versions_of(shown)
    latest = {s.url: s for s in every}  # oldest first, so the last one per URL wins
    found = [c for c in clusters(archive.conn, latest.values())
             if any(m.url in in_run for m in (c.original, *c.reprints))]
    by_url: dict[str, list[StoredArticle]] = {}
    for stored in every:
        by_url.setdefault(stored.url, []).append(stored)
    # Explain pages (the slow part: each page is cleaned again) for the run's versions and
    # each URL's newest; older versions get their text and diff only.
    explained = ({s.id for s in every if run.started <= s.fetched_at <= run.finished}
                 | {s.id for s in latest.values()})
    for stored in every:
        _write(out / "articles" / f"{stored.id}.html",
               _article_page(stored, by_url[stored.url], explained=stored.id in explained))
        if stored.id in explained:
            rules = rules_for(stored.source_id) if rules_for else None
            _write(out / "explain" / f"{stored.id}.html", _explain(archive, stored, rules))
    search, script = _search_box([latest[u] for u in sorted(shown)])
    body = (f"<header><h1>Crawl run {run.id}</h1><div>{esc(_when(run.started))} – "
            f"{esc(_when(run.finished))} · {esc(run.outcome)} · {len(in_run)} articles new or "
            "changed</div></header>"
            f"<main>{search}{_sources_section(archive, run)}{_rules_section(run)}"
            f"{_clusters_section(found)}<h2>Articles</h2><ul id=\"articles\">"
            + "".join(f"<li>{_article_link(s)} <span class=muted>{esc(s.source_id)} · "
                      f'v{s.version}</span> · <a href="explain/{s.id}.html">explain</a></li>'
                      for s in (latest[u] for u in sorted(in_run))) + "</ul></main>")
    _write(out / "index.html", page(f"crawl run {run.id}", body, script=script))
    return len(every)


def _explain(archive: Archive, stored: StoredArticle, rules: RuleSet | None) -> str:
    response = archive.response_of(stored.id)
    target = Target(response.body, response.final_url, response.headers,
                    f"article {stored.id}: {response.final_url}", stored.source_id,
                    archive.template(urlsplit(response.final_url).hostname or ""))
    try:
        return explain_target(target, rules=rules)
    except CleanerError as exc:  # one page that no longer cleans must not end the report
        log.warning("%s", exc)
        return page("explain", f"<main><p>Cannot explain {esc(stored.url)}: {esc(exc)}</p></main>")
