"""The end of a run in the log: its problems, one line each, and its summary line.

Read from the stats by crawler/runs/outcome.py, once the feed is written and the
monitors have judged (this extension's ``spider_closed`` runs after theirs:
crawler/settings.py EXTENSIONS), and put in the stats too (``run/problems``,
``run/summary``) for the stats file and the run record. ``scrapy crawl`` prints
the same lines on stderr (crawler/commands/crawl.py).
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from scrapy import Spider, signals
from scrapy.crawler import Crawler

from crawler.runs.outcome import judge

logger = logging.getLogger(__name__)


class RunSummary:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunSummary:
        summary = cls(crawler)
        crawler.signals.connect(summary.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(summary.spider_closed, signal=signals.spider_closed)
        return summary

    def spider_opened(self, spider: Spider) -> None:
        """What the summary names: the site's host, the log file."""
        stats = self.crawler.stats
        profile = getattr(spider, "profile", None)
        base_url = getattr(profile, "base_url", "") or next(iter(getattr(spider, "start_urls", [])), "")
        host = urlsplit(str(base_url)).hostname
        if host:
            stats.set_value("run/host", host)
        log_file = self.crawler.settings.get("LOG_FILE")
        if log_file:
            stats.set_value("log/path", str(log_file))

    def spider_closed(self, spider: Spider, reason: str) -> None:
        stats = self.crawler.stats
        snapshot = dict(stats.get_stats())
        snapshot.setdefault("finish_reason", reason)
        outcome = judge(snapshot, spider.name)
        stats.set_value("run/problems", outcome.problems)
        stats.set_value("run/summary", outcome.summary)
        for problem in outcome.problems:
            logger.error("%s: %s", spider.name, problem)
        logger.info("%s", outcome.summary)
