"""The five seed dumps in ../shared/seeds: fields recovered, body bounded."""

from __future__ import annotations

from pathlib import Path

import pytest

from cleaners import clean_text

SEEDS = {
    "000_cd4ba5c3a0669bb2.txt": dict(published="2024-02-02T10:42:00+08:00", source="吐鲁番市教育局",
                                     first="近年来,吐鲁番市坚持", last="学习强国平台刊发。"),
    "001_ab4d87471301fe36.txt": dict(published=None, editor="网信滨海",
                                     first="记者从2024年滨海新区", last="“结对帮扶示范校”协议。"),
    "002_e7d82218e8e66958.txt": dict(published="2019-12-23T13:40:00+08:00", source="教育裝備網",
                                     editor="董曉娟", url="http://www.wandqa.cn",
                                     first="今年以來,市教育兩委", last="國家通用語言文字應用水平。"),
    "003_df0bb3689b5ff952.txt": dict(published="2022-12-03T20:00:00+08:00", source="湖南省教育厅",
                                     author="湖南省教育厅",
                                     original_url="http://jyt.hunan.gov.cn/jyt/sjyt/xxgk/jykx/jyqkzk/"
                                                  "202210/t20221010_1079808.html",
                                     first="近年来,湖南省长沙市", last="奶粉等大批生活物资。"),
    "004_de74afb9e6840c60.txt": dict(published="2024-10-28T10:34:00+08:00",
                                     title="落实立德树人任务 服务青年成长成才",
                                     first="为深入贯彻落实", last="奠定坚实基础。"),
}


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_seed(seeds_dir: Path, name: str) -> None:
    expected = dict(SEEDS[name])
    article = clean_text((seeds_dir / name).read_text(encoding="utf-8"))
    first, last = expected.pop("first"), expected.pop("last")
    assert article.text.startswith(first)
    assert article.text.endswith(last)
    for key, value in expected.items():
        assert getattr(article, key) == value, key
    assert article.title and article.title not in article.text.splitlines()
    for noise in ("相关稿件", "相关阅读", "热门文章", "猜你喜欢", "責任編輯", "本文鏈接", "【字体", "当前位置",
                  "关键词", "转载", "网址"):
        assert noise not in article.text
