"""``scrapy export -o FILE [--format csv|jsonl] [--since DATE] [--until DATE] [--site NAME] [--source NAME]``
``[--stories] [--query "…"]``

Writes the stored articles, one per row (CSV) or line (JSON lines), streaming
from the database: memory stays flat whatever the number of rows. The file is
written under a temporary name and renamed when complete. ``-o -`` writes to
stdout.

A database that does not exist is refused, not created (only ``scrapy crawl``
creates one); an output that is a directory is refused before anything is
read. Failures a user can fix (database or file system) are one or two lines
on stderr and exit status 1 (crawler/commands/errors.py); no ``.part`` file is
left behind.

``--stories`` writes stories instead (crawler/lens/stories.py): one row per
event reported by several articles within 48 hours, with its articles, its
outlets and the outlet that reported it first. The filters then apply to the
story: its first report's date, the sites and sources that took part.

``--query "…"`` writes the articles a ``scrapy search`` for it finds (crawler/search:
Arabic spelling variants and attached clitics match, "phrases", -exclusions), all of
them, best first, with the other filters applied.
"""

from __future__ import annotations

import argparse
import errno
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from crawler.commands.errors import reported_errors
from crawler.exporters import AtomicFile, RecordWriter
from crawler.lens.actors import find_actors
from crawler.lens.topics import TOPICS
from crawler.records import LIST_FIELDS, RECORD_FIELDS, STORY_FIELDS, STORY_LIST_FIELDS
from crawler.search.searcher import EmptyQuery, matching_ids
from crawler.store import ArticleStore, ExportFilter, database_url, make_engine, redact
from crawler.store.db import require_existing_database
from crawler.text.dates import parse_date


def _date_option(value: str | None, name: str) -> datetime | None:
    if value is None:
        return None
    parsed = parse_date(value)
    if parsed is None:
        raise UsageError(f"--{name}: not a date: {value!r} (use YYYY-MM-DD or ISO 8601)")
    return parsed.astimezone(UTC)


def _actor_option(value: str | None) -> str | None:
    """The canonical name of an actor as the analyst wrote it (موسكو → روسيا), else as written."""
    if not value:
        return None
    found = find_actors(value, "")
    return found[0].name if len(found) == 1 else value.strip()


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False

    def syntax(self) -> str:
        return "-o FILE [options]"

    def short_desc(self) -> str:
        return "Export stored articles as CSV or JSON lines"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument(
            "-o", "--output", required=True, metavar="FILE", help="file to write (- for stdout)"
        )
        parser.add_argument(
            "--format", choices=("csv", "jsonl"), default=None, help="default: from the extension"
        )
        parser.add_argument("--since", help="published at or after this date (UTC)")
        parser.add_argument("--until", help="published before this date (UTC)")
        parser.add_argument("--site", help="only articles harvested by this spider")
        parser.add_argument("--source", help="only articles credited to this source")
        parser.add_argument(
            "--min-relevance",
            type=float,
            metavar="SCORE",
            help="only articles with at least this relevance (0-1)",
        )
        parser.add_argument("--topic", choices=TOPICS, help="only articles on this topic")
        parser.add_argument(
            "--actor", help="only articles naming this actor (any spelling: موسكو finds روسيا)"
        )
        parser.add_argument(
            "--stories", action="store_true", help="one row per story (same event, 48 hours) instead"
        )
        parser.add_argument("--query", help="only articles a search finds (scrapy search syntax), best first")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        with reported_errors(self, "export"):
            self.export(args, opts)

    def export(self, args: list[str], opts: argparse.Namespace) -> None:
        if args:
            raise UsageError(f"unexpected arguments: {' '.join(args)}")
        fmt = opts.format or ("jsonl" if opts.output.endswith((".jsonl", ".json")) else "csv")
        if opts.min_relevance is not None and not 0.0 <= opts.min_relevance <= 1.0:
            raise UsageError("--min-relevance: a score between 0 and 1")
        if opts.stories and (opts.min_relevance is not None or opts.topic or opts.actor or opts.query):
            raise UsageError("--min-relevance, --topic, --actor and --query filter articles, not --stories")
        where = ExportFilter(
            since=_date_option(opts.since, "since"),
            until=_date_option(opts.until, "until"),
            site=opts.site,
            source=opts.source,
            min_relevance=opts.min_relevance,
            topic=opts.topic,
            actor=_actor_option(opts.actor),
        )
        if opts.output != "-":
            refuse_directory(opts.output)
        url = database_url(self.settings)
        require_existing_database(url)
        store = ArticleStore(make_engine(url))
        store.prepare()
        if opts.stories:
            records, what = store.iter_stories(where), "stories"
            fields, list_fields = STORY_FIELDS, STORY_LIST_FIELDS
        elif opts.query is not None:
            try:
                ids = matching_ids(store.engine, opts.query, where)
            except EmptyQuery:
                raise UsageError(f"--query: nothing to search for in {opts.query!r}") from None
            records, what = store.records_by_id(ids), "articles"
            fields, list_fields = RECORD_FIELDS, LIST_FIELDS
        else:
            records, what = store.iter_records(where), "articles"
            fields, list_fields = RECORD_FIELDS, LIST_FIELDS
        try:
            if opts.output == "-":
                rows = RecordWriter(sys.stdout, fmt, fields, list_fields).write_all(records)
                sys.stdout.flush()  # a closed pipe fails here, inside the error report, not at exit
            else:
                with AtomicFile(opts.output) as target:  # no .part copy left when it fails
                    rows = RecordWriter(target.stream, fmt, fields, list_fields).write_all(records)
        finally:
            store.engine.dispose()
        print(f"Exported {rows} {what} from {redact(url)} to {opts.output}", file=sys.stderr)


def refuse_directory(output: str) -> None:
    """``-o DIR/`` or ``-o DIR``: the rename at the end would fail after the whole export."""
    if output.endswith(("/", os.sep)) or Path(output).is_dir():
        raise IsADirectoryError(
            errno.EISDIR, os.strerror(errno.EISDIR), output.rstrip("/" + os.sep) or output
        )
