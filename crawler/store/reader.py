"""Reading the store: records and stories for exports and the run feed, streamed in batches.

A stored row becomes the pipelines' :class:`~crawler.items.Article` again
(:func:`row_to_article`), and its record is made by the one definition of a
record (crawler/records.py): what the store exports is what a crawl printed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, Select, Text, cast, func, select
from sqlalchemy.orm import Session, selectinload

from crawler.items import Actor, Article, Attribution, Embed, RelatedLink
from crawler.records import article_to_record, iso
from crawler.store.db import session_factory
from crawler.store.models import ARTICLE_COLUMNS, ActorRow, ArticleRow, ArticleUrlRow, StoryRow

if TYPE_CHECKING:  # the writer reads stored articles back with row_to_article
    from crawler.store.writer import FeedWindow


@dataclass(frozen=True)
class ExportFilter:
    since: datetime | None = None
    until: datetime | None = None
    site: str | None = None
    source: str | None = None
    min_relevance: float | None = None  # the lens (docs/lens.md): articles scoring at least this
    topic: str | None = None  # a topic slug (crawler/lens/topics.py TOPICS)
    actor: str | None = None  # a canonical actor name (crawler/lens/actors.py)


class ArticleReader:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.sessions = session_factory(engine)

    def count(self) -> int:
        with self.sessions() as session:
            return session.scalar(select(func.count()).select_from(ArticleRow)) or 0

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

    def feed_records(self, site: str, window: FeedWindow, batch: int = 500) -> Iterator[dict[str, Any]]:
        """Records of ``site`` changed within ``window``, in change order, read in batches.

        Each batch is its own short read; a record that changes again meanwhile has left
        the window (its new place is after it) and goes into the next feed instead. Each
        change takes its own value of the counter, so ``change_seq`` orders the pages alone.
        """
        last = window.after
        while last < window.upto:
            with self.sessions() as session:
                rows = session.scalars(
                    self._export_query(ExportFilter())
                    .where(
                        ArticleRow.site == site,
                        ArticleRow.change_seq > last,
                        ArticleRow.change_seq <= window.upto,
                    )
                    .order_by(None)
                    .order_by(ArticleRow.change_seq)
                    .limit(batch)
                ).all()
                for row in rows:
                    yield row_to_record(row)
            if len(rows) < batch:
                return
            last = rows[-1].change_seq

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
    """The user-facing record (crawler/records.py), from a stored row."""
    return article_to_record(row_to_article(row))
