"""Re-run the cleaners over the raw responses in the archive, so better rules
improve what was crawled before, and responses kept raw (``clean_pages = false``)
become articles. Each host's stored site template applies, so pages crawled before
the template had seen enough of the site are cleaned with all it knows now. Only
the versions whose output changes are written."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Mapping
from urllib.parse import urlsplit

from cleaners import Article, CleanerError, RuleSet, SiteTemplate, clean_html, default_rules

from .sources import Source, source_rules
from .store import Archive, StoredResponse

__all__ = ["reclean"]

log = logging.getLogger("scraper.reclean")
_BATCH = 200


class _Cleaner:
    """clean_html with each source's rules, built once per source, and each host's
    stored site template (as the crawl learned it by its last page)."""

    def __init__(self, sources: Mapping[str, Source], base: RuleSet, archive: Archive) -> None:
        self._sources, self._base, self._archive = sources, base, archive
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
        try:
            return clean_html(response.body, response.final_url, headers=response.headers,
                              rules=self._rules[sid], template=self._template(response.final_url))
        except CleanerError as exc:
            log.warning("%s", exc)
            return None


def reclean(archive: Archive, sources: Mapping[str, Source], *, rules: RuleSet | None = None,
            source_id: str | None = None) -> Counter[str]:
    """Clean every stored version again, and every response kept raw.

    Returns counts ``checked``, ``updated`` (versions rewritten), ``cleaned`` (raw
    responses that became articles) and ``failed``. A source no longer in ``sources``
    is cleaned with ``rules`` alone.
    """
    clean = _Cleaner(sources, rules or default_rules(), archive)
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
