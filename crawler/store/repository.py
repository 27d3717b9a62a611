"""Storing articles without ever making a second row for the same one.

An article is known by every URL it was seen at (``article_urls``), by the
hash of its text (``articles.content_hash``), and by its near-duplicate keys
(``dedup_keys``: crawler/text/neardup.py). URLs and hashes are unique in the
schema, so the database settles exact races itself: inserts use the dialect's
``INSERT … ON CONFLICT DO NOTHING`` and a lost race re-reads the row the
winner wrote. Near-duplicates cannot be a constraint, so a save first takes a
lock: PostgreSQL advisory transaction locks on the article's keys (two copies
of a story share a key, so they queue on it and the second sees the first),
SQLite's write lock (``BEGIN IMMEDIATE``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, Select, Table, Text, cast, delete, desc, func, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, selectinload

from crawler.items import Actor, Article, Attribution, Embed, RelatedLink
from crawler.lens import stories
from crawler.records import article_to_record, iso
from crawler.store.db import session_factory
from crawler.store.migrate import ensure_schema
from crawler.store.models import (
    ActorRow,
    ArticleRow,
    ArticleUrlRow,
    AttributionRow,
    Base,
    DedupKeyRow,
    EmbedRow,
    RelatedLinkRow,
    StoryRow,
)
from crawler.text import neardup

MAX_RACE_RETRIES = 3
# Story candidates verified per new article: stored articles within the story
# window sharing most actors with it (an indexed lookup on article_actors).
STORY_CANDIDATES = 100
# Characters of a candidate's body read for its lead (crawler/lens/stories.py LEAD_WORDS).
STORY_LEAD_CHARS = 800
# PostgreSQL: ANALYZE the store's tables after this many new articles, doubling
# each time (100, 200, 400 … then every 25,600). The planner then sees the
# tables' real sizes even where autovacuum is off or lagging; with the sizes
# of an empty table it scans dedup_keys sequentially and every lookup slows
# down as the store grows.
ANALYZE_FIRST_AFTER = 100
ANALYZE_EVERY_AT_MOST = 25_600
_ANALYZED_TABLES = ("articles", "article_urls", "dedup_keys", "article_actors")
# Columns of ``articles`` that hold an Article attribute of the same name.
ARTICLE_COLUMNS: tuple[str, ...] = (
    "url",
    "site",
    "source",
    "title",
    "author",
    "section",
    "lang",
    "published_at",
    "published_raw",
    "body",
    "image_url",
    "appended_from",
    "content_hash",
    "relevance",
    "topics",
)


@dataclass(frozen=True)
class SaveResult:
    outcome: str  # "new" | "updated" | "unchanged" | "duplicate" | "near_duplicate"
    article_id: int
    # the stored record changed (always for new and updated; for a duplicate
    # older than the stored copy, which then becomes the record)
    changed: bool = False


@dataclass(frozen=True)
class ExportFilter:
    since: datetime | None = None
    until: datetime | None = None
    site: str | None = None
    source: str | None = None
    min_relevance: float | None = None  # the lens (docs/lens.md): articles scoring at least this
    topic: str | None = None  # a topic slug (crawler/lens/topics.py TOPICS)
    actor: str | None = None  # a canonical actor name (crawler/lens/actors.py)


class ArticleStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.sessions = session_factory(engine)
        self.dialect = engine.dialect.name
        self._new_since_analyze = 0
        self._analyze_after = ANALYZE_FIRST_AFTER

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

    def prepare(self) -> ArticleStore:
        """Create or upgrade the schema where that is safe (crawler/store/migrate.py)."""
        ensure_schema(self.engine)
        return self

    # -- writing ---------------------------------------------------------------

    def _insert(self, model: type[Base]) -> Any:
        table = model.__table__
        assert isinstance(table, Table)
        if self.dialect == "postgresql":
            return postgresql.insert(table)
        if self.dialect == "sqlite":
            return sqlite.insert(table)
        raise NotImplementedError(f"no upsert for {self.dialect}")

    def save(self, article: Article, now: datetime) -> SaveResult:
        """Insert, update or attach the article; one row per article whatever the races."""
        result = self._save(article, now)
        if result.outcome == "new":
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

    def _save(self, article: Article, now: datetime) -> SaveResult:
        for attempt in range(MAX_RACE_RETRIES):
            try:
                with (
                    self.engine.connect() as connection,
                    connection.execution_options(sqlite_immediate=True).begin() as transaction,
                    Session(bind=transaction.connection, expire_on_commit=False) as session,
                ):
                    self._lock(session, article)
                    result = self._save_once(session, article, now)
                    if result is not None:
                        session.flush()
                        return result
                    transaction.rollback()
            except OperationalError:
                # a PostgreSQL deadlock between advisory locks, or SQLite busy past its timeout
                if attempt == MAX_RACE_RETRIES - 1:
                    raise
        raise RuntimeError(f"could not store {article.url} after {MAX_RACE_RETRIES} attempts")

    def _lock(self, session: Session, article: Article) -> None:
        """PostgreSQL: lock the article's keys, in one global order, until commit."""
        if self.dialect != "postgresql":
            return  # SQLite: BEGIN IMMEDIATE already holds the database's write lock
        keys = {neardup.text_key(article.url), neardup.text_key(article.content_hash)}
        if article.fingerprint is not None:
            keys.update(article.fingerprint.keys)
        # articles sharing an actor may join one story: they queue on it, so the
        # second sees the first's story instead of opening a second one
        keys.update(neardup.text_key("actor:" + actor.name) for actor in article.actors)
        session.execute(
            text(
                "SELECT pg_advisory_xact_lock(k)"
                " FROM (SELECT unnest(CAST(:keys AS bigint[])) AS k ORDER BY k) AS ordered"
            ),
            {"keys": sorted(keys)},
        )

    def _save_once(self, session: Session, article: Article, now: datetime) -> SaveResult | None:
        known_id = session.scalar(select(ArticleUrlRow.article_id).where(ArticleUrlRow.url == article.url))
        if known_id is not None:
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
            return SaveResult("duplicate", twin_id, changed)
        near_id = self.near_duplicate_of(session, article)
        if near_id is not None:
            self._attach_url(session, near_id, article, now)
            changed = self._prefer_earliest(session, near_id, article, now)
            return SaveResult("near_duplicate", near_id, changed)
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
        article.story_id = self._assign_story(session, new_id, article, now)
        return SaveResult("new", new_id, changed=True)

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

    def _assign_story(self, session: Session, article_id: int, article: Article, now: datetime) -> int | None:
        """Put a new article in the story of the closest stored article about the same event.

        Candidates share an actor and were published within the story window
        (crawler/lens/stories.py); the best-scoring one that passes decides. Its
        story is joined, or opened for the two of them. Only new articles are
        placed: an edit or a copy keeps the story it has.
        """
        if not article.actors:
            return None
        at = article.published_at or now
        window = stories.STORY_WINDOW
        when = func.coalesce(ArticleRow.published_at, ArticleRow.first_seen_at)
        names = sorted({actor.name for actor in article.actors})
        candidate_ids = session.scalars(
            select(ActorRow.article_id)
            .join(ArticleRow, ArticleRow.id == ActorRow.article_id)
            .where(
                ActorRow.name.in_(names),
                ActorRow.article_id != article_id,
                when >= at - window,
                when <= at + window,
            )
            .group_by(ActorRow.article_id)
            .order_by(desc(func.count()), desc(ActorRow.article_id))
            .limit(STORY_CANDIDATES)
        ).all()
        if not candidate_ids:
            return None
        actors_of: dict[int, set[str]] = defaultdict(set)
        for candidate_id, name in session.execute(
            select(ActorRow.article_id, ActorRow.name).where(ActorRow.article_id.in_(candidate_ids))
        ):
            actors_of[candidate_id].add(name)
        mine = stories.evidence(article.title, article.body[:STORY_LEAD_CHARS], at, names)
        best: tuple[float, int, int | None, datetime, str] | None = None
        for candidate_id, title, lead, published, first_seen, story_id in session.execute(
            select(
                ArticleRow.id,
                ArticleRow.title,
                func.substr(ArticleRow.body, 1, STORY_LEAD_CHARS),
                ArticleRow.published_at,
                ArticleRow.first_seen_at,
                ArticleRow.story_id,
            ).where(ArticleRow.id.in_(candidate_ids))
        ):
            their_time = published or first_seen
            match = stories.compare(mine, stories.evidence(title, lead, their_time, actors_of[candidate_id]))
            if match.same_story and (best is None or match.score > best[0]):
                best = (match.score, candidate_id, story_id, their_time, title)
        if best is None:
            return None
        _, candidate_id, story_id, their_time, their_title = best
        story: StoryRow | None
        if story_id is None:
            story = StoryRow(
                title=their_title,
                first_published_at=their_time,
                last_published_at=their_time,
                article_count=1,
                created_at=now,
                updated_at=now,
            )
            session.add(story)
            session.flush()
            story_id = story.id
            session.execute(update(ArticleRow).where(ArticleRow.id == candidate_id).values(story_id=story_id))
        else:
            story = session.get(StoryRow, story_id, with_for_update=self.dialect == "postgresql")
        assert story is not None
        session.execute(update(ArticleRow).where(ArticleRow.id == article_id).values(story_id=story_id))
        story.article_count += 1
        story.updated_at = now
        if story.first_published_at is None or at < story.first_published_at:
            story.first_published_at = at
            story.title = article.title  # a story is named by its first report
        if story.last_published_at is None or at > story.last_published_at:
            story.last_published_at = at
        session.flush()
        return story_id

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
            return SaveResult("unchanged", article_id)
        twin_id = session.scalar(select(ArticleRow.id).where(ArticleRow.content_hash == article.content_hash))
        if twin_id is not None and twin_id != article_id:
            return SaveResult("duplicate", twin_id)  # this URL now shows another stored article's text
        if row.url != article.url:
            # an alias URL whose page changed: the article itself did not, keep it
            return SaveResult("unchanged", article_id)
        for key, value in self._article_values(article).items():
            setattr(row, key, value)
        row.revision += 1
        row.updated_at = now
        session.flush()
        self._replace_parts(session, article_id, article)
        self._replace_keys(session, article_id, article)
        return SaveResult("updated", article_id, changed=True)

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
        """Related links, attributions, embeds; ``fresh``: the row was just inserted."""
        for model in () if fresh else (RelatedLinkRow, AttributionRow, EmbedRow, ActorRow):
            session.execute(delete(model).where(model.article_id == article_id))
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

    # -- reading ---------------------------------------------------------------

    def count(self) -> int:
        with self.sessions() as session:
            return session.scalar(select(func.count()).select_from(ArticleRow)) or 0

    def known_url(self, url: str) -> bool:
        with self.sessions() as session:
            return session.scalar(select(ArticleUrlRow.id).where(ArticleUrlRow.url == url)) is not None

    def _export_query(self, where: ExportFilter) -> Select[ArticleRow]:
        query = select(ArticleRow).order_by(ArticleRow.id)
        if where.since is not None:
            query = query.where(ArticleRow.published_at >= where.since)
        if where.until is not None:
            query = query.where(ArticleRow.published_at < where.until)
        if where.site:
            query = query.where(ArticleRow.site == where.site)
        if where.source:
            query = query.where(ArticleRow.source == where.source)
        if where.min_relevance is not None:
            query = query.where(ArticleRow.relevance >= where.min_relevance)
        if where.topic:
            # topics is a JSON list of slugs; a slug in quotes matches one element exactly
            query = query.where(cast(ArticleRow.topics, Text).like(f'%"{where.topic}"%'))
        if where.actor:
            query = query.where(
                ArticleRow.id.in_(select(ActorRow.article_id).where(ActorRow.name == where.actor))
            )
        return query.options(
            selectinload(ArticleRow.urls),
            selectinload(ArticleRow.related),
            selectinload(ArticleRow.attributions),
            selectinload(ArticleRow.embeds),
            selectinload(ArticleRow.actors),
        )

    def iter_records(self, where: ExportFilter | None = None, batch: int = 500) -> Iterator[dict[str, Any]]:
        """Stored articles as records, streamed in batches: memory stays flat."""
        with self.sessions() as session:
            result = session.execute(
                self._export_query(where or ExportFilter()).execution_options(
                    yield_per=batch, stream_results=True
                )
            )
            for row in result.scalars():
                yield row_to_record(row)
                session.expunge(row)

    def records_by_id(self, ids: list[int], batch: int = 500) -> Iterator[dict[str, Any]]:
        """Records of the given articles, in the given order, read in batches."""
        for start in range(0, len(ids), batch):
            chunk = ids[start : start + batch]
            with self.sessions() as session:
                rows = session.scalars(
                    self._export_query(ExportFilter()).where(ArticleRow.id.in_(chunk))
                ).all()
                by_id = {row.id: row for row in rows}
                for article_id in chunk:
                    if article_id in by_id:
                        yield row_to_record(by_id[article_id])

    def iter_stories(self, where: ExportFilter | None = None, batch: int = 200) -> Iterator[dict[str, Any]]:
        """Stories as records (crawler/records.py STORY_FIELDS), in batches: memory stays flat.

        ``since``/``until`` bound the story's first report; ``site`` and ``source``
        keep the stories that site or source took part in.
        """
        where = where or ExportFilter()
        last_id = 0
        while True:
            with self.sessions() as session:
                query = select(StoryRow).where(StoryRow.id > last_id).order_by(StoryRow.id).limit(batch)
                if where.since is not None:
                    query = query.where(StoryRow.first_published_at >= where.since)
                if where.until is not None:
                    query = query.where(StoryRow.first_published_at < where.until)
                if where.site:
                    query = query.where(
                        StoryRow.id.in_(
                            select(ArticleRow.story_id)
                            .join(ArticleUrlRow, ArticleUrlRow.article_id == ArticleRow.id)
                            .where(ArticleUrlRow.site == where.site)
                        )
                    )
                if where.source:
                    query = query.where(
                        StoryRow.id.in_(select(ArticleRow.story_id).where(ArticleRow.source == where.source))
                    )
                story_rows = session.scalars(query).all()
                if not story_rows:
                    return
                yield from self._story_records(session, story_rows)
                last_id = story_rows[-1].id

    def _story_records(self, session: Session, story_rows: Sequence[StoryRow]) -> Iterator[dict[str, Any]]:
        ids = [story.id for story in story_rows]
        when = func.coalesce(ArticleRow.published_at, ArticleRow.first_seen_at)
        articles: dict[int, list[dict[str, Any]]] = defaultdict(list)
        article_story: dict[int, int] = {}
        for article_id, story_id, url, site, title, published in session.execute(
            select(
                ArticleRow.id, ArticleRow.story_id, ArticleRow.url, ArticleRow.site, ArticleRow.title, when
            )
            .where(ArticleRow.story_id.in_(ids))
            .order_by(when, ArticleRow.id)
        ):
            assert story_id is not None
            article_story[article_id] = story_id
            articles[story_id].append(
                {
                    "id": article_id,
                    "url": url,
                    "site": site,
                    "title": title,
                    "published_at": iso(published),
                    "duplicate_urls": [],
                }
            )
        copies: dict[int, list[tuple[str, str]]] = defaultdict(list)
        actor_counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        if article_story:
            for article_id, url, site in session.execute(
                select(ArticleUrlRow.article_id, ArticleUrlRow.url, ArticleUrlRow.site)
                .where(ArticleUrlRow.article_id.in_(list(article_story)))
                .order_by(ArticleUrlRow.id)
            ):
                copies[article_id].append((url, site))
            for article_id, name in session.execute(
                select(ActorRow.article_id, ActorRow.name).where(ActorRow.article_id.in_(list(article_story)))
            ):
                actor_counts[article_story[article_id]][name] += 1
        for story in story_rows:
            members = articles.get(story.id, [])
            outlets: list[str] = []
            for member in members:
                member_id = member.pop("id")
                for url, _ in copies.get(member_id, []):
                    if url != member["url"]:
                        member["duplicate_urls"].append(url)
                for site in [member["site"], *(site for _, site in copies.get(member_id, []))]:
                    if site and site not in outlets:
                        outlets.append(site)
            counts = actor_counts.get(story.id, {})
            shared = sorted(
                (name for name, n in counts.items() if n * 2 >= len(members)), key=lambda n: -counts[n]
            )
            yield {
                "story_id": story.id,
                "title": story.title,
                "first_published_at": iso(story.first_published_at),
                "last_published_at": iso(story.last_published_at),
                "article_count": len(members),
                "outlet_count": len(outlets),
                "outlets": outlets,
                "first_outlet": members[0]["site"] if members else "",
                "first_url": members[0]["url"] if members else "",
                "actors": shared,
                "articles": members,
            }

    def get_record(self, url: str) -> dict[str, Any] | None:
        with self.sessions() as session:
            article_id = session.scalar(select(ArticleUrlRow.article_id).where(ArticleUrlRow.url == url))
            if article_id is None:
                return None
            row = session.scalars(self._export_query(ExportFilter()).where(ArticleRow.id == article_id)).one()
            return row_to_record(row)


def row_to_article(row: ArticleRow) -> Article:
    """The stored article as the pipelines' :class:`Article` (the record's one source of truth)."""
    values = {column: getattr(row, column) for column in ARTICLE_COLUMNS if column != "content_hash"}
    return Article(
        **values,
        related=[RelatedLink(r.title, r.url) for r in row.related],
        attributions=[Attribution(a.kind, a.name, a.text) for a in row.attributions],
        embeds=[
            Embed(
                e.platform, e.author, e.handle, e.url, e.posted_at, e.posted_raw, e.text, list(e.links or [])
            )
            for e in row.embeds
        ],
        actors=[Actor(a.name, a.kind, a.mentions, a.in_title) for a in row.actors],
        story_id=row.story_id,
        duplicate_urls=[u.url for u in row.urls if u.url != row.url],
        first_seen_at=row.first_seen_at,
        last_seen_at=row.last_seen_at,
        revision=row.revision,
        content_hash=row.content_hash,
    )


def row_to_record(row: ArticleRow) -> dict[str, Any]:
    """The user-facing record of DESIGN.md, from a stored row."""
    return article_to_record(row_to_article(row))
