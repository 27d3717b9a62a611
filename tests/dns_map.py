"""Resolvers that answer some names from a setting, for tests: no DNS server, no /etc/hosts.

``-s TWISTED_DNS_RESOLVER=tests.dns_map.MappedResolver -s 'TEST_DNS_MAP={"name": "address"}'``
makes ``name`` resolve to ``address`` through the project's guarded resolver
(crawler/middlewares/resolver.py), whose check still applies; ``UncheckedMappedResolver``
does the same through Scrapy's own resolver, the control that shows the mapping works.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from scrapy.resolver import CachingThreadedResolver
from twisted.internet import defer
from twisted.internet.defer import Deferred

from crawler.middlewares.resolver import GuardedResolver


class MappedNames:
    """Mixed into a resolver: ``TEST_DNS_MAP`` read when Scrapy builds it."""

    names: dict[str, str]

    @classmethod
    def from_crawler(cls, crawler: Any, reactor: Any) -> Any:
        resolver = super().from_crawler(crawler, reactor)  # type: ignore[misc]
        resolver.names = {str(k): str(v) for k, v in crawler.settings.getdict("TEST_DNS_MAP").items()}
        return resolver

    def mapped(self, name: str) -> Deferred[str] | None:
        return defer.succeed(self.names[name]) if name in self.names else None


class MappedResolver(MappedNames, GuardedResolver):
    def lookup(self, name: str, timeout: Sequence[int]) -> Deferred[str]:
        return self.mapped(name) or super().lookup(name, timeout)


class UncheckedMappedResolver(MappedNames, CachingThreadedResolver):
    def getHostByName(self, name: str, timeout: Sequence[int] = ()) -> Deferred[str]:
        return self.mapped(name) or super().getHostByName(name, timeout)
