from pathlib import Path

import pytest

from cleaners import RulesError, clean_html, default_rules, load_rules


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "site.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_cover_the_required_families() -> None:
    names = set(default_rules().names())
    for required in ("share.bdshare", "share.bshare", "share.jiathis", "nav.breadcrumb",
                     "toolbar.font-size", "toolbar.print-close", "toolbar.qr-code",
                     "list.related-reading", "list.related-articles", "list.you-may-like",
                     "list.hot", "list.latest", "nav.prev-next", "meta.view-count",
                     "footer.copyright", "footer.icp", "footer.gov-id", "footer.links"):
        assert required in names


def test_patterns_match_traditional_forms() -> None:
    rules = {r.name: r for r in default_rules().rules}
    assert rules["meta.editor"].search("責任編輯：陳嘉")
    assert rules["list.related-reading"].search("相關閱讀")
    assert rules["nav.breadcrumb"].search("當前位置：首頁")


def test_user_rules_drop_and_content(tmp_path: Path) -> None:
    path = _write(tmp_path, '''
[[rule]]
name = "site.example.sidebar"
kind = "drop"
selectors = ["#ad-box"]
why = "advert box"
examples = ['<div id="ad-box">广告</div>']

[[rule]]
name = "site.example.body"
kind = "content"
selectors = [".my-body"]
why = "the site's body block"
examples = ['<div class="my-body"><p>正文</p></div>']
''')
    html = ("<html><body><div class='my-body'><p>这是文章正文的第一段，内容比较短。</p>"
            "<div id='ad-box'>限时优惠广告</div></div><div class='side'><p>侧栏里很长的一段无关文字，"
            "包含很多标点符号，，，，，。。。。。用来干扰评分。</p></div></body></html>")
    article = clean_html(html, rules=load_rules(path))
    assert article.text == "这是文章正文的第一段，内容比较短。"
    assert ("site.example.sidebar", "限时优惠广告") in article.removed


@pytest.mark.parametrize(("body", "message"), [
    ('[[rule]]\nname = "x.y"\nkind = "drop"\nwhy = "w"\n', "selectors or patterns"),
    ('[[rule]]\nname = "x.y"\nkind = "nope"\nselectors = ["p"]\nwhy = "w"\n', "kind must be"),
    ('[[rule]]\nname = "x.y"\nkind = "drop"\nselectors = ["p"]\n', "needs a 'why'"),
    ('[[rule]]\nname = "x.y"\nkind = "drop"\npatterns = ["(unclosed"]\nwhy = "w"\n', "bad pattern"),
    ('[[rule]]\nname = "x.y"\nkind = "drop"\nselectors = ["p"]\nwhy = "w"\ncolour = 1\n', "unknown keys"),
    ('[[rule]]\nname = "x.y"\nkind = "field"\npatterns = ["来源(.*)"]\nwhy = "w"\n', "named groups"),
    ('[[rule]]\nname = "share.bdshare"\nkind = "drop"\nselectors = ["p"]\nwhy = "w"\n', "duplicate"),
    ('[[rule]\nname = "x"\n', "invalid TOML"),
])
def test_bad_rules_files_name_file_line_and_rule(tmp_path: Path, body: str, message: str) -> None:
    path = _write(tmp_path, "\n\n" + body)
    with pytest.raises(RulesError, match=message) as info:
        load_rules(path)
    assert str(path) in str(info.value)
    if "invalid TOML" not in message:
        assert info.value.line == 4 or "duplicate" in message


def test_missing_rules_file(tmp_path: Path) -> None:
    with pytest.raises(RulesError, match="not found"):
        load_rules(tmp_path / "nope.toml")


def test_screen_never_misses_what_a_rule_matches() -> None:
    from cleaners.rules import Screens

    rules = default_rules()
    for kind in ("drop", "drop-list", "field"):
        screen = rules.screen(kind)
        assert isinstance(screen, Screens)
        for rule in rules.of_kind(kind):
            for example in rule.examples:
                for line in example.splitlines():
                    if rule.search(line):
                        assert screen.search(line), (rule.name, line)
    assert not rules.screen("drop").search("这是正文中普通的一句话，没有任何需要删除的内容。")


def test_anchored_patterns_are_told_apart() -> None:
    from cleaners.rules import is_anchored

    assert is_anchored(r"^\s*(分享|打印)$") and is_anchored(r"^[|]a") and is_anchored(r"^(a|b)")
    for floating in (r"^a|b", r"^\(a|b\)", "版权所有", r"(^a)"):
        assert not is_anchored(floating)
