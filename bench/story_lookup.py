"""Milliseconds to find a new article's story candidates in a store of 100,000 articles.

    .venv/bin/python -m bench.story_lookup --sqlite /tmp/bench-stories.db \\
        --postgres 'postgresql+psycopg://postgres@127.0.0.1:5432/test?options=-csearch_path%3Dbench_stories'

The store is bench/search.py's generated one (a year of articles, one event each,
its subject and place in the title; built once and kept in the given file or
schema). For a seeded sample of its articles, taken as if each were being stored,
crawler/store/placement.py's ``story_candidates`` is timed: the lookup by shared
actors and the one by event words (places and headline terms through the search
index), both within the 48-hour window. Last line, one JSON object per database:
median and 95th percentile milliseconds, and the median number of candidates.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from bench.search import build
from crawler.lens import stories
from crawler.store import make_engine
from crawler.store.models import ActorRow, ArticleRow
from crawler.store.placement import STORY_LEAD_CHARS, story_candidates

ARTICLES = 100_000


def measure(url: str, sample: int, seed: int = 3) -> dict[str, Any]:
    engine = make_engine(url)
    if engine.dialect.name == "postgresql" and "search_path" in url:
        schema = url.split("search_path%3D", 1)[1].split("&", 1)[0]
        with make_engine(url.split("?", 1)[0]).begin() as connection:
            connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
    built = build(engine, ARTICLES)
    ids = random.Random(seed).sample(range(1, ARTICLES + 1), sample)
    timings: dict[str, list[float]] = {"all": [], "words_only": []}
    found = []
    with Session(engine) as session:
        rows = session.execute(
            select(ArticleRow.id, ArticleRow.title, ArticleRow.body, ArticleRow.published_at).where(
                ArticleRow.id.in_(ids)
            )
        ).all()
        actors: dict[int, list[str]] = {}
        for article_id, name in session.execute(
            select(ActorRow.article_id, ActorRow.name).where(ActorRow.article_id.in_(ids))
        ):
            actors.setdefault(article_id, []).append(name)
        first = rows[0]
        story_candidates(session, first[0], stories.evidence(first[1], first[2], first[3], []))  # warm
        for article_id, title, body, published in rows:
            lead = body[:STORY_LEAD_CHARS]
            # as stored (actors and event words), and as a report naming no actor (event words only)
            for kind, names in (("all", actors.get(article_id, [])), ("words_only", [])):
                mine = stories.evidence(title, lead, published, names)
                started = time.perf_counter()
                candidates = story_candidates(session, article_id, mine)
                timings[kind].append(1000 * (time.perf_counter() - started))
                if kind == "all":
                    found.append(len(candidates))
    engine.dispose()
    figures: dict[str, Any] = {"dialect": engine.dialect.name, "built_s": round(built, 1)}
    figures["sample"] = len(rows)
    for kind, spent in timings.items():
        spent.sort()
        figures[f"{kind}_median_ms"] = round(statistics.median(spent), 2)
        figures[f"{kind}_p95_ms"] = round(spent[int(0.95 * (len(spent) - 1))], 2)
    figures["candidates_median"] = statistics.median(found)
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sqlite", help="SQLite file (kept for the next run)")
    parser.add_argument("--postgres", help="a PostgreSQL URL (a schema of its own: the store is built there)")
    parser.add_argument("--sample", type=int, default=200)
    args = parser.parse_args(argv)
    results = []
    if args.sqlite:
        results.append(measure(f"sqlite:///{args.sqlite}", args.sample))
    if args.postgres:
        results.append(measure(args.postgres, args.sample))
    for result in results:
        print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
