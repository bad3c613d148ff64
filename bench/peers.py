"""The extractors compared in ``make bench``, behind one signature.

Each tool takes the same decoded HTML (and the page URL) and returns an
:class:`Extracted`. Peers are imported lazily: a peer that is not installed is
reported as missing, not as a crash.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser

from cleaners import clean_html

__all__ = ["Extracted", "TOOLS", "Tool", "load_tools"]


@dataclass(frozen=True)
class Extracted:
    text: str
    title: str | None = None
    date: str | None = None
    author: str | None = None


Extractor = Callable[[str, str | None], Extracted]


@dataclass(frozen=True)
class Tool:
    """``run`` is what is timed; ``metadata``, when given, is called untimed for the
    title/date/author of a tool whose timed call is text only (trafilatura's default)."""

    run: Extractor
    metadata: Extractor | None = None


def _html_text(fragment: str) -> str:
    tree = LexborHTMLParser(fragment)
    blocks = tree.css("p, h1, h2, h3, h4, li, td, pre, blockquote")
    lines = [b.text(separator=" ", strip=True) for b in blocks] if blocks else [tree.text()]
    return "\n".join(line for line in lines if line)


def _zhengwen() -> Extractor:
    def run(html: str, url: str | None) -> Extracted:
        a = clean_html(html, url)
        return Extracted(a.text, a.title, a.published, a.author)
    return run


def _trafilatura(precision: bool) -> Tool:
    import trafilatura

    def run(html: str, url: str | None) -> Extracted:
        # the default call, as users run it: text only, no metadata
        return Extracted(trafilatura.extract(html, url=url, favor_precision=precision) or "")

    def metadata(html: str, url: str | None) -> Extracted:
        doc = trafilatura.bare_extraction(html, url=url, with_metadata=True,
                                          favor_precision=precision)
        return Extracted("", doc.title, doc.date, doc.author) if doc else Extracted("")
    return Tool(run, metadata)


def _readability() -> Extractor:
    from readability import Document

    def run(html: str, url: str | None) -> Extracted:
        doc = Document(html, url=url)
        return Extracted(_html_text(doc.summary(html_partial=True)), doc.short_title())
    return run


def _gne() -> Extractor:
    from gne import GeneralNewsExtractor

    extractor = GeneralNewsExtractor()

    def run(html: str, url: str | None) -> Extracted:
        out = extractor.extract(html)
        return Extracted(out.get("content") or "", out.get("title"), out.get("publish_time"),
                         out.get("author"))
    return run


def _justext() -> Extractor:
    import justext

    def run(html: str, url: str | None) -> Extracted:
        # jusText has no Chinese stoplist: stopword thresholds at 0 leave length and
        # link density to decide.
        paragraphs = justext.justext(html.encode("utf-8"), frozenset(), stopwords_low=0,
                                     stopwords_high=0, encoding="utf-8")
        return Extracted("\n".join(p.text for p in paragraphs if not p.is_boilerplate))
    return run


def _resiliparse() -> Extractor:
    from resiliparse.extract.html2text import extract_plain_text

    def run(html: str, url: str | None) -> Extracted:
        return Extracted(extract_plain_text(html, main_content=True))
    return run


def _newspaper() -> Extractor:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import newspaper

    def run(html: str, url: str | None) -> Extracted:
        # fetch_images=False: it would download images to pick a top image
        article = newspaper.Article(url or "http://example.com/", language="zh",
                                    fetch_images=False)
        article.download(input_html=html)
        article.parse()
        date = article.publish_date.isoformat() if article.publish_date else None
        return Extracted(article.text or "", article.title, date,
                         ", ".join(article.authors) or None)
    return run


TOOLS: dict[str, Callable[[], Extractor | Tool]] = {
    "zhengwen": _zhengwen,
    "trafilatura": lambda: _trafilatura(False),
    "trafilatura (precision)": lambda: _trafilatura(True),
    "readability-lxml": _readability,
    "gne": _gne,
    "justext": _justext,
    "resiliparse": _resiliparse,
    "newspaper4k": _newspaper,
}


def load_tools(names: list[str] | None = None) -> tuple[dict[str, Tool], dict[str, str]]:
    """The extractors that import, and why the others did not."""
    loaded: dict[str, Tool] = {}
    missing: dict[str, str] = {}
    for name, make in TOOLS.items():
        if names and name not in names:
            continue
        try:
            made = make()
            loaded[name] = made if isinstance(made, Tool) else Tool(made)
        except ImportError as exc:
            missing[name] = f"not installed ({exc.name})"
    return loaded, missing
