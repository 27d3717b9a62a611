"""The run's web archive: every response the crawl receives, kept as WARC (crawler/archive/writer.py).

``ARCHIVE_ENABLED`` (default on) writes ``<ARCHIVE_DIR>/<spider>/<spider>-<UTC
start>-NNNNN.warc.gz``, rotated at ``ARCHIVE_MAX_BYTES``; a process of a
distributed run adds its host and pid to the name. The responses are taken by
:class:`crawler.middlewares.archive.ArchiveMiddleware` (downloader order 585:
after decompression, before the charset repair and before a retry or a meta
refresh replaces the response): articles, listings, feeds, sitemaps,
robots.txt, error pages, and pages rendered by Chromium as rendered. A response
replayed from an archive (``"archived"`` in its flags) is not archived again.

The archive's first file goes in the stats (``archive/path``) when the spider
opens, before the run record's row is written (this extension comes first in
EXTENSIONS), so that the row names it even if the run is killed; at close the
writer is drained and closed before the summary and the run record read the
stats (``archive/records``, ``archive/bytes``, ``archive/files``).

A disk that fills up (or a directory that cannot be written) stops the archive,
not the crawl: logged once, counted (``archive/failed``: responses not in the
archive), and the run fails at the end with a line saying so
(crawler/runs/outcome.py), because a harvest whose archive has a hole cannot be
re-extracted in full later and nobody would notice until then
(docs/reliability.md).
"""

from __future__ import annotations

import logging
import os
import socket
from datetime import UTC, datetime
from pathlib import Path

import scrapy
from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response

from crawler.archive.records import ArchivedResponse
from crawler.archive.writer import ArchiveReport, ArchiveWriter
from crawler.store.failures import classify, file_advice, first_line

logger = logging.getLogger(__name__)

ROBOTS_PATH = "/robots.txt"


def request_kind(request: Request) -> str:
    """What the spider asked for, from the request's callback: ``article``, ``listing``, ``feed``,
    ``sitemap``, ``robots``, ``home`` (the generic spider's first page), else ``other``."""
    if request.url.split("?", 1)[0].endswith(ROBOTS_PATH) and request.meta.get("dont_obey_robotstxt"):
        return "robots"  # Scrapy's RobotsTxtMiddleware fetches it with no callback of the spider
    name = getattr(request.callback, "__name__", "")
    if name.startswith("parse_"):
        return name.removeprefix("parse_")
    return "other"


def requested_url(request: Request) -> str:
    """The URL the spider asked for, before any redirect."""
    redirects: list[str] = request.meta.get("redirect_urls") or []
    return redirects[0] if redirects else request.url


def to_archived(request: Request, response: Response, now: datetime) -> ArchivedResponse:
    """The response as the archive keeps it (the body as Scrapy holds it: decoded, or rendered)."""
    return ArchivedResponse(
        url=response.url,
        status=response.status,
        headers=[(key, value) for key, values in response.headers.items() for value in values],
        body=response.body,
        fetched_at=now,
        kind=request_kind(request),
        rendered="playwright" in response.flags,
        requested_url=requested_url(request),
    )


def human_size(size: int) -> str:
    """``512 B``, ``1.5 kB``, ``12.3 MB``, ``1.1 GB`` (powers of 1000, as ``ls -h --si`` and disks say)."""
    value = float(size)
    for unit in ("B", "kB", "MB", "GB"):
        if value < 1000 or unit == "GB":
            return f"{size} B" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1000
    return f"{value:.1f} TB"  # pragma: no cover - the loop returns at GB


class WebArchive:
    """Owns the run's :class:`ArchiveWriter`: opened with the spider, closed (drained) with it."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.writer: ArchiveWriter | None = None
        self.directory: Path | None = None
        self.reported = False  # the failure is logged once

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WebArchive:
        settings = crawler.settings
        if not settings.getbool("ARCHIVE_ENABLED") or not settings.get("ARCHIVE_DIR"):
            raise NotConfigured
        archive = cls(crawler)
        crawler.signals.connect(archive.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(archive.spider_closed, signal=signals.spider_closed)
        return archive

    def spider_opened(self, spider: Spider) -> None:
        settings = self.crawler.settings
        self.directory = Path(settings["ARCHIVE_DIR"]).absolute() / spider.name
        distributed = bool(settings.get("DISTRIBUTED_RUN_TOKEN"))
        self.writer = ArchiveWriter(
            self.directory,
            spider.name,
            datetime.now(UTC),
            worker=f"{socket.gethostname()}-{os.getpid()}" if distributed else "",
            max_bytes=settings.getint("ARCHIVE_MAX_BYTES"),
            queue_bytes=settings.getint("ARCHIVE_QUEUE_BYTES"),
            stall_seconds=settings.getfloat("ARCHIVE_STALL_SECONDS"),
            gzip_level=settings.getint("ARCHIVE_GZIP_LEVEL", 6),
            info=self.warcinfo(spider),
        )
        path = self.writer.open()
        self.stats.set_value("archive/path", str(path))

    def warcinfo(self, spider: Spider) -> dict[str, str]:
        """The warcinfo record that opens every file: who wrote it, how, and what its bodies are."""
        settings = self.crawler.settings
        return {
            "software": (
                f"arabic-defence-news-harvester (Scrapy {scrapy.__version__}, warcio {_warcio_version()})"
            ),
            "format": "WARC File Format 1.1",
            "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
            "isPartOf": spider.name,
            "hostname": socket.gethostname(),
            "http-header-user-agent": str(settings.get("USER_AGENT", "")),
            "robots": "obey" if settings.getbool("ROBOTSTXT_OBEY") else "ignore",
            "description": (
                "Responses as the crawl received them: bodies decoded of any Content-Encoding; pages "
                "rendered by Chromium as rendered (WARC-Harvester-Rendered: 1); WARC-Harvester-Kind "
                "says what the spider asked for, WARC-Harvester-Requested-URI the URL before redirects"
            ),
        }

    def keep(self, request: Request, response: Response) -> None:
        """Queue one response for the archive (called by the downloader middleware)."""
        writer = self.writer
        if writer is None:
            return
        if writer.submit(to_archived(request, response, datetime.now(UTC))):
            return
        self.report_failure()

    def report_failure(self) -> None:
        """Log, once, why the archive stopped; the crawl goes on without it."""
        writer = self.writer
        if self.reported or writer is None or not writer.failure:
            return
        self.reported = True
        advice = self.advice(writer.error, writer.failure)
        self.stats.set_value("archive/failure", advice)
        logger.error(
            "The web archive stopped after %d responses: %s; the crawl goes on without it",
            writer.records,
            advice,
        )

    def advice(self, error: OSError | None, failure: str) -> str:
        where = self.directory or Path(".")
        if error is None:
            return f"{failure} ({where})"
        return file_advice(classify(error), where, "ARCHIVE_DIR", first_line(error))

    def spider_closed(self, spider: Spider, reason: str) -> None:
        writer = self.writer
        if writer is None:
            return
        report = writer.close()
        self.record(report)

    def record(self, report: ArchiveReport) -> None:
        stats = self.stats
        stats.set_value("archive/records", report.records)
        stats.set_value("archive/bytes", report.size)
        stats.set_value("archive/files", len(report.files))
        stats.set_value("archive/writer_cpu_s", round(report.cpu_seconds, 3))
        if not report.files:
            stats.set_value("archive/path", "")  # nothing was archived (a replay): no file was made
        if report.failed:
            stats.set_value("archive/failed", report.failed)
        if report.failure:
            self.report_failure()
        if report.files:
            logger.info(
                "Web archive: %d responses in %d file(s), %s: %s",
                report.records,
                len(report.files),
                human_size(report.size),
                report.files[0],
            )


def _warcio_version() -> str:
    from importlib.metadata import version

    return version("warcio")
