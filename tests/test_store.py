"""The article store, on SQLite and PostgreSQL: one row per article, whatever arrives in which order."""

from __future__ import annotations

import multiprocessing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from crawler.items import Actor, Article, Attribution, Block, Embed, RelatedLink
from crawler.search.index import is_search_table
from crawler.store import (
    ArticleStore,
    ExportFilter,
    make_engine,
    validators,  # its table is on Base.metadata too (migration 0007)
)
from crawler.store.migrate import current_revision, head_revision
from crawler.store.models import Base
from devsite.dedup_pairs import story, syndicate
from pipelines.dedup import dedup_keys
from tests.helpers import run_module

NOW = datetime(2025, 1, 20, 8, 0, tzinfo=UTC)
BODY = "\n\n".join(
    [
        "قالت وزارة الدفاع إن القوات البحرية أجرت مناورات واسعة في البحر الأحمر بمشاركة فرقاطات ومروحيات.",
        "وأضاف البيان أن التدريبات شملت التعامل مع أهداف سطحية وجوية وتأمين خطوط الملاحة التجارية.",
        "وأكد المتحدث العسكري أن المناورات تأتي في إطار خطة التدريب السنوية لرفع الكفاءة القتالية للقوات.",
    ]
)


def article(url: str, body: str = BODY, published: datetime | None = NOW, title: str = "مناورات") -> Article:
    item = Article(url=url, site="alusbu", title=title, source="الأسبوع", published_at=published)
    item.related = [RelatedLink("عنوان مرتبط", "https://www.elaosboa.com/100002/")]
    item.attributions = [Attribution("source_line", "الأسبوع", "المصدر: الأسبوع")]
    item.embeds = [
        Embed("twitter", "TASS", "@tass", "https://x.com/tass/status/1", "2025-01-19", "", "t", ["l"])
    ]
    item.blocks = [Block(paragraph) for paragraph in body.split("\n\n")]
    return dedup_keys(item)


def test_new_then_unchanged(store: ArticleStore) -> None:
    assert store.save(article("https://www.elaosboa.com/100001/"), NOW).outcome == "new"
    assert (
        store.save(article("https://www.elaosboa.com/100001/"), NOW + timedelta(hours=1)).outcome
        == "unchanged"
    )
    assert store.count() == 1
    [record] = store.iter_records()
    assert record["first_seen_at"] == "2025-01-20T08:00:00Z"
    assert record["last_seen_at"] == "2025-01-20T09:00:00Z"
    assert record["published_at"] == "2025-01-20T08:00:00Z"
    assert record["related"] == [{"title": "عنوان مرتبط", "url": "https://www.elaosboa.com/100002/"}]
    assert record["embeds"][0]["links"] == ["l"]


def test_an_edit_updates_the_row_and_counts_a_revision(store: ArticleStore) -> None:
    store.save(article("https://www.elaosboa.com/100001/"), NOW)
    edited = article("https://www.elaosboa.com/100001/", body=BODY + " وأضافت الوزارة تفاصيل جديدة.")
    result = store.save(edited, NOW + timedelta(hours=2))
    assert (result.outcome, result.changed) == ("updated", True)
    [record] = store.iter_records()
    assert record["revision"] == 2
    assert record["body"].endswith("تفاصيل جديدة.")


def test_same_text_at_another_url_is_a_duplicate(store: ArticleStore) -> None:
    store.save(article("https://www.elaosboa.com/100001/"), NOW)
    result = store.save(article("https://www.elaosboa.com/100009/"), NOW)
    assert result.outcome == "duplicate"
    assert store.count() == 1
    [record] = store.iter_records()
    assert record["url"] == "https://www.elaosboa.com/100001/"
    assert record["duplicate_urls"] == ["https://www.elaosboa.com/100009/"]
    # the duplicate URL is known: seen again, it is the same article
    assert store.save(article("https://www.elaosboa.com/100009/"), NOW).outcome == "unchanged"


def test_the_earliest_publication_is_the_record_whatever_the_crawl_order(store: ArticleStore) -> None:
    store.save(article("https://www.elaosboa.com/100009/", published=NOW), NOW)
    result = store.save(article("https://www.elaosboa.com/100001/", published=NOW - timedelta(days=1)), NOW)
    assert (result.outcome, result.changed) == ("duplicate", True)
    [record] = store.iter_records()
    assert record["url"] == "https://www.elaosboa.com/100001/"
    assert record["duplicate_urls"] == ["https://www.elaosboa.com/100009/"]


def test_a_lightly_edited_copy_from_another_outlet_is_one_article(store: ArticleStore) -> None:
    import random

    rng = random.Random(3)
    original = story(rng)
    copy = syndicate(rng, original.paragraphs, edits=3)
    store.save(article("https://www.elaosboa.com/100001/", body=original.body), NOW)
    result = store.save(article("https://other.example/news/77", body="\n\n".join(copy)), NOW)
    assert result.outcome == "near_duplicate"
    [record] = store.iter_records()
    assert record["duplicate_urls"] == ["https://other.example/news/77"]
    # a different report of the same event stays a separate article
    other = story(rng, original.event, quote=True)
    assert store.save(article("https://third.example/1", body=other.body), NOW).outcome == "new"
    assert store.count() == 2


def test_export_filters(store: ArticleStore) -> None:
    store.save(
        article("https://www.elaosboa.com/100001/", published=NOW - timedelta(days=10), body="أ " * 60), NOW
    )
    store.save(article("https://www.elaosboa.com/100002/", published=NOW, body="ب " * 60), NOW)
    urls = [r["url"] for r in store.iter_records(ExportFilter(since=NOW - timedelta(days=1)))]
    assert urls == ["https://www.elaosboa.com/100002/"]
    urls = [r["url"] for r in store.iter_records(ExportFilter(until=NOW - timedelta(days=1)))]
    assert urls == ["https://www.elaosboa.com/100001/"]
    assert list(store.iter_records(ExportFilter(site="other"))) == []
    assert len(list(store.iter_records(ExportFilter(source="الأسبوع")))) == 2


def test_export_filters_on_the_lens_fields(store: ArticleStore) -> None:
    naval = article("https://www.elaosboa.com/100001/", body="أ " * 60)
    naval.relevance, naval.topics = 0.9, ["naval", "air"]
    naval.actors = [Actor("روسيا", "country", 2, True)]
    sport = article("https://www.elaosboa.com/100002/", body="ب " * 60)
    sport.relevance, sport.topics = 0.1, []
    # a topic whose slug contains another's ("air" in "air_defence") must not match it
    missiles = article("https://www.elaosboa.com/100003/", body="ت " * 60)
    missiles.relevance, missiles.topics = 0.7, ["missiles_air_defence"]
    for item in (naval, sport, missiles):
        store.save(item, NOW)

    def urls(where: ExportFilter) -> list[str]:
        return [r["url"].rsplit("/", 2)[-2] for r in store.iter_records(where)]

    assert urls(ExportFilter(min_relevance=0.5)) == ["100001", "100003"]
    assert urls(ExportFilter(topic="air")) == ["100001"]
    assert urls(ExportFilter(topic="missiles_air_defence")) == ["100003"]
    assert urls(ExportFilter(actor="روسيا")) == ["100001"]
    assert urls(ExportFilter(actor="الصين")) == []


# -- schema ----------------------------------------------------------------------------


def test_migrations_and_models_agree(store: ArticleStore) -> None:
    assert validators.HttpValidatorRow.__table__ is Base.metadata.tables["http_validators"]
    with store.engine.connect() as connection:
        assert current_revision(connection) == head_revision()
        diff = compare_metadata(
            MigrationContext.configure(
                connection,
                # the search index is raw SQL (an FTS5 table on SQLite), not a model: crawler/search/index.py
                opts={"compare_type": True, "include_name": lambda name, *_: not is_search_table(name)},
            ),
            Base.metadata,
        )
    assert diff == []


def test_alembic_upgrade_head_from_the_command_line(database_url: str) -> None:
    result = run_module("alembic", "upgrade", "head", env={"DATABASE_URL": database_url})
    assert result.returncode == 0, result.stderr
    engine = make_engine(database_url)
    with engine.connect() as connection:
        assert current_revision(connection) == head_revision()
    engine.dispose()


# -- concurrency -----------------------------------------------------------------------


def _save_after_barrier(database_url: str, bodies: list[str], urls: list[str], barrier: object) -> list[str]:
    store = ArticleStore(make_engine(database_url))
    outcomes = []
    for body, url in zip(bodies, urls, strict=True):
        barrier.wait()  # type: ignore[attr-defined]
        outcomes.append(store.save(article(url, body=body), datetime.now(UTC)).outcome)
    store.engine.dispose()
    return outcomes


def _worker(args: tuple[str, list[str], list[str], object], queue: object) -> None:
    queue.put(_save_after_barrier(*args))  # type: ignore[attr-defined]


@pytest.mark.parametrize("same_url", [True, False], ids=["same-article", "syndicated-copy"])
def test_two_processes_storing_the_same_article_at_once_make_one_row(
    store: ArticleStore, database_url: str, same_url: bool
) -> None:
    """Many rounds: in each, two processes save the same story at the same instant."""
    import random

    rng = random.Random(5)
    rounds = 12
    originals = [story(rng) for _ in range(rounds)]
    first_bodies = [s.body for s in originals]
    second_bodies = (
        first_bodies if same_url else ["\n\n".join(syndicate(rng, s.paragraphs, 2)) for s in originals]
    )
    first_urls = [f"https://www.elaosboa.com/{200000 + i}/" for i in range(rounds)]
    second_urls = first_urls if same_url else [f"https://other.example/{i}" for i in range(rounds)]
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(2)
    queue = context.Queue()
    workers = [
        context.Process(target=_worker, args=((database_url, first_bodies, first_urls, barrier), queue)),
        context.Process(target=_worker, args=((database_url, second_bodies, second_urls, barrier), queue)),
    ]
    for worker in workers:
        worker.start()
    results = [queue.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)
        assert worker.exitcode == 0
    assert store.count() == rounds
    for first, second in zip(*results, strict=True):
        assert sorted([first, second]) in (
            ["new", "unchanged"],
            ["duplicate", "new"],
            ["near_duplicate", "new"],
        )


@pytest.mark.postgres
def test_stores_in_two_schemas_of_one_database_do_not_queue_on_each_others_keys() -> None:
    """A save holds advisory locks on its article's keys until commit; locks are per
    database, stores per schema: the same article saved into another schema's store
    meanwhile must go on, not wait for the first transaction (lock_timeout makes a wait
    an error here instead of a hang)."""
    from sqlalchemy.orm import Session

    from tests.conftest import postgres_schema

    with postgres_schema() as first_url, postgres_schema() as second_url:
        impatient = second_url.replace(
            "options=-csearch_path", "options=-clock_timeout%3D2000%20-csearch_path"
        )
        assert impatient != second_url
        stores = [ArticleStore(make_engine(url), story_vectors=False) for url in (first_url, second_url)]
        second = ArticleStore(make_engine(impatient), story_vectors=False)
        try:
            for store in stores:
                store.prepare()  # each schema at head, with no lock_timeout
            first = stores[0]
            item = article("https://www.elaosboa.com/300001/")
            with first.engine.connect() as connection, connection.begin():
                first.writer._lock(Session(bind=connection), item)  # held until this block ends
                assert second.save(item, NOW).outcome == "new"
            assert first.save(item, NOW).outcome == "new"
        finally:
            for store in (*stores, second):
                store.engine.dispose()


def test_a_pages_own_article_is_stored_after_its_appended_ones() -> None:
    """Each save is its own transaction, and the page's URL in the store is what tells the
    next run the page is done: a process killed between two saves must not leave the page's
    URL stored without its appended article (seen once in tests/test_cron.py's SIGKILL run)."""
    from typing import Any, cast

    from crawler.items import PageItem, PageMeta
    from pipelines.store import StorePipeline

    class Killed(Exception):
        """The process dies during the second save."""

    saved: list[str] = []

    class DyingStore:
        def save(self, article: Article, now: datetime, **options: Any) -> Any:
            saved.append(article.url)
            raise Killed

    url = "https://www.elaosboa.com/100001/"
    own = Article(url=url, site="alusbu", title="عنوان الخبر", body="نص " * 30)
    appended = Article(url=url + "#appended-1", site="alusbu", title="خبر ملحق", body="نص " * 30)
    appended.appended_from = url
    page = PageItem(
        url=url,
        site="alusbu",
        publisher="الأسبوع",
        fetched_at=datetime.now(UTC),
        meta=PageMeta(title=own.title),
        blocks=[],
        articles=[own, appended],
    )
    stage = StorePipeline()
    stage.store = cast("Any", DyingStore())
    results = stage._write(page)
    assert saved == [appended.url]  # the page's own URL is never stored first
    # neither is stored: the failure stops the page at its first refused article
    assert [type(result.error) for result in results] == [Killed, Killed]  # type: ignore[union-attr]


def test_the_writer_stores_a_page_whose_vectors_could_not_be_made_ahead() -> None:
    """The vectors are made ahead of the writer (pipelines/store.py); if that fails (the
    database busy, say), the writer stores the page all the same, making them itself."""
    from concurrent.futures import Future
    from typing import Any, cast

    from crawler.items import PageItem, PageMeta
    from pipelines.store import StorePipeline, vector_threads

    saved: list[str] = []

    class Store:
        def save(self, article: Article, now: datetime, **options: Any) -> Any:
            saved.append(article.url)
            raise RuntimeError("stop here: the save was reached")

    url = "https://www.elaosboa.com/100001/"
    own = Article(url=url, site="alusbu", title="عنوان الخبر", body="نص " * 30)
    page = PageItem(
        url=url,
        site="alusbu",
        publisher="الأسبوع",
        fetched_at=datetime.now(UTC),
        meta=PageMeta(),
        blocks=[],
        articles=[own],
    )
    failed: Future[None] = Future()
    failed.set_exception(TimeoutError("database is locked"))
    stage = StorePipeline()
    stage.store = cast("Any", Store())
    stage._write_after(page, failed)
    assert saved == [url]
    cancelled: Future[None] = Future()
    cancelled.cancel()  # the crawl closing: the writer neither waits for good nor skips the page
    stage._write_after(page, cancelled)
    assert saved == [url, url]
    # one vector thread per core the crawl may use, at most four; 0 leaves them to the writer
    assert 1 <= vector_threads(None) <= 4
    assert vector_threads(0) == vector_threads("0") == 0
    assert vector_threads("3") == 3


@pytest.mark.parametrize(
    ("settings", "vectors", "threads"),
    [
        ({}, True, "cores"),
        ({"STORY_VECTOR_THREADS": 0}, True, 0),
        ({"STORY_VECTOR_THREADS": 2}, True, 2),
        ({"STORY_VECTORS": False}, False, 0),
    ],
)
def test_the_story_vector_settings_reach_the_crawls_store(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    settings: dict[str, object],
    vectors: bool,
    threads: object,
) -> None:
    """STORY_VECTORS and STORY_VECTOR_THREADS, as a crawl's store stage reads them."""
    from scrapy.utils.test import get_crawler

    from pipelines.store import StorePipeline, vector_threads

    monkeypatch.delenv("DATABASE_URL", raising=False)
    crawler = get_crawler(settings_dict={"DATABASE_URL": f"sqlite:///{tmp_path / 'news.db'}", **settings})
    stage = StorePipeline(crawler)
    stage.open_spider()
    try:
        assert stage.store is not None
        assert stage.store.writer.story_vectors is vectors
        assert stage.vector_threads == (vector_threads(None) if threads == "cores" else threads)
        assert (stage.vectors is not None) == bool(stage.vector_threads)
    finally:
        stage.close_spider()
        assert stage.store is not None
        stage.store.engine.dispose()
