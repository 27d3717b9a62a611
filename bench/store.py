"""Store benchmark: ingest synthetic Arabic articles into SQLite and PostgreSQL.

    .venv/bin/python -m bench.store [--articles 100000] [--postgres URL] [--sample 200]

Articles come from devsite/dedup_pairs.py's vocabulary generator; 10% are
near-duplicates (syndicated, lightly edited copies) of an earlier article.
Each article goes through the dedup stage (canonical URL, content hash,
MinHash fingerprint) and ``ArticleStore.save``, as in a crawl.

Figures, all measured in this one run (the machines are shared and noisy, so
only ratios within a run are meaningful):

* ``articles_per_s_sqlite`` / ``articles_per_s_postgres``: ingest rate;
* ``lookup_ms_at_10k`` / ``lookup_ms_at_100k``: median time of the
  near-duplicate lookup (candidate keys + verification) for the same probe
  articles when the store holds 10% and 100% of the articles (SQLite);
  ``lookup_growth`` is their ratio (target ≤ 1.5: the cost must not grow with
  the store); the ``_postgres`` twins are the same on PostgreSQL;
* ``peak_rss_mb``: peak resident memory of the process;
* ``export_rows_per_s``: ``scrapy export``'s streaming path, SQLite, to CSV;
* ``precision`` / ``recall``: near-duplicate merges against the generator's
  ground truth (which copy came from which article).

The last line printed is one JSON object with these figures.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from crawler.exporters import RecordWriter
from crawler.items import Article, Block
from crawler.store import ArticleStore, make_engine, redact
from devsite.dedup_pairs import story, syndicate
from pipelines.dedup import dedup_keys

DUPLICATE_SHARE = 0.10
RECENT = 2_000  # copies are made of recent stories, as syndication happens within days
START = datetime(2024, 1, 1, tzinfo=UTC)


@dataclass
class Generated:
    article: Article
    copy_of: int | None  # index of the original this is a copy of


def make_article(index: int, paragraphs: list[str], title: str, site: str) -> Article:
    item = Article(
        url=f"https://{site}/news/{index}/",
        site=site,
        title=title,
        source=site,
        published_at=START + timedelta(minutes=7 * index),
        blocks=[Block(p) for p in paragraphs],
    )
    return dedup_keys(item)


def generate(count: int, seed: int = 2025) -> Iterator[Generated]:
    """``count`` articles, about 10% of them copies of a recent one."""
    rng = random.Random(seed)
    recent: list[tuple[int, list[str], str]] = []
    for index in range(count):
        if recent and rng.random() < DUPLICATE_SHARE:
            original, paragraphs, title = rng.choice(recent)
            copy = syndicate(rng, paragraphs, rng.randint(1, 3))
            yield Generated(
                make_article(index, copy, f"{title} (نقلا عن وكالات)", "copies.example"), original
            )
            continue
        made = story(rng)
        recent.append((index, made.paragraphs, made.title))
        if len(recent) > RECENT:
            recent.pop(0)
        yield Generated(make_article(index, made.paragraphs, made.title, "www.elaosboa.com"), None)


def probes(count: int, upto: int, seed: int = 99) -> list[Article]:
    """Lookup probes, the same at every measuring point: half copies of articles among the
    first ``upto`` (they exist at both points), half new stories."""
    rng = random.Random(seed)
    wanted = set(rng.sample(range(upto), min(upto, count)))
    originals = [
        (g.article.body, g.article.title)
        for index, g in enumerate(generate(upto))
        if index in wanted and g.copy_of is None
    ]
    result: list[Article] = []
    for number in range(count):
        if number % 2 == 0:
            body, title = rng.choice(originals)
            copy = syndicate(rng, body.split("\n\n"), 2)
            result.append(make_article(10_000_000 + number, copy, title, "probe.example"))
        else:
            made = story(rng)
            result.append(make_article(10_000_000 + number, made.paragraphs, made.title, "probe.example"))
    return result


def lookup_ms(store: ArticleStore, sample: list[Article]) -> float:
    """Median milliseconds of one near-duplicate lookup (read-only; nothing is stored)."""
    timings: list[float] = []
    with store.sessions() as session:
        for probe in sample:
            started = time.perf_counter()
            store.near_duplicate_of(session, probe)
            timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


@dataclass
class Ingest:
    seconds: float
    lookups: dict[int, float]
    precision: float
    recall: float


def ingest(store: ArticleStore, count: int, checkpoints: list[int], sample: list[Article]) -> Ingest:
    ids: dict[int, int] = {}
    true_positive = false_positive = false_negative = 0
    lookups: dict[int, float] = {}
    spent = 0.0
    for index, generated in enumerate(generate(count)):
        started = time.perf_counter()
        result = store.save(generated.article, datetime.now(UTC))
        spent += time.perf_counter() - started
        merged = result.outcome in ("duplicate", "near_duplicate")
        if generated.copy_of is None:
            ids[index] = result.article_id
            false_positive += merged
        elif merged and result.article_id == ids.get(generated.copy_of):
            true_positive += 1
        else:
            false_negative += 1
            false_positive += merged
        if index + 1 in checkpoints:
            lookups[index + 1] = lookup_ms(store, sample)
        if (index + 1) % 10_000 == 0:
            print(f"  {index + 1} stored, {(index + 1) / spent:.0f}/s", file=sys.stderr, flush=True)
    precision = true_positive / (true_positive + false_positive) if true_positive + false_positive else 1.0
    recall = true_positive / (true_positive + false_negative) if true_positive + false_negative else 1.0
    return Ingest(spent, lookups, precision, recall)


def export_rate(store: ArticleStore) -> float:
    """Rows per second through the export path (stream from the database, write CSV)."""
    started = time.perf_counter()
    with open(os.devnull, "w", encoding="utf-8") as sink:
        rows = RecordWriter(sink, "csv").write_all(store.iter_records())
    return rows / (time.perf_counter() - started)


def fresh_postgres(url: str) -> tuple[str, str]:
    """A fresh schema in the PostgreSQL database: (URL inside it, schema name)."""
    import uuid

    import sqlalchemy

    schema = f"bench_{uuid.uuid4().hex[:10]}"
    engine = sqlalchemy.create_engine(url)
    with engine.begin() as connection:
        connection.exec_driver_sql(f"CREATE SCHEMA {schema}")
    engine.dispose()
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options=-csearch_path%3D{schema}", schema


def drop_postgres_schema(url: str, schema: str) -> None:
    import sqlalchemy

    engine = sqlalchemy.create_engine(url)
    with engine.begin() as connection:
        connection.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--sample", type=int, default=200, help="lookup probes per measuring point")
    parser.add_argument(
        "--postgres",
        default=os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"),
    )
    options = parser.parse_args()
    small = max(1, options.articles // 10)
    checkpoints = [small, options.articles]
    sample = probes(options.sample, small)

    with tempfile.TemporaryDirectory() as directory:
        sqlite_url = f"sqlite:///{Path(directory) / 'bench.db'}"
        store = ArticleStore(make_engine(sqlite_url)).prepare()
        print(f"SQLite: {options.articles} articles", file=sys.stderr)
        on_sqlite = ingest(store, options.articles, checkpoints, sample)
        export_per_s = export_rate(store)
        store.engine.dispose()

    postgres_url, schema = fresh_postgres(options.postgres)
    try:
        store = ArticleStore(make_engine(postgres_url)).prepare()
        print(f"PostgreSQL ({redact(options.postgres)}): {options.articles} articles", file=sys.stderr)
        on_postgres = ingest(store, options.articles, checkpoints, sample)
        store.engine.dispose()
    finally:
        drop_postgres_schema(options.postgres, schema)

    figures = {
        "articles": options.articles,
        "articles_per_s_sqlite": round(options.articles / on_sqlite.seconds, 1),
        "articles_per_s_postgres": round(options.articles / on_postgres.seconds, 1),
        "lookup_ms_at_10k": round(on_sqlite.lookups[small], 3),
        "lookup_ms_at_100k": round(on_sqlite.lookups[options.articles], 3),
        "lookup_growth": round(on_sqlite.lookups[options.articles] / on_sqlite.lookups[small], 3),
        "lookup_ms_at_10k_postgres": round(on_postgres.lookups[small], 3),
        "lookup_ms_at_100k_postgres": round(on_postgres.lookups[options.articles], 3),
        "lookup_growth_postgres": round(
            on_postgres.lookups[options.articles] / on_postgres.lookups[small], 3
        ),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "export_rows_per_s": round(export_per_s, 1),
        "precision": round(on_sqlite.precision, 4),
        "recall": round(on_sqlite.recall, 4),
        "precision_postgres": round(on_postgres.precision, 4),
        "recall_postgres": round(on_postgres.recall, 4),
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
