"""Anti-bot challenge pages, recognised so they are never stored as articles.

Detection only: no bypass is attempted. Each signature is a row of data. Its
``markers`` identify it in the head of the body whatever the status (WAFs serve
their JS-cookie pages with 200 too); its ``status_markers`` and ``cookie_markers``
are weaker hints that count only together with one of its ``statuses``. Text
markers are matched in UTF-8 and in GB18030, the two encodings such pages come in.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

__all__ = ["Signature", "SIGNATURES", "detect_challenge"]

# Challenge pages are small; their markers sit near the top.
_HEAD_BYTES = 64 * 1024


class Signature(NamedTuple):
    name: str
    markers: tuple[str, ...]
    statuses: frozenset[int] = frozenset()
    status_markers: tuple[str, ...] = ()
    cookie_markers: tuple[str, ...] = ()


SIGNATURES: tuple[Signature, ...] = (
    # Ruishu (瑞数) WAF: a page whose inline script fills $_ts, then loads the real page.
    Signature("ruishu-$_ts", ("$_ts=window['$_ts']", '$_ts=window["$_ts"]', "$_ts.nsd=",
                              "$_ts.cd="),
              frozenset({202, 412}), ("$_ts", "_$ts")),
    # Jiasule (加速乐): a script that sets the __jsl_clearance cookie and reloads.
    Signature("jiasule-__jsl", ("__jsl_clearance",),
              frozenset({521}), ("document.cookie",), ("__jsluid", "__jsl_clearance")),
    # Aliyun WAF: a script that computes the acw_sc__v2 cookie; Alibaba's slider page.
    Signature("aliyun-acw_sc", ("acw_sc__v2", "/_____tmd_____/", "_waf_bd8ce2ce37")),
    # The words of the "checking your browser" pages of Chinese CDNs and WAFs.
    Signature("verification-page", ("您的访问请求正在验证中", "正在进行安全验证，请稍候",
                                    "请开启JavaScript并刷新该页", "访问验证中，请稍候")),
    # Cloudflare-style challenges: their script names also appear on ordinary pages,
    # so they count only with the challenge statuses.
    Signature("js-challenge", ("window._cf_chl_opt",),
              frozenset({403, 503}), ("cf-chl-", "challenge-platform")),
)


def _encoded(texts: tuple[str, ...]) -> tuple[bytes, ...]:
    return tuple(dict.fromkeys(t.encode(enc) for t in texts for enc in ("utf-8", "gb18030")))


_COMPILED = tuple((sig, _encoded(sig.markers), _encoded(sig.status_markers))
                  for sig in SIGNATURES)


def detect_challenge(status: int, headers: Mapping[str, str], body: bytes) -> str | None:
    """The signature name if the response is a challenge page, else ``None``."""
    head = body[:_HEAD_BYTES]
    cookies = headers.get("set-cookie", "")
    for sig, markers, status_markers in _COMPILED:
        if any(m in head for m in markers):
            return sig.name
        if status in sig.statuses and (any(m in head for m in status_markers)
                                       or any(c in cookies for c in sig.cookie_markers)):
            return sig.name
    return None
