"""zhengwen pipeline on datatrove: same records as ``zhengwen clean``, raw bytes and
headers kept, failures counted with their reason, resumable, near-duplicates removed."""

from __future__ import annotations

import gzip
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from cleaners import clean_html
from scraper.cli import cli
from scraper.pipeline import PipelineOptions, run_pipeline
from scraper.pipeline.clean_step import article_metadata
from tests.conftest import FIXTURES, ROOT

PAGES = sorted((FIXTURES / "pages").glob("*.html"))
DUMPS = sorted((FIXTURES / "dumps").glob("*.txt"))


def records(folder: Path) -> list[dict]:
    rows = []
    for path in sorted(folder.glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as f:
            rows.extend(json.loads(line) for line in f if line.strip())
    return rows


def cc_warc(path: Path, pages: list[tuple[str, bytes, str]]) -> None:
    """A gzip WARC shaped like Common Crawl's: warcinfo, then request, response and
    metadata records per page, plus a 404 and an image that must be skipped."""
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        writer.write_record(writer.create_warcinfo_record("test.warc.gz", {"software": "test"}))
        extra = [("http://news.example.cn/missing.html", b"<html>gone</html>", "text/html", "404"),
                 ("http://news.example.cn/logo.png", b"\x89PNG....", "image/png", "200")]
        for url, body, content_type, status in [(u, b, c, "200") for u, b, c in pages] + extra:
            request = writer.create_warc_record(
                url, "request", payload=io.BytesIO(b""), length=0,
                http_headers=StatusAndHeaders("GET / HTTP/1.1", [("Host", "x")], is_http_request=True))
            writer.write_record(request)
            headers = StatusAndHeaders(f"{status} OK", [("Content-Type", content_type)],
                                       protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), length=len(body), http_headers=headers))
            fields = b"fetchTimeMs: 12\n"
            writer.write_record(writer.create_warc_record(
                url, "metadata", payload=io.BytesIO(fields), length=len(fields),
                warc_content_type="application/warc-fields"))


def test_folder_records_equal_zhengwen_clean(tmp_path: Path) -> None:
    out = tmp_path / "out"
    stats = run_pipeline(PipelineOptions(inputs=(str(FIXTURES / "pages"), str(FIXTURES / "dumps")),
                                         output=str(out), tasks=3, workers=2), show_progress=False)
    assert stats["total"] == len(PAGES) + len(DUMPS) == stats["cleaned"]
    ours = {Path(r["metadata"]["file_path"]).name: r for r in records(out)}
    result = CliRunner().invoke(cli, ["clean", str(FIXTURES / "pages"), str(FIXTURES / "dumps")],
                                catch_exceptions=False)
    clean = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    assert len(clean) == len(ours)
    for expected in clean:
        record = ours[Path(expected.pop("path")).name]
        assert record["text"] == expected.pop("text")
        language = expected.pop("language")
        assert record["metadata"]["language"] == language.split("-")[0]
        for key, value in expected.items():
            assert record["metadata"][key] == value, key


def test_common_crawl_warc_keeps_http_charset(tmp_path: Path) -> None:
    gbk = (FIXTURES / "pages" / "gbk_page.html").read_bytes()
    # The charset only in the HTTP header: a reader that decodes by itself gets it wrong.
    stripped = gbk.replace(b'charset=gbk', b'').replace(b'charset="gbk"', b'')
    pages = [("http://jyt.example.gov.cn/a.html", stripped, "text/html; charset=GBK"),
             ("http://news.example.cn/b.html", (FIXTURES / "pages" / "netease_news.html").read_bytes(),
              "text/html")]
    warc = tmp_path / "in" / "CC-MAIN-00000.warc.gz"
    warc.parent.mkdir()
    cc_warc(warc, pages)
    out = tmp_path / "out"
    stats = run_pipeline(PipelineOptions(inputs=(str(warc.parent),), output=str(out)),
                         show_progress=False)
    assert stats["cleaned"] == 2
    rows = {r["metadata"]["url"]: r for r in records(out)}
    for url, body, content_type in pages:
        article = clean_html(body, url, headers={"Content-Type": content_type})
        assert rows[url]["text"] == article.text and article.text
        assert rows[url]["metadata"]["title"] == article.title
        assert rows[url]["metadata"]["language"] == "zh"
        assert rows[url]["metadata"]["script"] == "Hans"


def test_jsonl_with_an_html_field_and_parquet_output(tmp_path: Path) -> None:
    pyarrow = pytest.importorskip("pyarrow.parquet")
    source = tmp_path / "in" / "pages.jsonl"
    source.parent.mkdir()
    lines = [json.dumps({"url": f"http://example.gov.cn/{p.stem}.html",
                         "html": p.read_bytes().decode("utf-8")}, ensure_ascii=False)
             for p in PAGES if p.stem in ("trs_gov_article", "govcn_article")]
    source.write_text("\n".join(lines) + "\nnot json\n", encoding="utf-8")
    out = tmp_path / "out"
    run_pipeline(PipelineOptions(inputs=(str(source),), output=str(out), fmt="parquet"),
                 show_progress=False)
    table = pyarrow.read_table(next(out.glob("*.parquet")))
    assert table.num_rows == 2
    row = table.to_pylist()[0]
    expected = clean_html(row["text"] and (FIXTURES / "pages" / Path(row["url"]).name).read_bytes(),
                          row["url"])
    assert row["text"] == expected.text
    assert json.loads(row["removed"]) == article_metadata(expected)["removed"]


def test_a_hanging_and_a_crashing_document_are_counted_and_skipped(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import scraper.pipeline.clean_step as step

    real = step.clean_text

    def hostile(text: str, url: str | None = None, **kwargs):  # runs in the forked sandbox
        if "HANG" in text:
            time.sleep(60)
        if "CRASH" in text:
            os._exit(3)
        return real(text, url, **kwargs)

    monkeypatch.setattr(step, "clean_text", hostile)
    folder = tmp_path / "in"
    folder.mkdir()
    for name, marker in (("a_hang.txt", "HANG"), ("b_crash.txt", "CRASH")):
        (folder / name).write_text(marker + "\n正文第一段。", encoding="utf-8")
    (folder / "c_good.txt").write_text((FIXTURES / "dumps" / "split_date.txt").read_text("utf-8"),
                                       encoding="utf-8")
    stats = run_pipeline(PipelineOptions(inputs=(str(folder),), output=str(tmp_path / "out"),
                                         timeout_s=1.0), show_progress=False)
    assert stats["failed/timeout"] == 1 and stats["failed/worker_died"] == 1
    assert stats["cleaned"] == 1
    assert [Path(r["metadata"]["file_path"]).name for r in records(tmp_path / "out")] == ["c_good.txt"]


def test_a_second_run_redoes_only_unfinished_tasks(tmp_path: Path) -> None:
    out = tmp_path / "out"
    opts = PipelineOptions(inputs=(str(FIXTURES / "pages"),), output=str(out), tasks=4, workers=2)
    run_pipeline(opts, show_progress=False)
    reference = sorted(json.dumps(r, sort_keys=True) for r in records(out))
    # A run killed during task 2: its marker and output are missing, the others are done.
    (out / ".logs" / "clean" / "completions" / "00002").unlink()
    (out / "00002.jsonl.gz").write_bytes(b"")
    done = {p.name: p.stat().st_mtime_ns for p in out.glob("*.jsonl.gz") if p.name != "00002.jsonl.gz"}
    run_pipeline(opts, show_progress=False)
    assert {p.name: p.stat().st_mtime_ns for p in out.glob("*.jsonl.gz")
            if p.name != "00002.jsonl.gz"} == done
    assert sorted(json.dumps(r, sort_keys=True) for r in records(out)) == reference


def test_kill_then_resume_gives_the_same_records(tmp_path: Path) -> None:
    source = tmp_path / "in"
    source.mkdir()
    for copy in range(12):
        for page in PAGES:
            (source / f"{copy:02d}_{page.name}").write_bytes(page.read_bytes())
    args = [sys.executable, "-m", "scraper", "pipeline", str(source), "--tasks", "6",
            "--workers", "2", "-o"]
    reference = tmp_path / "reference"
    subprocess.run([*args, str(reference)], check=True, cwd=ROOT, capture_output=True)
    out = tmp_path / "out"
    proc = subprocess.Popen([*args, str(out)], cwd=ROOT, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    completions = out / ".logs" / "clean" / "completions"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if completions.is_dir() and any(completions.iterdir()):
            os.killpg(proc.pid, signal.SIGKILL)
            break
        time.sleep(0.05)
    proc.wait()
    subprocess.run([*args, str(out)], check=True, cwd=ROOT, capture_output=True)
    assert sorted(json.dumps(r, sort_keys=True) for r in records(out)) == sorted(
        json.dumps(r, sort_keys=True) for r in records(reference))


def test_dedupe_keeps_one_of_a_reprint(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for dump in DUMPS:
        (folder / dump.name).write_text(dump.read_text("utf-8"), encoding="utf-8")
    original = (FIXTURES / "dumps" / "journal_reprint.txt").read_text("utf-8")
    # The same article under another outlet's masthead: a few lines differ.
    (folder / "zz_reprint.txt").write_text("转载自示例日报\n" + original + "\n责任编辑：示例",
                                           encoding="utf-8")
    out = tmp_path / "out"
    run_pipeline(PipelineOptions(inputs=(str(folder),), output=str(out), tasks=2, workers=2,
                                 dedupe=True), show_progress=False)
    names = sorted(Path(r["metadata"]["file_path"]).name for r in records(out))
    assert len(names) == len(DUMPS)
    assert ("journal_reprint.txt" in names) != ("zz_reprint.txt" in names)
    assert set(names) >= {d.name for d in DUMPS if d.name != "journal_reprint.txt"}


def test_command_prints_a_summary_and_names_bad_input(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["pipeline", str(FIXTURES / "dumps"), "-o",
                                      str(tmp_path / "out")], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "cleaned" in result.stderr and str(len(DUMPS)) in result.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    result = CliRunner().invoke(cli, ["pipeline", str(empty), "-o", str(tmp_path / "o2")])
    assert result.exit_code == 1 and "holds no WARC" in result.stderr


def test_a_process_loads_and_warms_its_rules_once() -> None:
    """Every task's sandbox forks from its task process: the rules must be the warm set
    that process already compiled, not a fresh one per task."""
    from scraper.pipeline.clean_step import _WARMUP_DUMP, _WARMUP_PAGE, _clean, warm_rules

    rules = warm_rules(())
    assert warm_rules(()) is rules
    for kind, body in (("html", _WARMUP_PAGE), ("text", _WARMUP_DUMP)):
        article = _clean(kind, body, None, None, rules)
        assert not isinstance(article, Exception) and article.text, kind
