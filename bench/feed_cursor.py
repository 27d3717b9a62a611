"""What the feed cursor costs a save: the change counter taken last in every changing transaction.

    .venv/bin/python -m bench.feed_cursor [--articles 2000] [--postgres URL] [--writers 4]

Every save that changes a record takes the next value of ``change_sequence`` as its
transaction's last statement (crawler/store/writer.py), so that values follow commit
order; on PostgreSQL concurrent writers queue on that row from then until their commit.
This stores the same articles into two fresh stores, one with the counter and one
without it (``_take_change`` made a no-op), in alternating batches so that both see
the same machine load, and prints the ingest rate of each and their ratio:

* ``ratio_sqlite``: with / without, one writer, SQLite;
* ``ratio_postgres``: the same on PostgreSQL (with ``--postgres``);
* ``ratio_postgres_concurrent``: ``--writers`` processes at once, each storing its share.

The last line printed is one JSON object with these figures (ratios measured in this run).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from bench.store import generate
from crawler.items import Article
from crawler.store import ArticleStore, make_engine
from crawler.store.writer import ArticleWriter

BATCH = 100


class WithoutCounter(ArticleWriter):
    """The writer as it was before the feed cursor: no change sequence taken."""

    def _take_change(self, session: Session, article_id: int) -> None:
        return None


def store_for(url: str, counter: bool) -> ArticleStore:
    store = ArticleStore(make_engine(url)).prepare()
    if not counter:
        store.writer = WithoutCounter(store.engine)
    return store


def timed_saves(store: ArticleStore, articles: list[Article]) -> float:
    started = time.perf_counter()
    for article in articles:
        store.save(article, datetime.now(UTC))
    return time.perf_counter() - started


def alternate(url_with: str, url_without: str, articles: list[Article]) -> tuple[float, float]:
    """Articles per second with and without the counter, batches alternating between the two."""
    with_counter, without = store_for(url_with, True), store_for(url_without, False)
    spent = {True: 0.0, False: 0.0}
    for start in range(0, len(articles), BATCH):
        batch = articles[start : start + BATCH]
        order = (True, False) if (start // BATCH) % 2 == 0 else (False, True)
        for counter in order:
            spent[counter] += timed_saves(with_counter if counter else without, batch)
    with_counter.engine.dispose()
    without.engine.dispose()
    return len(articles) / spent[True], len(articles) / spent[False]


def _writer(url: str, counter: bool, start: int, count: int, queue: multiprocessing.Queue[float]) -> None:
    articles = [generated.article for generated in generate(start + count)][start:]
    store = store_for(url, counter)
    queue.put(timed_saves(store, articles))
    store.engine.dispose()


def concurrent(url: str, counter: bool, writers: int, count: int) -> float:
    """Articles per second with ``writers`` processes storing at once."""
    context = multiprocessing.get_context("spawn")
    queue: multiprocessing.Queue[float] = context.Queue()
    share = count // writers
    started = time.perf_counter()
    processes = [
        context.Process(target=_writer, args=(url, counter, index * share, share, queue))
        for index in range(writers)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join()
    for _ in processes:
        queue.get()
    return share * writers / (time.perf_counter() - started)


def schema_url(base: str) -> tuple[str, str]:
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    engine = create_engine(base)
    with engine.begin() as connection:
        connection.exec_driver_sql(f"CREATE SCHEMA {schema}")
    engine.dispose()
    separator = "&" if "?" in base else "?"
    return schema, f"{base}{separator}options=-csearch_path%3D{schema}"


def drop_schema(base: str, schema: str) -> None:
    engine = create_engine(base)
    with engine.begin() as connection:
        connection.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
    engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.feed_cursor", description=__doc__)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--postgres", help="a PostgreSQL URL (a schema is made and dropped)")
    parser.add_argument("--writers", type=int, default=4, help="concurrent processes on PostgreSQL")
    options = parser.parse_args(argv)
    articles = [generated.article for generated in generate(options.articles)]
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as directory:
        rate_with, rate_without = alternate(
            f"sqlite:///{Path(directory) / 'with.db'}",
            f"sqlite:///{Path(directory) / 'without.db'}",
            articles,
        )
    figures.update(sqlite_with=rate_with, sqlite_without=rate_without, ratio_sqlite=rate_with / rate_without)
    print(f"SQLite: {rate_with:.0f}/s with the counter, {rate_without:.0f}/s without", file=sys.stderr)
    if options.postgres:
        schemas = [schema_url(options.postgres) for _ in range(6)]
        try:
            rate_with, rate_without = alternate(schemas[0][1], schemas[1][1], articles)
            figures.update(
                postgres_with=rate_with,
                postgres_without=rate_without,
                ratio_postgres=rate_with / rate_without,
            )
            print(f"PostgreSQL: {rate_with:.0f}/s with, {rate_without:.0f}/s without", file=sys.stderr)
            # with, without, without, with: each into a fresh schema, averaged, so that drift in the
            # machine's load weighs on both alike
            runs = [
                (schemas[2][1], True),
                (schemas[3][1], False),
                (schemas[4][1], False),
                (schemas[5][1], True),
            ]
            rates = [
                (counter, concurrent(url, counter, options.writers, options.articles))
                for url, counter in runs
            ]
            together_with = sum(rate for counter, rate in rates if counter) / 2
            together_without = sum(rate for counter, rate in rates if not counter) / 2
            figures.update(
                postgres_concurrent_with=together_with,
                postgres_concurrent_without=together_without,
                ratio_postgres_concurrent=together_with / together_without,
            )
            print(
                f"PostgreSQL, {options.writers} writers: "
                f"{together_with:.0f}/s with, {together_without:.0f}/s without",
                file=sys.stderr,
            )
        finally:
            for schema, _ in schemas:
                drop_schema(options.postgres, schema)
    print(json.dumps({key: round(value, 3) for key, value in figures.items()}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
