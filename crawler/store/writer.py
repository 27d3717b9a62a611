"""Writing the store: articles without ever a second row for the same one, failed pages, run records.

An article is known by every URL it was seen at (``article_urls``), by the
hash of its text (``articles.content_hash``), and by its near-duplicate keys
(``dedup_keys``: crawler/text/neardup.py). URLs and hashes are unique in the
schema, so the database settles exact races itself: inserts use the dialect's
``INSERT … ON CONFLICT DO NOTHING`` and a lost race re-reads the row the
winner wrote. Near-duplicates cannot be a constraint, so a save first takes a
lock: PostgreSQL advisory transaction locks on the article's keys (two copies
of a story share a key, so they queue on it and the second sees the first;
each key is mixed with the store's schema, so two stores in one database never
queue on each other),
SQLite's write lock (``BEGIN IMMEDIATE``). A new article is placed in its
story in the same transaction (crawler/store/placement.py). Its topics go into
``article_topics`` too, one row each, with its other rows (:meth:`ArticleWriter._replace_parts`),
wherever ``articles.topics`` is written: the analyst's views and facets count that table.

Each save that changes a record takes the next value of the store's change
counter (``change_sequence``) into ``articles.change_seq``, as the transaction's
last statement: the counter's row lock is then held until commit, so values
follow commit order on PostgreSQL as well as on SQLite. The run feed's cursor
(``feed_cursors``, :meth:`ArticleWriter.feed_cut`) runs on it.

A save says which fields of the record it changed (:attr:`SaveResult.fields`,
the record's names: ``published_at``, ``related``, ``story_id`` …). A crawl keys
an update on the text, as always: a page whose text did not change leaves its
record alone. A re-extraction (``scrapy reextract``: ``save(..., revise=True)``)
compares every field instead, and writes those that changed: revision + 1 once,
the near-duplicate keys again when the body changed, the story followed when
what places a story changed (crawler/store/restory.py); the page was neither
seen nor fetched again, so ``last_seen_at`` and the fetch count stay.

The crawl's other writes (``failed_pages``, ``crawl_runs``) are short
transactions of :meth:`ArticleWriter.writing`.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, Engine, Table, bindparam, delete, desc, func, select, text, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from crawler.items import Article, StoreOutcome
from crawler.search.index import reindex
from crawler.store import db
from crawler.store.locks import store_lock_key
from crawler.store.models import (
    ARTICLE_COLUMNS,
    ActorRow,
    ArticleRow,
    ArticleTopicRow,
    ArticleUrlRow,
    AttributionRow,
    Base,
    ChangeSequenceRow,
    CrawlRunRow,
    DedupKeyRow,
    EmbedRow,
    FailedPageRow,
    FeedCursorRow,
    RelatedLinkRow,
)
from crawler.store.placement import Meaning, keep_meaning, place_in_story, prepare_meanings, story_locks
from crawler.store.reader import row_to_article
from crawler.store.restory import move_to_story, refresh_story
from crawler.text import neardup

MAX_RACE_RETRIES = 3
# PostgreSQL: ANALYZE the store's tables after this many new articles, doubling
# each time (100, 200, 400 … then every 25,600). The planner then sees the
# tables' real sizes even where autovacuum is off or lagging; with the sizes
# of an empty table it scans dedup_keys sequentially and every lookup slows
# down as the store grows.
ANALYZE_FIRST_AFTER = 100
ANALYZE_EVERY_AT_MOST = 25_600
_ANALYZED_TABLES = ("articles", "article_urls", "dedup_keys", "article_actors")


def _table(model: type[Base]) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table


# The change order's two statements, in Core: through the ORM's bulk-update path they
# cost about a millisecond a save (bench/feed_cursor.py).
_COUNTER, _ARTICLES = _table(ChangeSequenceRow), _table(ArticleRow)
_TAKE_CHANGE = (
    _COUNTER.update()
    .where(_COUNTER.c.id == 1)
    .values(last_value=_COUNTER.c.last_value + 1)
    .returning(_COUNTER.c.last_value)
)
_SET_CHANGE = (
    _ARTICLES.update()
    .where(_ARTICLES.c.id == bindparam("article_id"))
    .values(change_seq=bindparam("change_seq"))
)


# Fields of the record (crawler/records.py names) a save compares and reports: the
# article's columns and its parts. The content hash follows the body and title.
REVISED_FIELDS: tuple[str, ...] = (
    *(column for column in ARTICLE_COLUMNS if column != "content_hash"),
    "related",
    "attributions",
    "embeds",
    "actors",
)
_PART_FIELDS = frozenset({"related", "attributions", "embeds", "actors", "topics"})
# What placement reads (crawler/store/placement.py): a change in one may move the story.
_STORY_FIELDS = frozenset({"title", "body", "published_at", "actors"})
# What a story shows of its members: its bounds and the first report's headline.
_STORY_BOUNDS = frozenset({"title", "published_at"})


def _same(stored: Any, new: Any) -> bool:
    if isinstance(stored, float) and isinstance(new, float):
        return math.isclose(stored, new, rel_tol=1e-9, abs_tol=1e-12)  # a float's round trip
    return bool(stored == new)


def changed_fields(stored: Article, article: Article) -> tuple[str, ...]:
    """The record's fields whose values differ between the stored article and ``article``."""
    return tuple(name for name in REVISED_FIELDS if not _same(getattr(stored, name), getattr(article, name)))


@dataclass(frozen=True)
class SaveResult:
    outcome: StoreOutcome  # new, updated, unchanged, duplicate or near_duplicate
    article_id: int
    # the stored record changed (always for new and updated; for a duplicate
    # older than the stored copy, which then becomes the record)
    changed: bool = False
    # the record's fields an update changed (REVISED_FIELDS names, and ``story_id``)
    fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class FeedWindow:
    """The changes one feed cut holds: ``after < articles.change_seq <= upto``."""

    after: int
    upto: int


@dataclass
class FeedCut:
    """A feed being written: its window, and its file once in place (:meth:`ArticleWriter.feed_cut`)."""

    feed: str
    window: FeedWindow
    path: str = ""
    rows: int = 0
    written_at: datetime | None = None

    def advance(self, path: str, rows: int, now: datetime) -> None:
        """The file is in place: move the cursor when the cut ends."""
        self.path, self.rows, self.written_at = path, rows, now


class ArticleWriter:
    def __init__(self, engine: Engine, *, story_vectors: bool = True) -> None:
        self.engine = engine
        self.dialect = engine.dialect.name
        # read reports as sentence vectors for their stories (settings.STORY_VECTORS)
        self.story_vectors = story_vectors
        self._new_since_analyze = 0
        self._analyze_after = ANALYZE_FIRST_AFTER
        self._lock_space: int | None = None  # PostgreSQL: the schema's share of each lock key

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """A session for a short write, committed on exit; SQLite takes its write lock up front.

        A deferred SQLite transaction that reads and then writes fails at once
        (SQLITE_BUSY, no waiting) when another connection wrote in between, as the
        crawl's writer thread does all the time (pipelines/store.py).
        """
        with (
            self.engine.connect() as connection,
            connection.execution_options(sqlite_immediate=True).begin() as transaction,
            Session(bind=transaction.connection, expire_on_commit=False) as session,
        ):
            yield session
            session.flush()

    # -- failed pages and run records --------------------------------------------

    def record_failure(self, url: str, spider: str, reason: str, now: datetime) -> None:
        """Remember a URL that gave no article (one row per URL, attempts counted)."""
        with self.writing() as session:
            row = session.get(FailedPageRow, url)
            if row is None:
                session.add(
                    FailedPageRow(
                        url=url,
                        spider=spider,
                        reason=reason,
                        attempts=1,
                        first_failed_at=now,
                        last_failed_at=now,
                    )
                )
            else:
                row.reason, row.attempts, row.last_failed_at = reason, row.attempts + 1, now

    def start_run(
        self, spider: str, run_key: str, now: datetime, host: str, pid: int, *, mark_killed: bool
    ) -> tuple[int, int]:
        """A ``running`` row for this run: its id, and how many earlier runs were marked killed.

        ``mark_killed``: rows of ``spider`` still ``running`` under another run key
        belonged to runs that were killed (this run holds the run lock): marked so first.
        """
        killed = 0
        with self.writing() as session:
            if mark_killed:
                result = session.execute(
                    update(CrawlRunRow)
                    .where(
                        CrawlRunRow.spider == spider,
                        CrawlRunRow.status == "running",
                        CrawlRunRow.run_key != run_key,
                    )
                    .values(status="killed", finish_reason="killed")
                )
                killed = cast("CursorResult[Any]", result).rowcount
            row = CrawlRunRow(
                spider=spider,
                run_key=run_key,
                status="running",
                started_at=now,
                host=host,
                pid=pid,
                dropped={},
                errors={},
                monitors_failed=[],
            )
            session.add(row)
            session.flush()
            run_id = row.id
        return run_id, killed

    def finish_run(self, run_id: int, **values: Any) -> None:
        """Complete a run's row (status, finished_at, finish_reason and the run's counts)."""
        with self.writing() as session:
            session.execute(update(CrawlRunRow).where(CrawlRunRow.id == run_id).values(**values))

    # -- the run feed's cursor ------------------------------------------------------------

    @staticmethod
    def _head(session: Session) -> int:
        """The last change committed (every change up to it is visible to a later statement)."""
        return session.scalar(select(ChangeSequenceRow.last_value).where(ChangeSequenceRow.id == 1)) or 0

    def feed_window(self, feed: str) -> FeedWindow:
        """The changes since ``feed``'s last written feed, up to the last one committed."""
        with Session(self.engine) as session:
            after = session.scalar(select(FeedCursorRow.last_seq).where(FeedCursorRow.feed == feed)) or 0
            return FeedWindow(after, self._head(session))

    @contextmanager
    def feed_cut(self, feed: str) -> Iterator[FeedCut]:
        """One feed of ``feed``, serialised with any other writer of the same feed.

        The cursor's row stays locked while the caller reads the window's records and
        writes the file (PostgreSQL: the row lock, which only other feed writers of the
        site wait for; SQLite: the write lock, which writers of other processes wait
        for, as they wait for a save): two processes of one distributed run that close
        at once write one feed each, without overlap or gap. The cursor moves, on
        commit, only if the caller called :meth:`FeedCut.advance` (the file is in place).
        """
        with self.writing() as session:
            after = session.scalar(
                select(FeedCursorRow.last_seq).where(FeedCursorRow.feed == feed).with_for_update()
            )
            cut = FeedCut(feed, FeedWindow(after or 0, self._head(session)))
            yield cut
            if cut.written_at is not None:
                self._advance(session, cut.feed, cut.window, cut.path, cut.rows, cut.written_at)

    def advance_feed(self, feed: str, window: FeedWindow, path: str, rows: int, now: datetime) -> None:
        """Move ``feed``'s cursor to the end of ``window`` (never back: a slower writer cannot rewind it)."""
        with self.writing() as session:
            self._advance(session, feed, window, path, rows, now)

    def _advance(
        self, session: Session, feed: str, window: FeedWindow, path: str, rows: int, now: datetime
    ) -> None:
        values = {"last_seq": window.upto, "path": path, "row_count": rows, "written_at": now}
        statement = self._insert(FeedCursorRow).values(feed=feed, **values)
        session.execute(
            statement.on_conflict_do_update(
                index_elements=[FeedCursorRow.feed],
                set_=values,
                where=FeedCursorRow.last_seq < window.upto,
            )
        )

    # -- articles --------------------------------------------------------------------

    def _insert(self, model: type[Base]) -> Any:
        return db.insert(self.dialect, _table(model))

    def save(self, article: Article, now: datetime, *, revise: bool = False) -> SaveResult:
        """Insert, update or attach the article; one row per article whatever the races.

        ``revise``: the article is a re-extraction of a page already stored; a stored
        record is compared field by field, not by its text alone (the module says how).
        """
        result = self._save(article, now, revise)
        if result.outcome is StoreOutcome.NEW:
            self._count_new_row()
        return result

    def _count_new_row(self) -> None:
        if self.dialect != "postgresql":
            return  # SQLite plans from the schema alone, no statistics needed
        self._new_since_analyze += 1
        if self._new_since_analyze >= self._analyze_after:
            with self.engine.connect() as connection:
                connection.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql(
                    "ANALYZE " + ", ".join(_ANALYZED_TABLES)
                )
            self._new_since_analyze = 0
            self._analyze_after = min(self._analyze_after * 2, ANALYZE_EVERY_AT_MOST)

    def _save(self, article: Article, now: datetime, revise: bool) -> SaveResult:
        # sentence vectors before the write lock: ~0.1 s of CPU each (placement.py says why)
        made = prepare_meanings(self.engine, article, now, revise=revise) if self.story_vectors else None
        for attempt in range(MAX_RACE_RETRIES):
            try:
                with (
                    self.engine.connect() as connection,
                    connection.execution_options(sqlite_immediate=True).begin() as transaction,
                    Session(bind=transaction.connection, expire_on_commit=False) as session,
                ):
                    self._lock(session, article)
                    result = self._save_once(session, article, now, revise, made)
                    if result is not None:
                        session.flush()
                        if result.changed:
                            # the search index follows the record's text (crawler/search/index.py)
                            reindex(session.connection(), [result.article_id])
                            self._take_change(session, result.article_id)
                        return result
                    transaction.rollback()
            except OperationalError:
                # a PostgreSQL deadlock between advisory locks, or SQLite busy past its timeout
                if attempt == MAX_RACE_RETRIES - 1:
                    raise
        raise RuntimeError(f"could not store {article.url} after {MAX_RACE_RETRIES} attempts")

    def _take_change(self, session: Session, article_id: int) -> None:
        """The record changed: give it the next place in the change order.

        The transaction's last statement: the counter's row stays locked until commit,
        so a value taken first commits first (ChangeSequenceRow says why that matters).
        """
        connection = session.connection()
        value = connection.execute(_TAKE_CHANGE).scalar()
        if value is None:  # a store whose counter row is gone: start it again
            connection.execute(
                self._insert(ChangeSequenceRow).values(id=1, last_value=0).on_conflict_do_nothing()
            )
            value = connection.execute(_TAKE_CHANGE).scalar()
        connection.execute(_SET_CHANGE, {"article_id": article_id, "change_seq": value})

    def _lock(self, session: Session, article: Article) -> None:
        """PostgreSQL: lock the article's keys, in one global order, until commit."""
        if self.dialect != "postgresql":
            return  # SQLite: BEGIN IMMEDIATE already holds the database's write lock
        keys = {neardup.text_key(article.url), neardup.text_key(article.content_hash)}
        if article.fingerprint is not None:
            keys.update(article.fingerprint.keys)
        # articles that may join one story queue on what finds them for each other, so
        # the second sees the first's story instead of opening a second one
        keys.update(neardup.text_key(name) for name in story_locks(article))
        # Advisory locks are per database, a store is per schema (locks.store_lock_key): XOR
        # with the schema's key, which keeps each key a signed bigint.
        if self._lock_space is None:
            self._lock_space = store_lock_key(session.connection(), "store-lock")
        space = self._lock_space
        session.execute(
            text(
                "SELECT pg_advisory_xact_lock(k)"
                " FROM (SELECT unnest(CAST(:keys AS bigint[])) AS k ORDER BY k) AS ordered"
            ),
            {"keys": sorted(key ^ space for key in keys)},
        )

    def _save_once(
        self,
        session: Session,
        article: Article,
        now: datetime,
        revise: bool = False,
        made: Meaning | None = None,
    ) -> SaveResult | None:
        known_id = session.scalar(select(ArticleUrlRow.article_id).where(ArticleUrlRow.url == article.url))
        if known_id is not None:
            if revise:
                return self._revise(session, known_id, article, now, made)
            session.execute(
                update(ArticleUrlRow)
                .where(ArticleUrlRow.url == article.url)
                .values(fetches=ArticleUrlRow.fetches + 1)
            )
            return self._update(session, known_id, article, now)
        twin_id = session.scalar(select(ArticleRow.id).where(ArticleRow.content_hash == article.content_hash))
        if twin_id is not None:
            self._attach_url(session, twin_id, article, now)
            changed = self._prefer_earliest(session, twin_id, article, now)
            return SaveResult(StoreOutcome.DUPLICATE, twin_id, changed)
        near_id = self.near_duplicate_of(session, article)
        if near_id is not None:
            self._attach_url(session, near_id, article, now)
            changed = self._prefer_earliest(session, near_id, article, now)
            return SaveResult(StoreOutcome.NEAR_DUPLICATE, near_id, changed)
        values = self._article_values(article)
        values.update(first_seen_at=now, last_seen_at=now, updated_at=now, revision=1)
        new_id = session.scalar(
            self._insert(ArticleRow).values(**values).on_conflict_do_nothing().returning(ArticleRow.id)
        )
        if new_id is None:
            return None  # another process stored it between our read and our insert
        self._replace_parts(session, new_id, article, fresh=True)
        self._replace_keys(session, new_id, article, fresh=True)
        self._attach_url(session, new_id, article, now)
        article.story_id = place_in_story(
            session, new_id, article, now, lock_rows=self.dialect == "postgresql", made=made
        )
        if made is not None:
            keep_meaning(session, new_id, made)
        return SaveResult(StoreOutcome.NEW, new_id, changed=True)

    def near_duplicate_of(self, session: Session, article: Article) -> int | None:
        """The stored article this one is a near-duplicate of, if any.

        Candidates share at least one key (indexed lookup, no scan); the ones
        sharing most are verified on their word trigrams.
        """
        if article.fingerprint is None:
            return None
        candidates = session.execute(
            select(DedupKeyRow.article_id, func.count().label("shared"))
            .where(DedupKeyRow.key.in_(article.fingerprint.keys))
            .group_by(DedupKeyRow.article_id)
            .having(func.count() >= neardup.MIN_SHARED_KEYS)
            .order_by(desc("shared"), DedupKeyRow.article_id)
            .limit(neardup.MAX_CANDIDATES)
        ).all()
        if not candidates:
            return None
        bodies = session.execute(
            select(ArticleRow.id, ArticleRow.body).where(
                ArticleRow.id.in_([c.article_id for c in candidates])
            )
        ).all()
        best: tuple[float, int] | None = None
        for candidate_id, body in bodies:
            similarity = neardup.similarity(article.fingerprint.shingles, neardup.shingles(body))
            if similarity.is_duplicate and (best is None or similarity.containment > best[0]):
                best = (similarity.containment, candidate_id)
        return best[1] if best else None

    def _replace_keys(self, session: Session, article_id: int, article: Article, fresh: bool = False) -> None:
        """The article's dedup keys; ``fresh``: the row was just inserted, nothing to delete."""
        if not fresh:
            session.execute(delete(DedupKeyRow).where(DedupKeyRow.article_id == article_id))
        if article.fingerprint is not None:
            session.execute(
                self._insert(DedupKeyRow).on_conflict_do_nothing(),
                [{"key": key, "article_id": article_id} for key in article.fingerprint.keys],
            )

    def _update(self, session: Session, article_id: int, article: Article, now: datetime) -> SaveResult:
        row = session.get(ArticleRow, article_id, with_for_update=self.dialect == "postgresql")
        assert row is not None
        row.last_seen_at = now
        if row.content_hash == article.content_hash:
            return SaveResult(StoreOutcome.UNCHANGED, article_id)
        twin_id = session.scalar(select(ArticleRow.id).where(ArticleRow.content_hash == article.content_hash))
        if twin_id is not None and twin_id != article_id:
            # this URL now shows another stored article's text
            return SaveResult(StoreOutcome.DUPLICATE, twin_id)
        if row.url != article.url:
            # an alias URL whose page changed: the article itself did not, keep it
            return SaveResult(StoreOutcome.UNCHANGED, article_id)
        fields = changed_fields(row_to_article(row), article)
        for key, value in self._article_values(article).items():
            setattr(row, key, value)
        row.revision += 1
        row.updated_at = now
        session.flush()
        self._replace_parts(session, article_id, article)
        self._replace_keys(session, article_id, article)
        if row.story_id is not None and _STORY_BOUNDS.intersection(fields):
            refresh_story(session, row.story_id, now, lock_rows=self.dialect == "postgresql")
        return SaveResult(StoreOutcome.UPDATED, article_id, changed=True, fields=fields)

    def _revise(
        self, session: Session, article_id: int, article: Article, now: datetime, made: Meaning | None = None
    ) -> SaveResult:
        """A re-extraction of a stored page: the fields that changed, written; nothing else."""
        row = session.get(ArticleRow, article_id, with_for_update=self.dialect == "postgresql")
        assert row is not None
        if row.url != article.url:
            # an alias (a copy's URL): the record is the copy it was matched to, keep it
            return SaveResult(StoreOutcome.UNCHANGED, article_id)
        if row.content_hash != article.content_hash:
            twin_id = session.scalar(
                select(ArticleRow.id).where(ArticleRow.content_hash == article.content_hash)
            )
            if twin_id is not None:
                # the page now reads as another stored article: one record per text
                return SaveResult(StoreOutcome.DUPLICATE, twin_id)
        fields = changed_fields(row_to_article(row), article)
        if not fields:
            return SaveResult(StoreOutcome.UNCHANGED, article_id)
        old_story = row.story_id
        for key, value in self._article_values(article).items():
            setattr(row, key, value)
        row.revision += 1
        row.updated_at = now
        session.flush()
        if _PART_FIELDS.intersection(fields):
            self._replace_parts(session, article_id, article)
        if "body" in fields:
            self._replace_keys(session, article_id, article)
        if _STORY_FIELDS.intersection(fields):
            lock = self.dialect == "postgresql"
            article.story_id = move_to_story(
                session, article_id, article, old_story, now, lock_rows=lock, made=made
            )
            if made is not None:
                keep_meaning(session, article_id, made)
            if article.story_id != old_story:
                fields = (*fields, "story_id")
        else:
            article.story_id = old_story
        return SaveResult(StoreOutcome.UPDATED, article_id, changed=True, fields=fields)

    def _prefer_earliest(self, session: Session, article_id: int, copy: Article, now: datetime) -> bool:
        """The record of a story is its earliest publication: crawl order must not decide it.

        When a copy turns out to be older than the stored article, the copy's URL
        and metadata become the record's; the previous URL stays among its URLs.
        """
        row = session.get(ArticleRow, article_id, with_for_update=self.dialect == "postgresql")
        assert row is not None
        row.last_seen_at = now
        if copy.published_at is None or (
            row.published_at is not None and row.published_at <= copy.published_at
        ):
            return False
        for key, value in self._article_values(copy).items():
            setattr(row, key, value)
        row.updated_at = now
        session.flush()
        self._replace_parts(session, article_id, copy)
        self._replace_keys(session, article_id, copy)
        if row.story_id is not None:  # the record's time is earlier now: so is its story's
            refresh_story(session, row.story_id, now, lock_rows=self.dialect == "postgresql")
        return True

    def _attach_url(self, session: Session, article_id: int, article: Article, now: datetime) -> None:
        session.execute(
            self._insert(ArticleUrlRow)
            .values(article_id=article_id, url=article.url, site=article.site, first_seen_at=now)
            .on_conflict_do_nothing()
        )

    @staticmethod
    def _article_values(article: Article) -> dict[str, Any]:
        return {column: getattr(article, column) for column in ARTICLE_COLUMNS}

    def _replace_parts(
        self, session: Session, article_id: int, article: Article, fresh: bool = False
    ) -> None:
        """The article's rows in other tables: related links, attributions, embeds, actors, and
        its topics one row each (``article_topics``, beside the JSON list ``articles.topics``
        that exports read); ``fresh``: the row was just inserted."""
        for model in () if fresh else (RelatedLinkRow, AttributionRow, EmbedRow, ActorRow, ArticleTopicRow):
            session.execute(delete(model).where(model.article_id == article_id))
        if article.topics:
            session.execute(
                self._insert(ArticleTopicRow),
                [
                    {"article_id": article_id, "position": i, "topic": topic}
                    for i, topic in enumerate(article.topics)
                ],
            )
        if article.related:
            session.execute(
                self._insert(RelatedLinkRow),
                [
                    {"article_id": article_id, "position": i, "title": r.title, "url": r.url}
                    for i, r in enumerate(article.related)
                ],
            )
        if article.attributions:
            session.execute(
                self._insert(AttributionRow),
                [
                    {"article_id": article_id, "position": i, "kind": a.kind, "name": a.name, "text": a.text}
                    for i, a in enumerate(article.attributions)
                ],
            )
        if article.embeds:
            session.execute(
                self._insert(EmbedRow),
                [
                    {
                        "article_id": article_id,
                        "position": i,
                        "platform": e.platform,
                        "author": e.author,
                        "handle": e.handle,
                        "url": e.url,
                        "posted_at": e.posted_at,
                        "posted_raw": e.posted_raw,
                        "text": e.text,
                        "links": list(e.links),
                    }
                    for i, e in enumerate(article.embeds)
                ],
            )
        if article.actors:
            session.execute(
                self._insert(ActorRow),
                [
                    {
                        "article_id": article_id,
                        "position": i,
                        "name": a.name,
                        "kind": a.kind,
                        "mentions": a.mentions,
                        "in_title": a.in_title,
                    }
                    for i, a in enumerate(article.actors)
                ],
            )
