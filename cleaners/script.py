"""Simplified/Traditional conversion through zhconv.

zhconv's default loader leaves its dictionary file open (a ResourceWarning under
pytest's ``-W error``); loading it by explicit path closes the file.
"""

from __future__ import annotations

from pathlib import Path

import zhconv
from zhconv import zhconv as _impl

__all__ = ["SIMPLIFIED_ONLY", "TRADITIONAL_ONLY", "convert"]

if not _impl.zhcdicts:
    _impl.loaddict(str(Path(_impl.__file__).with_name(_impl._DEFAULT_DICT)))

#: Characters written only in Simplified / only in Traditional Chinese (zhconv's tables).
SIMPLIFIED_ONLY: frozenset[str] = _impl.zhcdicts["SIMPONLY"]
TRADITIONAL_ONLY: frozenset[str] = _impl.zhcdicts["TRADONLY"]


def convert(text: str, locale: str) -> str:
    """``text`` in ``locale`` (``zh-hans``, ``zh-hant``, ``zh-tw``, ``zh-hk``)."""
    return zhconv.convert(text, locale)
