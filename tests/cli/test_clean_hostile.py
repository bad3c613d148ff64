"""``zhengwen clean`` on hostile inputs: every failure is a message and an exit code,
one bad input never stops the run, stdout carries records only, a signal stops it."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from click.testing import CliRunner

from scraper.cli import cli
from tests.conftest import FIXTURES, ROOT

PAGE = FIXTURES / "pages" / "trs_gov_article.html"
HOSTILE = FIXTURES / "hostile"


def _zhengwen(*args: str, **kwargs: object) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "scraper", *args], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kwargs)


def test_many_inputs_give_strict_jsonl_on_stdout(tmp_path: Path) -> None:
    for i in range(22):
        shutil.copy(PAGE, tmp_path / f"page{i:02}.html")
    out = tmp_path / "out.jsonl"
    with out.open("wb") as stdout:
        done = subprocess.run([sys.executable, "-m", "scraper", "clean", str(tmp_path)], cwd=ROOT,
                              stdout=stdout, stderr=subprocess.PIPE, check=False)
    assert done.returncode == 0, done.stderr
    lines = out.read_text(encoding="utf-8").split("\n")
    assert lines[-1] == "" and len(lines) == 23
    assert all(json.loads(line)["path"].endswith(".html") for line in lines[:-1])


def test_one_document_over_the_time_limit_fails_alone() -> None:
    args = ["clean", str(PAGE), str(HOSTILE / "slow_page.html"), str(PAGE),
            "--rules", str(HOSTILE / "slow_rule.toml"), "--time-limit", "5", "--jobs", "2"]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 1
    assert [json.loads(line)["path"] for line in result.stdout.splitlines()] == [str(PAGE)] * 2
    assert "slow_page.html" in result.stderr and "longer than 5 s" in result.stderr


def test_url_with_several_inputs_is_a_usage_error() -> None:
    result = CliRunner().invoke(cli, ["clean", str(PAGE), str(PAGE), "--url", "http://x.cn/a"])
    assert result.exit_code == 2 and "--url names one page" in result.stderr


def test_output_into_a_missing_folder_is_a_message(tmp_path: Path) -> None:
    target = tmp_path / "no" / "such" / "out.jsonl"
    done = subprocess.run([sys.executable, "-m", "scraper", "clean", str(PAGE), "-o", str(target)],
                          cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 1
    assert str(target) in done.stderr and "Traceback" not in done.stderr


def test_unreadable_input_and_undecodable_file_name(tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    odd = os.fsdecode(os.fsencode(folder) + b"/odd\xff\xfe.html")
    shutil.copy(PAGE, odd)
    unreadable = tmp_path / "file.html" / "inside.html"  # a path through a file
    (tmp_path / "file.html").write_text("x", encoding="utf-8")
    for fmt in ("jsonl", "md", "txt"):
        result = CliRunner().invoke(cli, ["clean", str(folder), str(unreadable), "--format", fmt],
                                    catch_exceptions=False)
        assert result.exit_code == 1
        record = result.stdout.splitlines()[0 if fmt != "md" else 2]
        if fmt == "jsonl":
            record = json.loads(record)["path"]
        assert record.endswith("odd\\xff\\xfe.html") or record.endswith("odd\\xff\\xfe.html <==")
        assert "inside.html" in result.stderr and "cannot read" in result.stderr


def test_txt_and_md_records_carry_the_path() -> None:
    md = CliRunner().invoke(cli, ["clean", str(PAGE), "--format", "md"]).stdout
    assert md.splitlines()[2] == f"- Path: {PAGE}"
    txt = CliRunner().invoke(cli, ["clean", str(PAGE), "--format", "txt"]).stdout
    assert txt.splitlines()[0] == f"==> {PAGE} <=="


def test_sigterm_stops_a_run_in_progress() -> None:
    proc = _zhengwen("clean", str(HOSTILE / "slow_page.html"), "--rules",
                     str(HOSTILE / "slow_rule.toml"), "--time-limit", "120")
    children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children")
    deadline = time.monotonic() + 60
    while not children.read_text().strip() and time.monotonic() < deadline:
        time.sleep(0.1)  # the workers start once the command is under way
    time.sleep(1)
    proc.send_signal(signal.SIGTERM)
    try:
        _, err = proc.communicate(timeout=15)
    finally:
        proc.kill()
        proc.communicate()
    assert proc.returncode == 128 + signal.SIGTERM, err
    assert b"Traceback" not in err
