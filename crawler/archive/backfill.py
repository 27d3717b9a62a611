"""Backfill from Common Crawl News (or any WARC): scan, keep, replay, resume.

``scrapy backfill`` (crawler/commands/backfill.py) runs :class:`BackfillSpider`, an
:class:`~crawler.archive.source.ArchiveSpider`: its kept records go through
``parse_article`` with each page's profile, every pipeline stage, dedup and the
store, exactly as pages of a crawl.

* **Which records.** :class:`Scope` decides on the ``WARC-Target-URI`` alone,
  before FastWARC parses the HTTP block (crawler/archive/scan.py): a host of a
  profiled site (or of one, ``--spider``) and a URL that is an article of it; with
  ``--generic``, also any other host's article-shaped URL, whose page must then
  hold Arabic text (a byte count, before any parsing) and, once extracted, be Arabic
  and reach the relevance floor (:class:`GenericGate`).
* **Lazily, in a thread.** The scan runs on a worker thread, in batches the
  spider's ``start()`` awaits, and no more than ``BACKFILL_MAX_PENDING`` kept
  records are in flight: a file of any size takes the memory of that many pages.
* **Resumable.** Each file has a row in ``backfill_files`` (:class:`Ledger`). Its
  ``next_offset`` moves only past records whose articles are stored (the store
  stage's item is done: ``item_scraped``), never past one the store refused; a
  backfill killed at any point goes on from there, and the few records read twice
  are found stored. A ``done`` file is skipped by later backfills (``--again``
  reads it again: every page is found stored, nothing new is stored).
* **Gaps only.** A page whose canonical URL the store holds is not extracted again
  (``backfill/records/skipped/stored``): an archive's copy may be older than the stored
  article, which a crawl may have fetched since it was edited.
* **Shared.** With Redis, files are units of work in a reliable queue
  (crawler/archive/shared.py); a process that dies leaves its file to another,
  which goes on from its recorded offset.
* **Bad input.** A damaged record is counted (``backfill/records/corrupt``) and
  logged with its file and offset; a file that cannot be read further (a gzip
  member that does not inflate, a URL that cannot be fetched) ends there, is
  recorded with its offset and reason, and the next file goes on; the run then
  fails with one line saying so (exit status 3). A file that could not be had is
  ``failed`` and read again by the next backfill; one whose bytes are wrong is
  ``damaged`` and skipped with a warning until its size changes or ``--again``.
"""

from __future__ import annotations

import hashlib
import logging
import os
import socket
import time
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar
from urllib.parse import urlsplit

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy.settings import BaseSettings
from scrapy.utils.defer import maybe_deferred_to_future
from sqlalchemy import select
from twisted.internet import task
from twisted.internet.defer import Deferred
from twisted.internet.threads import deferToThread

from crawler.archive.records import ArchivedResponse
from crawler.archive.replay import ARCHIVED_META
from crawler.archive.scan import Damage, ScanStopped, UnreadableWarc, WarcScanner, open_source
from crawler.archive.shared import SharedQueue, backfill_id
from crawler.archive.source import ArchiveSpider
from crawler.extensions.console import Console
from crawler.items import PageItem, StoreOutcome
from crawler.lens.relevance import DEFAULT_MIN_RELEVANCE
from crawler.profiles import PROFILES, SiteProfile, get_profile
from crawler.store import ArticleStore
from crawler.store.crawl import crawl_store
from crawler.store.models import BackfillFileRow
from crawler.text.urls import canonical_url, looks_like_article
from pipelines.base import PageStage
from pipelines.lens import min_relevance

logger = logging.getLogger(__name__)

T = TypeVar("T")

# The name under which a generic backfill's gate reports (crawl stats, monitors).
FILES_MONITOR = "backfill/files"
# A page counts as Arabic text for --generic, before any parsing, when its bytes hold at
# least this many UTF-8 Arabic letters (lead bytes 0xD8-0xDB): a short Arabic menu on an
# English page does not reach it, an Arabic article's body does many times over.
MIN_ARABIC_LETTERS = 300
_ARABIC_LEADS = (b"\xd8", b"\xd9", b"\xda", b"\xdb")
_ARABIC_CHARSETS = ("windows-1256", "cp1256", "iso-8859-6")
_HTML_TYPES = (b"text/html", b"application/xhtml")


# -- which records ----------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """Which records a backfill keeps: the profiled sites' articles, and with ``generic``
    any Arabic article page (judged after extraction: :class:`GenericGate`)."""

    profiles: tuple[SiteProfile, ...]
    generic: bool = False
    _hosts: dict[str, SiteProfile] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for profile in self.profiles:
            for domain in profile.domains:
                self._hosts.setdefault(domain.lower(), profile)

    @classmethod
    def of(cls, spider: str | None = None, generic: bool = False) -> Scope:
        """Every registered profile, or the one named (an unknown name raises KeyError)."""
        profiles = (get_profile(spider),) if spider else tuple(PROFILES[name] for name in sorted(PROFILES))
        return cls(profiles, generic)

    @property
    def key(self) -> str:
        """The scope's name in ``backfill_files`` and the shared queue: a file read for other
        sites (a profile added since) is not done for this scope."""
        names = ",".join(sorted(profile.name for profile in self.profiles))
        return f"sites:{names}" + ("+generic" if self.generic else "")

    def profile_of_host(self, host: str) -> SiteProfile | None:
        """The profile whose domains hold ``host`` (itself or a parent domain)."""
        hosts = self._hosts
        while host:
            profile = hosts.get(host)
            if profile is not None:
                return profile
            _, dot, host = host.partition(".")
            if not dot:
                return None
        return None

    def keep_url(self, url: str) -> bool:
        """Asked for every record on its target URI alone, before anything else is parsed."""
        try:
            parts = urlsplit(url)
            host = (parts.hostname or "").lower()
        except ValueError:
            return False
        if parts.scheme not in ("http", "https") or not host:
            return False
        profile = self.profile_of_host(host)
        if profile is not None:
            return bool(profile.article_path.match(parts.path))
        return self.generic and looks_like_article(url)

    def is_profiled(self, site: str) -> bool:
        return any(profile.name == site for profile in self.profiles)


def looks_arabic(archived: ArchivedResponse) -> bool:
    """Enough Arabic letters in the raw bytes to be worth extracting (``--generic``)."""
    content_type = (archived.header(b"content-type") or b"").lower()
    if any(name.encode() in content_type for name in _ARABIC_CHARSETS):
        return True
    body = archived.body
    return sum(body.count(lead) for lead in _ARABIC_LEADS) >= MIN_ARABIC_LETTERS


def backfill_name(sources: Sequence[str], scope: Scope, again: bool) -> str:
    """The shared backfill these arguments make, the same on every machine (its Redis keys, the
    run key its processes' run records share)."""
    return backfill_id(sources, scope.key + (":again" if again else ""))


def source_key(scope: str, source: str) -> str:
    return hashlib.sha256(f"{scope}\n{source}".encode()).hexdigest()


# -- the progress table -------------------------------------------------------------------


@dataclass
class Checkpoint:
    """What is done in a file: every record before ``offset``, with these counts."""

    offset: int
    scanned: int
    kept: int


def current_size(source: str) -> int | None:
    """A local file's size now (None for a URL, or a file gone): has it changed since?"""
    if source.startswith(("http://", "https://")):
        return None
    try:
        return os.path.getsize(source)
    except OSError:
        return None


class Ledger:
    """``backfill_files``: where each file of a backfill stands (crawler/store/models.py)."""

    def __init__(self, store: ArticleStore, scope: str, worker: str) -> None:
        self.store = store
        self.scope = scope
        self.worker = worker
        self.prepared = False

    def _prepare(self) -> None:
        if not self.prepared:
            self.store.prepare()
            self.prepared = True

    def get(self, source: str) -> BackfillFileRow | None:
        self._prepare()
        with self.store.writing() as session:
            return session.get(BackfillFileRow, source_key(self.scope, source))

    def open(self, source: str, now: datetime, again_since: datetime | None) -> BackfillFileRow | str:
        """The file's row, made or taken over by this process; or why it is not read: its
        state, "done" (backfilled already) or "damaged" (its bytes are wrong at its offset,
        and it has not changed since: reading it again would fail there again, every run).

        ``again_since``: a file finished before then is read again from its start (``--again``).
        A failed file is read again from where it stopped, and so is a damaged one whose
        size changed (a download completed or replaced).
        """
        self._prepare()
        with self.store.writing() as session:
            key = source_key(self.scope, source)
            row = session.get(BackfillFileRow, key)
            if row is None:
                row = BackfillFileRow(
                    key=key,
                    source=source,
                    scope=self.scope,
                    state="running",
                    next_offset=0,
                    records_scanned=0,
                    records_kept=0,
                    records_damaged=0,
                    articles_new=0,
                    error="",
                    worker=self.worker,
                    started_at=now,
                    updated_at=now,
                )
                session.add(row)
                return row
            finished = row.finished_at
            again = again_since is not None and (finished is None or finished < again_since)
            if row.state == "done" and not again:
                return row.state
            if row.state == "damaged" and not again:
                if current_size(source) in (None, row.size):
                    return row.state
                again = True  # another file under the same name: its offsets are not the old ones
            if row.state in ("done", "failed", "damaged") and again:
                row.next_offset = 0
                row.records_scanned = row.records_kept = row.records_damaged = row.articles_new = 0
                row.started_at = now
            row.state = "running"
            row.error = ""
            row.error_offset = None
            row.finished_at = None
            row.worker = self.worker
            row.updated_at = now
            return row

    def save(
        self,
        source: str,
        point: Checkpoint,
        *,
        size: int | None,
        damaged: int,
        articles_new: int,
        now: datetime,
        state: str = "running",
        error: str = "",
        error_offset: int | None = None,
    ) -> None:
        with self.store.writing() as session:
            row = session.get(BackfillFileRow, source_key(self.scope, source))
            if row is None:
                return
            row.next_offset = point.offset
            row.records_scanned = point.scanned
            row.records_kept = point.kept
            row.records_damaged = damaged
            row.articles_new = articles_new
            row.size = size if size is not None else row.size
            row.state = state
            row.error = error
            row.error_offset = error_offset
            row.updated_at = now
            if state != "running":
                row.finished_at = now

    def rows(self) -> list[BackfillFileRow]:
        """Every file of this scope, for reports."""
        self._prepare()
        with self.store.writing() as session:
            return list(session.scalars(select(BackfillFileRow).where(BackfillFileRow.scope == self.scope)))


# -- one file in flight ---------------------------------------------------------------------


@dataclass
class FileRun:
    """One WARC file being read: its scanner, its records in flight, its counts."""

    source: str
    scanner: WarcScanner
    base: Checkpoint  # what earlier processes did (the row's counts, at ``scanner.start``)
    base_damaged: int = 0
    base_new: int = 0
    # kept records handed to Scrapy and not done, by offset: the counts before each
    outstanding: dict[int, Checkpoint] = field(default_factory=dict)
    failed: dict[int, Checkpoint] = field(default_factory=dict)  # the store refused their articles
    batch_first: Checkpoint | None = None  # the first kept record of the batch the thread is reading
    kept_seen: int = 0  # kept records the scanner yielded
    scanned_reported: int = 0  # of scanner.scanned, in the crawl stats
    last_kept_offset: int = -1
    damaged: int = 0
    new_by_offset: dict[int, int] = field(default_factory=dict)  # new articles of records done
    scan_end: str | UnreadableWarc | None = None  # "eof", "stopped", or why the file stopped
    finished: bool = False
    saved: Checkpoint | None = None

    @property
    def scanning(self) -> bool:
        return self.scan_end is None

    def new_before(self, offset: int) -> int:
        """New articles of the file's records before ``offset``, this process's and earlier ones'."""
        return self.base_new + sum(new for at, new in self.new_by_offset.items() if at < offset)

    def done_point(self) -> Checkpoint:
        """Every record before the returned offset is processed (absolute counts)."""
        candidates = [*self.outstanding.values(), *self.failed.values()]
        if self.batch_first is not None:
            candidates.append(self.batch_first)
        if candidates:
            point = min(candidates, key=lambda c: c.offset)
        elif self.scan_end == "eof":
            end = self.scanner.source.size or self.scanner.position
            point = Checkpoint(end, self.scanner.scanned, self.kept_seen)
        else:
            offset, scanned_before = self.scanner.mark
            if offset < 0:
                return self.base
            kept = self.kept_seen - (1 if self.last_kept_offset == offset else 0)
            point = Checkpoint(offset, scanned_before, kept)
        return Checkpoint(point.offset, self.base.scanned + point.scanned, self.base.kept + point.kept)


# -- the spider ---------------------------------------------------------------------------------


@dataclass
class Batch:
    events: list[tuple[ArchivedResponse | Damage, Checkpoint | None]]
    end: str | UnreadableWarc | None


class BackfillSpider(ArchiveSpider):
    """Reads WARC files (paths or URLs), one after the other, and replays their kept records."""

    name = "backfill"

    @classmethod
    def update_settings(cls, settings: BaseSettings) -> None:
        super().update_settings(settings)
        # its own progress line (files, records, MB/s) in place of the crawl's
        extensions = dict(settings.getdict("EXTENSIONS"))
        if extensions.pop("crawler.extensions.console.Console", None) is not None:
            extensions["crawler.archive.backfill.BackfillConsole"] = 500
            settings.set("EXTENSIONS", extensions, priority="spider")

    def __init__(
        self,
        sources: Sequence[str] = (),
        scope: Scope | None = None,
        again: bool = False,
        redis_url: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(responses=(), spider=None, **kwargs)
        self.scope = scope or Scope.of()
        self.sources = list(dict.fromkeys(sources))  # once each, in the order given
        self.again = again
        self.redis_url = redis_url
        self.runs: dict[str, FileRun] = {}
        self.pending = 0
        self.room: Deferred[None] | None = None
        self.idle_files: Deferred[None] | None = None
        self.current: FileRun | None = None
        self.stopping = False
        self.started = time.monotonic()
        self.bytes_done = 0  # compressed bytes read from files no longer in flight
        self.files_done = 0
        self.files_failed = 0
        self.failures: list[str] = []
        self.queue: SharedQueue | None = None
        self.handing_back: list[Deferred[None]] = []  # files leaving this process's in-flight list
        self.loop: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> BackfillSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(spider.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(spider.item_error, signal=signals.item_error)
        crawler.signals.connect(spider.backfill_closed, signal=signals.spider_closed)
        return spider

    # -- settings -----------------------------------------------------------------------------

    @property
    def max_pending(self) -> int:
        return max(1, self.crawler.settings.getint("BACKFILL_MAX_PENDING", 64))

    @property
    def worker(self) -> str:
        return f"{socket.gethostname()}-{os.getpid()}"

    # -- the files ----------------------------------------------------------------------------

    async def start(self) -> AsyncIterator[Request]:
        settings, stats = self.crawler.settings, self.crawler.stats
        store = crawl_store(self.crawler)
        self.progress_table = Ledger(store, self.scope.key, self.worker)
        self.again_since = datetime.now(UTC) if self.again else None
        for key in ("files/done", "files/failed", "files/skipped_done", "records/scanned", "records/kept"):
            stats.set_value(f"backfill/{key}", 0)
        stats.set_value("backfill/files/total", len(self.sources))
        if self.redis_url:
            self.queue = SharedQueue(
                self.redis_url,
                self.shared_name(),
                heartbeat=settings.getfloat("DISTRIBUTED_HEARTBEAT", 5.0),
                timeout=settings.getfloat("DISTRIBUTED_REDIS_TIMEOUT", 60.0),
            )
            now = datetime.now(UTC).isoformat()
            if await self.in_thread(lambda: self.queue.seed(self.sources, now) if self.queue else False):
                logger.info(
                    "Backfill queue %s seeded with %d files", self.queue.description, len(self.sources)
                )
            else:
                logger.info("Joining the backfill in %s", self.queue.description)
            if self.again:
                # --again reads what was finished before the shared backfill began, by any process
                started = await self.in_thread(self.queue.started)
                self.again_since = datetime.fromisoformat(started) if started else self.again_since
        self.loop = task.LoopingCall(self.tick)
        self.loop.start(settings.getfloat("BACKFILL_CHECKPOINT_SECONDS", 5.0), now=False)
        while not self.stopping:
            await self.files_finished(at_most=1)
            source = await self.next_source()
            if source is None:
                break
            run = self.open_file(source)
            if run is None:
                continue
            async for request in self.read_file(run):
                yield request
            self.scan_ended(run)
        await self.files_finished()

    def shared_name(self) -> str:
        return backfill_name(self.sources, self.scope, self.again)

    async def next_source(self) -> str | None:
        queue = self.queue
        if queue is None:
            return self.sources.pop(0) if self.sources else None
        interval = self.crawler.settings.getfloat("DISTRIBUTED_HEARTBEAT", 5.0)
        while not self.stopping:
            source = await self.in_thread(queue.take)
            if source is not None:
                return source
            await self.files_finished()  # this process's files first: they count as "held"
            while self.handing_back:
                await maybe_deferred_to_future(self.handing_back.pop())
            if not await self.in_thread(queue.others_busy):
                return None
            # another process holds a file: it may die, and its file come back to the queue
            await maybe_deferred_to_future(self.sleep(interval))
        return None

    def sleep(self, seconds: float) -> Deferred[None]:
        from twisted.internet import reactor

        return task.deferLater(reactor, seconds, lambda: None)

    async def in_thread(self, call: Callable[[], T]) -> T:
        result: T = await maybe_deferred_to_future(deferToThread(call))
        return result

    def open_file(self, source: str) -> FileRun | None:
        """The file's run from where earlier backfills left it; None when it is done already."""
        stats = self.crawler.stats
        row = self.progress_table.open(source, datetime.now(UTC), self.again_since)
        if isinstance(row, str):
            stats.inc_value(f"backfill/files/skipped_{row}")
            if row == "damaged":  # reported when found (exit status 3); said again, not failed again
                logger.warning(
                    "Skipping %s: damaged where an earlier backfill stopped, and unchanged since"
                    " (--again reads it again)",
                    source,
                )
            else:
                logger.info("Skipping %s: backfilled already (--again reads it again)", source)
            self.hand_back(source)
            return None
        settings = self.crawler.settings
        scanner = WarcScanner(
            open_source(source, settings.get("USER_AGENT", "")),
            self.scope.keep_url,
            start=row.next_offset,
            max_record_bytes=settings.getint("DOWNLOAD_MAXSIZE", 0),
            backoff=settings.getfloat("BACKFILL_RETRY_SECONDS", 2.0),
        )
        if row.next_offset:
            logger.info("Resuming %s at offset %d", source, row.next_offset)
            stats.inc_value("backfill/files/resumed")
        run = FileRun(
            source,
            scanner,
            base=Checkpoint(row.next_offset, row.records_scanned, row.records_kept),
            base_damaged=row.records_damaged,
            base_new=row.articles_new,
        )
        self.runs[source] = run
        self.current = run
        return run

    async def read_file(self, run: FileRun) -> AsyncIterator[Request]:
        stats = self.crawler.stats
        records = iter(run.scanner)
        while not self.stopping:
            await self.wait_for_room()
            room = max(1, self.max_pending - self.pending)
            batch = await self.in_thread(lambda room=room: self.pull(records, run, room))  # type: ignore[misc]
            scanned = run.scanner.scanned
            stats.inc_value("backfill/records/scanned", scanned - run.scanned_reported)
            run.scanned_reported = scanned
            wanted: list[tuple[ArchivedResponse, Checkpoint]] = []
            for event, point in batch.events:
                if isinstance(event, Damage):
                    run.damaged += 1
                    stats.inc_value("backfill/records/corrupt")
                    logger.warning(
                        "Damaged record skipped in %s at offset %d: %s",
                        event.file,
                        event.offset,
                        event.reason,
                    )
                    continue
                assert point is not None
                stats.inc_value("backfill/records/kept")
                why_not = self.wants(event)
                if why_not:
                    stats.inc_value(f"backfill/records/skipped/{why_not}")
                    continue
                wanted.append((event, point))
            stored = self.stored([event.url for event, _ in wanted])
            for event, point in wanted:
                if canonical_url(event.url) in stored:
                    stats.inc_value("backfill/records/skipped/stored")
                    continue
                run.outstanding[event.offset] = point
                self.pending += 1
                yield self.request_for(event)
            run.batch_first = None  # its records are in ``outstanding`` now (or were skipped)
            if batch.end is not None:
                run.scan_end = batch.end
                return
        run.scan_end = "stopped"

    def pull(self, records: Iterator[ArchivedResponse | Damage], run: FileRun, room: int) -> Batch:
        """On the scan thread: records until ``room`` are kept, the file ends, or a little time passed."""
        events: list[tuple[ArchivedResponse | Damage, Checkpoint | None]] = []
        kept = 0
        deadline = time.monotonic() + 0.5
        try:
            for event in records:
                if isinstance(event, Damage):
                    events.append((event, None))
                else:
                    point = Checkpoint(event.offset, run.scanner.scanned - 1, run.kept_seen)
                    run.kept_seen += 1
                    run.last_kept_offset = event.offset
                    if run.batch_first is None:
                        run.batch_first = point
                    events.append((event, point))
                    kept += 1
                    if kept >= room:
                        return Batch(events, None)
                if self.stopping:
                    return Batch(events, "stopped")
                if time.monotonic() > deadline:
                    return Batch(events, None)
        except UnreadableWarc as error:
            return Batch(events, error)
        except ScanStopped:
            return Batch(events, "stopped")
        except Exception as error:  # a bug in reading must not hang the backfill: the file fails
            logger.exception("Reading %s failed", run.source)
            return Batch(
                events, UnreadableWarc(run.source, run.scanner.mark[0], f"{type(error).__name__}: {error}")
            )
        return Batch(events, "eof")

    def stored(self, urls: list[str]) -> set[str]:
        """Which of these pages' canonical URLs the store holds (as an article's URL or a copy's).

        A backfill fills gaps: a stored article, fetched live or backfilled before, is not
        replaced by a copy from an archive, which may be older than it (a page edited since).
        Re-extracting what is stored is ``scrapy reextract``'s work, on the project's own archive.
        """
        if not urls:
            return set()
        plan = self.known.plan([canonical_url(url) for url in urls], datetime.now(UTC))
        return {*plan.known, *plan.recheck, *plan.this_run}

    def wants(self, archived: ArchivedResponse) -> str:
        """Beyond the URL: an answered HTML page; for a generic host, one with Arabic text."""
        why_not = super().wants(archived)
        if why_not:
            return why_not
        content_type = (archived.header(b"content-type") or b"").lower()
        if content_type and not content_type.startswith(_HTML_TYPES):
            return "not_html"
        if (
            self.scope.generic
            and self.scope.profile_of_host(archived.host) is None
            and not looks_arabic(archived)
        ):
            return "not_arabic"
        return ""

    async def wait_for_room(self) -> None:
        while self.pending >= self.max_pending and not self.stopping:
            self.room = Deferred()
            await maybe_deferred_to_future(self.room)

    async def files_finished(self, at_most: int = 0) -> None:
        """Until no more than ``at_most`` files this process read are still to be recorded done or
        failed: one file may finish its last records while the next is scanned, no more (a process
        that took every file of a shared backfill at once would leave the others nothing)."""
        while sum(not run.finished for run in self.runs.values()) > at_most and not self.stopping:
            self.idle_files = Deferred()
            await maybe_deferred_to_future(self.idle_files)

    # -- records done: the only place the offset may move ---------------------------------------

    def run_of(self, response: Response | None) -> tuple[FileRun, ArchivedResponse] | None:
        if response is None:
            return None
        archived = response.meta.get(ARCHIVED_META)
        if not isinstance(archived, ArchivedResponse):
            return None
        run = self.runs.get(archived.file)
        return (run, archived) if run is not None else None

    def record_done(self, response: Response | None, *, refused: bool = False) -> None:
        found = self.run_of(response)
        if found is None:
            return
        run, archived = found
        point = run.outstanding.pop(archived.offset, None)
        if point is None:
            return
        if refused:
            run.failed[archived.offset] = point
        self.pending -= 1
        if self.room is not None and self.pending < self.max_pending:
            room, self.room = self.room, None
            room.callback(None)
        self.maybe_finish(run)

    async def parse_article(
        self, response: Response, record_url: str | None = None
    ) -> AsyncIterator[PageItem | Request]:
        """The page's item, or its record is done here (a page that gave no article)."""
        produced = False
        try:
            async for output in super().parse_article(response, record_url):
                if isinstance(output, PageItem):
                    produced = True
                    yield output
        finally:
            if not produced:
                self.record_done(response)

    def item_scraped(self, item: Any, response: Response | None, spider: Any = None) -> None:
        if isinstance(item, PageItem):
            found = self.run_of(response)
            if found is not None:
                run, archived = found
                new = sum(1 for article in item.articles if article.store_outcome is StoreOutcome.NEW)
                if new:
                    run.new_by_offset[archived.offset] = new
        self.record_done(response)

    def item_dropped(
        self, item: Any, response: Response | None, exception: BaseException, spider: Any = None
    ) -> None:
        # the store refused the page's articles (pipelines/store.py): the offset must stay before it
        self.record_done(response, refused=str(exception).startswith("store_error"))

    def item_error(
        self, item: Any, response: Response | None, spider: Any = None, failure: Any = None
    ) -> None:
        self.record_done(response)

    # -- checkpoints and the end of a file -----------------------------------------------------

    def maybe_finish(self, run: FileRun) -> None:
        if run.finished or run.scanning or run.outstanding:
            return
        run.finished = True
        stats, now = self.crawler.stats, datetime.now(UTC)
        end = run.scan_end
        if run is self.current:
            self.current = None
        self.bytes_done += run.scanner.bytes_read
        point = run.done_point()
        if end == "stopped":
            self.save(run, point, now)  # state stays "running": the next backfill goes on
        elif isinstance(end, UnreadableWarc) or run.failed:
            if isinstance(end, UnreadableWarc):
                reason, offset = end.reason, end.offset
            else:
                reason, offset = (
                    f"the store refused the articles of {len(run.failed)} record(s)",
                    point.offset,
                )
            self.files_failed += 1
            stats.inc_value("backfill/files/failed")
            logger.error("Backfill of %s stopped at offset %d: %s", run.source, offset, reason)
            self.failures.append(f"{run.source} at offset {offset}: {reason}")
            self.report_failures()
            state = "damaged" if isinstance(end, UnreadableWarc) and end.damaged else "failed"
            self.save(run, point, now, state=state, error=reason, error_offset=offset)
            self.release(run)
        else:
            self.files_done += 1
            stats.inc_value("backfill/files/done")
            logger.info(
                "Backfilled %s: %d records scanned, %d kept, %d new articles",
                run.source,
                point.scanned,
                point.kept,
                run.new_before(point.offset),
            )
            self.save(run, point, now, state="done")
            self.release(run)
        if self.idle_files is not None:  # its waiter counts again
            idle, self.idle_files = self.idle_files, None
            idle.callback(None)

    def release(self, run: FileRun) -> None:
        del self.runs[run.source]
        self.hand_back(run.source)

    def hand_back(self, source: str) -> None:
        """The file is recorded: out of this process's hands in the shared queue (on a thread:
        Redis may take its time to answer, the reactor must not wait for it)."""
        if self.queue is not None:
            handed: Deferred[None] = deferToThread(self.queue.finish, source)
            handed.addErrback(
                # Redis gone: the file stays held, is taken back by another process, found done
                lambda failure: logger.error(
                    "Could not hand %s back to the shared queue: %s", source, failure.getErrorMessage()
                )
            )
            self.handing_back.append(handed)

    def scan_ended(self, run: FileRun) -> None:
        self.maybe_finish(run)

    def save(self, run: FileRun, point: Checkpoint, now: datetime, **values: Any) -> None:
        """Record how far ``run`` is: ``point`` and the counts of the records before it."""
        try:
            self.progress_table.save(
                run.source,
                point,
                size=run.scanner.source.size,
                damaged=run.base_damaged + run.damaged,
                articles_new=run.new_before(point.offset),
                now=now,
                **values,
            )
            run.saved = point
        except Exception as error:  # the store refuses: the file is read again from its last checkpoint
            self.crawler.stats.inc_value("backfill/checkpoints_failed")
            logger.error("Could not record how far %s was read: %s", run.source, error)

    def tick(self) -> None:
        """Every BACKFILL_CHECKPOINT_SECONDS: each file's checkpoint, and the heartbeat."""
        now = datetime.now(UTC)
        for run in list(self.runs.values()):
            point = run.done_point()
            if point != run.saved:
                self.save(run, point, now)
        if self.queue is not None:
            deferToThread(self.queue.beat).addErrback(
                lambda failure: logger.error("Backfill heartbeat failed: %s", failure.getErrorMessage())
            )

    def report_failures(self) -> None:
        """The run fails with one line (crawler/runs/outcome.py reads monitors/failed)."""
        stats = self.crawler.stats
        failed = list(stats.get_value("monitors/failed") or [])
        if FILES_MONITOR not in failed:
            failed.append(FILES_MONITOR)
        stats.set_value("monitors/failed", failed)
        messages = dict(stats.get_value("monitors/messages") or {})
        first = self.failures[0]
        more = f" (and {len(self.failures) - 1} more)" if len(self.failures) > 1 else ""
        messages[FILES_MONITOR] = (
            f"{len(self.failures)} WARC file(s) could not be read to their end: {first}{more}; "
            "the next backfill reads them again from there, or, if damaged, once they change"
        )
        stats.set_value("monitors/messages", messages)

    def backfill_closed(self, spider: Any, reason: str) -> None:
        """Stopped (a signal, a store that refuses): each file in flight keeps its checkpoint."""
        self.stopping = True
        for run in list(self.runs.values()):
            run.scanner.stop()
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        if self.room is not None:
            room, self.room = self.room, None
            room.callback(None)
        now = datetime.now(UTC)
        for run in list(self.runs.values()):
            if not run.finished:
                self.save(run, run.done_point(), now)
        stats = self.crawler.stats
        stats.set_value("backfill/bytes_read", self.bytes_read())
        if self.queue is not None:
            self.queue.leave()

    # -- progress ----------------------------------------------------------------------------

    def bytes_read(self) -> int:
        return self.bytes_done + sum(run.scanner.bytes_read for run in self.runs.values())

    def progress(self) -> str:
        stats = self.crawler.stats
        scanned = int(stats.get_value("backfill/records/scanned", 0) or 0)
        scanned += sum(run.scanner.scanned - run.scanned_reported for run in self.runs.values())
        elapsed = max(time.monotonic() - self.started, 0.001)
        total = stats.get_value("backfill/files/total", 0)
        new = int(stats.get_value("articles/new", 0) or 0)
        updated = int(stats.get_value("articles/updated", 0) or 0)
        return (
            f"backfill: {self.files_done + self.files_failed}/{total} files"
            + (f" ({self.files_failed} failed)" if self.files_failed else "")
            + f", {scanned:,} records scanned"
            + f", {stats.get_value('backfill/records/kept', 0):,} kept"
            + f", {new:,} articles stored ({updated} updated)"
            + f", {self.bytes_read() / 1e6:,.1f} MB read ({self.bytes_read() / elapsed / 1e6:.2f} MB/s)"
        )


class BackfillConsole(Console):
    """The crawl's console (warnings above a live line), with the backfill's progress line."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BackfillConsole:
        console = super().from_crawler(crawler)
        if not isinstance(console, BackfillConsole):
            raise NotConfigured
        return console

    def progress_line(self) -> str:
        spider = self.crawler.spider
        if isinstance(spider, BackfillSpider) and hasattr(spider, "progress_table"):
            return spider.progress()
        return super().progress_line()


# -- --generic: Arabic articles that reach the relevance floor --------------------------------


class GenericGate(PageStage):
    """After the lens: a page of a host no profile covers is stored only when its text is Arabic
    and its relevance reaches ``MIN_RELEVANCE`` (the lens's default floor when unset)."""

    stage = "backfill_generic"

    def __init__(self, crawler: Crawler | None = None) -> None:
        super().__init__(crawler)
        floor = min_relevance(crawler)
        self.floor = DEFAULT_MIN_RELEVANCE if floor is None else floor

    def process_page(self, page: PageItem) -> PageItem:
        if page.site in PROFILES:
            return page
        for article in page.articles:
            if article.store_outcome is not None and article.store_outcome.dropped:
                continue
            if article.lang != "ar":
                why = "not_arabic"
            elif (article.relevance or 0.0) < self.floor:
                why = "irrelevant"
            else:
                continue
            article.store_outcome = StoreOutcome.DROPPED_IRRELEVANT
            self.inc("articles/dropped/irrelevant")
            self.inc(f"backfill/generic/{why}")
            logger.info(
                "Not storing %s: %s (lang %s, relevance %.2f, floor %.2f)",
                article.url,
                why.replace("_", " "),
                article.lang or "?",
                article.relevance or 0.0,
                self.floor,
            )
        return page
