"""Drift: a redesign of one host between two crawls is reported for that source alone."""

from __future__ import annotations

import json
import shutil
from datetime import datetime
from pathlib import Path

from click.testing import CliRunner, Result

from scraper.cli import cli
from scraper.demo_site import DEFAULT_SITE, DemoSite


def _run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_a_redesign_makes_its_source_drift_and_nothing_else(tmp_path: Path) -> None:
    root = tmp_path / "site"
    shutil.copytree(DEFAULT_SITE, root)
    db = str(tmp_path / "a.sqlite")
    with DemoSite(root) as site:
        sources = tmp_path / "sources.toml"
        sources.write_text(site.sources_text().replace("delay_s = 0.2", "delay_s = 0.02"),
                           encoding="utf-8")
        # the two sources the site serves (its third host is behind a challenge: exit 3)
        crawl = ("crawl", "--sources", str(sources), "--db", db, "--force", "--no-progress",
                 "--source", "demo-jyt", "--source", "demo-news")
        first = _run(*crawl)
        assert first.exit_code == 1 and "drifting" not in first.stdout  # one page is a 404
        # the redesign: the articles' body block loses the class the source's content rule names
        for page in (root / "jyt" / "xxgk").rglob("t2*.html"):
            page.write_bytes(page.read_bytes().replace(b"TRS_Editor", b"zw-article-2025"))
        second = _run(*crawl, "--json")
        third = _run(*crawl)  # nothing new to judge: still drifting, since the second pass
    assert second.exit_code == 4  # nothing failed (the 404 is known gone), but a drift
    drifting = json.loads(second.stdout)["drifting"]
    assert list(drifting) == ["demo-jyt"]
    assert [f["figure"] for f in drifting["demo-jyt"]] == ["content_rule"]
    assert drifting["demo-jyt"][0]["value"] == 0.0 and drifting["demo-jyt"][0]["baseline"] == 1.0

    assert third.exit_code == 4
    since = datetime.fromtimestamp(drifting["demo-jyt"][0]["run_started"])
    report = " ".join(third.stdout.split())  # the summary wraps at the terminal's width
    assert report.count("drifting:") == 1
    assert (f"drifting: demo-jyt: content_rule 0.00, usually 1.00, since the pass of "
            f"{since:%Y-%m-%d %H:%M}") in report

    health = _run("sources", "health", "--db", db)
    assert health.exit_code == 4
    rows = [line for line in health.stdout.splitlines() if "DRIFTING" in line]
    assert len(rows) == 1 and "demo-jyt" in rows[0] and "content_rule" in rows[0]
    figures = json.loads(_run("sources", "health", "--db", db, "--json").stdout)
    assert {f["source_id"] for f in figures} == {"demo-jyt", "demo-news"}
    assert {f["figure"] for f in figures if f["drifting"]} == {"content_rule"}
