"""Why the store or a file could not be written, in words a user can act on.

A crawl that cannot store an article must fail, and say why in one line
(crawler/runs/outcome.py). The drivers say it in their own terms: sqlite3 by
its result code (``SQLITE_FULL``, ``SQLITE_READONLY``), psycopg by SQLSTATE
(``53100`` disk full, ``25006`` read-only transaction, class ``08`` connection),
the file system by errno. :func:`classify` maps each to one :class:`Cause`, and
:func:`database_advice` / :func:`file_advice` say what to do about it.

Written here rather than taken from a library: no library maps both drivers'
codes and errno to causes a user can act on.

SQLite on a full disk cannot even complete the run record (``crawl_runs``): every
write needs room in the WAL. :class:`Reserve` keeps a small file beside the
database that is deleted when the disk is full, so that the run record can
still say ``failed`` (and the feed's cursor can still move).
"""

from __future__ import annotations

import errno
import logging
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TypeVar

from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from crawler.store.db import redact

logger = logging.getLogger(__name__)

_T = TypeVar("_T")


class Cause(StrEnum):
    """What kind of failure a write met (the ``store/failed/<cause>`` stats)."""

    DISK_FULL = "disk_full"
    READ_ONLY = "read_only"  # a read-only file, directory, file system or database session
    UNREACHABLE = "unreachable"  # the server is down, refuses the connection or the login
    BUSY = "busy"  # another process held the lock past the timeout
    ERROR = "error"  # anything else: a bug, a corrupt file, an answer nobody expected


# psycopg's SQLSTATE codes (PostgreSQL, Appendix A: error codes).
_SQLSTATE_CAUSES = {
    "53100": Cause.DISK_FULL,  # disk_full
    "25006": Cause.READ_ONLY,  # read_only_sql_transaction (a hot standby, default_transaction_read_only)
    "42501": Cause.READ_ONLY,  # insufficient_privilege: the role may not write
    "57P01": Cause.UNREACHABLE,  # admin_shutdown
    "57P02": Cause.UNREACHABLE,  # crash_shutdown
    "57P03": Cause.UNREACHABLE,  # cannot_connect_now
    "53300": Cause.UNREACHABLE,  # too_many_connections
    "28P01": Cause.UNREACHABLE,  # invalid_password
    "28000": Cause.UNREACHABLE,  # invalid_authorization_specification
    "55P03": Cause.BUSY,  # lock_not_available
    "40P01": Cause.BUSY,  # deadlock_detected (after the writer's retries)
}

_ERRNO_CAUSES = {
    errno.ENOSPC: Cause.DISK_FULL,
    errno.EDQUOT: Cause.DISK_FULL,
    errno.EFBIG: Cause.DISK_FULL,
    errno.EROFS: Cause.READ_ONLY,
    errno.EACCES: Cause.READ_ONLY,
    errno.EPERM: Cause.READ_ONLY,
}


def _sqlite_cause(name: str) -> Cause | None:
    if name == "SQLITE_FULL":
        return Cause.DISK_FULL
    if name.startswith(("SQLITE_READONLY", "SQLITE_PERM", "SQLITE_AUTH")):
        return Cause.READ_ONLY
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return Cause.BUSY
    if name.startswith("SQLITE_CANTOPEN"):
        return Cause.UNREACHABLE
    return None


def classify(error: BaseException) -> Cause:
    """The cause of a failed write, from the driver's code or the errno."""
    original = error.orig if isinstance(error, DBAPIError) else error
    sqlite_name = getattr(original, "sqlite_errorname", None)
    if isinstance(sqlite_name, str):
        cause = _sqlite_cause(sqlite_name)
        if cause is not None:
            return cause
    sqlstate = getattr(original, "sqlstate", None)
    if isinstance(sqlstate, str):
        if sqlstate in _SQLSTATE_CAUSES:
            return _SQLSTATE_CAUSES[sqlstate]
        if sqlstate.startswith("08"):  # connection_exception
            return Cause.UNREACHABLE
    elif isinstance(error, DBAPIError) and error.connection_invalidated:
        return Cause.UNREACHABLE
    elif type(original).__module__.startswith("psycopg") and type(original).__name__ == "OperationalError":
        return Cause.UNREACHABLE  # psycopg gives no SQLSTATE when it never reached the server
    if isinstance(original, OSError) and original.errno in _ERRNO_CAUSES:
        return _ERRNO_CAUSES[original.errno]
    return Cause.ERROR


def first_line(error: BaseException) -> str:
    """The error's own message, one line, without SQLAlchemy's statement and link."""
    original = error.orig if isinstance(error, DBAPIError) else error
    text = str(original).strip().splitlines()
    return f"{type(original).__name__}: {text[0]}" if text else type(original).__name__


def database_location(url: str) -> str:
    """Where the database is, for a message: the SQLite file, or the URL without its password."""
    try:
        parsed = make_url(url)
    except Exception:
        return redact(url)
    if parsed.get_backend_name() == "sqlite":
        return parsed.database or ":memory:"
    return redact(url)


def database_advice(cause: Cause, where: str, detail: str = "") -> str:
    """What happened to the database at ``where`` and what to do, as the end of a sentence."""
    if cause is Cause.DISK_FULL:
        return f"database or disk is full ({where}): free space and run again"
    if cause is Cause.READ_ONLY:
        return (
            f"the database is read-only ({where}): let the user running the crawl write to it, then run again"
        )
    if cause is Cause.UNREACHABLE:
        return f"the database could not be reached ({where}): check that it is up and DATABASE_URL"
    if cause is Cause.BUSY:
        return f"the database stayed locked by another process ({where}): run again when it is free"
    return f"{detail or 'an unexpected database error'} ({where}): see the log"


def file_advice(cause: Cause, where: Path, setting: str, detail: str = "") -> str:
    """What happened to a file under ``where`` and what to do; ``setting`` names where it is set."""
    if cause is Cause.DISK_FULL:
        return f"the disk holding {where} is full: free space and run again"
    if cause is Cause.READ_ONLY:
        return f"{where} is not writable by this user: fix its permissions or set {setting}"
    return f"{detail or 'an unexpected error'} ({where}): see the log"


@dataclass(frozen=True)
class WriteFailure:
    """A failed write: its cause, and the driver's message for the log."""

    cause: Cause
    detail: str
    error: BaseException

    @classmethod
    def of(cls, error: BaseException) -> WriteFailure:
        return cls(classify(error), first_line(error), error)


class Reserve:
    """A few hundred kilobytes kept beside a SQLite database, given back when the disk is full.

    On a full disk SQLite cannot write even one small row: every commit appends to
    the WAL. The crawl's last writes (the feed's cursor, the run record that says
    the run failed) go through :meth:`retry_when_full`, which deletes the reserve and
    tries once more. The next run that finds room makes it again. Only for SQLite
    files; a PostgreSQL server's disk is the server's business.
    """

    SIZE = 256 * 1024

    def __init__(self, database_url: str) -> None:
        self.path: Path | None = None
        try:
            parsed = make_url(database_url)
        except Exception:
            return
        if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:":
            self.path = Path(parsed.database).with_name(Path(parsed.database).name + ".reserve")

    def make(self) -> None:
        """Write the reserve if it is not there (silently not, on a disk already full)."""
        if self.path is None or self.path.exists():
            return
        try:
            with self.path.open("wb") as stream:
                stream.write(b"\0" * self.SIZE)
        except OSError as error:
            logger.debug("No reserve beside the database (%s): %s", self.path, error)
            self.path.unlink(missing_ok=True)

    def release(self) -> bool:
        """Delete the reserve; whether there was one to give back."""
        if self.path is None or not self.path.exists():
            return False
        self.path.unlink(missing_ok=True)
        logger.warning("The disk is full: released the reserve beside the database (%s)", self.path)
        return True

    def retry_when_full(self, write: Callable[[], _T]) -> _T:
        """``write()``; on a full disk, once more after giving the reserve back."""
        try:
            return write()
        except Exception as error:
            if classify(error) is not Cause.DISK_FULL or not self.release():
                raise
        return write()
