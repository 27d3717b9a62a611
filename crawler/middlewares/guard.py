"""What a crawl may request: the site's hosts, over http(s), never the machine's own network.

A news site controls the links and redirects a crawler follows. Left to
itself, a crawler on a server would fetch whatever they name: another host,
``file://`` or ``ftp://`` URLs, or addresses on the server's own network
(127.0.0.1, 10.0.0.0/8, 169.254.169.254, the cloud metadata service...). Article
URLs are already limited to the profile's hosts (crawler/profiles) and Scrapy's
OffsiteMiddleware applies ``allowed_domains`` to redirects; this downloader
middleware is the last check before anything leaves the machine:

* only ``http`` and ``https``;
* no literal IP address in a private, loopback, link-local, multicast,
  reserved or unspecified range, and no ``localhost`` name, unless the spider's
  own base URL is one (tests and demos serve a mirror on 127.0.0.1);
* no host the spider does not allow (a second check after OffsiteMiddleware,
  which lets requests through when ``allowed_domains`` is empty).

A blocked request is dropped, logged and counted (``guard/blocked/<reason>``).
"""

from __future__ import annotations

import ipaddress
import logging
from urllib.parse import urlsplit

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.statscollectors import StatsCollector

from crawler.spiders.flags import ALLOWED_SCHEMES, spider_flags

logger = logging.getLogger(__name__)

LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})


def internal_address(host: str) -> bool:
    """A host that names the machine or its private network."""
    host = host.strip("[]").lower().rstrip(".")
    if host in LOCAL_NAMES or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )


def blocked_reason(
    url: str, allowed_hosts: set[str], internal_allowed: bool, schemes: frozenset[str] = ALLOWED_SCHEMES
) -> str | None:
    """Why ``url`` must not be requested, or None."""
    parts = urlsplit(url)
    if parts.scheme not in schemes:
        return "scheme"
    if parts.scheme == "file":
        return None  # a local file the user named (scrapy extract)
    host = (parts.hostname or "").lower()
    if not host:
        return "no_host"
    if internal_address(host) and not internal_allowed:
        return "internal_address"
    if allowed_hosts and not any(host == d or host.endswith("." + d) for d in allowed_hosts):
        return "other_host"
    return None


class RequestGuard:
    """Spiders may widen the rules for inputs a user names explicitly (scrapy extract): their
    ``allow_internal_hosts`` and ``allowed_schemes`` flags (crawler/spiders/flags.py)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stats: StatsCollector | None = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RequestGuard:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        spider: Spider | None = self.crawler.spider
        flags = spider_flags(spider)
        # Scrapy's own attribute, optional on a spider (OffsiteMiddleware reads it the same way)
        allowed = {d.lower() for d in getattr(spider, "allowed_domains", None) or []}
        internal_allowed = flags.allow_internal_hosts or any(internal_address(d) for d in allowed)
        reason = blocked_reason(request.url, allowed, internal_allowed, flags.allowed_schemes)
        if reason is None:
            return
        if self.stats is not None:
            self.stats.inc_value(f"guard/blocked/{reason}")
        logger.warning("Not requesting %s: %s", request.url, reason.replace("_", " "))
        raise IgnoreRequest(f"blocked by the request guard: {reason}")
