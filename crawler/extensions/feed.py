"""The run feed: each crawl's new and updated articles as one CSV file.

Writes ``<FEED_DIR>/<spider>/<UTC timestamp>.csv`` while the crawl runs
(under a temporary name) and, when it closes, renames it into place and
refreshes ``latest.csv`` the same atomic way. Rows are read back from the
store, so the feed holds exactly what the database holds.
"""

from __future__ import annotations

import logging
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from crawler.exporters import AtomicFile, RecordWriter
from crawler.items import Article
from crawler.signals import article_stored
from crawler.store import SaveResult
from crawler.store.db import PROJECT_ROOT

logger = logging.getLogger(__name__)

FEED_OUTCOMES = frozenset({"new", "updated"})


class RunFeed:
    def __init__(self, crawler: Crawler, directory: Path) -> None:
        self.crawler = crawler
        self.directory = directory
        self.file: AtomicFile | None = None
        self.writer: RecordWriter | None = None
        self.path: Path | None = None

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
        stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H-%M-%SZ")
        self.path = self.directory / spider.name / f"{stamp}.csv"
        self.file = AtomicFile(self.path)
        self.writer = RecordWriter(self.file.stream, "csv")

    def article_stored(self, article: Article, result: SaveResult, store: Any) -> None:
        if self.writer is None or result.outcome not in FEED_OUTCOMES:
            return
        record = store.get_record(article.url)
        if record is not None:
            self.writer.write(record)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.file is None or self.writer is None or self.path is None:
            return
        self.file.commit()
        with (
            AtomicFile(self.path.parent / "latest.csv") as latest,
            self.path.open(encoding="utf-8", newline="") as source,
        ):
            shutil.copyfileobj(source, latest.stream)
        stats = self.crawler.stats
        if stats is not None:
            stats.set_value("feed/rows", self.writer.rows)
            stats.set_value("feed/path", str(self.path))
        logger.info("Run feed: %d rows in %s", self.writer.rows, self.path)
