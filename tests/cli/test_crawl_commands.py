"""The crawl, export, reclean, schedule and demo-site commands, end to end."""

from __future__ import annotations

import csv
import io
import json
import re
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


def _invoke(*args: str, code: int | None = 0) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert code is None or result.exit_code == code, result.output
    return result.stdout


def _crawl(sources: Path, db: Path | str, *extra: str, code: int = 3) -> str:
    """A crawl of the demo site: exit code 3, since its challenge host fails outright."""
    return _invoke("crawl", "--sources", str(sources), "--db", str(db), "--no-progress", *extra,
                   code=code)


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
    _crawl(sources, db, "--source", "demo-jyt", code=1)  # its deliberate 404
    stats = json.loads(_crawl(sources, db, "--source", "demo-jyt", "--json", code=0))
    assert stats["counts"] == {"source/not-due": 1} and "demo-jyt" in stats["next_due"]
    out = _crawl(sources, db, "--source", "demo-jyt", code=0)
    assert "demo-jyt is not due; next due 20" in out


def test_unknown_source_id(setup: tuple[Path, Path]) -> None:
    sources, db = setup
    result = CliRunner().invoke(cli, ["crawl", "--sources", str(sources), "--db", str(db),
                                      "--source", "nope"])
    assert result.exit_code == 2 and "unknown source nope" in result.output


def test_shards_split_the_sources_between_archives(setup: tuple[Path, Path],
                                                   tmp_path: Path) -> None:
    from scraper.sources import in_shard, load_sources

    sources, _ = setup
    ids = [s.id for s in load_sources(sources)]
    owners = {i: [k for k in (1, 2) if in_shard(i, k, 2)] for i in ids}
    assert all(len(k) == 1 for k in owners.values()), owners  # each source on one shard
    crawled: list[str] = []
    for k in (1, 2):
        stats = json.loads(_invoke("crawl", "--sources", str(sources), "--db",
                                   str(tmp_path / f"shard{k}.sqlite"), "--no-progress", "--json",
                                   "--shard", f"{k}/2", code=None))
        crawled += stats["sources"]
        assert sorted(stats["sources"]) == sorted(i for i, o in owners.items() if o == [k])
    assert sorted(crawled) == sorted(ids)
    bad = CliRunner().invoke(cli, ["crawl", "--sources", str(sources), "--shard", "3/2"])
    assert bad.exit_code == 2 and "K/N" in bad.output


def _main(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scraper", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)


def test_a_second_crawl_on_a_locked_archive_is_refused(setup: tuple[Path, Path]) -> None:
    sources, db = setup
    with Archive(db):
        done = _main("crawl", "--sources", str(sources), "--db", str(db))
    assert done.returncode == 2
    assert f"Error: {db} is in use by zhengwen crawl (pid" in done.stderr


def test_a_missing_sources_file_is_named(tmp_path: Path) -> None:
    done = _main("crawl", "--sources", str(tmp_path / "none.toml"), "--db", str(tmp_path / "a"))
    assert done.returncode == 2 and "none.toml: cannot read" in done.stderr


@pytest.fixture
def pg_setup(site, tmp_path: Path, postgres_url: str) -> tuple[Path, str]:  # type: ignore[no-untyped-def]
    """The demo site's sources file and a PostgreSQL archive."""
    sources = tmp_path / "sources.toml"
    sources.write_text(site.sources_text().replace("delay_s = 0.2", FAST), encoding="utf-8")
    return sources, postgres_url


def test_export_formats(setup: tuple[Path, Path], tmp_path: Path) -> None:
    _export_formats(*setup, tmp_path)


def test_export_formats_on_postgresql(pg_setup: tuple[Path, str], tmp_path: Path) -> None:
    _export_formats(*pg_setup, tmp_path)


def _export_formats(sources: Path, db: Path | str, tmp_path: Path) -> None:
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
    _crawl(sources, db, "--source", "demo-jyt", code=1)
    result = CliRunner().invoke(cli, ["export", "--db", str(db), "--since", "last week"])
    assert result.exit_code == 2 and "'last week' is not a date" in result.output
    missing = _main("export", "--db", str(tmp_path / "none.sqlite"))
    assert missing.returncode == 2 and "none.sqlite: no archive here" in missing.stderr


def test_reclean_updates_only_what_the_rules_change(setup: tuple[Path, Path],
                                                    tmp_path: Path) -> None:
    _reclean_scenario(*setup, tmp_path)


def test_reclean_on_postgresql(pg_setup: tuple[Path, str], tmp_path: Path) -> None:
    _reclean_scenario(*pg_setup, tmp_path)


def _reclean_scenario(sources: Path, db: Path | str, tmp_path: Path) -> None:
    _crawl(sources, db)
    base = ["reclean", "--sources", str(sources), "--db", str(db)]
    _invoke(*base)  # applies each host's template as it stands after the whole crawl
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
                                     "clean", "sources", "templates", "record",
                                     "migrate-db"])
def test_every_command_has_help_and_is_in_the_readme(command: str) -> None:
    assert "Usage:" in _invoke(command, "--help")
    assert f"zhengwen {command}" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_progress_display_runs_off_a_terminal(setup: tuple[Path, Path]) -> None:
    sources, db = setup
    out = _invoke("crawl", "--sources", str(sources), "--db", str(db), "--progress",
                  "--source", "demo-jyt", code=1)
    assert "crawl summary" in out and "demo-jyt" in out


LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4} WARNING scraper\.crawl: "
                      r"http://\S+/t20241019_100199\.html: HTTP 404$")


def test_logs_are_one_timestamped_line_each_and_can_go_to_a_file(setup: tuple[Path, Path],
                                                                 tmp_path: Path) -> None:
    sources, db = setup
    log = tmp_path / "logs" / "crawl.log"
    base = ["crawl", "--sources", str(sources), "--db", str(db), "--source", "demo-jyt"]
    result = CliRunner().invoke(cli, [*base, "--log-file", str(log)])
    assert result.exit_code == 1  # the deliberate 404
    assert any(LOG_LINE.match(line) for line in result.stderr.splitlines()), result.stderr
    assert any(LOG_LINE.match(line) for line in log.read_text(encoding="utf-8").splitlines())
    assert "crawl summary" in result.stdout and "partial" in result.stdout
    quiet = CliRunner().invoke(cli, [*base, "--force", "-q"])
    assert quiet.exit_code == 0 and quiet.stdout == "" and quiet.stderr == ""  # 404: gone


def test_runs_say_what_each_run_did(setup: tuple[Path, Path]) -> None:
    sources, db = setup
    _crawl(sources, db, "--source", "demo-jyt", code=1)
    _crawl(sources, db, "--source", "demo-jyt", code=0)
    out = _invoke("runs", "--db", str(db)).splitlines()
    assert re.match(r"#2 crawl \S+ -> \S+: finished, exit 0$", out[0])
    assert re.match(r"    demo-jyt: not due \(next 20", out[1])
    assert re.match(r"#1 crawl \S+ -> \S+: finished, exit 1$", out[2])
    assert out[3] == "    demo-jyt: partial (1 URLs failed); 10 new, 0 changed, 1 failed"


def test_export_names_an_unknown_source_and_reclean_a_missing_sources_file(
        setup: tuple[Path, Path], tmp_path: Path) -> None:
    sources, db = setup
    _crawl(sources, db, "--source", "demo-jyt", code=1)
    unknown = CliRunner().invoke(cli, ["export", "--db", str(db), "--source", "nosuch"])
    assert unknown.exit_code == 2 and "no source 'nosuch'" in unknown.output
    assert "it holds demo-jyt" in unknown.output
    missing = _main("reclean", "--db", str(db), "--sources", str(tmp_path / "gone.toml"))
    assert missing.returncode == 2 and "gone.toml: cannot read" in missing.stderr


def test_crawl_learns_a_template_per_host(setup: tuple[Path, Path]) -> None:
    sources, db = setup
    _crawl(sources, db, "--source", "demo-jyt", code=1)
    hosts = _invoke("templates", "--db", str(db)).splitlines()
    assert len(hosts) == 1 and hosts[0].endswith("10 pages")
    host = hosts[0].split("\t")[0]
    shown = _invoke("templates", host, "--db", str(db))
    assert f"template.{host}" in shown and "recurring lines" in shown
    with Archive(db, readonly=True) as archive:
        removed = {r.rule for a in archive.articles(source_id="demo-jyt") for r in a.article.removed}
    assert f"template.{host}" in removed


def test_templates_names_an_unknown_host(setup: tuple[Path, Path]) -> None:
    sources, db = setup
    _crawl(sources, db, "--source", "demo-jyt", code=1)
    result = _main("templates", "nowhere.example", "--db", str(db))
    assert result.returncode == 2 and "nowhere.example: no template learned" in result.stderr
