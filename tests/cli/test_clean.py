import json
from pathlib import Path

from click.testing import CliRunner

from scraper.cli import cli
from tests.conftest import FIXTURES


def test_clean_directory_jsonl() -> None:
    result = CliRunner().invoke(cli, ["clean", str(FIXTURES / "pages")], catch_exceptions=False)
    assert result.exit_code == 0
    records = [json.loads(line) for line in result.output.splitlines()]
    assert len(records) == len(list((FIXTURES / "pages").glob("*.html")))
    assert all(r["path"].endswith(".html") and r["title"] for r in records)


def test_clean_reports_bad_input_and_goes_on(tmp_path: Path) -> None:
    binary = tmp_path / "broken.html"
    binary.write_bytes(b"\x00\x01" * 400)
    args = ["clean", str(tmp_path / "missing.html"), str(binary),
            str(FIXTURES / "dumps" / "split_date.txt")]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 1
    assert "missing.html" in result.stderr and "broken.html" in result.stderr
    assert json.loads(result.stdout.splitlines()[0])["published"] == "2024-09-16T15:20:00+08:00"


def test_clean_formats_and_output_file(tmp_path: Path) -> None:
    page = str(FIXTURES / "pages" / "trs_gov_article.html")
    out = tmp_path / "out.md"
    result = CliRunner().invoke(cli, ["clean", page, "--format", "md", "-o", str(out),
                                      "--url", "http://example.gov.cn/a.html"])
    assert result.exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("# 示例省启动2024年中小学教师暑期研修计划")
    result = CliRunner().invoke(cli, ["clean", page, "--format", "json"])
    assert json.loads(result.output)[0]["source"] == "示例省教育厅教师工作处"


def test_clean_stdin_and_forced_kind() -> None:
    text = (FIXTURES / "dumps" / "traditional_glued.txt").read_text(encoding="utf-8")
    result = CliRunner().invoke(cli, ["clean", "-", "--as", "text", "--format", "txt"], input=text)
    assert result.exit_code == 0
    assert result.output.startswith("==> - <==\n示例市教育兩委全力推進對口幫扶工作\n\n今年以來")


def test_clean_with_user_rules(tmp_path: Path) -> None:
    rules = tmp_path / "site.toml"
    rules.write_text('[[rule]]\nname = "site.demo.lead"\nkind = "drop"\npatterns = [\'^（原标题：\']\n'
                     'why = "lead line"\nexamples = ["（原标题：x）"]\n', encoding="utf-8")
    page = str(FIXTURES / "pages" / "netease_news.html")
    result = CliRunner().invoke(cli, ["clean", page, "--rules", str(rules)])
    record = json.loads(result.output)
    assert "原标题" not in record["text"]
    assert {"rule": "site.demo.lead", "text": "（原标题：三号线北延段今起试运营）"} in record["removed"]


def test_bad_rules_file_is_an_error_naming_it(tmp_path: Path) -> None:
    rules = tmp_path / "bad.toml"
    rules.write_text("[[rule]]\nname = 'x.y'\nkind = 'drop'\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["clean", str(FIXTURES / "pages"), "--rules", str(rules)])
    assert result.exit_code != 0
    assert "bad.toml" in str(result.exception) or "bad.toml" in result.output


def test_jobs_give_the_same_records_in_the_same_order(tmp_path: Path) -> None:
    broken = tmp_path / "broken.html"
    broken.write_bytes(b"\x00\x01" * 400)
    args = ["clean", str(FIXTURES / "pages"), str(FIXTURES / "dumps"), str(broken)]
    one = CliRunner().invoke(cli, args, catch_exceptions=False)
    two = CliRunner().invoke(cli, [*args, "--jobs", "2"], catch_exceptions=False)
    assert one.exit_code == two.exit_code == 1
    inputs = [*(FIXTURES / "pages").glob("*.html"), *(FIXTURES / "dumps").glob("*.txt")]
    records = [line for line in two.stdout.splitlines() if line.strip()]
    assert one.stdout == two.stdout and len(records) == len(inputs)
    assert "broken.html" in two.stderr
