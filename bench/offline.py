"""Keep a benchmark process off the network: any connect beyond loopback fails at
once, so no peer library can slow a run down (or leak) by reaching out."""

from __future__ import annotations

import ipaddress
import socket

__all__ = ["loopback_only"]

_real_connect = socket.socket.connect
_real_getaddrinfo = socket.getaddrinfo


def _is_loopback(host: object) -> bool:
    try:
        return ipaddress.ip_address(str(host)).is_loopback
    except ValueError:
        return host in ("localhost", b"localhost")


def _getaddrinfo(host, *args, **kwargs):  # type: ignore[no-untyped-def]
    if host is not None and not _is_loopback(host):
        raise socket.gaierror(f"benchmarks stay on loopback; refused to resolve {host!r}")
    return _real_getaddrinfo(host, *args, **kwargs)


def _connect(self: socket.socket, address, *args, **kwargs):  # type: ignore[no-untyped-def]
    if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(address[0]):
        raise OSError(f"benchmarks stay on loopback; refused {address[0]!r}")
    return _real_connect(self, address, *args, **kwargs)


def loopback_only() -> None:
    socket.socket.connect = _connect  # type: ignore[method-assign]
    socket.getaddrinfo = _getaddrinfo
