"""explain, report, search, export --dedupe and datasette-metadata, end to end."""

from __future__ import annotations

import json
import re
import sqlite3
from html import escape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from cleaners import clean_html
from scraper import Archive, FetchResult
from scraper.catalog import TABLES
from scraper.cli import cli, main
from tests.conftest import FIXTURES, ROOT

# What the explain and report pages may contain: no tag or attribute that runs code.
_ALLOWED_TAGS = {"html", "head", "meta", "title", "style", "body", "header", "main", "section",
                 "h1", "h2", "div", "span", "s", "p", "ul", "ol", "li", "a", "table", "tr",
                 "th", "td", "code", "b", "br", "input", "script", "pre"}
_ALLOWED_ATTRS = {"charset", "http-equiv", "content", "name", "lang", "class", "id", "href",
                  "rel", "data-rule", "data-family", "type", "placeholder", "size", "colspan"}


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def _check_inert(html: str) -> None:
    parser = _Tags()
    parser.feed(html)
    for tag, attrs in parser.tags:
        assert tag in _ALLOWED_TAGS, tag
        for name, value in attrs:
            assert name in _ALLOWED_ATTRS, (tag, name)
            assert not (value or "").strip().lower().startswith("javascript:"), (tag, value)
    # The only scripts: the report's inline search (allowed by hash) and its JSON data.
    scripts = [attrs for tag, attrs in parser.tags if tag == "script"]
    assert all(a in ([], [("type", "application/json"), ("id", "search-index")]) for a in scripts)


def _check_links(site: Path) -> int:
    """Every relative link of every page of ``site`` names a file that exists."""
    count = 0
    for page in site.rglob("*.html"):
        parser = _Tags()
        parser.feed(page.read_text(encoding="utf-8"))
        for tag, attrs in parser.tags:
            href = dict(attrs).get("href") if tag == "a" else None
            if href and not href.startswith(("http://", "https://")):
                assert (page.parent / href).resolve().is_file(), (page, href)
                count += 1
    return count


def _invoke(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def crawled(site, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    """The demo site crawled twice (the second pass sees one changed page)."""
    sources = tmp_path / "sources.toml"
    sources.write_text(site.sources_text().replace("delay_s = 0.2", "delay_s = 0.02"),
                       encoding="utf-8")
    db = tmp_path / "a.sqlite"
    for _ in range(2):
        result = CliRunner().invoke(cli, ["crawl", "--sources", str(sources), "--db", str(db),
                                          "--no-progress", "--force"], catch_exceptions=False)
        assert result.exit_code == 3, result.output  # the demo's city host is blocked
    return db


def test_explain_a_saved_page(tmp_path: Path) -> None:
    page = FIXTURES / "pages" / "baidu_share_news.html"
    out = tmp_path / "e.html"
    _invoke("explain", str(page), "-o", str(out))
    html = out.read_text(encoding="utf-8")
    article = clean_html(page.read_bytes())
    for removal in article.removed:
        assert f'data-rule="{removal.rule}"' in html
    assert f"Body chosen by the content rule {article.located_by}." in html
    assert article.provenance
    for name, origin in article.provenance.items():  # where each field came from
        if name in ("title", "published", "source", "author", "editor", "sitename"):
            assert f"<th>{name}</th>" in html and escape(origin) in html
    _check_inert(html)


def test_explain_a_hostile_page_copies_no_markup(tmp_path: Path) -> None:
    out = tmp_path / "e.html"
    _invoke("explain", str(FIXTURES / "explain" / "hostile_page.html"), "-o", str(out))
    html = out.read_text(encoding="utf-8")
    _check_inert(html)
    assert "<script>" not in html and "&lt;/script&gt;" in html  # shown as text, escaped


def test_explain_by_url_and_by_archive_id(crawled: Path, site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    jyt = site.bases["jyt"]
    out = tmp_path / "e.html"
    _invoke("explain", f"{jyt}/xxgk/tzgg/202410/t20241012_100104.html", "-o", str(out),
            "--allow-private-hosts")
    assert "学生资助" in out.read_text(encoding="utf-8")
    _invoke("explain", "1", "--db", str(crawled), "-o", str(out))
    assert "article 1: http://127.0.0.1" in out.read_text(encoding="utf-8")
    with Archive(crawled, lock=False) as archive:
        news = next(archive.articles(source_id="demo-news"))
    assert any(r.rule == "source.demo-news.drop" for r in news.article.removed)
    sources = crawled.parent / "sources.toml"
    _invoke("explain", str(news.id), "--db", str(crawled), "--sources", str(sources),
            "-o", str(out))
    assert 'data-rule="source.demo-news.drop"' in out.read_text(encoding="utf-8")
    denied = CliRunner().invoke(cli, ["explain", f"{jyt}/private/t20241011_900001.html",
                                      "--allow-private-hosts"])
    assert "robots.txt" in str(denied.exception)
    guarded = CliRunner().invoke(cli, ["explain", f"{jyt}/xxgk/tzgg/202410/t20241012_100104.html"])
    assert "loopback" in str(guarded.exception)
    missing = CliRunner().invoke(cli, ["explain", "no-such-page.html"])
    assert "no-such-page.html: neither a file" in str(missing.exception)


def test_report_over_the_last_run(crawled: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert "article pages" in _invoke("report", "--db", str(crawled), "-o", str(out))
    index = (out / "index.html").read_text(encoding="utf-8")
    _check_inert(index)
    assert "Crawl run 2" in index and "demo-news" in index and "ruishu" in index
    changed = re.findall(r'href="articles/(\d+)\.html">([^<]+)</a> <span class=muted>'
                         r"demo-news · v2", index)
    assert len(changed) == 1, "the changed page is the run's only article"
    page = (out / "articles" / f"{changed[0][0]}.html").read_text(encoding="utf-8")
    assert "Changes since version 1" in page and 'class="add"' in page and 'class="del"' in page
    assert (out / "explain" / f"{changed[0][0]}.html").is_file()
    assert _check_links(out) > 0
    first = tmp_path / "first"
    _invoke("report", "--db", str(crawled), "--run", "1", "-o", str(first))
    index = (first / "index.html").read_text(encoding="utf-8")
    assert _check_links(first) > 30
    assert "HTTP 404" in index and "footer.copyright" in index
    assert "demo-city: failed (blocked by an anti-bot challenge)" in index  # the run summary
    with Archive(crawled, lock=False) as archive:
        for stored in archive.articles():
            assert f'href="articles/{stored.id}.html"' in index or stored.version > 1


def test_search_prints_hits_with_snippets(crawled: Path) -> None:
    out = _invoke("search", "学生资助", "--db", str(crawled))
    assert "秋季学期学生资助工作的通知" in out and "1 hits" in out
    assert "学生资助" in _invoke("search", "资助", "--db", str(crawled), "--source", "demo-jyt")
    assert "0 hits" in _invoke("search", "资助", "--db", str(crawled), "--source", "demo-news")
    assert "0 hits" in _invoke("search", "资助", "--db", str(crawled), "--since", "2999-01-01")


def _store_reprint_pages(db: Path) -> list[Path]:
    """The reprint fixtures stored as one recorded run, each page its own source."""
    pages = sorted((FIXTURES / "reprints").glob("*.html"))
    with Archive(db) as archive:
        with archive.transaction():
            run = archive.run_started("crawl", 1e9 - 1)
        for i, path in enumerate(pages):
            url = f"http://{path.stem}.example.cn/a.html"
            result = FetchResult(url=url, final_url=url, status=200, headers={},
                                 body=path.read_bytes(), fetched_at=1e9 + i)
            with archive.transaction():
                archive.put_article(clean_html(result.body, url), url=url, source_id=path.stem,
                                    result=result)
        with archive.transaction():
            archive.run_finished(run, status="finished", exit_code=0, summary="", stats={})
    return pages


def test_report_shows_reprint_clusters(tmp_path: Path) -> None:
    db, out = tmp_path / "a.sqlite", tmp_path / "site"
    _store_reprint_pages(db)
    _invoke("report", "--db", str(db), "-o", str(out))
    index = (out / "index.html").read_text(encoding="utf-8")
    clusters = index[index.index("<h2>Reprint clusters</h2>"):index.index("<h2>Articles</h2>")]
    rows = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td>", clusters)
    assert len(rows) == 3
    with Archive(db, lock=False) as archive:
        by_id = {s.id: s.url for s in archive.articles()}
    for original, reprints in rows:
        original_url = by_id[int(re.findall(r"articles/(\d+)", original)[0])]
        reprint_urls = [by_id[int(i)] for i in re.findall(r"articles/(\d+)", reprints)]
        assert "_gov." in original_url and len(reprint_urls) == 1 and "_news." in reprint_urls[0]


def test_export_dedupe_keeps_one_per_cluster(tmp_path: Path) -> None:
    db = tmp_path / "a.sqlite"
    pages = _store_reprint_pages(db)
    out_all, out_one = tmp_path / "all.jsonl", tmp_path / "one.jsonl"
    _invoke("export", "--db", str(db), "-o", str(out_all))
    _invoke("export", "--db", str(db), "--dedupe", "-o", str(out_one))
    everyone = out_all.read_text(encoding="utf-8").splitlines()
    kept = [json.loads(line)["metadata"]["url"] for line in out_one.read_text().splitlines()]
    assert len(everyone) == len(pages) and len(kept) == len(pages) - 3
    for letter in "abc":  # the gov original (published first) of each reprinted pair
        assert f"http://{letter}_gov.example.cn/a.html" in kept
        assert f"http://{letter}_news.example.cn/a.html" not in kept


def test_datasette_metadata_describes_every_table(tmp_path: Path) -> None:
    db = tmp_path / "zhengwen.sqlite"
    Archive(db).close()
    out = tmp_path / "metadata.json"
    _invoke("datasette-metadata", "--db", str(db), "-o", str(out))
    tables = json.loads(out.read_text(encoding="utf-8"))["databases"]["zhengwen"]["tables"]
    conn = sqlite3.connect(db)
    names = conn.execute(
        "SELECT name, type FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE "
        "'sqlite_%' AND name NOT LIKE 'articles_fts_%'").fetchall()
    for name, kind in names:
        assert name in TABLES, f"{kind} {name} has no description in scraper/catalog.py"
        columns = {r[1] for r in conn.execute(f"PRAGMA table_info({name})")}
        described = set(TABLES[name][2])
        assert columns <= described, (name, columns - described)
        assert kind == "view" or described == columns, (name, described - columns)  # no stale
        assert tables[name]["description"]
    conn.close()


@pytest.mark.parametrize("command", ["explain", "report", "search", "datasette-metadata"])
def test_new_commands_have_help_and_are_in_the_readme(command: str) -> None:
    assert "Usage:" in _invoke(command, "--help")
    assert f"zhengwen {command}" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_report_without_a_run_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "a.sqlite"
    Archive(db).close()
    monkeypatch.setattr("sys.argv", ["zhengwen", "report", "--db", str(db), "-o", "x"])
    with pytest.raises(SystemExit) as exit_info:
        main()
    assert exit_info.value.code == 2
    assert "no crawl run recorded yet" in capsys.readouterr().err
