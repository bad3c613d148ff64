"""The crawl, export, reclean, schedule and demo-site commands, end to end."""

from __future__ import annotations

import csv
import io
import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from warcio.archiveiterator import ArchiveIterator

from scraper import Archive
from scraper.cli import cli

ROOT = Path(__file__).resolve().parents[2]
FAST = "delay_s = 0.02"


@pytest.fixture
def setup(site, tmp_path: Path) -> tuple[Path, Path]:  # type: ignore[no-untyped-def]
    sources = tmp_path / "sources.toml"
    sources.write_text(site.sources_text().replace("delay_s = 0.2", FAST), encoding="utf-8")
    return sources, tmp_path / "a.sqlite"


def _invoke(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def _crawl(sources: Path, db: Path, *extra: str) -> str:
    return _invoke("crawl", "--sources", str(sources), "--db", str(db), "--no-progress", *extra)


def test_crawl_prints_a_summary_then_json(setup: tuple[Path, Path]) -> None:
    sources, db = setup
    out = _crawl(sources, db)
    assert "crawl summary" in out and "demo-jyt" in out and "blocked for this run" in out
    stats = json.loads(_crawl(sources, db, "--force", "--json"))
    assert stats["counts"]["store/article/changed"] == 1
    assert stats["sources"]["demo-news"]["store/article/changed"] == 1
    assert list(stats["blocked_hosts"].values()) == ["ruishu-$_ts"]


def test_sources_not_due_are_left_alone(setup: tuple[Path, Path]) -> None:
    sources, db = setup
    _crawl(sources, db, "--source", "demo-jyt")
    stats = json.loads(_crawl(sources, db, "--source", "demo-jyt", "--json"))
    assert stats["counts"] == {"source/not-due": 1}


def test_unknown_source_id(setup: tuple[Path, Path]) -> None:
    sources, db = setup
    result = CliRunner().invoke(cli, ["crawl", "--sources", str(sources), "--db", str(db),
                                      "--source", "nope"])
    assert result.exit_code == 2 and "unknown source nope" in result.output


def _main(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scraper", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)


def test_a_second_crawl_on_a_locked_archive_is_refused(setup: tuple[Path, Path]) -> None:
    sources, db = setup
    with Archive(db):
        done = _main("crawl", "--sources", str(sources), "--db", str(db))
    assert done.returncode == 2
    assert f"Error: {db} is in use by another crawl (pid" in done.stderr


def test_a_missing_sources_file_is_named(tmp_path: Path) -> None:
    done = _main("crawl", "--sources", str(tmp_path / "none.toml"), "--db", str(tmp_path / "a"))
    assert done.returncode == 2 and "none.toml: cannot read" in done.stderr


def test_export_formats(setup: tuple[Path, Path], tmp_path: Path) -> None:
    sources, db = setup
    _crawl(sources, db)
    lines = _invoke("export", "--db", str(db), "--source", "demo-news").splitlines()
    records = [json.loads(line) for line in lines]
    assert len(records) == 6 and all(set(r) == {"text", "id", "metadata"} for r in records)
    assert {"url", "title", "published", "source", "source_id"} <= set(records[0]["metadata"])
    assert len({r["id"] for r in records}) == 6

    out = tmp_path / "a.csv"
    _invoke("export", "--db", str(db), "--format", "csv", "-o", str(out))
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert len(rows) == 16 and rows[0]["text"] and rows[0]["title"]

    md = _invoke("export", "--db", str(db), "--format", "md", "--source", "demo-jyt")
    assert md.count("\n# ") + md.startswith("# ") == 10 and "- Source: " in md

    assert _invoke("export", "--db", str(db), "--since", "2999-01-01") == ""

    warc = tmp_path / "raw.warc.gz"
    _invoke("export", "--db", str(db), "--format", "warc", "-o", str(warc))
    with open(warc, "rb") as fh:
        bodies = [r.content_stream().read() for r in ArchiveIterator(fh)
                  if r.rec_type == "response"]
    assert len(bodies) == 16 and all(b"<html" in b for b in bodies)


def test_export_refuses_bad_input(setup: tuple[Path, Path], tmp_path: Path) -> None:
    sources, db = setup
    _crawl(sources, db, "--source", "demo-jyt")
    result = CliRunner().invoke(cli, ["export", "--db", str(db), "--since", "last week"])
    assert result.exit_code == 2 and "'last week' is not a date" in result.output
    missing = _main("export", "--db", str(tmp_path / "none.sqlite"))
    assert missing.returncode == 2 and "none.sqlite: no archive here" in missing.stderr


def test_reclean_updates_only_what_the_rules_change(setup: tuple[Path, Path],
                                                    tmp_path: Path) -> None:
    sources, db = setup
    _crawl(sources, db)
    base = ["reclean", "--sources", str(sources), "--db", str(db)]
    assert _invoke(*base).strip() == "checked 16, updated 0, cleaned 0 kept raw, failed 0"
    rules = tmp_path / "rules.toml"
    rules.write_text('[[rule]]\nname = "site.test-closing"\nkind = "drop"\n'
                     "patterns = ['^各地教育部门']\nwhy = \"test: drop closing lines\"\n"
                     "examples = ['各地教育部门将在十一月开展督查。']\n", encoding="utf-8")
    out = _invoke(*base, "--rules", str(rules))
    assert out.strip() == "checked 16, updated 2, cleaned 0 kept raw, failed 0"
    with Archive(db, lock=False) as archive:
        texts = [a.article.text for a in archive.articles(source_id="demo-jyt")]
    assert not any("各地教育部门" in t for t in texts)


def test_schedule_stops_cleanly_on_sigterm(setup: tuple[Path, Path]) -> None:
    sources, db = setup
    proc = subprocess.Popen([sys.executable, "-m", "scraper", "schedule", "--sources",
                             str(sources), "--db", str(db)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if db.exists():
            with Archive(db, lock=False) as archive:
                if archive.count_articles() >= 3:
                    break
        time.sleep(0.1)
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert "stopped after 1 passes" in err
    with Archive(db) as archive:  # the lock was released
        assert archive.count_articles() >= 3


def test_demo_site_serves_and_writes_sources(tmp_path: Path) -> None:
    sources = tmp_path / "demo.toml"
    proc = subprocess.Popen([sys.executable, "-m", "scraper", "demo-site", "--port", "0",
                             "--write-sources", str(sources)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        first = proc.stdout.readline().split()  # type: ignore[union-attr]
        assert first[0] == "jyt"
        response = httpx.get(first[1] + "xxgk/tzgg/index.html")
        assert response.status_code == 200 and "通知公告" in response.text
        deadline = time.monotonic() + 10
        while not sources.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _invoke("sources", "check", str(sources)).startswith(f"{sources}: 3 sources OK")
    finally:
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=10)


@pytest.mark.parametrize("command", ["crawl", "schedule", "export", "reclean", "demo-site", "demo",
                                     "clean", "sources", "record"])
def test_every_command_has_help_and_is_in_the_readme(command: str) -> None:
    assert "Usage:" in _invoke(command, "--help")
    assert f"zhengwen {command}" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_progress_display_runs_off_a_terminal(setup: tuple[Path, Path]) -> None:
    sources, db = setup
    out = _invoke("crawl", "--sources", str(sources), "--db", str(db), "--progress",
                  "--source", "demo-jyt")
    assert "crawl summary" in out and "demo-jyt" in out
