"""Serve one outlet's fixture directory on 127.0.0.1, as the outlet serves those pages.

``routes.json`` in the directory maps each path the site answers (with its query string
when the site routes on one, as Drupal's ``?page=N`` pager does) to a file, and names the
site's real origin. Absolute links in the files point at that origin, as on the live site;
the server rewrites them to its own address so that a crawl stays on loopback. The tests'
mirror server routes on the path alone, which these pagers need more than.
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from urllib.parse import unquote, urlsplit

OUTLETS_DIR = Path(__file__).resolve().parent

# Content types by file suffix, as the outlets send them.
CONTENT_TYPES: dict[str, str] = {
    ".html": "text/html; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
}


class FixtureSite:
    """The routes of one outlet's fixture directory, with absolute links rebased on request."""

    def __init__(self, directory: Path) -> None:
        manifest = json.loads((directory / "routes.json").read_text("utf-8"))
        self.directory = directory
        self.origin: str = manifest["origin"]
        self.routes: dict[str, Path] = {path: directory / name for path, name in manifest["routes"].items()}
        self.base_url: str = self.origin

    def page(self, path: str, query: str = "") -> tuple[int, str, bytes]:
        """Status, content type and body of a request (path percent-encoded or not)."""
        key = unquote(path) + (f"?{unquote(query)}" if query else "")
        file = self.routes.get(key)
        if file is None:
            return 404, CONTENT_TYPES[".html"], b"<!DOCTYPE html><title>404</title><h1>Page not found</h1>"
        text = file.read_text("utf-8").replace(self.origin, self.base_url)
        return 200, CONTENT_TYPES[file.suffix], text.encode("utf-8")


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        self.server.hits[unquote(parts.path) + (f"?{parts.query}" if parts.query else "")] += 1
        status, content_type, body = self.server.site.page(parts.path, parts.query)
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: ``hits`` keeps what the tests need."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64

    def __init__(self, site: FixtureSite) -> None:
        self.site = site
        self.hits: Counter[str] = Counter()
        super().__init__(("127.0.0.1", 0), _Handler)


class FixtureServer:
    """``with FixtureServer("skynewsarabia") as server:`` serves the outlet at ``server.base_url``
    (a free port of 127.0.0.1, bound on entering)."""

    def __init__(self, outlet: str) -> None:
        self.outlet = outlet
        self.site = FixtureSite(OUTLETS_DIR / outlet)
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        return self.site.base_url

    @property
    def hits(self) -> Counter[str]:
        """Requests per decoded path (with its query string)."""
        if self._server is None:
            raise RuntimeError("the fixture server is not running")
        return self._server.hits

    def __enter__(self) -> FixtureServer:
        self._server = _Server(self.site)
        self.site.base_url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, name=f"outlet-{self.outlet}", daemon=True
        )
        self._thread.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = self._thread = None
