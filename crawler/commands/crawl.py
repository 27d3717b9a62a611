"""``scrapy crawl``, for cron: one run at a time, and an exit status that says how it went.

With ``REDIS_URL`` set the crawl is distributed (crawler/runs/distributed.py): the
first process starts a run, ``-s DISTRIBUTED_JOIN=1`` adds a process to it.

Exit status: 0 the run finished and every monitor passed; 1 the crawl could
not start or did not finish; 3 a monitor failed (crawler/runs/monitors.py); 75
another run of the same spider holds the run lock (crawler/runs/runlock.py), or,
when joining, no run is in progress.
"""

from __future__ import annotations

import argparse
import sys
import uuid

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.exceptions import UsageError

from crawler.extensions.runrecord import FINISHED_REASONS
from crawler.runs.distributed import RedisRunLock, apply_settings
from crawler.runs.runlock import EXIT_ALREADY_RUNNING, RunLock, run_lock
from crawler.store import database_url

EXIT_NOT_FINISHED = 1
EXIT_MONITORS_FAILED = 3


class Command(ScrapyCrawlCommand):
    def short_desc(self) -> str:
        return "Run a spider (one run at a time; exit status from its monitors)"

    def long_desc(self) -> str:
        return (
            "Run a spider. Exits 0 when the run finished and its monitors passed, 1 when it did not "
            "finish, 3 when a monitor failed, 75 when another run of the spider is in progress."
        )

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            raise UsageError("give one spider name")
        assert self.settings is not None
        assert self.crawler_process is not None
        spider_name = args[0]
        settings = self.settings
        # One run at a time of what the spider crawls: its own name, or for the
        # generic spider the site it is given (news_<host>).
        spidercls = self.crawler_process.spider_loader.load(spider_name)
        run_name = getattr(spidercls, "run_name", None)
        spider = run_name(opts.spargs) if callable(run_name) else spider_name
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
        if self.crawler_process.bootstrap_failed or stats.get("finish_reason") not in FINISHED_REASONS:
            self.exitcode = EXIT_NOT_FINISHED
        elif stats.get("monitors/failed"):
            failed = ", ".join(stats["monitors/failed"])
            print(f"{spider}: monitors failed: {failed}", file=sys.stderr)
            self.exitcode = EXIT_MONITORS_FAILED
