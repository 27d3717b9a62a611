"""``scrapy runs [--spider NAME] [--limit N]``: the recent crawl runs, newest first, as a table.

The ``archive`` column is the size of the run's web archive (all its WARC
files, crawler/extensions/archive.py): recorded when the run closed, read from
the files for a run still running or killed, ``-`` for a run without one. The
last column says what went wrong with a failed run, in the words the run
printed (``crawl_runs.outcome``: crawler/runs/outcome.py): its first problem,
and how many more there were.
"""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path

from scrapy.commands import ScrapyCommand
from sqlalchemy import select

from crawler.archive.writer import archive_files
from crawler.commands.errors import reported_errors
from crawler.extensions.archive import human_size
from crawler.store import ArticleStore, database_url, make_engine
from crawler.store.db import require_existing_database
from crawler.store.models import CrawlRunRow

COLUMNS = (
    "id",
    "spider",
    "status",
    "started (UTC)",
    "took",
    "pages",
    "new",
    "upd",
    "dup",
    "err",
    "drop",
    "archive",
    "monitors",
    "outcome",
)


def _took(started: datetime, finished: datetime | None) -> str:
    if finished is None:
        return "-"
    seconds = int((finished - started).total_seconds())
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def row_cells(run: CrawlRunRow) -> tuple[str, ...]:
    return (
        str(run.id),
        run.spider,
        run.status,
        run.started_at.strftime("%Y-%m-%d %H:%M:%S"),
        _took(run.started_at, run.finished_at),
        str(run.pages_fetched),
        str(run.articles_new),
        str(run.articles_updated),
        str(run.articles_duplicate),
        str(sum(run.errors.values())),
        str(sum(run.dropped.values())),
        archive_cell(run),
        ", ".join(run.monitors_failed) or "ok",
        outcome_cell(run.outcome),
    )


def archive_cell(run: CrawlRunRow) -> str:
    """The archive's size; a run that did not close (running, killed) has none recorded: its files say."""
    if not run.archive_path:
        return "-"
    size = run.archive_bytes
    if not size and run.status in ("running", "killed"):
        size = sum(_size(path) for path in archive_files(run.archive_path))
    return human_size(size)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:  # gone since it was listed
        return 0


def outcome_cell(outcome: str) -> str:
    problems = [line for line in (outcome or "").splitlines() if line.strip()]
    if not problems:
        return ""
    more = f" (+{len(problems) - 1} more)" if len(problems) > 1 else ""
    return problems[0] + more


def table(rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(cell) for cell in column) for column in zip(COLUMNS, *rows, strict=False)]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        for row in [COLUMNS, *rows]
    ]
    return "\n".join(line.rstrip() for line in lines)


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False

    def short_desc(self) -> str:
        return "List recent crawl runs (status, counts, failed monitors)"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--spider", help="only runs of this spider")
        parser.add_argument("--limit", type=int, default=20, help="how many runs (default 20)")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        with reported_errors(self, "runs"):
            self.list_runs(opts)

    def list_runs(self, opts: argparse.Namespace) -> None:
        """The table; a database that does not exist is refused, not created empty."""
        url = database_url(self.settings)
        require_existing_database(url)
        store = ArticleStore(make_engine(url)).prepare()
        try:
            with store.sessions() as session:
                query = select(CrawlRunRow).order_by(CrawlRunRow.id.desc()).limit(opts.limit)
                if opts.spider:
                    query = query.where(CrawlRunRow.spider == opts.spider)
                runs = list(session.scalars(query))
        finally:
            store.engine.dispose()
        print(table([row_cells(run) for run in runs]))
