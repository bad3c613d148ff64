"""Site templates during a crawl: one per host, loaded from the archive, refreshed
by every page that arrives, and stored back.

A host's template is applied to its pages from the second page on; it is saved
every ``save_every`` pages and at the end of a pass, so an interrupted crawl loses
at most a few pages' counts (templates are derived data, re-learned as pages come).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from cleaners import SiteTemplate

from .store import Archive

__all__ = ["HostTemplates"]


class HostTemplates:
    """The templates of the hosts one crawl pass meets."""

    def __init__(self, archive: Archive, *, save_every: int = 25) -> None:
        self.archive, self.save_every = archive, save_every
        self._templates: dict[str, SiteTemplate] = {}
        self._unsaved: dict[str, int] = {}

    def learn(self, url: str, body: bytes) -> SiteTemplate:
        """Count ``body`` in its host's template and return the template."""
        host = urlsplit(url).hostname or ""
        template = self._templates.get(host)
        if template is None:
            template = self.archive.template(host) or SiteTemplate(host)
            self._templates[host] = template
        template.add(body)
        self._unsaved[host] = self._unsaved.get(host, 0) + 1
        if self._unsaved[host] >= self.save_every:
            self._save(host)
        return template

    def _save(self, host: str) -> None:
        self.archive.put_template(self._templates[host])
        self._unsaved[host] = 0

    def save(self) -> None:
        """Store every template with counts not yet stored."""
        for host, unsaved in self._unsaved.items():
            if unsaved:
                self._save(host)
