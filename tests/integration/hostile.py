"""The hostile site (fixtures/hostile) on 127.0.0.1: one port per host, each path with
the behaviour routes.toml gives it (bombs, floods, redirects out of scope, trickling
bodies, challenge pages). Every request is logged for the tests."""

from __future__ import annotations

import contextlib
import gzip
import threading
import time
import tomllib
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2] / "fixtures" / "hostile"
_TYPES = {".html": "text/html; charset=utf-8", ".xml": "application/xml",
          ".txt": "text/plain; charset=utf-8"}
_FILLER = "填充文字，不含任何标签。".encode()


@dataclass(frozen=True)
class Hit:
    host: str
    path: str
    cookie_bytes: int


class HostileSite:
    """Serve fixtures/hostile; use as a context manager."""

    def __init__(self) -> None:
        config = tomllib.loads((ROOT / "routes.toml").read_text(encoding="utf-8"))
        self.hosts: list[str] = config["hosts"]
        self.routes: list[dict] = config["route"]
        self.hits: list[Hit] = []
        self.bases: dict[str, str] = {}
        self._counts: dict[tuple[str, str], int] = {}
        self._lock = threading.Lock()
        self._servers: list[ThreadingHTTPServer] = []

    def __enter__(self) -> HostileSite:
        for host in self.hosts:
            server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self, host))
            server.daemon_threads = True
            self.bases[host] = f"http://127.0.0.1:{server.server_address[1]}"
            threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                             daemon=True).start()
            self._servers.append(server)
        return self

    def __exit__(self, *exc: object) -> None:
        for server in self._servers:
            server.shutdown()
            server.server_close()

    def fill(self, text: str) -> str:
        """``{main}`` -> base URL, ``{main_host}`` -> host:port, for every host."""
        for host, base in self.bases.items():
            text = text.replace("{" + host + "}", base)
            text = text.replace("{" + host + "_host}", base.removeprefix("http://"))
        return text

    def sources_text(self) -> str:
        return self.fill((ROOT / "sources.toml").read_text(encoding="utf-8"))

    def url(self, route: dict) -> str:
        return self.bases[route["host"]] + route["path"]

    def count(self, host: str, path: str) -> int:
        with self._lock:
            self._counts[(host, path)] = self._counts.get((host, path), 0) + 1
            return self._counts[(host, path)]


def _route(site: HostileSite, host: str, path: str) -> dict:
    for route in site.routes:
        if route["host"] == host and (route.get("path") == path
                                      or path.startswith(route.get("prefix") or "\0")):
            return route
    return {"kind": "file", "file": path.lstrip("/")}


def _handler(site: HostileSite, host: str) -> type[BaseHTTPRequestHandler]:
    folder = ROOT / host

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # quiet
            pass

        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            path = urlsplit(self.path).path
            with site._lock:
                site.hits.append(Hit(host, path, len(self.headers.get("Cookie", ""))))
            route = _route(site, host, path)
            count = site.count(host, path)
            kind = route.get("kind", "file")
            # a crawler that gives up on us, as it should, closes the connection
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                getattr(self, f"_{kind}")(route, path, count)

        def _body(self, route: dict) -> bytes | None:
            name = route.get("file") or urlsplit(self.path).path.lstrip("/")
            target = (folder / name).resolve() if not name.startswith("bombs/") \
                else (ROOT / name).resolve()
            if not target.is_relative_to(ROOT) or not target.is_file():
                return None
            data = target.read_bytes()
            if target.suffix in _TYPES:
                data = site.fill(data.decode("utf-8")).encode("utf-8")
            return data

        def _send(self, status: int, body: bytes, headers: list[tuple[str, str]]) -> None:
            self.send_response(status)
            for key, value in headers:
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _file(self, route: dict, path: str, count: int,
                  extra: list[tuple[str, str]] | None = None) -> None:
            body = self._body(route)
            if body is None:
                self._send(404, "<html><body>404 页面不存在</body></html>".encode(),
                           [("Content-Type", "text/html; charset=utf-8")])
                return
            ctype = _TYPES.get(Path(route.get("file") or path).suffix, "application/octet-stream")
            self._send(200, body, [("Content-Type", ctype), *(extra or [])])

        def _cookies(self, route: dict, path: str, count: int) -> None:
            cookies = [("Set-Cookie", f"flood{i}={'c' * 60}; Path=/") for i in range(route["count"])]
            self._file(route, path, count, cookies)

        def _flaky(self, route: dict, path: str, count: int) -> None:
            if count == 1:
                self._send(500, b"busy", [("Content-Type", "text/plain")])
            else:
                self._file(route, path, count)

        def _busy(self, route: dict, path: str, count: int) -> None:
            if count == 1:
                self._send(503, b"busy", [("Content-Type", "text/plain"), ("Retry-After", "1")])
            else:
                self._file(route, path, count)

        def _bad_status(self, route: dict, path: str, count: int) -> None:
            self.wfile.write(b"HTTP/1.1 two hundred\r\nContent-Type: text/html\r\n\r\n<p>x</p>")
            self.close_connection = True

        def _redirect(self, route: dict, path: str, count: int) -> None:
            self._send(302, b"", [("Location", site.fill(route["to"]))])

        def _redirect_chain(self, route: dict, path: str, count: int) -> None:
            step = int(path.rsplit("/", 1)[1] or 0)
            self._send(302, b"", [("Location", f"/hop/{step + 1}")])

        def _bomb(self, route: dict, path: str, count: int) -> None:
            body = (ROOT / route["file"]).read_bytes()
            self._send(200, body, [("Content-Type", "text/html; charset=utf-8"),
                                   ("Content-Encoding", route["encoding"])])

        def _header_flood(self, route: dict, path: str, count: int) -> None:
            flood = [(f"X-Flood-{i}", "f" * 100) for i in range(route["count"])]
            self._send(200, b"<html><body>flood</body></html>",
                       [("Content-Type", "text/html"), *flood])

        def _gzip_file(self, route: dict, path: str, count: int) -> None:
            body = gzip.compress(self._body(route) or b"")
            self._send(200, body, [("Content-Type", "application/gzip")])

        def _padded(self, route: dict, path: str, count: int) -> None:
            body = self._body(route) or b""
            body += _FILLER * (route["pad"] // len(_FILLER))
            self._send(200, body, [("Content-Type", "application/xml")])

        def _trickle(self, route: dict, path: str, count: int) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", "1000")
            self.end_headers()
            for _ in range(1000):
                self.wfile.write(b" ")
                self.wfile.flush()
                time.sleep(0.2)

    return Handler
