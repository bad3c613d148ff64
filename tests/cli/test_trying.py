"""Trying before scheduling: ``sources try`` and ``clean URL`` write nothing to an archive."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from scraper.cli import cli


def test_sources_try_shows_what_a_crawl_would_find(site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    sources = tmp_path / "sources.toml"
    sources.write_text(site.sources_text().replace("delay_s = 0.2", "delay_s = 0.02"),
                       encoding="utf-8")
    result = CliRunner().invoke(cli, ["sources", "try", "demo-news", "--sources", str(sources),
                                      "--limit", "2"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    out = result.stdout
    pages, found, articles = out.split("\n# ")
    assert pages.startswith("# pages followed (3)") and f"{site.bases['news']}/list_2.html" in pages
    assert "feed     ok" in pages
    assert found.startswith("article URLs found (7)")  # the PDF included
    assert articles.startswith("first 2 articles, cleaned")
    records = [json.loads(line) for line in articles.splitlines() if line.startswith("{")]
    assert len(records) == 2 and all(r["title"] and r["language"] == "zh" for r in records)
    assert list(tmp_path.iterdir()) == [sources]  # no archive written


def test_sources_try_of_a_blocked_source_exits_3(site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    sources = tmp_path / "sources.toml"
    sources.write_text(site.sources_text(), encoding="utf-8")
    result = CliRunner().invoke(cli, ["sources", "try", "demo-city", "--sources", str(sources)])
    assert result.exit_code == 3 and "challenge" in result.stderr


def test_clean_fetches_a_url_politely(site) -> None:  # type: ignore[no-untyped-def]
    url = f"{site.bases['jyt']}/xxgk/tzgg/202410/t20241020_100109.html"
    result = CliRunner().invoke(cli, ["clean", url, "--allow-private-hosts"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    [record] = [json.loads(line) for line in result.stdout.splitlines()]
    assert record["path"] == url and record["title"] == "示例省教育厅发布冬季学校防火提示"
    assert site.hits("jyt", "/robots.txt") == 1
    refused = CliRunner().invoke(cli, ["clean", f"{site.bases['jyt']}/private/t20241011_900001.html",
                                       "--allow-private-hosts"])
    assert refused.exit_code == 1 and "robots.txt disallows it" in refused.stderr
    assert site.hits("jyt", "/private/t20241011_900001.html") == 0
