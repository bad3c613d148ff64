"""Scores: character 4-gram precision/recall/F1 and with/without snippet checks."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

__all__ = ["Score", "ngram_score", "normalise", "snippet_score"]

_WS = re.compile(r"\s+")
N = 4


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float
    f1: float


def normalise(text: str | None) -> str:
    """NFKC with every whitespace character removed."""
    return _WS.sub("", unicodedata.normalize("NFKC", text or ""))


def _grams(text: str) -> Counter[str]:
    text = normalise(text)
    return Counter(text[i:i + N] for i in range(max(len(text) - N + 1, 0)))


def ngram_score(predicted: str | None, gold: str) -> Score:
    """4-gram overlap of the two texts (multiset), as precision, recall and F1."""
    pred, ref = _grams(predicted or ""), _grams(gold)
    if not pred or not ref:
        return Score(0.0, 0.0, 0.0)
    overlap = sum((pred & ref).values())
    precision, recall = overlap / sum(pred.values()), overlap / sum(ref.values())
    f1 = 2 * precision * recall / (precision + recall) if overlap else 0.0
    return Score(precision, recall, f1)


def snippet_score(predicted: str | None, with_: tuple[str, ...],
                  without: tuple[str, ...]) -> Score:
    """trafilatura's evaluation: share of 'with' snippets found and 'without' absent."""
    text = normalise(predicted)
    found = sum(normalise(s) in text for s in with_)
    leaked = sum(normalise(s) in text for s in without)
    recall = found / len(with_) if with_ else 1.0
    precision = (len(without) - leaked) / len(without) if without else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Score(precision, recall, f1)
