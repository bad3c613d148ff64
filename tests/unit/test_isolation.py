"""The isolated cleaner: results as in-process, typed errors, a hang stopped and replaced."""

from __future__ import annotations

import asyncio
import pickle

import pytest

from cleaners import clean_html, load_rules
from cleaners.errors import CleanTimeoutError, DecodeError, InputError, RulesError
from cleaners.isolation import Document, IsolatedCleaner
from tests.conftest import FIXTURES

PAGE = (FIXTURES / "pages" / "trs_gov_article.html").read_bytes()


@pytest.fixture(scope="module")
def cleaner():
    with IsolatedCleaner(workers=1, time_limit_s=20) as pool:
        yield pool


def test_errors_pickle_with_their_attributes() -> None:
    for error in (DecodeError("a.html", ["utf-8", "gb18030"], "junk"),
                  RulesError("r.toml", "bad", line=3, rule="x.y"), InputError("b", "gone"),
                  CleanTimeoutError("c.html", 2.5)):
        copy = pickle.loads(pickle.dumps(error))
        assert type(copy) is type(error)
        assert str(copy) == str(error) and copy.__dict__ == error.__dict__


def test_worker_gives_the_same_article_as_in_process(cleaner: IsolatedCleaner) -> None:
    document = Document(PAGE, url="http://jyt.example.gov.cn/a.html", name="trs")
    assert cleaner.clean(document) == clean_html(PAGE, "http://jyt.example.gov.cn/a.html")


def test_map_keeps_order_and_reports_bad_input(cleaner: IsolatedCleaner) -> None:
    documents = [Document(PAGE, name="one"), Document("正文第一段。\n第二段。", "text", name="two"),
                 Document(PAGE, name="three")]
    results = list(cleaner.map(documents))
    assert [d.name for d, _ in results] == ["one", "two", "three"]
    assert all(not isinstance(r, Exception) for _, r in results)


def test_async_clean_does_not_block_the_loop(cleaner: IsolatedCleaner) -> None:
    async def main() -> tuple[int, str]:
        ticks = 0

        async def tick() -> None:
            nonlocal ticks
            while True:
                ticks += 1
                await asyncio.sleep(0)

        ticker = asyncio.create_task(tick())
        article = await cleaner.clean_async(Document(PAGE, name="p"))
        ticker.cancel()
        return ticks, article.title or ""

    ticks, title = asyncio.run(main())
    assert title and ticks > 1


def test_a_hanging_document_times_out_and_the_pool_goes_on(tmp_path) -> None:
    rules_file = tmp_path / "slow.toml"
    rules_file.write_text(
        '[[rule]]\nname = "user.slow"\nkind = "drop"\nwhy = "pathological"\n'
        'patterns = ["^(a|aa)+$"]\nmax_chars = 5000\nexamples = ["aaaa"]\n', encoding="utf-8")
    rules = load_rules(rules_file)
    hostile = "<html><body><p>" + "a" * 60 + "b</p></body></html>"
    with IsolatedCleaner(workers=1, time_limit_s=1, rules=rules) as pool:
        with pytest.raises(CleanTimeoutError, match="hostile.html"):
            pool.clean(Document(hostile, name="hostile.html"))
        assert pool.clean(Document(PAGE, name="after")).text
