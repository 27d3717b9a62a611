"""One store per crawl: one engine, shared by the spider, the store stage and the run recorder.

The spider (its incremental check and failed pages: crawler/runs/incremental.py),
the store stage (pipelines/store.py) and the run recorder
(crawler/extensions/runrecord.py) each call :func:`crawl_store` and get the
same :class:`~crawler.store.ArticleStore`, made on the first call from the
crawl's database URL (:func:`crawler.store.db.database_url`: the environment's
``DATABASE_URL``, else the setting, else SQLite under data/), so that a crawl
holds one connection pool and not three. Each caller still prepares the schema
before its first use, as before (:meth:`ArticleStore.prepare` is idempotent).

The store is owned here, not by any of its users: it is disposed when the
crawl's engine stops (``engine_stopped``), after every ``spider_closed``
handler (the run feed and the run record read and write then).
"""

from __future__ import annotations

from weakref import WeakKeyDictionary

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.settings import BaseSettings

from crawler.store.db import database_url, make_engine
from crawler.store.repository import ArticleStore


class CrawlStore:
    """The store of one crawl, and its disposal when the crawl's engine stops."""

    def __init__(self, crawler: Crawler) -> None:
        self.store = ArticleStore(
            make_engine(database_url(crawler.settings)), story_vectors=story_vectors(crawler.settings)
        )
        crawler.signals.connect(self.engine_stopped, signal=signals.engine_stopped)

    def engine_stopped(self) -> None:
        self.store.engine.dispose()


def story_vectors(settings: BaseSettings | None) -> bool:
    """``STORY_VECTORS``: whether the store reads reports as sentence vectors (default on)."""
    return settings.getbool("STORY_VECTORS", True) if settings is not None else True


_BY_CRAWLER: WeakKeyDictionary[Crawler, CrawlStore] = WeakKeyDictionary()


def crawl_store(crawler: Crawler) -> ArticleStore:
    """The crawl's store, made on first use."""
    owner = _BY_CRAWLER.get(crawler)
    if owner is None:
        owner = _BY_CRAWLER[crawler] = CrawlStore(crawler)
    return owner.store
