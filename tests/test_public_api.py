import subprocess
import sys
from pathlib import Path

import cleaners

ROOT = Path(__file__).resolve().parent.parent


def test_cleaners_public_names() -> None:
    assert sorted(cleaners.__all__) == sorted([
        "Article", "CleanerError", "DecodeError", "ExtractionError", "InputError", "Removal",
        "Rule", "RuleSet", "RulesError", "SiteTemplate", "clean_html", "clean_text",
        "decode_bytes", "default_rules", "load_rules"])


def test_scraper_public_names() -> None:
    import scraper

    assert sorted(scraper.__all__) == sorted([
        "Archive", "ArchiveError", "ArchiveLockedError", "BodyTooLargeError", "ChallengeError",
        "FetchError", "FetchResult", "Fetcher", "HTTPStatusError", "NotRecordedError",
        "OutOfScopeError", "RecordingError", "RedirectError", "ReplayTransport",
        "RobotsDisallowedError", "RobotsUnavailableError", "ScraperError", "Settings", "Source",
        "SourceRecording", "SourcesError", "Stats", "TransportError", "crawl", "load_config",
        "load_sources", "reclean", "record", "replay_crawl", "source_rules"])
    for name in scraper.__all__:
        obj = getattr(scraper, name)
        if isinstance(obj, type) and issubclass(obj, Exception):
            assert issubclass(obj, scraper.ScraperError), name


def test_cleaners_never_imports_scraper() -> None:
    offenders = [p.name for p in (ROOT / "cleaners").rglob("*.py")
                 if "import scraper" in p.read_text() or "from scraper" in p.read_text()]
    assert offenders == []
    code = "import sys, cleaners, cleaners.cli; sys.exit('scraper' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0


def test_errors_form_one_tree() -> None:
    for name in ("DecodeError", "ExtractionError", "InputError", "RulesError"):
        assert issubclass(getattr(cleaners, name), cleaners.CleanerError)


def test_article_to_dict_is_json_ready() -> None:
    article = cleaners.clean_text("标题在这里\n时间:2024-01-02 08:00 来源:某局\n"
                                  "这是正文的第一段，内容足够长，可以被识别为文章的正文段落。")
    data = article.to_dict()
    assert data["published"] == "2024-01-02T08:00:00+08:00"
    assert data["removed"][0] == {"rule": "meta.dateline", "text": "时间:2024-01-02 08:00 来源:某局"}
