"""Stage 6, store: upsert every article of a page; count what happened.

An article without a title or body is not stored (it would be a half-empty
row): it is dropped with a counted reason. After each write the stage sends
:data:`crawler.signals.article_stored`, for extensions that follow articles as
they are stored. (The run feed does not need it: it reads what changed since the
last feed from the store itself, so a killed run's articles are not lost to it.)

In a crawl the writes run on one writer thread of their own, so that the
reactor goes on downloading and extracting while a transaction commits
(bench/throughput.py). One thread keeps the writes in order and never lets
the crawl's own transactions contend; counting, logging and the signal
happen back on the reactor thread, where Scrapy's stats and signals live.

The sentence vectors stories read (about 0.1 s of CPU each, crawler/lens/meaning.py)
are made ahead of that one thread, on ``STORY_VECTOR_THREADS`` threads of their own
while the writer stores the pages before; the writer waits for a page's vectors before
storing it, so pages are stored in the order they arrive, as without them. The model
lets go of Python's lock, so the vectors use every core, where the writer made them one
at a time (bench/throughput.py, docs/benchmarks.md).

An article the store refuses (a full disk, a read-only database, a server
gone) is counted as ``store/failed`` and ``store/failed/<cause>``
(crawler/store/failures.py) with one error line per page; the run then fails
(the storage monitor, crawler/runs/monitors.py) and says why in one line
(crawler/runs/outcome.py). A page stops at its first refused article: its own
article is saved last, and must never be stored without its appended ones.
After ``STORE_STOP_AFTER_FAILURES`` refused articles in a row the crawl stops
(finish reason ``store_failed``): fetching the rest of the site would only
fail the same way, and the next run fetches what was not stored.

In a crawl the stage writes to the crawl's store (crawler/store/crawl.py: one
engine, shared with the spider and the run recorder, disposed by its owner);
without a crawler (benchmarks, tests) it opens and disposes its own.
"""

from __future__ import annotations

import logging
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime
from typing import NoReturn

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.utils.defer import deferred_from_coro, maybe_deferred_to_future
from twisted.internet.defer import Deferred
from twisted.internet.threads import deferToThreadPool
from twisted.python.threadpool import ThreadPool

from crawler.extract.pool import available_cores
from crawler.items import DropReason, PageItem, StoreOutcome
from crawler.lens import meaning
from crawler.signals import article_stored
from crawler.spiders.flags import spider_flags
from crawler.store import ArticleStore, SaveResult, database_url, make_engine, redact
from crawler.store.crawl import crawl_store, story_vectors
from crawler.store.failures import Cause, WriteFailure, database_location
from pipelines.base import PageStage

logger = logging.getLogger(__name__)

# Vector threads where the cores would allow more: each loads a model of about 85 MB.
MAX_VECTOR_THREADS = 4


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
        self.vectors: ThreadPoolExecutor | None = None  # makes sentence vectors ahead of the writer
        self.vector_threads = 0
        self.refused_in_a_row = 0
        self.stop_after = crawler.settings.getint("STORE_STOP_AFTER_FAILURES", 20) if crawler else 0
        self.stopping = False
        self.revise = False  # the spider's pages are re-extractions (crawler/spiders/flags.py)

    def open_spider(self) -> None:
        if self.owns_store or self.crawler is None:
            settings = self.crawler.settings if self.crawler else None
            self.store = ArticleStore(make_engine(self.url), story_vectors=story_vectors(settings))
        else:
            self.store = crawl_store(self.crawler)
        self.store.prepare()
        if self.crawler is not None and self.crawler.spider is not None:
            self.revise = spider_flags(self.crawler.spider).revises_records
        logger.info("Storing articles in %s", redact(self.url))
        if self.stats is not None:
            self.stats.set_value("store/database", database_location(self.url))
        if self.crawler is not None:
            self.writer = ThreadPool(minthreads=1, maxthreads=1, name="article-store")
            self.writer.start()
            threads = vector_threads(self.crawler.settings.get("STORY_VECTOR_THREADS"))
            if self.store.writer.story_vectors and threads:
                self.vector_threads = threads
                meaning.allow_engines(threads)
                self.vectors = ThreadPoolExecutor(threads, thread_name_prefix="story-vectors")

    def close_spider(self) -> None:
        if self.writer is not None:
            self.writer.stop()  # Scrapy closes pipelines once no item is in progress
            self.writer = None
        if self.vectors is not None:
            self.vectors.shutdown(cancel_futures=True)
            self.vectors = None
        if self.store is not None and self.owns_store:
            self.store.engine.dispose()

    async def process_item(self, item: object) -> object:
        """In a crawl: write on the writer thread, report on the reactor thread."""
        if not isinstance(item, PageItem) or self.writer is None:
            return super().process_item(item)
        from twisted.internet import reactor

        ahead = self.vectors.submit(self._make_vectors, item) if self.vectors is not None else None
        written: Deferred[list[SaveResult | DropReason | WriteFailure | None]] = deferToThreadPool(
            reactor, self.writer, self._write_after, item, ahead
        )
        try:
            results = await maybe_deferred_to_future(written)
        except Exception as error:  # outside any save (a bug): the page's articles are not stored
            failure = WriteFailure.of(error)
            results = [
                None if article.store_outcome is not None and article.store_outcome.dropped else failure
                for article in item.articles
            ]
        return self._report(item, results)

    def process_page(self, page: PageItem) -> PageItem:
        results = self._write(page)
        for result in results:
            if isinstance(result, WriteFailure):
                raise result.error  # PageStage.process_item counts and logs it, as for any stage
        return self._report(page, results)

    def _make_vectors(self, page: PageItem) -> None:
        """On a vector thread: the vectors the page's articles will be placed with."""
        assert self.store is not None
        now = datetime.now(UTC)
        for article in page.articles:
            if article.store_outcome is not None and article.store_outcome.dropped:
                continue
            if missing_field(article.title, article.body) is None:
                self.store.make_meaning_ahead(article, now, revise=self.revise)

    def _write_after(
        self, page: PageItem, ahead: Future[None] | None
    ) -> list[SaveResult | DropReason | WriteFailure | None]:
        """On the writer thread: store the page once its vectors are made. Should making
        them ahead have failed (the database busy, say), the writer makes them itself."""
        if ahead is not None:
            try:
                ahead.result()  # returns on a cancelled future too (it raises), where wait() would not
            except Exception as error:  # CancelledError included
                logger.warning("Vectors of %s not made ahead (the writer makes them): %r", page.url, error)
        return self._write(page)

    def _write(self, page: PageItem) -> list[SaveResult | DropReason | WriteFailure | None]:
        """Store the page's articles. For one not stored: the reason this stage dropped it,
        the failure that stopped the page at or before it, or None when an earlier stage
        dropped it (and counted it: pipelines/lens.py)."""
        assert self.store is not None, "open_spider() was not called"
        now = datetime.now(UTC)
        results: list[SaveResult | DropReason | WriteFailure | None] = [None] * len(page.articles)
        # appended articles first, the page's own last: each save is its own transaction,
        # and the page's URL in the store is what tells the next run the page is done, so
        # a kill between two saves must never leave the page's URL stored without the rest
        order = [*range(1, len(page.articles)), 0] if page.articles else []
        for step, position in enumerate(order):
            article = page.articles[position]
            if article.store_outcome is not None and article.store_outcome.dropped:
                continue
            reason = missing_field(article.title, article.body)
            if reason:
                article.store_outcome = StoreOutcome.dropped_for(reason)
                results[position] = reason
                continue
            try:
                result = self.store.save(article, now, revise=self.revise)
            except Exception as error:
                # this article and the ones after it on the page are not stored
                failure = WriteFailure.of(error)
                for rest in order[step:]:
                    outcome = page.articles[rest].store_outcome
                    if not (outcome is not None and outcome.dropped):
                        results[rest] = failure
                return results
            article.store_outcome = result.outcome
            results[position] = result
        return results

    def _report(
        self, page: PageItem, results: list[SaveResult | DropReason | WriteFailure | None]
    ) -> PageItem:
        failures = [result for result in results if isinstance(result, WriteFailure)]
        for article, result in zip(page.articles, results, strict=True):
            if result is None or isinstance(result, WriteFailure):
                continue
            self.refused_in_a_row = 0
            if isinstance(result, DropReason):
                self.inc(f"articles/dropped/{result}")
                logger.warning("Not storing %s: %s", article.url, result)
                continue
            self.inc(f"articles/{result.outcome}")
            if self.crawler is not None:
                self.crawler.signals.send_catch_log(
                    article_stored, article=article, result=result, store=self.store
                )
        if failures:
            self._refused(page, failures)
        return page

    def _refused(self, page: PageItem, failures: list[WriteFailure]) -> NoReturn:
        """Articles the store refused: counted by cause, logged once per page, the page dropped."""
        failure = failures[0]
        self.inc("store/failed", len(failures))
        self.inc(f"store/failed/{failure.cause}", len(failures))
        self.inc(f"pages/failed/{self.stage}_error")
        if self.stats is not None and not self.stats.get_value("store/failed_detail"):
            self.stats.set_value("store/failed_detail", failure.detail)
        # an unexpected error is a bug: its traceback goes to the log; a full disk is not
        trace = failure.error if failure.cause is Cause.ERROR else None
        logger.error(
            "Could not store %d article(s) of %s: %s", len(failures), page.url, failure.detail, exc_info=trace
        )
        self.refused_in_a_row += len(failures)
        if self.stop_after and self.refused_in_a_row >= self.stop_after and not self.stopping:
            self._stop(failure)
        # the error line above says it; Scrapy's own "Dropped" line stays out of the console
        raise DropItem(f"{self.stage}_error: {failure.detail}", log_level="INFO")

    def _stop(self, failure: WriteFailure) -> None:
        """The store refused article after article: stop fetching what cannot be stored."""
        assert self.crawler is not None
        assert self.crawler.engine is not None
        self.stopping = True
        if self.stats is not None:
            self.stats.set_value("store/stopped_after", self.refused_in_a_row)
        logger.error(
            "Stopping the crawl: the store refused %d articles in a row (%s)",
            self.refused_in_a_row,
            failure.detail,
        )
        deferred_from_coro(self.crawler.engine.close_spider_async(reason="store_failed"))


def vector_threads(setting: object) -> int:
    """``STORY_VECTOR_THREADS``: a number, or None for one per core the crawl may use, at
    most :data:`MAX_VECTOR_THREADS`."""
    if setting is None:
        return max(1, min(MAX_VECTOR_THREADS, int(available_cores())))
    return max(0, int(str(setting)))
