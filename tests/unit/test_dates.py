import time
from datetime import UTC, datetime

import pytest

from cleaners.dates import find_dates, parse_date, parse_url_date


@pytest.mark.parametrize(("text", "iso"), [
    ("2024年10月28日 10:34", "2024-10-28T10:34:00+08:00"),
    ("发布时间：2024-02-02 10:42", "2024-02-02T10:42:00+08:00"),
    ("时间:2024-02-02 10:42:05  来源:某局", "2024-02-02T10:42:05+08:00"),
    ("2024年\n\n10月28日\n\n10:34", "2024-10-28T10:34:00+08:00"),
    ("2022 年10 月10 日", "2022-10-10"),
    ("日期：2023.12.01", "2023-12-01"),
    ("2024/5/7", "2024-05-07"),
    ("2019年12月23日 13:40教育装备网", "2019-12-23T13:40:00+08:00"),
    ("2020-02-19T10:30:00Z", "2020-02-19T10:30:00+00:00"),
    ("2024-05-20T08:00:00+0800", "2024-05-20T08:00:00+08:00"),
    ("2024-05-20T08:00:00-05:00", "2024-05-20T08:00:00-05:00"),
    ("发布时间：2024年10月28日 下午3:30", "2024-10-28T15:30:00+08:00"),
    ("上午9时05分 2024年10月28日", "2024-10-28"),
    ("2024年10月28日 上午9时05分", "2024-10-28T09:05:00+08:00"),
    ("二〇二四年十月二十八日", "2024-10-28"),
    ("二○一九年十二月十日印发", "2019-12-10"),
    ("26.02.2020", "2020-02-26"),
    ("April 10, 2020", "2020-04-10"),
    ("Published 10 Apr. 2020", "2020-04-10"),
    ("2024年1月5号", "2024-01-05"),
])
def test_parse_date(text: str, iso: str) -> None:
    assert parse_date(text) == iso


def test_offset_kept_and_zone_only_without_one() -> None:
    assert parse_date("2024-05-20T23:30:00-05:00", zone=None) == "2024-05-20T23:30:00-05:00"
    assert parse_date("2024-05-20 23:30", zone=None) == "2024-05-20T23:30:00"
    assert parse_date("2024-05-20 23:30") == "2024-05-20T23:30:00+08:00"


def test_future_of_the_fetch_rejected() -> None:
    fetched = datetime(2020, 1, 1, tzinfo=UTC)
    assert parse_date("2020-03-01 更新 2019-12-31", now=fetched) == "2019-12-31"
    assert parse_url_date("http://a.cn/2021/0301/x.html", now=fetched) is None


@pytest.mark.parametrize("text", [
    "2024-05-20T24:00:00+08:00", "2024-05-20T08:00:00+99:00", "1989-06-01", "9999-01-01",
    "二〇二四年十三月一日", "Smarch 10, 2020"])
def test_bad_input_gives_none(text: str) -> None:
    assert parse_date(text) is None


def test_many_dates_cost_linear_time() -> None:
    """Doubling the dates in one value at most about doubles the work (no quadratic scan)."""
    def cost(n: int) -> float:
        text = " ".join(["2024-01-02"] * n)
        start = time.thread_time()
        assert len(find_dates(text)) == n
        return time.thread_time() - start

    small, large = min(cost(2500) for _ in range(3)), min(cost(10000) for _ in range(3))
    assert large / small < 8  # 4x the input; quadratic would be 16x


@pytest.mark.parametrize("text", ["2024-13-01", "2024年2月30日", "1899-01-01", "没有日期", "", None,
                                  "电话：2024-1234"])
def test_parse_date_rejects(text) -> None:
    assert parse_date(text) is None


def test_find_dates_in_order() -> None:
    found = find_dates("发布：2024-01-02 更新：2024年3月4日")
    assert [iso for _, iso in found] == ["2024-01-02", "2024-03-04"]


@pytest.mark.parametrize(("url", "iso"), [
    ("http://jyt.example.gov.cn/jyt/xxgk/202210/t20221010_1079808.html", "2022-10-10"),
    ("http://www.he.news.cn/20240515/d59c/c.html", "2024-05-15"),
    ("https://news.example.cn/2024-05/20/content_1.htm", "2024-05-20"),
    ("https://www.example.com/2019/11/19/opinion/a.html", "2019-11-19"),
    ("https://example.cn/about.html", None),
])
def test_parse_url_date(url: str, iso) -> None:
    assert parse_url_date(url) == iso
