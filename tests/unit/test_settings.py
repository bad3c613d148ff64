import re
from pathlib import Path

import pytest

from scraper import Settings, SourcesError, load_config

ROOT = Path(__file__).resolve().parents[2]


def test_every_setting_is_in_the_readme_table() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Crawl settings", 1)[1].split("\n#", 1)[0]
    table = set(re.findall(r"^\| `(\w+)` \|", section, flags=re.M))
    assert table == set(Settings.names())


def test_negative_values_are_refused() -> None:
    with pytest.raises(ValueError, match="delay_s"):
        Settings(delay_s=-1)


def test_settings_table_in_a_sources_file(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text('[settings]\ndelay_s = 5\nuser_agent = "lab-crawler/1"\n\n'
                    '[[source]]\nid = "a"\nname = "A"\nstart_urls = ["http://a.cn/"]\n',
                    encoding="utf-8")
    settings, sources = load_config(path)
    assert settings.delay_s == 5.0 and settings.user_agent == "lab-crawler/1"
    assert settings.concurrency == Settings().concurrency and sources[0].id == "a"


def test_bad_settings_are_named_with_their_line(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text('[settings]\ndelay = 5\nobey_robots = "yes"\nconcurrency = -2\n\n'
                    '[[source]]\nid = "a"\nname = "A"\nstart_urls = ["http://a.cn/"]\n',
                    encoding="utf-8")
    with pytest.raises(SourcesError) as info:
        load_config(path)
    message = str(info.value)
    assert f"{path}:2: [settings]: unknown setting 'delay'" in message
    assert f"{path}:3: [settings]: obey_robots must be true or false" in message
    assert f"{path}:4: [settings]: concurrency must be >= 0" in message
