"""``scrapy reextract [--spider NAME] [--since DATE_OR_DURATION] [ARCHIVE...]``

Runs extraction and every pipeline stage again over archived article pages, with
no network, and revises the stored articles in place: only the fields that
changed are written, revision + 1 once, the near-duplicate keys and the story
follow (crawler/store/writer.py, ``revise``). Then it prints what changed, per
field ("published_at: 312 changed").

Which pages: every response record of the archive whose kind is ``article``
(crawler/archive/source.py), answered 2xx, the latest per URL (a page fetched on
three runs is extracted once, from its last copy); ``--since`` keeps records
fetched at or after a date (``2025-01-01``, ISO 8601) or within a duration
(``7d``, ``12h``, ``90m``, ``2w``). ARCHIVE: WARC files or folders of them; none:
every file under ``ARCHIVE_DIR/<spider>/`` (``--spider``), or under every
spider's folder. Each page is extracted with the profile of the spider whose
archive holds it (its folder), else of its host.

Changed articles take their place in the store's change order, so the next run
feed of their site has them (no feed is written here). A damaged record is
skipped, counted, and logged with its file and offset; a file that cannot be
read past a point ends there and the next file goes on.

Exit status, as ``scrapy crawl``'s: 0 done and nothing failed; 1 could not
start or did not finish; 2 a usage error (an archive that does not exist, a bad
``--since``); 3 done, but something failed (damaged records skipped, articles
the store refused).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from crawler.archive.records import ArchivedResponse
from crawler.archive.source import (
    ArchivedRef,
    ArchiveReading,
    PageRouter,
    ReextractSpider,
    warc_files,
)
from crawler.commands import TOOL_SETTINGS, apply_defaults
from crawler.commands.crawl import default_log_file
from crawler.commands.errors import reported_errors
from crawler.profiles import PROFILES
from crawler.runs.outcome import judge
from crawler.store.db import check_database, database_url
from crawler.text.dates import parse_date
from crawler.text.urls import canonical_url, is_http_url

EXIT_NOT_FINISHED = 1
EXIT_USAGE = 2
EXIT_SOMETHING_FAILED = 3
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
# The order outcomes are printed in.
OUTCOMES = ("updated", "unchanged", "new", "duplicate", "near_duplicate")
SHOWN_DAMAGE = 10  # damaged places printed in the report (all of them are in the log)


def since_option(value: str | None, now: datetime) -> datetime | None:
    """``--since``: a date or instant (UTC unless it says), or a duration back from now."""
    if value is None:
        return None
    duration = _DURATION.match(value)
    if duration:
        amount, unit = float(duration.group(1)), duration.group(2)
        return now - timedelta(**{_UNITS[unit]: amount})
    try:
        parsed: datetime | None = datetime.fromisoformat(value.strip())
    except ValueError:
        parsed = parse_date(value)  # the dates a page prints, for whoever copies one from a record
    if parsed is None:
        raise UsageError(f"--since: not a date or duration: {value!r} (e.g. 2025-01-01, 7d, 12h)")
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def spider_of(file: Path, archive_dir: Path) -> str:
    """The spider whose archive holds ``file``: its folder's name (``archive/<spider>/``), if a spider's."""
    folder = file.parent.name
    if folder in PROFILES or folder.startswith("news_"):
        return folder
    return ""


@dataclass
class Selection:
    """The pages to re-extract: the latest usable record per URL, and what was passed over."""

    latest: dict[str, ArchivedRef] = field(default_factory=dict)
    skipped: Counter[str] = field(default_factory=Counter)
    records: int = 0

    def offer(self, archived: ArchivedResponse, order: int, why_not: str) -> None:
        self.records += 1
        if why_not:
            self.skipped[why_not] += 1
            return
        url = archived.requested_url or archived.url
        key = canonical_url(url) if is_http_url(url) else url
        ref = ArchivedRef.of(archived, order)
        known = self.latest.get(key)
        if known is None or ref.newness >= known.newness:
            if known is not None:
                self.skipped["older_copy"] += 1
            self.latest[key] = ref
        else:
            self.skipped["older_copy"] += 1

    def by_file(self) -> dict[str, set[int]]:
        offsets: dict[str, set[int]] = {}
        for ref in self.latest.values():
            offsets.setdefault(ref.record.file, set()).add(ref.record.offset)
        return offsets


def select_pages(
    files: list[Path], router: PageRouter, since: datetime | None, reading: ArchiveReading
) -> Selection:
    """Read every file once (bodies dropped at once) and choose the record of each article page."""
    selection = Selection()
    order = 0
    for file in files:
        for archived in reading.responses(file):
            order += 1
            why_not = router.skip_reason(archived)
            if (
                not why_not
                and since is not None
                and (archived.fetched_at is None or archived.fetched_at < since)
            ):
                why_not = "before_since"
            selection.offer(archived, order, why_not)
    return selection


def chosen_responses(
    files: list[Path], selection: Selection, reading: ArchiveReading
) -> Iterator[ArchivedResponse]:
    """The chosen records, read again file by file, in the order they were written."""
    wanted = selection.by_file()
    for file in files:
        offsets = wanted.get(str(file))
        if not offsets:
            continue
        urls = {ref.record.url for ref in selection.latest.values() if ref.record.file == str(file)}
        for archived in reading.responses(file, keep_url=urls.__contains__):
            if archived.offset in offsets:
                yield archived


def counted(stats: dict[str, Any], prefix: str) -> Counter[str]:
    """The counts of the stats under ``prefix``, by the rest of their name."""
    return Counter(
        {key.removeprefix(prefix): int(n) for key, n in stats.items() if key.startswith(prefix) and n}
    )


def report_lines(stats: dict[str, Any], pages: int, files: int, reading: ArchiveReading) -> list[str]:
    """What changed, per field, and what happened to each page."""
    count = counted(stats, "reextract/articles/")
    failed = int(stats.get("pages/failed", 0) or 0)
    outcomes = ", ".join(f"{count.get(outcome, 0)} {outcome.replace('_', '-')}" for outcome in OUTCOMES)
    lines = [
        f"Re-extracted {pages} archived article page{'s' if pages != 1 else ''} "
        f"from {files} file{'s' if files != 1 else ''}: {outcomes}; {failed} gave no article"
    ]
    changed = counted(stats, "reextract/changed/")
    for name, n in sorted(changed.items(), key=lambda pair: (-pair[1], pair[0])):
        lines.append(f"  {name}: {n} changed")
    reasons = counted(stats, "pages/failed/")
    if reasons:
        shown = ", ".join(f"{reason} {n}" for reason, n in reasons.most_common())
        lines.append(f"  no article: {shown}")
    for damage in reading.damaged[:SHOWN_DAMAGE]:
        lines.append(f"  skipped: {damage.file} at offset {damage.offset}: {damage.reason}")
    if len(reading.damaged) > SHOWN_DAMAGE:
        lines.append(f"  skipped: {len(reading.damaged) - SHOWN_DAMAGE} more damaged places (see the log)")
    return lines


class Command(ScrapyCommand):
    requires_project = True
    # A replay (crawler/commands/__init__.py): nothing is fetched, so no robots.txt either,
    # and no wall-clock limit on a long archive.
    reextract_settings: ClassVar[dict[str, Any]] = {
        **TOOL_SETTINGS,
        "ROBOTSTXT_OBEY": False,
        "CLOSESPIDER_TIMEOUT": 0,
    }

    def syntax(self) -> str:
        return "[options] [ARCHIVE...]"

    def short_desc(self) -> str:
        return "Extract archived article pages again (no network) and revise the stored articles"

    def long_desc(self) -> str:
        return (
            "Run extraction and every pipeline stage again over the archived article pages (the latest "
            "copy of each URL) of ARCHIVE files or folders (default: ARCHIVE_DIR/<spider>/), update the "
            "stored articles where a field changed, and print what changed per field. Exits 0 when "
            "done, 1 when it could not start or finish, 2 on a usage error, 3 when records were "
            "damaged or articles could not be stored."
        )

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument(
            "--spider", default=None, help="only this spider's archive (its profile extracts)"
        )
        parser.add_argument(
            "--since",
            default=None,
            help="only records fetched since a date (2025-01-01) or for a duration (7d, 12h)",
        )

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None
        settings = self.settings
        apply_defaults(settings, self.reextract_settings)
        super().process_options(args, opts)
        # as scrapy crawl: the log goes to a file of its own (LOG_DIR), the terminal shows
        # the progress line and what went wrong, and the report is printed at the end
        if not settings.get("LOG_FILE") and settings.get("LOG_DIR") and settings.getbool("LOG_ENABLED"):
            path = default_log_file(
                Path(settings["LOG_DIR"]),
                "reextract",
                settings.getfloat("LOG_KEEP_DAYS", 14),
                datetime.now(UTC),
            )
            settings.set("LOG_FILE", str(path), priority="cmdline")
            settings.set("LOG_LEVEL", "INFO", priority="cmdline")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        with reported_errors(self, "reextract"):
            try:
                self.reextract(args, opts)
            except UsageError as error:
                # one line, as scrapy crawl's bad arguments: the usage banner would bury it
                print(f"scrapy reextract: error: {error}", file=sys.stderr)
                self.exitcode = EXIT_USAGE

    def archive_files(self, args: list[str], spider: str | None) -> tuple[list[Path], dict[str, str]]:
        """The files to read, in order, and the spider of each (by its folder, or ``--spider``)."""
        assert self.settings is not None
        archive_dir = Path(self.settings.get("ARCHIVE_DIR") or "archive")
        if args:
            roots = [Path(arg) for arg in args]
            for root in roots:
                if not root.exists():
                    raise UsageError(f"no such archive: {root}")
        elif spider:
            roots = [archive_dir / spider]
            if not roots[0].is_dir():
                raise UsageError(f"no archive of {spider}: {roots[0]} does not exist")
        else:
            if not archive_dir.is_dir():
                raise UsageError(f"no archive: {archive_dir} does not exist (ARCHIVE_DIR)")
            roots = sorted(path for path in archive_dir.iterdir() if path.is_dir())
        files: list[Path] = []
        for root in roots:
            files += [file for file in warc_files(root) if file not in files]
        spiders = {str(file): spider or spider_of(file, archive_dir) for file in files}
        return files, spiders

    def reextract(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None
        assert self.crawler_process is not None
        if opts.spider and opts.spider not in PROFILES and not opts.spider.startswith("news_"):
            raise UsageError(
                f"--spider: no spider named {opts.spider!r}; known: {', '.join(sorted(PROFILES))}",
                print_help=False,
            )
        since = since_option(opts.since, datetime.now(UTC))
        files, spiders = self.archive_files(args, opts.spider)
        if not files:
            print("scrapy reextract: no WARC file to read in the archive given", file=sys.stderr)
            self.exitcode = EXIT_NOT_FINISHED
            return
        check_database(database_url(self.settings))
        router = PageRouter(opts.spider, {name: spider for name, spider in spiders.items() if spider})
        reading = ArchiveReading()
        selection = select_pages(files, router, since, reading)
        crawler = self.crawler_process.create_crawler(ReextractSpider)
        self.crawler_process.crawl(
            crawler,
            responses=chosen_responses(files, selection, reading),
            spider=opts.spider,
            file_spiders=router.file_spiders,
        )
        self.crawler_process.start()
        stats = crawler.stats.get_stats() if crawler.stats else {}
        outcome = judge(stats, "reextract")
        lines = report_lines(stats, len(selection.latest), len(files), reading)
        print("\n".join(lines), flush=True)
        if self.crawler_process.bootstrap_failed or not outcome.finished:
            self.exitcode = EXIT_NOT_FINISHED
        elif outcome.problems or reading.stats:
            self.exitcode = EXIT_SOMETHING_FAILED
        for problem in outcome.problems:
            print(f"reextract: {problem}", file=sys.stderr)
