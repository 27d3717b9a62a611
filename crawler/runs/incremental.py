"""What an incremental run fetches: new article URLs, young articles once more, nothing else.

The check runs against the store before a request is scheduled, one query per
listing page (or feed, or sitemap). A young article (published, or first seen,
less than ``RECHECK_YOUNG_HOURS`` ago) fetched only once is fetched a second
time, to catch the edits newsrooms make in the first hours; after that a
stored article is never fetched again unless the run says ``-a refresh=1``.
A URL that gave no article for a lasting reason (404, not HTML, no title…)
is tried again only after ``FAILED_RETRY_HOURS``; transient failures (5xx,
timeouts) are retried by the next run.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from scrapy.crawler import Crawler
from sqlalchemy import select

from crawler.store import ArticleStore
from crawler.store.crawl import crawl_store
from crawler.store.models import ArticleRow, ArticleUrlRow, CrawlRunRow, FailedPageRow

# SQLite caps bound parameters per statement; listing pages hold far fewer links.
_CHUNK = 500
# Finish reasons of runs that Scrapy's CloseSpider stopped at a limit (time, pages, items).
CUT_SHORT_PREFIX = "closespider_"


# Reasons a page gave no article that will not change by the next cron run.
LASTING_FAILURES = frozenset(
    {
        "empty_page",
        "no_title",
        "no_body",
        "non_html",
        "unparsable",
        "too_large",
        "redirect_loop",
        "robots_forbidden",
        "irrelevant",  # below MIN_RELEVANCE (pipelines/lens.py): the text will not change topic
    }
)


def is_lasting(reason: str) -> bool:
    # redirect_<why>: a redirect the request guard refused (crawler/middlewares/guard.py)
    if reason in LASTING_FAILURES or reason.startswith("redirect_"):
        return True
    if reason.startswith("http_") and reason[5:].isdigit():
        status = int(reason[5:])
        return 400 <= status < 500 and status not in (408, 425, 429)
    return False


@dataclass(frozen=True)
class Plan:
    new: list[str]
    recheck: list[str]
    known: list[str]
    failed: list[str] = field(default_factory=list)  # gave no article lately, for a lasting reason
    # stored by this very run (found again through another listing, the feed or a sitemap):
    # not fetched again, and not "known" either, so they never stop a listing walk
    this_run: list[str] = field(default_factory=list)

    @property
    def to_fetch(self) -> list[str]:
        return self.new + self.recheck


class KnownArticles:
    def __init__(self, store: ArticleStore, recheck_young: timedelta, failed_retry: timedelta) -> None:
        self.store = store
        self.recheck_young = recheck_young
        self.failed_retry = failed_retry

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> KnownArticles:
        """The check of a crawl, on the crawl's store (crawler/store/crawl.py), its schema prepared."""
        settings = crawler.settings
        return cls(
            crawl_store(crawler).prepare(),
            recheck_young=timedelta(hours=settings.getfloat("RECHECK_YOUNG_HOURS", 24)),
            failed_retry=timedelta(hours=settings.getfloat("FAILED_RETRY_HOURS", 24)),
        )

    def plan(self, urls: Iterable[str], now: datetime, run_started: datetime | None = None) -> Plan:
        """Split canonical article URLs into new, due for a re-check, known, failed, and stored this run."""
        wanted = list(dict.fromkeys(urls))
        stored: dict[str, tuple[int, datetime | None, datetime]] = {}
        with self.store.sessions() as session:
            for start in range(0, len(wanted), _CHUNK):
                rows = session.execute(
                    select(
                        ArticleUrlRow.url,
                        ArticleUrlRow.fetches,
                        ArticleRow.published_at,
                        ArticleRow.first_seen_at,
                    )
                    .join(ArticleRow, ArticleRow.id == ArticleUrlRow.article_id)
                    .where(ArticleUrlRow.url.in_(wanted[start : start + _CHUNK]))
                ).all()
                stored.update({url: (fetches, published, first) for url, fetches, published, first in rows})
        failed = self._recent_lasting_failures([url for url in wanted if url not in stored], now)
        new, recheck, known, skipped, this_run = [], [], [], [], []
        for url in wanted:
            if url in failed:
                skipped.append(url)
                continue
            if url not in stored:
                new.append(url)
                continue
            fetches, published, first_seen = stored[url]
            if run_started is not None and first_seen >= run_started:
                this_run.append(url)
                continue
            born = published or first_seen
            if fetches < 2 and self.recheck_young and now - born < self.recheck_young:
                recheck.append(url)
            else:
                known.append(url)
        return Plan(new, recheck, known, skipped, this_run)

    def _recent_lasting_failures(self, urls: list[str], now: datetime) -> set[str]:
        found: set[str] = set()
        with self.store.sessions() as session:
            for start in range(0, len(urls), _CHUNK):
                rows = session.execute(
                    select(FailedPageRow.url, FailedPageRow.reason, FailedPageRow.last_failed_at).where(
                        FailedPageRow.url.in_(urls[start : start + _CHUNK])
                    )
                ).all()
                found.update(
                    url for url, reason, last in rows if is_lasting(reason) and now - last < self.failed_retry
                )
        return found

    def last_run_finished(self, spider: str, run_key: str | None = None) -> bool:
        """Whether the previous run of ``spider`` (any other run key) ended normally, having read
        all it found: a run stopped by a CloseSpider limit (its wall-clock limit, CLOSESPIDER_TIMEOUT)
        closed cleanly, and its run record says "finished", but the listing pages it did not reach
        are still to walk."""
        with self.store.sessions() as session:
            query = select(CrawlRunRow.status, CrawlRunRow.finish_reason).where(CrawlRunRow.spider == spider)
            if run_key is not None:
                query = query.where(CrawlRunRow.run_key != run_key)
            last = session.execute(query.order_by(CrawlRunRow.id.desc()).limit(1)).first()
        if last is None:
            return True
        status, reason = last
        return status == "finished" and not str(reason).startswith(CUT_SHORT_PREFIX)
