"""A throwaway PostgreSQL cluster for the tests: initdb into a temporary folder, a server
on 127.0.0.1 only, removed with its folder at the end.

A real server, not a mock, because the archive's PostgreSQL backend relies on what only
a server does (row locks, ``SKIP LOCKED``, concurrent sessions). Each pytest session (each
xdist worker) starts its own on a free port, so nothing is shared with other runs or with
a system cluster. initdb and postgres refuse to run as root: as root they run as the
``postgres`` system user (Debian's package creates it; created here when absent).
"""

from __future__ import annotations

import contextlib
import glob
import itertools
import os
import pwd
import shlex
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import LiteralString

__all__ = ["PostgresServer", "PostgresUnavailable", "bindir_candidates", "find_bindir"]

SERVER_BINARIES = ("initdb", "pg_ctl", "postgres")
SYSTEM_USER = "postgres"
# Settings for a disposable cluster: loopback only, no durability (nothing here outlives
# the session), logs to the file pg_ctl is given.
SETTINGS = {
    "listen_addresses": "'127.0.0.1'",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "50",
    "logging_collector": "off",
}
STOP_WAIT_S = 10.0  # the postmaster exits just after removing its pid file
START_ATTEMPTS = 3  # another process may take the free port between the probe and the start


class PostgresUnavailable(RuntimeError):
    """The server cannot be found, initialised or started; the message says which step."""


def bindir_candidates() -> list[Path]:
    """Where server binaries may be: ``pg_config --bindir``, Debian's
    /usr/lib/postgresql/*/bin (newest first), then the folder of ``initdb`` on PATH."""
    found: list[Path] = []
    pg_config = shutil.which("pg_config")
    if pg_config:
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True,
                                 check=True, timeout=30).stdout.strip()
            if out:
                found.append(Path(out))
    debian = glob.glob("/usr/lib/postgresql/*/bin")
    found += sorted((Path(p) for p in debian), key=_major_version, reverse=True)
    initdb = shutil.which("initdb")
    if initdb:
        found.append(Path(initdb).resolve().parent)
    return list(dict.fromkeys(found))


def _major_version(bindir: Path) -> int:
    name = bindir.parent.name
    return int(name) if name.isdigit() else 0


def find_bindir(candidates: Iterable[Path] | None = None) -> Path:
    """The first folder holding initdb, pg_ctl and postgres; the error lists every folder
    looked at and what each lacked."""
    looked: list[str] = []
    for folder in bindir_candidates() if candidates is None else candidates:
        missing = [b for b in SERVER_BINARIES if not os.access(folder / b, os.X_OK)]
        if not missing:
            return folder
        looked.append(f"{folder} (no {', '.join(missing)})")
    where = "; ".join(looked) or "pg_config is not on PATH, /usr/lib/postgresql/*/bin is absent"
    raise PostgresUnavailable(
        f"PostgreSQL server binaries {'/'.join(SERVER_BINARIES)} not found: {where}. "
        "Install Debian's postgresql package (`make postgres`)")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _as_server_user() -> list[str]:
    """The command prefix that drops root to the ``postgres`` user (nothing when not root)."""
    if os.geteuid() != 0:
        return []
    user = _server_user()
    if shutil.which("runuser"):
        return ["runuser", "-u", SYSTEM_USER, "--"]
    if shutil.which("setpriv"):
        return ["setpriv", f"--reuid={user.pw_uid}", f"--regid={user.pw_gid}", "--init-groups"]
    raise PostgresUnavailable("running as root, and neither runuser nor setpriv is on PATH "
                              f"to start PostgreSQL as the {SYSTEM_USER} user")


def _server_user() -> pwd.struct_passwd:
    try:
        return pwd.getpwnam(SYSTEM_USER)
    except KeyError:
        _run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin",
              SYSTEM_USER], "creating the system user " + SYSTEM_USER)
        return pwd.getpwnam(SYSTEM_USER)


def _run(cmd: Sequence[str], what: str, cwd: Path | None = None) -> str:
    try:
        done = subprocess.run(list(cmd), capture_output=True, text=True, cwd=cwd, timeout=120)
    except (OSError, subprocess.SubprocessError) as exc:
        raise PostgresUnavailable(f"{what} failed: {shlex.join(cmd)}: {exc}") from exc
    output = (done.stdout + done.stderr).strip()
    if done.returncode != 0:
        raise PostgresUnavailable(f"{what} failed (exit {done.returncode}): {shlex.join(cmd)}\n"
                                  f"{_tail(output)}")
    return output


def _tail(text: str, lines: int = 20) -> str:
    return "\n".join(text.splitlines()[-lines:])


@dataclass
class PostgresServer:
    """A running throwaway cluster; ``stop()`` (or leaving the ``with`` block) ends the
    server and removes its folder."""

    bindir: Path
    root: Path
    port: int
    pid: int
    prefix: list[str]
    _numbers: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    @property
    def data(self) -> Path:
        return self.root / "data"

    @classmethod
    def start(cls, bindir: Path | None = None) -> PostgresServer:
        """initdb and start a cluster in a new temporary folder (removed again on failure)."""
        bindir = find_bindir() if bindir is None else find_bindir([bindir])
        prefix = _as_server_user()
        root = Path(tempfile.mkdtemp(prefix="zhengwen-pg-"))
        try:
            if prefix:
                user = _server_user()
                os.chown(root, user.pw_uid, user.pw_gid)
            _run([*prefix, str(bindir / "initdb"), "-D", str(root / "data"), "--auth=trust",
                  "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync"],
                 "initdb (initialising the cluster)", cwd=root)
            with (root / "data" / "postgresql.conf").open("a", encoding="utf-8") as conf:
                conf.write("\n# throwaway test cluster (tests/pgserver.py)\n")
                for name, value in {**SETTINGS,
                                    "unix_socket_directories": f"'{root}'"}.items():
                    conf.write(f"{name} = {value}\n")
            return cls._start_on_free_port(bindir, root, prefix)
        except BaseException:
            shutil.rmtree(root, ignore_errors=True)
            raise

    @classmethod
    def _start_on_free_port(cls, bindir: Path, root: Path, prefix: list[str]) -> PostgresServer:
        log = root / "server.log"
        for attempt in range(1, START_ATTEMPTS + 1):
            port = _free_port()
            log.unlink(missing_ok=True)
            cmd = [*prefix, str(bindir / "pg_ctl"), "-D", str(root / "data"), "-l", str(log),
                   "-o", f"-p {port}", "-w", "-t", "60", "start"]
            try:
                _run(cmd, "pg_ctl start", cwd=root)
            except PostgresUnavailable as exc:
                with contextlib.suppress(PostgresUnavailable):  # a server still starting
                    _pg_ctl_stop(prefix, bindir, root)
                server_log = log.read_text("utf-8", errors="replace") if log.exists() else ""
                if "could not bind" in server_log and attempt < START_ATTEMPTS:
                    continue
                raise PostgresUnavailable(f"{exc}\nserver log:\n{_tail(server_log)}") from None
            pid = int((root / "data" / "postmaster.pid").read_text().split()[0])
            return cls(bindir, root, port, pid, prefix)
        raise AssertionError("unreachable: the last attempt returns or raises")

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{dbname}"

    def create_database(self) -> str:
        """A new empty database ``test_<n>``; returns its name."""
        name = f"test_{next(self._numbers)}"
        self._admin("CREATE DATABASE {}", name)
        return name

    def drop_database(self, name: str) -> None:
        """Drop it even while connections a test left open still use it."""
        self._admin("DROP DATABASE IF EXISTS {} WITH (FORCE)", name)

    def _admin(self, statement: LiteralString, name: str) -> None:
        import psycopg
        from psycopg import sql

        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(sql.SQL(statement).format(sql.Identifier(name)))

    def running(self) -> bool:
        """Whether the postmaster this object started is still alive (a zombie is not)."""
        try:
            stat = Path(f"/proc/{self.pid}/stat").read_text()
        except FileNotFoundError:
            return False
        except OSError:  # no /proc: ask the kernel
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                return False
            except PermissionError:
                return True
            return True
        return stat.rsplit(")", 1)[1].split()[0] != "Z"

    def stop(self) -> None:
        """Stop the server (immediate: nothing is worth a checkpoint), wait for the
        postmaster to exit, and remove the folder; if pg_ctl cannot stop it, kill the
        postmaster this object started."""
        try:
            if self.data.exists():
                _pg_ctl_stop(self.prefix, self.bindir, self.root)
        except PostgresUnavailable:
            if self.running():
                os.kill(self.pid, signal.SIGKILL)
            raise
        finally:
            deadline = time.monotonic() + STOP_WAIT_S
            while self.running() and time.monotonic() < deadline:
                time.sleep(0.01)
            shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> PostgresServer:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()


def _pg_ctl_stop(prefix: list[str], bindir: Path, root: Path) -> None:
    _run([*prefix, str(bindir / "pg_ctl"), "-D", str(root / "data"), "-m", "immediate",
          "-w", "-t", "60", "stop"], "pg_ctl stop", cwd=root)
