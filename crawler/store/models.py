"""SQLAlchemy 2.0 typed models: one article row, its URLs and its parts in their own tables."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every backend.

    SQLite has no time zones and hands back naive values; storing UTC and
    re-attaching the zone on the way out gives the same objects as PostgreSQL.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    # Named constraints: migrations can then drop or alter them by name on every backend.
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime}


class ArticleRow(Base):
    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(String(2048), unique=True)
    site: Mapped[str] = mapped_column(String(64), index=True)
    # what the page credits ("" when nothing does) and the outlet that published it
    source: Mapped[str] = mapped_column(String(255), default="", index=True)
    publisher: Mapped[str] = mapped_column(String(255), default="", server_default="")
    title: Mapped[str] = mapped_column(Text, default="")
    author: Mapped[str] = mapped_column(String(255), default="")
    section: Mapped[str] = mapped_column(String(255), default="")
    lang: Mapped[str] = mapped_column(String(16), default="ar")
    published_at: Mapped[datetime | None] = mapped_column(index=True)
    # "day": printed without a time (published_at is that day, 00:00 UTC); "minute"; "" unknown
    published_precision: Mapped[str] = mapped_column(String(8), default="", server_default="")
    published_raw: Mapped[str] = mapped_column(String(255), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    image_url: Mapped[str] = mapped_column(String(2048), default="")
    appended_from: Mapped[str] = mapped_column(String(2048), default="")
    # sha256 of the matching form: equal hashes are the same text, whatever the URL.
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    first_seen_at: Mapped[datetime]
    last_seen_at: Mapped[datetime] = mapped_column(index=True)
    updated_at: Mapped[datetime]
    # the defence lens: relevance 0..1 (None: not scored), topic slugs, the story it belongs to
    relevance: Mapped[float | None] = mapped_column(Float, index=True)
    topics: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    story_id: Mapped[int | None] = mapped_column(ForeignKey("stories.id", ondelete="SET NULL"), index=True)
    # Where the record stands in the store's change order: a value of ``change_sequence``
    # taken each time the record changes (new, updated, replaced by an earlier copy), in
    # commit order. The run feed's cursor (``feed_cursors``) runs on it.
    change_seq: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")

    __table_args__ = (
        Index("ix_articles_site_change_seq", "site", "change_seq"),
        # What the counting views read of every article (actors_v, daily_topics_v: its time
        # and story), in an index: on SQLite the row has them past its body (migration 0012).
        Index("ix_articles_reported_story", "published_at", "first_seen_at", "story_id"),
    )

    urls: Mapped[list[ArticleUrlRow]] = relationship(
        back_populates="article", cascade="all, delete-orphan", order_by="ArticleUrlRow.id"
    )
    related: Mapped[list[RelatedLinkRow]] = relationship(
        cascade="all, delete-orphan", order_by="RelatedLinkRow.position"
    )
    attributions: Mapped[list[AttributionRow]] = relationship(
        cascade="all, delete-orphan", order_by="AttributionRow.position"
    )
    embeds: Mapped[list[EmbedRow]] = relationship(cascade="all, delete-orphan", order_by="EmbedRow.position")
    actors: Mapped[list[ActorRow]] = relationship(cascade="all, delete-orphan", order_by="ActorRow.position")


# Columns of ``articles`` that hold a crawler.items.Article attribute of the same name
# (written by crawler/store/writer.py, read back by crawler/store/reader.py).
ARTICLE_COLUMNS: tuple[str, ...] = (
    "url",
    "site",
    "source",
    "publisher",
    "title",
    "author",
    "section",
    "lang",
    "published_at",
    "published_precision",
    "published_raw",
    "body",
    "image_url",
    "appended_from",
    "content_hash",
    "relevance",
    "topics",
)


class ArticleUrlRow(Base):
    """Every URL an article was seen at: its own, syndicated copies, aliases."""

    __tablename__ = "article_urls"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(String(2048), unique=True)
    site: Mapped[str] = mapped_column(String(64), default="")
    first_seen_at: Mapped[datetime]
    # How often this URL was fetched and stored: the incremental crawl re-checks
    # a young article's page once (fetches == 1) to catch edits, then leaves it.
    fetches: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    article: Mapped[ArticleRow] = relationship(back_populates="urls")


class DedupKeyRow(Base):
    """The near-duplicate index: LSH band and passage keys of each article (crawler/text/neardup.py).

    In the database rather than in memory so that a cron run starts without
    rebuilding it and every crawler process writing to the same database
    finds what the others stored.
    """

    __tablename__ = "dedup_keys"

    key: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class CrawlRunRow(Base):
    """One crawl: when, how it ended, what it did. Read by ``scrapy runs`` and monitors."""

    __tablename__ = "crawl_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    spider: Mapped[str] = mapped_column(String(64), index=True)
    # One value per run: the processes of a distributed run share it (one row each).
    run_key: Mapped[str] = mapped_column(String(64), default="", server_default="", index=True)
    status: Mapped[str] = mapped_column(String(16))  # running | finished | failed | killed
    started_at: Mapped[datetime] = mapped_column(index=True)
    finished_at: Mapped[datetime | None]
    finish_reason: Mapped[str] = mapped_column(String(64), default="")
    host: Mapped[str] = mapped_column(String(255), default="")
    pid: Mapped[int] = mapped_column(Integer, default=0)
    pages_fetched: Mapped[int] = mapped_column(Integer, default=0)
    articles_new: Mapped[int] = mapped_column(Integer, default=0)
    articles_updated: Mapped[int] = mapped_column(Integer, default=0)
    articles_duplicate: Mapped[int] = mapped_column(Integer, default=0)
    dropped: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)  # reason -> items
    errors: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)  # type -> count
    monitors_failed: Mapped[list[str]] = mapped_column(JSON, default=list)
    feed_path: Mapped[str] = mapped_column(String(1024), default="")
    # what went wrong, in the words printed at the end of the run ("" when nothing did)
    outcome: Mapped[str] = mapped_column(Text, default="", server_default="")
    # the run's web archive (crawler/extensions/archive.py): its first WARC file, named when the
    # run starts (rotated files share its name up to the number), and all its files' bytes at close
    archive_path: Mapped[str] = mapped_column(String(1024), default="", server_default="")
    archive_bytes: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")


class ChangeSequenceRow(Base):
    """The store's change counter: one row, taken by every transaction that changes a record.

    Taken as the transaction's last statement, its row lock is held until commit, so
    values are handed out in commit order on PostgreSQL too (a database sequence is
    not: a value taken first may commit last, and a feed cut in between would pass
    it by). SQLite's write lock orders the transactions already.
    """

    __tablename__ = "change_sequence"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_value: Mapped[int] = mapped_column(BigInteger, default=0)


class FeedCursorRow(Base):
    """How far each site's run feeds go: the last change they hold (crawler/extensions/feed.py)."""

    __tablename__ = "feed_cursors"

    feed: Mapped[str] = mapped_column(String(64), primary_key=True)  # the site (spider) name
    last_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    path: Mapped[str] = mapped_column(String(1024), default="")  # the last feed file written
    row_count: Mapped[int] = mapped_column(Integer, default=0)
    written_at: Mapped[datetime | None]


class FailedPageRow(Base):
    """Article URLs that gave no article, so that cron runs do not fetch a dead page every time."""

    __tablename__ = "failed_pages"

    url: Mapped[str] = mapped_column(String(2048), primary_key=True)
    spider: Mapped[str] = mapped_column(String(64), default="")
    reason: Mapped[str] = mapped_column(String(64))
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    first_failed_at: Mapped[datetime]
    last_failed_at: Mapped[datetime] = mapped_column(index=True)


class RelatedLinkRow(Base):
    __tablename__ = "related_links"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text)
    url: Mapped[str] = mapped_column(String(2048), default="")

    __table_args__ = (Index("ix_related_links_article_position", "article_id", "position"),)


class AttributionRow(Base):
    __tablename__ = "attributions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(255), index=True)
    text: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (Index("ix_attributions_article_position", "article_id", "position"),)


class EmbedRow(Base):
    __tablename__ = "embeds"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    platform: Mapped[str] = mapped_column(String(32))
    author: Mapped[str] = mapped_column(String(255), default="")
    handle: Mapped[str] = mapped_column(String(64), default="")
    url: Mapped[str] = mapped_column(String(2048), default="")
    posted_at: Mapped[str] = mapped_column(String(32), default="")
    posted_raw: Mapped[str] = mapped_column(String(64), default="")
    text: Mapped[str] = mapped_column(Text, default="")
    links: Mapped[list[str]] = mapped_column(JSON, default=list)

    __table_args__ = (Index("ix_embeds_article_position", "article_id", "position"),)


class ActorRow(Base):
    """Actors an article mentions, one row each: analysts filter and count by ``name``."""

    __tablename__ = "article_actors"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(255), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    mentions: Mapped[int] = mapped_column(Integer, default=1)
    in_title: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (Index("ix_article_actors_article_position", "article_id", "position"),)


class ArticleTopicRow(Base):
    """An article's topics, one row each, beside the JSON list ``articles.topics`` (exports read that).

    What the analyst's views and ``scrapy browse``'s facets count by topic: on SQLite a JSON
    list has to be read out of every article's row, past its body (docs/benchmarks.md).
    Written by the store's writer with the article (crawler/store/writer.py), filled for
    stores that held articles before it by migration 0012.
    """

    __tablename__ = "article_topics"

    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    topic: Mapped[str] = mapped_column(String(64))

    __table_args__ = (Index("ix_article_topics_topic_article", "topic", "article_id"),)


class ArticleMeaningRow(Base):
    """An article's headline and lead as a sentence vector (crawler/lens/meaning.py).

    Made once, before the article is first compared with another (crawler/store/placement.py),
    and kept: a report meets dozens of later ones within its story window, and a vector
    costs about 0.1 s of CPU. ``text_key`` says what it was made from (model and text): a
    vector whose key no longer matches the article's headline and lead is made again.
    """

    __tablename__ = "article_meanings"

    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    text_key: Mapped[int] = mapped_column(BigInteger)
    vector: Mapped[bytes] = mapped_column(LargeBinary)  # float16, crawler/lens/meaning.py DIMENSIONS


class StoryRow(Base):
    """Articles about one event within 48 hours, across outlets (crawler/lens/stories.py).

    ``first_published_at`` and ``last_published_at`` bound the window in which a
    new article may join; the articles point here through ``articles.story_id``.
    """

    __tablename__ = "stories"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(Text, default="")  # the first article's headline
    first_published_at: Mapped[datetime | None] = mapped_column(index=True)
    last_published_at: Mapped[datetime | None] = mapped_column(index=True)
    article_count: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class BackfillFileRow(Base):
    """How far ``scrapy backfill`` got in one WARC file (crawler/archive/backfill.py).

    A file is read for a scope (which records are kept: every profiled site, one, or
    also generic Arabic pages): reading it for another scope is another row. Every
    record before ``next_offset`` was processed and its articles stored, so a backfill
    killed at any point goes on from there; a ``done`` file is not read again.
    """

    __tablename__ = "backfill_files"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256 of scope and source
    source: Mapped[str] = mapped_column(Text)  # the path or URL as given
    scope: Mapped[str] = mapped_column(String(255))
    state: Mapped[str] = mapped_column(String(16), index=True)  # running | done | failed | damaged
    next_offset: Mapped[int] = mapped_column(BigInteger, default=0)
    size: Mapped[int | None] = mapped_column(BigInteger)  # compressed bytes, once known
    records_scanned: Mapped[int] = mapped_column(BigInteger, default=0)  # before next_offset
    records_kept: Mapped[int] = mapped_column(BigInteger, default=0)
    records_damaged: Mapped[int] = mapped_column(Integer, default=0)
    # new articles of the records before next_offset (after a kill, those stored past the last
    # checkpoint are read again and found stored: they count as unchanged, not here)
    articles_new: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str] = mapped_column(Text, default="")  # why the file failed
    error_offset: Mapped[int | None] = mapped_column(BigInteger)
    worker: Mapped[str] = mapped_column(String(255), default="")  # host-pid of the last reader
    started_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
