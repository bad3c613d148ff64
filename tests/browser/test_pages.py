"""The explain page, the crawl report and a hostile page, rendered by a real browser."""

from __future__ import annotations

import asyncio
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from cleaners import clean_html
from scraper import Archive, FetchResult, crawl, load_config
from scraper.demo_site import DemoSite
from scraper.explain import Target, explain_target
from scraper.pages import family_colour, family_of
from scraper.report import write_report
from tests.browser.conftest import Watched
from tests.conftest import FIXTURES

HOSTILE = FIXTURES / "explain" / "hostile_page.html"


def _rgb(hex_colour: str) -> str:
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r}, {g}, {b})"


def _squash(text: str) -> str:
    return re.sub(r"[\W_]+", "", text)


def test_explain_page_strikes_what_removed_says(watched: Watched, tmp_path: Path) -> None:
    page_path = FIXTURES / "reprints" / "weather_1.html"  # two line removals in one block
    article = clean_html(page_path.read_bytes(), "http://news.example.cn/a.html")
    out = tmp_path / "explain.html"
    out.write_text(explain_target(Target(page_path.read_bytes(), "http://news.example.cn/a.html",
                                         {}, page_path.name)), encoding="utf-8")
    watched.open(out)
    struck = watched.page.eval_on_selector_all(".blk.removed", """els => els.map(e => ({
        rule: e.dataset.rule, text: e.querySelector('s').textContent,
        labels: [...e.querySelectorAll('.rule')].map(r => [r.textContent,
                                                          getComputedStyle(r).backgroundColor]),
        line: getComputedStyle(e.querySelector('s')).textDecorationLine,
        colour: getComputedStyle(e).borderLeftColor, visible: e.offsetHeight > 0}))""")
    assert struck, "no struck-through block rendered"
    for removal in article.removed:
        want = _squash(removal.text)  # a block is the removed text, or holds it
        blocks = [b for b in struck if removal.rule in [rule for rule, _ in b["labels"]]
                  and _squash(b["text"]) and (_squash(b["text"]) in want
                                              or want in _squash(b["text"]))]
        assert blocks, f"{removal} has no struck-through block"
    for block in struck:
        assert block["visible"] and block["line"] == "line-through"
        assert block["colour"] == _rgb(family_colour(family_of(block["rule"]))), block
        for rule, background in block["labels"]:
            assert background == _rgb(family_colour(family_of(rule))), block
    assert f"content rule {article.located_by}" in watched.page.inner_text("#body-how")
    assert watched.page.inner_text("#article h1") == article.title
    assert not watched.errors and not watched.dialogs
    watched.screenshot("explain-weather_1")


def _crawl(sources_path: Path, db: Path) -> None:
    settings, sources = load_config(sources_path)
    with Archive(db) as archive:
        asyncio.run(crawl(sources, archive, settings, force=True))


def _crawl_demo(site: DemoSite, db: Path) -> None:
    sources_path = db.with_suffix(".toml")
    sources_path.write_text(site.sources_text(), encoding="utf-8")
    with ThreadPoolExecutor(1) as pool:
        # Playwright's sync API holds this thread's event loop: the crawl gets its own thread.
        pool.submit(_crawl, sources_path, db).result()


def test_report_links_resolve_and_search_finds(watched: Watched, site: DemoSite,
                                               tmp_path: Path) -> None:
    db, out = tmp_path / "a.sqlite", tmp_path / "report"
    _crawl_demo(site, db)
    with Archive(db, lock=False) as archive:
        write_report(archive, out)
        known = next(s for s in archive.articles() if s.article.title and len(s.article.text) > 40)
    watched.open(out / "index.html")
    hrefs = watched.page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
    local = [h for h in hrefs if h.startswith("file:")]
    assert local and all(Path(h.removeprefix("file://")).is_file() for h in local), local
    watched.page.click(f'#articles a[href="articles/{known.id}.html"]')
    assert watched.page.inner_text("h1") == known.article.title
    watched.page.click("text=explain")
    assert watched.page.locator(".blk").count() > 0
    watched.page.go_back()
    watched.page.go_back()
    query = known.article.text[10:16]
    watched.page.fill("#search", query)
    hits = watched.page.eval_on_selector_all("#hits a", "els => els.map(e => e.textContent)")
    assert known.article.title in hits
    assert not watched.errors and not watched.dialogs  # the inline script ran under the CSP
    watched.screenshot("report-index-search")


def test_hostile_page_executes_nothing(watched: Watched, tmp_path: Path) -> None:
    body = HOSTILE.read_bytes()
    url = "http://hostile.example.cn/t.html"
    explain = tmp_path / "hostile.html"
    explain.write_text(explain_target(Target(body, url, {}, "<script>alert(0)</script>")),
                       encoding="utf-8")
    with Archive(tmp_path / "a.sqlite") as archive:
        result = FetchResult(url=url, final_url=url, status=200, headers={}, body=body,
                             fetched_at=1e9)
        with archive.transaction():
            archive.put_article(clean_html(body, url), url=url, source_id="hostile",
                                result=result)
            archive.conn.execute(
                "INSERT INTO urls (url, source_id, kind, status, last_error, discovered_at, "
                "fetched_at) VALUES ('javascript:alert(3)', 'hostile', 'article', 'failed', "
                "'<img src=x onerror=alert(4)>', 1e9, 1e9)")
            run = archive.run_started("crawl", 1e9 - 1)
            archive.run_finished(run, status="finished", exit_code=0, summary="<i>x</i>", stats={
                "counts": {"clean/removed/<b onmouseover=alert(1)>": 1},
                "blocked_hosts": {"<img src=x onerror=alert(2)>": "x"}})
        write_report(archive, tmp_path / "report")
    pages = [explain, tmp_path / "report" / "index.html",
             tmp_path / "report" / "articles" / "1.html", tmp_path / "report" / "explain" / "1.html"]
    for path in pages:
        watched.open(path)
        watched.page.mouse.move(300, 300)
        for link in watched.page.locator("a").all():
            assert not (link.get_attribute("href") or "").lower().startswith("javascript:")
        assert watched.page.evaluate("window.__pwned === undefined")
        assert watched.page.locator("img, iframe, svg, object, embed").count() == 0
    watched.open(tmp_path / "report" / "index.html")
    watched.page.fill("#search", "alert(1)")  # the hostile title, shown by the search as text
    assert "<script>alert(1)</script>" in watched.page.inner_text("#hits")
    assert watched.page.locator("#hits img, #hits script").count() == 0
    watched.open(explain)
    watched.screenshot("explain-hostile")
    assert watched.dialogs == [] and watched.errors == []
