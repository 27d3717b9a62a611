"""Serve a :class:`MirrorSite` over HTTP on 127.0.0.1, with a log of what was fetched.

Tests point a spider at the mirror and then ask the server what it fetched (how often a
path was requested, whether ``/private/`` was touched, which requests were conditional) and
what it answered (status and body bytes, :meth:`RequestLog.answers`). Every 200 carries an
ETag (a digest of the body) and, where the site knows it, Last-Modified; a GET whose
If-None-Match (or, without it, If-Modified-Since) matches gets a 304 without a body. Routing ignores the query string,
as WordPress does for tracking parameters. Each answer goes through :meth:`Handler.respond`
so a later fault-injection layer can wrap one method.

The server always answers from the site's current routes, so ``site.add_articles()`` on a
running server publishes at once. ``delay`` (slow mode) holds every post page that long before
answering, so a test can kill a crawl midway; listings, feeds, sitemaps, robots.txt and images
answer at once. A request is logged when it arrives, before any delay.

``faults`` (a :class:`~devsite.mirror.faults.FaultPlan`) makes some article pages fail: an error
status, a slow, reset or truncated answer, an oversized page, a redirect loop, bytes that are not
HTML, or windows-1256 bytes with a wrong or no charset. The server counts the attempts of each
article page and records what each got in ``fault_log``; see :mod:`devsite.mirror.faults`.
"""

from __future__ import annotations

import hashlib
import socket
import struct
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from urllib.parse import unquote, urlsplit

from devsite.mirror.faults import FaultLog, FaultPlan
from devsite.mirror.site import MirrorSite, Route


@dataclass(frozen=True)
class RequestRecord:
    method: str
    path: str  # without the query string
    query: str
    time: float  # time.monotonic() when the request arrived
    conditional: bool = False  # it carried If-None-Match or If-Modified-Since


@dataclass(frozen=True)
class AnswerRecord:
    """What the server sent for one request of a route: status and body bytes."""

    path: str
    status: int
    body_bytes: int


class RequestLog:
    """Thread-safe record of requests: the server's threads append, tests read."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._records: list[RequestRecord] = []
        self._answers: list[AnswerRecord] = []

    def add(self, record: RequestRecord) -> None:
        with self._lock:
            self._records.append(record)

    def answered(self, answer: AnswerRecord) -> None:
        with self._lock:
            self._answers.append(answer)

    def records(self) -> list[RequestRecord]:
        with self._lock:
            return list(self._records)

    def answers(self) -> list[AnswerRecord]:
        """The answers sent from the site's routes (faults and hang-ups are not answers)."""
        with self._lock:
            return list(self._answers)

    def clear(self) -> None:
        with self._lock:
            self._records.clear()
            self._answers.clear()

    def counts(self, method: str | None = None) -> Counter[str]:
        """Fetches per path (query ignored), for one method or all."""
        return Counter(r.path for r in self.records() if method is None or r.method == method)


class Handler(BaseHTTPRequestHandler):
    """GET and HEAD from the site's routes; quiet, and HTTP/1.1 with keep-alive like a real host."""

    protocol_version = "HTTP/1.1"
    server_version = "nginx"
    timeout = 10  # an idle keep-alive connection closes after this many seconds
    server: _Server

    def do_GET(self) -> None:
        self.respond(head=False)

    def do_HEAD(self) -> None:
        self.respond(head=True)

    def respond(self, *, head: bool) -> None:
        mirror = self.server.mirror
        parts = urlsplit(self.path)
        conditional = bool(self.headers.get("If-None-Match") or self.headers.get("If-Modified-Since"))
        mirror.log.add(RequestRecord(self.command, parts.path, parts.query, time.monotonic(), conditional))
        route = mirror.site.resolve(parts.path)
        fault = mirror.fault(parts.path)  # counted on arrival, like the request log
        delay = mirror.delay
        if route.post and delay > 0 and mirror.stopping.wait(delay):
            self.close_connection = True  # the server is stopping: hang up without an answer
            return
        if fault is None:
            self.send_route(route, head=head)
        else:
            self.send_fault(fault, route, unquote(parts.path), parts.query, head=head)

    def send_route(self, route: Route, *, head: bool) -> None:
        """The route, with its validators (ETag, Last-Modified) when it is a 200; a 304 when the
        request's validators match them (RFC 9110: If-None-Match first, else If-Modified-Since)."""
        validators = route_validators(route)
        path = urlsplit(self.path).path
        if validators and not_modified(
            validators, self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since")
        ):
            self.send_response(304)
            for name, value in validators.items():
                self.send_header(name, value)
            self.end_headers()
            self.server.mirror.log.answered(AnswerRecord(path, 304, 0))
            return
        self.send_head(route, len(route.body), validators)
        if not head:
            self.wfile.write(route.body)
        self.server.mirror.log.answered(AnswerRecord(path, route.status, 0 if head else len(route.body)))

    def send_head(self, route: Route, length: int, validators: dict[str, str] | None = None) -> None:
        self.send_response(route.status)
        for name, value in {**route.headers, **(validators or {})}.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(length))
        self.end_headers()

    def send_fault(self, kind: str, route: Route, path: str, query: str, *, head: bool) -> None:
        """Answer an article page with fault ``kind`` (see :mod:`devsite.mirror.faults`)."""
        mirror = self.server.mirror
        plan = mirror.faults
        assert plan is not None
        if kind == "slow":
            if mirror.stopping.wait(plan.slow_seconds):
                self.close_connection = True
                return
            self.send_route(route, head=head)
        elif kind == "reset":
            # SO_LINGER 0: closing sends RST, not FIN, and drops anything unsent
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            self.connection.close()
        elif kind == "truncated":
            self.send_head(route, len(route.body))
            if not head:
                self.wfile.write(route.body[: len(route.body) // 2])
            self.close_connection = True
        elif kind == "too_large":
            length, chunks = plan.padded(route)
            self.send_head(route, length)
            if not head:
                for chunk in chunks:
                    self.wfile.write(chunk)
        else:
            self.send_route(plan.response(kind, route, path, query, mirror.site.url(path)), head=head)

    def version_string(self) -> str:
        return self.server_version

    def log_message(self, format: str, *args: object) -> None:
        """Silence the per-request stderr line; the request log keeps what tests need."""


def route_validators(route: Route) -> dict[str, str]:
    """ETag (a digest of the body, as nginx and CDNs compute one) and Last-Modified (when the
    route knows it) of a 200 answer; none for other statuses."""
    if route.status != 200:
        return {}
    validators = {"ETag": f'"{hashlib.blake2b(route.body, digest_size=10).hexdigest()}"'}
    if route.modified is not None:
        validators["Last-Modified"] = format_datetime(route.modified.astimezone(UTC), usegmt=True)
    return validators


def not_modified(
    validators: dict[str, str], if_none_match: str | None, if_modified_since: str | None
) -> bool:
    """Whether a conditional GET gets a 304 (weak comparison of entity tags, as for GET)."""
    if if_none_match:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return "*" in tags or validators["ETag"] in tags
    if if_modified_since and "Last-Modified" in validators:
        try:
            since = parsedate_to_datetime(if_modified_since)
        except (TypeError, ValueError):
            return False
        return parsedate_to_datetime(validators["Last-Modified"]) <= since
    return False


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # socketserver's backlog of 5 drops connections when a crawl opens many at once; the kernel
    # then retries the SYN a second later, past a 1-second download timeout
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], mirror: MirrorServer) -> None:
        self.mirror = mirror  # read on every request: site, log, delay and faults as they are now
        super().__init__(address, Handler)

    def handle_error(self, request: object, client_address: object) -> None:
        """A client that hung up (a crawler killed mid-request) is not an error of the mirror."""
        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]


class MirrorServer:
    """A running mirror: ``start()`` binds (port 0 = any free port) and returns the base URL.

    The site is rebased to the bound address before the first request, so every absolute
    URL in its pages, feeds and manifest points back at this server. ``delay`` seconds pass
    before each post page is answered; it may be changed while the server runs (set it to 0
    to let a resumed crawl run at full speed). ``faults`` makes article pages fail as the plan
    says; ``fault_log`` counts their attempts and records what each got.
    """

    def __init__(
        self,
        site: MirrorSite,
        host: str = "127.0.0.1",
        port: int = 0,
        delay: float = 0.0,
        *,
        faults: FaultPlan | None = None,
    ) -> None:
        if delay < 0:
            raise ValueError(f"delay must be >= 0, got {delay}")
        self.site = site
        self.host = host
        self.port = port
        self.delay = delay
        self.faults = faults
        self.log = RequestLog()
        self.fault_log = FaultLog()
        self.stopping = threading.Event()  # set by stop(): wakes requests held by the delay
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        if self._httpd is None:
            raise RuntimeError("the mirror server is not running")
        return f"http://{self.host}:{self._httpd.server_address[1]}"

    def start(self) -> str:
        if self._httpd is not None:
            return self.base_url
        self.stopping.clear()
        self._httpd = _Server((self.host, self.port), self)
        self.site.rebase(self.base_url)
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="mirror-server", daemon=True)
        self._thread.start()
        return self.base_url

    def stop(self) -> None:
        if self._httpd is None:
            return
        self.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd = None
        self._thread = None

    def fault(self, path: str) -> str | None:
        """Count a request of ``path`` (query dropped) and return the fault it gets, if any.

        Only article pages are faulted, and only when the server has a plan.
        """
        path = unquote(path)
        if self.faults is None or path not in self.site.article_paths:
            return None
        return self.fault_log.attempt(path, self.faults).served

    def hits(self, path: str, method: str | None = None) -> int:
        """How many times ``path`` was requested (any query string counts for its path)."""
        return self.log.counts(method)[path]

    def __enter__(self) -> MirrorServer:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
