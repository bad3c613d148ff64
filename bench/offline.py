"""Keep a process off the network: any connect beyond loopback fails at once.

Benchmarks call :func:`loopback_only` (no peer library can slow a run down or leak
by reaching out); the test suite patches ``socket.socket.connect`` with
:func:`loopback_connect` for each test.
"""

from __future__ import annotations

import ipaddress
import socket

__all__ = ["loopback_connect", "loopback_only"]

_real_connect = socket.socket.connect
_real_getaddrinfo = socket.getaddrinfo


def _is_loopback(host: object) -> bool:
    try:
        return ipaddress.ip_address(str(host)).is_loopback
    except ValueError:
        return host in ("localhost", b"localhost")


def _getaddrinfo(host, *args, **kwargs):  # type: ignore[no-untyped-def]
    if host is not None and not _is_loopback(host):
        raise socket.gaierror(f"only loopback addresses are allowed here; refused to resolve {host!r}")
    return _real_getaddrinfo(host, *args, **kwargs)


def loopback_connect(self: socket.socket, address, *args, **kwargs):  # type: ignore[no-untyped-def]
    """``socket.connect`` that refuses every address but loopback."""
    if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(address[0]):
        raise OSError(f"only loopback addresses are allowed here; refused {address[0]!r}")
    return _real_connect(self, address, *args, **kwargs)


def loopback_only() -> None:
    socket.socket.connect = loopback_connect  # type: ignore[method-assign]
    socket.getaddrinfo = _getaddrinfo
