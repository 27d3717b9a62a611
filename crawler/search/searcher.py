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


# Ranking reads every matching article's positions (bm25, ts_rank): for a word in half the
# store that is 50,000 rows and hundreds of milliseconds. A search ranks the most recently
# stored RANK_WINDOW matches (article ids follow storage order), found by walking the index
# backwards, which stops after them: exact for any query with fewer matches, and for a
# common word the analyst reads the best of the latest (``--since`` reaches further back).
# ``scrapy export --query`` ranks every match. Measured in bench/search.py.
RANK_WINDOW = 2000


def ranked(
    dialect: str,
    text: str,
    where: ExportFilter,
    columns: tuple[Any, ...],
    limit: int | None = None,
    window: int | None = RANK_WINDOW,
) -> Select[Any]:
    """``columns`` and score of the ``limit`` best articles answering ``text`` and ``where``, best first.

    ``window``: only the latest this many matches are ranked (None: every match). The articles'
    rows are read for the results only, after the cut: not for every match ranked.
    """
    condition = _filters(where)
    if dialect == "sqlite":
        expression = fts5_query(text)
        if not expression:
            raise EmptyQuery(text)
        key = _FTS.c.rowid
        score: ColumnElement[Any] = -func.bm25(literal_column(SEARCH_TABLE), *BM25_WEIGHTS)
        match = literal_column(SEARCH_TABLE).op("MATCH")(literal(expression))
        source = _FTS
    else:
        expression = tsquery(text)
        if not expression:
            raise EmptyQuery(text)
        query = cast(literal(expression), TSQUERY)
        key = _PG.c.article_id
        score = func.ts_rank(_PG.c.vector, query)
        match = _PG.c.vector.op("@@")(query)
        source = _PG
    matches = select(key.label("id"), score.label("score")).select_from(source).where(match)
    if condition is not None:
        matches = matches.join_from(source, ArticleRow, ArticleRow.id == key).where(condition)
    if window is not None:
        matches = matches.order_by(key.desc()).limit(window)
    found = matches.subquery("found")
    best = (
        select(found.c.id, found.c.score)
        .order_by(found.c.score.desc(), found.c.id)
        .limit(limit)
        .subquery("best")
    )
    return (
        select(*columns, best.c.score)
        .join_from(best, ArticleRow, ArticleRow.id == best.c.id)
        .order_by(best.c.score.desc(), ArticleRow.id)
    )


def search(
    engine: Engine,
    text: str,
    where: ExportFilter | None = None,
    limit: int = 20,
    marks: tuple[str, str] = ("[", "]"),
) -> list[Hit]:
    """The ``limit`` best articles for ``text``, each with a snippet of its body, matches in ``marks``."""
    query: SearchQuery = parse(text)
    columns = (ArticleRow.id, ArticleRow.url, ArticleRow.site, ArticleRow.title, ArticleRow.published_at)
    statement = ranked(engine.dialect.name, text, where or ExportFilter(), columns, limit)
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
            snippet(bodies[row.id], query, marks=marks),
        )
        for row in rows
    ]


def matching_ids(
    engine: Engine, text: str, where: ExportFilter | None = None, limit: int | None = None
) -> list[int]:
    """Ids of every article answering ``text`` (or the ``limit`` best), best first: for ``scrapy export``."""
    statement = ranked(
        engine.dialect.name, text, where or ExportFilter(), (ArticleRow.id,), limit, window=None
    )
    with engine.connect() as connection:
        return [row.id for row in connection.execute(statement)]
