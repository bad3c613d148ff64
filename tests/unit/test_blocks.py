import re

from selectolax.lexbor import LexborHTMLParser

from cleaners.blocks import SPACES, Line, PageWalk, _Lines, block_lines


def test_lines_collapse_spaces_and_drop_empty_ones() -> None:
    tree = LexborHTMLParser("<p> a \u3000\t b </p><p> </p><div>c<br>d<span> e</span></div>")
    assert tree.body is not None
    assert [line.text for line in block_lines(tree.body)] == ["a b", "c", "d e"]


def test_spaces_collapse_every_run_of_white_space_as_one_class_would() -> None:
    # SPACES leaves a lone space alone; the result is that of collapsing every run.
    runs = re.compile(r"[ \t\r\n\u00a0\u3000]+")
    pieces = ["a", " ", "  ", "\t", "\n \n", "\u00a0", " \u3000 ", "\r\n", "\u2002", "b c"]
    for text in (" ".join(pieces), "".join(pieces), " x ", "x", "", "\u3000", "  a\u00a0 b  "):
        assert SPACES.sub(" ", text) == runs.sub(" ", text)


def test_a_nul_in_a_line_leaves_the_lines_apart() -> None:
    lines = _Lines()
    for text, inside in (("a\0  b", False), ("  ", True), ("c \u00a0d", True)):
        lines.parts.append(text)
        lines.inside = inside
        lines.flush()
    assert lines.lines() == [Line("a\0 b", False), Line("c d", True)]


def test_a_walk_replayed_over_the_nodes_left_gives_the_lines_of_a_fresh_walk() -> None:
    html = ("<div>lead<div class='share'>share to<br>weibo</div>tail<span class='n'> more"
            "</span></div><p>one<br>two</p><ul><li class='n'>x</li><li>y</li></ul>")
    tree = LexborHTMLParser(html)
    assert tree.body is not None
    walk = PageWalk(tree.body)
    assert walk.lines() == block_lines(tree.body)
    for node in tree.css(".share, .n"):
        node.decompose()
    marked = tree.css_first("p")
    assert marked is not None
    live = {n.mem_id for n in tree.body.traverse(include_text=True)}
    inside = {n.mem_id for n in marked.traverse(include_text=True)}
    replayed = walk.lines(live, inside)
    assert replayed == block_lines(tree.body, marked)
    # The removed block no longer splits its parent's line.
    assert replayed == [Line("leadtail", False), Line("one", True), Line("two", True),
                        Line("y", False)]
