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
    Arabic, not as mojibake, and the repair is counted. A UTF-8 page with a few
    invalid bytes stays UTF-8; the bytes read as U+FFFD are counted
    (``decode/replaced_bytes``) and logged. A page that reads as mojibake in
    every candidate encoding is counted (``decode/mojibake``), logged and
    flagged ``mojibake`` (``response.flags``) for the spider.
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
        if decoded.replaced:
            if self.stats is not None:
                self.stats.inc_value("decode/replaced_bytes", decoded.replaced)
            logger.warning(
                "Decoded %s as UTF-8 with %d invalid byte(s) replaced by U+FFFD",
                response.url,
                decoded.replaced,
            )
        if decoded.mojibake:
            if self.stats is not None:
                self.stats.inc_value("decode/mojibake")
            logger.warning("Text of %s is mojibake in every candidate encoding", response.url)
            response = response.replace(flags=[*response.flags, "mojibake"])
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
