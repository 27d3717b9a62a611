"""Write the crawl's final stats as JSON (``STATS_FILE``), for scripts and monitors.

Scrapy dumps its stats to the log only; a cron wrapper or a test that wants
the counts (pages failed by reason, articles new/updated) reads this file
instead of parsing log lines. A file that cannot be written fails the run
(``statsfile/failed``: crawler/runs/outcome.py): a script would read an old one.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime
from pathlib import Path
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from crawler.exporters import AtomicFile
from crawler.store.failures import WriteFailure, file_advice

logger = logging.getLogger(__name__)


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


class StatsFile:
    def __init__(self, crawler: Crawler, path: Path) -> None:
        self.crawler = crawler
        self.path = path

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StatsFile:
        path = crawler.settings.get("STATS_FILE")
        if not path:
            raise NotConfigured
        extension = cls(crawler, Path(path))
        # connected after CoreStats (a base extension, loaded first), so its
        # spider_closed handler has set finish_reason and finish_time already
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_closed(self, spider: Spider, reason: str) -> None:
        stats = self.crawler.stats.get_stats() if self.crawler.stats else {}
        try:
            with AtomicFile(self.path) as target:
                json.dump(
                    {key: _jsonable(value) for key, value in sorted(stats.items())}, target.stream, indent=1
                )
        except OSError as error:
            failure = WriteFailure.of(error)
            advice = file_advice(failure.cause, self.path.parent, "STATS_FILE", failure.detail)
            logger.error("The stats file %s could not be written: %s", self.path, advice)
            if self.crawler.stats is not None:
                self.crawler.stats.set_value("statsfile/failed", advice)
