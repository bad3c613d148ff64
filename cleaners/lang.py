"""Language tag of an article: zh-Hans, zh-Hant, or the page's own tag."""

from __future__ import annotations

import re

from .script import convert

__all__ = ["detect_language"]

_HAN = re.compile(r"[\u4e00-\u9fff]")
_LETTER = re.compile(r"[^\W\d_]")
_SAMPLE_CHARS = 600  # enough to tell the script; zhconv is slow per character
_MIN_HAN_SHARE = 0.3


def _changed(text: str, locale: str) -> int:
    converted = convert(text, locale)
    return sum(a != b for a, b in zip(text, converted, strict=False))


def detect_language(text: str, declared: str | None = None) -> str | None:
    """``zh-Hans``/``zh-Hant`` for Chinese text (script decided by conversion: the
    script that conversion changes least is the one the text is in); otherwise the
    page's declared tag, or ``None``."""
    sample = text[:_SAMPLE_CHARS]
    letters = len(_LETTER.findall(sample))
    han = len(_HAN.findall(sample))
    if letters and han / letters >= _MIN_HAN_SHARE:
        to_simplified = _changed(sample, "zh-hans")
        to_traditional = _changed(sample, "zh-hant")
        return "zh-Hant" if to_simplified > to_traditional else "zh-Hans"
    if declared:
        return declared.strip().replace("_", "-") or None
    return None
