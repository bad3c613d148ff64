"""Full-text search over the archive's newest versions.

The index is the ``articles_fts`` table (FTS5, trigram tokenizer; see migrations):
trigrams need no Chinese word segmentation, so any substring of three characters
or more is found through the index. Shorter terms (most Chinese words are two
characters) cannot be trigram-indexed, so they fall back to LIKE over the texts.
"""

from __future__ import annotations

from dataclasses import dataclass

from .database import Database
from .store import source_filters

__all__ = ["MARK_END", "MARK_START", "Hit", "search"]

_MIN_INDEXED_CHARS = 3  # the trigram tokenizer indexes three-character runs
_SNIPPET_CHARS = 24
MARK_START, MARK_END = "\x02", "\x03"  # snippet markers no page text contains


@dataclass(frozen=True)
class Hit:
    """One matching article version; ``snippet`` marks matches with MARK_START/MARK_END."""

    article_id: int
    url: str
    source_id: str
    version: int
    title: str | None
    snippet: str


def _like_snippet(text: str, terms: list[str]) -> str:
    lower = text.lower()
    at = min((i for i in (lower.find(t.lower()) for t in terms) if i >= 0), default=0)
    start = max(0, at - _SNIPPET_CHARS)
    piece = text[start:at + _SNIPPET_CHARS * 2]
    for term in terms:
        piece = _mark(piece, term)
    return ("…" if start else "") + piece.replace("\n", " ") + "…"


def _mark(piece: str, term: str) -> str:
    out, lower, low_term, i = [], piece.lower(), term.lower(), 0
    while (j := lower.find(low_term, i)) >= 0:
        out += [piece[i:j], MARK_START, piece[j:j + len(term)], MARK_END]
        i = j + len(term)
    return "".join(out) + piece[i:]


def search(conn: Database, query: str, *, source_id: str | None = None,
           since: float | None = None, limit: int = 20) -> list[Hit]:
    """The newest versions matching every whitespace-separated term of ``query``."""
    terms = query.split()
    if not terms:
        return []
    where, args = source_filters("a", source_id, since)
    where.append("a.version = (SELECT max(b.version) FROM articles b WHERE b.url = a.url)")
    if not conn.is_postgres and all(len(t) >= _MIN_INDEXED_CHARS for t in terms):
        phrase = " AND ".join('"' + t.replace('"', '""') + '"' for t in terms)
        rows = conn.execute(
            "SELECT a.id, a.url, a.source_id, a.version, a.title, "
            f"snippet(articles_fts, 1, '{MARK_START}', '{MARK_END}', '…', 16) "
            "FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid "
            f"WHERE articles_fts MATCH ? AND {' AND '.join(where)} ORDER BY rank LIMIT ?",
            (phrase, *args, limit)).fetchall()
        return [Hit(*row) for row in rows]
    like = "ILIKE" if conn.is_postgres else "LIKE"  # pg_trgm indexes ILIKE
    for term in terms:
        where.append(f"(a.title {like} ? ESCAPE '\\' OR a.text {like} ? ESCAPE '\\')")
        pattern = "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        args += [pattern, pattern]
    rows = conn.execute(
        "SELECT a.id, a.url, a.source_id, a.version, a.title, a.text FROM articles a "
        f"WHERE {' AND '.join(where)} ORDER BY a.fetched_at DESC, a.id DESC LIMIT ?",
        (*args, limit)).fetchall()
    return [Hit(aid, url, sid, version, title, _like_snippet(text, terms))
            for aid, url, sid, version, title, text in rows]
