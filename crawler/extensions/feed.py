"""The run feed: every article of the site stored or changed since the previous feed, as one CSV file.

When the crawl closes, the records of the spider's site whose change sequence
is past the site's feed cursor (crawler/store/writer.py: ``feed_cursors``,
``articles.change_seq``) are read back from the store and written to
``<FEED_DIR>/<spider>/<UTC time>.csv``; once that file is renamed into place
the cursor moves to the last change it holds, and ``latest.csv`` is refreshed.
So a feed is complete whatever happened before it: a run that was killed, or
whose feed could not be written (a full disk), wrote no feed and left the
cursor where it was, and the next feed carries its articles. A reader who takes
every feed file has every stored article; an article changed after it was fed
is fed again, in its new state, and one only seen again unchanged is not.

Files are written under a temporary name and renamed into place, so a reader
never sees half a file; temporary files a killed run left are removed (the run
lock means no one else writes here). They follow the umask, or
``FEED_FILE_MODE``. A feed that cannot be written fails the run
(``feed/failed``: crawler/runs/monitors.py) and leaves no partial file.

Distributed runs (crawler/runs/distributed.py): every process writes a feed when
it closes, one after the other (the cut holds the cursor, ArticleWriter.feed_cut),
each with what was stored since the previous one, by any process: the run's
articles are in its processes' feeds once each, with no gap. Each process writes
in its own ``FEED_DIR``; give the workers one shared directory (or collect
theirs) to read one run's feed in one place.
"""

from __future__ import annotations

import logging
import shutil
from datetime import UTC, datetime
from pathlib import Path

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from crawler.exporters import AtomicFile, RecordWriter, parse_file_mode, remove_stale_parts
from crawler.store import database_url
from crawler.store.crawl import crawl_store
from crawler.store.db import PROJECT_ROOT
from crawler.store.failures import (
    Cause,
    Reserve,
    WriteFailure,
    database_advice,
    database_location,
    file_advice,
)
from crawler.store.writer import FeedCut

logger = logging.getLogger(__name__)

FEED_TIME = "%Y-%m-%dT%H-%M-%SZ"


def feed_path(directory: Path, now: datetime) -> Path:
    """A new file in ``directory`` named by ``now``; never one that exists (two cuts in one second)."""
    stem = now.strftime(FEED_TIME)
    path = directory / f"{stem}.csv"
    number = 1
    while path.exists():
        number += 1
        path = directory / f"{stem}-{number}.csv"
    return path


class RunFeed:
    def __init__(self, crawler: Crawler, directory: Path) -> None:
        self.crawler = crawler
        self.directory = directory
        self.mode = parse_file_mode(crawler.settings.get("FEED_FILE_MODE"))
        url = database_url(crawler.settings)
        self.where = database_location(url)
        self.reserve = Reserve(url)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunFeed:
        if not crawler.settings.getbool("RUN_FEED_ENABLED", True):
            raise NotConfigured
        directory = Path(crawler.settings.get("FEED_DIR") or PROJECT_ROOT / "feeds")
        feed = cls(crawler, directory)
        crawler.signals.connect(feed.spider_closed, signal=signals.spider_closed)
        return feed

    def set_stat(self, key: str, value: object) -> None:
        if self.crawler.stats is not None:
            self.crawler.stats.set_value(key, value)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        site = spider.name
        directory = self.directory / site
        stats = self.crawler.stats
        if stats is not None and stats.get_value("run/start_failed"):
            self.set_stat("feed/skipped", "the crawl did not start")
            return
        try:
            self.write(site, directory)
        except Exception as error:
            failure = WriteFailure.of(error)
            if isinstance(error, OSError) or failure.cause is Cause.ERROR:
                advice = file_advice(failure.cause, directory, "FEED_DIR", failure.detail)
            else:  # the store could not be read
                advice = database_advice(failure.cause, self.where, failure.detail)
            self.set_stat("feed/failed", advice)
            trace = error if failure.cause is Cause.ERROR else None
            logger.error("The run feed could not be written: %s", advice, exc_info=trace)

    def write(self, site: str, directory: Path) -> None:
        store = crawl_store(self.crawler).prepare()
        directory.mkdir(parents=True, exist_ok=True)
        if remove_stale_parts(directory):
            logger.info("Removed the temporary files of an earlier, interrupted feed in %s", directory)
        cut: FeedCut | None = None
        try:
            with store.feed_cut(site) as cut:
                path = feed_path(directory, datetime.now(UTC))
                with AtomicFile(path, self.mode) as target:
                    writer = RecordWriter(target.stream, "csv")
                    writer.write_all(store.feed_records(site, cut.window))
                # the file is in place: the cursor moves when the cut commits
                cut.advance(str(path), writer.rows, datetime.now(UTC))
        except Exception as error:
            if cut is None or cut.written_at is None:
                raise
            self.advance_again(site, cut, error)  # the file is there, only the cursor failed
        self.set_stat("feed/path", str(path))
        self.set_stat("feed/rows", writer.rows)
        self.set_stat("feed/changes", [cut.window.after, cut.window.upto])
        logger.info(
            "Run feed: %d rows in %s (changes %d to %d)",
            writer.rows,
            path,
            cut.window.after + 1,
            cut.window.upto,
        )
        with (
            AtomicFile(directory / "latest.csv", self.mode) as latest,
            path.open(encoding="utf-8", newline="") as source,
        ):
            shutil.copyfileobj(source, latest.stream)

    def advance_again(self, site: str, cut: FeedCut, error: Exception) -> None:
        """The cut's commit failed after its file was in place: move the cursor on its own,
        with the reserve on a full disk; else the next feed repeats these rows (and says so)."""
        store = crawl_store(self.crawler)
        logger.warning(
            "The run feed's cursor could not be saved (%s): trying once more", WriteFailure.of(error).detail
        )
        try:
            self.reserve.retry_when_full(
                lambda: store.advance_feed(site, cut.window, cut.path, cut.rows, datetime.now(UTC))
            )
        except Exception as again:
            failure = WriteFailure.of(again)
            advice = database_advice(failure.cause, self.where, failure.detail)
            self.set_stat("feed/cursor_failed", advice)
            logger.error(
                "The run feed's cursor could not be saved: %s; the next feed repeats its rows", advice
            )
