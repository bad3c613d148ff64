from pathlib import Path

import pytest
from click.testing import CliRunner

from scraper.cli import cli
from scraper.errors import SourcesError
from scraper.scope import Scope
from scraper.sources import load_sources
from tests.conftest import ROOT

BAD = '''[[source]]
id = "Bad Id"
name = "x"
start_urls = ["ftp://x"]
schedule = "every day"
colour = 1

[[source]]
id = "ok"
name = "y"
start_urls = ["http://a.example.gov.cn/"]
delay_s = -1
drop_selectors = [".share", "div[["]
'''


def test_example_sources_load() -> None:
    sources = load_sources(ROOT / "sources.example.toml")
    assert [s.id for s in sources] == ["hunan-jyt", "xinjiang-jyt", "moe-news"]
    assert Scope.of(sources[0]).describe() == "jyt.hunan.gov.cn"
    assert Scope.of(sources[1]).describe() == "jyt.xinjiang.gov.cn"


def test_every_mistake_named_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "sources.toml"
    path.write_text(BAD, encoding="utf-8")
    with pytest.raises(SourcesError) as info:
        load_sources(path)
    lines = {line for line, _ in info.value.problems}
    assert lines == {2, 4, 5, 6, 12, 13}
    assert "bad CSS selector: 'div[['" in str(info.value)
    assert all(str(path) in row for row in str(info.value).splitlines())


def test_sources_check_command(tmp_path: Path) -> None:
    ok = CliRunner().invoke(cli, ["sources", "check", str(ROOT / "sources.example.toml")])
    assert ok.exit_code == 0 and "3 sources OK" in ok.output
    path = tmp_path / "s.toml"
    path.write_text("[[source]\n", encoding="utf-8")
    with pytest.raises(SourcesError, match="invalid TOML"):
        CliRunner().invoke(cli, ["sources", "check", str(path)], catch_exceptions=False)


STRICT = '''[[source]]
id = "first"
name = "x"
start_urls = ["http://a.example.gov.cn/"]

[[source]]
id = "first"
name = 1
start_urls = []
allowed_hosts = "a.example.gov.cn"
drop_selectors = ".share"
max_list_pages = 2.5
'''


def test_lists_text_and_numbers_are_strict(tmp_path: Path) -> None:
    path = tmp_path / "sources.toml"
    path.write_text(STRICT, encoding="utf-8")
    with pytest.raises(SourcesError) as info:
        load_sources(path)
    problems = dict((msg, line) for line, msg in info.value.problems)
    assert problems == {
        "source 'first': name must be text in quotes": 8,
        "source 'first': start_urls must not be empty": 9,
        "source 'first': allowed_hosts must be a list, e.g. allowed_hosts = [\"...\"]": 10,
        "source 'first': drop_selectors must be a list, e.g. drop_selectors = [\"...\"]": 11,
        "source 'first': max_list_pages must be a whole number": 12,
    }


def test_a_duplicated_id_is_reported_at_the_second_source(tmp_path: Path) -> None:
    path = tmp_path / "sources.toml"
    path.write_text(STRICT.split("name = 1")[0] + 'name = "y"\nstart_urls = ["http://b.cn/"]\n',
                    encoding="utf-8")
    with pytest.raises(SourcesError) as info:
        load_sources(path)
    assert info.value.problems == [(7, "source 'first': duplicate id")]
