"""Language of an article: ``zh`` with its script (``Hans``/``Hant``) in a field of its
own, the tag corpus tools such as datatrove key on; else the page's own tag."""

from __future__ import annotations

from collections import Counter
from functools import lru_cache

from .script import SIMPLIFIED_ONLY, TRADITIONAL_ONLY

__all__ = ["detect_language", "language_fields"]

_SAMPLE_CHARS = 2000
_MIN_HAN_SHARE = 0.3


def detect_language(text: str, declared: str | None = None) -> str | None:
    """The BCP 47 tag: ``zh-Hans``/``zh-Hant`` for Chinese text (the script whose own
    characters, those the other script writes differently, are more frequent);
    otherwise the page's declared tag, or ``None``."""
    return _sample_language(text[:_SAMPLE_CHARS], declared)


@lru_cache(maxsize=16)
def _sample_language(sample: str, declared: str | None) -> str | None:
    """Kept for a few samples: a page's fields and its Article ask of the same text."""
    # Counted per distinct character: a sample holds a few hundred of them. A letter
    # is what the regex class [^\W\d_] matches (alphanumeric, not a decimal digit).
    counts = Counter(sample)
    letters = han = 0
    for char, count in counts.items():
        if char.isalnum() and not char.isdecimal():
            letters += count
        if "\u4e00" <= char <= "\u9fff":
            han += count
    if letters and han / letters >= _MIN_HAN_SHARE:
        traditional = sum(counts[char] for char in TRADITIONAL_ONLY.intersection(counts))
        simplified = sum(counts[char] for char in SIMPLIFIED_ONLY.intersection(counts))
        return "zh-Hant" if traditional > simplified else "zh-Hans"
    if declared:
        return declared.strip().replace("_", "-") or None
    return None


def language_fields(text: str, declared: str | None = None) -> dict[str, str | None]:
    """The Article's ``language`` and ``script``: ``zh`` + ``Hans``/``Hant`` for Chinese,
    else the page's tag with no script."""
    tag = detect_language(text, declared)
    if tag in ("zh-Hans", "zh-Hant"):
        return {"language": "zh", "script": tag[3:]}
    return {"language": tag, "script": None}
