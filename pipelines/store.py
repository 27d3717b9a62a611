"""Stage 6, store: upsert every article of a page; count what happened.

An article without a title or body is not stored (it would be a half-empty
row): it is dropped with a counted reason. After each write the stage sends
:data:`crawler.signals.article_stored`, which the run feed (and later the run
record) listen to: data flows on from the store to the exporters.

In a crawl the writes run on one writer thread of their own, so that the
reactor goes on downloading and extracting while a transaction commits
(bench/throughput.py). One thread keeps the writes in order and never lets
the crawl's own transactions contend; counting, logging and the signal
happen back on the reactor thread, where Scrapy's stats and signals live.

In a crawl the stage writes to the crawl's store (crawler/store/crawl.py: one
engine, shared with the spider and the run recorder, disposed by its owner);
without a crawler (benchmarks, tests) it opens and disposes its own.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import NoReturn

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.defer import Deferred
from twisted.internet.threads import deferToThreadPool
from twisted.python.threadpool import ThreadPool

from crawler.items import DropReason, PageItem, StoreOutcome
from crawler.signals import article_stored
from crawler.store import ArticleStore, SaveResult, database_url, make_engine, redact
from crawler.store.crawl import crawl_store
from pipelines.base import PageStage

logger = logging.getLogger(__name__)


def missing_field(title: str, body: str) -> DropReason | None:
    if not title:
        return DropReason.NO_TITLE
    if not body:
        return DropReason.EMPTY_BODY
    return None


class StorePipeline(PageStage):
    stage = "store"

    def __init__(self, crawler: Crawler | None = None, url: str | None = None) -> None:
        super().__init__(crawler)
        self.url = url or database_url(crawler.settings if crawler else None)
        self.store: ArticleStore | None = None
        self.owns_store = crawler is None or url is not None
        self.writer: ThreadPool | None = None

    def open_spider(self) -> None:
        if self.owns_store or self.crawler is None:
            self.store = ArticleStore(make_engine(self.url))
        else:
            self.store = crawl_store(self.crawler)
        self.store.prepare()
        logger.info("Storing articles in %s", redact(self.url))
        if self.crawler is not None:
            self.writer = ThreadPool(minthreads=1, maxthreads=1, name="article-store")
            self.writer.start()

    def close_spider(self) -> None:
        if self.writer is not None:
            self.writer.stop()  # Scrapy closes pipelines once no item is in progress
            self.writer = None
        if self.store is not None and self.owns_store:
            self.store.engine.dispose()

    async def process_item(self, item: object) -> object:
        """In a crawl: write on the writer thread, report on the reactor thread."""
        if not isinstance(item, PageItem) or self.writer is None:
            return super().process_item(item)
        from twisted.internet import reactor

        written: Deferred[list[SaveResult | DropReason | None]] = deferToThreadPool(
            reactor, self.writer, self._write, item
        )
        try:
            results = await maybe_deferred_to_future(written)
        except Exception as error:
            self._failed(error, item)
        return self._report(item, results)

    def _failed(self, error: Exception, page: PageItem) -> NoReturn:
        """As PageStage.process_item does for a synchronous stage: counted, logged, dropped."""
        self.inc(f"pages/failed/{self.stage}_error")
        logger.error("%s failed on %s: %s", self.stage, page.url, error, exc_info=error)
        raise DropItem(f"{self.stage}_error: {type(error).__name__}: {error}") from error

    def process_page(self, page: PageItem) -> PageItem:
        return self._report(page, self._write(page))

    def _write(self, page: PageItem) -> list[SaveResult | DropReason | None]:
        """Store the page's articles. For one not stored: the reason this stage dropped it,
        or None when an earlier stage did (and counted it: pipelines/lens.py)."""
        assert self.store is not None, "open_spider() was not called"
        now = datetime.now(UTC)
        results: list[SaveResult | DropReason | None] = [None] * len(page.articles)
        # appended articles first, the page's own last: each save is its own transaction,
        # and the page's URL in the store is what tells the next run the page is done, so
        # a kill between two saves must never leave the page's URL stored without the rest
        order = [*range(1, len(page.articles)), 0] if page.articles else []
        for position in order:
            article = page.articles[position]
            if article.store_outcome is not None and article.store_outcome.dropped:
                continue
            reason = missing_field(article.title, article.body)
            if reason:
                article.store_outcome = StoreOutcome.dropped_for(reason)
                results[position] = reason
                continue
            result = self.store.save(article, now)
            article.store_outcome = result.outcome
            results[position] = result
        return results

    def _report(self, page: PageItem, results: list[SaveResult | DropReason | None]) -> PageItem:
        for article, result in zip(page.articles, results, strict=True):
            if result is None:
                continue
            if isinstance(result, DropReason):
                self.inc(f"articles/dropped/{result}")
                logger.warning("Not storing %s: %s", article.url, result)
                continue
            self.inc(f"articles/{result.outcome}")
            if self.crawler is not None:
                self.crawler.signals.send_catch_log(
                    article_stored, article=article, result=result, store=self.store
                )
        return page
