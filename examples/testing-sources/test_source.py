"""The whole source, offline: discovery, pagination, robots.txt, retries and cleaning
run against the recording in pages/, and give the articles the snapshots hold."""

import asyncio
import json
from pathlib import Path

from scraper import Archive, load_config, replay_crawl

HERE = Path(__file__).parent


def test_the_source_replays_to_its_snapshots(tmp_path: Path) -> None:
    settings, sources = load_config(HERE / "sources.toml")
    with Archive(tmp_path / "replay.sqlite") as archive:
        stats = asyncio.run(replay_crawl(sources, archive, HERE / "pages", settings))
        articles = {stored.url: stored.article for stored in archive.articles()}
    assert stats.total("fetch/error") == 0  # an unrecorded URL would be a NotRecordedError
    snapshots = [json.loads(p.read_text(encoding="utf-8"))
                 for p in (HERE / "pages").rglob("*.expected.json")]
    assert sorted(articles) == sorted(s["input_url"] for s in snapshots)
    for snapshot in snapshots:
        article = articles[snapshot["input_url"]]
        assert (article.title, article.text, article.published) == (
            snapshot["title"], snapshot["text"], snapshot["published"])
