"""One run of a spider at a time: cron may start the next run before the last has ended.

The lock lives where the store lives, so that it covers every process that
writes to it: a file lock (``filelock``) beside a SQLite database, a
PostgreSQL session advisory lock for a shared database. Both vanish with the
process that holds them, so a killed run never leaves a stale lock behind.

The lock file sits beside the database file, like SQLite's own ``-wal`` and
``-shm`` files, and stays there between runs (deleting it on release would let
two runs hold two different files). An in-memory SQLite database is its
process's own: no other run can write to it, so it takes no lock and leaves no
file in the working directory.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Protocol

from filelock import FileLock, Timeout
from sqlalchemy import Connection, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from crawler.store.db import redact
from crawler.store.locks import store_lock_key

logger = logging.getLogger(__name__)

# Exit status of a crawl that found another run of the same spider holding the
# lock: EX_TEMPFAIL from sysexits.h, "try again later", which is what cron's
# next tick will do.
EXIT_ALREADY_RUNNING = 75


class RunLock(Protocol):
    description: str

    def acquire(self) -> bool: ...

    def release(self) -> None: ...


class FileRunLock:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.lock = FileLock(str(path))
        self.description = f"file lock {path}"

    def acquire(self) -> bool:
        try:
            self.lock.acquire(timeout=0)
        except Timeout:
            return False
        return True

    def release(self) -> None:
        self.lock.release()


class NoRunLock:
    """For a store no other process can open (in-memory SQLite)."""

    description = "no lock (an in-memory database is its process's own)"

    def acquire(self) -> bool:
        return True

    def release(self) -> None:
        pass


class PostgresRunLock:
    """A session-level advisory lock on a connection kept open for the whole run."""

    def __init__(self, url: str, name: str) -> None:
        self.engine = create_engine(url, poolclass=NullPool)
        self.name = name
        self.key = 0  # set by acquire(): it depends on the connection's schema
        self.connection: Connection | None = None
        self.url = url
        self.description = f"PostgreSQL advisory lock on {redact(url)}"

    def acquire(self) -> bool:
        self.connection = self.engine.connect()
        # Advisory locks are per database, a store is per schema: two stores in one
        # database (one schema each) must not block each other's runs.
        self.key = store_lock_key(self.connection, f"run-lock:{self.name}")
        self.description = f"PostgreSQL advisory lock {self.key} on {redact(self.url)}"
        acquired = bool(self.connection.scalar(text("SELECT pg_try_advisory_lock(:key)"), {"key": self.key}))
        self.connection.commit()
        if not acquired:
            self.connection.close()
            self.connection = None
        return acquired

    def release(self) -> None:
        if self.connection is not None:
            self.connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": self.key})
            self.connection.close()
            self.connection = None
        self.engine.dispose()


def run_lock(spider: str, database_url: str) -> RunLock:
    """The lock for runs of ``spider`` against the store at ``database_url``."""
    url = make_url(database_url)
    if url.get_backend_name() == "postgresql":
        return PostgresRunLock(database_url, spider)
    if not url.database or url.database == ":memory:" or url.query.get("mode") == "memory":
        return NoRunLock()
    database = Path(url.database.removeprefix("file:").split("?", 1)[0]).absolute()
    return FileRunLock(database.with_name(f"{database.name}.{spider}.lock"))
