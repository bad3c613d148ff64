import json

import pytest
from selectolax.lexbor import LexborHTMLParser

from cleaners import clean_html, clean_text, default_rules
from cleaners.fields import read_fields
from cleaners.lang import detect_language
from cleaners.metadata import align_lines, page_candidates
from cleaners.titles import split_title

BODY = "这是正文的第一段，内容足够长，可以被识别为文章的正文段落，讲述示例市的一件新闻。"


def header_fields(*lines: str):
    """Fields read from ``lines`` standing between a headline and a one-line body."""
    page = ["示例标题", *lines, BODY]
    return read_fields(page, len(page) - 1, len(page), default_rules(), headline=0)


@pytest.mark.parametrize(("page_title", "heading", "expected"), [
    ("示例省启动研修计划_示例省教育厅", None, ("示例省启动研修计划", "示例省教育厅")),
    ("1-10月示例县投资结构趋稳", "1-10月示例县投资结构趋稳", ("1-10月示例县投资结构趋稳", None)),
    ("外媒眼中的示例长假_首页_新闻中心_示例网_example.cn", None, ("外媒眼中的示例长假", "示例网")),
    ("示例活动--示例商报", None, ("示例活动", "示例商报")),
    ("示例新闻 | 示例网", None, ("示例新闻", "示例网")),
    ("只有标题", None, ("只有标题", None)),
    ("示例市的声音：有你才有城！-示例新闻网", None, ("示例市的声音：有你才有城！", "示例新闻网")),
    ("1-10月示例县投资结构趋稳", None, ("1-10月示例县投资结构趋稳", None)),
    ("2023-2024学年校历", None, ("2023-2024学年校历", None)),
    ("", "页面标题", ("页面标题", None)),
    ("示例芯片发布：性能提升十倍-EDN 电子技术设计", "示例芯片发布：性能提升十倍",
     ("示例芯片发布：性能提升十倍", "EDN 电子技术设计")),
])
def test_split_title(page_title, heading, expected) -> None:
    assert split_title(page_title, heading) == expected


@pytest.mark.parametrize(("line", "field", "value"), [
    ("时间:2024-02-02 10:42  来源:吐鲁番市教育局   浏览次数: 分享:", "source", "吐鲁番市教育局"),
    ("信息来源：省发改委", "source", "省发改委"),
    ("来源：示例日报 作者：李四", "author", "李四"),
    ("来源：示例日报 作者：李四", "source", "示例日报"),
    ("（责任编辑：王五）", "editor", "王五"),
    ("（ 责任编辑：王五 ）", "editor", "王五"),
    ("【编辑：赵六】", "editor", "赵六"),
    ("本文来源：示例日报 责任编辑：杨倩_NF4425", "editor", "杨倩"),
    ("本文来源：示例日报责任编辑：杨倩", "editor", "杨倩"),
    ("日期: 来源:网信滨海收集编辑:网信滨海", "source", "网信滨海"),
    ("来源：示例网-文化频道 原创稿", "source", "示例网-文化频道"),
    ("2019-09-26 10:56:28 示例时报网", "source", "示例时报网"),
    ("2019-09-26 10:56:28 示例时报网参与互动", "source", "示例时报网"),
    ("文/张三", "author", "张三"),
    ("作者：李四", "author", "李四"),
    ("撰稿：王五", "author", "王五"),
    ("新京报记者 陆一夫", "author", "陆一夫"),
    ("本报记者 张三 李四", "author", "张三 李四"),
    ("關鍵詞:教育，帮扶、乡村", "keywords", ("教育", "帮扶", "乡村")),
    ("网址:http://jyt.example.gov.cn/a.html(2022 年10 月10 日)", "original_url",
     "http://jyt.example.gov.cn/a.html"),
    ("http://www.example.cn2019年12月23日 13:40教育装备网", "url", "http://www.example.cn"),
    ("2022-12-03 20:00湖南省教育厅", "published", "2022-12-03T20:00:00+08:00"),
    ("示例日报 2024-05-20 13:09", "published", "2024-05-20T13:09:00+08:00"),
])
def test_field_rules(line: str, field: str, value) -> None:
    assert header_fields(line).value(field) == value or \
        getattr(header_fields(line), field).value == value


@pytest.mark.parametrize(("lines", "field", "value"), [
    (["责任编辑：", "王五"], "editor", "王五"),
    (["来源：", "示例新闻网"], "source", "示例新闻网"),
    (["2024年", "10月28日", "10:34"], "published", "2024-10-28T10:34:00+08:00"),
])
def test_value_on_the_next_line(lines, field, value) -> None:
    assert header_fields(*lines).value(field) == value


@pytest.mark.parametrize("line", ["来源：来自北京", "来源：他说今天的会议开得很好，大家都很满意。"])
def test_not_a_source(line: str) -> None:
    assert header_fields(line).source is None


@pytest.mark.parametrize(("first", "author"), [
    ("新华社北京10月28日电（记者 张三、李四）" + BODY, "张三 李四"),
    ("本报讯（记者 王五 通讯员 赵六）" + BODY, "王五 赵六"),
    ("示例网讯（记者陈七 整合）" + BODY, "陈七"),
    ("（记者 陈七 整合）" + BODY, "陈七"),
    ("中新網上海10月28日電（記者 陳七）" + BODY, "陳七"),
])
def test_byline_in_the_first_paragraph(first: str, author: str) -> None:
    page = ["示例标题", first, BODY]
    found = read_fields(page, 1, 3, default_rules(), headline=0)
    assert found.value("author") == author
    assert found.author.origin.startswith("line:byline.")


@pytest.mark.parametrize(("last", "author"), [
    (BODY + "（张三 李四）", "张三 李四"),
    (BODY + "（新华社）", None),
    (BODY + "（完）", None),
])
def test_trailing_names_of_the_last_paragraph(last: str, author) -> None:
    page = ["示例标题", BODY, BODY, BODY, BODY, last]
    assert read_fields(page, 1, 6, default_rules(), headline=0).value("author") == author


def test_several_editors_in_page_order() -> None:
    page = ["示例标题", BODY, BODY, BODY, BODY, "编辑 刘一 校对 陈二", "本文来源：示例日报 责任编辑：王五_NT6056"]
    assert read_fields(page, 1, 5, default_rules(), headline=0).value("editor") == "刘一 王五"


def test_outlet_is_never_the_author() -> None:
    html = ('<html><head><title>示例标题_示例网</title><meta name="author" content="示例网">'
            '</head><body><h1>示例标题</h1><div>2024-05-20 10:00 来源：示例日报</div>'
            f'<div class="content"><p>{BODY}</p><p>{BODY}</p></div></body></html>')
    assert clean_html(html).author is None


def test_header_date_beats_modified_meta_and_sidebar_lists() -> None:
    html = ('<html><head><title>示例标题</title>'
            '<meta property="article:modified_time" content="2024-06-01T09:00:00+08:00"></head>'
            '<body><ul><li>示例旧闻一则 2024-07-01</li><li>示例旧闻两则 2024-07-02</li></ul>'
            '<h1>示例标题</h1><div>发布时间：2024-05-20 10:00</div>'
            f'<div class="content"><p>{BODY}</p><p>{BODY}</p></div></body></html>')
    article = clean_html(html)
    assert article.published == "2024-05-20T10:00:00+08:00"
    assert article.provenance["published"] == "line:meta.dateline@header"


def test_gov_pubdate_then_url() -> None:
    html = ('<html><head><title>示例通知</title><meta name="PubDate" content="2024-05-20 10:00">'
            f'</head><body><div class="content"><p>{BODY}</p><p>{BODY}</p></div></body></html>')
    assert clean_html(html).provenance["published"] == "meta:PubDate"
    bare = f'<html><body><div><p>{BODY}</p><p>{BODY}</p></div></body></html>'
    article = clean_html(bare, "http://www.example.gov.cn/xxgk/201912/t20191210_1.html")
    assert (article.published, article.provenance["published"]) == ("2019-12-10", "url")


def test_non_chinese_page_keeps_offset_or_stays_naive() -> None:
    text = "The city opened a new metro line on Saturday, cutting the commute. " * 5
    html = ('<html lang="en"><head><title>Metro opens</title>'
            '<meta property="article:published_time" content="2024-05-20T23:30:00-05:00">'
            f'</head><body><article><p>{text}</p><p>{text}</p></article></body></html>')
    assert clean_html(html).published == "2024-05-20T23:30:00-05:00"
    naive = html.replace("2024-05-20T23:30:00-05:00", "2024-05-20 23:30")
    assert clean_html(naive).published == "2024-05-20T23:30:00"


@pytest.mark.parametrize("payload", [
    '"just a string"', '{"@graph": null}', '[1, "a", null, {"author": 5}]',
    '{"author": {"name": ["张三"]}, "datePublished": 20240101}',
    "[" * 5000 + "]" * 5000, '{"a":' * 3000 + "1" + "}" * 3000, "not json at all {",
])
def test_json_ld_of_any_shape_never_raises(payload: str) -> None:
    tree = LexborHTMLParser(f'<script type="application/ld+json">{payload}</script>')
    assert all(c.zone == "json-ld" for c in page_candidates(tree, None))


def test_json_ld_author_in_a_graph() -> None:
    data = {"@graph": [{"@type": "WebPage"}, {"@type": "NewsArticle", "headline": "标题",
                                              "author": [{"name": "张三"}, "李四"]}]}
    tree = LexborHTMLParser(f'<script type="application/ld+json">{json.dumps(data)}</script>')
    found = {(c.name, c.raw) for c in page_candidates(tree, None)}
    assert {("author", "张三"), ("author", "李四"), ("title", "标题")} <= found


def test_meta_tags_gov_before_og() -> None:
    html = ('<html><head><meta property="og:title" content="OG 标题">'
            '<meta name="ArticleTitle" content="政务标题">'
            '<meta name="PubDate" content="2024-01-02 08:00"><meta name="ContentSource" content="某局">'
            '<script type="application/ld+json">{"@type":"NewsArticle","author":{"name":"张三"}}'
            f'</script></head><body><div><p>{BODY}</p><p>{BODY}</p></div></body></html>')
    article = clean_html(html)
    assert article.title == "政务标题"
    assert article.published == "2024-01-02T08:00:00+08:00"
    assert article.source == "某局" and article.author == "张三"
    assert article.provenance == {"title": "meta:ArticleTitle", "published": "meta:PubDate",
                                  "source": "meta:ContentSource", "author": "json-ld:author"}


def test_pruned_footer_still_fills_the_editor() -> None:
    html = ('<html><head><title>示例标题</title></head><body><h1>示例标题</h1>'
            f'<div class="content"><p>{BODY}</p><p>{BODY}</p></div>'
            '<div class="footer">责任编辑：王五 Copyright © 2024 示例网 版权所有</div></body></html>')
    article = clean_html(html)
    assert article.editor == "王五"
    assert "footer.copyright" in {r.rule for r in article.removed}


def test_align_lines_puts_removed_lines_back() -> None:
    lines, inside, removed = align_lines(["a", "b", "c", "d"], [("a", False), ("c", True)])
    assert lines == ["a", "b", "c", "d"] and inside == [False, False, True, False]
    assert removed == [1, 3]


def test_headline_beats_section_heading() -> None:
    html = ('<html><head><title>新闻动态--示例学会</title></head><body><h1>新闻动态</h1>'
            '<div>首页 - 新闻动态</div><div>示例学会年会在示例大学成功举行！</div>'
            '<div>发布时间：2024-05-18 来源：示例学会</div>'
            f'<div class="content"><p>{BODY}</p><p>{BODY}</p></div></body></html>')
    article = clean_html(html)
    assert article.title == "示例学会年会在示例大学成功举行！"
    assert article.source == "示例学会"


def test_dump_gets_the_same_fields() -> None:
    dump = "\n".join(["首页 > 新闻", "示例市召开示例会议", "2024-05-20 10:00 来源：示例日报",
                      "本报讯（记者 王五 通讯员 赵六）" + BODY, BODY, BODY,
                      "（责任编辑：张三）", "相关阅读"])
    article = clean_text(dump)
    assert (article.title, article.published, article.source, article.author, article.editor) == (
        "示例市召开示例会议", "2024-05-20T10:00:00+08:00", "示例日报", "王五 赵六", "张三")
    assert article.provenance["author"] == "line:byline.agency-dateline@body-first"


@pytest.mark.parametrize(("text", "declared", "lang"), [
    ("示例大学公布新学年奖学金计划，总额较去年增加两成。", None, "zh-Hans"),
    ("示例大學公布新學年獎學金計劃，總額較去年增加兩成。", None, "zh-Hant"),
    ("The city opened a new metro line on Saturday.", "en-GB", "en-GB"),
    ("Only English here.", None, None),
])
def test_detect_language(text, declared, lang) -> None:
    assert detect_language(text, declared) == lang
