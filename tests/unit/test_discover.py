import gzip
from pathlib import Path

from scraper.discover import article_matcher, parse_list_page, trs_page_url
from scraper.feeds import parse_feed
from scraper.sitemaps import Sitemap, parse_sitemap
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


def test_ports_count_in_the_scope() -> None:
    source = Source(id="p", name="p", start_urls=("http://127.0.0.1:8001/list/index.html",))
    match = article_matcher(source)
    assert match("http://127.0.0.1:8001/list/202410/t20241012_1.html")
    assert not match("http://127.0.0.1:8002/list/202410/t20241012_1.html")


def test_list_page_links_are_capped() -> None:
    links = "".join(f'<a href="/202410/t20241012_{i}.html">{i}</a>' for i in range(50))
    html = f"<ul>{links}</ul><a href='/index_1.html'>下一页</a>"
    page = parse_list_page(html, "http://jyt.example.cn/index.html", _source(),
                           article_matcher(_source()), max_links=10)
    assert len(page.articles) == 10 and page.next_page == "http://jyt.example.cn/index_1.html"


def _sitemap(data: bytes, max_urls: int = 1000) -> Sitemap:
    return parse_sitemap(data, "http://j.cn/sitemap.xml", max_bytes=1_000_000, max_urls=max_urls)


def test_sitemap_and_index() -> None:
    text = (SITE / "jyt/sitemap.xml").read_text(encoding="utf-8").replace("{base}", "http://j.cn")
    sitemap = _sitemap(text.encode())
    assert len(sitemap.pages) == 10 and sitemap.children == []
    assert sitemap.pages[-1] == "http://j.cn/xxgk/tzgg/202408/t20240828_100100.html"
    index = (b"<sitemapindex><sitemap><loc><![CDATA[http://j.cn/s1.xml]]></loc></sitemap>"
             b"<sitemap><loc>http://j.cn/s2.xml?a=1&amp;b=2</loc></sitemap></sitemapindex>")
    assert _sitemap(index) == Sitemap([], ["http://j.cn/s1.xml", "http://j.cn/s2.xml?a=1&b=2"])
    assert _sitemap(gzip.compress(text.encode()), max_urls=3).pages == sitemap.pages[:3]
    assert _sitemap(b"http://j.cn/a.html\nnot a url\nhttp://j.cn/b.html\n").pages == [
        "http://j.cn/a.html", "http://j.cn/b.html"]


def test_sitemap_entities_are_not_expanded() -> None:
    laughs = (b'<?xml version="1.0"?><!DOCTYPE u [<!ENTITY a "aaaaaaaaaa">'
              + b"".join(b'<!ENTITY %c "&%c;&%c;&%c;&%c;&%c;&%c;&%c;&%c;&%c;&%c;">'
                         % ((c,) + (c - 1,) * 10) for c in range(ord("b"), ord("k")))
              + b']><urlset><url><loc>http://j.cn/ok.html</loc></url>'
              + b'<url><loc>http://j.cn/&j;</loc></url></urlset>')
    assert _sitemap(laughs).pages[0] == "http://j.cn/ok.html"
    assert all(len(u) < 100 for u in _sitemap(laughs).pages)
    xxe = (b'<?xml version="1.0"?><!DOCTYPE u [<!ENTITY x SYSTEM "file:///etc/hostname">]>'
           b'<urlset><url><loc>http://j.cn/&x;</loc></url></urlset>')
    assert _sitemap(xxe).pages == ["http://j.cn/"]


def test_rss_and_atom_feeds() -> None:
    rss = (SITE / "news/rss.xml").read_text(encoding="utf-8").replace("{base}", "http://n.cn")
    assert parse_feed(rss.encode(), "http://n.cn/rss.xml", max_links=100) == [
        "http://n.cn/2024-10/15/c_1006.htm", "http://n.cn/2024-10/14/c_1005.htm",
        "http://n.cn/2024-10/13/c_1004.htm"]
    atom = (b'<feed xmlns="http://www.w3.org/2005/Atom"><link href="http://n.cn/"/>'
            b'<entry><title>a</title><link rel="edit" href="http://n.cn/api/edit/1"/>'
            b'<link rel="alternate" href="/2024/a.html"/></entry></feed>')
    assert parse_feed(atom, "http://n.cn/atom.xml", max_links=100) == ["http://n.cn/2024/a.html"]


def test_rss_items_with_only_a_guid() -> None:
    rss = (b'<rss version="2.0"><channel><item><guid>http://n.cn/2024/g.html</guid></item>'
           b'<item><guid isPermaLink="false">4711</guid></item></channel></rss>')
    assert parse_feed(rss, "http://n.cn/rss.xml", max_links=100) == ["http://n.cn/2024/g.html"]
