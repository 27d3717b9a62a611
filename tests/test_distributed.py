"""A crawl shared by several processes on a real Redis and PostgreSQL (crawler/runs/distributed.py).

Each test runs its own redis-server on a free port (devsite/redis_server.py), so it can kill and
restart it, and no test sees another's keys.
"""

from __future__ import annotations

import pickle
import random
import signal
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import redis
from scrapy import Request
from sqlalchemy import create_engine, update

from bench.soak_distributed import soak_run
from crawler.runs.distributed import RedisRunLock, run_keys, tally_field
from crawler.runs.dupefilter import RedisRunDupeFilter
from crawler.runs.outcome import COVERAGE_COUNTS, run_counts
from crawler.store.models import CrawlRunRow
from devsite.mirror.faults import FaultPlan
from devsite.mirror.server import MirrorServer
from devsite.mirror.site import build_site
from devsite.redis_server import RedisServer
from tests.conftest import postgres_url
from tests.helpers import crawl, export, read_stats, scrapy, start_crawl
from tests.redis_helpers import running_redis
from tests.test_cron import count_articles, runs, wait_for

pytestmark = [pytest.mark.slow, pytest.mark.redis, pytest.mark.postgres]

ARTICLES = 120
# Each article page answers after this long: the first process must still be
# busy when the second has started (about 4 s of imports, three times that on
# a loaded machine) and joined.
ARTICLE_DELAY = 1.0
SETTINGS = {
    "CONCURRENT_REQUESTS": "4",
    "DISTRIBUTED_HEARTBEAT": "1",  # a killed worker is taken over after 3 s
}
SPIDER = "alusbu"


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    yield from running_redis()


def start(
    base_url: str, workdir: Path, database: str, redis_url: str, *, join: bool, **settings: str
) -> subprocess.Popen[str]:
    return start_crawl(
        base_url,
        workdir,
        database_url=database,
        settings={**SETTINGS, "DISTRIBUTED_JOIN": "1" if join else "0", **settings},
        env={"REDIS_URL": redis_url},
    )


def article_paths(server: MirrorServer) -> list[str]:
    paths = [urlsplit(a["url"]).path for a in server.site.manifest["articles"] if not a["appended_from"]]
    return paths + [urlsplit(u).path for a in server.site.manifest["articles"] for u in a["duplicate_urls"]]


def expected_urls(server: MirrorServer) -> list[str]:
    return sorted(a["url"] for a in server.site.manifest["articles"])


def start_pair(
    server: MirrorServer, tmp_path: Path, database: str, redis_url: str
) -> tuple[subprocess.Popen[str], subprocess.Popen[str]]:
    first = start(server.base_url, tmp_path / "first", database, redis_url, join=False)
    client = redis.Redis.from_url(redis_url)
    wait_for(lambda: client.exists(f"{SPIDER}:run") or first.poll() is not None, timeout=120)
    client.close()
    assert first.poll() is None, first.stderr.read() if first.stderr else ""
    second = start(server.base_url, tmp_path / "second", database, redis_url, join=True)
    client = redis.Redis.from_url(redis_url)
    wait_for(lambda: len(workers_in_run(client)) >= 2 or second.poll() is not None, timeout=120)
    client.close()
    assert second.poll() is None, second.stderr.read() if second.stderr else ""
    return first, second


def workers_in_run(client: redis.Redis) -> set[bytes]:
    """The workers the running run has registered (the starter from the start, a joiner once open)."""
    token = client.get(f"{SPIDER}:run")
    if token is None:
        return set()
    members: set[bytes] = client.smembers(run_keys(SPIDER, token.decode())["registry"])  # type: ignore[assignment]
    return members


def start_pair_and_store_some(
    server: MirrorServer, tmp_path: Path, database: str, redis_url: str
) -> tuple[subprocess.Popen[str], subprocess.Popen[str]]:
    """Both workers in the run, and 20 articles stored: the run is well under way."""
    first, second = start_pair(server, tmp_path, database, redis_url)
    wait_for(lambda: count_articles(database) >= 20, timeout=180)
    return first, second


def finished(process: subprocess.Popen[str], timeout: float = 300) -> int:
    code = process.wait(timeout)
    for stream in (process.stdout, process.stderr):
        if stream is not None:
            stream.close()
    return code


def test_two_processes_share_one_crawl(
    tmp_path: Path, postgres_schema_url: str, redis_server: RedisServer
) -> None:
    with MirrorServer(build_site(n_articles=ARTICLES), delay=ARTICLE_DELAY) as server:
        first, second = start_pair(server, tmp_path, postgres_schema_url, redis_server.url)
        assert finished(first) == 0
        assert finished(second) == 0
        hits = {path: server.hits(path, "GET") for path in article_paths(server)}
        expected = expected_urls(server)

    assert hits == dict.fromkeys(hits, 1)  # every article page fetched once in total
    stored = export(postgres_schema_url)
    assert sorted(r["url"] for r in stored) == expected  # stored once each
    one, two = read_stats(tmp_path / "first"), read_stats(tmp_path / "second")
    assert one["response_received_count"] > 10
    assert two["response_received_count"] > 10  # the joining process did a real share
    assert one.get("articles/new", 0) + two.get("articles/new", 0) == len(expected)
    assert [run.status for run in runs(postgres_schema_url)] == ["finished", "finished"]
    client = redis_server.client()
    assert list(client.scan_iter(match=f"{SPIDER}:*")) == []  # the last process out cleaned up
    client.close()
    for workdir in (tmp_path / "first", tmp_path / "second"):
        log = (workdir / "crawl.log").read_text("utf-8")
        assert "Traceback" not in log
        assert "ScrapyDeprecationWarning" not in log


def test_killing_one_process_loses_nothing(
    tmp_path: Path, postgres_schema_url: str, redis_server: RedisServer
) -> None:
    with MirrorServer(build_site(n_articles=ARTICLES), delay=ARTICLE_DELAY) as server:
        first, second = start_pair_and_store_some(server, tmp_path, postgres_schema_url, redis_server.url)
        first.send_signal(signal.SIGKILL)  # the process that started the run
        finished(first, 30)
        assert finished(second) == 0
        expected = expected_urls(server)

    stored = export(postgres_schema_url)
    assert sorted(r["url"] for r in stored) == expected
    survivor = read_stats(tmp_path / "second")
    assert survivor["finish_reason"] == "finished"
    assert survivor["distributed/requeued_from_dead_workers"] >= 1


def test_kill_nine_at_random_moments_loses_nothing(tmp_path: Path) -> None:
    """The soak of bench/soak_distributed.py, short: three kill -9s of one worker at random moments,
    extraction in a worker process; every article stored once, no orphaned process."""
    result = soak_run(
        0,
        3,
        random.Random(13),
        postgres_url(),  # the soak makes its own schema
        tmp_path,
        articles=80,
        latency=0.5,
        extract_workers=1,
        kill_window=(1.0, 5.0),
    )
    assert result.kills >= 2, result.line()
    assert result.reconciled, result.line()  # none missing, no duplicate, no orphan, survivors exit 0


def test_a_redis_that_restarts_empty_fails_the_run_and_the_next_run_completes_it(
    tmp_path: Path, postgres_schema_url: str, redis_server: RedisServer
) -> None:
    with MirrorServer(build_site(n_articles=ARTICLES), delay=ARTICLE_DELAY) as server:
        first, second = start_pair_and_store_some(server, tmp_path, postgres_schema_url, redis_server.url)
        redis_server.restart()  # no persistence: it comes back with no keys
        assert finished(first) == 1
        assert finished(second) == 1
        partial = count_articles(postgres_schema_url)
        assert partial < ARTICLES
        for workdir in (tmp_path / "first", tmp_path / "second"):
            assert read_stats(workdir)["finish_reason"] == "redis_state_lost"
            log = (workdir / "crawl.log").read_text("utf-8")
            assert "its state in Redis" in log
            assert "next run picks up the rest" in log
        assert [run.status for run in runs(postgres_schema_url)] == ["failed", "failed"]

        # the next run starts afresh and stores the rest
        again = start(server.base_url, tmp_path / "again", postgres_schema_url, redis_server.url, join=False)
        assert finished(again) == 0
        expected = expected_urls(server)
    assert sorted(r["url"] for r in export(postgres_schema_url)) == expected


def test_a_redis_that_restarts_with_its_data_loses_nothing(tmp_path: Path, postgres_schema_url: str) -> None:
    """Requests that Redis could not take while it restarted are held by the worker and queued
    when it answers again; the run goes on and finishes complete."""
    with (
        RedisServer(persistent=True) as redis_server,
        MirrorServer(build_site(n_articles=ARTICLES), delay=ARTICLE_DELAY) as server,
    ):
        first, second = start_pair_and_store_some(server, tmp_path, postgres_schema_url, redis_server.url)
        redis_server.restart(down_for=4.0)  # longer than the client's own retries
        assert finished(first) == 0
        assert finished(second) == 0
        expected = expected_urls(server)
    assert sorted(r["url"] for r in export(postgres_schema_url)) == expected
    logs = [(tmp_path / name / "crawl.log").read_text("utf-8") for name in ("first", "second")]
    assert any("not answer" in log for log in logs)  # the outage was seen


def _fake_worker(
    client: redis.Redis,
    token: str,
    name: str,
    in_flight: dict[str, bytes],
    ttl: float,
    counts: dict[str, int] | None = None,
) -> None:
    """A worker of the run as another process would have recorded itself, whose heartbeat stops;
    ``counts`` are the totals it recorded in the run's tally (see _record_counts)."""
    keys = run_keys(SPIDER, token)
    client.sadd(keys["registry"], name)
    client.set(keys["heartbeat"] + name, "idle", px=int(ttl * 1000))
    if in_flight:
        client.hset(keys["inflight"] + name, mapping=in_flight)  # type: ignore[arg-type]
    if counts:
        _record_counts(client, token, name, counts)


def _record_counts(client: redis.Redis, token: str, name: str, counts: dict[str, int]) -> None:
    """A worker's totals in the run's tally, as its tally script writes them (names of
    outcome.run_counts and outcome.coverage_counts)."""
    tally = run_keys(SPIDER, token)["tally"]
    client.hset(tally, mapping={tally_field(name, count): n for count, n in counts.items()})


def _dead_starter(redis_server: RedisServer) -> tuple[RedisRunLock, redis.Redis]:
    """The run lock taken by a process that then died before queueing anything: its heartbeat
    has expired. Returns the lock (to release at the end) and a client of the run's Redis."""
    lock = RedisRunLock(redis_server.url, SPIDER, join=False)
    assert lock.acquire()
    client = redis_server.client()
    for key in client.scan_iter(match=f"{SPIDER}:{lock.token}:worker:*"):
        client.delete(key)
    return lock, client


def _encoded_article_request(url: str) -> bytes:
    """An article request as the scheduler stores it (scrapy-redis's pickled request dict)."""
    request = Request(url, priority=30, meta={"discovered_by": "listing"})
    data: dict[str, Any] = request.to_dict()
    data["callback"], data["errback"] = "parse_article", "article_failed"
    return pickle.dumps(data, protocol=-1)


def test_a_worker_that_dies_holding_a_request_at_the_end_keeps_the_others_open(
    tmp_path: Path, postgres_schema_url: str, redis_server: RedisServer
) -> None:
    """The end of a run: the queue is empty and another worker, which last said it was idle, holds
    the last article in flight, then dies. The others must not close before taking it over."""
    with MirrorServer(build_site(n_articles=8)) as server:
        articles = server.site.manifest["articles"]
        appended_to = {a["appended_from"] for a in articles}
        held = next(a["url"] for a in articles if not a["appended_from"] and a["url"] not in appended_to)
        client = redis_server.client()
        lock = RedisRunLock(redis_server.url, SPIDER, join=False)
        assert lock.acquire()
        keys = run_keys(SPIDER, lock.token)
        client.delete(*client.keys(f"{SPIDER}:{lock.token}:*"))  # this test process is no worker
        _fake_worker(client, lock.token, "elsewhere-1", {"7": _encoded_article_request(held)}, ttl=2.0)
        joiner = start(
            server.base_url,
            tmp_path / "joiner",
            postgres_schema_url,
            redis_server.url,
            join=True,
            DISTRIBUTED_HEARTBEAT="0.5",
        )
        # the other worker stays alive until the joiner has been open and idle for a while
        deadline: float | None = None
        while joiner.poll() is None and (deadline is None or time.monotonic() < deadline):
            client.set(keys["run"], lock.token, ex=60)
            client.set(keys["heartbeat"] + "elsewhere-1", "idle", px=2000)
            if deadline is None and any(client.scan_iter(match=keys["heartbeat"] + "*-*-*")):
                deadline = time.monotonic() + 5  # the joiner is in: it reaches idle at once
            time.sleep(0.2)
        assert finished(joiner) == 0
        client.close()
        lock.release()
    assert [r["url"] for r in export(postgres_schema_url)] == [held]
    assert read_stats(tmp_path / "joiner")["distributed/requeued_from_dead_workers"] == 1


def test_a_run_whose_starter_died_before_queueing_its_start_requests_is_crawled_by_the_others(
    tmp_path: Path, postgres_schema_url: str, redis_server: RedisServer
) -> None:
    """The process that took the run lock was killed before its start requests reached Redis: a
    joining worker queues them itself rather than finishing an empty run."""
    with MirrorServer(build_site()) as server:
        lock, client = _dead_starter(redis_server)  # this process is the starter, and now "dies"
        joiner = start(server.base_url, tmp_path / "joiner", postgres_schema_url, redis_server.url, join=True)
        assert finished(joiner) == 0
        expected = expected_urls(server)
        client.close()
        lock.release()
    assert sorted(r["url"] for r in export(postgres_schema_url)) == expected
    assert read_stats(tmp_path / "joiner")["distributed/reseeded_for_dead_workers"] >= 1


@dataclass
class Share:
    """A joiner whose share of a run looks failed, beside a worker that did the run's work."""

    joiner: subprocess.Popen[str]
    lock: RedisRunLock
    client: redis.Redis
    listed: list[str]  # the article URLs on the listings
    urls: list[str]  # every article page, duplicates' URLs too
    bad: list[str]  # the mirror's bad pages

    @property
    def keys(self) -> dict[str, str]:
        return run_keys(SPIDER, self.lock.token)


def _joiner_with_a_failed_looking_share(
    server: MirrorServer, tmp_path: Path, database: str, redis_server: RedisServer
) -> Share:
    """The two shares the soak met, staged with fake workers in Redis: the joiner fetches the
    listings and sees another worker ("elsewhere-1", alive) hold and store every article on them,
    storing none itself; and it takes over a dead worker's last requests, bad pages all, so that
    most of its few requests fail. Returns once "elsewhere-1" stored the articles (a plain crawl on
    the same store) and still holds its marks, so the joiner is still open."""
    articles = server.site.manifest["articles"]
    listed = [a["url"] for a in articles if not a["appended_from"]]
    urls = listed + [url for a in articles for url in a["duplicate_urls"]]
    bad = [page["url"] for page in server.site.manifest["bad_pages"]]
    lock, client = _dead_starter(redis_server)
    keys = run_keys(SPIDER, lock.token)
    seen = RedisRunDupeFilter(client, keys["dupefilter"])
    for url in urls + bad:  # every article page is in flight somewhere: the filter has seen it
        assert not seen.request_seen(Request(url))
    # one worker is alive and holds every article; its counts say it fetched and read them
    articles_held = {str(n): _encoded_article_request(url) for n, url in enumerate(urls)}
    counts = {"requested": len(urls), "failed": 0, "listed": 0, "read": len(urls)}
    coverage = {f"coverage/{name}": len(urls) for name in COVERAGE_COUNTS}
    _fake_worker(client, lock.token, "elsewhere-1", articles_held, ttl=30.0, counts=counts | coverage)
    # one is dead, holding the bad pages
    _fake_worker(
        client,
        lock.token,
        "dead-1",
        {str(n): _encoded_article_request(u) for n, u in enumerate(bad)},
        ttl=0.1,
    )
    joiner = start(server.base_url, tmp_path / "joiner", database, redis_server.url, join=True)

    def beat() -> None:  # the live worker's heartbeat
        client.set(keys["run"], lock.token, ex=60)
        client.set(keys["heartbeat"] + "elsewhere-1", "busy", px=30000)

    def joiner_idle() -> bool:
        beat()
        fetched = {path for path in server.log.counts("GET") if path != "/robots.txt"}
        in_flight = any(client.hlen(key) for key in client.scan_iter(match=keys["inflight"] + "*-*-*"))
        bad_fetched = all(urlsplit(url).path in fetched for url in bad)
        return bad_fetched and not client.zcard(keys["queue"]) and not in_flight

    wait_for(joiner_idle, timeout=120)  # it fetched the listings, feeds, sitemaps and the bad pages
    assert joiner.poll() is None
    elsewhere = start_crawl(
        server.base_url, tmp_path / "elsewhere", database_url=database, env={"REDIS_URL": ""}
    )
    while elsewhere.poll() is None:
        beat()
        time.sleep(0.2)
    assert finished(elsewhere) == 0
    beat()
    return Share(joiner, lock, client, listed, urls, bad)


def _assert_the_share_looks_failed(stats: dict[str, Any], share: Share) -> None:
    own = run_counts(stats)
    assert own["read"] == 0  # the joiner read no article itself
    assert own["listed"] >= len(share.listed)  # yet it listed every article as new
    assert stats["pages/failed"] == len(share.bad)
    assert (stats["pages/failed"] + stats["discovery/failed"]) / own["requested"] > 0.2  # its share: failed


def test_a_worker_is_judged_by_what_the_run_did_not_by_its_share(
    tmp_path: Path, postgres_schema_url: str, redis_server: RedisServer
) -> None:
    """The queue is shared, so one worker's share of a run can look like a failed run (the soak
    met both, see _joiner_with_a_failed_looking_share). The run did fine: no monitor fails."""
    with MirrorServer(build_site(n_articles=40)) as server:  # enough that its bad pages pass the monitors
        share = _joiner_with_a_failed_looking_share(server, tmp_path, postgres_schema_url, redis_server)
        keys, client = share.keys, share.client
        client.delete(keys["inflight"] + "elsewhere-1", keys["heartbeat"] + "elsewhere-1")  # it leaves
        client.srem(keys["registry"], "elsewhere-1")
        code = finished(share.joiner)
        client.close()
        share.lock.release()
    stats = read_stats(tmp_path / "joiner")
    _assert_the_share_looks_failed(stats, share)
    assert code == 0, stats.get("monitors/messages")
    assert not stats.get("monitors/failed")
    own = run_counts(stats)
    assert stats["distributed/run/read"] == len(share.urls)
    assert stats["distributed/run/listed"] == own["listed"]
    assert stats["distributed/run/requested"] == own["requested"] + len(share.urls)
    assert stats["distributed/run/failed"] == len(share.bad) + stats["discovery/failed"]
    # the other worker's article pages and the joiner's own (a bad page or two it read)
    assert stats["distributed/run/coverage/pages"] == len(share.urls) + stats["coverage/pages"]


def test_field_coverage_is_judged_on_every_worker_of_the_run(
    tmp_path: Path, postgres_schema_url: str, redis_server: RedisServer
) -> None:
    """Each worker records the article pages it read and the fields found on them. Here another
    found a title on a quarter of its 40 pages: the run's template is broken, and the joiner,
    whose own pages nearly all have one, fails the title's coverage with the run."""
    with MirrorServer(build_site()) as server:
        lock, client = _dead_starter(redis_server)
        coverage = {f"coverage/{name}": 40 for name in COVERAGE_COUNTS} | {"coverage/title": 10}
        _record_counts(client, lock.token, "elsewhere-1", coverage)
        joiner = start(server.base_url, tmp_path / "joiner", postgres_schema_url, redis_server.url, join=True)
        code = finished(joiner)
        client.close()
        lock.release()
    stats = read_stats(tmp_path / "joiner")
    own_pages = stats["coverage/pages"]
    assert own_pages >= 5  # enough to judge
    assert stats["coverage/title"] / own_pages >= 0.9  # alone, it passes
    assert code == 3
    assert stats["distributed/run/coverage/pages"] == 40 + own_pages
    assert stats["distributed/run/coverage/title"] == 10 + stats["coverage/title"]
    assert "field coverage/title" in stats["monitors/failed"]
    assert f"of {40 + own_pages} article pages read by any worker of the run" in str(
        stats["monitors/messages"]
    )


def test_a_worker_back_after_the_run_ended_elsewhere_leaves_the_verdict_to_those_that_ended_it(
    tmp_path: Path, postgres_schema_url: str, redis_server: RedisServer
) -> None:
    """The other workers ended the run while this one was away (its heartbeat lapsed): the run's
    counts went with the run's keys. This worker's share is no verdict on the run, which the
    workers that ended it gave: its failed-requests and new-articles monitors do not fail it."""
    with MirrorServer(build_site(n_articles=40)) as server:
        share = _joiner_with_a_failed_looking_share(server, tmp_path, postgres_schema_url, redis_server)
        # "elsewhere-1" ends the run: its run record says so, and as the last one out (as far as
        # it could tell) it deletes the run's keys, the tally with them
        engine = create_engine(postgres_schema_url)
        with engine.begin() as connection:
            connection.execute(update(CrawlRunRow).values(run_key=f"redis:{share.lock.token}"))
        engine.dispose()
        share.client.delete(share.keys["run"], *share.client.keys(f"{SPIDER}:{share.lock.token}:*"))
        code = finished(share.joiner)
        share.client.close()
        share.lock.release()
    stats = read_stats(tmp_path / "joiner")
    _assert_the_share_looks_failed(stats, share)
    assert stats["finish_reason"] == "finished"
    assert code == 0, stats.get("monitors/messages")
    assert not stats.get("monitors/failed")
    assert stats["distributed/run/ended_elsewhere"] == 1
    assert (
        "was ended by other workers before this one closed" in (tmp_path / "joiner" / "crawl.log").read_text()
    )


def test_a_distributed_run_that_stores_nothing_still_fails(
    tmp_path: Path, postgres_schema_url: str, redis_server: RedisServer
) -> None:
    """Judged as a run, a run in which no worker could read a single article (every article
    page a PDF here; a broken extraction alike) still fails the new-articles monitor."""
    plan = FaultPlan(rates={"non_html": 1.0})
    with MirrorServer(build_site(n_articles=12), faults=plan) as server:
        result, stats = crawl(
            server.base_url,
            tmp_path / "run",
            database_url=postgres_schema_url,
            settings=SETTINGS,
            env={"REDIS_URL": redis_server.url},
        )
    assert result.returncode == 3
    assert stats["distributed/run/listed"] > 0
    assert stats["distributed/run/read"] == 0
    assert "new articles/stored when the site listed new ones" in stats["monitors/failed"]
    assert "none was stored by any worker of the run" in result.stderr


def test_a_worker_stopped_by_a_closespider_limit_is_judged_by_the_run_too(
    tmp_path: Path, postgres_schema_url: str, redis_server: RedisServer
) -> None:
    """The run's counts are read as the scheduler closes, before the monitors run, on every way
    a worker ends: here a CLOSESPIDER limit, which Scrapy counts as finished."""
    with MirrorServer(build_site(n_articles=12)) as server:
        _, stats = crawl(
            server.base_url,
            tmp_path / "run",
            database_url=postgres_schema_url,
            settings={**SETTINGS, "CLOSESPIDER_PAGECOUNT": "6"},
            env={"REDIS_URL": redis_server.url},
        )
    assert stats["finish_reason"] == "closespider_pagecount"
    assert {name: stats[f"distributed/run/{name}"] for name in run_counts(stats)} == run_counts(stats)


def test_a_second_run_cannot_start_while_a_distributed_run_is_going(
    tmp_path: Path, postgres_schema_url: str, redis_server: RedisServer
) -> None:
    # each article answers after 5 s, so the first run outlasts the second's start-up even on a
    # loaded machine (at 0.5 s it had finished, lock released, before the second checked); the
    # first is killed at the end, so the delay costs the test nothing
    with MirrorServer(build_site(), delay=5.0) as server:
        first = start(server.base_url, tmp_path / "first", postgres_schema_url, redis_server.url, join=False)
        try:
            client = redis_server.client()
            wait_for(lambda: client.exists(f"{SPIDER}:run"), timeout=60)
            client.close()
            again = scrapy(
                "crawl",
                SPIDER,
                "-a",
                f"base_url={server.base_url}",
                env={"DATABASE_URL": postgres_schema_url, "REDIS_URL": redis_server.url},
            )
            assert again.returncode == 75
            assert "Another alusbu crawl is running" in again.stderr
        finally:
            first.send_signal(signal.SIGKILL)
            finished(first, 30)


def test_joining_when_no_run_is_going_exits(redis_server: RedisServer, postgres_schema_url: str) -> None:
    result = scrapy(
        "crawl",
        SPIDER,
        "-s",
        "DISTRIBUTED_JOIN=1",
        env={"DATABASE_URL": postgres_schema_url, "REDIS_URL": redis_server.url},
    )
    assert result.returncode == 75
    assert "No alusbu crawl is running to join" in result.stderr
