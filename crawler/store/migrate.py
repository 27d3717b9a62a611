"""Schema management with Alembic: ``alembic upgrade head``, and the crawler's automatic first run.

A fresh database (no tables) is brought to the head revision by the first
process that opens it, on SQLite and PostgreSQL alike, so that
``scrapy crawl`` works on a new machine without a separate step. A SQLite file
behind the code is upgraded too (one user, one file). A shared PostgreSQL
database behind the code is not touched: upgrading a database other
processes use is the operator's decision, so the crawl stops and says to run
``alembic upgrade head``.
"""

from __future__ import annotations

import logging

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect, text

from crawler.store.db import PROJECT_ROOT, redact
from crawler.store.locks import store_lock_key

logger = logging.getLogger(__name__)

ALEMBIC_INI = PROJECT_ROOT / "alembic.ini"
# PostgreSQL advisory lock held while migrating, one per store (schema): stores in two
# schemas of one database migrate, and open, without waiting for each other.
_MIGRATION_LOCK = "migration-lock"


class SchemaOutOfDate(RuntimeError):
    """The database is behind the code and will not be upgraded automatically."""


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config(str(ALEMBIC_INI))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def ensure_schema(engine: Engine) -> None:
    """Bring a fresh (or, on SQLite, older) database to the head revision."""
    head = head_revision()
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            key = store_lock_key(connection, _MIGRATION_LOCK)
            connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": key})
        current = current_revision(connection)
        if current == head:
            return
        fresh = not inspect(connection).get_table_names()
        if fresh or engine.dialect.name == "sqlite":
            logger.info("Upgrading %s from %s to %s", redact(str(engine.url)), current or "nothing", head)
            command.upgrade(alembic_config(connection), "head")
            return
    raise SchemaOutOfDate(
        f"{redact(str(engine.url))} is at schema revision {current}, the code needs {head}: "
        "run `alembic upgrade head` (with DATABASE_URL set) before crawling"
    )
