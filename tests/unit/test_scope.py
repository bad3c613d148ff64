"""Scope by host and port, and the address guard with stubbed resolvers (no DNS, and no
connection to anything but 127.0.0.1)."""

from __future__ import annotations

import asyncio
import socket

import pytest

from scraper import Fetcher, FetchResult, Settings
from scraper.errors import BlockedAddressError, TransportError
from scraper.scope import AddressGuard, Scope, address_problem


def test_allowed_hosts_with_and_without_ports() -> None:
    scope = Scope(["a.gov.cn", "b.gov.cn:8080"])
    assert scope.allows("http://a.gov.cn/x.html") and scope.allows("https://a.gov.cn/x.html")
    assert not scope.allows("http://a.gov.cn:8443/x.html")
    assert scope.allows("http://b.gov.cn:8080/x") and not scope.allows("http://b.gov.cn/x")
    assert not scope.allows("http://c.gov.cn/x") and not scope.allows("ftp://a.gov.cn/x")
    assert not scope.allows("http://a.gov.cn.evil.cn/x")


def test_default_scope_is_the_configured_urls_with_their_ports() -> None:
    scope = Scope([], ["http://127.0.0.1:8001/list.html", "http://x.cn/sitemap.xml"])
    assert scope.allows("http://127.0.0.1:8001/a.html")
    assert not scope.allows("http://127.0.0.1:8002/a.html")
    assert scope.allows("https://x.cn/a.html")
    assert "127.0.0.1:8001" in scope.describe()


@pytest.mark.parametrize(("address", "private_ok", "blocked"), [
    ("93.184.216.34", False, False),
    ("2606:2800:220:1::1", False, False),
    ("10.1.2.3", False, True), ("172.16.0.9", False, True), ("192.168.1.1", False, True),
    ("127.0.0.1", False, True), ("::1", False, True), ("169.254.10.10", False, True),
    ("fe80::1", False, True), ("fd12::1", False, True), ("100.64.0.1", False, True),
    ("::ffff:10.0.0.1", False, True), ("0.0.0.0", False, True),
    ("224.0.0.1", True, True), ("ff02::1", True, True), ("240.0.0.1", True, True),
    ("169.254.169.254", True, True), ("fd00:ec2::254", True, True),
    ("100.100.100.200", True, True),
    ("127.0.0.1", True, False), ("10.1.2.3", True, False),
])
def test_address_classes(address: str, private_ok: bool, blocked: bool) -> None:
    assert (address_problem(address, allow_private=private_ok) is not None) == blocked


def _stub(table: dict[str, list[str]]):  # type: ignore[no-untyped-def]
    asked: list[str] = []

    async def resolve(host: str, port: int) -> list[str]:
        asked.append(host)
        if host not in table:
            raise socket.gaierror(f"unknown host {host}")
        return table[host]

    return resolve, asked


def test_a_name_with_one_private_address_is_refused() -> None:
    resolve, _ = _stub({"mixed.test": ["93.184.216.34", "10.0.0.7"]})
    with pytest.raises(BlockedAddressError, match="10.0.0.7 is a private address"):
        asyncio.run(AddressGuard(resolver=resolve).vet("mixed.test", 80))


def _fetch(url: str, table: dict[str, list[str]], **settings: object
           ) -> tuple[list[str], FetchResult]:
    resolve, asked = _stub(table)

    async def run() -> FetchResult:
        config = Settings(delay_s=0.0, max_attempts=1, **settings)  # type: ignore[arg-type]
        async with Fetcher(config, resolver=resolve) as fetcher:
            return await fetcher.fetch(url)

    return asked, asyncio.run(run())


@pytest.mark.parametrize("address", ["10.0.0.7", "127.0.0.1", "169.254.169.254", "fd00:ec2::254"])
def test_the_fetcher_refuses_private_names_before_connecting(address: str) -> None:
    with pytest.raises(BlockedAddressError, match="http://intranet.test/admin"):
        _fetch("http://intranet.test/admin", {"intranet.test": [address]})


def test_metadata_stays_refused_with_allow_private_hosts() -> None:
    with pytest.raises(BlockedAddressError, match="metadata"):
        _fetch("http://meta.test/latest/", {"meta.test": ["169.254.169.254"]},
               allow_private_hosts=True)


def test_an_unresolvable_name_is_a_transport_error() -> None:
    with pytest.raises(TransportError, match="cannot resolve nowhere.test"):
        _fetch("http://nowhere.test/", {})


def test_the_address_checked_is_the_address_connected_to(site) -> None:  # type: ignore[no-untyped-def]
    port = site.bases["jyt"].rsplit(":", 1)[1]
    url = f"http://jyt.test:{port}/xxgk/tzgg/index.html"
    asked, result = _fetch(url, {"jyt.test": ["127.0.0.1"]}, allow_private_hosts=True)
    assert asked == ["jyt.test"]  # resolved once, by the guard, and connected to that address
    assert result.status == 200 and "通知公告".encode() in result.body
    with pytest.raises(BlockedAddressError, match="127.0.0.1 is a loopback address"):
        _fetch(url, {"jyt.test": ["127.0.0.1"]})
