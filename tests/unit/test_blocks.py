from selectolax.lexbor import LexborHTMLParser

from cleaners.blocks import Line, _Lines, block_lines


def test_lines_collapse_spaces_and_drop_empty_ones() -> None:
    tree = LexborHTMLParser("<p> a \u3000\t b </p><p> </p><div>c<br>d<span> e</span></div>")
    assert tree.body is not None
    assert [line.text for line in block_lines(tree.body)] == ["a b", "c", "d e"]


def test_a_nul_in_a_line_leaves_the_lines_apart() -> None:
    lines = _Lines()
    for text, inside in (("a\0  b", False), ("  ", True), ("c \u00a0d", True)):
        lines.parts.append(text)
        lines.inside = inside
        lines.flush()
    assert lines.lines() == [Line("a\0 b", False), Line("c d", True)]
