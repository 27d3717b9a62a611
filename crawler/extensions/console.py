"""What a person at the terminal sees during a crawl; under cron, nothing.

The full log goes to a file (``LOG_FILE``, by default one per run under
``LOG_DIR``: crawler/commands/crawl.py). On stderr this extension adds:

* log records at ``LOG_CONSOLE_LEVEL`` and above: by default WARNING in a
  terminal, and none otherwise (cron mails whatever a job prints; a failed run
  ends with its own lines, printed by ``scrapy crawl``);
* in a terminal (``PROGRESS``, by default when stderr is one), a progress line
  rewritten in place every ``PROGRESS_INTERVAL`` seconds: pages fetched,
  articles stored, errors, pages per second. A warning clears it, prints, and
  draws it again, so the two never interleave.

Nothing is added when Scrapy itself logs to stderr (no ``LOG_FILE`` and an empty
``LOG_DIR``): the log is then the console, as before.
"""

from __future__ import annotations

import logging
import shutil
import sys
import threading
import time
from typing import IO, Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.utils.log import get_scrapy_root_handler
from twisted.internet import task

CLEAR_LINE = "\r\x1b[K"


def console_level(setting: Any, interactive: bool) -> int | None:
    """The least level of log records shown on stderr; None: none at all."""
    if setting in (None, ""):
        return logging.WARNING if interactive else None
    name = str(setting).upper()
    if name in ("NONE", "OFF"):
        return None
    level = logging.getLevelName(name)
    if not isinstance(level, int):
        raise NotConfigured(f"LOG_CONSOLE_LEVEL: unknown level {setting!r}")
    return level


def logs_to_stderr() -> bool:
    """Scrapy's own handler writes to stderr (no log file): the console needs nothing more."""
    handler = get_scrapy_root_handler()
    return isinstance(handler, logging.StreamHandler) and not isinstance(handler, logging.FileHandler)


class ConsoleHandler(logging.Handler):
    """Log records on the console, around the progress line."""

    def __init__(self, console: Console, level: int) -> None:
        super().__init__(level)
        self.console = console
        self.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.console.print_above(self.format(record))
        except Exception:
            self.handleError(record)


class Console:
    def __init__(
        self, crawler: Crawler, stream: IO[str], level: int | None, progress: bool, interval: float
    ) -> None:
        self.crawler = crawler
        self.stream = stream
        self.interval = interval
        self.progress = progress
        self.handler = ConsoleHandler(self, level) if level is not None else None
        self.lock = threading.Lock()  # records may come from other threads (the store's writer)
        self.shown = ""  # the progress line on screen now
        self.started = time.monotonic()
        self.loop: task.LoopingCall | None = None
        self.name = ""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Console:
        settings = crawler.settings
        stream = sys.stderr
        interactive = stream.isatty()
        if logs_to_stderr():
            raise NotConfigured("Scrapy logs to stderr itself")
        level = console_level(settings.get("LOG_CONSOLE_LEVEL"), interactive)
        progress_setting = settings.get("PROGRESS")
        progress = interactive if progress_setting in (None, "") else settings.getbool("PROGRESS")
        if level is None and not progress:
            raise NotConfigured
        console = cls(crawler, stream, level, progress, settings.getfloat("PROGRESS_INTERVAL", 1.0))
        if console.handler is not None:
            logging.root.addHandler(console.handler)
        crawler.signals.connect(console.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(console.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(console.engine_stopped, signal=signals.engine_stopped)
        return console

    # -- output ---------------------------------------------------------------------------

    def print_above(self, text: str) -> None:
        """A line above the progress line (which is drawn again below it)."""
        with self.lock:
            if self.shown:
                self.stream.write(CLEAR_LINE)
            self.stream.write(text + "\n")
            if self.shown:
                self.stream.write(self.shown)
            self.stream.flush()

    def draw(self) -> None:
        line = self.progress_line()
        width = shutil.get_terminal_size((100, 24)).columns - 1
        with self.lock:
            self.shown = line[:width]
            self.stream.write(CLEAR_LINE + self.shown)
            self.stream.flush()

    def clear(self) -> None:
        with self.lock:
            if self.shown:
                self.stream.write(CLEAR_LINE)
                self.stream.flush()
            self.shown = ""

    def progress_line(self) -> str:
        stats = self.crawler.stats.get_stats() if self.crawler.stats else {}

        def count(*keys: str) -> int:
            return sum(int(stats.get(key, 0) or 0) for key in keys)

        pages = count("response_received_count")
        new, updated = count("articles/new"), count("articles/updated")
        errors = count("pages/failed", "discovery/failed", "store/failed")
        rate = pages / max(time.monotonic() - self.started, 0.001)
        return (
            f"{self.name}: {pages} pages, {new + updated} articles ({new} new, {updated} updated), "
            f"{errors} errors, {rate:.1f} pages/s"
        )

    # -- signals ----------------------------------------------------------------------------

    def spider_opened(self, spider: Spider) -> None:
        self.name = spider.name
        self.started = time.monotonic()
        if self.progress:
            self.loop = task.LoopingCall(self.draw)
            self.loop.start(self.interval, now=True)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        self.clear()

    def engine_stopped(self) -> None:
        """Warnings after the crawl (the run record's) still show; the handler leaves with the crawl."""
        if self.handler is not None:
            logging.root.removeHandler(self.handler)
