import pytest
from selectolax.lexbor import LexborHTMLParser

from cleaners import default_rules
from cleaners.lang import detect_language
from cleaners.metadata import fields_from_lines, meta_fields, split_title


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
])
def test_split_title(page_title, heading, expected) -> None:
    assert split_title(page_title, heading) == expected


@pytest.mark.parametrize(("line", "field", "value"), [
    ("时间:2024-02-02 10:42  来源:吐鲁番市教育局   浏览次数: 分享:", "source", "吐鲁番市教育局"),
    ("信息来源：省发改委", "source", "省发改委"),
    ("来源：示例日报 作者：李四", "author", "李四"),
    ("来源：示例日报 作者：李四", "source", "示例日报"),
    ("（责任编辑：王五）", "editor", "王五"),
    ("本文来源：示例日报责任编辑：杨倩", "editor", "杨倩"),
    ("日期: 来源:网信滨海收集编辑:网信滨海", "source", "网信滨海"),
    ("文/湖南省教育厅", "author", "湖南省教育厅"),
    ("关键词:教育，帮扶、乡村", "keywords", ["教育", "帮扶", "乡村"]),
    ("网址:http://jyt.example.gov.cn/a.html(2022 年10 月10 日)", "original_url",
     "http://jyt.example.gov.cn/a.html"),
    ("http://www.example.cn2019年12月23日 13:40教育装备网", "url", "http://www.example.cn"),
    ("2022-12-03 20:00湖南省教育厅", "published", "2022-12-03T20:00:00+08:00"),
])
def test_field_rules(line: str, field: str, value) -> None:
    assert fields_from_lines([line], default_rules())[field] == value


def test_unlabelled_date_near_title() -> None:
    assert fields_from_lines(["示例日报 2024-05-20 13:09"], default_rules())["published"] == \
        "2024-05-20T13:09:00+08:00"


def test_meta_tags_gov_before_og() -> None:
    tree = LexborHTMLParser(
        '<meta property="og:title" content="OG 标题"><meta name="ArticleTitle" content="政务标题">'
        '<meta name="PubDate" content="2024-01-02 08:00"><meta name="ContentSource" content="某局">'
        '<script type="application/ld+json">{"@type":"NewsArticle","author":{"name":"张三"}}</script>')
    fields = meta_fields(tree)
    assert fields["title"] == "政务标题"
    assert fields["published"] == "2024-01-02T08:00:00+08:00"
    assert fields["source"] == "某局" and fields["author"] == "张三"


@pytest.mark.parametrize(("text", "declared", "lang"), [
    ("示例大学公布新学年奖学金计划，总额较去年增加两成。", None, "zh-Hans"),
    ("示例大學公布新學年獎學金計劃，總額較去年增加兩成。", None, "zh-Hant"),
    ("The city opened a new metro line on Saturday.", "en-GB", "en-GB"),
    ("Only English here.", None, None),
])
def test_detect_language(text, declared, lang) -> None:
    assert detect_language(text, declared) == lang
