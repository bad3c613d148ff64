"""Re-run the cleaners over the raw responses in the archive, so better rules
improve what was crawled before, and responses kept raw (``clean_pages = false``)
become articles. Each host's stored site template applies, so pages crawled before
the template had seen enough of the site are cleaned with all it knows now. Only
the versions whose output changes are written.

Each page is cleaned in a worker under a time limit: a page that fails or runs over
it is logged with its reason and counted, and its batch is still written."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Mapping
from urllib.parse import urlsplit

from cleaners import Article, CleanerError, RuleSet, SiteTemplate, default_rules
from cleaners.isolation import DEFAULT_TIME_LIMIT_S, Document, IsolatedCleaner

from .sources import Source, source_rules
from .store import Archive, StoredResponse

__all__ = ["reclean"]

log = logging.getLogger("scraper.reclean")
_BATCH = 200


class _Cleaner:
    """The isolated cleaner with each source's rules, built once per source, and each
    host's stored site template (as the crawl learned it by its last page)."""

    def __init__(self, sources: Mapping[str, Source], base: RuleSet, pool: IsolatedCleaner,
                 archive: Archive) -> None:
        self._sources, self._base, self._pool, self._archive = sources, base, pool, archive
        self._rules: dict[str, RuleSet] = {}
        self._templates: dict[str, SiteTemplate | None] = {}

    def _template(self, url: str) -> SiteTemplate | None:
        host = urlsplit(url).hostname or ""
        if host not in self._templates:
            self._templates[host] = self._archive.template(host)
        return self._templates[host]

    def __call__(self, response: StoredResponse) -> Article | None:
        sid = response.source_id
        if sid not in self._rules:
            source = self._sources.get(sid)
            self._rules[sid] = source_rules(source, self._base) if source else self._base
        document = Document(response.body, url=response.final_url,
                            headers=dict(response.headers), name=response.url,
                            template=self._template(response.final_url))
        try:
            return self._pool.clean(document, rules=self._rules[sid])
        except CleanerError as exc:
            log.warning("reclean failed: %s", exc)
            return None


def reclean(archive: Archive, sources: Mapping[str, Source], *, rules: RuleSet | None = None,
            source_id: str | None = None,
            time_limit_s: float = DEFAULT_TIME_LIMIT_S) -> Counter[str]:
    """Clean every stored version again, and every response kept raw.

    Returns counts ``checked``, ``updated`` (versions rewritten), ``cleaned`` (raw
    responses that became articles) and ``failed`` (pages that could not be cleaned
    within ``time_limit_s`` seconds or at all; each is logged with its reason). A
    source no longer in ``sources`` is cleaned with ``rules`` alone.
    """
    with IsolatedCleaner(time_limit_s=time_limit_s, rules=rules) as pool:
        return _reclean(archive, _Cleaner(sources, rules or default_rules(), pool, archive), source_id)


def _reclean(archive: Archive, clean: _Cleaner, source_id: str | None) -> Counter[str]:
    counts: Counter[str] = Counter({"checked": 0, "updated": 0, "cleaned": 0, "failed": 0})
    ids = archive.article_ids(source_id=source_id)
    for start in range(0, len(ids), _BATCH):
        with archive.transaction():
            for article_id in ids[start:start + _BATCH]:
                counts["checked"] += 1
                article = clean(archive.response_of(article_id))
                if article is None:
                    counts["failed"] += 1
                elif archive.article(article_id) != article:
                    archive.replace_article(article_id, article)
                    counts["updated"] += 1
    raw = archive.uncleaned_responses(source_id=source_id)
    for start in range(0, len(raw), _BATCH):
        with archive.transaction():
            for response_id in raw[start:start + _BATCH]:
                response = archive.response(response_id)
                article = clean(response)
                if article is None:
                    counts["failed"] += 1
                    continue
                archive.put_article(article, url=response.url, source_id=response.source_id,
                                    result=response, response_id=response_id)
                counts["cleaned"] += 1
    return counts
