"""The Archive API on both engines: each test runs on a SQLite file and on a PostgreSQL
database, and one scenario is run on both and compared whole."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cleaners import Article, Removal, SiteTemplate
from scraper import Archive, ArchiveError, FetchResult
from scraper.health import SourceHealth, check_health, count_article, count_list_page
from scraper.migrations import migrations
from scraper.reprints import clusters, dedupe
from scraper.search import MARK_END, MARK_START, search
from scraper.stats import Stats

ENGINES = [pytest.param("sqlite", id="sqlite"),
           pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres)]
T0 = 1.7e9  # fetched_at of the first page; each next one a second later

NOTICE = "示例省教育厅关于做好秋季学期学生资助工作的通知。各地要准确认定资助对象，按时发放资助资金。"
REPRINT = ("示例省部署秋季学期校园食品安全工作，要求各地在开学前完成学校食堂全覆盖检查，"
           "发现问题立即整改，确保师生饮食安全。") * 3


@pytest.fixture(params=ENGINES)
def target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where an archive goes: a SQLite path, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "a.sqlite")
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def archive(target: str) -> Iterator[Archive]:
    with Archive(target) as opened:
        yield opened


def _result(url: str, at: float, body: bytes | None = None) -> FetchResult:
    return FetchResult(url=url, final_url=url, status=200, headers={"content-type": "text/html"},
                       body=body if body is not None else url.encode(), fetched_at=at)


def _put(archive: Archive, url: str, article: Article, at: float, source: str = "s",
         body: bytes | None = None) -> str:
    with archive.transaction():
        result = _result(url, at, body)
        rid = archive.put_response(result, source)
        return archive.put_article(article, url=url, source_id=source, result=result,
                                   response_id=rid)


def _fill(archive: Archive) -> list[str]:
    """A small archive: versions, a reprint pair, a raw response, discovery responses, a
    template and a run; returns what each put_article said."""
    said = [
        _put(archive, "http://a.cn/1", Article(title="通知", text=NOTICE, keywords=["资助"],
                                               removed=[Removal("nav.breadcrumb", "当前位置")],
                                               attachments=[("附件1", "http://a.cn/f.pdf")]),
             T0),
        _put(archive, "http://a.cn/1", Article(title="通知", text=NOTICE), T0 + 1,
             body=b"<p>same text, another counter</p>"),
        _put(archive, "http://a.cn/2", Article(title="食品安全", text=REPRINT,
                                               published="2024-08-21"), T0 + 2),
        _put(archive, "http://b.cn/9", Article(title="转载：食品安全", text=REPRINT + "转载",
                                               published="2024-08-22",
                                               original_url="http://a.cn/2"), T0 + 3, "news"),
        _put(archive, "http://b.cn/8", Article(title="Metro Line 3", text="地铁三号线开通试运营。"
                                               " Opening 100% on time_ok."), T0 + 4, "news"),
        _put(archive, "http://a.cn/1", Article(title="通知（更正）", text=NOTICE + "已更正。"),
             T0 + 5),
    ]
    with archive.transaction():
        archive.put_response(_result("http://a.cn/3", T0 + 6), "s")  # kept raw
        assert archive.put_discovery_response(_result("http://a.cn/list", T0 + 7), "s", "list")
        assert not archive.put_discovery_response(_result("http://a.cn/list", T0 + 8), "s",
                                                  "list")
        assert archive.put_discovery_response(_result("http://b.cn/robots.txt", T0 + 9), "",
                                              "robots")
        archive.frontier.add(["http://a.cn/1", "http://a.cn/2", "http://a.cn/3"], "s", "article")
        archive.frontier.add(["http://b.cn/9", "http://b.cn/8"], "news", "article")
        archive.source_started("s")
        archive.source_finished("s")
        run = archive.run_started("crawl", started=T0)
        archive.run_finished(run, status="finished", exit_code=1, summary="s: ok\nnews: ok",
                             stats={"counts": {"store/article/new": 4}})
    archive.put_template(SiteTemplate(site="a.cn", pages=3))
    for started, text in ((1.0, "正文" * 200), (2.0, "正文" * 200), (3.0, "")):
        stats = Stats()
        for _ in range(3):
            count_article(stats, "s", Article(title="标题", text=text))
        count_list_page(stats, "s", 5)
        with archive.transaction():
            check_health(archive.conn, stats, ["s"], started)
    return said


def _articles(stored: Iterator | list) -> list[tuple]:
    return [(s.id, s.url, s.version, s.source_id, s.fetched_at, s.article.title)
            for s in stored]


def _observe(archive: Archive) -> dict[str, Any]:
    """Everything the API says about the archive _fill made (search snippets are left
    out: SQLite's index makes its own)."""
    ids = archive.article_ids()
    hit_ids = {query: sorted(h.article_id for h in search(archive.conn, query))
               for query in ("资助", "学生资助", "学生资助 已更正", "食品安全 全覆盖", "metro",
                             "LINE 3", "100%", "time_ok", "三号线", "无此词")}
    return {
        "ids": ids, "ids_s": archive.article_ids(source_id="s"),
        "all": _articles(archive.articles(all_versions=True)),
        "latest": _articles(archive.articles()),
        "news": _articles(archive.articles(source_id="news")),
        "since": _articles(archive.articles(since=T0 + 3, all_versions=True)),
        "versions": _articles(archive.versions_of(["http://a.cn/1", "http://b.cn/9"])),
        "first": archive.article(ids[0]),
        "uncleaned": archive.uncleaned_responses(),
        "discovery": [(r.url, r.source_id, r.body) for r in archive.discovery_responses()],
        "discovery_s": [r.url for r in archive.discovery_responses(source_id="s")],
        "response_of": [(r.url, r.body, r.headers, r.status, r.fetched_at)
                        for r in map(archive.response_of, ids)],
        "sources": archive.source_ids(), "count": archive.count_articles(),
        "runs": [{k: v for k, v in run.items() if k != "finished"} for run in archive.runs()],
        "last_finished": archive.last_finished("s") is not None,
        "templates": archive.template_hosts(), "template": archive.template("a.cn"),
        "hits": hit_ids,
        "clusters": [(c.original.url, [r.url for r in c.reprints])
                     for c in clusters(archive.conn, archive.articles())],
        "dedupe": [s.url for s in dedupe(archive.conn, archive.articles())],
        "health": sorted(SourceHealth(archive.conn).latest(), key=lambda f: f.figure),
    }


@pytest.mark.parametrize("engine", ENGINES)
def test_both_engines_give_the_same_results(engine: str, tmp_path: Path,
                                            request: pytest.FixtureRequest) -> None:
    """The scenario on SQLite is the reference; PostgreSQL (and a second SQLite file, the
    control) must say the same."""
    with Archive(tmp_path / "reference.sqlite") as reference:
        said = _fill(reference)
        expected = _observe(reference)
    other = (str(tmp_path / "b.sqlite") if engine == "sqlite"
             else request.getfixturevalue("postgres_url"))
    with Archive(other) as archive:
        assert _fill(archive) == said
        assert _observe(archive) == expected


def test_versions_and_filters(archive: Archive) -> None:
    assert _fill(archive) == ["new", "unchanged", "new", "new", "new", "changed"]
    seen = _observe(archive)
    assert [(url, v) for _, url, v, *_ in seen["all"]] == [
        ("http://a.cn/1", 1), ("http://a.cn/2", 1), ("http://b.cn/9", 1), ("http://b.cn/8", 1),
        ("http://a.cn/1", 2)]
    assert [row[1] for row in seen["latest"]] == [
        "http://a.cn/2", "http://b.cn/9", "http://b.cn/8", "http://a.cn/1"]
    assert [row[1] for row in seen["news"]] == ["http://b.cn/9", "http://b.cn/8"]
    assert [row[4] for row in seen["since"]] == [T0 + 3, T0 + 4, T0 + 5]
    assert [(row[1], row[2]) for row in seen["versions"]] == [
        ("http://a.cn/1", 1), ("http://b.cn/9", 1), ("http://a.cn/1", 2)]
    first = seen["first"]
    assert isinstance(first, Article) and first.keywords == ["资助"]
    assert first.removed == [Removal("nav.breadcrumb", "当前位置")]
    assert first.attachments == [("附件1", "http://a.cn/f.pdf")]
    assert seen["sources"] == ["news", "s"] and seen["count"] == 5
    assert [b for _, b, *_ in seen["response_of"]][:2] == [
        b"http://a.cn/1", b"http://a.cn/2"]  # the unchanged copy stored no new version


def test_raw_and_discovery_responses(archive: Archive) -> None:
    _fill(archive)
    [raw] = archive.uncleaned_responses()
    assert archive.response(raw).url == "http://a.cn/3"
    assert archive.uncleaned_responses(source_id="news") == []
    assert [(r.url, r.source_id) for r in archive.discovery_responses()] == [
        ("http://a.cn/list", "s"), ("http://b.cn/robots.txt", "")]  # the same list body once
    assert [r.url for r in archive.discovery_responses(source_id="s")] == ["http://a.cn/list"]
    assert [r.url for r in archive.discovery_responses(since=T0 + 9)] == ["http://b.cn/robots.txt"]


def test_replace_article_rewrites_one_version_and_its_search(archive: Archive) -> None:
    _fill(archive)
    latest = next(s for s in archive.articles() if s.url == "http://a.cn/1")
    withdrawn = Article(url="http://a.cn/1", title="通知（撤回）", text="本通知已撤回。")
    with archive.transaction():
        archive.replace_article(latest.id, withdrawn)
    assert archive.article(latest.id) == withdrawn
    assert [h.article_id for h in search(archive.conn, "撤回")] == [latest.id]
    assert search(archive.conn, "学生资助") == []  # the old version is not the newest


def test_runs_templates_and_source_runs(archive: Archive) -> None:
    _fill(archive)
    [run] = archive.runs()
    assert run["command"] == "crawl" and run["status"] == "finished" and run["exit_code"] == 1
    assert run["started"] == "2023-11-14T22:13:20.000Z" and run["finished"].endswith("Z")
    assert run["summary"] == "s: ok\nnews: ok"
    assert archive.last_finished("s") is not None and archive.last_finished("news") is None
    assert archive.template_hosts() == [("a.cn", 3)]
    assert archive.template("a.cn") == SiteTemplate(site="a.cn", pages=3)
    assert archive.template("b.cn") is None


def test_search_terms_chinese_short_and_latin(archive: Archive) -> None:
    _fill(archive)
    ids = {s.url: s.id for s in archive.articles()}
    hits = _observe(archive)["hits"]
    assert hits == {
        "资助": [ids["http://a.cn/1"]],  # two characters: below the trigram index
        "学生资助": [ids["http://a.cn/1"]],
        "学生资助 已更正": [ids["http://a.cn/1"]],
        "食品安全 全覆盖": sorted([ids["http://a.cn/2"], ids["http://b.cn/9"]]),
        "metro": [ids["http://b.cn/8"]], "LINE 3": [ids["http://b.cn/8"]],
        "100%": [ids["http://b.cn/8"]], "time_ok": [ids["http://b.cn/8"]],
        "三号线": [ids["http://b.cn/8"]], "无此词": []}
    [hit] = search(archive.conn, "学生资助")
    assert f"{MARK_START}学生资助{MARK_END}" in hit.snippet
    assert search(archive.conn, "食品安全", source_id="news")[0].url == "http://b.cn/9"
    assert search(archive.conn, "食品安全", since=T0 + 3, limit=5)[0].url == "http://b.cn/9"
    assert len(search(archive.conn, "食品安全", limit=1)) == 1


def test_health_is_recorded_by_the_fill(archive: Archive) -> None:
    _fill(archive)
    figures = {f.figure: f for f in _observe(archive)["health"]}
    assert figures["empty_text"].drifting and figures["empty_text"].since == 3.0
    assert figures["median_chars"].baseline == 400 and figures["list_no_links"].value == 0.0


def test_reprint_clusters(archive: Archive) -> None:
    _fill(archive)
    seen = _observe(archive)
    assert seen["clusters"] == [("http://a.cn/2", ["http://b.cn/9"])]  # named as the original
    assert seen["dedupe"] == ["http://a.cn/2", "http://b.cn/8", "http://a.cn/1"]


GOOD = Article(title="标题", text="正文" * 200, published="2024-10-12", source="某厅",
               located_by="source.s.content")


def test_health_drift_and_history(archive: Archive) -> None:
    def one_pass(started: float, articles: list[Article], links: int = 5) -> Stats:
        stats = Stats()
        for article in articles:
            count_article(stats, "s", article)
        count_list_page(stats, "s", links)
        with archive.transaction():
            check_health(archive.conn, stats, ["s"], started)
        return stats

    for started in (1.0, 2.0, 3.0):
        assert one_pass(started, [GOOD] * 4).drifting == {}
    broken = one_pass(4.0, [Article(title="标题", text="")] * 3, links=0)
    assert {f["figure"] for f in broken.drifting["s"]} >= {"empty_text", "list_no_links"}
    figures = {f.figure: f for f in SourceHealth(archive.conn).latest(["s"])}
    assert figures["empty_text"].value == 1.0 and figures["empty_text"].baseline == 0.0
    assert figures["empty_text"].since == 4.0
    assert figures["median_chars"].baseline == 400


def test_a_read_only_open_refuses_writes(target: str) -> None:
    with Archive(target) as archive:
        _fill(archive)
    with Archive(target, readonly=True) as archive:
        assert archive.count_articles() == 5
        with pytest.raises(archive.conn.errors):
            archive.conn.execute("DELETE FROM articles")
        with pytest.raises(ArchiveError, match="write failed"):
            _put(archive, "http://c.cn/1", Article(title="新", text="新文章"), T0 + 20)
    with Archive(target, readonly=True) as archive:
        assert archive.count_articles() == 5


def test_both_schema_folders_hold_the_same_migrations() -> None:
    assert [n for n, _ in migrations("sqlite")] == [n for n, _ in migrations("postgresql")]


OPEN_ARCHIVE = """
import json, sys
from scraper.database import connect_postgres
from scraper.migrations import migrate
from scraper import Archive
db = connect_postgres(sys.argv[1])
print(json.dumps(migrate(db)))
db.close()
Archive(sys.argv[1]).close()
"""


@pytest.mark.postgres
def test_concurrent_openings_apply_each_migration_once(postgres_url: str) -> None:
    procs = [subprocess.Popen([sys.executable, "-c", OPEN_ARCHIVE, postgres_url],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(4)]
    outputs = [proc.communicate(timeout=120) for proc in procs]
    assert [p.returncode for p in procs] == [0] * 4, [err for _, err in outputs]
    applied = [name for out, _ in outputs for name in json.loads(out)]
    names = [n for n, _ in migrations("postgresql")]
    assert sorted(applied) == names  # each once, by one process or another
    with Archive(postgres_url, readonly=True) as archive:
        rows = archive.conn.execute("SELECT name, count(*) FROM migrations GROUP BY name "
                                    "ORDER BY name").fetchall()
    assert rows == [(name, 1) for name in names]


@pytest.mark.postgres
def test_iso_views_give_the_same_text_on_both_engines(tmp_path: Path, postgres_url: str) -> None:
    """Timestamps whose millisecond is near a half, where rounding in another order
    would differ, read the same from the *_iso views."""
    rng = random.Random(7)
    times = [rng.uniform(1.6e9, 1.9e9) for _ in range(3000)] + [T0 + 0.0005, T0 + 0.9995]
    texts = []
    for target in (str(tmp_path / "a.sqlite"), postgres_url):
        with Archive(target) as archive, archive.transaction():
            for at in times:
                archive.run_started("crawl", started=at)
            texts.append([r[0] for r in archive.conn.execute(
                "SELECT started FROM runs_iso ORDER BY id")])
    assert texts[0] == texts[1]
    assert texts[0][-2:] == ["2023-11-14T22:13:20.001Z", "2023-11-14T22:13:21.000Z"]


def test_a_missing_driver_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if the extra were not installed
    with pytest.raises(ArchiveError, match=r"postgresql://zw:\*\*\*@127\.0\.0\.1:1/a: .*"
                                           r"pip install 'zhengwen\[postgres\]'"):
        Archive("postgresql://zw:secret@127.0.0.1:1/a")
