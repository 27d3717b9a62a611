"""The search index: one row per article holding the search form of its title and body.

SQLite: an FTS5 table ``article_search(title, body)`` whose rowid is the article's
id, ranked with bm25. PostgreSQL: a table ``article_search(article_id, vector)``
with a GIN index on a tsvector written from our own tokens (title weight A, body
B), ranked with ts_rank; no text search configuration of PostgreSQL's rewrites
them, so both databases find exactly what crawler/search/normalise.py says.

Kept in step by the store's writer, in the transaction that changes the record
(crawler/store/writer.py calls :func:`reindex` for every save that changed one:
new, updated, revised, replaced by an earlier copy), not by SQL triggers: the
search form is Python, which a trigger could only call on connections that
registered it (a Datasette or sqlite3 shell that writes would then fail).
Deleting an article is SQL alone, and a trigger (SQLite) or the foreign key
(PostgreSQL) removes its row. Migration 0010 builds the index for stores that
predate it (:func:`create` then :func:`rebuild`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from sqlalchemy import Connection, bindparam, text

from crawler.search.normalise import search_form, search_tokens

SEARCH_TABLE = "article_search"
# Title words weigh three times body words in SQLite's bm25 (its arguments follow the
# columns); PostgreSQL's ts_rank weighs A (title) 1.0 and B (body) 0.4 by default.
BM25_WEIGHTS = (3.0, 1.0)
# tsvector limits: positions up to 16383, at most 256 positions per lexeme.
_MAX_POSITION = 16383
_MAX_POSITIONS_PER_LEXEME = 255

_SQLITE_DDL = (
    f"CREATE VIRTUAL TABLE {SEARCH_TABLE}"
    " USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 0')",
    f"CREATE TRIGGER {SEARCH_TABLE}_delete AFTER DELETE ON articles"
    f" BEGIN DELETE FROM {SEARCH_TABLE} WHERE rowid = old.id; END",
)
_POSTGRES_DDL = (
    f"CREATE TABLE {SEARCH_TABLE} ("
    " article_id INTEGER NOT NULL PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,"
    " vector TSVECTOR NOT NULL)",
    f"CREATE INDEX ix_{SEARCH_TABLE}_vector ON {SEARCH_TABLE} USING GIN (vector)",
)

_READ = text("SELECT id, title, body FROM articles WHERE id IN :ids").bindparams(
    bindparam("ids", expanding=True)
)
_SQLITE_DELETE = text(f"DELETE FROM {SEARCH_TABLE} WHERE rowid = :id")
_SQLITE_INSERT = text(f"INSERT INTO {SEARCH_TABLE} (rowid, title, body) VALUES (:id, :title, :body)")
_POSTGRES_UPSERT = text(
    f"INSERT INTO {SEARCH_TABLE} (article_id, vector) VALUES (:id, CAST(:vector AS tsvector))"
    " ON CONFLICT (article_id) DO UPDATE SET vector = excluded.vector"
)


def is_search_table(name: str | None) -> bool:
    """The index's tables (FTS5 keeps shadow tables beside its own): not in the models' metadata."""
    return bool(name) and (name == SEARCH_TABLE or str(name).startswith(SEARCH_TABLE + "_"))


def create(connection: Connection) -> None:
    """The index's table (and, on SQLite, the trigger that follows deletions)."""
    for statement in _SQLITE_DDL if connection.dialect.name == "sqlite" else _POSTGRES_DDL:
        connection.exec_driver_sql(statement)


def drop(connection: Connection) -> None:
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {SEARCH_TABLE}_delete")
    connection.exec_driver_sql(f"DROP TABLE IF EXISTS {SEARCH_TABLE}")


def tsvector_literal(title: str, body: str) -> str:
    """A tsvector in its text form: our tokens with their positions, title A and body B."""
    positions: dict[str, list[str]] = defaultdict(list)
    title_tokens = search_tokens(title)
    for weight, tokens, offset in (("A", title_tokens, 1), ("B", search_tokens(body), len(title_tokens) + 2)):
        for i, token in enumerate(tokens):
            where = positions[token]
            if len(where) < _MAX_POSITIONS_PER_LEXEME:
                where.append(f"{min(offset + i, _MAX_POSITION)}{weight}")
    return " ".join(
        "'" + token.replace("\\", "\\\\").replace("'", "''") + "':" + ",".join(where)
        for token, where in positions.items()
    )


def rows_for(rows: Iterable[Sequence[object]], dialect: str) -> list[dict[str, object]]:
    """Parameters of the index's write statement for (id, title, body) rows."""
    if dialect == "sqlite":
        return [
            {"id": id_, "title": search_form(str(title or "")), "body": search_form(str(body or ""))}
            for id_, title, body in rows
        ]
    return [
        {"id": id_, "vector": tsvector_literal(str(title or ""), str(body or ""))}
        for id_, title, body in rows
    ]


def write(connection: Connection, rows: Iterable[Sequence[object]], *, fresh: bool = False) -> None:
    """Index (id, title, body) rows; ``fresh``: none of them is in the index yet."""
    dialect = connection.dialect.name
    params = rows_for(rows, dialect)
    if not params:
        return
    if dialect == "sqlite":
        if not fresh:
            connection.execute(_SQLITE_DELETE, [{"id": p["id"]} for p in params])
        connection.execute(_SQLITE_INSERT, params)
    else:
        connection.execute(_POSTGRES_UPSERT, params)


def reindex(connection: Connection, article_ids: Sequence[int]) -> None:
    """The articles' rows of the index, from their title and body as the transaction sees them."""
    if article_ids:
        write(connection, connection.execute(_READ, {"ids": list(article_ids)}).all())


def rebuild(connection: Connection, batch: int = 2000) -> int:
    """Index every stored article (the index's table is empty): how many were indexed."""
    last, done = 0, 0
    while True:
        rows = connection.execute(
            text("SELECT id, title, body FROM articles WHERE id > :last ORDER BY id LIMIT :batch"),
            {"last": last, "batch": batch},
        ).all()
        if not rows:
            return done
        write(connection, rows, fresh=True)
        last, done = rows[-1][0], done + len(rows)
