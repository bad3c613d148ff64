"""Reprints: the same article under several sources, linked as it is stored.

Each article's cleaned text gets a MinHash over character shingles (Chinese has no
spaces, so characters, not words). LSH splits the signature into bands; an article
sharing one band with another is a candidate, confirmed by the estimated Jaccard
similarity. Band keys live in an indexed table, so linking a new article is one
query, whatever the archive's size, and the state survives restarts.

A cluster's original is the member another member names as its ``original_url``,
else the one published first.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

import numpy as np
from datasketch import MinHash

from .database import Database

if TYPE_CHECKING:  # the store links each article it writes, so no import at run time
    from .store import StoredArticle

__all__ = ["BANDS", "ROWS", "THRESHOLD", "Cluster", "clusters", "dedupe", "link_article",
           "link_missing", "signature", "similarity"]

SHINGLE_CHARS = 5  # five characters: rarer than a word pair, common enough to survive edits
BANDS, ROWS = 32, 4  # 128 permutations; a pair at Jaccard 0.5 becomes a candidate 87 % of the time
THRESHOLD = 0.5  # estimated Jaccard at which a candidate counts as the same article
_MAX_CANDIDATES = 200
_NOT_TEXT = re.compile(r"[\W_]+")
_SEED = 1


@cache
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """datasketch draws its permutations from ``seed`` on every MinHash; draw them once."""
    return MinHash(num_perm=BANDS * ROWS, seed=_SEED).permutations


def _minhash(hashvalues: np.ndarray | None = None) -> MinHash:
    # crc32: stable across runs (unlike hash()) and, in C, far cheaper than the default SHA-1.
    return MinHash(num_perm=BANDS * ROWS, seed=_SEED, hashfunc=zlib.crc32,
                   hashvalues=hashvalues, permutations=_permutations())


def signature(text: str) -> MinHash | None:
    """The MinHash of ``text``'s character shingles; ``None`` for an empty text."""
    chars = _NOT_TEXT.sub("", text).lower()
    if not chars:
        return None
    shingles = {chars[i:i + SHINGLE_CHARS].encode()
                for i in range(max(1, len(chars) - SHINGLE_CHARS + 1))}
    minhash = _minhash()
    minhash.update_batch(shingles)
    return minhash


def similarity(a: MinHash, b: MinHash) -> float:
    return float(a.jaccard(b))


def _band_keys(minhash: MinHash) -> list[int]:
    values = minhash.hashvalues.astype("<u4")
    keys = []
    for band in range(BANDS):
        digest = hashlib.blake2b(values[band * ROWS:(band + 1) * ROWS].tobytes(),
                                 digest_size=8, person=band.to_bytes(2, "little")).digest()
        keys.append(int.from_bytes(digest, "little", signed=True))
    return keys


def _load(blob: bytes) -> MinHash:
    return _minhash(np.frombuffer(blob, dtype="<u4").astype(np.uint64))


def link_article(conn: Database, article_id: int, text: str) -> int | None:
    """Give a stored article version its cluster; returns the cluster id (``None``
    for an empty text, which is no one's reprint)."""
    minhash = signature(text)
    if minhash is None:
        return None
    keys = _band_keys(minhash)
    marks = ", ".join("?" * len(keys))
    rows = conn.execute(
        f"SELECT r.article_id, r.cluster_id, r.signature FROM reprints r WHERE r.article_id IN "
        f"(SELECT DISTINCT article_id FROM reprint_bands WHERE band_key IN ({marks}) LIMIT ?)",
        (*keys, _MAX_CANDIDATES)).fetchall()
    best: tuple[float, int, int] | None = None
    for other_id, cluster_id, blob in rows:
        score = similarity(minhash, _load(blob))
        if score >= THRESHOLD and (best is None or score > best[0]):
            best = (score, other_id, cluster_id)
    cluster = best[2] if best else article_id
    if conn.execute("DELETE FROM reprints WHERE article_id = ?", (article_id,)).rowcount:
        conn.execute("DELETE FROM reprint_bands WHERE article_id = ?", (article_id,))  # relinked
    conn.execute("INSERT INTO reprints VALUES (?, ?, ?, ?, ?)",
                 (article_id, cluster, best[1] if best else None, best[0] if best else None,
                  minhash.hashvalues.astype("<u4").tobytes()))  # values are below 2**32
    conn.executemany("INSERT INTO reprint_bands VALUES (?, ?)", [(k, article_id) for k in keys])
    return cluster


def link_missing(conn: Database) -> int:
    """Link the versions stored before reprints were tracked; returns how many."""
    rows = conn.execute("SELECT id, text FROM articles WHERE id NOT IN "
                        "(SELECT article_id FROM reprints) ORDER BY id").fetchall()
    with conn.transaction():
        for article_id, text in rows:
            link_article(conn, article_id, text)
    return len(rows)


@dataclass(frozen=True)
class Cluster:
    """Articles (each URL's newest version) that are one text; ``original`` first."""

    id: int
    original: StoredArticle
    reprints: tuple[StoredArticle, ...]


def _original(members: list[StoredArticle]) -> StoredArticle:
    urls = {m.url: m for m in members} | {m.final_url: m for m in members if m.final_url}
    for member in members:
        named = member.article.original_url
        if named and named in urls and urls[named] is not member:
            return urls[named]
    return min(members, key=lambda m: (m.article.published is None, m.article.published or "",
                                       m.fetched_at, m.id))


def clusters(conn: Database, latest: Iterable[StoredArticle], *,
             min_size: int = 2) -> list[Cluster]:
    """The clusters among ``latest`` with at least ``min_size`` members, largest first."""
    ids = dict(conn.execute("SELECT article_id, cluster_id FROM reprints"))
    groups: dict[int, list[StoredArticle]] = {}
    for stored in latest:
        groups.setdefault(ids.get(stored.id, -stored.id), []).append(stored)
    found = []
    for cluster_id, members in groups.items():
        if len(members) >= min_size:
            original = _original(members)
            found.append(Cluster(cluster_id, original,
                                 tuple(m for m in members if m is not original)))
    return sorted(found, key=lambda c: (-len(c.reprints), c.id))


def dedupe(conn: Database, latest: Iterable[StoredArticle]) -> Iterator[StoredArticle]:
    """``latest`` with each cluster's reprints left out (its original kept)."""
    members = list(latest)
    dropped = {r.id for c in clusters(conn, members) for r in c.reprints}
    return (m for m in members if m.id not in dropped)
