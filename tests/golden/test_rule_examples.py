"""Every rule's examples go through that rule alone and are removed (or matched)."""

from __future__ import annotations

import pytest
from selectolax.lexbor import LexborHTMLParser

from cleaners import RuleSet, default_rules
from cleaners.lines import clean_lines
from cleaners.locate import locate_content
from cleaners.prune import prune_tree

RULES = default_rules().rules
EXAMPLES = [(rule, example) for rule in RULES for example in rule.examples]


def test_every_rule_is_documented_and_exemplified() -> None:
    names = [r.name for r in RULES]
    assert len(names) == len(set(names))
    for rule in RULES:
        assert rule.why and rule.examples, rule.name


@pytest.mark.parametrize(("rule", "example"), EXAMPLES,
                         ids=[f"{r.name}:{i}" for i, (r, _) in enumerate(EXAMPLES)])
def test_rule_example(rule, example: str) -> None:
    alone = RuleSet((rule,))
    if example.lstrip().startswith("<"):
        page = f"<html><body><div><p>正文内容，与规则无关的一段文字。</p>{example}</div></body></html>"
        tree = LexborHTMLParser(page)
        if rule.kind == "content":
            located = locate_content(tree, alone)
            assert located is not None and located.how.startswith(rule.name)
            return
        removed = prune_tree(tree, alone)
        assert [r.rule for r in removed] and all(r.rule == rule.name for r in removed)
        assert "正文内容" in tree.body.text()
    elif rule.kind == "byline":
        assert rule.search(example) is not None
        result = clean_lines([example], alone)
        assert result.lines == [example.strip()] and result.removed == []
    else:
        result = clean_lines(["正文第一段，这是文章的内容。", example], alone)
        assert [r.rule for r in result.removed] == [rule.name]
        assert result.lines == ["正文第一段，这是文章的内容。"]
