"""``ArticleStore``: one object for the store's three jobs, on one engine.

The work is done by the parts, one module per job:

* crawler/store/writer.py (:class:`ArticleWriter`): saving articles (upserts,
  locks, updates, near-duplicates), failed pages, run records;
* crawler/store/placement.py: the story a new article joins or opens, inside
  the writer's transaction;
* crawler/store/reader.py (:class:`ArticleReader`): records and stories for
  exports and the run feed.

Why a facade rather than callers using the parts: one crawl shares one store
(crawler/store/crawl.py) between the spider, which reads and writes (its
incremental check, its failed pages), the store stage and the run recorder,
which write, and the run feed, which reads what changed since the last feed and
moves its cursor. Each would otherwise
carry a writer and a reader on the same engine. The facade only delegates:
its methods are the store's public API, the parts hold the code.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from crawler.items import Article
from crawler.store.failures import WriteFailure
from crawler.store.migrate import ensure_schema
from crawler.store.placement import make_meaning_ahead
from crawler.store.reader import ArticleReader, ExportFilter
from crawler.store.writer import ArticleWriter, FeedCut, FeedWindow, SaveResult


class ArticleStore:
    def __init__(self, engine: Engine, *, story_vectors: bool = True) -> None:
        self.engine = engine
        self.dialect = engine.dialect.name
        self.writer = ArticleWriter(engine, story_vectors=story_vectors)
        self.reader = ArticleReader(engine)
        self.sessions: sessionmaker[Session] = self.reader.sessions
        # Told of a write the store refused that its caller does not need to stop for
        # (record_failure): what it was, and why. A crawl's run recorder counts them in the
        # stats (crawler/extensions/runrecord.py); without a listener the error is raised.
        self.write_failure_listeners: list[Callable[[str, WriteFailure], None]] = []

    def prepare(self) -> ArticleStore:
        """Create or upgrade the schema where that is safe (crawler/store/migrate.py)."""
        ensure_schema(self.engine)
        return self

    # -- writing (crawler/store/writer.py) ------------------------------------------

    def writing(self) -> AbstractContextManager[Session]:
        """A session for a short write, committed on exit (ArticleWriter.writing)."""
        return self.writer.writing()

    def save(self, article: Article, now: datetime, *, revise: bool = False) -> SaveResult:
        """Insert, update or attach the article; one row per article whatever the races.
        ``revise``: a re-extraction, compared and written field by field (crawler/store/writer.py)."""
        return self.writer.save(article, now, revise=revise)

    def make_meaning_ahead(self, article: Article, now: datetime, *, revise: bool = False) -> None:
        """Make the sentence vectors :meth:`save` will read for the article, on the caller's
        thread (crawler/store/placement.py); nothing when the store reads no vectors."""
        if self.writer.story_vectors:
            make_meaning_ahead(self.engine, article, now, revise=revise)

    def near_duplicate_of(self, session: Session, article: Article) -> int | None:
        return self.writer.near_duplicate_of(session, article)

    def record_failure(self, url: str, spider: str, reason: str, now: datetime) -> None:
        """Remember a URL that gave no article (``failed_pages``).

        If the store refuses (a full disk), the listeners are told and the crawl goes on:
        the page is only fetched again next run.
        """
        try:
            self.writer.record_failure(url, spider, reason, now)
        except Exception as error:
            if not self.write_failure_listeners:
                raise
            failure = WriteFailure.of(error)
            for listener in self.write_failure_listeners:
                listener(f"the failed page {url}", failure)

    def start_run(
        self, spider: str, run_key: str, now: datetime, host: str, pid: int, *, mark_killed: bool
    ) -> tuple[int, int]:
        """A ``crawl_runs`` row for a run that starts: its id, and the runs marked killed."""
        return self.writer.start_run(spider, run_key, now, host, pid, mark_killed=mark_killed)

    def finish_run(self, run_id: int, **values: Any) -> None:
        self.writer.finish_run(run_id, **values)

    # -- the run feed's cursor (crawler/extensions/feed.py) --------------------------------

    def feed_window(self, feed: str) -> FeedWindow:
        """The changes of ``feed``'s site since its last written feed."""
        return self.writer.feed_window(feed)

    def feed_cut(self, feed: str) -> AbstractContextManager[FeedCut]:
        """One feed of ``feed``, its cursor held until the cut ends (ArticleWriter.feed_cut)."""
        return self.writer.feed_cut(feed)

    def advance_feed(self, feed: str, window: FeedWindow, path: str, rows: int, now: datetime) -> None:
        """Move ``feed``'s cursor to the end of ``window``, never back."""
        self.writer.advance_feed(feed, window, path, rows, now)

    def feed_records(self, feed: str, window: FeedWindow, batch: int = 500) -> Iterator[dict[str, Any]]:
        """Records of the site ``feed`` changed within ``window``, in change order."""
        return self.reader.feed_records(feed, window, batch)

    # -- reading (crawler/store/reader.py) ----------------------------------------

    def count(self) -> int:
        return self.reader.count()

    def iter_records(self, where: ExportFilter | None = None, batch: int = 500) -> Iterator[dict[str, Any]]:
        """Stored articles as records, streamed in batches: memory stays flat."""
        return self.reader.iter_records(where, batch)

    def records_by_id(self, ids: list[int], batch: int = 500) -> Iterator[dict[str, Any]]:
        """Records of the given articles, in the given order, read in batches."""
        return self.reader.records_by_id(ids, batch)

    def iter_stories(self, where: ExportFilter | None = None, batch: int = 200) -> Iterator[dict[str, Any]]:
        """Stories as records (crawler/records.py STORY_FIELDS), in batches."""
        return self.reader.iter_stories(where, batch)
