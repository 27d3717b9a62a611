"""Downloader middlewares."""

from __future__ import annotations

import logging

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Response, TextResponse
from scrapy.statscollectors import StatsCollector

from crawler.extract.encoding import decode_html

logger = logging.getLogger(__name__)


class CharsetRepairMiddleware:
    """Re-decode HTML whose charset is missing or wrong (see crawler.extract.encoding).

    Runs after decompression, before the spider reads ``response.text``: a
    windows-1256 page with no declared charset reaches the extractor as
    Arabic, not as mojibake, and the repair is counted.
    """

    def __init__(self, stats: StatsCollector | None) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CharsetRepairMiddleware:
        return cls(crawler.stats)

    def process_response(self, request: Request, response: Response) -> Response:
        if not isinstance(response, TextResponse) or not response.body:
            return response
        decoded = decode_html(response.body, (response.headers.get("Content-Type") or b"").decode("latin-1"))
        if decoded.encoding == response.encoding or decoded.source in ("declared", "bom"):
            return response
        if self.stats is not None:
            self.stats.inc_value(f"encoding/repaired/{decoded.encoding}")
        logger.info(
            "Charset of %s: declared %s, read as %s (%s)",
            response.url,
            decoded.declared or "nothing",
            decoded.encoding,
            decoded.source,
        )
        return response.replace(encoding=decoded.encoding)
