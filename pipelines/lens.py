"""Stage 5, lens: what a defence analyst filters on: relevance, topics, actors.

Each article gets a relevance score (0..1) and its topics from the curated
lexicon (crawler/lens/relevance.py), and the countries, alliances, armed forces,
armed groups and officials it mentions (crawler/lens/actors.py). The store
then places new articles in stories from their actors (crawler/lens/stories.py).

With ``MIN_RELEVANCE`` set, articles scoring below it are not stored: each is
logged and counted (``articles/dropped/irrelevant``), and a page whose articles
all fell below is remembered like a page that gave no article, so the next cron
runs do not fetch it again (crawler/runs/incremental.py). By default every article
is stored with its score, and the analyst filters the export.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from scrapy.crawler import Crawler

from crawler.items import Article, PageItem
from crawler.lens.actors import find_actors
from crawler.lens.relevance import score
from crawler.text.urls import canonical_url
from pipelines.base import PageStage

logger = logging.getLogger(__name__)

IRRELEVANT = "irrelevant"


def lens_article(article: Article) -> Article:
    """Score the article and list its actors, in place."""
    # the body text is joined from its blocks by the dedup stage, after this one
    body = article.body or "\n\n".join(article.paragraphs())
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

    def process_page(self, page: PageItem) -> PageItem:
        for article in page.articles:
            lens_article(article)
            for topic in article.topics:
                self.inc(f"lens/topic/{topic}")
            if self.min_relevance is not None and (article.relevance or 0.0) < self.min_relevance:
                article.store_outcome = f"dropped:{IRRELEVANT}"
                self.inc(f"articles/dropped/{IRRELEVANT}")
                logger.info(
                    "Not storing %s: relevance %.2f below MIN_RELEVANCE %.2f",
                    article.url,
                    article.relevance or 0.0,
                    self.min_relevance,
                )
        if page.articles and all(a.store_outcome == f"dropped:{IRRELEVANT}" for a in page.articles):
            self._remember_irrelevant(page)
        return page

    def _remember_irrelevant(self, page: PageItem) -> None:
        """Record the page so that incremental runs skip it (when a spider keeps that record)."""
        spider = self.crawler.spider if self.crawler is not None else None
        if spider is None or not getattr(spider, "records_failures", False):
            return
        known = getattr(spider, "known", None)
        if known is not None:
            url = canonical_url(page.requested_url or page.url)
            known.record_failure(url, spider.name, IRRELEVANT, datetime.now(UTC))
