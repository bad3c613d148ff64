"""cleaners.trace: every block of a page with the rule that removed it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cleaners import SiteTemplate, clean_html
from cleaners.trace import trace_html
from tests.conftest import FIXTURES

PAGES = sorted((FIXTURES / "pages").glob("*.html")) + sorted((FIXTURES / "reprints").glob("*.html"))


def _squash(text: str) -> str:
    return re.sub(r"[\W_]+", "", text)


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_struck_blocks_are_the_recorded_removals(path: Path) -> None:
    body = path.read_bytes()
    trace = trace_html(body, "http://example.cn/a.html")
    assert trace.article == clean_html(body, "http://example.cn/a.html")  # explains, changes nothing
    struck = [b for b in trace.blocks if b.rule is not None]
    for removal in trace.article.removed:
        if _squash(removal.text):
            want = _squash(removal.text)
            assert any(removal.rule in b.rules and (_squash(b.text) in want
                                                   or want in _squash(b.text))
                       for b in struck), removal
    recorded = {r.rule for r in trace.article.removed}
    assert {r for b in struck for r in b.rules} <= recorded
    kept = _squash(f"{trace.article.title or ''}{trace.article.text}")
    for block in trace.blocks:
        if block.extracted and block.in_body:
            assert _squash(block.text) in kept
    assert any(b.in_body for b in trace.blocks) == (trace.body_how is not None)


def test_a_block_nested_in_a_later_removal_keeps_its_own_rule() -> None:
    page = FIXTURES / "pages" / "trs_gov_article.html"
    trace = trace_html(page.read_bytes())
    rules = {b.text: b.rule for b in trace.blocks}
    assert rules["当前位置：首页 > 新闻动态 > 工作动态"] == "nav.breadcrumb"
    assert trace.body_how == trace.article.located_by


def test_a_site_template_removes_what_recurs_and_says_so() -> None:
    pages = sorted((FIXTURES / "sites" / "example-gov").glob("*.html"))
    template = SiteTemplate.learn("example-gov", [p.read_bytes() for p in pages])
    trace = trace_html(pages[0].read_bytes(), template=template)
    assert trace.article == clean_html(pages[0].read_bytes(), template=template)
    by_template = [b for b in trace.blocks if b.rule == template.rule.name]
    assert by_template and not any(b.in_body for b in by_template)
    assert {r.rule for r in trace.article.removed} == {r for b in trace.blocks for r in b.rules}
