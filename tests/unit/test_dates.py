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
    ("2020-02-19T10:30:00Z", "2020-02-19T18:30:00+08:00"),
    ("2024-05-20T08:00:00+0800", "2024-05-20T08:00:00+08:00"),
    ("2024-05-20T08:00:00-05:00", "2024-05-20T21:00:00+08:00"),
    ("2024年1月5号", "2024-01-05"),
])
def test_parse_date(text: str, iso: str) -> None:
    assert parse_date(text) == iso


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
    ("https://example.cn/about.html", None),
])
def test_parse_url_date(url: str, iso) -> None:
    assert parse_url_date(url) == iso
