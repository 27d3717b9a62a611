"""JOBDIR after a SIGKILL: set aside the request queue that the killed run never closed.

Scrapy saves the queue's index (``requests.queue/active.json``) only when a
crawl shuts down cleanly; a killed crawl leaves queue files without it, which
the next run would read as garbage or as empty. This guard, built before the
scheduler opens the queue, moves such a directory aside; the run then finds
the unfetched articles again through its listings (it walks every listing
page after an interrupted run) and skips what the store already holds.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.utils.job import job_dir

logger = logging.getLogger(__name__)


class JobdirGuard:
    @classmethod
    def from_crawler(cls, crawler: Crawler) -> JobdirGuard:
        directory = job_dir(crawler.settings)
        if not directory:
            raise NotConfigured
        queue = Path(directory, "requests.queue")
        if queue.is_dir() and not (queue / "active.json").exists():
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
            aside = queue.with_name(f"requests.queue.unclosed-{stamp}")
            queue.rename(aside)
            crawler.stats.set_value("jobdir/unclosed_queue_set_aside", str(aside)) if crawler.stats else None
            logger.warning(
                "The last run in %s did not shut down cleanly: its queue is set aside in %s", directory, aside
            )
        raise NotConfigured  # nothing to do during the run
