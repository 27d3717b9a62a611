"""Request filters: per run, never persisted to JOBDIR, and blind to redirect hops.

* **Per run, in memory.** Scrapy's default filter writes every *scheduled*
  request to ``JOBDIR/requests.seen``, while the queue of pending requests is
  only saved on a clean shutdown. After a SIGKILL, a restarted crawl would then
  skip every request that was scheduled but never fetched: lost articles. What
  a run must not fetch again is what the store already holds
  (crawler/runs/incremental.py), and that is durable by construction.
* **Redirect hops are never duplicates.** A redirect loop (``/a`` → ``/a?r=1`` →
  ``/a?r=2`` → ``/a?r=1`` ...) would otherwise end at the filter, silently, and
  the page would be neither stored nor reported; let through, the loop ends at
  ``REDIRECT_MAX_TIMES`` with an error the spider records as ``redirect_loop``.
"""

from __future__ import annotations

from typing import Self

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.dupefilters import RFPDupeFilter
from scrapy_redis.dupefilter import RFPDupeFilter as RedisRFPDupeFilter


def is_redirect_hop(request: Request) -> bool:
    return bool(request.meta.get("redirect_times"))


class RunDupeFilter(RFPDupeFilter):
    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(
            None, crawler.settings.getbool("DUPEFILTER_DEBUG"), fingerprinter=crawler.request_fingerprinter
        )

    def request_seen(self, request: Request) -> bool:
        return False if is_redirect_hop(request) else super().request_seen(request)


class RedisRunDupeFilter(RedisRFPDupeFilter):  # type: ignore[misc]
    """scrapy-redis's shared filter, with the same rule for redirect hops.

    The distributed scheduler (crawler/runs/distributed.py) does not call
    :meth:`request_seen`: it adds the fingerprint and queues the request in one
    Lua script, so that a worker killed in between never leaves a request
    marked as seen but not queued. It takes the fingerprint and the rule from here.
    """

    def request_seen(self, request: Request) -> bool:
        if is_redirect_hop(request):
            return False
        seen: bool = super().request_seen(request)
        return seen
