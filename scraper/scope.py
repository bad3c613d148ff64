"""Where a crawl may go: the source's hosts (ports included) and public addresses only.

Two checks, both applied to every URL a fetch touches, redirect hops included:

* :class:`Scope` — by name. An ``allowed_hosts`` entry ``host:port`` allows that
  port only; a bare ``host`` allows the scheme's default ports (80 and 443), so an
  http → https redirect stays in scope. Without ``allowed_hosts`` the hosts of the
  source's start URLs, sitemaps and feeds are the scope, with their ports.
* :class:`AddressGuard` — by address, after DNS resolution: a name that resolves to
  a private, loopback, link-local, multicast, reserved or cloud metadata address is
  refused. :class:`GuardedTransport` runs the guard inside the connection step, so
  the address checked is the address connected to (no second lookup to rebind).
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

import httpcore
import httpx

from .errors import BlockedAddressError, OutOfScopeError

__all__ = ["AddressGuard", "GuardedTransport", "Resolver", "Scope", "address_problem",
           "netloc_of"]

#: ``(host, port) -> IP addresses``; the default asks the event loop's getaddrinfo.
Resolver = Callable[[str, int], Awaitable[list[str]]]

_DEFAULT_PORTS = {"http": 80, "https": 443}
# Instance metadata services of the clouds: refused even with allow_private_hosts.
METADATA_ADDRESSES = frozenset(ipaddress.ip_address(a) for a in (
    "169.254.169.254",   # AWS, GCP, Azure, Alibaba Cloud ECS, Tencent Cloud, OpenStack
    "169.254.170.2",     # AWS ECS task metadata
    "100.100.100.200",   # Alibaba Cloud
    "fd00:ec2::254",     # AWS over IPv6
))


def netloc_of(url: str) -> tuple[str, int] | None:
    """``(host, port)`` of an http(s) URL in lower case, the default port filled in."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in _DEFAULT_PORTS or not parts.hostname:
        return None
    return parts.hostname.lower(), port if port is not None else _DEFAULT_PORTS[parts.scheme]


class Scope:
    """The hosts and ports one source may fetch from."""

    def __init__(self, allowed_hosts: Iterable[str], default_urls: Iterable[str] = ()) -> None:
        self.exact: set[tuple[str, int]] = set()
        self.any_default_port: set[str] = set()
        entries = list(allowed_hosts)
        for entry in entries:
            self._allow(entry)
        if not entries:
            for url in default_urls:
                self._allow(urlsplit(url).netloc)

    @classmethod
    def of(cls, source: Any) -> Scope:
        """The scope of a :class:`~scraper.sources.Source`."""
        return cls(source.allowed_hosts,
                   [*source.start_urls, *source.sitemaps, *source.feeds])

    def _allow(self, entry: str) -> None:
        parts = urlsplit("//" + entry.strip().lower())
        if not parts.hostname:
            return
        if parts.port is None:
            self.any_default_port.add(parts.hostname)
        else:
            self.exact.add((parts.hostname, parts.port))

    def allows(self, url: str) -> bool:
        where = netloc_of(url)
        if where is None:
            return False
        host, port = where
        return where in self.exact or (host in self.any_default_port
                                       and port in _DEFAULT_PORTS.values())

    def check(self, url: str, what: str = "URL") -> None:
        """Raise OutOfScopeError unless ``url`` is in scope."""
        if not self.allows(url):
            raise OutOfScopeError(url, f"{what} leaves the source's hosts ({self.describe()})")

    def describe(self) -> str:
        names = sorted(f"{h}:{p}" for h, p in self.exact) + sorted(self.any_default_port)
        return ", ".join(names) or "none"


def address_problem(address: str, *, allow_private: bool) -> str | None:
    """Why a fetch must not go to ``address``, or ``None`` when it may."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return f"{address!r} is not an IP address"
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip in METADATA_ADDRESSES:
        return f"{ip} is a cloud metadata address"
    if ip.is_multicast:
        return f"{ip} is a multicast address"
    if ip.is_unspecified or ip.is_reserved:
        return f"{ip} is a reserved address"
    if not ip.is_global and not allow_private:
        kind = ("loopback" if ip.is_loopback else "link-local" if ip.is_link_local
                else "private")
        return f"{ip} is a {kind} address (set allow_private_hosts to crawl it)"
    return None


async def _getaddrinfo(host: str, port: int) -> list[str]:
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


class AddressGuard:
    """Resolves a host and refuses it if any of its addresses is off limits (a name with
    one public and one private address could be steered to the private one)."""

    def __init__(self, *, allow_private: bool = False, resolver: Resolver | None = None) -> None:
        self.allow_private = allow_private
        self._resolve = resolver or _getaddrinfo

    async def vet(self, host: str, port: int) -> list[str]:
        """The addresses of ``host``, all checked; raises BlockedAddressError."""
        where = f"http://{host}:{port}/"
        try:
            addresses = await self._resolve(host, port)
        except OSError as exc:
            raise httpcore.ConnectError(f"cannot resolve {host}: {exc}") from exc
        if not addresses:
            raise httpcore.ConnectError(f"cannot resolve {host}: no address")
        for address in addresses:
            problem = address_problem(address, allow_private=self.allow_private)
            if problem:
                raise BlockedAddressError(where, f"{host} resolves to {problem}")
        return list(dict.fromkeys(addresses))


class _GuardedBackend(httpcore.AsyncNetworkBackend):
    """httpcore's network backend with the guard between resolving and connecting."""

    def __init__(self, guard: AddressGuard, inner: httpcore.AsyncNetworkBackend) -> None:
        self._guard = guard
        self._inner = inner

    async def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                          local_address: str | None = None,
                          socket_options: Iterable[Any] | None = None
                          ) -> httpcore.AsyncNetworkStream:
        last: Exception | None = None
        try:
            async with asyncio.timeout(timeout):  # resolving counts toward connect_timeout_s
                addresses = await self._guard.vet(host, port)
        except TimeoutError as exc:
            raise httpcore.ConnectTimeout(f"cannot resolve {host}: timed out") from exc
        for address in addresses:  # connect to what was checked
            try:
                return await self._inner.connect_tcp(address, port, timeout=timeout,
                                                     local_address=local_address,
                                                     socket_options=socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
        assert last is not None  # vet() returns at least one address
        raise last

    async def connect_unix_socket(self, path: str, timeout: float | None = None,
                                  socket_options: Iterable[Any] | None = None
                                  ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("unix sockets are not crawled")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class GuardedTransport(httpx.AsyncHTTPTransport):
    """httpx's transport whose connections go only to addresses the guard accepts.

    TLS still verifies and sends SNI for the host name (httpcore takes them from the
    request, not from the address connected to). Proxies are not used: a proxy would
    resolve names where the guard cannot see.
    """

    def __init__(self, guard: AddressGuard, *, limits: httpx.Limits) -> None:
        super().__init__(limits=limits, trust_env=False)
        # httpcore takes a network backend, httpx does not pass one through.
        self._pool._network_backend = _GuardedBackend(  # type: ignore[union-attr,unused-ignore]
            guard, self._pool._network_backend)  # type: ignore[union-attr,unused-ignore]
