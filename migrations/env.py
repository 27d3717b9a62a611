"""Alembic environment: the project's models, the project's database URL.

A connection handed in through ``config.attributes["connection"]`` (the
crawler's own automatic upgrade) is used as is; otherwise the URL comes from
DATABASE_URL or the default SQLite file, like the crawler's.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from crawler.store.db import database_url, make_engine
from crawler.store.models import Base

config = context.config
target_metadata = Base.metadata


def run_with(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things: batch mode rebuilds the table instead
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    # The analysts' views (0011) name the tables they read; SQLite's modern ALTER TABLE
    # RENAME checks every view, and refuses the rename that ends a batch rebuild of a table a
    # view reads ("error in view articles_v: no such table"). The legacy rename does not.
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        connection.exec_driver_sql("PRAGMA legacy_alter_table=ON")
    try:
        with context.begin_transaction():
            context.run_migrations()
    finally:
        if sqlite:
            connection.exec_driver_sql("PRAGMA legacy_alter_table=OFF")


def run_offline() -> None:
    context.configure(url=database_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        run_with(connection)
        return
    engine = make_engine(database_url())
    try:
        with engine.connect() as connection:
            run_with(connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
