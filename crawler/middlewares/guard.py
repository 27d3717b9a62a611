"""What a crawl may request: the site's hosts and ports, over http(s), never the machine's own network.

A news site controls the links and redirects a crawler follows. Left to
itself, a crawler on a server would fetch whatever they name: another host,
``file://`` or ``ftp://`` URLs, another service on the site's own host
(``:6379``, ``:8080``), or addresses on the server's own network (127.0.0.1,
10.0.0.0/8, 169.254.169.254, the cloud metadata service...). Article URLs are
already limited to the profile's hosts (crawler/profiles) and Scrapy's
OffsiteMiddleware applies ``allowed_domains``; this downloader middleware is
the last check before anything leaves the machine (:class:`SitePolicy`):

* only ``http`` and ``https``;
* no address on this machine's network, however it is written (``127.0.0.1``,
  ``2130706433``, ``0x7f.1``, ``[::ffff:127.0.0.1]``, ``localhost``), unless it
  is the site's own host (tests and demos serve a mirror on 127.0.0.1);
* no host the spider does not allow (a second check after OffsiteMiddleware,
  which lets requests through when ``allowed_domains`` is empty);
* only the site's ports: those of its base URL and start URLs, 80 and 443
  for a host named without a port.

A blocked request is dropped, logged and counted (``guard/blocked/<reason>``);
its errback reports it (the spider's ``blocked`` failure). Redirects are
checked when they are scheduled, before OffsiteMiddleware drops them in
silence: a redirected article page is reported by the spider's own
``page_failed`` (``pages/failed/redirect_<reason>``, a log line with the page
and the target, a ``failed_pages`` row), a redirected listing, feed or
sitemap as ``discovery/failed/redirect_<reason>``.

Names are resolved at connection time by crawler/middlewares/resolver.py,
which refuses internal addresses under the same policy; this middleware hands
the policy to it when the spider opens.
"""

from __future__ import annotations

import logging

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.statscollectors import StatsCollector

from crawler.middlewares.policy import SitePolicy
from crawler.middlewares.resolver import install_policy

logger = logging.getLogger(__name__)


class RequestGuard:
    """Spiders may widen the rules for inputs a user names explicitly (scrapy extract): their
    ``allow_internal_hosts`` and ``allowed_schemes`` flags (crawler/spiders/flags.py)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stats: StatsCollector | None = crawler.stats
        self._policy: tuple[tuple[int, tuple[str, ...]], SitePolicy] | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RequestGuard:
        guard = cls(crawler)
        crawler.signals.connect(guard.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(guard.request_scheduled, signal=signals.request_scheduled)
        return guard

    def policy(self) -> SitePolicy:
        """The spider's policy, made again only if its allowed domains change (as OffsiteMiddleware does)."""
        spider = self.crawler.spider
        key = (id(spider), tuple(getattr(spider, "allowed_domains", None) or ()))
        if self._policy is None or self._policy[0] != key:
            self._policy = (key, SitePolicy.of(spider))
        return self._policy[1]

    def spider_opened(self, spider: Spider) -> None:
        """Hand the crawl's policy to the resolver, which checks addresses at connection time."""
        install_policy(self.policy(), self.stats)

    def count(self, key: str) -> None:
        if self.stats is not None:
            self.stats.inc_value(key)

    def process_request(self, request: Request) -> None:
        reason = self.policy().blocked_reason(request.url)
        if reason is None:
            return
        self.count(f"guard/blocked/{reason}")
        logger.warning("Not requesting %s: %s", request.url, reason.replace("_", " "))
        raise IgnoreRequest(f"blocked by the request guard: {reason}")

    def request_scheduled(self, request: Request, spider: Spider) -> None:
        """A redirect, checked before it is queued: where OffsiteMiddleware would drop it unreported."""
        redirects: list[str] = request.meta.get("redirect_urls") or []
        if not redirects:
            return  # the spider's own requests are checked before download (process_request)
        reason = self.policy().blocked_reason(request.url)
        if reason is None:
            return
        self.report_redirect(request, redirects[0], f"redirect_{reason}")
        raise IgnoreRequest(f"blocked by the request guard: redirect_{reason}")

    def report_redirect(self, request: Request, page: str, reason: str) -> None:
        """Report a page whose redirect was refused the way its spider reports a page that failed."""
        spider = self.crawler.spider
        detail = f"redirected to {request.url}"
        self.count(f"guard/blocked/{reason}")
        article_failed = getattr(spider, "article_failed", None)
        page_failed = getattr(spider, "page_failed", None)
        if article_failed is not None and request.errback == article_failed and callable(page_failed):
            # counted as pages/failed/<reason>, logged, and kept in failed_pages (crawler/spiders/base.py)
            page_failed(page, reason, detail)
            return
        self.count("discovery/failed")
        self.count(f"discovery/failed/{reason}")
        logger.warning("Could not read %s: %s (%s)", page, reason, detail)
