"""The demo site: ``fixtures/site`` served on 127.0.0.1, one port per host.

Used by ``make demo``, ``zhengwen demo-site`` and the integration tests. Static
files get ETag / Last-Modified and 304s; ``site.toml`` routes add the behaviours
a crawler must survive (a 500 then 200, a 503 with Retry-After, a page that
changes, an anti-bot challenge). Every request is logged for the tests.
"""

from __future__ import annotations

import email.utils
import gzip
import hashlib
import mimetypes
import threading
import time
import tomllib
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .errors import ScraperError

__all__ = ["DEFAULT_SITE", "DemoSite", "Request"]

DEFAULT_SITE = Path(__file__).resolve().parent.parent / "fixtures" / "site"
# How often a server thread looks for shutdown(): stopping the site waits up to this.
_POLL_S = 0.02
_TYPES = {".html": "text/html", ".htm": "text/html", ".xml": "application/xml",
          ".txt": "text/plain; charset=utf-8", ".pdf": "application/pdf"}


@dataclass(frozen=True)
class Request:
    """One request as the site saw it."""

    host: str
    path: str
    at: float  # time.monotonic()
    status: int
    headers: dict[str, str]


@dataclass
class _Host:
    name: str
    folder: Path
    routes: list[dict]
    hits: dict[str, int] = field(default_factory=dict)
    base: str = ""


class DemoSite:
    """Serve the demo site; use as a context manager or call start() / stop()."""

    def __init__(self, root: str | Path = DEFAULT_SITE, *, port: int = 0) -> None:
        self.root = Path(root)
        config_path = self.root / "site.toml"
        if not config_path.is_file():
            raise ScraperError(f"{config_path}: demo site not found (run from a checkout of "
                               "zhengwen, which has fixtures/site)")
        config = tomllib.loads(config_path.read_text(encoding="utf-8"))
        self.hosts = [_Host(name, self.root / name,
                            [r for r in config.get("route", []) if r["host"] == name])
                      for name in config["hosts"]]
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        self._port = port
        self._servers: list[ThreadingHTTPServer] = []

    def start(self) -> DemoSite:
        for i, host in enumerate(self.hosts):
            port = self._port + i if self._port else 0
            server = ThreadingHTTPServer(("127.0.0.1", port), _handler(self, host))
            server.daemon_threads = True
            host.base = f"http://127.0.0.1:{server.server_address[1]}"
            threading.Thread(target=server.serve_forever, kwargs={"poll_interval": _POLL_S},
                             daemon=True).start()
            self._servers.append(server)
        return self

    def stop(self) -> None:
        for server in self._servers:
            server.shutdown()
            server.server_close()
        self._servers.clear()

    def __enter__(self) -> DemoSite:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def bases(self) -> dict[str, str]:
        """Host name -> base URL (``http://127.0.0.1:PORT``)."""
        return {h.name: h.base for h in self.hosts}

    def sources_text(self) -> str:
        """``sources.toml`` of the site with the hosts' URLs filled in."""
        text = (self.root / "sources.toml").read_text(encoding="utf-8")
        for name, base in self.bases.items():
            text = text.replace("{" + name + "}", base)
        return text

    def log(self, request: Request) -> None:
        with self._lock:
            self.requests.append(request)

    def hits(self, host: str, path: str) -> int:
        """How many requests reached ``path`` on ``host``."""
        with self._lock:
            return sum(1 for r in self.requests if r.host == host and r.path == path)


def _handler(site: DemoSite, host: _Host) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "zhengwen-demo"

        def log_message(self, format: str, *args: object) -> None:  # quiet
            pass

        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            path = unquote(urlsplit(self.path).path)
            with site._lock:
                count = host.hits[path] = host.hits.get(path, 0) + 1
            status = self._respond(path, count)
            site.log(Request(host.name, path, time.monotonic(), status,
                             {k.lower(): v for k, v in self.headers.items()}))

        def _respond(self, path: str, count: int) -> int:
            for route in host.routes:
                if route.get("prefix") and path.startswith(route["prefix"]):
                    return self._file(route["file"], status=route["status"])
                if route.get("path") != path:
                    continue
                if count <= route.get("fail_times", 0):
                    extra = {"Retry-After": str(route["retry_after"])} if "retry_after" in route else {}
                    return self._send(route["status"], b"server busy", "text/plain", extra)
                if "versions" in route:
                    versions = route["versions"]
                    return self._file(versions[min(count, len(versions)) - 1].lstrip("/"))
            return self._file(path.lstrip("/") or "index.html")

        def _file(self, name: str, status: int = 200) -> int:
            target = (host.folder / name).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.is_relative_to(host.folder.resolve()) or not target.is_file():
                return self._send(404, "<html><body>404 页面不存在</body></html>".encode(),
                                  "text/html; charset=utf-8")
            body = target.read_bytes()
            if target.suffix == ".xml":
                body = body.replace(b"{base}", host.base.encode())
            etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
            modified = email.utils.formatdate(target.stat().st_mtime, usegmt=True)
            if status == 200 and self.headers.get("If-None-Match") == etag:
                return self._send(304, b"", None, {"ETag": etag})
            return self._send(status, body, _TYPES.get(target.suffix, mimetypes.guess_type(
                target.name)[0] or "application/octet-stream"),
                {"ETag": etag, "Last-Modified": modified})

        def _send(self, status: int, body: bytes, ctype: str | None,
                  extra: dict[str, str] | None = None) -> int:
            if "gzip" in self.headers.get("Accept-Encoding", "") and len(body) > 1024:
                body = gzip.compress(body)
                extra = {**(extra or {}), "Content-Encoding": "gzip"}
            self.send_response(status)
            if ctype:
                self.send_header("Content-Type", ctype)
            for key, value in (extra or {}).items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if status != 304:
                self.wfile.write(body)
            return status

    return Handler
