"""A crawl shared by several processes and machines, on Redis through scrapy-redis.

With ``REDIS_URL`` set, the request queue and the seen-request filter are
scrapy-redis's, in Redis, so every process of a run pulls from one queue and
no URL is fetched twice; articles go to the one shared database (PostgreSQL).

What is added to scrapy-redis here, and why:

* **Runs.** Keys carry a run token (``<spider>:<token>:requests``, ``…:dupefilter``),
  so each cron run starts from an empty queue and filter. The token lives in
  ``<spider>:run``, taken with ``SET NX`` by the process that starts a run (the
  run lock: a second start exits with status 75) and kept alive by every
  process of the run. ``-s DISTRIBUTED_JOIN=1`` joins the running crawl instead.
* **No loss when a process dies.** scrapy-redis pops a request and forgets it: a
  process killed between the pop and the stored article would lose it. Each
  process therefore records what it popped in ``…:pending:<worker>`` and
  refreshes ``…:worker:<worker>`` every few seconds. When a worker's key expires,
  any other process of the run puts its pending requests back on the queue,
  except the articles the store already holds or recorded as failed.
* **Ending together.** A process whose queue is empty stays open while another
  worker is busy or has died without being reaped, so the last one standing
  always takes over what remains.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import redis
from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider, NotConfigured
from scrapy.settings import BaseSettings
from scrapy.utils.misc import load_object
from scrapy_redis.scheduler import Scheduler as RedisScheduler
from twisted.internet.task import LoopingCall

from crawler.runs.incremental import KnownArticles
from crawler.spiders.base import NewsSpider
from crawler.store.db import redact

logger = logging.getLogger(__name__)

# A worker refreshes its key every DISTRIBUTED_HEARTBEAT seconds (setting, default
# 5); silent for three heartbeats, it is dead and its requests are taken over.
HEARTBEAT_SECONDS = 5.0
RUN_TTL_SECONDS = 60  # the run lock outlives its last process by this much
KEYS_TTL_SECONDS = 7 * 24 * 3600  # a run's queue, filter and pending sets, once abandoned


def run_keys(spider: str, token: str) -> dict[str, str]:
    prefix = f"{spider}:{token}"
    return {
        "run": f"{spider}:run",
        "queue": f"{prefix}:requests",
        "dupefilter": f"{prefix}:dupefilter",
        "workers": f"{prefix}:worker:",
        "pending": f"{prefix}:pending:",
    }


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def redis_client(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, socket_timeout=30, health_check_interval=30)


class RedisRunLock:
    """The run lock of a distributed crawl: ``<spider>:run`` holds the run's token."""

    def __init__(self, url: str, spider: str, join: bool) -> None:
        self.client = redis_client(url)
        self.key = f"{spider}:run"
        self.join = join
        self.token = ""
        self.description = f"Redis key {self.key} on {redact(url)}"

    def acquire(self) -> bool:
        """Start a run (the key was free) or, with ``join``, join the running one."""
        if self.join:
            value = self.client.get(self.key)
            if value is None:
                return False  # nothing to join
            self.token = value.decode() if isinstance(value, bytes) else str(value)
            return True
        token = uuid.uuid4().hex[:12]
        if self.client.set(self.key, token, nx=True, ex=RUN_TTL_SECONDS):
            self.token = token
            return True
        return False

    def release(self) -> None:
        self.client.close()


def apply_settings(settings: BaseSettings, token: str) -> None:
    """Switch the crawler to scrapy-redis for a run with this token."""
    settings.set("DISTRIBUTED_RUN_TOKEN", token, priority="cmdline")
    settings.set("RUN_KEY", f"redis:{token}", priority="cmdline")
    settings.set("SCHEDULER", "crawler.runs.distributed.ReliableScheduler", priority="cmdline")
    settings.set("DUPEFILTER_CLASS", "crawler.runs.dupefilter.RedisRunDupeFilter", priority="cmdline")
    settings.set("SCHEDULER_QUEUE_CLASS", "scrapy_redis.queue.PriorityQueue", priority="cmdline")
    settings.set("SCHEDULER_PERSIST", True, priority="cmdline")
    settings.set("SCHEDULER_QUEUE_KEY", f"%(spider)s:{token}:requests", priority="cmdline")
    settings.set("SCHEDULER_DUPEFILTER_KEY", f"%(spider)s:{token}:dupefilter", priority="cmdline")
    extensions = dict(settings.getdict("EXTENSIONS"))
    extensions["crawler.runs.distributed.DistributedRun"] = 560
    settings.set("EXTENSIONS", extensions, priority="cmdline")


class ReliableScheduler(RedisScheduler):  # type: ignore[misc]
    """scrapy-redis's scheduler, remembering what this worker popped until the run ends."""

    crawler: Crawler
    df: Any  # scrapy-redis's filter; the class ships no type hints

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ReliableScheduler:
        scheduler: ReliableScheduler = cls.from_settings(crawler.settings)
        scheduler.stats = crawler.stats
        scheduler.crawler = crawler
        return scheduler

    def open(self, spider: Spider) -> None:
        # as scrapy-redis's open(), without its deprecated Spider.log() call
        self.spider = spider
        self.queue = load_object(self.queue_cls)(
            server=self.server,
            spider=spider,
            key=self.queue_key % {"spider": spider.name},
            serializer=self.serializer,
        )
        if not self.df:
            self.df = load_object(self.dupefilter_cls).from_spider(spider)
        if self.flush_on_start:
            self.flush()
        if len(self.queue):
            logger.info("Joining a crawl with %d requests waiting", len(self.queue))
        token = self.crawler.settings["DISTRIBUTED_RUN_TOKEN"]
        self.pending_key = f"{spider.name}:{token}:pending:{worker_id()}"

    # scrapy-redis 0.9.1 passes spider= to the stats collector, deprecated since
    # Scrapy 2.14; the two methods are the same without it.
    def enqueue_request(self, request: Request) -> bool:
        if not request.dont_filter and self.df.request_seen(request):
            self.df.log(request, self.spider)
            return False
        if self.stats:
            self.stats.inc_value("scheduler/enqueued/redis")
        self.queue.push(request)
        return True

    def next_request(self) -> Request | None:
        request: Request | None = self.queue.pop(self.idle_before_close)
        if request is None:
            return None
        if self.stats:
            self.stats.inc_value("scheduler/dequeued/redis")
        self.server.hset(
            self.pending_key, self.df.request_fingerprint(request), self.queue._encode_request(request)
        )
        return request


_WORKER_ID = ""


def worker_id() -> str:
    """This process's name in the run (host, pid and a random part)."""
    global _WORKER_ID
    if not _WORKER_ID:
        _WORKER_ID = f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
    return _WORKER_ID


class DistributedRun:
    """Heartbeats, the run lock's lease, reaping dead workers, and closing together."""

    def __init__(self, crawler: Crawler, client: redis.Redis, token: str) -> None:
        self.crawler = crawler
        self.client = client
        self.token = token
        self.me = worker_id()
        self.state = "busy"
        self.keys: dict[str, str] = {}
        self.beat: LoopingCall | None = None
        self.interval = crawler.settings.getfloat("DISTRIBUTED_HEARTBEAT", HEARTBEAT_SECONDS)
        self.worker_ttl = max(2, round(3 * self.interval))
        self._known: KnownArticles | None = None

    @property
    def known(self) -> KnownArticles:
        """What the store holds or recorded as failed, on the crawl's store (crawler/store/crawl.py)."""
        if self._known is None:
            self._known = KnownArticles.from_crawler(self.crawler)
        return self._known

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DistributedRun:
        token = crawler.settings.get("DISTRIBUTED_RUN_TOKEN")
        if not token:
            raise NotConfigured
        run = cls(crawler, redis_client(crawler.settings["REDIS_URL"]), token)
        crawler.signals.connect(run.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(run.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(run.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(run.busy, signal=signals.response_received)
        return run

    def spider_opened(self, spider: Spider) -> None:
        self.spider = spider
        self.keys = run_keys(spider.name, self.token)
        self.heartbeat()
        self.beat = LoopingCall(self.heartbeat)
        self.beat.start(self.interval, now=False)
        logger.info("Worker %s in distributed run %s of %s", self.me, self.token, spider.name)

    def busy(self, *args: Any, **kwargs: Any) -> None:
        self.state = "busy"

    def heartbeat(self) -> None:
        pipe = self.client.pipeline()
        pipe.set(self.keys["workers"] + self.me, self.state, ex=self.worker_ttl)
        pipe.expire(self.keys["run"], RUN_TTL_SECONDS)
        for name in ("queue", "dupefilter"):
            pipe.expire(self.keys[name], KEYS_TTL_SECONDS)
        pipe.expire(self.keys["pending"] + self.me, KEYS_TTL_SECONDS)
        pipe.execute()

    def workers(self) -> dict[str, str]:
        """Live workers of the run (other than this one) and their state."""
        found: dict[str, str] = {}
        for key in self.client.scan_iter(match=self.keys["workers"] + "*"):
            name = _text(key)[len(self.keys["workers"]) :]
            value = self.client.get(key)
            if name != self.me and value is not None:
                found[name] = _text(value)
        return found

    def dead_pending(self, alive: dict[str, str]) -> Iterator[str]:
        for key in self.client.scan_iter(match=self.keys["pending"] + "*"):
            name = _text(key)[len(self.keys["pending"]) :]
            if name != self.me and name not in alive:
                yield _text(key)

    def reap(self, alive: dict[str, str]) -> int:
        """Put back on the queue what dead workers popped and did not finish."""
        scheduler = (
            self.crawler.engine._slot.scheduler if self.crawler.engine and self.crawler.engine._slot else None
        )
        if not isinstance(scheduler, ReliableScheduler):
            return 0
        parse_article = self.spider.parse_article if isinstance(self.spider, NewsSpider) else None
        requeued = 0
        for key in self.dead_pending(alive):
            entries = self.client.hgetall(key)
            requests = [scheduler.queue._decode_request(blob) for blob in entries.values()]
            articles = [r.url for r in requests if parse_article is not None and r.callback == parse_article]
            done: set[str] = set()
            if articles:
                plan = self.known.plan(articles, datetime.now(UTC))
                done = set(plan.known) | set(plan.failed)
            for request in requests:
                if request.url not in done:
                    scheduler.queue.push(request)
                    requeued += 1
            self.client.delete(key)
            logger.warning(
                "Worker %s died: %d of its %d requests back on the queue", key, requeued, len(requests)
            )
        if requeued and self.crawler.stats:
            self.crawler.stats.inc_value("distributed/requeued_from_dead_workers", requeued)
        return requeued

    def spider_idle(self, spider: Spider) -> None:
        self.state = "idle"
        self.heartbeat()
        alive = self.workers()
        if self.reap(alive):
            raise DontCloseSpider
        busy = [name for name, state in alive.items() if state == "busy"]
        unreaped = list(self.dead_pending(alive))
        if busy or unreaped:
            # another worker may still produce requests, or die and leave some
            raise DontCloseSpider

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.beat is not None and self.beat.running:
            self.beat.stop()
        self.client.delete(self.keys["workers"] + self.me, self.keys["pending"] + self.me)
        if not self.workers():
            # the last worker out ends the run: release the lock, drop the queue and filter
            if self.client.get(self.keys["run"]) == self.token.encode():
                self.client.delete(self.keys["run"])
            self.client.delete(self.keys["queue"], self.keys["dupefilter"])
        self.client.close()
