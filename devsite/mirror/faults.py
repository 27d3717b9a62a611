"""Fault injection for the mirror: which article pages fail, how, and on which attempts.

A :class:`FaultPlan` decides from a seed and a page's path alone (a hash, no state) which fault
that page gets, if any; ``MirrorServer(site, faults=plan)`` applies it. Faults act only on the
pages of ordinary articles (:attr:`MirrorSite.article_paths`): never on listings, feeds, sitemaps,
robots.txt, images, the bad pages (they keep their own reason), private pages or the JavaScript
section's articles, so discovery always works and the manifest's other promises still hold.

Three families, named so a reconciliation test knows what a correct crawler makes of each:

* transient (the page must still be stored by a crawler that retries twice, as ours does with
  ``RETRY_TIMES = 2``): ``http_500`` and ``http_503`` (with ``Retry-After: 1``) on the first two
  attempts; ``slow`` (held ``slow_seconds``, longer than the client's download timeout in tests),
  ``reset`` (RST, no response) and ``truncated`` (full Content-Length, half the body) on the
  first attempt only. Later attempts get the page as it is.
* lasting (the page can never be stored; the crawler must report it): ``too_large`` (padded in
  an HTML comment to more than ``max_bytes``, default 11 MiB against DOWNLOAD_MAXSIZE 10 MiB),
  ``redirect_loop`` (302 to itself, ``?r=1`` and ``?r=2`` in turn, forever), ``non_html``
  (``application/pdf`` or ``application/octet-stream`` bytes). Every attempt.
* charset (the page must be stored, decoded right): ``mislabelled_1256`` (windows-1256 bytes,
  header and ``<meta charset>`` both saying UTF-8) and ``unlabelled_1256`` (windows-1256, no
  charset anywhere). Every attempt. Characters windows-1256 lacks (Arabic-Indic digits) become
  numeric character references, so the page's text is unchanged once the HTML is parsed.

Attempts are counted per path by the server (:class:`FaultLog`), whatever the query string, so
the hops of a redirect loop and a crawler's retries count alike.
"""

from __future__ import annotations

import hashlib
import re
import threading
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from devsite.mirror.site import HTML, PDF_BYTES, Route

TRANSIENT = ("http_500", "http_503", "slow", "reset", "truncated")
LASTING = ("too_large", "redirect_loop", "non_html")
CHARSET = ("mislabelled_1256", "unlabelled_1256")
KINDS = TRANSIENT + LASTING + CHARSET
DEFAULT_SEED = 11
DEFAULT_RATE = 0.04  # of the article pages, per kind: about 40 of each on a 1,000-article site
# http_500 and http_503 fail this many attempts of a path: the crawler's RETRY_TIMES, so its
# last try succeeds. slow, reset and truncated fail the first attempt only.
FAILED_ATTEMPTS = 2
STORED = "stored"
MIB = 1024 * 1024

_ERROR_TITLES = {500: "500 Internal Server Error", 503: "503 Service Temporarily Unavailable"}
_CHARSET_META = re.compile(r'<meta charset="[^"]*">', re.IGNORECASE)
_CHARSET_ATTR = re.compile(r'\s+charset="[^"]*"', re.IGNORECASE)
_BODY_END = b"</body>"


def _draw(seed: int, path: str, salt: str = "") -> float:
    """A number in [0, 1) fixed by (seed, path, salt): the same on every run and platform."""
    digest = hashlib.blake2b(f"{seed}\0{path}\0{salt}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


class FaultPlan:
    """Which fault each article page gets: a pure function of ``(seed, path)``.

    ``rates`` maps fault kinds (:data:`KINDS`) to the share of article pages that get each; kinds
    left out get none. The default is every kind at :data:`DEFAULT_RATE`. A page draws one
    number from the seed and its path and falls in at most one kind's band, so the rates must
    add up to at most 1. ``slow_seconds`` is how long a ``slow`` page is held; ``max_bytes`` is
    what a ``too_large`` page exceeds.
    """

    def __init__(
        self,
        seed: int = DEFAULT_SEED,
        rates: Mapping[str, float] | None = None,
        *,
        slow_seconds: float = 3.0,
        max_bytes: int = 11 * MIB,
    ) -> None:
        rates = dict.fromkeys(KINDS, DEFAULT_RATE) if rates is None else dict(rates)
        unknown = sorted(set(rates) - set(KINDS))
        if unknown:
            raise ValueError(f"unknown fault kinds {unknown}; known: {', '.join(KINDS)}")
        if any(not 0 <= rate <= 1 for rate in rates.values()):
            raise ValueError(f"fault rates must be between 0 and 1, got {rates}")
        if sum(rates.values()) > 1 + 1e-9:
            raise ValueError(f"fault rates add up to {sum(rates.values()):.3f}, more than 1")
        if slow_seconds <= 0:
            raise ValueError(f"slow_seconds must be > 0, got {slow_seconds}")
        if max_bytes <= 0:
            raise ValueError(f"max_bytes must be > 0, got {max_bytes}")
        self.seed = seed
        self.rates = {kind: rates[kind] for kind in KINDS if rates.get(kind)}
        self.slow_seconds = slow_seconds
        self.max_bytes = max_bytes
        bands, upper = [], 0.0
        for kind, rate in self.rates.items():
            upper += rate
            bands.append((upper, kind))
        self._bands = tuple(bands)

    @classmethod
    def transient_only(cls, seed: int = DEFAULT_SEED, **options: Any) -> FaultPlan:
        """Only faults a correct crawler gets past: every page is still stored."""
        return cls(seed, dict.fromkeys(TRANSIENT + CHARSET, DEFAULT_RATE), **options)

    @classmethod
    def all_kinds(cls, seed: int = DEFAULT_SEED, **options: Any) -> FaultPlan:
        """Every kind at :data:`DEFAULT_RATE` (the same as ``FaultPlan(seed)``)."""
        return cls(seed, dict.fromkeys(KINDS, DEFAULT_RATE), **options)

    def __repr__(self) -> str:
        return f"FaultPlan(seed={self.seed}, rates={self.rates})"

    def fault_for(self, path: str) -> str | None:
        """The fault of the article page at ``path`` (no query string), or None.

        Defined for any path; the server applies it only to article pages.
        """
        draw = _draw(self.seed, path)
        for upper, kind in self._bands:
            if draw < upper:
                return kind
        return None

    @staticmethod
    def acts_on(kind: str, attempt: int) -> bool:
        """Whether a page with fault ``kind`` gets it on ``attempt`` (1 for the first request)."""
        if kind in ("http_500", "http_503"):
            return attempt <= FAILED_ATTEMPTS
        if kind in TRANSIENT:
            return attempt == 1
        return True

    def fate(self, path: str) -> str:
        """What a correct crawl makes of the article page at ``path``: "stored" or a lasting kind."""
        kind = self.fault_for(path)
        return kind if kind in LASTING else STORED

    def expected(self, manifest: Mapping[str, Any]) -> dict[str, str]:
        """Every page URL of the manifest and what a correct crawl makes of it.

        Article records (an appended one, ``…#appended-1``, shares its page's fate) and the
        pages republishing them (``duplicate_urls``) map to "stored" or their lasting fault;
        the JavaScript section's articles, never faulted, to "stored"; bad pages to their
        ``expected_reason``.
        """
        unfaulted = set(manifest.get("js_articles", ()))
        result: dict[str, str] = {}
        for record in manifest["articles"]:
            for url in (record["url"], *record["duplicate_urls"]):
                page = url.split("#", 1)[0]
                result[url] = STORED if page in unfaulted else self.fate(urlsplit(page).path)
        for bad in manifest["bad_pages"]:
            result[bad["url"]] = bad["expected_reason"]
        return result

    def counts(self, paths: Iterable[str]) -> Counter[str]:
        """How many of ``paths`` get each kind."""
        return Counter(kind for kind in map(self.fault_for, paths) if kind is not None)

    # --- what a faulted page answers ------------------------------------------------------

    def response(self, kind: str, route: Route, path: str, query: str, url: str) -> Route:
        """The answer for a fault that is a whole HTTP response (not slow, reset, truncated or
        too_large, which the server acts out on the connection). ``url`` is the page's own."""
        if kind in ("http_500", "http_503"):
            status = 500 if kind == "http_500" else 503
            title = _ERROR_TITLES[status]
            body = (
                f"<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n<center><h1>{title}</h1>"
                "</center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
            ).encode()
            headers = {"Content-Type": "text/html"} | ({"Retry-After": "1"} if status == 503 else {})
            return Route(status, headers, body, post=True)
        if kind == "redirect_loop":
            hop = "2" if query == "r=1" else "1"
            return Route(302, {"Location": f"{url}?r={hop}", "Content-Type": HTML}, b"", post=True)
        if kind == "non_html":
            if _draw(self.seed, path, kind) < 0.5:
                return Route(200, {"Content-Type": "application/pdf"}, PDF_BYTES, post=True)
            blob = b"".join(hashlib.sha256(f"{path}:{n}".encode()).digest() for n in range(64))
            return Route(200, {"Content-Type": "application/octet-stream"}, blob, post=True)
        if kind in CHARSET:
            return windows_1256(route, labelled=kind == "mislabelled_1256")
        raise ValueError(f"{kind!r} is not a fault answered with one response")

    def padded(self, route: Route) -> tuple[int, Iterator[bytes]]:
        """The too_large page: its length (``max_bytes + 1``) and its bytes, in chunks.

        The padding is an HTML comment before ``</body>``: the page is still a valid one.
        """
        body = route.body
        cut = body.rfind(_BODY_END)
        cut = len(body) if cut < 0 else cut
        opening, closing = b"<!-- cache-fill ", b" -->"
        fill = max(0, self.max_bytes + 1 - len(body) - len(opening) - len(closing))

        def chunks() -> Iterator[bytes]:
            yield body[:cut] + opening
            block = b"." * (64 * 1024)
            for start in range(0, fill, len(block)):
                yield block[: min(len(block), fill - start)]
            yield closing + body[cut:]

        return len(body) + len(opening) + len(closing) + fill, chunks()


def page_text(route: Route) -> str:
    """An HTML route's text: its declared charset, else UTF-8, else windows-1256 (the mirror's one
    undeclared page)."""
    _, _, charset = route.headers.get("Content-Type", "").partition("charset=")
    if charset:
        return route.body.decode(charset.strip())
    try:
        return route.body.decode("utf-8")
    except UnicodeDecodeError:
        return route.body.decode("windows-1256")


def windows_1256(route: Route, *, labelled: bool) -> Route:
    """The page in windows-1256: ``labelled`` says UTF-8 in the header and the meta tag (if the
    page has one); otherwise no charset is declared anywhere."""
    text = page_text(route)
    if labelled:
        content_type = "text/html; charset=utf-8"
    else:
        content_type = "text/html"
        text = _CHARSET_ATTR.sub("", _CHARSET_META.sub("", text))
    body = text.encode("windows-1256", errors="xmlcharrefreplace")
    return Route(route.status, {**route.headers, "Content-Type": content_type}, body, post=True)


@dataclass(frozen=True)
class FaultRecord:
    """One request of an article page on a faulted server."""

    path: str
    attempt: int  # 1 for the first request of the path, whatever its query string
    planned: str | None  # the plan's fault for the path
    served: str | None  # the fault this attempt got; None: the page as it is
    time: float  # time.monotonic() when the request arrived


class FaultLog:
    """Thread-safe: counts attempts per path and records what each one got."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._records: list[FaultRecord] = []
        self._attempts: Counter[str] = Counter()

    def attempt(self, path: str, plan: FaultPlan) -> FaultRecord:
        """Count one more request of ``path`` and decide, atomically, what it gets."""
        planned = plan.fault_for(path)
        with self._lock:
            self._attempts[path] += 1
            number = self._attempts[path]
            served = planned if planned is not None and plan.acts_on(planned, number) else None
            record = FaultRecord(path, number, planned, served, time.monotonic())
            self._records.append(record)
        return record

    def records(self, path: str | None = None) -> list[FaultRecord]:
        with self._lock:
            return [r for r in self._records if path is None or r.path == path]

    def attempts(self, path: str) -> int:
        with self._lock:
            return self._attempts[path]

    def served(self, path: str) -> list[str | None]:
        """What each attempt of ``path`` got, in order: a fault kind, or None for the page."""
        return [r.served for r in self.records(path)]

    def clear(self) -> None:
        """Forget every attempt: the next request of any path is a first attempt again."""
        with self._lock:
            self._records.clear()
            self._attempts.clear()


__all__ = [
    "CHARSET",
    "DEFAULT_RATE",
    "DEFAULT_SEED",
    "FAILED_ATTEMPTS",
    "KINDS",
    "LASTING",
    "STORED",
    "TRANSIENT",
    "FaultLog",
    "FaultPlan",
    "FaultRecord",
    "page_text",
    "windows_1256",
]
