"""Untrusted page text in exports: formulas in CSV cells, header injection in WARC."""

from __future__ import annotations

import csv
import io

import pytest

from cleaners import Article
from scraper.errors import ExportError
from scraper.export import csv_cell, export_articles, warc_uri
from scraper.store import StoredArticle


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x.cn","点我")', "+1+1", "-2+3", "@SUM(A1)",
                                  "\t=1", "\r=1"])
def test_formula_starts_are_neutralised(text: str) -> None:
    assert csv_cell(text) == "'" + text


def test_ordinary_cells_are_left_alone() -> None:
    assert csv_cell("关于做好2024年秋季学期工作的通知") == "关于做好2024年秋季学期工作的通知"
    assert csv_cell(3) == 3 and csv_cell(None) is None


def test_a_remote_formula_title_is_text_in_the_csv() -> None:
    article = Article(url="http://a.cn/t.html", title='=HYPERLINK("http://evil.cn","详情")',
                      text="-正文第一段。", author="@编辑")
    stored = StoredArticle(1, "http://a.cn/t.html", 1, "s", "http://a.cn/t.html", 0.0, 200,
                           "utf-8", article)
    out = io.StringIO()
    export_articles(iter([stored]), out, "csv")
    row = next(csv.DictReader(io.StringIO(out.getvalue())))
    assert row["title"] == "'" + article.title and row["text"] == "'-正文第一段。"
    assert row["author"] == "'@编辑"


@pytest.mark.parametrize("url", ["http://a.cn/x\r\nWARC-Type: resource", "http://a.cn/a b",
                                 "http://a.cn/\x00", "http://a.cn/\x7f", "javascript:alert(1)",
                                 "http:///nohost"])
def test_warc_refuses_urls_that_break_a_header(url: str) -> None:
    with pytest.raises(ExportError, match="not written to the WARC"):
        warc_uri(url)


def test_warc_takes_ordinary_and_chinese_urls() -> None:
    assert warc_uri("http://a.cn/新闻/t1.html?id=1") == "http://a.cn/新闻/t1.html?id=1"
