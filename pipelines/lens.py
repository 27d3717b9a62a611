"""Stage 5, lens: what a defence analyst filters on: relevance, topics, actors.

Each article gets a relevance score (0..1) and its topics from the curated
lexicon (crawler/lens/relevance.py), and the countries, alliances, armed forces,
armed groups and officials it mentions (crawler/lens/actors.py). The store
then places new articles in stories from their actors (crawler/lens/stories.py).

With ``MIN_RELEVANCE`` set, articles scoring below it are not stored: each is
logged and counted (``articles/dropped/irrelevant``), and a page whose articles
all fell below is rejected (:data:`crawler.signals.page_rejected`): the spider
remembers it like a page that gave no article, so the next cron runs do not fetch
it again (crawler/runs/incremental.py). By default every article is stored with
its score, and the analyst filters the export.

The lens is the first stage that reads the body as text: it joins it
(:meth:`~crawler.items.Article.join_body`), and later stages read ``article.body``.
"""

from __future__ import annotations

import logging

from scrapy.crawler import Crawler
from twisted.python.failure import Failure

from crawler.items import Article, DropReason, PageItem, StoreOutcome
from crawler.lens.actors import find_actors
from crawler.lens.relevance import score
from crawler.signals import page_rejected
from crawler.text.urls import canonical_url
from pipelines.base import PageStage

logger = logging.getLogger(__name__)

IRRELEVANT = DropReason.IRRELEVANT


def lens_article(article: Article) -> Article:
    """Score the article and list its actors, in place (its body joined first)."""
    body = article.join_body()
    relevance = score(article.title, body)
    article.relevance = relevance.relevance
    article.topics = list(relevance.topics)
    article.actors = find_actors(article.title, body)
    return article


def min_relevance(crawler: Crawler | None) -> float | None:
    """``MIN_RELEVANCE`` as a number in [0, 1], or None (store everything)."""
    if crawler is None:
        return None
    value = crawler.settings.get("MIN_RELEVANCE")
    if value is None or value == "":
        return None
    threshold = float(value)
    if not 0.0 <= threshold <= 1.0:
        raise ValueError(f"MIN_RELEVANCE must be between 0 and 1, not {value!r}")
    return threshold


class LensPipeline(PageStage):
    stage = "lens"

    def __init__(self, crawler: Crawler | None = None) -> None:
        super().__init__(crawler)
        self.min_relevance = min_relevance(crawler)

    @staticmethod
    def prepare(page: PageItem) -> PageItem:
        for article in page.articles:
            lens_article(article)
        return page

    def account(self, page: PageItem) -> None:
        for article in page.articles:
            for topic in article.topics:
                self.inc(f"lens/topic/{topic}")
            if self.min_relevance is not None and (article.relevance or 0.0) < self.min_relevance:
                article.store_outcome = StoreOutcome.DROPPED_IRRELEVANT
                self.inc(f"articles/dropped/{IRRELEVANT}")
                logger.info(
                    "Not storing %s: relevance %.2f below MIN_RELEVANCE %.2f",
                    article.url,
                    article.relevance or 0.0,
                    self.min_relevance,
                )
        if page.articles and all(a.store_outcome is StoreOutcome.DROPPED_IRRELEVANT for a in page.articles):
            self._reject(page)

    def _reject(self, page: PageItem) -> None:
        """Announce the page as irrelevant, so that incremental runs skip it (when the spider
        records failures: crawler/spiders/base.py ``remember_rejected``)."""
        if self.crawler is None or self.crawler.spider is None:
            return
        url = canonical_url(page.requested_url or page.url)
        for _, result in self.crawler.signals.send_catch_log(page_rejected, url=url, reason=IRRELEVANT.value):
            if isinstance(result, Failure):
                # as when the stage wrote the record itself: a failed write drops the page, counted
                result.raiseException()
