"""How long the daily brief takes over a generated store of 100,000 articles (a year of them).

    .venv/bin/python -m bench.brief [--articles 100000] [--sqlite PATH] [--postgres URL] [--repeat 3]

The store is bench/search.py's (seeded, built in bulk, reused when it exists): about
270 articles a day over 2026, with topics and actors, no stories. Times the reading
of the figures (crawler/brief/queries.py ``read_brief``: the period's counts, the
14-day topic table, the actors of this and the previous period, new sources) for a
24-hour and a 7-day brief, and the page (charts, font subset, template). Prints the
median per step and database; the last line is JSON.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from bench.search import START, build
from crawler.brief.page import render
from crawler.brief.queries import BriefData, BriefFilter, read_brief
from crawler.store import make_engine

UNTIL = START + timedelta(days=200)  # mid-year: a full fortnight and previous period behind it


def timed(step: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """Median milliseconds of ``repeat`` runs, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = step()
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 1), result


def measure(url: str, count: int, repeat: int) -> dict[str, Any]:
    engine = make_engine(url)
    built = build(engine, count)
    figures: dict[str, Any] = {"build_s": round(built, 1)}
    for name, length in (("24h", timedelta(hours=24)), ("7d", timedelta(days=7))):
        where = BriefFilter(since=UNTIL - length, until=UNTIL)
        read_brief(engine, where)  # warm the cache, as a store in use is
        read_ms, data = timed(lambda where=where: read_brief(engine, where), repeat)
        assert isinstance(data, BriefData)
        page_ms, page = timed(lambda data=data: render(data, UNTIL), repeat)
        figures[name] = {
            "articles": data.article_count,
            "read_ms": read_ms,
            "page_ms": page_ms,
            "page_kb": round(len(page.encode()) / 1024),
        }
    engine.dispose()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--sqlite", help="the SQLite store to build or reuse (default: a temporary one)")
    parser.add_argument("--postgres", help="a PostgreSQL URL (a schema of its own: the store is built there)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(args.sqlite) if args.sqlite else Path(scratch) / "brief.db"
        results["sqlite"] = measure(f"sqlite:///{path}", args.articles, args.repeat)
    if args.postgres:
        results["postgresql"] = measure(args.postgres, args.articles, args.repeat)
    for database, figures in results.items():
        for name in ("24h", "7d"):
            f = figures[name]
            print(
                f"{database:10} {name:3}: {f['articles']:5} articles, figures {f['read_ms']:7.1f} ms, "
                f"page {f['page_ms']:7.1f} ms ({f['page_kb']} kB)"
            )
    print(json.dumps(results))


if __name__ == "__main__":
    main()
