"""Record the demo site, replay it offline, and get what a live crawl gets."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from dataclasses import replace
from pathlib import Path

from click.testing import CliRunner

from scraper import Archive, ReplayTransport, crawl, load_config, record, replay_crawl
from scraper.cli import cli
from scraper.demo_site import DemoSite
from scraper.replay import load_recording

FIELDS = ("title", "text", "published", "source", "author", "editor", "sitename", "keywords")


def _sources_file(site: DemoSite, folder: Path) -> Path:
    path = folder / f"sources-{id(site)}.toml"
    path.write_text(site.sources_text().replace("delay_s = 0.2", "delay_s = 0.02"),
                    encoding="utf-8")
    return path


def _articles(db: Path) -> dict[str, tuple]:
    """URL path -> the cleaned fields of every stored article (the port differs per site)."""
    with Archive(db, lock=False) as archive:
        return {a.url.split("/", 3)[3]: tuple(getattr(a.article, f) for f in FIELDS)
                for a in archive.articles()}


def test_replay_gives_the_articles_of_a_live_crawl(tmp_path: Path) -> None:
    with DemoSite() as live:
        settings, sources = load_config(_sources_file(live, tmp_path))
        with Archive(tmp_path / "live.sqlite") as archive:
            asyncio.run(crawl(sources, archive, settings, force=True))
    with DemoSite() as recorded:
        settings, sources = load_config(_sources_file(recorded, tmp_path))
        recordings = asyncio.run(record(sources, tmp_path / "rec", settings, limit=100))
    # the recorded site is down now: only the recording can answer, the same way each time
    for db in ("replay.sqlite", "again.sqlite"):
        with Archive(tmp_path / db) as archive:
            stats = asyncio.run(replay_crawl(sources, archive, tmp_path / "rec", settings))
    live_articles = _articles(tmp_path / "live.sqlite")
    assert len(live_articles) == 16
    assert _articles(tmp_path / "replay.sqlite") == live_articles
    assert _articles(tmp_path / "again.sqlite") == live_articles
    assert stats.total("fetch/error/NotRecordedError") == 0
    assert stats.blocked  # the challenge page is recorded and replayed as one
    assert [r.source_id for r in recordings] == ["demo-jyt", "demo-news", "demo-city"]
    jyt = recordings[0]
    assert len(jyt.pages) == 10 and all(p.with_suffix(".expected.json").is_file()
                                        for p in jyt.pages)
    urls = {r.url.split("/", 3)[3] for r in load_recording(jyt.warc).responses}
    assert {"robots.txt", "sitemap.xml", "xxgk/tzgg/index.html"} <= urls
    snapshot = json.loads(jyt.pages[0].with_suffix(".expected.json").read_text(encoding="utf-8"))
    assert snapshot["input_source"] == "demo-jyt" and snapshot["text"]
    assert snapshot["located_by"] == "source.demo-jyt.content"


def test_an_unrecorded_url_is_a_failure_naming_it(site: DemoSite, tmp_path: Path) -> None:
    settings, sources = load_config(_sources_file(site, tmp_path))
    jyt = [s for s in sources if s.id == "demo-jyt"]
    asyncio.run(record(jyt, tmp_path / "rec", settings, limit=2))
    missing = jyt[0].start_urls[0].replace("index.html", "moved/index.html")
    moved = [replace(jyt[0], start_urls=(*jyt[0].start_urls, missing))]
    with Archive(tmp_path / "replay.sqlite") as archive:
        stats = asyncio.run(replay_crawl(moved, archive, tmp_path / "rec", settings))
    assert stats.get("fetch/error/NotRecordedError", "demo-jyt") == 1
    error = sqlite3.connect(tmp_path / "replay.sqlite").execute(
        "SELECT last_error FROM urls WHERE url = ?", (missing,)).fetchone()[0]
    assert error.startswith(f"NotRecordedError: not in {tmp_path / 'rec'}")


def test_replay_transport_repeats_the_last_answer_and_honours_etags() -> None:
    import httpx

    from scraper.replay import RecordedResponse

    url = "http://example.gov.cn/a.html"
    transport = ReplayTransport([
        RecordedResponse(url, 500, (), b"busy"),
        RecordedResponse(url, 200, (("etag", '"x"'), ("content-type", "text/html")), b"<p>ok</p>"),
    ])

    async def statuses() -> list[int]:
        async with httpx.AsyncClient(transport=transport) as client:
            got = [(await client.get(url)).status_code for _ in range(3)]
            got.append((await client.get(url, headers={"If-None-Match": '"x"'})).status_code)
            return got

    assert asyncio.run(statuses()) == [500, 200, 200, 304]


def test_record_and_replay_commands(site: DemoSite, tmp_path: Path) -> None:
    sources = _sources_file(site, tmp_path)
    out = tmp_path / "rec"
    result = CliRunner().invoke(cli, ["record", "demo-news", "--sources", str(sources),
                                      "--limit", "3", "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "demo-news: " in result.stdout and "3 article snapshots" in result.stdout
    result = CliRunner().invoke(cli, ["crawl", "--replay", str(out), "--sources", str(sources),
                                      "--source", "demo-news", "--json", "--no-progress"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    counts = json.loads(result.stdout)["sources"]["demo-news"]
    # the replay fetches the articles the recording holds (--limit), not the others
    assert counts["store/article/new"] == 3 and counts["articles/queued"] == 3
    assert "fetch/error/NotRecordedError" not in counts


def test_record_single_pages(site: DemoSite, tmp_path: Path) -> None:
    sources = _sources_file(site, tmp_path)
    page = f"{site.bases['jyt']}/xxgk/tzgg/202410/t20241012_100104.html"
    other = f"{site.bases['news']}/2024-10/10/c_1001.htm"
    result = CliRunner().invoke(cli, ["record", page, other, "--sources", str(sources),
                                      "-o", str(tmp_path / "rec")], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    # a page of a configured source's host is recorded under that source, with its selectors
    snapshot = json.loads((tmp_path / "rec" / "demo-jyt" / "xxgk_tzgg_202410_t20241012_100104"
                           ".expected.json").read_text(encoding="utf-8"))
    assert snapshot["located_by"] == "source.demo-jyt.content"
    urls = [r.url for r in load_recording(tmp_path / "rec" / "demo-jyt.warc.gz").responses]
    assert urls == [f"{site.bases['jyt']}/robots.txt", page]  # no discovery, robots obeyed
    assert "demo-news: 2 responses" in result.stdout  # robots.txt and the page


def test_recording_keeps_the_address_guard(site: DemoSite, tmp_path: Path) -> None:
    path = _sources_file(site, tmp_path)
    path.write_text(path.read_text(encoding="utf-8").replace("allow_private_hosts = true", ""),
                    encoding="utf-8")
    settings, sources = load_config(path)
    [news] = asyncio.run(record([s for s in sources if s.id == "demo-news"], tmp_path / "rec",
                                settings))
    assert news.responses == 0 and news.pages == []
    assert news.stats.get("fetch/error/BlockedAddressError") == 2  # the list page and the feed
