"""The pytest plugin on a user's project, run through pytester: pass, fail with a
per-field diff, update, pass again."""

from __future__ import annotations

import json
import shutil

import pytest

from tests.conftest import FIXTURES

pytest_plugins = ["pytester"]

SOURCES = '''
[[source]]
id = "my-jyt"
name = "示例省教育厅"
start_urls = ["http://www.example.gov.cn/art/index.html"]
content_selector = ".TRS_Editor"
'''

RULES = '''
[[rule]]
name = "mysite.numbered-heading"
kind = "drop"
patterns = ['^[一二三四五六七八九十]、']
max_chars = 30
why = "numbered section headings are not wanted in this project's corpus"
examples = ["一、总体要求", "二、工作安排"]
'''


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    """A user's repository: an ini, a sources file, an empty rules file, one saved page
    (with its inputs: URL and source) and one text dump."""
    pytester.makeini("[pytest]\nzhengwen_snapshots = pages\nzhengwen_rules = rules.toml\n"
                     "zhengwen_sources = sources.toml\n")
    pytester.makefile(".toml", sources=SOURCES, rules="")
    pages = pytester.mkdir("pages")
    shutil.copy(FIXTURES / "pages" / "trs_gov_article.html", pages / "article.html")
    (pages / "article.expected.json").write_text(json.dumps(
        {"input_url": "http://www.example.gov.cn/art/2024/7/8/art_1.html",
         "input_source": "my-jyt"}), encoding="utf-8")
    shutil.copy(FIXTURES / "dumps" / "split_date.txt", pages / "dump.txt")
    return pytester


def test_snapshots_pass_fail_with_a_diff_update_and_pass(project: pytest.Pytester) -> None:
    first = project.runpytest()
    first.assert_outcomes(failed=2)
    first.stdout.fnmatch_lines(["*no snapshot in article.expected.json yet*"])

    written = project.runpytest("--zhengwen-update")
    written.assert_outcomes(passed=2)
    written.stdout.fnmatch_lines(["zhengwen: 2 snapshot(s) written: article.html, dump.txt"])
    snapshot = json.loads((project.path / "pages" / "article.expected.json").read_text("utf-8"))
    assert snapshot["input_source"] == "my-jyt"
    assert snapshot["located_by"] == "source.my-jyt.content"
    assert "一、分层分类组织研修" in snapshot["text"].splitlines()
    project.runpytest().assert_outcomes(passed=2)

    # the user's rules change, and a metadata field of the snapshot is off
    (project.path / "rules.toml").write_text(RULES, encoding="utf-8")
    snapshot["editor"] = "张三"
    (project.path / "pages" / "article.expected.json").write_text(
        json.dumps(snapshot, ensure_ascii=False), encoding="utf-8")
    failed = project.runpytest()
    failed.assert_outcomes(passed=1, failed=1)
    failed.stdout.fnmatch_lines([
        "*pages/article.html: 3 difference(s) from the snapshot",
        "  text:",
        "    --- snapshot",
        "    +++ now",
        "*-一、分层分类组织研修",
        "*-二、强化研修过程管理",
        "  editor: '张三' -> '周明'",
        "  removed_rules: newly removed: mysite.numbered-heading",
        "*pytest --zhengwen-update*",
    ])

    project.runpytest("--zhengwen-update").assert_outcomes(passed=2)
    project.runpytest().assert_outcomes(passed=2)
    snapshot = json.loads((project.path / "pages" / "article.expected.json").read_text("utf-8"))
    assert "一、分层分类组织研修" not in snapshot["text"] and snapshot["editor"] == "周明"


def test_a_marked_test_runs_one_case_per_page(project: pytest.Pytester) -> None:
    project.makepyfile(test_pages='''
        import pytest

        @pytest.mark.zhengwen_snapshots("pages")
        def test_page(zhengwen_snapshot):
            zhengwen_snapshot.check()
    ''')
    project.makeini("[pytest]\nzhengwen_sources = sources.toml\n")
    project.runpytest("--zhengwen-update").assert_outcomes(passed=2)
    result = project.runpytest("-v")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(["*test_page?pages/article.html? PASSED*"])


def test_a_page_of_an_unknown_source_is_named(project: pytest.Pytester) -> None:
    project.makeini("[pytest]\nzhengwen_snapshots = pages\n")
    result = project.runpytest()
    result.assert_outcomes(passed=0, failed=2)
    result.stdout.fnmatch_lines(["*article.html: recorded for source 'my-jyt', which is not in "
                                 "no sources file (set zhengwen_sources)*"])
