"""``scrapy export -o FILE [--format csv|jsonl] [--since DATE] [--until DATE] [--site NAME] [--source NAME]``

Writes the stored articles, one per row (CSV) or line (JSON lines), streaming
from the database: memory stays flat whatever the number of rows. The file is
written under a temporary name and renamed when complete. ``-o -`` writes to
stdout.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from crawler.exporters import AtomicFile, RecordWriter
from crawler.store import ArticleStore, ExportFilter, database_url, make_engine, redact
from pipelines.dates import parse_date


def _date_option(value: str | None, name: str) -> datetime | None:
    if value is None:
        return None
    parsed = parse_date(value)
    if parsed is None:
        raise UsageError(f"--{name}: not a date: {value!r} (use YYYY-MM-DD or ISO 8601)")
    return parsed.astimezone(UTC)


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

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if args:
            raise UsageError(f"unexpected arguments: {' '.join(args)}")
        fmt = opts.format or ("jsonl" if opts.output.endswith((".jsonl", ".json")) else "csv")
        where = ExportFilter(
            since=_date_option(opts.since, "since"),
            until=_date_option(opts.until, "until"),
            site=opts.site,
            source=opts.source,
        )
        url = database_url(self.settings)
        store = ArticleStore(make_engine(url))
        store.prepare()
        try:
            if opts.output == "-":
                rows = RecordWriter(sys.stdout, fmt).write_all(store.iter_records(where))
            else:
                with AtomicFile(opts.output) as target:
                    rows = RecordWriter(target.stream, fmt).write_all(store.iter_records(where))
        finally:
            store.engine.dispose()
        print(f"Exported {rows} articles from {redact(url)} to {opts.output}", file=sys.stderr)
