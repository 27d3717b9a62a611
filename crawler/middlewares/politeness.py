"""robots.txt's ``Crawl-delay``, honoured: the least time between two requests to its host.

Scrapy 2.19's robots.txt parsers read the directive (``RobotParser.crawl_delay``,
Protego by default: ``ROBOTSTXT_PARSER``), and its ``RobotsTxtMiddleware``
sends ``robots_parsed`` with the parser, but nothing applies the value. This
middleware does, on the host's download slot: its delay is raised to the
Crawl-delay and its random jitter turned off (a jittered delay goes down to half
of itself), when robots.txt is read, before each request, and after each answer,
since AutoThrottle lowers the slot's delay towards DOWNLOAD_DELAY whenever the
site answers fast. A delay above ``CRAWL_DELAY_MAX`` is cut to it, with a
warning. The delay in force is in the stats (``robotstxt/crawl_delay/<host>``).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Self

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy.robotstxt import RobotParser
from scrapy.utils.httpobj import urlparse_cached

if TYPE_CHECKING:
    from scrapy.core.downloader import Downloader

logger = logging.getLogger(__name__)


class CrawlDelay:
    def __init__(self, crawler: Crawler) -> None:
        if not crawler.settings.getbool("ROBOTSTXT_OBEY"):
            raise NotConfigured
        self.crawler = crawler
        self.longest = crawler.settings.getfloat("CRAWL_DELAY_MAX")
        self.user_agent: str = crawler.settings.get("ROBOTSTXT_USER_AGENT") or crawler.settings["USER_AGENT"]
        self.by_host: dict[str, float] = {}  # netloc -> seconds
        crawler.signals.connect(self.robots_parsed, signal=signals.robots_parsed)
        # connected after AutoThrottle's handler (extensions are made before the downloader), so
        # this one has the last word on the slot's delay before the slot sends its next request
        crawler.signals.connect(self.response_downloaded, signal=signals.response_downloaded)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    @property
    def downloader(self) -> Downloader:
        assert self.crawler.engine is not None
        return self.crawler.engine.downloader

    def robots_parsed(self, robotparser: RobotParser, request: Request) -> None:
        delay = robotparser.crawl_delay(self.user_agent)
        if not delay or delay <= 0:
            return
        netloc = urlparse_cached(request).netloc
        if delay > self.longest:
            logger.warning(
                "robots.txt of %s asks for %s s between requests: waiting %s s (CRAWL_DELAY_MAX)",
                netloc,
                delay,
                self.longest,
            )
            delay = self.longest
        else:
            logger.info("robots.txt of %s asks for %s s between requests: waiting that long", netloc, delay)
        self.by_host[netloc] = delay
        self.crawler.stats.set_value(f"robotstxt/crawl_delay/{netloc}", delay)
        self.apply(request)

    def apply(self, request: Request) -> None:
        """Hold the request's download slot to its host's Crawl-delay, if robots.txt gave one."""
        delay = self.by_host.get(urlparse_cached(request).netloc)
        if delay is None:
            return
        downloader = self.downloader
        key = downloader.get_slot_key(request)
        # a slot made later (the first, or after the idle ones are collected) starts with it
        downloader.per_slot_settings.setdefault(key, {}).update(delay=delay, jitter=0.0)
        slot = downloader.slots.get(key)
        if slot is not None:
            slot.jitter = 0.0
            slot.delay = max(slot.delay, delay)

    def process_request(self, request: Request) -> None:
        self.apply(request)

    def response_downloaded(self, response: Response, request: Request) -> None:
        self.apply(request)
