"""Archived responses as a crawl's input: the spider side of a replay.

Three users, one mechanism: a request carrying an
:class:`~crawler.archive.records.ArchivedResponse` in ``meta["archived"]`` is
answered by the replay middleware (crawler/archive/replay.py, downloader order 5)
before the guard, robots.txt or the downloader see it, so every later step
(charset repair, extraction, every pipeline stage, the store) runs exactly as in
a crawl, and nothing leaves the machine.

* ``scrapy reextract`` and ``scrapy backfill`` hand :class:`ArchiveSpider` (or
  :class:`ReextractSpider`) an iterator of archived responses; each article page
  becomes a request for ``parse_article``.
* ``scrapy crawl <site> -a archive=PATH`` crawls as usual, but
  :class:`ServedFromArchive` answers every request from an :class:`ArchiveIndex`
  of PATH (the latest record per URL); a request the archive lacks is counted
  (``archive/missing``), logged and refused, never fetched.

Which profile a page is extracted with (:class:`PageRouter`): the one its archive
was written by (``archive/<spider>/``; when that crawl ran against a mirror with
``-a base_url``, the profile is moved to the page's origin as the crawl moved it),
else the profile of its host (``profile_for_url``). The record's ``site`` is that
profile's name, as a crawl of that site would have written it.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections import Counter
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.settings import BaseSettings

from crawler.archive.records import ArchivedResponse
from crawler.archive.replay import ARCHIVED_META
from crawler.archive.scan import Damage, FileSource, UnreadableWarc, WarcScanner
from crawler.items import Article
from crawler.profiles import PROFILES, SiteProfile, profile_for_url
from crawler.profiles.generic import NEUTRAL
from crawler.signals import article_stored
from crawler.spiders.base import PRIORITY_ARTICLE, NewsSpider
from crawler.store import SaveResult
from crawler.text.urls import canonical_url, is_http_url

logger = logging.getLogger(__name__)

# The kind (WARC-Harvester-Kind) of an archived article page; a record without a kind
# (another harvester's WARC, Common Crawl) is judged by its URL instead.
ARTICLE_KIND = "article"
# What IgnoreRequest says for a request the archive cannot answer (download_failure_reason
# in crawler/spiders/base.py reads it as ``archive_missing``).
NOT_IN_ARCHIVE = "not in the archive"
WARC_SUFFIXES = (".warc.gz", ".warc")


def origin(url: str) -> str:
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest.split('/', 1)[0]}"


class PageRouter:
    """The profile an archived page is extracted with, by the spider whose archive holds it.

    ``spider``: the spider every page is from (``--spider``); ``file_spiders``: the spider
    of each file (its ``archive/<spider>/`` folder). A spider without a profile of its own
    (the generic ``news_<host>``) or none at all: the profile of the page's host. Decided once
    per origin: one archive's pages of one host are one site's.
    """

    def __init__(self, spider: str | None = None, file_spiders: Mapping[str, str] | None = None) -> None:
        self.spider = spider
        self.file_spiders = dict(file_spiders or {})
        self._by_origin: dict[str, SiteProfile] = {}

    def profile_for(self, url: str, file: str = "") -> SiteProfile:
        if not is_http_url(url):
            return self._chosen(file) or NEUTRAL
        site_origin = origin(url)
        profile = self._by_origin.get(site_origin)
        if profile is None:
            profile = self._by_origin[site_origin] = self._profile(site_origin, self._chosen(file))
        return profile

    def default_profile(self) -> SiteProfile:
        """The profile of the spider every page is from, if one was named."""
        return self._chosen("") or NEUTRAL

    def _chosen(self, file: str) -> SiteProfile | None:
        name = self.file_spiders.get(file) or self.spider
        return PROFILES.get(name) if name else None

    @staticmethod
    def _profile(site_origin: str, chosen: SiteProfile | None) -> SiteProfile:
        if chosen is None:
            return profile_for_url(site_origin + "/")
        if chosen.is_own_host(site_origin + "/"):
            return chosen
        return chosen.with_base_url(site_origin)  # the crawl ran with -a base_url=<origin>

    def skip_reason(self, archived: ArchivedResponse) -> str:
        """Why a record is no article page to replay ("" when it is one)."""
        if not 200 <= archived.status < 300:
            return f"status_{archived.status}"
        if archived.kind:
            return "" if archived.kind == ARTICLE_KIND else f"kind_{archived.kind}"
        if not is_http_url(archived.url):
            return "not_article"
        url = canonical_url(archived.url)
        return "" if self.profile_for(url, archived.file).is_article_url(url) else "not_article"


class ArchiveSpider(NewsSpider):
    """Replays archived article responses through extraction and every pipeline stage.

    ``responses`` is read lazily, one record at a time as Scrapy's scheduler asks for
    work (an async ``start``), so a large archive is never held in memory. ``spider`` and
    ``file_spiders``: which site's profile pages are extracted with (:class:`PageRouter`).
    Subclasses choose which records to replay (:meth:`wants`).
    """

    name = "archive"
    # A replay is no crawl of a site: it remembers no failed page (the next cron run of
    # the site must not skip a URL because an old copy of it failed to extract).
    records_failures = False

    @classmethod
    def update_settings(cls, settings: BaseSettings) -> None:
        super().update_settings(settings)
        # File order is fetch order: replay in it (Scrapy's default queue is last in, first out).
        settings.set("SCHEDULER_MEMORY_QUEUE", "scrapy.squeues.FifoMemoryQueue", priority="spider")
        settings.set("SCHEDULER_DISK_QUEUE", "scrapy.squeues.PickleFifoDiskQueue", priority="spider")
        settings.set("ROBOTSTXT_OBEY", False, priority="spider")  # robots.txt would be a fetch

    def __init__(
        self,
        responses: Iterable[ArchivedResponse] = (),
        spider: str | None = None,
        file_spiders: Mapping[str, str] | None = None,
        **kwargs: Any,
    ) -> None:
        self.router = PageRouter(spider, file_spiders)
        super().__init__(**kwargs)
        self.responses = responses
        self.allowed_domains = []  # pages come from the archive, whatever their host

    def load_profile(self, profile: str | None) -> SiteProfile:
        return self.router.default_profile()

    # -- which profile, which site ---------------------------------------------------

    def page_profile(self, url: str) -> SiteProfile:
        return self.router.profile_for(url)

    def page_site(self, profile: SiteProfile) -> str:
        return profile.name

    def record_url(self, response_url: str, declared: str) -> str:
        """As a crawl of the page's site: its canonical link when it names one of its articles."""
        profile = self.router.profile_for(response_url)
        if declared and profile.is_article_url(canonical_url(declared)):
            return canonical_url(declared)
        return canonical_url(response_url)

    # -- which records, as which requests ----------------------------------------------

    def wants(self, archived: ArchivedResponse) -> str:
        """Why a record is not replayed ("" when it is): by default, article pages that were answered."""
        return self.router.skip_reason(archived)

    def request_for(self, archived: ArchivedResponse) -> Request:
        """The request ``parse_article`` gets the archived response for."""
        self.router.profile_for(archived.url, archived.file)  # its origin's profile, by its file
        meta: dict[str, Any] = {ARCHIVED_META: archived, "dont_obey_robotstxt": True}
        if archived.requested_url and archived.requested_url != archived.url:
            # what the crawl asked for before a redirect: failures are reported under it
            meta["redirect_urls"] = [archived.requested_url]
        if archived.rendered:
            meta["rendered"] = True
        return Request(
            archived.url,
            callback=self.parse_article,
            errback=self.article_failed,
            priority=PRIORITY_ARTICLE,
            meta=meta,
            dont_filter=True,  # no dupefilter, no "already stored": the caller chose the records
        )

    async def start(self) -> AsyncIterator[Request]:
        stats = self.crawler.stats
        for archived in self.responses:
            stats.inc_value("replay/records")
            why_not = self.wants(archived)
            if why_not:
                stats.inc_value(f"replay/skipped/{why_not}")
                continue
            yield self.request_for(archived)

    # -- an archived page is replayed as it was ------------------------------------------

    def render_again(self, response: Response, kind: str, **cb_kwargs: Any) -> Request | None:
        """Never: a replay has no network, and a rendered page was archived as rendered."""
        return None


class ReextractSpider(ArchiveSpider):
    """``scrapy reextract``: archived pages of stored articles, extracted again, revised in place.

    The store compares each stored record field by field (``revises_records``) and this
    spider counts what changed: ``reextract/changed/<field>`` per field, and
    ``reextract/articles/<outcome>``.
    """

    name = "reextract"
    revises_records = True

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> ReextractSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.count_changes, signal=article_stored)
        return spider

    def count_changes(self, article: Article, result: SaveResult, **_: Any) -> None:
        stats = self.crawler.stats
        stats.inc_value(f"reextract/articles/{result.outcome}")
        for field in result.fields:
            stats.inc_value(f"reextract/changed/{field}")


# -- reading archives ---------------------------------------------------------------------


def warc_files(path: Path) -> list[Path]:
    """The WARC files a path names: the file, or every one under a folder, in name order
    (``<spider>-<UTC start>-<NNNNN>``: the order they were written in)."""
    if path.is_dir():
        return sorted(
            (found for found in path.rglob("*") if found.is_file() and found.name.endswith(WARC_SUFFIXES)),
            key=lambda found: (found.name, str(found)),
        )
    return [path]


@dataclass(frozen=True, slots=True)
class ArchivedRef:
    """An archived response without its body (what it is, where it is), and its place in the
    reading order: enough to choose a record among copies, and to read it again."""

    record: ArchivedResponse  # headers and body left out
    order: int  # the later read, the newer (files are read in the order they were written)

    @classmethod
    def of(cls, archived: ArchivedResponse, order: int) -> ArchivedRef:
        return cls(dataclasses.replace(archived, headers=[], body=b""), order)

    @property
    def newness(self) -> tuple[datetime, int]:
        return (self.record.fetched_at or datetime.min.replace(tzinfo=UTC), self.order)


class ArchiveReading:
    """Reads archive files past their damage: what could not be read is counted once (a file
    read twice reports its damage once) and logged with its file and offset
    (``replay/damaged``, ``replay/unreadable_files``); it is never fatal."""

    def __init__(self) -> None:
        self.stats: Counter[str] = Counter()
        self.places: dict[tuple[str, int], Damage] = {}

    @property
    def damaged(self) -> list[Damage]:
        return list(self.places.values())

    def _damage(self, damage: Damage, key: str, message: str) -> None:
        if (damage.file, damage.offset) in self.places:
            return
        self.places[damage.file, damage.offset] = damage
        self.stats[key] += 1
        logger.warning(message, damage.file, damage.offset, damage.reason)

    def responses(
        self, file: Path, start: int = 0, keep_url: Callable[[str], bool] | None = None
    ) -> Iterator[ArchivedResponse]:
        """The response records of ``file`` from ``start`` that ``keep_url`` accepts, damage skipped."""
        scanner = WarcScanner(FileSource(file), keep_url or (lambda _url: True), start=start)
        try:
            for found in scanner:
                if isinstance(found, Damage):
                    self._damage(found, "replay/damaged", "Skipped a damaged record of %s at offset %d: %s")
                    continue
                yield found
        except UnreadableWarc as error:
            self._damage(
                Damage(error.file, error.offset, error.reason),
                "replay/unreadable_files",
                "%s cannot be read past offset %d (%s): the rest of the file is skipped",
            )
        except OSError as error:
            self._damage(
                Damage(str(file), start, str(error)), "replay/unreadable_files", "%s cannot be read at %d: %s"
            )


class ArchiveIndex:
    """The responses of an archive by URL, their latest record each (no body held in memory).

    A record answers for the URL it was fetched at and the URL the crawl asked for before
    a redirect, rendered or not; :meth:`lookup` prefers the record of the same kind of
    fetch (a browser's rendering for a request that is rendered).
    """

    def __init__(self, reading: ArchiveReading | None = None) -> None:
        self.reading = reading or ArchiveReading()
        self.refs: dict[tuple[str, bool], ArchivedRef] = {}
        self.files: list[Path] = []
        self.records = 0

    @classmethod
    def build(cls, paths: Iterable[Path], reading: ArchiveReading | None = None) -> ArchiveIndex:
        index = cls(reading)
        for path in paths:
            for file in warc_files(path):
                index.add_file(file)
        return index

    def add_file(self, file: Path) -> None:
        self.files.append(file)
        for archived in self.reading.responses(file):
            self.records += 1
            ref = ArchivedRef.of(archived, self.records)
            for url in {archived.url, archived.requested_url} - {""}:
                key = (canonical_url(url) if is_http_url(url) else url, archived.rendered)
                known = self.refs.get(key)
                if known is None or ref.newness >= known.newness:
                    self.refs[key] = ref

    def lookup(self, url: str, rendered: bool = False) -> ArchivedRef | None:
        key = canonical_url(url) if is_http_url(url) else url
        return self.refs.get((key, rendered)) or self.refs.get((key, not rendered))

    def load(self, ref: ArchivedRef) -> ArchivedResponse | None:
        """The archived response ``ref`` points to, read again from its file."""
        where = ref.record
        for archived in self.reading.responses(Path(where.file), start=where.offset):
            return archived if archived.offset == where.offset else None
        return None


# -- a crawl served from an archive (-a archive=PATH) -------------------------------------------


class ServedFromArchive:
    """Downloader middleware (before the replay middleware): with ``-a archive=PATH``, every
    request is answered from the archive's index, and one the archive lacks is refused.

    Nothing reaches the network: a request the index cannot answer is counted
    (``archive/missing``), logged with its URL and dropped with :class:`IgnoreRequest`
    (its errback reports it as ``archive_missing``). Other crawls pass untouched.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.index: ArchiveIndex | None = None
        self._building: asyncio.Future[ArchiveIndex] | None = None
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ServedFromArchive:
        return cls(crawler)

    async def archive_index(self) -> ArchiveIndex | None:
        """The index of ``-a archive=``, built once on a thread: reading a large archive takes
        seconds to minutes, which on the reactor would stall every other request, timer and
        signal of the crawl. Requests that come meanwhile wait for the same build."""
        spider = self.crawler.spider
        paths = getattr(getattr(spider, "args", None), "archive", None)
        if not paths:
            return None
        if self.index is None:
            if self._building is None:
                # an asyncio future (the crawl runs on the asyncio reactor, which scrapy-playwright
                # needs), not a Deferred: every waiting request awaits the same result
                self._building = asyncio.get_running_loop().run_in_executor(
                    None, ArchiveIndex.build, [Path(paths)]
                )
            index = await self._building
            if self.index is None:  # the first request back from the build records it
                self.index = index
                stats = self.crawler.stats
                assert stats is not None
                for key, count in index.reading.stats.items():
                    stats.inc_value(key, count)
                stats.set_value("archive/served_from", paths)
                stats.set_value("archive/indexed", len(index.refs))
                logger.info("Serving the crawl from %s: %d records", paths, index.records)
        return self.index

    async def process_request(self, request: Request) -> None:
        if ARCHIVED_META in request.meta:
            return
        stats = self.crawler.stats
        assert stats is not None
        if isinstance(self.crawler.spider, ArchiveSpider):
            # a replay's callbacks asked for more (a listing's links): a replay never fetches
            stats.inc_value("replay/refused")
            raise IgnoreRequest(f"{request.url}: {NOT_IN_ARCHIVE} (a replay does not fetch)")
        index = await self.archive_index()
        if index is None:
            return
        ref = index.lookup(request.url, rendered=bool(request.meta.get("rendered")))
        archived = index.load(ref) if ref is not None else None
        if archived is None:
            stats.inc_value("archive/missing")
            logger.warning("Not in the archive, not fetched: %s", request.url)
            raise IgnoreRequest(f"{request.url}: {NOT_IN_ARCHIVE}")
        request.meta[ARCHIVED_META] = archived

    def spider_closed(self) -> None:
        stats = self.crawler.stats
        missing = stats.get_value("archive/missing", 0) if stats is not None else 0
        if missing:
            logger.warning("%d requests of this crawl were not in the archive (archive/missing)", missing)
