"""Answer a request from the archive instead of the network.

A spider that replays archived responses (``scrapy reextract``, a crawl with
``-a archive=PATH``, ``scrapy backfill``) puts the :class:`ArchivedResponse`
in ``request.meta["archived"]``; this downloader middleware, first in the
chain, returns it as a Scrapy response before the request guard, robots.txt,
the politeness delay or the downloader see the request: nothing leaves the
machine. Every later middleware's ``process_response`` still runs (Scrapy
calls them for a response returned by ``process_request``), so the charset
repair treats an archived page exactly as it treated the page when fetched.
"""

from __future__ import annotations

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Headers, Response
from scrapy.responsetypes import responsetypes

from crawler.archive.records import ArchivedResponse

ARCHIVED_META = "archived"


def to_scrapy_response(archived: ArchivedResponse, request: Request) -> Response:
    """The archived response as Scrapy would have built it from the wire (its class by headers and body)."""
    headers = Headers(archived.headers)
    response_class = responsetypes.from_args(headers=headers, url=archived.url, body=archived.body)
    flags = ["archived", *(["rendered"] if archived.rendered else [])]
    return response_class(
        url=archived.url,
        status=archived.status,
        headers=headers,
        body=archived.body,
        request=request,
        flags=flags,
    )


class ArchivedResponseMiddleware:
    """Returns ``request.meta["archived"]`` as the response; other requests pass untouched."""

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchivedResponseMiddleware:
        return cls(crawler)

    def process_request(self, request: Request) -> Response | None:
        archived = request.meta.get(ARCHIVED_META)
        if not isinstance(archived, ArchivedResponse):
            return None
        if self.stats is not None:
            self.stats.inc_value("archive/replayed")
        return to_scrapy_response(archived, request)
