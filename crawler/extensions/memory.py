"""Memory of the crawler and of its browser at chosen points of a crawl (``MEMORY_SAMPLES``).

For the render benchmark and for operators who suspect a leak: when the
crawl has received N responses (each N of ``MEMORY_SAMPLES``), the resident
memory of this process and the summed resident memory of its child processes
(Playwright's driver and Chromium's processes) go into the stats as
``memory/rss_mb_scrapy_at_<N>`` and ``memory/rss_mb_browser_at_<N>``. Summed RSS
counts pages Chromium's processes share more than once; the proportional
figure (PSS, Linux only) is recorded beside it as ``memory/pss_mb_browser_at_<N>``.
"""

from __future__ import annotations

import psutil
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response

MB = 1024 * 1024


def _children() -> list[psutil.Process]:
    return psutil.Process().children(recursive=True)


def browser_memory() -> tuple[float, float]:
    """Summed RSS and PSS (MB) of this process's children."""
    rss = pss = 0
    for child in _children():
        try:
            info = child.memory_full_info()
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
        rss += info.rss
        pss += getattr(info, "pss", info.rss)
    return rss / MB, pss / MB


class MemorySampler:
    def __init__(self, crawler: Crawler, samples: list[int]) -> None:
        self.crawler = crawler
        self.samples = set(samples)
        self.responses = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> MemorySampler:
        samples = [int(value) for value in crawler.settings.getlist("MEMORY_SAMPLES")]
        if not samples:
            raise NotConfigured
        sampler = cls(crawler, samples)
        crawler.signals.connect(sampler.response_received, signal=signals.response_received)
        return sampler

    def response_received(self, response: Response, **kwargs: object) -> None:
        self.responses += 1
        if self.responses not in self.samples or self.crawler.stats is None:
            return
        rss, pss = browser_memory()
        stats = self.crawler.stats
        stats.set_value(
            f"memory/rss_mb_scrapy_at_{self.responses}", round(psutil.Process().memory_info().rss / MB, 1)
        )
        stats.set_value(f"memory/rss_mb_browser_at_{self.responses}", round(rss, 1))
        stats.set_value(f"memory/pss_mb_browser_at_{self.responses}", round(pss, 1))
        # what the crawl holds besides memory: queued requests, responses awaiting the pipelines
        engine = self.crawler.engine
        slot = getattr(engine, "_slot", None) or getattr(engine, "slot", None)
        scheduler = getattr(slot, "scheduler", None)
        if scheduler is not None and hasattr(scheduler, "__len__"):
            stats.set_value(f"memory/queued_at_{self.responses}", len(scheduler))
