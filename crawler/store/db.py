"""Engines and sessions for SQLite (default) and PostgreSQL."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Table, create_engine, event, inspect
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATABASE_URL = f"sqlite:///{PROJECT_ROOT / 'data' / 'news.db'}"


def database_url(settings: Any = None) -> str:
    """The environment's DATABASE_URL, else the ``DATABASE_URL`` setting, else SQLite under data/."""
    return (
        os.environ.get("DATABASE_URL")
        or (settings.get("DATABASE_URL") if settings else None)
        or DEFAULT_DATABASE_URL
    )


def redact(url: str) -> str:
    """A database URL fit for logs and run records: the password hidden."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "<unparsable database URL>"


class DatabaseNotFound(LookupError):
    """DATABASE_URL names no harvester database: a command that only reads will not create one."""


def require_existing_database(url: str) -> None:
    """Refuse a database that does not exist, for the commands that only read (export, runs).

    Opening a SQLite path creates the file, and preparing a store creates its tables: a
    mistyped DATABASE_URL would leave an empty database behind and report "0 articles" as if
    all were well. Only ``scrapy crawl`` creates a database. A SQLite file must exist; a
    PostgreSQL database (or the schema its URL selects) must hold tables. Connection failures
    (server down, login refused) are raised as SQLAlchemy raises them.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = parsed.database
        if not path or path == ":memory:" or parsed.query.get("mode") == "memory":
            raise DatabaseNotFound(
                f"DATABASE_URL ({redact(url)}) names an in-memory database: nothing is stored there"
            )
        if path.startswith("file:"):
            path = path.removeprefix("file:").split("?", 1)[0]
        if not Path(path).is_file():
            raise DatabaseNotFound(f"no database at {Path(path).absolute()}")
        return
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            tables = inspect(connection).get_table_names()
    finally:
        engine.dispose()
    if not tables:
        raise DatabaseNotFound(f"no harvester tables in {redact(url)}")


def check_database(url: str) -> None:
    """Connect once and let go: a server that is down or refuses the login, or a SQLite file that
    cannot be opened, stops ``scrapy crawl`` before it starts, rather than failing every page.
    A SQLite database (and its directory) is created here, as the crawl would."""
    engine = make_engine(url)
    try:
        with engine.connect():
            pass
    finally:
        engine.dispose()


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy, not the sqlite3 module, start transactions (see _sqlite_begin).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    # WAL lets `scrapy export` read while a crawl writes; the busy timeout makes
    # concurrent writers wait for the lock instead of failing at once.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    """Writers take SQLite's write lock up front (``sqlite_immediate``): a save
    reads, decides and writes as one step, so two processes cannot both decide
    an article is new. Readers begin deferred and never block writers (WAL)."""
    immediate = connection.get_execution_options().get("sqlite_immediate", False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def insert(dialect: str, table: Table) -> Any:
    """An INSERT with the dialect's ``ON CONFLICT`` clauses (SQLite and PostgreSQL only)."""
    if dialect == "postgresql":
        return postgresql.insert(table)
    if dialect == "sqlite":
        return sqlite.insert(table)
    raise NotImplementedError(f"no upsert for {dialect}")


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5)


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
