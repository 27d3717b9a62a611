"""``scrapy crawl news -a url=https://example.com/``: any news site, before anyone profiles it.

Discovery through what a site publishes for machines: the sitemaps named in
robots.txt, the feeds the home page links to (``<link rel="alternate">``),
and the conventional feed and sitemap locations (crawler/profiles/generic.py);
a conventional location the site does not have is a probe, not an error.
Extraction is the generic chain. Each site gets its own identity
(``news_<host>``): its run records, feeds, failed pages, run lock and the
``site`` column of its articles are its own, so two generic sites never mix.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from typing import Any

from scrapy.http import Request, Response, TextResponse
from scrapy.settings import BaseSettings
from twisted.python.failure import Failure

from crawler.profiles.base import SiteProfile
from crawler.profiles.generic import profile_for, site_name
from crawler.runs.incremental import is_lasting
from crawler.spiders.base import PRIORITY_FEED, PRIORITY_SITEMAP, NewsSpider, download_failure_reason, joined
from crawler.spiders.errors import SpiderArgumentError
from crawler.text.urls import is_http_url

logger = logging.getLogger(__name__)

# <link rel="alternate"> types of feeds a home page announces
FEED_LINK_QUERY = (
    'link[rel~="alternate"][type="application/rss+xml"]::attr(href), '
    'link[rel~="alternate"][type="application/atom+xml"]::attr(href)'
)


def site_url(url: Any) -> str:
    """The ``-a url=`` argument, which this spider cannot do without."""
    if not url:
        raise SpiderArgumentError("news: give the site to crawl: -a url=https://example.com/")
    if not isinstance(url, str) or not is_http_url(url):
        raise SpiderArgumentError(
            f"news: -a url={url} is not an http(s) URL; give the site's address, e.g. -a url=https://example.com/"
        )
    return url


class GenericNewsSpider(NewsSpider):
    name = "news"

    @classmethod
    def update_settings(cls, settings: BaseSettings) -> None:
        super().update_settings(settings)
        # No profile selectors exist, so the body never comes "from the profile": that
        # template-change signal means nothing here (title, body and date coverage still apply).
        coverage = {**settings.getdict("MONITOR_MIN_COVERAGE"), "body_from_profile": 0.0}
        settings.set("MONITOR_MIN_COVERAGE", coverage, priority="spider")

    def __init__(self, *args: Any, url: str | None = None, **kwargs: Any) -> None:
        self.site_url = site_url(url)
        super().__init__(*args, **kwargs)
        self.name = self.profile.name  # news_<host>: this site's records, runs and feeds

    def load_profile(self, profile: str | None) -> SiteProfile:
        return profile_for(self.site_url)

    @classmethod
    def profile_of(cls, spider_args: Mapping[str, Any]) -> SiteProfile:
        return profile_for(site_url(spider_args.get("url")))

    @classmethod
    def run_name(cls, spider_args: dict[str, str]) -> str:
        cls.check_arguments(spider_args)
        return site_name(spider_args["url"])

    def start_requests_list(self) -> list[Request]:
        probes = [
            request.replace(errback=self.probe_missing, meta={**request.meta, "probe": True})
            for request in super().start_requests_list()
        ]
        announced = []
        if "sitemaps" in self.args.discover:
            announced.append(
                Request(
                    self.profile.url("/robots.txt"),
                    callback=self.parse_robots,
                    errback=self.probe_missing,
                    priority=PRIORITY_SITEMAP + 1,
                )
            )
        if "feeds" in self.args.discover:
            announced.append(
                Request(
                    self.profile.url("/"),
                    callback=self.parse_home,
                    errback=self.discovery_failed,
                    priority=PRIORITY_FEED + 1,
                )
            )
        return announced + probes

    def parse_robots(self, response: Response) -> Iterator[Request]:
        """Sitemaps named in robots.txt (``Sitemap: <url>`` lines, any case)."""
        if not isinstance(response, TextResponse):
            return
        for line in response.text.splitlines():
            key, _, value = line.partition(":")
            url = value.strip()
            if key.strip().lower() == "sitemap" and is_http_url(url) and self.profile.is_own_host(url):
                self.crawler.stats.inc_value("discovery/announced_sitemaps")
                request = self.discovery_request(
                    url, "sitemap", self.parse_sitemap, priority=PRIORITY_SITEMAP
                )
                if request is not None:  # None: probed at its conventional place already
                    yield request

    def parse_home(self, response: Response) -> Iterator[Request]:
        """Feeds the home page announces in its <head>."""
        if not isinstance(response, TextResponse):
            return
        for url in joined(response, response.css(FEED_LINK_QUERY).getall()):
            if is_http_url(url) and self.profile.is_own_host(url):
                self.crawler.stats.inc_value("discovery/announced_feeds")
                request = self.discovery_request(url, "feed", self.parse_feed, priority=PRIORITY_FEED)
                if request is not None:
                    yield request

    def probe_missing(self, failure: Failure) -> None:
        """A conventional location the site does not use: counted apart, not an error."""
        request = failure.request  # type: ignore[attr-defined]
        reason = download_failure_reason(failure.value)
        self.crawler.stats.inc_value(f"discovery/probe_missing/{reason}")
        logger.debug("No %s on this site (%s)", request.url, reason)
        self.ledger.failed(self.ledger.of(request), request.url, reason, lasting=is_lasting(reason))
