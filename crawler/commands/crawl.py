"""``scrapy crawl``, for cron: one run at a time, and an exit status and last words that say how it went.

With ``REDIS_URL`` set the crawl is distributed (crawler/runs/distributed.py): the
first process starts a run, ``-s DISTRIBUTED_JOIN=1`` adds a process to it.

Exit status: 0 the run finished and nothing failed; 1 the crawl could not start
or did not finish (the store refused its run record, it stopped because the
store refused article after article, it was interrupted); 3 it finished but
something failed: articles the store refused, a feed that could not be written,
a monitor (crawler/runs/monitors.py); 75 another run of the same spider holds
the run lock (crawler/runs/runlock.py), or, when joining, no run is in progress.

Before the crawl starts, what the user can fix is said in one or two lines
(crawler/commands/errors.py, exit 1): an unknown spider, a database or Redis that
cannot be reached or refuses the login, a run lock or feed directory that cannot be
written (a read-only file system). A bad ``-a`` value is one line and exit 2
(crawler/spiders/errors.py). Nothing is fetched, created or locked then.

What it prints on stderr (crawler/runs/outcome.py): when something failed, one
line per problem that says what happened and what to do, then the run's summary;
in a terminal, the summary also when all went well (with a live progress line
during the crawl, crawler/extensions/console.py); under cron, nothing when all
went well. The full log goes to a file: ``LOG_FILE``, or by default a file per
run under ``LOG_DIR`` (older than ``LOG_KEEP_DAYS`` days are deleted).
"""

from __future__ import annotations

import argparse
import sys
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.exceptions import UsageError

from crawler.commands.errors import reported_errors, require_writable_directory
from crawler.runs.distributed import RedisRunLock, apply_settings
from crawler.runs.outcome import Outcome, judge
from crawler.runs.runlock import EXIT_ALREADY_RUNNING, RunLock, run_lock
from crawler.spiders.errors import SpiderArgumentError
from crawler.store import database_url

EXIT_NOT_FINISHED = 1
EXIT_USAGE = 2  # a bad spider argument, as Scrapy's own usage errors
EXIT_MONITORS_FAILED = 3  # finished, but something failed (a monitor, the store, the feed)
LOG_NAME_TIME = "%Y%m%dT%H%M%SZ"  # logs/<spider>-<UTC time>.log, as deploy/harvest.sh names them


def default_log_file(directory: Path, spider: str, keep_days: float, now: datetime) -> Path:
    """This run's log file under ``directory``; logs of ``spider`` older than ``keep_days`` go."""
    directory.mkdir(parents=True, exist_ok=True)
    if keep_days > 0:
        oldest = time.time() - keep_days * 86400
        for old in directory.glob(f"{spider}-*.log"):
            try:
                if old.stat().st_mtime < oldest:
                    old.unlink()
            except OSError:
                continue  # another run's, or gone already
    return directory / f"{spider}-{now.strftime(LOG_NAME_TIME)}.log"


def last_words(lines: list[str], stream: TextIO) -> None:
    for line in lines:
        print(line, file=stream)
    stream.flush()


def run_verdict(
    stats: dict[str, Any], name: str, *, bootstrap_failed: bool, summary: Callable[[Outcome], str]
) -> int:
    """The exit status of a finished crawl-like run (crawl, backfill), its problems and
    summary written to stderr: one place, so every command ends a run the same way."""
    outcome = judge(stats, name)
    exitcode = 0
    if bootstrap_failed or not outcome.finished:
        exitcode = EXIT_NOT_FINISHED
    elif outcome.problems:
        exitcode = EXIT_MONITORS_FAILED
    # the log has them already (crawler/extensions/summary.py), but for a failed run record
    lines = [f"{name}: {problem}" for problem in outcome.problems]
    if lines or exitcode or sys.stderr.isatty():
        lines.append(summary(outcome))
    last_words(lines, sys.stderr)
    return exitcode


class Command(ScrapyCrawlCommand):
    def short_desc(self) -> str:
        return "Run a spider (one run at a time; exit status and last words say how it went)"

    def long_desc(self) -> str:
        return (
            "Run a spider. Exits 0 when the run finished and nothing failed, 1 when it could not "
            "start or did not finish, 3 when it finished but something failed (articles not stored, "
            "a feed not written, a monitor), 75 when another run of the spider is in progress."
        )

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        assert self.settings is not None
        settings = self.settings
        # Before Scrapy sets up logging: by default the log goes to a file of the run, so
        # that the terminal shows warnings and progress and cron stays quiet.
        if (
            args
            and not settings.get("LOG_FILE")
            and settings.get("LOG_DIR")
            and settings.getbool("LOG_ENABLED")
        ):
            path = default_log_file(
                Path(settings["LOG_DIR"]), args[0], settings.getfloat("LOG_KEEP_DAYS", 14), datetime.now(UTC)
            )
            settings.set("LOG_FILE", str(path), priority="cmdline")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            raise UsageError("give one spider name")
        with reported_errors(self, "crawl"):
            self.crawl(args[0], opts)

    def crawl(self, spider_name: str, opts: argparse.Namespace) -> None:
        assert self.settings is not None
        assert self.crawler_process is not None
        settings = self.settings
        # One run at a time of what the spider crawls: its own name, or for the
        # generic spider the site it is given (news_<host>).
        spidercls = self.crawler_process.spider_loader.load(spider_name)
        run_name = getattr(spidercls, "run_name", None)
        try:
            spider = run_name(opts.spargs) if callable(run_name) else spider_name
        except SpiderArgumentError as error:
            # the message alone: Scrapy's usage banner around it would be noise
            print(f"scrapy crawl: error: {error}", file=sys.stderr)
            self.exitcode = EXIT_USAGE
            return
        if settings.getbool("RUN_FEED_ENABLED", True) and settings.get("FEED_DIR"):
            # the feed is written at the end: a directory that cannot take it is said now
            require_writable_directory(Path(settings["FEED_DIR"]) / spider)
        if settings.getbool("ARCHIVE_ENABLED") and settings.get("ARCHIVE_DIR"):
            # so is the web archive's, written from the first response (crawler/extensions/archive.py)
            require_writable_directory(Path(settings["ARCHIVE_DIR"]) / spider)
        join = settings.getbool("DISTRIBUTED_JOIN")
        lock: RunLock | None = None
        if settings.get("REDIS_URL"):
            lock = RedisRunLock(settings["REDIS_URL"], spider, join=join)
        elif settings.getbool("RUN_LOCK_ENABLED"):
            lock = run_lock(spider, database_url(settings))
        if lock is not None and not lock.acquire():
            what = "No {0} crawl is running to join" if join else "Another {0} crawl is running"
            print(f"{what.format(spider)} ({lock.description}): not starting.", file=sys.stderr)
            self.exitcode = EXIT_ALREADY_RUNNING
            return
        if isinstance(lock, RedisRunLock):
            apply_settings(settings, lock.token)
        else:
            settings.set("RUN_KEY", uuid.uuid4().hex, priority="cmdline")
        try:
            crawler = self._create_crawler(spider_name)
            self.crawler_process.crawl(crawler, **opts.spargs)
            self.crawler_process.start()
        finally:
            if lock is not None:
                lock.release()
        stats = crawler.stats.get_stats() if crawler.stats else {}
        self.exitcode = run_verdict(
            stats,
            spider,
            bootstrap_failed=self.crawler_process.bootstrap_failed,
            summary=lambda outcome: outcome.summary,
        )
