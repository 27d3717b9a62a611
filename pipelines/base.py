"""What every stage shares: Scrapy wiring, stats and a uniform failure policy.

A stage is a pure function on a :class:`~crawler.items.PageItem`
(:meth:`PageStage.prepare`) wrapped in a small pipeline class. The wrapper
counts what it did in the crawl stats (``pipeline/<stage>/...``, in
:meth:`PageStage.account`) and turns an unexpected exception into a dropped
item with a logged, counted reason: one malformed page must never stop a crawl
nor leave half-written rows behind. Where an extraction worker runs, the pure
part of stages 1-6 has already run there (pipelines/prepare.py: the page lists
them in ``prepared``) and only the accounting is left for the crawl process.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.statscollectors import StatsCollector

from crawler.items import PageItem

logger = logging.getLogger(__name__)


class PageStage:
    """Base class of the item pipelines that work on :class:`PageItem`."""

    stage = "stage"

    def __init__(self, crawler: Crawler | None = None) -> None:
        self.crawler = crawler
        self.stats: StatsCollector | None = crawler.stats if crawler is not None else None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PageStage:
        return cls(crawler)

    def inc(self, key: str, count: int = 1) -> None:
        if self.stats is not None:
            self.stats.inc_value(key, count)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, PageItem):
            return item
        try:
            return self.process_page(item)
        except DropItem:
            raise
        except Exception as error:
            # The page is logged with its URL and counted; the crawl goes on.
            reason = f"{self.stage}_error"
            self.inc(f"pages/failed/{reason}")
            logger.exception("%s failed on %s: %s", self.stage, item.url, error)
            raise DropItem(f"{reason}: {type(error).__name__}: {error}") from error

    def process_page(self, page: PageItem) -> PageItem:
        if self.stage not in page.prepared:
            page = self.prepare(page)
        self.account(page)
        return page

    @staticmethod
    def prepare(page: PageItem) -> PageItem:
        """What the stage computes: a pure function of the page, with no crawler at hand, so
        that it can run in an extraction worker (pipelines/prepare.py)."""
        raise NotImplementedError

    def account(self, page: PageItem) -> None:
        """What the crawl process does with the result: stats, and the stage's policy."""
