"""``scrapy brief [--since 24h] [--until DATE] [--topic SLUG] [--site NAME] [--tz ZONE] [-o brief.html]``

Writes the daily brief (crawler/brief/): one self-contained right-to-left HTML page
with the period's stories ranked by number of outlets, topic counts per day over the
last 14 days as a chart, the actors most named and their change from the period
before, and the sources seen for the first time. ``--since`` is a length back from
``--until`` (``24h``, ``7d``, ``90m``) or a date; ``--until`` defaults to now. Times
are UTC unless ``--tz`` names a zone (``Asia/Riyadh``).

The file is written under a temporary name and renamed when complete; ``-o -``
writes the page to stdout. A database that does not exist is refused, and failures
a user can fix are one or two lines on stderr and exit status 1
(crawler/commands/errors.py).
"""

from __future__ import annotations

import argparse
import re
import sys
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from crawler.commands.errors import reported_errors
from crawler.commands.export import _date_option, refuse_directory
from crawler.exporters import AtomicFile
from crawler.lens.topics import TOPICS
from crawler.store import ArticleStore, database_url, make_engine, redact
from crawler.store.db import require_existing_database

LENGTH = re.compile(r"(\d+)\s*([mhdw])")
UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def period_start(value: str, until: datetime) -> datetime:
    """``--since``: a length back from ``until`` (``24h``, ``7d``) or a date (UTC)."""
    length = LENGTH.fullmatch(value.strip().lower())
    if length:
        delta = timedelta(**{UNITS[length.group(2)]: int(length.group(1))})
        if not delta:
            raise UsageError("--since: a period longer than zero (24h, 7d)")
        return until - delta
    since = _date_option(value, "since")
    assert since is not None
    if since >= until:
        raise UsageError(f"--since {value} is not before the period's end ({until:%Y-%m-%d %H:%M} UTC)")
    return since


def zone_option(value: str) -> ZoneInfo:
    try:
        return ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise UsageError(f"--tz: unknown time zone {value!r} (e.g. UTC, Asia/Riyadh, Africa/Cairo)") from None


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False

    def syntax(self) -> str:
        return "[--since 24h] [options] [-o brief.html]"

    def short_desc(self) -> str:
        return "Write the daily brief: the period's stories, topics, actors and new sources as one HTML page"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument(
            "-o", "--output", default="brief.html", metavar="FILE", help="default: brief.html (- for stdout)"
        )
        parser.add_argument(
            "--since",
            default="24h",
            help="period: a length back from --until (24h, 7d) or a date (default 24h)",
        )
        parser.add_argument("--until", help="end of the period, a date or time (UTC; default: now)")
        parser.add_argument("--topic", choices=TOPICS, help="only articles and stories on this topic")
        parser.add_argument("--site", help="only articles and stories this spider's site took part in")
        parser.add_argument(
            "--tz", default="UTC", metavar="ZONE", help="time zone of times and days (default UTC)"
        )
        parser.add_argument("--limit", type=int, default=20, metavar="N", help="stories shown (default 20)")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        with reported_errors(self, "brief"):
            self.brief(args, opts)

    def brief(self, args: list[str], opts: argparse.Namespace) -> None:
        # imported here: matplotlib and fontTools load in a second, which other commands need not pay
        from crawler.brief.page import render
        from crawler.brief.queries import BriefFilter, read_brief

        if args:
            raise UsageError(f"unexpected arguments: {' '.join(args)}")
        if opts.limit < 1:
            raise UsageError("--limit: at least 1")
        now = datetime.now(UTC)
        until = _date_option(opts.until, "until") or now
        where = BriefFilter(
            since=period_start(opts.since, until),
            until=until,
            topic=opts.topic,
            site=opts.site,
            zone=zone_option(opts.tz),
            story_limit=opts.limit,
        )
        if opts.output != "-":
            refuse_directory(opts.output)
        url = database_url(self.settings)
        require_existing_database(url)
        engine = make_engine(url)
        ArticleStore(engine).prepare()  # an older SQLite file is upgraded, as for an export
        try:
            data = read_brief(engine, where)
        finally:
            engine.dispose()
        page = render(data, now)
        if opts.output == "-":
            sys.stdout.write(page)
            sys.stdout.flush()
        else:
            with AtomicFile(opts.output) as target:
                target.stream.write(page)
        print(
            f"Brief of {data.article_count} articles and {data.story_count} stories from {redact(url)} "
            f"written to {opts.output}",
            file=sys.stderr,
        )
