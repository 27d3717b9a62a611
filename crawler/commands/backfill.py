"""``scrapy backfill WARC… [--list FILE] [--spider NAME] [--generic] [--redis URL] [--again]``

Reads WARC files (paths or http(s) URLs; ``--list`` names a file of them, plain or
gzip, such as Common Crawl News's monthly ``warc.paths.gz``), keeps the response
records of profiled sites' article pages (``--spider``: one site; ``--generic``:
also any Arabic article that reaches the relevance floor), and sends them through
the same extraction, pipeline stages, dedup and store as a crawl
(crawler/archive/backfill.py). Files are streamed, never downloaded first.

Resumable: a backfill killed at any point goes on from the recorded offset of each
file when started again with the same arguments; a file done is not read again
(``--again`` reads it again, and the store then adds nothing new). With Redis
(``--redis URL``, or the ``REDIS_URL`` crawls use) several processes on several
machines started with the same arguments share the files (crawler/archive/shared.py).

Exit status, as ``scrapy crawl``'s (crawler/runs/outcome.py): 0 every file read and
every kept article stored; 1 it could not start or did not finish; 2 a usage error;
3 it finished but a file could not be read to its end, a URL could not be fetched, or
the store refused articles (one line each on stderr says what); 75 another backfill
is running on this store (without Redis, one at a time).
"""

from __future__ import annotations

import argparse
import gzip
import sys
import urllib.request
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import urljoin

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from crawler.archive.backfill import BackfillSpider, Scope, backfill_name
from crawler.commands import apply_defaults
from crawler.commands.crawl import default_log_file, run_verdict
from crawler.commands.errors import reported_errors
from crawler.runs.runlock import EXIT_ALREADY_RUNNING, RunLock, run_lock
from crawler.store.db import check_database, database_url, redact

# Where the relative lines of Common Crawl's path lists (warc.paths.gz) live.
COMMON_CRAWL = "https://data.commoncrawl.org/"
GENERIC_PIPELINE = "crawler.archive.backfill.GenericGate"
LOCK_NAME = "backfill"  # one backfill at a time per store, without Redis


def read_list(name: str, base: str) -> list[str]:
    """The WARC files a list names: one per line, ``#`` comments and blank lines skipped, gzip
    or plain, the list itself a path or a URL; relative lines are joined to ``base``."""
    if name.startswith(("http://", "https://")):
        with urllib.request.urlopen(name, timeout=60) as response:  # a list of names: small
            raw = response.read()
    else:
        path = Path(name)
        if not path.is_file():
            raise UsageError(f"--list {name}: no such file")
        raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    sources = []
    for line in raw.decode("utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            sources.append(resolve(line, base))
    return sources


def resolve(name: str, base: str) -> str:
    """A list's line as a source: absolute URLs and paths as they are, others under ``base``."""
    if name.startswith(("http://", "https://", "/")):
        return name
    if base.startswith(("http://", "https://")):
        return urljoin(base if base.endswith("/") else base + "/", name)
    return str(Path(base) / name)


class Command(ScrapyCommand):
    requires_project = True
    # A backfill reads files, not sites: no politeness delay, no wall-clock limit, no run
    # feed (its articles go into each site's next run feed, which takes every change since
    # the last), no crawl monitors (the backfill judges its files), no archive of the archive.
    backfill_settings: ClassVar[dict[str, Any]] = {
        "AUTOTHROTTLE_ENABLED": False,
        "DOWNLOAD_DELAY": 0,
        "ROBOTSTXT_OBEY": False,
        "CLOSESPIDER_TIMEOUT": 0,
        "RUN_FEED_ENABLED": False,
        "SPIDERMON_ENABLED": False,
        "ARCHIVE_ENABLED": False,
    }

    def syntax(self) -> str:
        return "[options] [WARC_PATH_OR_URL...]"

    def short_desc(self) -> str:
        return "Store the articles of WARC files (Common Crawl News), resumable, shareable through Redis"

    def long_desc(self) -> str:
        return (
            "Read WARC files (paths or http(s) URLs, or --list FILE of them), keep the records of "
            "profiled sites' article pages (--spider: one; --generic: any Arabic article that reaches "
            "MIN_RELEVANCE), and store their articles as a crawl would. Started again with the same "
            "arguments it goes on where it stopped; with Redis several processes share the files. "
            "Exit status: 0 all read and stored, 1 not finished, 2 usage, 3 a file or article failed, "
            "75 another backfill is running."
        )

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument(
            "--list",
            dest="lists",
            action="append",
            default=[],
            metavar="FILE",
            help="a file (path or URL, plain or gzip) naming WARC files, one per line",
        )
        parser.add_argument(
            "--base",
            default=COMMON_CRAWL,
            help=f"where relative lines of --list live (default {COMMON_CRAWL})",
        )
        parser.add_argument("--spider", default=None, help="keep the articles of this site only")
        parser.add_argument(
            "--generic",
            action="store_true",
            help="also keep Arabic articles of other hosts that reach MIN_RELEVANCE",
        )
        parser.add_argument(
            "--redis",
            default=None,
            metavar="URL",
            help="share the backfill with other processes (default: the REDIS_URL setting)",
        )
        parser.add_argument("--again", action="store_true", help="read files a backfill finished already")

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None
        apply_defaults(self.settings, self.backfill_settings)
        if opts.redis is not None:
            self.settings.set("REDIS_URL", opts.redis, priority="cmdline")
        super().process_options(args, opts)
        settings = self.settings
        if not settings.get("LOG_FILE") and settings.get("LOG_DIR") and settings.getbool("LOG_ENABLED"):
            # as scrapy crawl: the log goes to a file of the run; the terminal shows progress
            path = default_log_file(
                Path(settings["LOG_DIR"]),
                LOCK_NAME,
                settings.getfloat("LOG_KEEP_DAYS", 14),
                datetime.now(UTC),
            )
            settings.set("LOG_FILE", str(path), priority="cmdline")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        with reported_errors(self, "backfill"):
            self.backfill(args, opts)

    def sources(self, args: list[str], opts: argparse.Namespace) -> list[str]:
        sources: list[str] = []
        for arg in args:
            if not arg.startswith(("http://", "https://")) and not Path(arg).is_file():
                raise UsageError(f"no such file: {arg}")
            sources.append(arg)
        for name in opts.lists:
            sources += read_list(name, opts.base)
        if not sources:
            raise UsageError("give WARC files (paths or URLs), or --list FILE")
        # a path is a file wherever the backfill is started from: its progress row names it so
        absolute = [s if s.startswith(("http://", "https://")) else str(Path(s).resolve()) for s in sources]
        return list(dict.fromkeys(absolute))

    def backfill(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None
        assert self.crawler_process is not None
        settings = self.settings
        sources = self.sources(args, opts)
        try:
            scope = Scope.of(opts.spider, opts.generic)
        except KeyError as error:
            raise UsageError(str(error.args[0])) from None
        url = database_url(settings)
        check_database(url)
        redis_url = settings.get("REDIS_URL") or ""
        lock: RunLock | None = None
        if redis_url:
            # the processes of one backfill share one run key; none marks another's row killed
            settings.set(
                "RUN_KEY", f"backfill:{backfill_name(sources, scope, opts.again)}", priority="cmdline"
            )
            settings.set("DISTRIBUTED_JOIN", True, priority="cmdline")
        else:
            settings.set("RUN_KEY", uuid.uuid4().hex, priority="cmdline")
            if settings.getbool("RUN_LOCK_ENABLED"):
                lock = run_lock(LOCK_NAME, url)
                if not lock.acquire():
                    print(
                        f"Another backfill is running on {redact(url)} ({lock.description}): not starting. "
                        "To share it between processes, give both --redis URL.",
                        file=sys.stderr,
                    )
                    self.exitcode = EXIT_ALREADY_RUNNING
                    return
        if opts.generic:
            pipelines = dict(settings.getdict("ITEM_PIPELINES"))
            pipelines[GENERIC_PIPELINE] = 460  # after the lens (450), before dedup (500)
            settings.set("ITEM_PIPELINES", pipelines, priority="cmdline")
        try:
            crawler = self.crawler_process.create_crawler(BackfillSpider)
            self.crawler_process.crawl(
                crawler, sources=sources, scope=scope, again=opts.again, redis_url=redis_url
            )
            self.crawler_process.start()
        finally:
            if lock is not None:
                lock.release()
        stats = crawler.stats.get_stats() if crawler.stats else {}
        self.exitcode = run_verdict(
            stats,
            LOCK_NAME,
            bootstrap_failed=self.crawler_process.bootstrap_failed,
            summary=lambda _: summary(stats),
        )


def summary(stats: dict[str, Any]) -> str:
    """The backfill in one line: files, records, articles, damage, rate."""

    def count(key: str) -> int:
        return int(stats.get(key, 0) or 0)

    duplicates = count("articles/duplicate") + count("articles/near_duplicate")
    elapsed = stats.get("elapsed_time_seconds") or 0
    read = count("backfill/bytes_read") / 1e6
    rate = read / elapsed if elapsed else 0.0
    parts = [
        f"{count('backfill/files/done')} file{'' if count('backfill/files/done') == 1 else 's'} read"
        + (f", {count('backfill/files/failed')} failed" if count("backfill/files/failed") else "")
        + (
            f", {count('backfill/files/skipped_done')} done before"
            if count("backfill/files/skipped_done")
            else ""
        )
        + (
            f", {count('backfill/files/skipped_damaged')} damaged before and unchanged"
            if count("backfill/files/skipped_damaged")
            else ""
        ),
        f"{count('backfill/records/scanned')} records scanned, {count('backfill/records/kept')} kept"
        + (f", {count('backfill/records/corrupt')} damaged" if count("backfill/records/corrupt") else ""),
        f"{count('articles/new')} new articles, {count('articles/updated')} updated, {duplicates} duplicates",
        f"{read:,.1f} MB read, {rate:.2f} MB/s",
    ]
    if stats.get("log/path"):
        parts.append(f"log {stats['log/path']}")
    return "backfill: " + "; ".join(parts)
