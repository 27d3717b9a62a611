"""A crawl shared by two processes on the real Redis and PostgreSQL (crawler/runs/distributed.py)."""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import redis

from devsite.mirror.server import MirrorServer
from devsite.mirror.site import build_site
from tests.helpers import export, read_stats, scrapy, start_crawl
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


def start(
    base_url: str, workdir: Path, database: str, redis_url: str, *, join: bool
) -> subprocess.Popen[str]:
    return start_crawl(
        base_url,
        workdir,
        database_url=database,
        settings={**SETTINGS, "DISTRIBUTED_JOIN": "1" if join else "0"},
        env={"REDIS_URL": redis_url},
    )


def article_paths(server: MirrorServer) -> list[str]:
    paths = [urlsplit(a["url"]).path for a in server.site.manifest["articles"] if not a["appended_from"]]
    return paths + [urlsplit(u).path for a in server.site.manifest["articles"] for u in a["duplicate_urls"]]


def start_pair(
    server: MirrorServer, tmp_path: Path, database: str, redis_url: str
) -> tuple[subprocess.Popen[str], subprocess.Popen[str]]:
    first = start(server.base_url, tmp_path / "first", database, redis_url, join=False)
    client = redis.Redis.from_url(redis_url)
    wait_for(lambda: client.exists("alusbu:run"), timeout=60)
    client.close()
    second = start(server.base_url, tmp_path / "second", database, redis_url, join=True)
    return first, second


def test_two_processes_share_one_crawl(tmp_path: Path, postgres_schema_url: str, redis_url: str) -> None:
    with MirrorServer(build_site(n_articles=ARTICLES), delay=ARTICLE_DELAY) as server:
        first, second = start_pair(server, tmp_path, postgres_schema_url, redis_url)
        assert first.wait(300) == 0, first.stderr.read() if first.stderr else ""
        assert second.wait(300) == 0, second.stderr.read() if second.stderr else ""
        hits = {path: server.hits(path, "GET") for path in article_paths(server)}
        expected = {a["url"] for a in server.site.manifest["articles"]}

    assert hits == dict.fromkeys(hits, 1)  # every article page fetched once in total
    stored = export(postgres_schema_url)
    assert sorted(r["url"] for r in stored) == sorted(expected)  # stored once each
    one, two = read_stats(tmp_path / "first"), read_stats(tmp_path / "second")
    assert one["response_received_count"] > 10
    assert two["response_received_count"] > 10  # the joining process did a real share
    assert one.get("articles/new", 0) + two.get("articles/new", 0) == len(expected)
    assert [run.status for run in runs(postgres_schema_url)] == ["finished", "finished"]
    client = redis.Redis.from_url(redis_url)
    assert list(client.scan_iter(match="alusbu:*")) == []  # the last process out cleaned up
    client.close()
    for workdir in (tmp_path / "first", tmp_path / "second"):
        log = (workdir / "crawl.log").read_text("utf-8")
        assert "Traceback" not in log
        assert "ScrapyDeprecationWarning" not in log


def test_killing_one_process_loses_nothing(tmp_path: Path, postgres_schema_url: str, redis_url: str) -> None:
    with MirrorServer(build_site(n_articles=ARTICLES), delay=ARTICLE_DELAY) as server:
        first, second = start_pair(server, tmp_path, postgres_schema_url, redis_url)
        wait_for(lambda: count_articles(postgres_schema_url) >= 20, timeout=180)
        first.send_signal(signal.SIGKILL)  # the process that started the run
        first.wait(30)
        assert second.wait(300) == 0, second.stderr.read() if second.stderr else ""
        expected = {a["url"] for a in server.site.manifest["articles"]}

    stored = export(postgres_schema_url)
    assert sorted(r["url"] for r in stored) == sorted(expected)
    survivor = read_stats(tmp_path / "second")
    assert survivor["finish_reason"] == "finished"
    assert survivor["distributed/requeued_from_dead_workers"] >= 1


def test_a_second_run_cannot_start_while_a_distributed_run_is_going(
    tmp_path: Path, postgres_schema_url: str, redis_url: str
) -> None:
    with MirrorServer(build_site(), delay=0.5) as server:
        first = start(server.base_url, tmp_path / "first", postgres_schema_url, redis_url, join=False)
        try:
            client = redis.Redis.from_url(redis_url)
            wait_for(lambda: client.exists("alusbu:run"), timeout=60)
            client.close()
            started = time.monotonic()
            again = scrapy(
                "crawl",
                "alusbu",
                "-a",
                f"base_url={server.base_url}",
                env={"DATABASE_URL": postgres_schema_url, "REDIS_URL": redis_url},
            )
            assert time.monotonic() - started < 15
            assert again.returncode == 75
            assert "Another alusbu crawl is running" in again.stderr
        finally:
            first.send_signal(signal.SIGKILL)
            first.wait(30)


def test_joining_when_no_run_is_going_exits(redis_url: str, postgres_schema_url: str) -> None:
    result = scrapy(
        "crawl",
        "alusbu",
        "-s",
        "DISTRIBUTED_JOIN=1",
        env={"DATABASE_URL": postgres_schema_url, "REDIS_URL": redis_url},
    )
    assert result.returncode == 75
    assert "No alusbu crawl is running to join" in result.stderr
