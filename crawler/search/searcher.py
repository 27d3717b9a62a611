"""Ranked search over the store, with the export filters (crawler/store/reader.py ExportFilter).

One statement per search: the index's match, joined to ``articles`` for the
filters (date, site, source, relevance, topic, actor: the same conditions as
``scrapy export``), ordered by rank (SQLite bm25, PostgreSQL ts_rank) and cut at
the limit in the database. Snippets are made afterwards for the rows shown only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Engine, Select, column, func, literal, literal_column, select, table
from sqlalchemy.dialects.postgresql import TSQUERY, TSVECTOR
from sqlalchemy.sql.expression import cast

from crawler.search.index import BM25_WEIGHTS, SEARCH_TABLE
from crawler.search.query import SearchQuery, fts5_query, parse, snippet, tsquery
from crawler.store.models import ArticleRow
from crawler.store.reader import ArticleReader, ExportFilter

_FTS = table(SEARCH_TABLE, column("rowid"))
_PG = table(SEARCH_TABLE, column("article_id"), column("vector", TSVECTOR))


class EmptyQuery(ValueError):
    """The query has nothing to look for (only exclusions, or only punctuation)."""


@dataclass(frozen=True)
class Hit:
    article_id: int
    url: str
    site: str
    title: str
    published_at: datetime | None
    score: float  # higher is better, on each database's own scale
    snippet: str


def _filters(where: ExportFilter) -> ColumnElement[bool] | None:
    """The conditions ``scrapy export`` applies for ``where``, from the reader itself (one definition)."""
    return ArticleReader._export_query(ArticleReader.__new__(ArticleReader), where).whereclause


def ranked(dialect: str, text: str, where: ExportFilter, columns: tuple[Any, ...]) -> Select[Any]:
    """``columns`` of the articles answering ``text`` and ``where``, best first, and their score."""
    if dialect == "sqlite":
        expression = fts5_query(text)
        if not expression:
            raise EmptyQuery(text)
        score = -func.bm25(literal_column(SEARCH_TABLE), *BM25_WEIGHTS)
        statement = (
            select(*columns, score.label("score"))
            .select_from(_FTS.join(ArticleRow, ArticleRow.id == _FTS.c.rowid))
            .where(literal_column(SEARCH_TABLE).op("MATCH")(literal(expression)))
        )
    else:
        expression = tsquery(text)
        if not expression:
            raise EmptyQuery(text)
        query = cast(literal(expression), TSQUERY)
        score = func.ts_rank(_PG.c.vector, query)
        statement = (
            select(*columns, score.label("score"))
            .select_from(_PG.join(ArticleRow, ArticleRow.id == _PG.c.article_id))
            .where(_PG.c.vector.op("@@")(query))
        )
    condition = _filters(where)
    if condition is not None:
        statement = statement.where(condition)
    return statement.order_by(literal_column("score").desc(), ArticleRow.id)


def search(engine: Engine, text: str, where: ExportFilter | None = None, limit: int = 20) -> list[Hit]:
    """The ``limit`` best articles for ``text``, with a snippet of each body around its matches."""
    query: SearchQuery = parse(text)
    columns = (ArticleRow.id, ArticleRow.url, ArticleRow.site, ArticleRow.title, ArticleRow.published_at)
    statement = ranked(engine.dialect.name, text, where or ExportFilter(), columns).limit(limit)
    with engine.connect() as connection:
        rows = connection.execute(statement).all()
        bodies = dict(
            connection.execute(
                select(ArticleRow.id, ArticleRow.body).where(ArticleRow.id.in_([row.id for row in rows]))
            ).all()
        )
    return [
        Hit(
            row.id,
            row.url,
            row.site,
            row.title,
            row.published_at,
            float(row.score),
            snippet(bodies[row.id], query),
        )
        for row in rows
    ]


def matching_ids(
    engine: Engine, text: str, where: ExportFilter | None = None, limit: int | None = None
) -> list[int]:
    """Ids of every article answering ``text`` (or the ``limit`` best), best first: for ``scrapy export``."""
    statement = ranked(engine.dialect.name, text, where or ExportFilter(), (ArticleRow.id,))
    if limit is not None:
        statement = statement.limit(limit)
    with engine.connect() as connection:
        return [row.id for row in connection.execute(statement)]
