"""Crawl the hostile site in a process of its own and report its stats and peak memory.

``python -m tests.integration.hostile_crawl SOURCES DB`` prints one JSON object: the
crawl's stats and ``VmHWM`` (peak resident memory, kB) from /proc/self/status. The
process may only reach loopback; ``metadata.test`` resolves to 169.254.169.254, as a
hostile DNS answer would.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import socket
import sys
from pathlib import Path

import httpx

from bench.offline import loopback_only
from scraper import Archive, crawl, load_config
from scraper.scope import AddressGuard, GuardedTransport

HOSTILE_DNS = {"metadata.test": ["169.254.169.254"]}


async def resolve(host: str, port: int) -> list[str]:
    """IP literals as they are, the names of HOSTILE_DNS, nothing else."""
    try:
        return [str(ipaddress.ip_address(host))]
    except ValueError:
        if host in HOSTILE_DNS:
            return HOSTILE_DNS[host]
        raise socket.gaierror(f"{host}: no such name here") from None


def peak_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError("no VmHWM in /proc/self/status")


def main(sources_path: str, db: str) -> None:
    loopback_only()
    settings, sources = load_config(sources_path)
    guard = AddressGuard(allow_private=settings.allow_private_hosts, resolver=resolve)
    transport = GuardedTransport(guard, limits=httpx.Limits(max_connections=16))
    with Archive(db) as archive:
        stats = asyncio.run(crawl(sources, archive, settings, force=True, transport=transport))
    print(json.dumps({"stats": stats.to_dict(), "vmhwm_kb": peak_kb()}))


if __name__ == "__main__":
    main(*sys.argv[1:3])
