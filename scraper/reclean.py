"""Re-run the cleaners over the raw responses in the archive, so better rules
improve what was crawled before. Only the versions whose output changes are written."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Mapping

from cleaners import CleanerError, RuleSet, clean_html, default_rules

from .crawl import source_rules
from .sources import Source
from .store import Archive

__all__ = ["reclean"]

log = logging.getLogger("scraper.reclean")
_BATCH = 200


def reclean(archive: Archive, sources: Mapping[str, Source], *, rules: RuleSet | None = None,
            source_id: str | None = None) -> Counter[str]:
    """Clean every stored version again; return counts ``checked``, ``updated``, ``failed``.

    A source no longer in ``sources`` is cleaned with ``rules`` alone.
    """
    base = rules or default_rules()
    rule_sets: dict[str, RuleSet] = {}
    counts: Counter[str] = Counter()
    ids = archive.article_ids(source_id=source_id)
    for start in range(0, len(ids), _BATCH):
        with archive.transaction():
            for article_id in ids[start:start + _BATCH]:
                response = archive.response_of(article_id)
                sid = response.source_id
                if sid not in rule_sets:
                    rule_sets[sid] = source_rules(sources[sid], base) if sid in sources else base
                counts["checked"] += 1
                try:
                    article = clean_html(response.body, response.final_url,
                                         headers=response.headers, rules=rule_sets[sid])
                except CleanerError as exc:
                    log.warning("%s", exc)
                    counts["failed"] += 1
                    continue
                if archive.article(article_id) != article:
                    archive.replace_article(article_id, article)
                    counts["updated"] += 1
    return counts
