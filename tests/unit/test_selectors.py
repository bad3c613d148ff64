"""The selector screen: a selector it holds back can never match, on any page."""

from __future__ import annotations

from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from cleaners import default_rules
from cleaners.selectors import SelectorScreen, needs

ROOT = Path(__file__).resolve().parents[2]

#: Class and id spellings a parser reads but a look at the markup could miss.
TRICKY_PAGE = """<html><body>
<div CLASS="Share-Bar">a</div>
<div class=bare-word>b</div>
<div class = 'spaced'>c</div>
<div class="ent&#105;ty">d</div>
<div class="tab\tsep">e</div>
<p id="two words">f</p>
<p id="Mixed">g</p>
<span class="related-news recommendBox">h</span>
<nav class="breadcrumbs">i</nav>
<footer>j</footer>
</body></html>"""

SELECTORS = [".share-bar", ".Share-Bar", ".bare-word", ".spaced", ".entity", ".ent", ".tab",
             ".sep", "#two", "#mixed", "#Mixed", "[id='two words']", "[class*=recommend]",
             "[class*=Recommend]", "[class~=recommendBox]", "[class^=related]",
             "[class$=Box]", "[CLASS|=related]", "nav.breadcrumbs", "nav .breadcrumbs",
             "body > footer", "div + div.spaced", "p ~ span.related-news", "footer, .absent",
             ".absent, #missing", "span:not(.x)", "p:first-child", "[data-x=y]", "*",
             ".a\\:b", "[id]", "[class]"]


def _ids(nodes: list) -> list[int]:
    return [node.mem_id for node in nodes]


def _agrees(html: str, selectors: list[str]) -> None:
    tree = LexborHTMLParser(html)
    screen = SelectorScreen(tree)
    for selector in selectors:
        assert _ids(screen.select(tree, (selector,))) == _ids(tree.css(selector)), selector
    assert _ids(screen.select(tree, selectors)) == _ids(tree.css(", ".join(selectors)))


def test_needs_reads_classes_ids_and_their_attribute_selectors() -> None:
    assert needs(".Share") == ((("class", "share"),),)
    assert needs("nav.crumb #Top") == ((("class", "crumb"), ("id", "top")),)
    assert needs("[class*=recommend], footer") == ((("class-text", "recommend"),), ())
    assert needs("[class~='a b']") == ((),)   # matches nothing: no need to screen it by
    assert needs("[itemprop=articleBody]") == ((),)


def test_needs_gives_up_on_what_it_cannot_read() -> None:
    for selector in ("p:first-child", "span:not(.x)", ".a\\:b", "svg|rect", "[a=\"x\\\"y\"]"):
        assert needs(selector) is None, selector


@pytest.mark.parametrize("doctype", ["", "<!DOCTYPE html>"])
def test_screen_agrees_with_lexbor_on_tricky_markup(doctype: str) -> None:
    # Without a doctype the page is in quirks mode, where classes and ids match
    # regardless of case; with one, they match exactly.
    _agrees(doctype + TRICKY_PAGE, SELECTORS)


def test_screen_holds_back_only_what_the_page_lacks() -> None:
    screen = SelectorScreen(LexborHTMLParser(TRICKY_PAGE))
    assert not screen.may_match(".absent")
    assert not screen.may_match("div.share-bar #missing")
    assert not screen.may_match("[class*=sidebar]")
    assert screen.may_match(".absent, footer")
    assert screen.may_match("p:first-child")
    assert screen.select(LexborHTMLParser(TRICKY_PAGE), (".absent", "#missing")) == []


def _default_selectors() -> list[str]:
    return [s for rule in default_rules().rules if rule.selectors for s in rule.selectors]


def test_screen_agrees_with_lexbor_on_the_fixture_pages() -> None:
    selectors = _default_selectors()
    pages = sorted((ROOT / "fixtures" / "pages").glob("*.html"))
    assert pages
    for page in pages:
        _agrees(page.read_bytes().decode("utf-8", "replace"), selectors)


def test_screen_agrees_with_lexbor_on_the_corpus(corpus_root: Path) -> None:
    selectors = _default_selectors()
    pages = sorted(corpus_root.glob("raw/**/*.html"))
    assert len(pages) > 100
    for page in pages:
        _agrees(page.read_bytes().decode("utf-8", "replace"), selectors)
