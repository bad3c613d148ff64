"""Size ladders: hostile page shapes cost time in proportion to their size.

Each generator builds a page of size n; the ladder times the cleaning of n and 4n
(the thread's CPU time, best of several runs, after a warm-up) and asserts that four times the size costs
at most eight times the time (linear gives 4, quadratic 16). No absolute time is
asserted. Deeply nested pages are timed on the
parsed tree (the HTML parser's own cost grows faster with depth, which is why a page
nested deeper than MAX_NESTING is refused before parsing).
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from selectolax.lexbor import LexborHTMLParser

from cleaners import ExtractionError, clean_html, clean_text, default_rules
from cleaners.blocks import block_lines
from cleaners.locate import locate_content
from cleaners.prune import prune_tree
from cleaners.tree import MAX_NESTING

PARAGRAPH = "<p>这是文章正文的一段话，讲述了一件事情的经过，包含足够多的标点符号。</p>"
MAX_RATIO = 8.0  # for four times the size


def nested_divs(depth: int) -> str:
    return f"<html><body>{'<div>' * depth}{PARAGRAPH}{'</div>' * depth}</body></html>"


def nested_link_blocks(depth: int) -> str:
    piece = '<div><a href="/a.html">另一篇文章</a>正文文字，'
    return f"<html><body>{piece * depth}{PARAGRAPH}{'</div>' * depth}</body></html>"


def related_lists(count: int) -> str:
    block = ('<div class="box"><h3>相关阅读</h3><ul><li><a href="/a.html">另一篇文章的标题</a>'
             '</li><li><a href="/b.html">又一篇文章的标题</a></li></ul></div>')
    return f"<html><body><div>{PARAGRAPH * 3}</div>{block * count}</body></html>"


def related_lists_in_one_container(count: int) -> str:
    block = '<h3>相关阅读</h3><ul><li><a href="/a.html">另一篇文章的标题</a></li></ul>'
    return f"<html><body><div>{PARAGRAPH * 3}</div><div>{block * count}</div></body></html>"


def text_dump(lines: int) -> str:
    header = "首页\n当前位置：首页 > 新闻\n示例标题\n发布时间：2024-02-02 10:42\n"
    body = "".join(f"第{i}段正文，讲述了一件事情的经过，包含标点符号。\n" for i in range(lines))
    return header + body + "相关阅读\n另一篇文章\n"


def _best_of(run: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.thread_time()
        run()
        best = min(best, time.thread_time() - start)
    return best


def assert_linear(make_run: Callable[[int], Callable[[], object]], base: int) -> None:
    make_run(base)()  # warm-up: rule screens compile on first use
    small, large = _best_of(make_run(base), 5), _best_of(make_run(4 * base), 3)
    assert large / small <= MAX_RATIO, f"4× the size took {large / small:.1f}× the time"


def _on_tree(make_page: Callable[[int], str]) -> Callable[[int], Callable[[], object]]:
    """Prune, locate and page lines on a freshly parsed tree (parsing not timed)."""
    rules = default_rules()

    def make_run(n: int) -> Callable[[], object]:
        html = make_page(n)
        trees = iter([LexborHTMLParser(html) for _ in range(6)])

        def run() -> None:
            tree = next(trees)
            prune_tree(tree, rules)
            located = locate_content(tree, rules)
            block_lines(tree.body, located.node if located else None)
        return run
    return make_run


@pytest.mark.parametrize("make_page", [nested_divs, nested_link_blocks])
def test_nesting_depth_is_linear(make_page: Callable[[int], str]) -> None:
    assert_linear(_on_tree(make_page), 700)


@pytest.mark.parametrize("make_page", [related_lists, related_lists_in_one_container])
def test_many_related_lists_are_linear(make_page: Callable[[int], str]) -> None:
    assert_linear(lambda n: lambda: clean_html(make_page(n)), 200)


def test_many_dump_lines_are_linear() -> None:
    assert_linear(lambda n: lambda: clean_text(text_dump(n)), 1500)


def test_the_ladder_pages_are_cleaned() -> None:
    assert "讲述了一件事情" in clean_html(nested_divs(500)).text
    article = clean_html(related_lists(50))
    assert "另一篇文章" not in article.text and "list.related-reading" in {
        r.rule for r in article.removed}
    dump = clean_text(text_dump(20))
    assert dump.published == "2024-02-02T10:42:00+08:00" and "另一篇文章" not in dump.text


def test_nesting_beyond_the_limit_is_a_typed_failure_naming_the_page() -> None:
    with pytest.raises(ExtractionError, match=r"http://x\.gov\.cn/deep\.html.*nested deeper"):
        clean_html(nested_divs(MAX_NESTING + 10), "http://x.gov.cn/deep.html")
