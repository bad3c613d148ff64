"""Bytes to text: BOM, HTTP charset, ``<meta charset>``, then detection.

Chinese pages often declare a charset they are not written in (a UTF-8 page saved
with ``charset=gb2312`` in its head, or the reverse), so a declaration is only
trusted when the bytes decode cleanly with it. gb2312 and gbk are widened to
gb18030, their superset, because real "gb2312" pages use characters outside it.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Mapping

from charset_normalizer import from_bytes

from .errors import DecodeError

__all__ = ["decode_bytes", "decode_dump", "declared_charsets"]

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_WIDEN = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030",
          "euc-cn": "gb18030", "big5": "big5hkscs", "ascii": "utf-8", "us-ascii": "utf-8",
          "iso8859-1": "cp1252", "latin-1": "cp1252"}
_META_CHARSET = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.IGNORECASE)
_MAX_BAD_SHARE = 0.02  # replacement characters tolerated in a last-resort decode


def _normalise(name: str) -> str | None:
    try:
        canonical = codecs.lookup(name.strip().lower()).name
    except LookupError:
        return None
    return _WIDEN.get(canonical, _WIDEN.get(name.strip().lower(), canonical))


def declared_charsets(data: bytes, headers: Mapping[str, str] | None = None) -> list[str]:
    """Charsets the transport and the page declare, HTTP header first, normalised."""
    found: list[str] = []
    if headers:
        ctype = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
        m = _HEADER_CHARSET.search(ctype or "")
        if m:
            found.append(m.group(1))
    meta = _META_CHARSET.search(data[:4096]) or _META_CHARSET.search(data[:65536])
    if meta:
        found.append(meta.group(1).decode("ascii", "ignore"))
    out: list[str] = []
    for name in found:
        norm = _normalise(name)
        if norm and norm not in out:
            out.append(norm)
    return out


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def decode_bytes(data: bytes, headers: Mapping[str, str] | None = None, *,
                 source: str = "<bytes>") -> tuple[str, str]:
    """Decode page bytes; return ``(text, encoding)``.

    Raises :class:`DecodeError` (naming ``source``) for binary data or bytes that
    every candidate encoding mangles.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace").lstrip("\ufeff"), encoding
    if b"\x00" in data[:2048] and data[:2048].count(b"\x00") > 16:
        raise DecodeError(source, [], "binary data (NUL bytes), not a text page")
    tried: list[str] = []
    # Valid UTF-8 with multi-byte sequences is almost never GBK by accident,
    # so it wins over a declaration that disagrees.
    text = _strict(data, "utf-8")
    if text is not None:
        return text, "utf-8"
    tried.append("utf-8")
    for encoding in declared_charsets(data, headers):
        if encoding in tried:
            continue
        tried.append(encoding)
        text = _strict(data, encoding)
        if text is not None:
            return text, encoding
    if "gb18030" not in tried:  # the usual undeclared encoding of Chinese pages
        tried.append("gb18030")
        text = _strict(data, "gb18030")
        if text is not None:
            return text, "gb18030"
    # A few broken bytes in an otherwise GBK page are common (truncated saves).
    candidates = [e for e in tried if e != "utf-8"] or ["gb18030"]
    scored = [(data.decode(e, errors="replace"), e) for e in candidates]
    text, encoding = min(scored, key=lambda pair: pair[0].count("\ufffd"))
    if text.count("\ufffd") <= _MAX_BAD_SHARE * max(len(text), 1):
        return text, encoding
    best = from_bytes(data).best()
    if best is not None and best.encoding:
        return str(best), _normalise(best.encoding) or best.encoding
    raise DecodeError(source, tried, "too many undecodable bytes")


def decode_dump(data: bytes, headers: Mapping[str, str] | None = None, *,
                source: str = "<bytes>") -> str:
    """A text dump's text: UTF-8 (with or without a BOM) as most dumps are, else
    what :func:`decode_bytes` finds."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return decode_bytes(data, headers, source=source)[0]
