"""Failures a user can fix, said in one or two lines instead of a traceback.

A harvester run from cron mails whatever it prints. A traceback of forty lines
for a mistyped port buries the one line that matters, and a line in a driver's
own words ("HELLO must be called with the client already authenticated") does
not say what to change. :func:`explain` turns the failures that come from the
user's environment into what went wrong and what to do about it:

* the database: a server that cannot be reached, refuses the login or has no
  such database (SQLAlchemy's ``OperationalError`` and its driver's cause); a
  SQLite file that cannot be opened, is read-only or sits on a full disk; no
  database at all for a command that only reads (:class:`~crawler.store.db.DatabaseNotFound`);
* Redis: not reachable, or a login it refuses (``redis`` exceptions);
* files: a read-only file system, a full disk, no permission, a directory where
  a file was meant (``OSError`` by ``errno``); a reader that stopped reading
  (``BrokenPipeError``, ``scrapy export -o - | head``);
* names: an unknown spider (Scrapy's ``KeyError``) or site profile.

:func:`reported_errors` wraps a command's ``run()``: an explained failure is
printed on stderr (passwords never: every URL is shown redacted, and any
password in the settings' URLs is scrubbed from the text), its traceback goes
to the log at debug level, and the command exits with :data:`EXIT_FAILED`.
Anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import errno
import logging
import os
import re
import sqlite3
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import redis
from scrapy.commands import ScrapyCommand
from scrapy.settings import BaseSettings, Settings
from scrapy.utils.log import configure_logging
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import make_url

from crawler.store.db import DatabaseNotFound, database_url, redact

logger = logging.getLogger(__name__)

# Exit status of a command stopped by a failure explained here ("could not start" for scrapy crawl).
EXIT_FAILED = 1


@dataclass(frozen=True)
class Problem:
    """What went wrong, and what to do about it."""

    what: str
    fix: str

    def text(self, command: str) -> str:
        first = f"scrapy {command}: error: {self.what}"
        return f"{first}\n  {self.fix}" if self.fix else first


@dataclass(frozen=True)
class Context:
    """The URLs a command was given, to name the server that failed (redacted)."""

    database: str = ""
    redis: str = ""

    @classmethod
    def of(cls, settings: BaseSettings | None) -> Context:
        return cls(
            database=database_url(settings), redis=(settings.get("REDIS_URL") if settings else "") or ""
        )

    def secrets(self) -> list[str]:
        found = []
        for url in (self.database, self.redis):
            try:
                password = urlsplit(url).password
            except ValueError:
                password = None
            if password:
                found.append(password)
        return found


def causes(error: BaseException) -> Iterator[BaseException]:
    """The error and what caused it, outermost first, each once."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def explain(error: BaseException, context: Context | None = None) -> Problem | None:
    """The one-line explanation of a failure a user can fix, or None for anything else (a bug)."""
    context = context or Context()
    for cause in causes(error):
        problem = _explain_one(cause, context)
        if problem is not None:
            return problem
    return None


def _explain_one(error: BaseException, context: Context) -> Problem | None:
    if isinstance(error, DatabaseNotFound):
        return Problem(
            str(error), "run `scrapy crawl SPIDER` first (it creates the database), or correct DATABASE_URL"
        )
    if isinstance(error, sa_exc.DBAPIError) and error.orig is not None:
        return database_problem(error.orig, context.database)
    if isinstance(error, sqlite3.Error):
        return database_problem(error, context.database)
    if isinstance(error, sa_exc.ArgumentError | sa_exc.NoSuchModuleError):
        return Problem(
            "DATABASE_URL is not a database URL SQLAlchemy knows",
            "write it as sqlite:////absolute/path/news.db or postgresql+psycopg://USER:PASSWORD@HOST:5432/DB",
        )
    if isinstance(error, redis.RedisError):
        return redis_problem(error, context.redis)
    if isinstance(error, KeyError):
        return name_problem(error)
    if isinstance(error, OSError):
        return file_problem(error)
    return None


# -- the database and Redis: rules on the driver's message --------------------------------------------


@dataclass(frozen=True)
class Rule:
    """A driver message that means a known problem: its pattern's named groups and the URL's
    parts (``server``, ``shown``: the URL redacted, ``of_user``) fill in the two lines."""

    pattern: str
    what: str
    fix: str

    def apply(self, message: str, fields: dict[str, str]) -> Problem | None:
        found = re.search(self.pattern, message, re.IGNORECASE)
        if found is None:
            return None
        values = {**fields, **{key: value or "" for key, value in found.groupdict().items()}}
        return Problem(self.what.format(**values), self.fix.format(**values))


def first_problem(rules: tuple[Rule, ...], message: str, fields: dict[str, str]) -> Problem | None:
    return next((p for p in (rule.apply(message, fields) for rule in rules) if p is not None), None)


POSTGRES_RULES = (
    Rule(
        r"connection refused|no such file or directory",
        "cannot reach PostgreSQL at {server} (connection refused)",
        "check that the server is running and that DATABASE_URL ({shown}) names its host and port",
    ),
    Rule(
        r"failed to resolve host|could not translate host name",
        "cannot resolve the host of DATABASE_URL ({shown})",
        "check the host name in DATABASE_URL",
    ),
    Rule(
        r"timeout expired|timed out",
        "no answer from PostgreSQL at {server} (timed out)",
        "check the network, and that DATABASE_URL ({shown}) names the right host and port",
    ),
    Rule(
        r'database "(?P<name>[^"]+)" does not exist',
        "PostgreSQL at {server} has no database '{name}'",
        "create it (createdb -h HOST -p PORT {name}) or correct DATABASE_URL ({shown})",
    ),
    Rule(
        r"(?P<reason>password authentication failed[^\n]*|role \"[^\"]+\" does not exist"
        r"|no pg_hba\.conf entry[^\n]*|no password supplied)",
        "PostgreSQL at {server} refused the login{of_user} ({reason})",
        "check the user and password in DATABASE_URL ({shown})",
    ),
)

REDIS_RULES = (
    Rule(
        r"without any password configured",
        "Redis at {server} has no password, but REDIS_URL gives one",
        "remove the password from REDIS_URL ({shown}), or set one on the server (requirepass)",
    ),
    Rule(
        r"invalid username-password|WRONGPASS",
        "Redis at {server} refused the login in REDIS_URL (wrong user or password)",
        "put the server's user and password in REDIS_URL ({shown}): redis://USER:PASSWORD@HOST:PORT/DB",
    ),
    Rule(
        r"NOAUTH|authentication required|must be called with the client already authenticated",
        "Redis at {server} requires a password, and REDIS_URL gives none",
        "put it in REDIS_URL ({shown}): redis://:PASSWORD@HOST:PORT/DB",
    ),
    Rule(
        r"(?P<reason>connection refused|name or service not known|timed? ?out|connection reset[^.]*)",
        "cannot reach Redis at {server} ({reason})",
        "check that Redis is running and that REDIS_URL ({shown}) names its host and port",
    ),
)


def url_fields(url: str, default_port: int, setting: str) -> dict[str, str]:
    """How a message names the server of ``url``: host:port, the URL redacted, its user."""
    try:
        parts = make_url(url)
    except Exception:
        return {"server": "the server", "shown": setting, "of_user": ""}
    return {
        "server": f"{parts.host or 'localhost'}:{parts.port or default_port}",
        "shown": redact(url),
        "of_user": f" of user {parts.username!r}" if parts.username else "",
    }


def database_problem(error: BaseException, url: str) -> Problem:
    """A driver's error (psycopg, sqlite3) in the user's words."""
    message = str(error).strip()
    if isinstance(error, sqlite3.Error) or url.startswith("sqlite"):
        return sqlite_problem(message, url)
    fields = url_fields(url, 5432, "DATABASE_URL")
    first_line = message.splitlines()[0] if message else type(error).__name__
    return first_problem(POSTGRES_RULES, message, fields) or Problem(
        f"the database at {fields['shown']} failed: {first_line}",
        "check DATABASE_URL and the database server's log",
    )


def redis_problem(error: redis.RedisError, url: str) -> Problem:
    fields = url_fields(url, 6379, "REDIS_URL") if url else {"server": "Redis", "shown": "REDIS_URL"}
    message = str(error).strip()
    return first_problem(REDIS_RULES, message, fields) or Problem(
        f"Redis at {fields['server']} failed: {message}",
        f"check REDIS_URL ({fields['shown']}) and the server's log",
    )


SQLITE_RULES = (
    Rule(
        r"readonly database|read-only",
        "{where} is read-only",
        "make the database and its directory writable by this user, or point DATABASE_URL elsewhere",
    ),
    Rule(r"disk is full", "the disk holding {where} is full", "free space on it, or move the database"),
    Rule(
        r"not a database",
        "{where} is not a SQLite database",
        "check that DATABASE_URL names the harvester's database",
    ),
    Rule(
        r"disk i/o error", "the disk holding {where} failed (I/O error)", "check the disk and the system log"
    ),
    Rule(
        r"database is locked",
        "{where} stayed locked by another process for more than 30 seconds",
        "wait for the other process (another crawl, an export) to finish, then try again",
    ),
)


def sqlite_problem(message: str, url: str) -> Problem:
    path = _sqlite_path(url)
    where = str(path) if path else "the SQLite database"
    if "unable to open database file" in message and path is not None:
        directory = path.parent
        if not directory.is_dir():
            return Problem(
                f"cannot open {where}: the directory {directory} does not exist",
                "create it, or correct DATABASE_URL",
            )
        if not _writable(directory):
            return Problem(
                f"cannot open {where}: {directory} is read-only (SQLite writes its journal beside it)",
                f"make {directory} writable by this user, or move the database and point DATABASE_URL at it",
            )
        return Problem(
            f"cannot open {where}", "check that DATABASE_URL names a SQLite file this user can read and write"
        )
    return first_problem(SQLITE_RULES, message, {"where": where}) or Problem(
        f"{where} failed: {message}", "check DATABASE_URL"
    )


def _sqlite_path(url: str) -> Path | None:
    try:
        database = make_url(url).database if url else None
    except Exception:
        return None
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database).absolute()


def _writable(directory: Path) -> bool:
    """Whether a file can be created in ``directory``: the real test (root ignores modes, a
    read-only mount does not), with an unnamed temporary file that leaves nothing behind."""
    try:
        require_writable_directory(directory, create=False)
    except OSError:
        return False
    return True


def require_writable_directory(path: str | Path, *, create: bool = True) -> Path:
    """``path`` (created if missing), or the OSError that writing there will meet: a command that
    writes files at its end (the crawl's feed) says so before it starts, not after the work."""
    directory = Path(path)
    if create:
        directory.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryFile(dir=directory):
        pass
    return directory


# -- names ----------------------------------------------------------------------------------------


def name_problem(error: KeyError) -> Problem | None:
    message = str(error.args[0]) if error.args else ""
    spider = re.fullmatch(r"Spider not found: (.+)", message)
    if spider:
        return Problem(
            f"no spider named {spider.group(1)!r}",
            "`scrapy list` shows them; `scrapy crawl news -a url=https://example.com/` crawls any site",
        )
    if message.startswith("no site profile named"):
        return Problem(message, "`scrapy list` shows the spiders, each named after its site profile")
    return None


# -- files ----------------------------------------------------------------------------------------


def file_problem(error: OSError) -> Problem | None:
    name = error.filename if isinstance(error.filename, str) else None
    where = name or "a file"
    directory = str(Path(name).parent) if name else "it"
    code = error.errno
    if isinstance(error, BrokenPipeError) or code == errno.EPIPE:
        return Problem(
            "the output was closed before everything was written (broken pipe)",
            "nothing to fix if its reader stopped on purpose (… | head); the rows written are all it got",
        )
    if code == errno.EROFS:
        return Problem(
            f"cannot write {where}: the file system is read-only",
            f"write elsewhere (FEED_DIR, ARCHIVE_DIR, DATABASE_URL, -o), or remount {directory} read-write",
        )
    if code in (errno.ENOSPC, errno.EDQUOT):
        return Problem(
            f"no space left to write {where}",
            f"free space on the disk holding {directory}, or write elsewhere",
        )
    if code in (errno.EACCES, errno.EPERM):
        return Problem(
            f"permission denied: {where}",
            f"make {directory} writable by this user, "
            "or write elsewhere (FEED_DIR, ARCHIVE_DIR, DATABASE_URL, -o)",
        )
    if code == errno.EISDIR:
        return Problem(f"{where} is a directory", f"give a file name, e.g. {Path(where) / 'articles.csv'}")
    if code == errno.ENOTDIR:
        return Problem(f"a part of {where} is a file, not a directory", "correct the path")
    if code == errno.ENOENT:
        return Problem(f"no such file or directory: {where}", "correct the path")
    return None


# -- printing -------------------------------------------------------------------------------------


def scrub(text: str, secrets: list[str]) -> str:
    for secret in secrets:
        text = text.replace(secret, "***")
    return text


def _log_traceback(error: BaseException, settings: Settings | None) -> None:
    """The traceback, at debug level, in the command's log. Commands without a crawl have no
    log configured: one is set up for them when ``LOG_FILE`` or ``LOG_LEVEL=DEBUG`` asks for it."""
    asked = settings is not None and (
        settings.get("LOG_FILE") or str(settings.get("LOG_LEVEL")).upper() == "DEBUG"
    )
    if asked and not logging.getLogger().handlers:
        configure_logging(settings)
    logger.debug("The error above, in full:", exc_info=error)


def _quiet_stdout() -> None:
    """After a broken pipe, send what is left in stdout's buffer nowhere: Python would
    otherwise fail again flushing it at exit ("Exception ignored … BrokenPipeError")."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


def report(
    command: ScrapyCommand, name: str, problem: Problem, error: BaseException, context: Context
) -> None:
    """Print the problem on stderr, the traceback to the log, and set the exit status."""
    if any(isinstance(cause, BrokenPipeError) for cause in causes(error)):
        _quiet_stdout()
    _log_traceback(error, command.settings)
    print(scrub(problem.text(name), context.secrets()), file=sys.stderr)
    command.exitcode = EXIT_FAILED


@contextmanager
def reported_errors(command: ScrapyCommand, name: str) -> Iterator[Context]:
    """Wrap a command's ``run()``: explained failures become one or two lines and an exit status."""
    context = Context.of(command.settings)
    try:
        yield context
    except Exception as error:
        problem = explain(error, context)
        if problem is None:
            raise
        report(command, name, problem, error, context)
