"""Near-duplicate removal with datatrove's MinHash stages, on character shingles.

datatrove shingles words from a language's word tokenizer; Chinese has no spaces and
its tokenizers (jieba) are heavy and vary between versions. Reprints of one notice
differ in a few characters, so shingles of characters serve better: each CJK
character is a token, each run of other letters or digits is one token, and the
stage's n-grams of them are the shingles.
"""

from __future__ import annotations

import re

from datatrove.pipeline.base import PipelineStep
from datatrove.pipeline.dedup.minhash import (
    MinhashConfig,
    MinhashDedupBuckets,
    MinhashDedupCluster,
    MinhashDedupFilter,
    MinhashDedupSignature,
)
from datatrove.utils.hashing import HashConfig
from datatrove.utils.word_tokenizers import WordTokenizer

__all__ = ["CharShingleTokenizer", "DEFAULT_MINHASH", "minhash_stages"]

_TOKENS = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]|[^\W_]+")
_SENTENCE_END = re.compile(r"(?<=[。！？!?.])\s*")

#: 5-character shingles, 14 bands of 8 hashes: pairs above about 0.8 Jaccard similarity
#: are found; sha1 keeps the stages free of the optional xxhash dependency.
DEFAULT_MINHASH = MinhashConfig(n_grams=5, num_buckets=14, hashes_per_bucket=8,
                                hash_config=HashConfig(precision=64, hash_fc="sha1"))


class CharShingleTokenizer(WordTokenizer):
    """Tokens for shingling: one per CJK character, one per run of other letters."""

    def __init__(self) -> None:
        super().__init__("zh-chars")

    def word_tokenize(self, text: str) -> list[str]:
        return _TOKENS.findall(text)

    def sent_tokenize(self, text: str) -> list[str]:
        return [s for s in _SENTENCE_END.split(text) if s]

    def span_tokenize(self, text: str) -> list[tuple[int, int]]:
        return [m.span() for m in _TOKENS.finditer(text)]


def minhash_stages(work_dir: str, *, config: MinhashConfig = DEFAULT_MINHASH
                   ) -> tuple[PipelineStep, PipelineStep, PipelineStep, PipelineStep]:
    """The four MinHash steps over ``work_dir``: signatures, buckets, clusters and
    the filter (which keeps one document per cluster)."""
    return (
        MinhashDedupSignature(f"{work_dir}/signatures", config=config,
                              language=CharShingleTokenizer()),
        MinhashDedupBuckets(f"{work_dir}/signatures", f"{work_dir}/buckets", config=config),
        MinhashDedupCluster(f"{work_dir}/buckets", f"{work_dir}/remove_ids", config=config),
        MinhashDedupFilter(f"{work_dir}/remove_ids"),
    )
