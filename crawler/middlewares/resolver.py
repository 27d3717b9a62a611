"""Host names checked at connection time: a name that resolves to this machine's network is refused.

The request guard (crawler/middlewares/guard.py) sees URLs, not addresses: a
name such as ``news.example`` whose DNS record says 127.0.0.1 or
169.254.169.254 (a dangling record, DNS rebinding) passes it. Scrapy resolves
every name through the resolver named by ``TWISTED_DNS_RESOLVER`` (crawler/settings.py)
just before it connects; this one is Scrapy's own caching resolver, whose
answer is checked against the crawl's :class:`~crawler.middlewares.policy.SitePolicy`
before Twisted may connect to it. A refused name fails its request as a DNS
failure (the spider's ``dns_error``), is logged with the address it resolved
to, and counted as ``guard/refused_address/<kind>``.

Scrapy builds the resolver once per process, before any spider exists, so the
guard hands it the spider's policy and the crawl's stats when the spider
opens (:func:`install_policy`). Until then internal addresses are refused.
Pages rendered by Chromium (crawler/rendering.py) are resolved by the browser,
not here.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Sequence
from typing import Any

from scrapy.resolver import CachingThreadedResolver
from scrapy.statscollectors import StatsCollector
from twisted.internet.defer import Deferred
from twisted.internet.error import DNSLookupError

from crawler.middlewares.policy import SitePolicy, address_kind

logger = logging.getLogger(__name__)


class GuardedResolver(CachingThreadedResolver):
    """Scrapy's default resolver (cached, threaded, IPv4, ``DNS_TIMEOUT``), with every answer checked."""

    policy: SitePolicy = SitePolicy()
    stats: StatsCollector | None = None

    def guard(self, policy: SitePolicy, stats: StatsCollector | None) -> None:
        self.policy = policy
        self.stats = stats

    def getHostByName(self, name: str, timeout: Sequence[int] = ()) -> Deferred[str]:  # Twisted's name
        answer: Deferred[str] = self.lookup(name, timeout)
        answer.addCallback(self.checked, name)
        return answer

    def lookup(self, name: str, timeout: Sequence[int]) -> Deferred[str]:
        """The address of ``name``, unchecked (Scrapy's caching resolver; tests map names here)."""
        found: Deferred[str] = super().getHostByName(name, timeout)
        return found

    def checked(self, address: str, name: str) -> str:
        """``address`` if the crawl may connect to it, else a DNS failure that says why."""
        try:
            parsed = ipaddress.ip_address(address)
        except ValueError:
            return address
        if self.policy.allows_address(name, parsed):
            return address
        kind = address_kind(parsed) or "internal"
        if self.stats is not None:
            self.stats.inc_value(f"guard/refused_address/{kind}")
        logger.warning(
            "Not connecting to %s: it resolves to %s, a %s address (not the site's own)",
            name,
            address,
            kind.replace("_", "-"),
        )
        raise DNSLookupError(f"{name} resolves to {address}, a {kind} address: refused by the request guard")


def install_policy(policy: SitePolicy, stats: StatsCollector | None, reactor: Any = None) -> bool:
    """Give the process's resolver the crawl's policy; False (and a warning) if it is not ours."""
    if reactor is None:
        from twisted.internet import reactor as installed

        reactor = installed
    resolver = getattr(reactor, "resolver", None)
    if isinstance(resolver, GuardedResolver):
        resolver.guard(policy, stats)
        return True
    logger.warning(
        "TWISTED_DNS_RESOLVER is not %s.%s: host names are not checked at connection time",
        __name__,
        GuardedResolver.__name__,
    )
    return False
