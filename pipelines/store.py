"""Stage 6, store: upsert every article of a page; count what happened.

An article without a title or body is not stored (it would be a half-empty
row): it is dropped with a counted reason. After each write the stage sends
:data:`crawler.signals.article_stored`, which the run feed (and later the run
record) listen to: data flows on from the store to the exporters.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from scrapy.crawler import Crawler

from crawler.items import PageItem
from crawler.signals import article_stored
from crawler.store import ArticleStore, database_url, make_engine, redact
from pipelines.base import PageStage

logger = logging.getLogger(__name__)


def missing_field(title: str, body: str) -> str | None:
    if not title:
        return "no_title"
    if not body:
        return "empty_body"
    return None


class StorePipeline(PageStage):
    stage = "store"

    def __init__(self, crawler: Crawler | None = None, url: str | None = None) -> None:
        super().__init__(crawler)
        self.url = url or database_url(crawler.settings if crawler else None)
        self.store: ArticleStore | None = None

    def open_spider(self) -> None:
        self.store = ArticleStore(make_engine(self.url))
        self.store.prepare()
        logger.info("Storing articles in %s", redact(self.url))

    def close_spider(self) -> None:
        if self.store is not None:
            self.store.engine.dispose()

    def process_page(self, page: PageItem) -> PageItem:
        assert self.store is not None, "open_spider() was not called"
        now = datetime.now(UTC)
        for article in page.articles:
            if article.store_outcome.startswith("dropped:"):
                continue  # an earlier stage dropped it, counted and logged (pipelines/lens.py)
            reason = missing_field(article.title, article.body)
            if reason:
                self.inc(f"articles/dropped/{reason}")
                logger.warning("Not storing %s: %s", article.url, reason)
                article.store_outcome = f"dropped:{reason}"
                continue
            result = self.store.save(article, now)
            article.store_outcome = result.outcome
            self.inc(f"articles/{result.outcome}")
            if self.crawler is not None:
                self.crawler.signals.send_catch_log(
                    article_stored, article=article, result=result, store=self.store
                )
        return page
