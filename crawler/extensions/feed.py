"""The run feed: each crawl's new and updated articles as one CSV file.

Collects the ids of the articles a run stored or changed, and when the crawl
closes writes their records, read back from the store, to
``<FEED_DIR>/<spider>/<UTC timestamp>.csv``, then refreshes ``latest.csv``.
Both are written under a temporary name and renamed into place, so a reader
never sees half a file. Reading back at the end means the feed holds each
article once, in its final state for the run (a syndicated copy found later in
the run may have changed which URL is the record's).
"""

from __future__ import annotations

import logging
import shutil
from datetime import UTC, datetime
from pathlib import Path

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from crawler.exporters import AtomicFile, RecordWriter
from crawler.items import Article
from crawler.signals import article_stored
from crawler.store import ArticleStore, SaveResult
from crawler.store.db import PROJECT_ROOT

logger = logging.getLogger(__name__)


class RunFeed:
    def __init__(self, crawler: Crawler, directory: Path) -> None:
        self.crawler = crawler
        self.directory = directory
        self.started = datetime.now(UTC)
        self.changed: dict[int, None] = {}  # ordered set of article ids
        self.store: ArticleStore | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunFeed:
        if not crawler.settings.getbool("RUN_FEED_ENABLED", True):
            raise NotConfigured
        directory = Path(crawler.settings.get("FEED_DIR") or PROJECT_ROOT / "feeds")
        feed = cls(crawler, directory)
        crawler.signals.connect(feed.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(feed.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(feed.article_stored, signal=article_stored)
        return feed

    def spider_opened(self, spider: Spider) -> None:
        self.started = datetime.now(UTC)

    def article_stored(self, article: Article, result: SaveResult, store: ArticleStore) -> None:
        self.store = store
        if result.changed:
            self.changed[result.article_id] = None

    def spider_closed(self, spider: Spider, reason: str) -> None:
        path = self.directory / spider.name / f"{self.started.strftime('%Y-%m-%dT%H-%M-%SZ')}.csv"
        with AtomicFile(path) as target:
            writer = RecordWriter(target.stream, "csv")
            if self.store is not None:
                writer.write_all(self.store.records_by_id(list(self.changed)))
        with (
            AtomicFile(path.parent / "latest.csv") as latest,
            path.open(encoding="utf-8", newline="") as source,
        ):
            shutil.copyfileobj(source, latest.stream)
        stats = self.crawler.stats
        if stats is not None:
            stats.set_value("feed/rows", writer.rows)
            stats.set_value("feed/path", str(path))
        logger.info("Run feed: %d rows in %s", writer.rows, path)
