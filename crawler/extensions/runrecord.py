"""Run records: a ``crawl_runs`` row per crawl process, written at start and completed at the end.

A row still ``running`` when the next run of the same spider starts (the next
run holds the run lock, so its owner is gone) belonged to a killed run: it
is marked ``killed``, and the spider walks every listing page this time. The
processes of one distributed run share a ``run_key``; a process that joins a
running crawl marks nothing. The rows are written on the crawl's store
(crawler/store/crawl.py), by its writer (crawler/store/writer.py).

A run with problems (crawler/runs/outcome.py: articles the store refused, a feed
that could not be written, a failed monitor) is ``failed``, and ``outcome`` holds
the lines it printed. A store that cannot take the run's first row (a read-only
database, a full disk) stops the crawl at once (finish reason
``store_unwritable``): every article it fetched would be refused. Other writes
the store refuses during the crawl (failed pages) are counted
(``store/records_failed``), not raised: the page is fetched again next run.
On a full disk, the last writes use the reserve beside a SQLite database
(crawler/store/failures.py) so that the record can still say ``failed``.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from datetime import UTC, datetime
from typing import Any, NoReturn

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import CloseSpider, NotConfigured

from crawler.runs.outcome import FINISHED_REASONS, judge
from crawler.store import ArticleStore, database_url
from crawler.store.crawl import crawl_store
from crawler.store.failures import Reserve, WriteFailure, database_advice, database_location

logger = logging.getLogger(__name__)

__all__ = ["FINISHED_REASONS", "RunRecorder", "summarise"]

# The finish reason of a crawl stopped because the store could not take its run record.
STORE_UNWRITABLE = "store_unwritable"


def _by_prefix(stats: dict[str, Any], prefix: str) -> dict[str, int]:
    return {key[len(prefix) :]: int(value) for key, value in stats.items() if key.startswith(prefix)}


def summarise(stats: dict[str, Any]) -> dict[str, Any]:
    """The run record's counts, from the crawl stats."""
    dropped = _by_prefix(stats, "articles/dropped/")
    dropped.update(_by_prefix(stats, "item_dropped_reasons_count/"))
    errors = {f"page:{reason}": count for reason, count in _by_prefix(stats, "pages/failed/").items()} | {
        f"download:{name.rsplit('.', 1)[-1]}": count
        for name, count in _by_prefix(stats, "downloader/exception_type_count/").items()
    }
    if stats.get("log_count/ERROR"):
        errors["log:ERROR"] = int(stats["log_count/ERROR"])
    return {
        "pages_fetched": int(stats.get("response_received_count", 0)),
        "articles_new": int(stats.get("articles/new", 0)),
        "articles_updated": int(stats.get("articles/updated", 0)),
        "articles_duplicate": int(stats.get("articles/duplicate", 0))
        + int(stats.get("articles/near_duplicate", 0)),
        "dropped": dropped,
        "errors": errors,
        "monitors_failed": list(stats.get("monitors/failed", [])),
        "feed_path": str(stats.get("feed/path", "")),
        "archive_path": str(stats.get("archive/path", "")),
        "archive_bytes": int(stats.get("archive/bytes", 0)),
    }


class RunRecorder:
    def __init__(self, crawler: Crawler, store: ArticleStore) -> None:
        self.crawler = crawler
        self.store = store
        self.run_id: int | None = None
        url = database_url(crawler.settings)
        self.where = database_location(url)
        self.reserve = Reserve(url)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunRecorder:
        if not crawler.settings.getbool("RUN_RECORDS_ENABLED", True):
            raise NotConfigured
        recorder = cls(crawler, crawl_store(crawler))
        recorder.store.write_failure_listeners.append(recorder.write_failed)
        crawler.signals.connect(recorder.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(recorder.spider_closed, signal=signals.spider_closed)
        return recorder

    def write_failed(self, what: str, failure: WriteFailure) -> None:
        """A write of the crawl other than an article's was refused (ArticleStore's listeners)."""
        stats = self.crawler.stats
        if stats is not None:
            stats.inc_value("store/records_failed")
            stats.inc_value(f"store/records_failed/{failure.cause}")
        logger.error("Could not record %s in %s: %s", what, self.where, failure.detail)

    def spider_opened(self, spider: Spider) -> None:
        try:
            self._start(spider)
        except Exception as error:
            self._cannot_start(WriteFailure.of(error))
        self.reserve.make()  # after the run's row: the reserve must not be why a run cannot start

    def _start(self, spider: Spider) -> None:
        self.store.prepare()
        now = datetime.now(UTC)
        settings = self.crawler.settings
        run_key = settings.get("RUN_KEY") or uuid.uuid4().hex
        self.run_id, killed = self.store.start_run(
            spider.name,
            run_key,
            now,
            host=socket.gethostname(),
            pid=os.getpid(),
            mark_killed=not settings.getbool("DISTRIBUTED_JOIN"),
        )
        # named by the web archive (crawler/extensions/archive.py), whose spider_opened came first:
        # the row of a run that is killed names its archive too
        archive_path = self.crawler.stats.get_value("archive/path") if self.crawler.stats else None
        if archive_path:
            self.store.finish_run(self.run_id, archive_path=str(archive_path))
        if killed:
            logger.warning("%d earlier %s run(s) never finished: recorded as killed", killed, spider.name)
        if self.crawler.stats is not None:
            self.crawler.stats.set_value("run/id", self.run_id)
            self.crawler.stats.set_value("run/key", run_key)

    def _cannot_start(self, failure: WriteFailure) -> NoReturn:
        """The store refused the run's first row: nothing fetched could be stored, so stop now."""
        advice = database_advice(failure.cause, self.where, failure.detail)
        logger.error("Could not record the start of the run: %s; stopping the crawl", advice)
        if self.crawler.stats is not None:
            self.crawler.stats.set_value("run/start_failed", advice)
            self.crawler.stats.inc_value(f"store/records_failed/{failure.cause}")
        # Scrapy closes the spider before its first request (a spider_opened handler may ask)
        raise CloseSpider(STORE_UNWRITABLE)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.run_id is None:
            return
        run_id = self.run_id
        stats = self.crawler.stats.get_stats() if self.crawler.stats else {}
        counts = summarise(stats)
        outcome = judge(stats, spider.name)
        status = "finished" if outcome.ok else "failed"

        def finish() -> None:
            self.store.finish_run(
                run_id,
                status=status,
                finished_at=datetime.now(UTC),
                finish_reason=reason,
                outcome="\n".join(outcome.problems),
                **counts,
            )

        try:
            self.reserve.retry_when_full(finish)
        except Exception as error:
            failure = WriteFailure.of(error)
            advice = database_advice(failure.cause, self.where, failure.detail)
            logger.error("Could not complete the run record %d: %s", run_id, advice)
            if self.crawler.stats is not None:
                self.crawler.stats.set_value("run/record_failed", advice)
