"""Run feeds are complete: each covers everything stored or changed since the previous feed.

The cursor is kept in the database (``feed_cursors``) on the articles' change sequence
(``articles.change_seq``), and moves only once a feed file is in place. A run that is killed
writes no feed; the next feed carries its articles. A reader who takes every feed file has
every stored article, in its latest state, whatever was killed in between.
"""

from __future__ import annotations

import csv
import multiprocessing
import signal
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from crawler.items import Article, Block
from crawler.store import ArticleStore, make_engine
from devsite.dedup_pairs import story
from devsite.mirror.server import MirrorServer
from devsite.mirror.site import build_site
from pipelines.dedup import dedup_keys
from tests.helpers import crawl, export, start_crawl
from tests.test_cron import _database, count_articles, wait_for

NOW = datetime(2025, 1, 20, 8, 0, tzinfo=UTC)


def article(url: str, body: str, site: str = "alusbu") -> Article:
    item = Article(url=url, site=site, title="مناورات بحرية", source="الأسبوع", published_at=NOW)
    item.blocks = [Block(paragraph) for paragraph in body.split("\n\n")]
    return dedup_keys(item)


def bodies(count: int, seed: int = 11) -> list[str]:
    import random

    rng = random.Random(seed)
    return [story(rng).body for _ in range(count)]


def cut(store: ArticleStore, feed: str) -> list[str]:
    """A feed cut the way the run feed does it: the window's records, then the cursor moves."""
    window = store.feed_window(feed)
    urls = [record["url"] for record in store.feed_records(feed, window)]
    store.advance_feed(feed, window, path=f"{feed}.csv", rows=len(urls), now=datetime.now(UTC))
    return urls


# -- the cursor on the store -------------------------------------------------------------------


def test_a_feed_holds_what_changed_since_the_last_feed_and_nothing_else(store: ArticleStore) -> None:
    first, second, third = bodies(3)
    store.save(article("https://www.elaosboa.com/1/", first), NOW)
    store.save(article("https://www.elaosboa.com/2/", second), NOW)
    store.save(article("https://other.example/3", third, site="other"), NOW)
    assert sorted(cut(store, "alusbu")) == ["https://www.elaosboa.com/1/", "https://www.elaosboa.com/2/"]
    assert cut(store, "alusbu") == []  # nothing changed since

    # seen again unchanged, or its text found at another URL: not fed again
    store.save(article("https://www.elaosboa.com/1/", first), NOW + timedelta(hours=1))
    store.save(article("https://www.elaosboa.com/copy-of-2/", second), NOW + timedelta(hours=1))
    assert cut(store, "alusbu") == []
    # an article updated after it was fed is fed again, in its new state
    store.save(article("https://www.elaosboa.com/1/", first + " وأضاف البيان تفاصيل جديدة."), NOW)
    window = store.feed_window("alusbu")
    [record] = store.feed_records("alusbu", window)
    assert record["body"].endswith("تفاصيل جديدة.")
    assert record["revision"] == 2
    # another site's feed has its own cursor
    assert cut(store, "other") == ["https://other.example/3"]


def test_a_feed_that_was_not_written_leaves_its_rows_for_the_next(store: ArticleStore) -> None:
    first, second = bodies(2)
    store.save(article("https://www.elaosboa.com/1/", first), NOW)
    lost = store.feed_window("alusbu")
    assert len(list(store.feed_records("alusbu", lost))) == 1  # written, then the file failed
    store.save(article("https://www.elaosboa.com/2/", second), NOW)
    assert sorted(cut(store, "alusbu")) == ["https://www.elaosboa.com/1/", "https://www.elaosboa.com/2/"]


def test_the_cursor_never_moves_back(store: ArticleStore) -> None:
    """Two writers of one feed (a run lock turned off): the slower one cannot rewind it."""
    first, second = bodies(2)
    store.save(article("https://www.elaosboa.com/1/", first), NOW)
    early = store.feed_window("alusbu")
    store.save(article("https://www.elaosboa.com/2/", second), NOW)
    assert len(cut(store, "alusbu")) == 2
    store.advance_feed("alusbu", early, path="old.csv", rows=1, now=datetime.now(UTC))
    assert cut(store, "alusbu") == []


def _save_many(database_url: str, urls: list[str], texts: list[str]) -> None:
    store = ArticleStore(make_engine(database_url))
    for url, body in zip(urls, texts, strict=True):
        store.save(article(url, body), datetime.now(UTC))
    store.engine.dispose()


@pytest.mark.postgres
def test_feeds_cut_while_processes_store_miss_nothing(postgres_schema_url: str) -> None:
    """Saves commit in any order on PostgreSQL; the cursor must still never pass one by.

    Four processes store articles at once while this one cuts feeds as fast as it can: the
    union of the feeds is every stored article (a sequence value taken by a transaction that
    commits after a later one would be skipped by a naive cursor).
    """
    store = ArticleStore(make_engine(postgres_schema_url)).prepare()
    texts = bodies(160, seed=23)
    context = multiprocessing.get_context("spawn")
    workers = [
        context.Process(
            target=_save_many,
            args=(
                postgres_schema_url,
                [f"https://www.elaosboa.com/{w}{i:03d}/" for i in range(40)],
                texts[w * 40 : (w + 1) * 40],
            ),
        )
        for w in range(4)
    ]
    for worker in workers:
        worker.start()
    fed: list[str] = []
    while any(worker.is_alive() for worker in workers):
        fed += cut(store, "alusbu")
    for worker in workers:
        worker.join(timeout=60)
        assert worker.exitcode == 0
    fed += cut(store, "alusbu")
    stored = [record["url"] for record in store.iter_records()]
    store.engine.dispose()
    assert len(stored) == 160
    assert sorted(fed) == sorted(stored)  # every article once: no gap, no repeat


# -- whole crawls ------------------------------------------------------------------------------


def feed_files(*workdirs: Path) -> list[Path]:
    return sorted(
        path
        for workdir in workdirs
        for path in (workdir / "feeds" / "alusbu").glob("*.csv")
        if path.name != "latest.csv"
    )


def rows(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.DictReader(stream))


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_killed_run_writes_no_feed_and_the_next_feed_has_its_articles(tmp_path: Path, backend: str) -> None:
    with (
        MirrorServer(build_site(n_articles=120), delay=0.3) as mirror,
        _database(backend, tmp_path) as database,
    ):
        killed = start_crawl(mirror.base_url, tmp_path / "killed", database_url=database)
        wait_for(lambda: count_articles(database) >= 10, timeout=180)
        killed.send_signal(signal.SIGKILL)
        killed.wait(30)
        stored_by_killed = count_articles(database)
        assert feed_files(tmp_path / "killed") == []  # killed: no feed

        mirror.delay = 0.0
        result, _ = crawl(mirror.base_url, tmp_path / "next", database_url=database)
        assert result.returncode == 0, (tmp_path / "next" / "crawl.log").read_text()[-3000:]
        stored = {record["url"] for record in export(database)}
        fed = [
            row["url"] for path in feed_files(tmp_path / "killed", tmp_path / "next") for row in rows(path)
        ]
        assert stored_by_killed < len(stored)
        assert set(fed) == stored
        assert len(fed) == len(set(fed))

        # a normal run's feed: what is new since, and nothing an earlier feed held unchanged
        added = mirror.site.add_articles(3)
        result, stats = crawl(mirror.base_url, tmp_path / "normal", database_url=database)
        assert result.returncode == 0
        [normal] = feed_files(tmp_path / "normal")
        assert sorted(row["url"] for row in rows(normal)) == sorted(a["url"] for a in added)
        assert stats["feed/rows"] == 3


@pytest.mark.postgres
def test_two_processes_closing_at_once_write_one_feed_each_without_overlap(postgres_schema_url: str) -> None:
    """The processes of a distributed run each write a feed when they close: the second waits
    for the first's cut to end, then takes what is left (crawler/extensions/feed.py)."""
    import threading
    import uuid

    from sqlalchemy import text

    second_name = f"second_feed_writer_{uuid.uuid4().hex[:8]}"
    first_store = ArticleStore(make_engine(postgres_schema_url)).prepare()
    second_store = ArticleStore(make_engine(f"{postgres_schema_url}&application_name={second_name}"))
    texts = bodies(4, seed=31)
    for number, body in enumerate(texts[:3]):
        first_store.save(article(f"https://www.elaosboa.com/{number}/", body), NOW)
    assert len(cut(first_store, "alusbu")) == 3  # the cursor row exists from now on
    first_store.save(article("https://www.elaosboa.com/3/", texts[3]), NOW)

    second_got: list[list[str]] = []

    def second_process() -> None:
        with second_store.feed_cut("alusbu") as second:
            urls = [record["url"] for record in second_store.feed_records("alusbu", second.window)]
            second.advance("second.csv", len(urls), datetime.now(UTC))
        second_got.append(urls)

    def second_is_waiting() -> bool:
        with first_store.engine.connect() as connection:
            return bool(
                connection.execute(
                    text(
                        "SELECT count(*) FROM pg_stat_activity"
                        " WHERE application_name = :name AND wait_event_type = 'Lock'"
                    ),
                    {"name": second_name},
                ).scalar()
            )

    with first_store.feed_cut("alusbu") as first:
        first_urls = [record["url"] for record in first_store.feed_records("alusbu", first.window)]
        waiting = threading.Thread(target=second_process)
        waiting.start()
        wait_for(second_is_waiting, timeout=60)
        first.advance("first.csv", len(first_urls), datetime.now(UTC))
    waiting.join(60)
    first_store.engine.dispose()
    second_store.engine.dispose()
    assert first_urls == ["https://www.elaosboa.com/3/"]
    assert second_got == [[]]  # it waited, then found nothing the first had not written
