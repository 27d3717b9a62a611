"""The distributed scheduler's take and push against a connection that breaks mid-step (crawler/runs/distributed.py).

A worker killed, or a connection broken, after Redis carried out a command but before the worker
read the reply: the command's effect stands, the worker never learns of it. A take or a push made
of two commands lost the request in between (seen twice in 41 kill -9s of bench/soak_distributed.py:
popped from the queue, then killed before it was recorded in flight). Here every request must stay
in the queue or in a worker's in-flight hash, and a take retried after a lost reply returns the
request it had already moved.
"""

from __future__ import annotations

import contextlib
import pickle
from collections.abc import Iterator
from typing import Any

import pytest
import redis
from redis.backoff import NoBackoff
from redis.retry import Retry
from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.settings import Settings
from scrapy.utils.project import get_project_settings
from scrapy.utils.test import get_crawler

from crawler.runs.distributed import ReliableScheduler, apply_settings, worker_id
from crawler.runs.dupefilter import RedisRunDupeFilter
from crawler.spiders.sites import spider_class
from devsite.redis_server import RedisServer
from tests.redis_helpers import running_redis

pytestmark = pytest.mark.redis

TOKEN = "t0k3n"
SPIDER = "alusbu"
QUEUE = f"{SPIDER}:{TOKEN}:requests"
FILTER = f"{SPIDER}:{TOKEN}:dupefilter"
URLS = [f"https://www.elaosboa.com/{number}/" for number in (100001, 100002, 100003)]


class LosesAReply(redis.Redis):
    """A client whose connection breaks right after Redis carried out its n-th command."""

    fail_at = 0
    calls = 0

    def _count(self) -> None:
        self.calls += 1
        if self.calls == self.fail_at:
            raise redis.ConnectionError("connection lost before the reply")

    def execute_command(self, *args: Any, **options: Any) -> Any:
        result = super().execute_command(*args, **options)
        self._count()
        return result

    def pipeline(self, transaction: bool = True, shard_hint: Any = None) -> Any:
        pipe = super().pipeline(transaction, shard_hint)
        execute = pipe.execute

        def execute_then_count(raise_on_error: bool = True) -> Any:
            result = execute(raise_on_error)
            self._count()
            return result

        pipe.execute = execute_then_count  # type: ignore[method-assign]
        return pipe

    def lose_next_reply(self) -> None:
        self.fail_at = self.calls + 1


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    yield from running_redis()


@pytest.fixture
def scheduler(redis_server: RedisServer) -> Iterator[ReliableScheduler]:
    """The scheduler of a worker in run TOKEN, on a client that can lose a reply (no retries)."""
    settings: Settings = get_project_settings()
    settings.set("REDIS_URL", redis_server.url)
    settings.set("TWISTED_REACTOR_ENABLED", False)  # the scheduler alone: no crawl, no reactor
    apply_settings(settings, TOKEN)
    crawler: Crawler = get_crawler(spider_class(SPIDER), settings.copy_to_dict())
    crawler.spider = crawler._create_spider()
    client = redis_server.client()
    client.set(f"{SPIDER}:run", TOKEN)
    client.close()
    scheduler = ReliableScheduler.from_crawler(crawler)
    scheduler.server = LosesAReply.from_url(redis_server.url, retry=Retry(NoBackoff(), 0))
    scheduler.df = RedisRunDupeFilter(scheduler.server, key=FILTER)
    scheduler.open(crawler.spider)
    yield scheduler
    scheduler.server.close()


def article(url: str, spider: Any) -> Request:
    return Request(url, callback=spider.parse_article, priority=30)


def whereabouts(scheduler: ReliableScheduler) -> dict[str, list[str]]:
    """Each URL: where Redis has it (queued, or in flight with this worker)."""
    client = scheduler.server
    found: dict[str, list[str]] = {url: [] for url in URLS}
    for blob in client.zrange(QUEUE, 0, -1):
        found[pickle.loads(blob)["url"]].append("queued")
    for blob in client.hvals(f"{SPIDER}:{TOKEN}:pending:{worker_id()}"):
        if blob:
            found[pickle.loads(blob)["url"]].append("in flight")
    return found


def test_a_take_whose_reply_is_lost_keeps_the_request_and_returns_it_when_taken_again(
    scheduler: ReliableScheduler,
) -> None:
    for url in URLS:
        assert scheduler.enqueue_request(article(url, scheduler.spider))
    first = scheduler.next_request()  # the take script is loaded: the next one runs at once
    server: LosesAReply = scheduler.server
    server.lose_next_reply()
    try:
        taken_before_the_break = scheduler.next_request()
    except redis.ConnectionError:
        taken_before_the_break = None
    assert taken_before_the_break is None  # the worker never learnt what it took
    assert all(places for places in whereabouts(scheduler).values())  # nothing fell between
    rest = [scheduler.next_request() for _ in URLS[1:]]
    taken = [first, *rest]
    assert sorted(r.url for r in taken if r is not None) == URLS  # each one once, none lost
    assert scheduler.next_request() is None


def test_a_push_whose_reply_is_lost_never_leaves_a_request_filtered_but_not_queued(
    scheduler: ReliableScheduler,
) -> None:
    scheduler.enqueue_request(article(URLS[1], scheduler.spider))  # the push script is loaded
    lost = article(URLS[0], scheduler.spider)
    server: LosesAReply = scheduler.server
    server.lose_next_reply()
    with contextlib.suppress(redis.ConnectionError):
        scheduler.enqueue_request(lost)
    held = [r.url for r in getattr(scheduler, "held", [])]  # kept by the worker until Redis answers
    if server.sismember(FILTER, scheduler.df.request_fingerprint(lost)):
        # the filter will drop it from now on: it must be queued or held
        assert whereabouts(scheduler)[URLS[0]] == ["queued"] or URLS[0] in held
    scheduler.flush_held()  # Redis answers again
    assert whereabouts(scheduler)[URLS[0]] == ["queued"]
    # found again through another listing: still queued once
    scheduler.enqueue_request(article(URLS[0], scheduler.spider))
    assert whereabouts(scheduler)[URLS[0]] == ["queued"]
