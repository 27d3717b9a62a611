"""``scrapy browse [--port 8001] [--host 127.0.0.1] [--db PATH]``: the store in a web browser, read-only.

Datasette (a well-kept tool for exactly this, rather than a web app of our own) serves the
SQLite store with the repository's configuration, deploy/datasette/: column descriptions,
facets on site, source, topics and actors, canned queries (stories of the last 24 hours and
7 days, articles by topic, actor or cited agency, the Arabic search), links from an article
to its story and its duplicates, Arabic text right-to-left. The database is always called
``news`` in its URLs, whatever the file's name, so the configuration and links hold.

Read-only, yet live: Datasette's read connections open the file with ``mode=ro``, so a crawl
can write meanwhile (WAL) and the pages show what it stored. Not ``immutable``: that mode
promises SQLite the file never changes, and a crawl's writes under it give wrong answers.
Bound to 127.0.0.1 unless ``--host`` says otherwise (the store is not for the whole network).

A PostgreSQL store is not served: the same questions are SQL views there (``articles_v``,
``stories_v``, …, migration 0011) for a BI tool to read.
"""

from __future__ import annotations

import argparse
import errno
import os
import socket
import sys
from pathlib import Path
from typing import Any

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError
from sqlalchemy.engine import make_url

from crawler.commands.errors import EXIT_FAILED, Problem, reported_errors
from crawler.store import ArticleStore, database_url, make_engine, redact
from crawler.store.db import PROJECT_ROOT, require_existing_database

CONFIG_DIR = PROJECT_ROOT / "deploy" / "datasette"
DATABASE_NAME = "news"  # deploy/datasette/metadata.yml configures the database by this name
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


def sqlite_url(path: str) -> str:
    return f"sqlite:///{Path(path).expanduser().absolute()}"


def not_served(url: str) -> Problem:
    return Problem(
        f"scrapy browse serves a SQLite store; DATABASE_URL is {make_url(url).get_backend_name()} "
        f"({redact(url)})",
        "read it with a BI tool (Metabase, Superset, a spreadsheet's database connection) through its "
        "views articles_v, stories_v, … (README, Browsing the store), or give --db PATH of a SQLite store",
    )


def port_problem(host: str, port: int) -> Problem | None:
    """Why ``host:port`` cannot be served, said before Datasette starts (uvicorn would log and exit)."""
    try:
        with socket.create_server((host, port)):
            return None
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            return Problem(f"port {port} on {host} is in use", "stop what uses it, or give another --port")
        if isinstance(error, socket.gaierror) or error.errno == errno.EADDRNOTAVAIL:
            return Problem(
                f"cannot listen on {host}: not an address of this machine", "give --host 127.0.0.1"
            )
        return Problem(f"cannot listen on {host}:{port}: {error.strerror or error}", "give another --port")


def datasette_app(path: Path) -> Any:
    """Datasette over the SQLite file ``path``, read-only, configured by deploy/datasette/."""
    from datasette.app import Datasette  # imported here: every other command starts without it
    from datasette.database import Database

    datasette = Datasette(config_dir=CONFIG_DIR)
    datasette.remove_database("_memory")  # added when no file is given; only the store is shown
    datasette.add_database(Database(datasette, path=str(path), is_mutable=True), name=DATABASE_NAME)
    return datasette


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False

    def syntax(self) -> str:
        return "[--port 8001] [--host 127.0.0.1] [--db PATH]"

    def short_desc(self) -> str:
        return "Browse the SQLite store in a web browser (Datasette, read-only)"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--port", type=int, default=8001, help="port to listen on (default 8001)")
        parser.add_argument(
            "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)"
        )
        parser.add_argument("--db", help="a SQLite store (default: DATABASE_URL, else data/news.db)")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if args:
            raise UsageError(f"unexpected arguments: {' '.join(args)}")
        if not 0 < opts.port < 65536:
            raise UsageError("--port: a number from 1 to 65535")
        if opts.db:
            # --db is this process's DATABASE_URL: an error then names that file, not the default
            os.environ["DATABASE_URL"] = sqlite_url(opts.db)
        with reported_errors(self, "browse"):
            self.serve(opts)

    def serve(self, opts: argparse.Namespace) -> None:
        url = database_url(self.settings)
        if make_url(url).get_backend_name() != "sqlite":
            self.fail(not_served(url))
            return
        require_existing_database(url)
        # A store from an older version of the code gets the views and the search index first
        # (as every command does on SQLite); the server itself only reads.
        store = ArticleStore(make_engine(url)).prepare()
        store.engine.dispose()
        problem = port_problem(opts.host, opts.port)
        if problem is not None:
            self.fail(problem)
            return
        self.start(Path(str(make_url(url).database)), opts.host, opts.port)

    def fail(self, problem: Problem) -> None:
        print(problem.text("browse"), file=sys.stderr)
        self.exitcode = EXIT_FAILED

    def start(self, path: Path, host: str, port: int) -> None:
        import uvicorn
        from datasette.cli import run_sync

        datasette = datasette_app(path)
        run_sync(datasette.invoke_startup)
        print(
            f"Browsing {path} read-only at http://{host}:{port}/{DATABASE_NAME} (Ctrl-C stops)",
            file=sys.stderr,
            flush=True,
        )
        if host not in LOCAL_HOSTS:
            print(f"Warning: {host} serves the store to the network, with no login", file=sys.stderr)
        uvicorn.run(datasette.app(), host=host, port=port, log_level="warning", lifespan="on", workers=1)
