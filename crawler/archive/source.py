"""Archived responses as a crawl's input: the spider side of a replay.

``scrapy reextract`` and ``scrapy backfill`` hand :class:`ArchiveSpider` an
iterator of :class:`~crawler.archive.records.ArchivedResponse`; it turns each
article response into a request for the spider's own ``parse_article``,
carrying the response in ``meta["archived"]``. The replay middleware
(crawler/archive/replay.py, downloader order 5) answers such a request before
the guard, robots.txt or the downloader see it, so every later step (charset
repair, extraction, every pipeline stage, the store) runs exactly as in a crawl,
and nothing leaves the machine.

Each page is extracted with the profile of its host (``profile_for_url``), or
with the profile named by ``spider`` (an archive of ``archive/alusbu/`` holds
alusbu's pages, also when that crawl ran against a mirror with ``-a
base_url``: the profile is then moved to the page's origin, as the crawl's
was). The record's ``site`` is that profile's name, as a crawl of that site
would have written it.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.http import Response
from scrapy.settings import BaseSettings

from crawler.archive.records import ArchivedResponse
from crawler.archive.replay import ARCHIVED_META
from crawler.profiles import SiteProfile, get_profile, profile_for_url
from crawler.profiles.generic import NEUTRAL
from crawler.spiders.base import PRIORITY_ARTICLE, NewsSpider
from crawler.text.urls import canonical_url, is_http_url

logger = logging.getLogger(__name__)

# Kinds of archived responses (WARC-Harvester-Kind) that hold an article page; a record
# without a kind (another harvester's WARC, Common Crawl) is judged by its URL instead.
ARTICLE_KIND = "article"


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


class ArchiveSpider(NewsSpider):
    """Replays archived article responses through extraction and every pipeline stage.

    ``responses`` is read lazily, one record at a time as Scrapy's scheduler asks for
    work (an async ``start``), so a large archive is never held in memory. ``spider``:
    the profile every page belongs to (moved to the page's origin when the page is on
    another host, as ``-a base_url`` moved it in the crawl), else each page's own by its
    host. Subclasses choose which records to replay (:meth:`wants`).
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

    def __init__(
        self,
        responses: Iterable[ArchivedResponse] = (),
        spider: str | None = None,
        **kwargs: Any,
    ) -> None:
        self.spider_profile = get_profile(spider) if spider else None
        super().__init__(**kwargs)
        self.responses = responses
        self.allowed_domains = []  # pages come from the archive, whatever their host

    def load_profile(self, profile: str | None) -> SiteProfile:
        return self.spider_profile or NEUTRAL

    # -- which profile, which site ---------------------------------------------------

    def profile_for(self, url: str) -> SiteProfile:
        """The profile a page at ``url`` is extracted with (cached per origin)."""
        return self._profile_for_origin(origin(url) if is_http_url(url) else "")

    @lru_cache(maxsize=1024)  # noqa: B019 - one spider per crawl; a handful of origins
    def _profile_for_origin(self, site_origin: str) -> SiteProfile:
        chosen = self.spider_profile
        if not site_origin:
            return chosen or NEUTRAL
        if chosen is None:
            return profile_for_url(site_origin + "/")
        if chosen.is_own_host(site_origin + "/"):
            return chosen
        return chosen.with_base_url(site_origin)  # the crawl ran with -a base_url=<origin>

    def page_profile(self, url: str) -> SiteProfile:
        return self.profile_for(url)

    def page_site(self, profile: SiteProfile) -> str:
        return profile.name

    def record_url(self, response_url: str, declared: str) -> str:
        """As a crawl of the page's site: its canonical link when it names one of its articles."""
        profile = self.profile_for(response_url)
        if declared and profile.is_article_url(canonical_url(declared)):
            return canonical_url(declared)
        return canonical_url(response_url)

    # -- which records, as which requests ----------------------------------------------

    def wants(self, archived: ArchivedResponse) -> str:
        """Why a record is not replayed ("" when it is): only article pages that were answered."""
        if not 200 <= archived.status < 300:
            return f"status_{archived.status}"
        if archived.kind:
            return "" if archived.kind == ARTICLE_KIND else f"kind_{archived.kind}"
        url = canonical_url(archived.url) if is_http_url(archived.url) else ""
        return "" if url and self.profile_for(url).is_article_url(url) else "not_article"

    def request_for(self, archived: ArchivedResponse) -> Request:
        """The request ``parse_article`` gets the archived response for."""
        meta: dict[str, Any] = {ARCHIVED_META: archived}
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
            stats.inc_value("archive/records")
            why_not = self.wants(archived)
            if why_not:
                stats.inc_value(f"archive/skipped/{why_not}")
                continue
            yield self.request_for(archived)

    # -- an archived page is replayed as it was ------------------------------------------

    def render_again(self, response: Response, kind: str, **cb_kwargs: Any) -> Request | None:
        """Never: a replay has no network, and a rendered page was archived as rendered."""
        return None
