"""Hands every response the crawl receives to the run's web archive (crawler/extensions/archive.py).

At downloader order 585: ``process_response`` runs from the highest order down,
so this sees a response after HttpCompressionMiddleware (590) decoded its body
and before the charset repair (580), MetaRefreshMiddleware (580) or
RetryMiddleware (550) can replace it: a 500 that is retried, a page that
refreshes elsewhere, a 404 are all archived as received. Redirect hops (3xx,
taken by RedirectMiddleware at 600) are not; the response they end at carries
the URL first asked for (``WARC-Harvester-Requested-URI``). A response replayed
from an archive is passed on untouched.
"""

from __future__ import annotations

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response

from crawler.archive.replay import ARCHIVED_META
from crawler.extensions.archive import WebArchive


class ArchiveMiddleware:
    def __init__(self, archive: WebArchive) -> None:
        self.archive = archive

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchiveMiddleware:
        # the extension is built first (Scrapy makes extensions before the downloader)
        extensions = crawler.extensions.middlewares if crawler.extensions is not None else ()
        archive = next((ext for ext in extensions if isinstance(ext, WebArchive)), None)
        if archive is None:
            # no message: Scrapy logs a NotConfigured that has one at WARNING, and a setting
            # turned off on purpose (backfill, reextract, extract) is nothing to warn about
            raise NotConfigured
        return cls(archive)

    def process_response(self, request: Request, response: Response) -> Response:
        if "archived" not in response.flags and ARCHIVED_META not in request.meta:
            self.archive.keep(request, response)
        return response
