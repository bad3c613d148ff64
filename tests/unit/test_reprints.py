"""Reprints: precision and recall on pages whose truth is written down beside them
(the same article under two templates; near misses from one template)."""

from __future__ import annotations

import itertools
import tomllib
from pathlib import Path

from cleaners import Article, clean_html
from scraper import Archive, FetchResult
from scraper.reprints import THRESHOLD, clusters, dedupe, link_missing
from tests.conftest import FIXTURES

REPRINTS = FIXTURES / "reprints"
MIN_PRECISION, MIN_RECALL = 1.0, 1.0  # on these pages every pair is clear-cut


def _put(archive: Archive, url: str, article: Article, at: float) -> str:
    result = FetchResult(url=url, final_url=url, status=200, headers={}, body=url.encode(),
                         fetched_at=at)
    with archive.transaction():
        return archive.put_article(article, url=url, source_id=url.split("/")[2], result=result)


def _pages() -> dict[str, Article]:
    paths = sorted(REPRINTS.glob("*.html")) + sorted((FIXTURES / "pages").glob("*.html"))
    return {p.name: clean_html(p.read_bytes(), f"http://{p.stem}.example.cn/{p.name}")
            for p in paths}


def test_precision_and_recall_on_reprint_pairs(tmp_path: Path) -> None:
    truth = {frozenset(g) for g in tomllib.loads(
        (REPRINTS / "groups.toml").read_text(encoding="utf-8"))["reprints"]}
    pages = _pages()
    with Archive(tmp_path / "a.sqlite") as archive:
        for i, (name, article) in enumerate(pages.items()):
            _put(archive, f"http://{name.split('.')[0]}.example.cn/{name}", article, 1e9 + i)
        cluster_of = dict(archive.conn.execute(
            "SELECT a.url, r.cluster_id FROM articles a JOIN reprints r ON r.article_id = a.id"))
    name_cluster = {url.rsplit("/", 1)[1]: c for url, c in cluster_of.items()}
    predicted = {frozenset(p) for p in itertools.combinations(name_cluster, 2)
                 if name_cluster[p[0]] == name_cluster[p[1]]}
    true_positive = len(predicted & truth)
    precision = true_positive / len(predicted) if predicted else 1.0
    recall = true_positive / len(truth)
    print(f"reprint pairs: precision {precision:.2f}, recall {recall:.2f}, "
          f"{len(pages)} pages, threshold {THRESHOLD}")
    assert precision >= MIN_PRECISION and recall >= MIN_RECALL, (predicted, truth)


def test_original_by_original_url_then_earliest_published(tmp_path: Path) -> None:
    text = "示例省部署秋季学期校园食品安全工作，要求各地在开学前完成学校食堂全覆盖检查。" * 3
    with Archive(tmp_path / "a.sqlite") as archive:
        _put(archive, "http://news.cn/1", Article(text=text, published="2024-08-20",
                                                   original_url="http://gov.cn/9"), 1e9)
        _put(archive, "http://gov.cn/9", Article(text=text, published="2024-08-21"), 1e9 + 1)
        _put(archive, "http://other.cn/3", Article(text=text + "转载", published="2024-08-19"),
             1e9 + 2)
        _put(archive, "http://solo.cn/4", Article(text="另一篇完全不同的文章，讲的是图书馆评估。"),
             1e9 + 3)
        found = clusters(archive.conn, archive.articles())
        assert len(found) == 1
        assert found[0].original.url == "http://gov.cn/9"  # named by a reprint, though later
        kept = [s.url for s in dedupe(archive.conn, archive.articles())]
        assert kept == ["http://gov.cn/9", "http://solo.cn/4"]
        archive.conn.execute("DELETE FROM articles WHERE url = 'http://news.cn/1'")
        found = clusters(archive.conn, archive.articles())
        assert found[0].original.url == "http://other.cn/3"  # then the earliest published


def test_archives_from_before_reprints_are_linked(tmp_path: Path) -> None:
    db = tmp_path / "a.sqlite"
    text = "示例县启动高标准农田建设项目，计划新建和改造农田五万亩，总投资约一亿元。" * 2
    with Archive(db) as archive:
        _put(archive, "http://a.cn/1", Article(text=text), 1e9)
        _put(archive, "http://b.cn/1", Article(text=text), 1e9 + 1)
        archive.conn.execute("DELETE FROM reprints")
        archive.conn.commit()
        assert link_missing(archive.conn) == 2
        assert len(clusters(archive.conn, archive.articles())) == 1
