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
* **Every request is always somewhere.** A request is in the queue, or in the
  in-flight hash of the worker that took it (``…:pending:<worker>``), never in
  neither: taking it is one Lua script (pop and record), queueing it is one
  (filter and push), and its in-flight mark is removed only once the engine is
  done with it (its response's items stored, the requests it led to queued). The
  process that starts a run holds a ``seed`` mark from the moment it takes the
  lock until its start requests are queued, in one script.
* **No loss when a process dies.** Every process refreshes ``…:worker:<worker>``;
  when that key expires, another process puts the dead one's in-flight requests
  back on the queue (the articles the store already holds or recorded as failed
  apart), and queues the start requests again if it died before seeding.
* **Ending together, and only when done.** A process closes when the queue is
  empty and no other worker holds a request in flight, read in one script; a
  dead worker's requests are taken over first. The last one out deletes the run.
* **Judged as a run.** One worker's share of a shared queue can be a listing
  whose articles others fetched, or a dead worker's last requests, bad pages
  all. Each worker records its counts (requests, failed ones, new URLs listed,
  articles read) in the run's tally (``…:tally``) at every heartbeat and before
  its in-flight marks go; closing, it reads the run's sums, which its monitors
  judge (crawler/runs/monitors.py): its field coverage too (article pages read,
  fields found), which a page enters with its title and body (its publish date
  a moment later, in a pipeline), so that a killed worker's pages, read again
  by the worker taking them over, weigh about the same twice.
* **Never a false success.** The scripts check the run key first. A Redis that
  restarted empty (or was flushed) has lost the queue and what other workers
  queued: every worker notices at its next heartbeat or queue operation and
  stops with the finish reason ``redis_state_lost`` (so ``scrapy crawl`` exits
  1 and the run record says failed), unless another process of the run had
  already finished it (the run record in the database says so). While Redis
  does not answer, new requests are held in order and queued when it does (a
  restart with its data loses nothing); silent for ``DISTRIBUTED_REDIS_TIMEOUT``
  seconds, it stops the worker as ``redis_unreachable``.

Failing was chosen over rebuilding the queue in place: the store is the
durable record of what is done, and the next run rediscovers the rest from it
and the listings (after a run that did not finish it walks every listing
page), so a failed run loses nothing; a run rebuilt in place could not know
what the other workers held, and would report as finished a run that lost its
coordination.

The scripts read keys they compute (the workers' keys), which a single Redis
allows and Redis Cluster does not; scrapy-redis does not run on a cluster either.
"""

from __future__ import annotations

import logging
import os
import socket
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import redis
from scrapy import Request, Spider, signals
from scrapy.core.engine import ExecutionEngine
from scrapy.crawler import Crawler
from scrapy.exceptions import CloseSpider, DontCloseSpider, NotConfigured
from scrapy.settings import BaseSettings
from scrapy.utils.defer import deferred_from_coro
from scrapy.utils.misc import load_object
from scrapy_redis.scheduler import Scheduler as RedisScheduler
from sqlalchemy import func, select
from twisted.internet.task import LoopingCall

from crawler.runs.dupefilter import is_redirect_hop
from crawler.runs.incremental import KnownArticles
from crawler.runs.outcome import coverage_counts, run_counts
from crawler.spiders.base import NewsSpider
from crawler.store.db import redact
from crawler.store.models import CrawlRunRow

logger = logging.getLogger(__name__)

# A worker refreshes its key every DISTRIBUTED_HEARTBEAT seconds (setting, default
# 5); silent for three heartbeats, it is dead and its requests are taken over.
HEARTBEAT_SECONDS = 5.0
RUN_TTL_SECONDS = 60  # the run lock outlives its last process by this much
KEYS_TTL_SECONDS = 7 * 24 * 3600  # a run's queue, filter and in-flight hashes, once abandoned
# How long Redis may not answer before a worker gives up (DISTRIBUTED_REDIS_TIMEOUT).
REDIS_TIMEOUT_SECONDS = 60.0
SEED = b"seed"  # the in-flight mark of start requests not yet queued

# Finish reasons of a worker that had to stop because of Redis (not in runrecord.FINISHED_REASONS).
STATE_LOST = "redis_state_lost"
UNREACHABLE = "redis_unreachable"
FAILED = "distributed_error"


def run_keys(spider: str, token: str) -> dict[str, str]:
    prefix = f"{spider}:{token}"
    return {
        "run": f"{spider}:run",
        "queue": f"{prefix}:requests",
        "dupefilter": f"{prefix}:dupefilter",
        "registry": f"{prefix}:workers",  # every worker that joined, alive or dead
        "started": f"{prefix}:started",  # when the run started (ISO 8601, UTC)
        "heartbeat": f"{prefix}:worker:",  # + worker: exists while the worker is alive
        "inflight": f"{prefix}:pending:",  # + worker: take number -> encoded request
        "tally": f"{prefix}:tally",  # "<worker>|<count>" -> that worker's total (outcome.run_counts)
    }


def redis_client(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, socket_timeout=30, health_check_interval=30)


_WORKER_ID = ""


def worker_id() -> str:
    """This process's name in the run (host, pid and a random part)."""
    global _WORKER_ID
    if not _WORKER_ID:
        _WORKER_ID = f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
    return _WORKER_ID


# -- the scripts: each one step that no kill can cut in two -------------------------

# KEYS run, registry, heartbeat, inflight, started; ARGV token, run ttl, me, now, keys ttl
_START = """
if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'EX', ARGV[2]) then return 0 end
redis.call('SADD', KEYS[2], ARGV[3])
redis.call('SET', KEYS[3], 'starting', 'EX', ARGV[2])
redis.call('HSET', KEYS[4], 'seed', '')
redis.call('SET', KEYS[5], ARGV[4], 'EX', ARGV[5])
redis.call('EXPIRE', KEYS[2], ARGV[5])
redis.call('EXPIRE', KEYS[4], ARGV[5])
return 1
"""

# KEYS run, dupefilter, queue, inflight; ARGV token, then (fingerprint or '', score, request)...
# Returns how many were queued, or -1 when the run is gone.
_PUSH = """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return -1 end
local queued = 0
for i = 2, #ARGV, 3 do
  if ARGV[i] == '' or redis.call('SADD', KEYS[2], ARGV[i]) == 1 then
    redis.call('ZADD', KEYS[3], ARGV[i + 1], ARGV[i + 2])
    queued = queued + 1
  end
end
redis.call('HDEL', KEYS[4], 'seed')
return queued
"""

# KEYS run, queue, inflight; ARGV token, take number. The best request, now in flight.
# A take is retried with the same number when its reply was lost (redis-py retries on a broken
# connection, and so does the scheduler): the request that take already moved is returned again.
_TAKE = """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return false end
local held = redis.call('HGET', KEYS[3], ARGV[2])
if held then return held end
local popped = redis.call('ZPOPMIN', KEYS[2])
if #popped == 0 then return false end
redis.call('HSET', KEYS[3], ARGV[2], popped[1])
return popped[1]
"""

# KEYS run, heartbeat, registry, queue, dupefilter, inflight, started
# ARGV token, worker ttl, run ttl, keys ttl, me
_BEAT = """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[2], 'alive', 'EX', ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[3])
redis.call('SADD', KEYS[3], ARGV[5])
for i = 3, #KEYS do redis.call('EXPIRE', KEYS[i], ARGV[4]) end
return 1
"""

# KEYS run, queue, registry; ARGV heartbeat prefix, inflight prefix
# Returns run token, queue length, then per worker: name, alive (0/1), requests in flight.
_SNAPSHOT = """
local found = {redis.call('GET', KEYS[1]) or '', redis.call('ZCARD', KEYS[2])}
for _, name in ipairs(redis.call('SMEMBERS', KEYS[3])) do
  table.insert(found, name)
  table.insert(found, redis.call('EXISTS', ARGV[1] .. name))
  table.insert(found, redis.call('HLEN', ARGV[2] .. name))
end
return found
"""

# KEYS run, queue, registry, dead worker's heartbeat, dead worker's inflight
# ARGV token, dead worker, then (take number, score)... of the requests to queue again.
# Returns how many were queued again, or -1 (the worker is back, or the run is gone).
_REQUEUE = """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return -1 end
if redis.call('EXISTS', KEYS[4]) == 1 then return -1 end
local queued = 0
for i = 3, #ARGV, 2 do
  local request = redis.call('HGET', KEYS[5], ARGV[i])
  if request then
    redis.call('ZADD', KEYS[2], ARGV[i + 1], request)
    queued = queued + 1
  end
end
redis.call('DEL', KEYS[5])
redis.call('SREM', KEYS[3], ARGV[2])
return queued
"""


def tally_field(worker: str, count: str) -> str:
    """The tally's field for one worker's total of one count, as ``_TALLY`` writes it."""
    return f"{worker}|{count}"


# KEYS run, tally; ARGV token, keys ttl, worker, then (count name, this worker's total)...
# The fields are tally_field(worker, count name).
# Records the worker's totals (so a call retried after a lost reply changes nothing) and
# returns the run's, each summed over every worker that recorded one, in ARGV's order.
_TALLY = """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return false end
for i = 4, #ARGV, 2 do redis.call('HSET', KEYS[2], ARGV[3] .. '|' .. ARGV[i], ARGV[i + 1]) end
redis.call('EXPIRE', KEYS[2], ARGV[2])
local recorded = redis.call('HGETALL', KEYS[2])
local sums = {}
for i = 4, #ARGV, 2 do
  local suffix = '|' .. ARGV[i]
  local total = 0
  for j = 1, #recorded, 2 do
    if string.sub(recorded[j], -#suffix) == suffix then total = total + (tonumber(recorded[j + 1]) or 0) end
  end
  table.insert(sums, total)
end
return sums
"""

# KEYS run, registry, queue, dupefilter, started, tally
# ARGV token, heartbeat prefix, inflight prefix, me
# The last worker out deletes the run; 0 while another worker is alive.
_END = """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
local workers = redis.call('SMEMBERS', KEYS[2])
for _, name in ipairs(workers) do
  if name ~= ARGV[4] and redis.call('EXISTS', ARGV[2] .. name) == 1 then return 0 end
end
for _, name in ipairs(workers) do
  redis.call('DEL', ARGV[2] .. name, ARGV[3] .. name)
end
redis.call('DEL', ARGV[2] .. ARGV[4], ARGV[3] .. ARGV[4])
for i = 1, #KEYS do redis.call('DEL', KEYS[i]) end
return 1
"""


class RunGone(Exception):
    """The run key no longer holds this run's token: Redis lost the run's state, or the run ended."""


class RedisRunLock:
    """The run lock of a distributed crawl: ``<spider>:run`` holds the run's token."""

    def __init__(self, url: str, spider: str, join: bool) -> None:
        self.client = redis_client(url)
        self.spider = spider
        self.key = f"{spider}:run"
        self.join = join
        self.token = ""
        self.description = f"Redis key {self.key} on {redact(url)}"

    def acquire(self) -> bool:
        """Start a run (the key was free) or, with ``join``, join the running one.

        Starting takes the key and records this process as a worker holding the
        ``seed`` mark, in one script: a process killed at any point after this has
        its start requests queued again by the others.
        """
        if self.join:
            value = self.client.get(self.key)
            if value is None:
                return False  # nothing to join
            self.token = value.decode() if isinstance(value, bytes) else str(value)
            return True
        token = uuid.uuid4().hex[:12]
        keys = run_keys(self.spider, token)
        me = worker_id()
        started = self.client.register_script(_START)(
            keys=[
                keys["run"],
                keys["registry"],
                keys["heartbeat"] + me,
                keys["inflight"] + me,
                keys["started"],
            ],
            args=[token, RUN_TTL_SECONDS, me, datetime.now(UTC).isoformat(), KEYS_TTL_SECONDS],
        )
        if started:
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


def running_engine(crawler: Crawler) -> ExecutionEngine | None:
    try:
        return crawler.engine
    except RuntimeError:  # Scrapy sets it when the crawl starts
        return None


def requests_in_progress(crawler: Crawler) -> set[Request] | None:
    """The requests the engine took and has not finished with, or None if this Scrapy hides them.

    Scrapy's engine keeps them in its slot (``_Slot.inprogress``): a request
    stays there until its response went through the callback and every item
    it gave went through the pipelines, or until the downloader handed back a
    new request in its place (a redirect, a retry), which is queued first.
    Scrapy sends no signal at that moment, so this reads the set; without it
    in-flight marks are removed only when the engine is idle, which is as
    safe and only requeues more after a kill.
    """
    slot = getattr(running_engine(crawler), "_slot", None)
    requests = getattr(slot, "inprogress", None)
    return requests if isinstance(requests, set) else None


class ReliableScheduler(RedisScheduler):  # type: ignore[misc]
    """scrapy-redis's scheduler with atomic take and push, and in-flight marks kept until done."""

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
        self.token: str = self.crawler.settings["DISTRIBUTED_RUN_TOKEN"]
        self.keys = run_keys(spider.name, self.token)
        self.inflight_key = self.keys["inflight"] + worker_id()
        self._push = self.server.register_script(_PUSH)
        self._take = self.server.register_script(_TAKE)
        self.taken: dict[str, Request] = {}  # take number -> request, while in flight
        self.take_number = 0  # advanced only when a take returned a request
        self.run_gone = False
        self.redis_failing = False
        self.held: list[Request] = []  # requests Redis did not take yet (it did not answer)
        # set by DistributedRun: says why the run is gone and stops this worker
        self.on_run_gone: Callable[[], None] = lambda: stop_worker(self.crawler, STATE_LOST)
        # set by DistributedRun: read the run's counts for the monitors, which run on spider_closed
        self.on_close: Callable[[], None] = lambda: None
        if len(self.queue):
            logger.info("Joining a crawl with %d requests waiting", len(self.queue))

    def close(self, reason: str) -> None:
        """Scrapy closes the scheduler before it sends ``spider_closed``: on every way a worker
        ends (done, a CLOSESPIDER limit, a shutdown), its monitors get the run's counts."""
        try:
            self.on_close()
        except Exception:  # Redis or the store failed us: the monitors judge this worker's own counts
            logger.exception("Could not settle this worker's counts with the run's")
        super().close(reason)

    def _encoded(self, request: Request) -> list[Any]:
        """(fingerprint, score, request) as the push script takes them; no fingerprint: never filtered."""
        fingerprint = (
            "" if request.dont_filter or is_redirect_hop(request) else self.df.request_fingerprint(request)
        )
        return [fingerprint, -request.priority, self.queue._encode_request(request)]

    def push(self, requests: list[Request]) -> int:
        """Filter and queue requests in one step (a kill never leaves one seen but not queued);
        also clears this worker's ``seed`` mark. Raises RunGone."""
        args: list[Any] = [self.token]
        for request in requests:
            args += self._encoded(request)
        if self.run_gone:
            raise RunGone
        queued: int = self._push(
            keys=[self.keys["run"], self.keys["dupefilter"], self.keys["queue"], self.inflight_key], args=args
        )
        if queued < 0:
            self.run_gone = True
            raise RunGone
        return queued

    def enqueue_request(self, request: Request) -> bool:
        if self.held:  # Redis did not answer a moment ago: keep the order
            self.held.append(request)
            return True
        try:
            queued = self.push([request])
        except RunGone:
            self.not_queued(request)
            self.on_run_gone()  # the extension says why, once, and stops the worker
            return False
        except redis.RedisError as error:
            # kept here until Redis answers (flush_held, on each heartbeat); the request that
            # led to it keeps its in-flight mark meanwhile, since sweeps wait for the flush
            logger.warning("Redis does not answer (%s): holding new requests until it does", error)
            self.held.append(request)
            return True
        if not queued:
            self.df.log(request, self.spider)
            return False
        if self.stats:
            self.stats.inc_value("scheduler/enqueued/redis")
        return True

    def flush_held(self) -> None:
        """Queue the requests held while Redis did not answer. Raises RunGone or RedisError."""
        if not self.held:
            return
        held, self.held = self.held, []
        try:
            queued = self.push(held)
        except RunGone:
            for request in held:
                self.not_queued(request)
            raise
        except redis.RedisError:
            self.held = held + self.held
            raise
        logger.info("Redis answers again: %d held requests queued", queued)
        if self.stats:
            self.stats.inc_value("scheduler/enqueued/redis", queued)

    def not_queued(self, request: Request) -> None:
        """A request the run's Redis state can no longer take: counted (the run fails anyway)."""
        if self.stats:
            self.stats.inc_value("distributed/requests_not_queued")
        logger.debug("Not queued, the run's state in Redis is gone: %s", request.url)

    def next_request(self) -> Request | None:
        number = str(self.take_number)
        try:
            blob = self._take(
                keys=[self.keys["run"], self.keys["queue"], self.inflight_key], args=[self.token, number]
            )
        except redis.RedisError as error:
            if not self.redis_failing:
                logger.warning("Redis did not answer a take (%s): retrying", error)
            self.redis_failing = True
            return None
        self.redis_failing = False
        if blob is None:
            return None
        self.take_number += 1
        request: Request = self.queue._decode_request(blob)
        self.taken[number] = request
        if self.stats:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request

    def has_pending_requests(self) -> bool:
        if self.held:
            return True
        try:
            return len(self.queue) > 0
        except redis.RedisError:
            return True  # unknown: not idle; the heartbeat decides how long to wait for Redis

    def sweep(self, everything: bool = False) -> None:
        """Remove the in-flight marks of requests the engine is done with (all of them when idle).

        Not while requests are held for Redis: the ones that led to them must stay in flight.
        """
        if self.held:
            return
        in_progress = requests_in_progress(self.crawler)
        if everything:
            done = list(self.taken)
        elif in_progress is None:
            return
        else:
            done = [number for number, request in self.taken.items() if request not in in_progress]
        if done:
            self.server.hdel(self.inflight_key, *done)
            for number in done:
                del self.taken[number]


def stop_worker(crawler: Crawler, reason: str) -> None:
    """Close the spider with this finish reason, once (a heartbeat and a queue operation may both ask)."""
    if crawler.stats is None or crawler.stats.get_value("distributed/stopped"):
        return
    crawler.stats.set_value("distributed/stopped", reason)
    engine = running_engine(crawler)
    if engine is not None and engine.spider is not None:
        deferred_from_coro(engine.close_spider_async(reason=reason))


@dataclass(frozen=True)
class Snapshot:
    """The run as one script read it: its token, the queue's length, and each worker's state."""

    token: str
    queued: int
    workers: dict[str, tuple[bool, int]]  # name -> (alive, requests in flight)

    @classmethod
    def parse(cls, found: list[Any]) -> Snapshot:
        text = [value.decode() if isinstance(value, bytes) else value for value in found]
        workers = {str(text[i]): (bool(int(text[i + 1])), int(text[i + 2])) for i in range(2, len(text), 3)}
        return cls(str(text[0]), int(text[1]), workers)


class DistributedRun:
    """Heartbeats, the run lock's lease, taking over dead workers, and closing together."""

    def __init__(self, crawler: Crawler, client: redis.Redis, token: str) -> None:
        self.crawler = crawler
        self.client = client
        self.token = token
        self.me = worker_id()
        self.keys: dict[str, str] = {}
        self.beat: LoopingCall | None = None
        self.interval = crawler.settings.getfloat("DISTRIBUTED_HEARTBEAT", HEARTBEAT_SECONDS)
        self.worker_ttl = max(2, round(3 * self.interval))
        self.redis_timeout = crawler.settings.getfloat("DISTRIBUTED_REDIS_TIMEOUT", REDIS_TIMEOUT_SECONDS)
        self.redis_url = redact(crawler.settings["REDIS_URL"])
        self.redis_down_since: float | None = None
        self.scheduler: ReliableScheduler | None = None
        self._known: KnownArticles | None = None
        self._scripts = {
            name: client.register_script(source)
            for name, source in (
                ("beat", _BEAT),
                ("snapshot", _SNAPSHOT),
                ("requeue", _REQUEUE),
                ("end", _END),
                ("tally", _TALLY),
            )
        }

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
        return run

    # -- start -----------------------------------------------------------------------

    def spider_opened(self, spider: Spider) -> None:
        self.spider = spider
        self.keys = run_keys(spider.name, self.token)
        slot = getattr(self.crawler.engine, "_slot", None)
        scheduler = getattr(slot, "scheduler", None)
        if not isinstance(scheduler, ReliableScheduler):
            raise NotConfigured("the distributed run needs crawler.runs.distributed.ReliableScheduler")
        self.scheduler = scheduler
        scheduler.on_run_gone = self.stop_for_lost_run
        scheduler.on_close = self.settle
        if not self.heartbeat_once():
            raise CloseSpider(self.run_gone())
        self.share_start_time(spider)
        if not self.crawler.settings.getbool("DISTRIBUTED_JOIN"):
            self.seed(spider)
        self.beat = LoopingCall(self.heartbeat)
        self.beat.start(self.interval, now=False)
        logger.info("Worker %s in distributed run %s of %s", self.me, self.token, spider.name)

    def share_start_time(self, spider: Spider) -> None:
        """A joining worker's incremental check counts what this run stored before it joined as
        stored by this run (never as known from an earlier run, which would stop a listing walk)."""
        value = self.client.get(self.keys["started"])
        if value is not None and isinstance(spider, NewsSpider):
            started = datetime.fromisoformat(value.decode() if isinstance(value, bytes) else value)
            spider.started_at = min(spider.started_at, started)

    def seed(self, spider: Spider) -> int:
        """Queue the run's start requests (through the filter) and clear the ``seed`` mark, in one step.

        The spider's own start() yields the same requests afterwards; the filter drops them.
        """
        assert self.scheduler is not None
        requests = spider.start_requests_list() if isinstance(spider, NewsSpider) else []
        try:
            return self.scheduler.push(requests)
        except RunGone:
            raise CloseSpider(self.run_gone()) from None

    # -- heartbeat ---------------------------------------------------------------------

    def heartbeat_once(self) -> bool:
        """Refresh this worker's key and the run's leases; False if the run key is gone."""
        keys = self.keys
        alive: int = self._scripts["beat"](
            keys=[
                keys["run"],
                keys["heartbeat"] + self.me,
                keys["registry"],
                keys["queue"],
                keys["dupefilter"],
                keys["inflight"] + self.me,
                keys["started"],
            ],
            args=[self.token, self.worker_ttl, RUN_TTL_SECONDS, KEYS_TTL_SECONDS, self.me],
        )
        return bool(alive)

    def stopping(self) -> bool:
        return bool(self.crawler.stats is not None and self.crawler.stats.get_value("distributed/stopped"))

    def heartbeat(self) -> None:
        if self.stopping():
            return
        try:
            self.tally_now()  # before the sweep: the run's counts then hold what its marks led to
            if self.scheduler is not None:
                self.scheduler.flush_held()
                self.scheduler.sweep()
            alive = self.heartbeat_once()
        except RunGone:
            self.stop_for_lost_run()
            return
        except redis.RedisError as error:
            self.redis_failed(error)
            return
        except Exception:  # a LoopingCall stops at its first error: this worker would look dead
            logger.exception("Distributed run %s: heartbeat failed; trying again", self.token)
            return
        self.redis_answered()
        if not alive:
            self.stop_for_lost_run()

    def redis_failed(self, error: Exception) -> None:
        now = time.monotonic()
        if self.redis_down_since is None:
            self.redis_down_since = now
            logger.warning("Redis at %s does not answer (%s): retrying", self.redis_url, error)
        elif now - self.redis_down_since > self.redis_timeout:
            logger.error(
                "Redis at %s has not answered for %.0f s (%s): stopping this worker as failed. Articles "
                "stored so far are kept; start Redis and the next run picks up the rest.",
                self.redis_url,
                now - self.redis_down_since,
                error,
            )
            stop_worker(self.crawler, UNREACHABLE)

    def redis_answered(self) -> None:
        if self.redis_down_since is not None:
            logger.info("Redis at %s answers again", self.redis_url)
            self.redis_down_since = None

    def stop_for_lost_run(self) -> None:
        if not self.stopping():
            stop_worker(self.crawler, self.run_gone())

    def run_gone(self) -> str:
        """The finish reason for a run key that no longer holds this run, with one line that says why.

        ``finished`` only when another process of this run already ended it
        normally (its run record says so: the last one out deletes the keys);
        otherwise Redis lost the run's state.
        """
        if self.scheduler is not None:
            self.scheduler.run_gone = True
        if self.finished_elsewhere():
            logger.info("Distributed run %s was ended by another worker: closing", self.token)
            return "finished"
        if self.crawler.stats is not None:
            self.crawler.stats.set_value("distributed/state_lost", 1)
        logger.error(
            "Distributed run %s of %s: its state in Redis at %s is gone (the run key %s no longer holds "
            "it, so the queue and the other workers' requests went with it: Redis restarted without "
            "persistence, was flushed, or every worker stalled for %d s). Stopping this worker as "
            "failed; stored articles are kept and the next run picks up the rest. Turn on Redis "
            "persistence (appendonly yes) to ride out restarts.",
            self.token,
            self.keys["run"].split(":", 1)[0],
            self.redis_url,
            self.keys["run"],
            RUN_TTL_SECONDS,
        )
        return STATE_LOST

    def finished_elsewhere(self) -> bool:
        run_key = self.crawler.settings.get("RUN_KEY")
        with self.known.store.sessions() as session:
            finished = session.scalar(
                select(func.count())
                .select_from(CrawlRunRow)
                .where(CrawlRunRow.run_key == run_key, CrawlRunRow.finish_reason == "finished")
            )
        return bool(finished)

    # -- the end -----------------------------------------------------------------------------

    def snapshot(self) -> Snapshot:
        keys = self.keys
        found: list[Any] = self._scripts["snapshot"](
            keys=[keys["run"], keys["queue"], keys["registry"]], args=[keys["heartbeat"], keys["inflight"]]
        )
        return Snapshot.parse(found)

    def spider_idle(self, spider: Spider) -> None:
        """Close only when nothing is queued and no other worker holds a request; take over the dead.

        Scrapy closes an idle spider as ``finished`` when a handler raises
        anything but DontCloseSpider or CloseSpider: an unexpected error here
        (the store unreachable while checking a dead worker's requests, say)
        stops this worker as failed instead.
        """
        if self.stopping():
            return
        try:
            self.decide_idle()
        except (DontCloseSpider, CloseSpider):
            raise
        except Exception as error:
            logger.exception("Distributed run %s: cannot tell whether the run is done: %s", self.token, error)
            raise CloseSpider(FAILED) from error

    def decide_idle(self) -> None:
        assert self.scheduler is not None
        try:
            self.tally_now()  # before the marks go: a worker that sees none left sees these counts
            self.scheduler.sweep(everything=True)  # idle: the engine holds nothing
            snapshot = self.snapshot()
        except redis.RedisError as error:
            self.redis_failed(error)
            raise DontCloseSpider from error
        self.redis_answered()
        if snapshot.token != self.token:
            reason = self.run_gone()
            if reason != "finished":
                raise CloseSpider(reason)
            return  # ended by the others: their monitors judged the run (settle())
        if snapshot.queued:
            raise DontCloseSpider
        requeued, waiting = 0, False
        for name, (alive, in_flight) in snapshot.workers.items():
            if name == self.me or not in_flight:
                continue
            if alive:
                waiting = True  # it may yet queue more
            else:
                requeued += self.take_over(name)
        if requeued or waiting:
            raise DontCloseSpider

    def tally(self) -> dict[str, int] | None:
        """Record this worker's counts in the run's tally; the run's, or None when the run is gone."""
        stats = self.crawler.stats.get_stats()
        counts = run_counts(stats) | coverage_counts(stats)
        args: list[Any] = [self.token, KEYS_TTL_SECONDS, self.me]
        for name, value in counts.items():
            args += [name, value]
        found = self._scripts["tally"](keys=[self.keys["run"], self.keys["tally"]], args=args)
        return dict(zip(counts, (int(total) for total in found), strict=True)) if found else None

    def tally_now(self) -> None:
        """:meth:`tally` on the way: Redis unreachable is the caller's to handle (the heartbeat's,
        the idle check's), a refused script is logged and left (the next call tries again)."""
        try:
            self.tally()
        except redis.ResponseError as error:
            logger.warning("Could not record this worker's counts in the run's tally: %s", error)

    def settle(self) -> None:
        """The run's counts, read as this worker closes, for its monitors (crawler/runs/monitors.py).
        A worker closes when no worker holds a request in flight, and each records its counts
        before its marks go (the dead, at their last heartbeat): the sums are the run's. A worker
        stopped early (a CLOSESPIDER limit) gets the run's so far. A worker back after the
        others ended the run (its heartbeat had lapsed) finds the counts gone with the run: its
        own share is no verdict on the run, which the workers that ended it gave."""
        try:
            totals = self.tally()
        except redis.RedisError as error:  # the monitors then judge this worker's own counts
            logger.warning("Could not read the run's counts from Redis: %s", error)
            return
        if totals is None and self.finished_elsewhere():
            self.crawler.stats.set_value("distributed/run/ended_elsewhere", 1)
            logger.info(
                "Distributed run %s was ended by other workers before this one closed: its failed "
                "requests and new articles were judged by them, not again on this worker's share",
                self.token,
            )
            return
        for name, total in (totals or {}).items():
            self.crawler.stats.set_value(f"distributed/run/{name}", total)

    def take_over(self, dead: str) -> int:
        """Queue again what a dead worker held in flight: its start requests if it had not queued
        them, and every request but the articles the store holds or recorded as failed."""
        assert self.scheduler is not None
        keys = self.keys
        inflight_key = keys["inflight"] + dead
        entries: dict[Any, Any] = self.client.hgetall(inflight_key)
        seeded = self.seed(self.spider) if SEED in entries else 0
        requests: dict[Any, Request] = {}
        args: list[Any] = [self.token, dead]
        for number, blob in entries.items():
            if number == SEED:
                continue
            try:
                requests[number] = self.scheduler.queue._decode_request(blob)
            except Exception as error:  # queued again as it is: never dropped unread
                logger.error("A request held by worker %s cannot be read (%s): queued again", dead, error)
                args += [number, 0]
        done = self.stored(list(requests.values()))
        for number, request in requests.items():
            if request.url not in done:
                args += [number, -request.priority]
        requeued: int = self._scripts["requeue"](
            keys=[keys["run"], keys["queue"], keys["registry"], keys["heartbeat"] + dead, inflight_key],
            args=args,
        )
        if requeued < 0:
            return seeded  # it came back (it only stalled), or the run is gone
        logger.warning(
            "Worker %s died: %d of its %d requests in flight back on the queue%s",
            dead,
            requeued,
            len(requests),
            f", and {seeded} start requests it had not queued" if seeded else "",
        )
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value("distributed/requeued_from_dead_workers", requeued)
            self.crawler.stats.inc_value("distributed/reseeded_for_dead_workers", seeded)
        return requeued + seeded

    def stored(self, requests: list[Request]) -> set[str]:
        """Article URLs among these requests that the store holds or recorded as failed."""
        parse_article = getattr(self.spider, "parse_article", None)
        articles = [r.url for r in requests if parse_article is not None and r.callback == parse_article]
        if not articles:
            return set()
        started = getattr(self.spider, "started_at", None)
        plan = self.known.plan(articles, datetime.now(UTC), run_started=started)
        return set(plan.known) | set(plan.failed) | set(plan.this_run)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        """Leave the run; the last worker out deletes it.

        Scrapy closes a spider only once every request it took is done (its
        slot drains first), so nothing this worker took is still in flight.
        """
        if self.beat is not None and self.beat.running:
            self.beat.stop()
        keys = self.keys
        try:
            if self.scheduler is not None and not self.scheduler.run_gone:
                self.client.delete(keys["heartbeat"] + self.me)  # dead at once to the others
                if self.scheduler.held:
                    # Redis never took what this worker's last requests led to: the others
                    # take those requests over again from its in-flight hash
                    logger.error(
                        "%d new requests never reached Redis: the requests that led to them go "
                        "back on the queue when another worker takes this one over",
                        len(self.scheduler.held),
                    )
                    return
                # this worker's counts are in the tally: the scheduler recorded them as it closed
                self.scheduler.sweep(everything=True)
                self.client.delete(keys["inflight"] + self.me)
                self.client.srem(keys["registry"], self.me)
                self._scripts["end"](
                    keys=[
                        keys["run"],
                        keys["registry"],
                        keys["queue"],
                        keys["dupefilter"],
                        keys["started"],
                        keys["tally"],
                    ],
                    args=[self.token, keys["heartbeat"], keys["inflight"], self.me],
                )
        except redis.RedisError as error:
            logger.warning("Could not leave distributed run %s cleanly: %s", self.token, error)
        finally:
            self.client.close()
