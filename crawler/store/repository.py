"""Storing articles without ever making a second row for the same one.

An article is known by every URL it was seen at (``article_urls``) and by the
hash of its text (``articles.content_hash``). Both are unique in the schema, so
the database itself settles races between processes: inserts use the
dialect's ``INSERT … ON CONFLICT DO NOTHING`` and a lost race re-reads the row
the winner wrote.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, Select, Table, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, selectinload

from crawler.items import Article, Attribution, Embed, RelatedLink
from crawler.records import article_to_record
from crawler.store.db import session_factory
from crawler.store.models import ArticleRow, ArticleUrlRow, AttributionRow, Base, EmbedRow, RelatedLinkRow

MAX_RACE_RETRIES = 3
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
)


@dataclass(frozen=True)
class SaveResult:
    outcome: str  # "new" | "updated" | "unchanged" | "duplicate"
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


class ArticleStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.sessions = session_factory(engine)
        self.dialect = engine.dialect.name

    def create_schema(self) -> None:
        Base.metadata.create_all(self.engine)

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
        for _attempt in range(MAX_RACE_RETRIES):
            with self.sessions.begin() as session:
                result = self._save_once(session, article, now)
                if result is not None:
                    return result
        raise RuntimeError(f"could not store {article.url} after {MAX_RACE_RETRIES} attempts")

    def _save_once(self, session: Session, article: Article, now: datetime) -> SaveResult | None:
        known_id = session.scalar(select(ArticleUrlRow.article_id).where(ArticleUrlRow.url == article.url))
        if known_id is not None:
            return self._update(session, known_id, article, now)
        twin_id = session.scalar(select(ArticleRow.id).where(ArticleRow.content_hash == article.content_hash))
        if twin_id is not None:
            self._attach_url(session, twin_id, article, now)
            changed = self._prefer_earliest(session, twin_id, article, now)
            return SaveResult("duplicate", twin_id, changed)
        values = self._article_values(article)
        values.update(first_seen_at=now, last_seen_at=now, updated_at=now, revision=1)
        new_id = session.scalar(
            self._insert(ArticleRow).values(**values).on_conflict_do_nothing().returning(ArticleRow.id)
        )
        if new_id is None:
            return None  # another process stored it between our read and our insert
        self._replace_parts(session, new_id, article)
        self._attach_url(session, new_id, article, now)
        return SaveResult("new", new_id, changed=True)

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
            if key != "content_hash":
                setattr(row, key, value)
        row.updated_at = now
        session.flush()
        self._replace_parts(session, article_id, copy)
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

    def _replace_parts(self, session: Session, article_id: int, article: Article) -> None:
        for model in (RelatedLinkRow, AttributionRow, EmbedRow):
            session.query(model).filter(model.article_id == article_id).delete(synchronize_session=False)
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
        return query.options(
            selectinload(ArticleRow.urls),
            selectinload(ArticleRow.related),
            selectinload(ArticleRow.attributions),
            selectinload(ArticleRow.embeds),
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
        duplicate_urls=[u.url for u in row.urls if u.url != row.url],
        first_seen_at=row.first_seen_at,
        last_seen_at=row.last_seen_at,
        revision=row.revision,
        content_hash=row.content_hash,
    )


def row_to_record(row: ArticleRow) -> dict[str, Any]:
    """The user-facing record of DESIGN.md, from a stored row."""
    return article_to_record(row_to_article(row))
