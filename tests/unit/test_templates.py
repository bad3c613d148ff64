"""Site templates: learned from a site's pages, applied to dumps and HTML, stored."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from cleaners import SiteTemplate, clean_html, clean_text
from scraper.cli import cli
from scraper.store import Archive
from tests.conftest import FIXTURES

SITE = FIXTURES / "sites" / "example-news"
DUMPS = sorted(SITE.glob("*.txt"))
INTRO = "【民生观察】栏目关注群众身边的大事小情"


def _template() -> SiteTemplate:
    return SiteTemplate.learn("example-news", [p.read_text(encoding="utf-8") for p in DUMPS])


def test_recurring_lines_are_removed_and_named() -> None:
    template = _template()
    article = clean_text(DUMPS[0].read_text(encoding="utf-8"), template=template)
    names = {r.rule for r in article.removed if r.text == "热门标签 教育 交通 医疗 文化 体育"}
    assert names == {"template.example-news"}
    assert article.text.splitlines()[-1].startswith("新线路采用新能源车辆")


def test_article_text_and_standing_introduction_are_kept() -> None:
    template = _template()
    for path in DUMPS:
        plain = clean_text(path.read_text(encoding="utf-8"))
        templated = clean_text(path.read_text(encoding="utf-8"), template=template)
        body = [line for line in plain.text.splitlines() if not line.startswith(INTRO)]
        assert all(line in templated.text for line in body)
        assert templated.text.startswith(INTRO)


def test_one_page_teaches_nothing() -> None:
    template = SiteTemplate.learn("example-news", [DUMPS[0].read_text(encoding="utf-8")])
    assert template.learned() == []


def test_html_template_removes_recurring_blocks() -> None:
    pages = sorted((FIXTURES / "site" / "jyt" / "xxgk" / "tzgg").rglob("t*.html"))
    template = SiteTemplate.learn("jyt", [p.read_bytes() for p in pages])
    article = clean_html(pages[0].read_bytes(), template=template)
    assert any(r.rule == "template.jyt" for r in article.removed)
    assert article.text == clean_html(pages[0].read_bytes()).text


def test_template_round_trips_through_the_archive(tmp_path: Path) -> None:
    template = _template()
    with Archive(tmp_path / "a.sqlite") as archive:
        archive.put_template(template)
        stored = archive.template("example-news")
        assert stored is not None and stored.learned() == template.learned()
        assert archive.template_hosts() == [("example-news", 3)]
    result = CliRunner().invoke(cli, ["templates", "example-news", "--db",
                                      str(tmp_path / "a.sqlite")], catch_exceptions=False)
    assert result.exit_code == 0 and "template.example-news" in result.output
    assert "热门标签" in result.output


def test_clean_site_option_applies_the_template() -> None:
    args = ["clean", str(SITE), "--site", "example-news"]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    records = [json.loads(line) for line in result.output.splitlines()]
    assert len(records) == 3
    assert all("template.example-news" in {r["rule"] for r in rec["removed"]} for rec in records)


def test_a_copy_of_a_page_does_not_make_its_article_recur() -> None:
    first = DUMPS[0].read_text(encoding="utf-8")
    template = SiteTemplate.learn("example-news", [first, first, DUMPS[1].read_text("utf-8")])
    assert template.pages == 2
    assert clean_text(first, template=template).text == clean_text(first).text


def _records(*args: str) -> list[dict]:
    result = CliRunner().invoke(cli, ["clean", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.output.splitlines()]


def test_clean_groups_by_the_host_a_page_names_or_by_folder() -> None:
    gov = FIXTURES / "sites" / "example-gov"
    plain = _records(str(gov))
    by_host = _records(str(gov), "--site", "host")
    assert [r["text"] for r in by_host] == [r["text"] for r in plain]
    assert all("template.www.example-county.gov.cn" in {x["rule"] for x in r["removed"]}
               for r in by_host)
    by_folder = _records(str(FIXTURES / "sites"), "--site", "folder")
    names = {x["rule"] for r in by_folder for x in r["removed"] if x["rule"].startswith("template")}
    assert names == {"template.example-gov", "template.example-news"}
