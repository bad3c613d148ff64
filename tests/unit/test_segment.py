"""Choosing a dump's body by evidence: the cases the fixtures do not cover."""

from __future__ import annotations

from cleaners import clean_text
from cleaners.segment import find_body, is_sentence
from tests.conftest import FIXTURES

DUMPS = FIXTURES / "dumps"


def test_empty_and_nav_only_dumps_give_no_body() -> None:
    assert clean_text("").text == ""
    nav = "\n".join(["首页", "机构概况", "政务公开", "新闻动态", "办事服务"])
    assert clean_text(nav).text == ""


def test_largest_segment() -> None:
    assert find_body([-20, 50, -10, 40, -100, 30]) == (1, 4)
    assert find_body([-1, -2]) == (0, 0)


def test_headlines_and_bullets_are_not_sentences() -> None:
    lines = (DUMPS / "recommended_article.txt").read_text(encoding="utf-8").splitlines()
    assert not is_sentence("· 超过六小时的排队，充电桩前车辆排成长龙！")
    assert not is_sentence("突发！示例市发布暴雨预警")
    assert [line for line in lines if is_sentence(line)][0].startswith("【示例市发布暴雨蓝色预警】")


def test_a_short_article_beats_the_longer_feed_around_it() -> None:
    for name in ("short_notice_teasers", "relative_time_feed", "recommended_article"):
        article = clean_text((DUMPS / f"{name}.txt").read_text(encoding="utf-8"))
        assert 0 < len(article.text) < 200, name
        assert article.title and article.title not in article.text.splitlines()
