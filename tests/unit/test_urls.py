from scraper.urls import canonicalize_url, host_key, resolve_url


def test_one_page_one_url() -> None:
    variants = ["HTTP://Jyt.Hunan.gov.cn:80/jyt/a/../xxgk/index.html?b=2&a=1#top",
                "http://jyt.hunan.gov.cn/jyt/./xxgk/index.html?a=1&b=2",
                "http://jyt.hunan.gov.cn/jyt/xxgk/index.html?a=1&b=2&utm_source=wx"]
    assert {canonicalize_url(u) for u in variants} == {
        "http://jyt.hunan.gov.cn/jyt/xxgk/index.html?a=1&b=2"}


def test_resolve_relative_links_and_skip_scripts() -> None:
    base = "http://x.gov.cn/a/b/index.html"
    assert resolve_url("../c/t20241010_1.html", base) == "http://x.gov.cn/a/c/t20241010_1.html"
    assert resolve_url("./202410/t1.html#p2", base) == "http://x.gov.cn/a/b/202410/t1.html"
    for href in ("javascript:void(0)", "mailto:a@b.cn", "#top", "", "ftp://x.cn/a"):
        assert resolve_url(href, base) is None


def test_host_key_keeps_the_port() -> None:
    assert host_key("http://127.0.0.1:8600/a") == "127.0.0.1:8600"
    assert host_key("https://WWW.moe.gov.cn/") == "www.moe.gov.cn"
