"""The request filter of one process's run, never persisted to JOBDIR.

Scrapy's default filter writes every *scheduled* request to
``JOBDIR/requests.seen``, while the queue of pending requests is only saved
on a clean shutdown. After a SIGKILL, a restarted crawl would then skip every
request that was scheduled but never fetched: lost articles. Here the filter
lives in memory; what a run must not fetch again is what the store already
holds (crawler/incremental.py), and that is durable by construction.
"""

from __future__ import annotations

from typing import Self

from scrapy.crawler import Crawler
from scrapy.dupefilters import RFPDupeFilter


class RunDupeFilter(RFPDupeFilter):
    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(
            None, crawler.settings.getbool("DUPEFILTER_DEBUG"), fingerprinter=crawler.request_fingerprinter
        )
