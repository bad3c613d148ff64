"""Hostile input: every failure of clean_html and clean_text is a CleanerError naming
the input, and a rule pattern that can backtrack catastrophically is refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaners import CleanerError, ExtractionError, RulesError, clean_html, clean_text, load_rules
from cleaners.backtrack import nested_quantifier

FUZZ = settings(max_examples=100, derandomize=True, deadline=None,
                suppress_health_check=[HealthCheck.too_slow])

# Pieces a hostile page mixes: tags (closed, unclosed, stray), rule keywords, dates
# with impossible fields, JSON-LD of odd shapes, entities and control characters.
PIECES = st.sampled_from([
    "<div>", "</div>", "<p>", "</p>", "<a href='/x.html'>", "</a>", "<table><tr><td>", "<br>",
    "<h1>", "</h1>", "<title>", "</title>", "<script>", "</script>", "<ul><li>", "<!--", "-->",
    "<meta name='PubDate' content='2024-13-45 24:99'>", "<meta name='ArticleTitle' content='标题'>",
    '<script type="application/ld+json">"just a string"</script>',
    '<script type="application/ld+json">{"@graph": null}</script>',
    '<script type="application/ld+json">[[[[{"datePublished": 5}]]]]</script>',
    "相关阅读", "【打印本页】【关闭窗口】", "【大】", "分享到：", "来源：", "责任编辑：", "网站地图 |",
    "发布时间：2024-02-30 25:61", "2024年99月99日", "+99:00", "正文第一段，讲述了一件事情。",
    "&nbsp;", "&#0;", "&#x110000;", "\x00", "\ufeff", "\u3000", "\n", "|", "     ", "a",
])


def hostile_documents() -> st.SearchStrategy[str]:
    return st.lists(st.one_of(PIECES, st.text(max_size=12)), max_size=60).map("".join)


def _cleans_or_names_the_input(call, document, url: str) -> None:
    try:
        article = call(document, url)
    except CleanerError as exc:
        assert url in str(exc)
    else:
        assert isinstance(article.text, str)


@FUZZ
@given(hostile_documents())
def test_clean_html_returns_an_article_or_a_cleaner_error(document: str) -> None:
    _cleans_or_names_the_input(clean_html, document, "http://fuzz.example.gov.cn/a.html")


@FUZZ
@given(st.binary(max_size=400) | hostile_documents().map(lambda s: s.encode("utf-8", "replace")))
def test_clean_html_on_bytes_returns_an_article_or_a_cleaner_error(document: bytes) -> None:
    _cleans_or_names_the_input(clean_html, document, "http://fuzz.example.gov.cn/b.html")


@FUZZ
@given(hostile_documents())
def test_clean_text_returns_an_article_or_a_cleaner_error(document: str) -> None:
    _cleans_or_names_the_input(clean_text, document, "http://fuzz.example.gov.cn/c.txt")


def test_an_unexpected_failure_inside_a_stage_becomes_an_extraction_error(
        monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object) -> None:
        raise RuntimeError("stage bug")

    monkeypatch.setattr("cleaners.api.prune_tree", broken)
    with pytest.raises(ExtractionError, match=r"http://x\.gov\.cn/a\.html.*RuntimeError") as info:
        clean_html("<p>正文</p>", "http://x.gov.cn/a.html")
    assert info.value.source == "http://x.gov.cn/a.html"
    with pytest.raises(ExtractionError, match="<bytes>"):
        clean_html(b"<p>x</p>")


def test_a_document_of_the_wrong_type_stays_a_type_error() -> None:
    with pytest.raises(TypeError):
        clean_html(42)  # type: ignore[arg-type]


@pytest.mark.parametrize("pattern", [r"(a+)+$", r"^(\s*\w)*$", r"(?:x|y*)+", r"(?=(a*)*b)",
                                     r"(?:[|｜]\s*[^|]+)+"])
def test_nested_unbounded_quantifiers_are_refused(pattern: str) -> None:
    assert nested_quantifier(pattern) is not None


@pytest.mark.parametrize("pattern", [r"^\s*(打印|关闭)+$", r"(?:\s*+x)+", r"(?:a++b)+",
                                     r"(?>a+)+", r".{0,12}授权.{0,20}", r"(?:x.{0,3})+",
                                     r"^(a|aa)+$"])
def test_other_shapes_are_admitted(pattern: str) -> None:
    assert nested_quantifier(pattern) is None


def test_a_user_rule_that_can_hang_is_refused_naming_file_line_and_rule(tmp_path: Path) -> None:
    path = tmp_path / "site.toml"
    path.write_text('\n[[rule]]\nname = "site.x.menu"\nkind = "drop"\nwhy = "menu rows"\n'
                    "patterns = ['^(\\s*[|｜]\\s*\\S+)+$']\nexamples = ['| a | b']\n",
                    encoding="utf-8")
    with pytest.raises(RulesError, match="refused") as info:
        load_rules(path)
    assert (info.value.path, info.value.line, info.value.rule) == (str(path), 3, "site.x.menu")


def test_screens_honour_each_rules_max_chars(tmp_path: Path) -> None:
    path = tmp_path / "site.toml"
    path.write_text('[[rule]]\nname = "site.x.short"\nkind = "drop"\nwhy = "short widget"\n'
                    "patterns = ['点击订阅']\nmax_chars = 10\nexamples = ['点击订阅']\n",
                    encoding="utf-8")
    rules = load_rules(path)
    long_line = "这是一段很长的正文，其中提到读者可以点击订阅，但它不是一个按钮。"
    assert rules.first_match("drop", "点击订阅本刊").name == "site.x.short"
    assert rules.first_match("drop", long_line) is None
    assert not load_rules(path, defaults=False).screen("drop").search(long_line)
    page = f"<html><body><p>{long_line}</p><p>点击订阅</p></body></html>"
    article = clean_html(page, rules=rules)
    assert long_line in article.text and ("site.x.short", "点击订阅") in article.removed
