"""Anti-bot challenge pages, recognised so they are never stored as articles.

Detection only: a challenged host is skipped for the run, no bypass is attempted.
Each signature is a row of data: statuses it comes with, and byte markers in the
body or cookie names in Set-Cookie, any of which identifies it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

__all__ = ["Signature", "SIGNATURES", "detect_challenge"]


class Signature(NamedTuple):
    name: str
    statuses: frozenset[int]
    body_markers: tuple[bytes, ...]
    cookie_markers: tuple[str, ...]


SIGNATURES: tuple[Signature, ...] = (
    # Ruishu (瑞数) WAF: a 412 or 202 page whose script sets $_ts and reloads.
    Signature("ruishu-$_ts", frozenset({202, 412}), (b"$_ts", b"_$ts"), ()),
    # Jiasule (加速乐): 521 with a __jsl_clearance cookie set by script.
    Signature("jiasule-__jsl", frozenset({521}), (b"__jsl_clearance", b"document.cookie"),
              ("__jsluid", "__jsl_clearance")),
    # Generic JS challenges that gov.cn CDNs put in front of pages.
    Signature("js-challenge", frozenset({403, 503}), (b"cf-chl-", b"challenge-platform"), ()),
)


def detect_challenge(status: int, headers: Mapping[str, str], body: bytes) -> str | None:
    """The signature name if the response is a challenge page, else ``None``."""
    head = body[:20000]
    cookies = headers.get("set-cookie", "")
    for sig in SIGNATURES:
        if status not in sig.statuses:
            continue
        if any(m in head for m in sig.body_markers) or any(c in cookies for c in sig.cookie_markers):
            return sig.name
    return None
