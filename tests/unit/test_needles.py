import re

from cleaners import default_rules
from cleaners.lines import LINE_KINDS
from cleaners.needles import LineScreen, PageRules, PageText, needle_sets


def test_needle_sets_are_the_literals_every_match_holds() -> None:
    assert needle_sets(re.compile(r"^\s*(?:相关阅读|延伸阅读)\s*$")) == ({"相关阅读", "延伸阅读"},)
    # One set per item of the sequence: a match holds a needle of each.
    assert needle_sets(re.compile(r"ICP\s*[备证]")) == ({"ICP"}, {"备", "证"})
    assert needle_sets(re.compile(r"举报(电话|邮箱)\s*[:：]")) == (
        {"举报"}, {"电话", "邮箱"}, {":", "："})
    assert needle_sets(re.compile(r"^\s*(?:19|20)\d{2}\s*年\s*$")) == ({"19", "20"}, {"年"})
    # No literal at all, or case-insensitive: nothing can be ruled out.
    assert needle_sets(re.compile(r"^\s*\d{1,2}\s*$")) == ()
    assert needle_sets(re.compile(r"(?i)copyright")) == ()
    # Spaces never enter a needle: a block's text joins its text nodes with them.
    assert needle_sets(re.compile(r"点击 排行")) == ({"点击"}, {"排行"})


def test_page_rules_answer_as_the_rule_set_on_every_example() -> None:
    rules = default_rules()
    for kind in ("drop", "drop-list"):
        lines = [line for rule in rules.of_kind(kind) for example in rule.examples
                 for line in example.splitlines()]
        page = PageText(" ".join(lines))
        for line in lines:
            assert PageRules(rules.of_kind(kind), page).first_match(line) == (
                rules.first_match(kind, line)), line
        # A page without a rule's needles leaves that rule out.
        assert PageRules(rules.of_kind(kind), PageText("正文")).first_match("相关阅读") is None


def test_line_screen_answers_as_the_rule_set_screen_on_every_example() -> None:
    rules = default_rules()
    for kinds in (("field",), ("byline",), LINE_KINDS):
        chosen = [r for kind in kinds for r in rules.of_kind(kind)]
        lines = [line for rule in chosen for example in rule.examples
                 for line in example.splitlines()]
        screen = LineScreen(chosen, PageText("\n".join(lines)))
        for line in lines + ["这是正文中普通的一句话，没有任何需要删除的内容。"]:
            assert screen.search(line) == rules.screen(*kinds).search(line), line


def test_patterns_sharing_a_needle_agree_on_every_page() -> None:
    # One needle's answer serves every pattern holding it; a pattern is only ruled out
    # when none of its needles is in the page.
    shared, other = re.compile(r"相关阅读\s*[:：]?"), re.compile(r"^相关阅读$|^延伸阅读$")
    with_needle = PageText("正文 相关阅读 更多")
    assert with_needle.may_match(shared) and with_needle.may_match(other)
    only_other = PageText("正文 延伸阅读")
    assert not only_other.may_match(shared) and only_other.may_match(other)
    assert not PageText("正文").may_match(other)
    # A pattern is ruled out too when one of its items has no needle in the page.
    year = re.compile(r"^\s*(?:19|20)\d{2}\s*年\s*$")
    assert PageText("2024 年").may_match(year) and not PageText("2024 May").may_match(year)
