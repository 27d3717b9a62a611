"""The keys of a store's PostgreSQL advisory locks: one rule for the writer's saves
(crawler/store/writer.py), migrations (crawler/store/migrate.py) and the run lock
(crawler/runs/runlock.py).
"""

from __future__ import annotations

from sqlalchemy import Connection, text

from crawler.text.neardup import text_key

# The schema that holds the store's tables, else the one new tables go to (a fresh store):
# not current_schema() alone, which is the first *existing* schema on the search path and
# may be an empty one before the store's ("$user", public with a schema named like the role).
_STORE_SCHEMA = text(
    "SELECT coalesce((SELECT relnamespace::regnamespace::text FROM pg_class"
    " WHERE oid = to_regclass('articles')), current_schema())"
)


def store_lock_key(connection: Connection, name: str) -> int:
    """PostgreSQL: the advisory lock key ``name`` has in the store this connection writes.
    Advisory locks are per database and a store is per schema, so every lock key names it
    (writer, migrations, run lock): stores in two schemas of one database never queue on
    each other, and two processes writing one store always take the same keys."""
    return text_key(f"{name}:{connection.scalar(_STORE_SCHEMA)}")
