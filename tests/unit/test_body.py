"""How the body is found: template siblings, asides, tables, attachments, GFM tables."""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser

from cleaners import Article, clean_html, default_rules
from cleaners.extract import extract_lines, extract_page
from cleaners.formats import to_markdown
from cleaners.lines import clean_lines
from cleaners.locate import locate_content
from cleaners.prune import prune_tree

PARAGRAPHS = [
    "The harbour committee met on Tuesday to decide how the old pier should be repaired.",
    "Engineers told the committee that the timber piles had rotted below the waterline.",
    "A steel frame would last fifty years, they said, but would cost twice as much.",
    "The committee will vote on the two plans at its next meeting in the spring.",
    "Fishermen who use the pier asked for a temporary landing stage in the meantime.",
    "The council has promised an answer on the landing stage before the summer season.",
]


def _columns(cls: str) -> str:
    """The article split over two sibling containers of one template, and a box of
    other prose between them that is not part of it."""
    first, second = (f"<div class='{cls}'>{''.join(f'<p>{p}</p>' for p in part)}</div>"
                     for part in (PARAGRAPHS[:4], PARAGRAPHS[4:]))
    box = ("<div class='box'><p>Our newsletter brings you the week's stories every "
           "Friday morning, free of charge, for as long as you like.</p></div>")
    return f"<html><body><main><div class='wrap'>{first}{box}{second}</div></main></body></html>"


def test_template_siblings_join_the_located_column() -> None:
    tree = LexborHTMLParser(_columns("story-col"))
    located = locate_content(tree, default_rules())
    assert located is not None and len(located.nodes) == 2
    assert located.how.endswith("+siblings")


def test_split_article_comes_out_whole() -> None:
    article = clean_html(_columns("story-col"))
    assert article.text.splitlines() == PARAGRAPHS


def test_block_in_an_aside_is_checked_against_the_page() -> None:
    aside = "".join(f"<p>【栏目介绍】本栏目每周六刊出一期，第{n}条说明，欢迎读者来信提供线索和老照片。</p>"
                    for n in range(5))
    page = ("<html><body><div class='main'><h1>示例标题</h1><div class='text'>"
            "<p>示例镇今年新建了三座便民桥，方便两岸村民出行，受到了群众的欢迎。</p>"
            "<p>镇里还计划明年再修两条机耕道，让农机可以直接开到田间地头。</p></div></div>"
            f"<aside><div class='intro'>{aside}</div></aside></body></html>")
    article = clean_html(page)
    assert article.body_source == "page:replaces"
    assert "便民桥" in article.text and "栏目介绍" not in article.text


def test_table_rows_are_tab_separated_and_header_cells_stay() -> None:
    page = ("<html><body><div class='content'><p>示例县公布了本月的便民服务安排，具体如下表所示。</p>"
            "<table><tr><td>时间</td><td>地点</td></tr><tr><td>周一上午</td><td>东湖社区</td></tr>"
            "<tr><td>周三下午</td><td>西山镇</td></tr></table></div></body></html>")
    article = clean_html(page)
    assert "时间\t地点" in article.text.splitlines()
    assert "周一上午\t东湖社区" in article.text.splitlines()


def test_header_cell_survives_pruning_but_a_lone_label_does_not() -> None:
    tree = LexborHTMLParser("<html><body><table><tr><td>时间</td><td>地点</td></tr></table>"
                            "<div>来源：</div></body></html>")
    removed = prune_tree(tree, default_rules())
    assert [r.text for r in removed] == ["来源："]
    assert "时间" in tree.body.text()


def test_line_pass_keeps_table_rows() -> None:
    result = clean_lines(["正文第一段，这是文章的内容。", "时间\t日期"], default_rules())
    assert result.lines == ["正文第一段，这是文章的内容。", "时间\t日期"]


def test_markdown_tables_are_gfm() -> None:
    article = Article(title="示例", text="说明如下。\n时间\t地点\n周一\t东|湖\n注：以实际为准。")
    lines = to_markdown(article).splitlines()
    start = lines.index("说明如下。")
    assert lines[start:] == ["说明如下。", "", "| 时间 | 地点 |", "|---|---|",
                             "| 周一 | 东\\|湖 |", "", "注：以实际为准。"]


def test_attachments_keep_absolute_urls() -> None:
    page = ("<html><head><base href='http://www.example.gov.cn/tz/'></head><body>"
            "<div class='TRS_Editor'><p>现将有关事项通知如下，请各单位认真组织申报工作。</p>"
            "<p><a href='f/guide.pdf'>申报指南</a></p></div>"
            "<div>附件：<a href='/up/form.docx'>申报表</a> <a href='/other.html'>返回</a></div>"
            "<div><a href='/up/unrelated.pdf'>侧栏下载</a></div></body></html>")
    article = clean_html(page, "http://www.example.gov.cn/tz/t1.html")
    assert article.attachments == [("申报指南", "http://www.example.gov.cn/tz/f/guide.pdf"),
                                   ("申报表", "http://www.example.gov.cn/up/form.docx")]
    assert article.to_dict()["attachments"] == [[name, url] for name, url in article.attachments]
    assert "[申报表](http://www.example.gov.cn/up/form.docx)" in to_markdown(article)


def test_headings_inside_the_body_stay() -> None:
    page = ("<html><body><div class='article-body'><p>第一段正文，介绍了会议的基本情况和主要议程安排。</p>"
            "<h2>一、主要成效</h2><p>第二段正文，总结了过去一年取得的成绩和经验做法。</p>"
            "<h3>Next steps</h3><p>第三段正文，部署了下一阶段的重点任务和工作要求。</p></div></body></html>")
    lines = clean_html(page).text.splitlines()
    assert lines[1] == "一、主要成效" and lines[3] == "Next steps" and len(lines) == 5


def test_a_consent_notice_longer_than_the_article_is_not_the_body() -> None:
    notice = "".join(f"<p>{p}</p>" for p in (
        "Mit Klick auf „Zustimmen“ willigen Sie in die Verwendung von Cookies und die "
        "Verarbeitung Ihrer personenbezogenen Daten durch uns und unsere 300 Partner ein.",
        "Ihre Einwilligung umfasst die Speicherung von Informationen auf Ihrem Gerät, die "
        "Auswahl personalisierter Anzeigen und die Messung der Reichweite unserer Inhalte.",
        "Einige Partner verarbeiten Ihre Daten auf Grundlage eines berechtigten Interesses; "
        "Sie können dem in den Einstellungen widersprechen und Ihre Einwilligung widerrufen.",
        "Verantwortlich für die Verarbeitung ist der Verlag. Sie haben das Recht auf Auskunft, "
        "Berichtigung und Löschung Ihrer Daten sowie auf Beschwerde bei der Aufsichtsbehörde."))
    page = ("<html><body><main><article><div class='text'>"
            "<p>Der Fährverkehr über den Stausee läuft seit Montag wieder nach dem Sommerfahrplan.</p>"
            "<p>Die Gemeinde hatte die Anlegestelle im Winter erneuert und den Steg verbreitert.</p>"
            f"</div></article></main><div class='q8z'><div class='w2k'>{notice}</div></div>"
            "</body></html>")
    article = clean_html(page)
    assert "Fährverkehr" in article.text and "Cookies" not in article.text


def test_lead_paragraphs_before_the_body_join_it() -> None:
    lead = f"<p class='preview'>{PARAGRAPHS[0]}</p>"
    rest = "".join(f"<p>{p}</p>" for p in PARAGRAPHS[1:])
    page = (f"<html><body><article><div class='locked'>{lead}<span>Subscribe to read on.</span>"
            f"<div class='premium'>{rest}</div></div></article></body></html>")
    tree = LexborHTMLParser(page)
    located = locate_content(tree, default_rules())
    assert located is not None and located.how.endswith("+lead") and len(located.nodes) == 2
    assert clean_html(page).text.splitlines() == PARAGRAPHS


def test_trafilatura_reads_the_markup_lxml_parses_and_an_empty_page_gives_nothing() -> None:
    # The tree handed to trafilatura keeps its reading of the block; an empty page
    # gives no lines, not an error.
    block = LexborHTMLParser("<div>" + "".join(f"<p>{p}</p>" for p in PARAGRAPHS) + "</div>")
    assert block.body is not None and block.body.child is not None
    assert extract_lines(block.body.child) == PARAGRAPHS
    assert extract_page(LexborHTMLParser("")) == []
