"""CPU the crawl process spent on the crawl, in the stats: ``cpu/crawl_process_s`` and
``cpu/ms_per_response``.

The crawl process runs the reactor and the store's writer thread under one GIL,
so its CPU per response is what bounds a crawl's pace on a busy machine
(docs/benchmarks.md, bench/throughput.py); unlike wall time, it barely moves
when other jobs share the cores. Start-up (imports) is left out: the count
starts when the spider opens. Extraction workers are other processes and are
not counted.
"""

from __future__ import annotations

import os

from scrapy import Spider, signals
from scrapy.crawler import Crawler


def process_cpu_seconds() -> float:
    times = os.times()
    return times.user + times.system


class CrawlCpu:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.started = 0.0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlCpu:
        extension = cls(crawler)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider: Spider) -> None:
        self.started = process_cpu_seconds()

    def spider_closed(self, spider: Spider) -> None:
        stats = self.crawler.stats
        spent = process_cpu_seconds() - self.started
        stats.set_value("cpu/crawl_process_s", round(spent, 2))
        responses = stats.get_value("response_received_count", 0)
        if responses:
            stats.set_value("cpu/ms_per_response", round(1000 * spent / responses, 2))
