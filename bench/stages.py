"""The cost per article of each stage: extraction, then every item pipeline down to the store.

    .venv/bin/python -m bench.stages [--articles 300] [--rounds 3]

Pages: the mirror's article pages and ../shared/realpages (bench/pages.py).
Each round extracts every page and runs the stages in the order
crawler/settings.py gives them (normalise, readalso = the read-also split,
attribute, dates, lens, dedup, store), timing each stage's pure function; the store
writes to a fresh SQLite file per round, so every article is a real insert
with its near-duplicate lookup. A stage's time for a page is divided by the
articles that page yields (a page with an appended article yields two). The
median over the rounds is reported.

Last line, one JSON object: ``articles``, ``stage_ms`` (ms per article, by
stage, extraction included as ``extract``), ``total_ms`` and ``slowest``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from bench.pages import Page, corpus
from crawler.extract import ExtractionError, extract_html
from crawler.profiles import ALUSBU
from crawler.text import neardup
from devsite.harness import page_item, stages
from pipelines.store import StorePipeline


def one_round(pages: list[Page], database: Path) -> tuple[dict[str, float], int]:
    neardup.shingles.cache_clear()  # each round starts as a fresh crawl process would
    store = StorePipeline(url=f"sqlite:///{database}")
    store.open_spider()
    pipeline: list[Any] = [*stages(), store]
    seconds: dict[str, float] = defaultdict(float)
    articles = 0
    try:
        for page in pages:
            started = time.perf_counter()
            try:
                extraction = extract_html(page.html, page.url, ALUSBU)
            except ExtractionError:
                continue
            seconds["extract"] += time.perf_counter() - started
            item = page_item(extraction, page.url)
            for stage in pipeline:
                started = time.perf_counter()
                item = stage.process_page(item)
                seconds[stage.stage] += time.perf_counter() - started
            articles += len(item.articles)
    finally:
        store.close_spider()
    return seconds, articles


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=300, help="mirror articles to generate")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    pages = corpus(args.articles)
    per_round: dict[str, list[float]] = defaultdict(list)
    articles = 0
    with tempfile.TemporaryDirectory(prefix="bench-stages-") as scratch:
        for number in range(args.rounds):
            seconds, articles = one_round(pages, Path(scratch) / f"round{number}.db")
            for stage, spent in seconds.items():
                per_round[stage].append(1000 * spent / max(articles, 1))
    stage_ms = {stage: round(statistics.median(values), 3) for stage, values in per_round.items()}
    print(
        json.dumps(
            {
                "pages": len(pages),
                "articles": articles,
                "rounds": args.rounds,
                "stage_ms": stage_ms,
                "total_ms": round(sum(stage_ms.values()), 3),
                "slowest": max(stage_ms, key=lambda stage: stage_ms[stage]),
            }
        )
    )


if __name__ == "__main__":
    main()
