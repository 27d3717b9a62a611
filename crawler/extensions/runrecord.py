"""Run records: a ``crawl_runs`` row per crawl process, written at start and completed at the end.

A row still ``running`` when the next run of the same spider starts (the next
run holds the run lock, so its owner is gone) belonged to a killed run: it
is marked ``killed``, and the spider walks every listing page this time. The
processes of one distributed run share a ``run_key``; a process that joins a
running crawl marks nothing. The rows are written on the crawl's store
(crawler/store/crawl.py), by its writer (crawler/store/writer.py).
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from datetime import UTC, datetime
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from crawler.store import ArticleStore
from crawler.store.crawl import crawl_store

logger = logging.getLogger(__name__)

# Finish reasons of a run that did its work (Scrapy's, and CloseSpider's limits).
FINISHED_REASONS = frozenset(
    {"finished", "closespider_itemcount", "closespider_pagecount", "closespider_timeout"}
)


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
    }


class RunRecorder:
    def __init__(self, crawler: Crawler, store: ArticleStore) -> None:
        self.crawler = crawler
        self.store = store
        self.run_id: int | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunRecorder:
        if not crawler.settings.getbool("RUN_RECORDS_ENABLED", True):
            raise NotConfigured
        recorder = cls(crawler, crawl_store(crawler))
        crawler.signals.connect(recorder.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(recorder.spider_closed, signal=signals.spider_closed)
        return recorder

    def spider_opened(self, spider: Spider) -> None:
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
        if killed:
            logger.warning("%d earlier %s run(s) never finished: recorded as killed", killed, spider.name)
        if self.crawler.stats is not None:
            self.crawler.stats.set_value("run/id", self.run_id)
            self.crawler.stats.set_value("run/key", run_key)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.run_id is None:
            return
        stats = self.crawler.stats.get_stats() if self.crawler.stats else {}
        summary = summarise(stats)
        status = "finished" if reason in FINISHED_REASONS and not summary["monitors_failed"] else "failed"
        self.store.finish_run(
            self.run_id, status=status, finished_at=datetime.now(UTC), finish_reason=reason, **summary
        )
