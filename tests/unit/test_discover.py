from pathlib import Path

from scraper.discover import (
    article_matcher,
    parse_feed,
    parse_list_page,
    parse_sitemap,
    trs_page_url,
)
from scraper.sources import Source

SITE = Path(__file__).resolve().parents[2] / "fixtures" / "site"


def _source(**kw: object) -> Source:
    return Source(id="s", name="s", start_urls=("http://jyt.example.cn/xxgk/tzgg/index.html",), **kw)


def test_trs_pages_follow_index_n() -> None:
    start = "http://jyt.example.cn/xxgk/tzgg/index.html"
    assert [trs_page_url(start, i) for i in range(3)] == [
        start, "http://jyt.example.cn/xxgk/tzgg/index_1.html",
        "http://jyt.example.cn/xxgk/tzgg/index_2.html"]
    assert trs_page_url("http://x.cn/list/", 2) == "http://x.cn/list/index_2.html"
    assert trs_page_url("http://x.cn/news.jsp?page=1", 1) is None


def test_list_page_links_pattern_and_page_count() -> None:
    html = (SITE / "jyt/xxgk/tzgg/index_1.html").read_text(encoding="utf-8")
    url = "http://jyt.example.cn/xxgk/tzgg/index_1.html"
    page = parse_list_page(html, url, _source(), article_matcher(_source()))
    assert page.page_count == 3 and page.next_page is None
    assert page.articles[0] == "http://jyt.example.cn/xxgk/tzgg/202410/t20241015_100105.html"
    assert "http://jyt.example.cn/private/t20241011_900001.html" in page.articles
    assert not any(u.endswith("index.html") for u in page.articles)  # nav links are not articles


def test_article_selector_limits_links_to_the_list() -> None:
    html = (SITE / "news/list.html").read_text(encoding="utf-8")
    source = Source(id="n", name="n", start_urls=("http://news.example.cn/list.html",),
                    article_selector="ul.news-list")
    page = parse_list_page(html, "http://news.example.cn/list.html", source, article_matcher(source))
    assert len(page.articles) == 4  # three stories and the PDF, not the sidebar's hot list
    assert page.next_page == "http://news.example.cn/list_2.html"


def test_other_hosts_are_not_articles() -> None:
    match = article_matcher(_source())
    assert match("http://jyt.example.cn/a/202410/t20241012_1.html")
    assert not match("http://www.gov.cn/a/202410/t20241012_1.html")
    assert not match("http://jyt.example.cn/about.html")


def test_sitemap_and_index() -> None:
    text = (SITE / "jyt/sitemap.xml").read_text(encoding="utf-8").replace("{base}", "http://j.cn")
    urls, children = parse_sitemap(text)
    assert len(urls) == 10 and children == []
    assert urls[-1] == "http://j.cn/xxgk/tzgg/202408/t20240828_100100.html"
    index = ("<sitemapindex><sitemap><loc><![CDATA[http://j.cn/s1.xml]]></loc></sitemap>"
             "<sitemap><loc>http://j.cn/s2.xml?a=1&amp;b=2</loc></sitemap></sitemapindex>")
    assert parse_sitemap(index) == ([], ["http://j.cn/s1.xml", "http://j.cn/s2.xml?a=1&b=2"])


def test_rss_and_atom_feeds() -> None:
    rss = (SITE / "news/rss.xml").read_text(encoding="utf-8").replace("{base}", "http://n.cn")
    assert parse_feed(rss) == ["http://n.cn/2024-10/15/c_1006.htm", "http://n.cn/2024-10/14/c_1005.htm",
                               "http://n.cn/2024-10/13/c_1004.htm"]
    atom = ('<feed><link href="http://n.cn/"/><entry><title>a</title>'
            '<link rel="alternate" href="http://n.cn/2024/a.html"/></entry></feed>')
    assert parse_feed(atom) == ["http://n.cn/2024/a.html"]
