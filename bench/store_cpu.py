"""CPU time of the store stage per article: what story placement costs the writer, in process time.

    .venv/bin/python -m bench.store_cpu [--articles 300] [--rounds 3]

bench/stages.py times each stage by the wall clock, which a shared machine
moves by tens of percent from run to run; this prepares the same pages through
every stage before the store once, then stores them into a fresh SQLite file
per round and counts the process's CPU time (the writer's own thread
included), which other processes on the machine do not inflate. To compare two
versions of the story rules, run it in two checkouts one after the other,
several times. Last line, one JSON object: ``articles``, ``store_cpu_ms`` per
round, their ``median``.
"""

from __future__ import annotations

import argparse
import copy
import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.pages import corpus
from crawler.extract import ExtractionError, extract_html
from crawler.lens import meaning, stories
from crawler.profiles import ALUSBU
from devsite.harness import page_item, stages
from pipelines.store import StorePipeline


def prepared_items(articles: int) -> list[Any]:
    """The corpus's pages, extracted and carried through every stage before the store."""
    items = []
    pipeline = stages()
    for page in corpus(articles):
        try:
            item = page_item(extract_html(page.html, page.url, ALUSBU), page.url)
        except ExtractionError:
            continue
        for stage in pipeline:
            item = stage.process_page(item)
        items.append(item)
    return items


def store_cpu_ms(items: list[Any], database: Path) -> tuple[float, int]:
    """CPU ms per article to store ``items`` (copies: a save fills in their fields) in a new file."""
    batch = copy.deepcopy(items)
    # each round as a new crawl process starts: no headline, lead or vector read before
    stories._headline_and_lead.cache_clear()
    stories.own_event.cache_clear()
    meaning.embed_text.cache_clear()
    store = StorePipeline(url=f"sqlite:///{database}")
    store.open_spider()
    started = time.process_time()
    for item in batch:
        store.process_page(item)
    store.close_spider()
    spent = time.process_time() - started
    articles = sum(len(item.articles) for item in batch)
    return 1000 * spent / max(articles, 1), articles


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=300, help="mirror articles to generate")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    items = prepared_items(args.articles)
    per_round: list[float] = []
    articles = 0
    with tempfile.TemporaryDirectory(prefix="bench-store-cpu-") as scratch:
        for number in range(args.rounds):
            spent, articles = store_cpu_ms(items, Path(scratch) / f"round{number}.db")
            per_round.append(round(spent, 3))
    figures = {"articles": articles, "store_cpu_ms": per_round, "median": statistics.median(per_round)}
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
