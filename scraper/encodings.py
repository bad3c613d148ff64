"""Content-Encoding decoders that stop at a byte budget, stacked encodings included.

httpx decodes each network chunk in one call per layer, so ``gzip, gzip`` turns a few
kilobytes into gigabytes before any limit can look at them. Here every layer hands out
its output in pieces of at most :data:`PIECE` bytes, and every piece is counted against
the budget before the next one is made: memory stays near ``PIECE`` times the layers.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from typing import Protocol

import brotli
import zstandard

__all__ = ["ACCEPT_ENCODING", "BodyDecoder", "BudgetExceeded", "DecodeFailed", "decode_all"]

PIECE = 64 * 1024
#: What the fetcher asks for: every encoding decoded here.
ACCEPT_ENCODING = "gzip, deflate, br, zstd"
# zstd's decompressobj has no output limit; fed this many bytes at a time, one call
# makes at most a few RLE blocks of 128 KB.
_ZSTD_FEED = 16


class BudgetExceeded(Exception):
    """More decoded bytes than the budget allows."""


class DecodeFailed(Exception):
    """The bytes are not valid for their Content-Encoding."""


class _Layer(Protocol):
    def feed(self, data: bytes) -> Iterator[bytes]: ...


class _Zlib:
    def __init__(self, wbits: int) -> None:
        self._obj = zlib.decompressobj(wbits)
        # "deflate" may be raw or zlib-wrapped: its first two bytes tell.
        self._head: bytes | None = b"" if wbits == zlib.MAX_WBITS else None

    def feed(self, data: bytes) -> Iterator[bytes]:
        if self._head is not None:
            data = self._head + data
            if len(data) < 2:
                self._head = data
                return
            self._head = None
            try:
                zlib.decompressobj(zlib.MAX_WBITS).decompress(data[:2])
            except zlib.error:
                self._obj = zlib.decompressobj(-zlib.MAX_WBITS)
        try:
            while data and not self._obj.eof:
                out = self._obj.decompress(data, PIECE)
                data = self._obj.unconsumed_tail
                if out:
                    yield out
        except zlib.error as exc:
            raise DecodeFailed(f"bad compressed data ({exc})") from exc


class _Brotli:
    def __init__(self) -> None:
        self._obj = brotli.Decompressor()

    def feed(self, data: bytes) -> Iterator[bytes]:
        try:
            out = self._obj.process(data, output_buffer_limit=PIECE)
            while True:
                if out:
                    yield out
                if self._obj.is_finished() or self._obj.can_accept_more_data():
                    return
                out = self._obj.process(b"", output_buffer_limit=PIECE)
        except brotli.error as exc:
            raise DecodeFailed(f"bad brotli data ({exc})") from exc


class _Zstd:
    def __init__(self) -> None:
        self._obj = zstandard.ZstdDecompressor().decompressobj()

    def feed(self, data: bytes) -> Iterator[bytes]:
        try:
            for i in range(0, len(data), _ZSTD_FEED):
                out = self._obj.decompress(data[i:i + _ZSTD_FEED])
                for j in range(0, len(out), PIECE):
                    yield out[j:j + PIECE]
        except zstandard.ZstdError as exc:
            raise DecodeFailed(f"bad zstd data ({exc})") from exc


def _layer(name: str) -> _Layer | None:
    if name in ("gzip", "x-gzip"):
        return _Zlib(16 + zlib.MAX_WBITS)
    if name == "deflate":
        return _Zlib(zlib.MAX_WBITS)
    if name == "br":
        return _Brotli()
    if name == "zstd":
        return _Zstd()
    return None  # identity, and the nonsense some servers send ("utf-8"): bytes as they are


class BodyDecoder:
    """Decodes a body chunk by chunk through its ``Content-Encoding`` layers, raising
    :class:`BudgetExceeded` as soon as any layer's output passes ``limit`` bytes."""

    def __init__(self, content_encoding: str, limit: int) -> None:
        names = [n.strip().lower() for n in content_encoding.split(",") if n.strip()]
        # Applied left to right by the server, so undone right to left.
        self._layers = [layer for n in reversed(names) if (layer := _layer(n)) is not None]
        self._limit = limit
        self._sizes = [0] * (len(self._layers) + 1)
        self.size = 0  # decoded bytes so far

    def feed(self, chunk: bytes) -> Iterator[bytes]:
        yield from self._through(0, chunk)

    def _through(self, index: int, data: bytes) -> Iterator[bytes]:
        self._sizes[index] += len(data)
        if self._sizes[index] > self._limit:
            raise BudgetExceeded(f"passed the {self._limit} byte limit while streaming")
        if index == len(self._layers):
            self.size = self._sizes[index]
            yield data
            return
        for piece in self._layers[index].feed(data):
            yield from self._through(index + 1, piece)


def decode_all(data: bytes, content_encoding: str, limit: int) -> bytes:
    """A whole body decoded within ``limit`` bytes (for gzipped sitemaps and tests)."""
    decoder = BodyDecoder(content_encoding, limit)
    return b"".join(decoder.feed(data))
