"""``scrapy browse`` at 100,000 articles: seconds per page, facets included.

    .venv/bin/python -m bench.browse [--db /tmp/bench-browse.db] [--articles 100000] [--repeat 3]

The store is ``bench/search.py``'s generated one (seeded: the same articles every run),
built at ``--db`` unless a store of ``--articles`` articles is there already. It is written
at migration 0011 and then upgraded to the head, so the later migrations fill their tables
from articles already stored, as they do on a harvester's store (the upgrade's seconds are
printed). Then ``scrapy browse`` is started on a free port and each page fetched ``--repeat``
times with ``curl -w %{time_total}`` (the median is printed), as docs/benchmarks.md measures.
A page whose facets Datasette left out (past ``facet_time_limit_ms``) is marked. The last
line is JSON.
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

from alembic import command
from sqlalchemy import func, select

from bench.search import insert_generated
from crawler.store import make_engine
from crawler.store.migrate import alembic_config
from crawler.store.models import ArticleRow

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BUILT_AT = "0011"  # the generator's rows fit this schema; later migrations fill their own tables
PAGES = (
    "/news/articles_v",
    "/news/actors_v",
    "/news/daily_topics_v",
    "/news/articles",
    "/news/stories_last_24_hours",
    "/news/articles_by_actor?actor=" + quote("موسكو"),
    "/news/articles_by_topic?topic=naval",
    "/news/search?q=" + quote("الدفاع الجوي"),
)
TIMED_OUT = "These facets timed out"  # Datasette's note when it leaves facets out
STARTUP_SECONDS = 180


def build(path: Path, count: int, batch: int = 2000) -> dict[str, float]:
    """The generated store at ``path`` (reused when it holds ``count`` articles), at the head revision."""
    engine = make_engine(f"sqlite:///{path}")
    timings: dict[str, float] = {}
    try:
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), BUILT_AT)
        with engine.connect() as connection:
            stored = connection.scalar(select(func.count()).select_from(ArticleRow)) or 0
        if stored not in (0, count):
            raise SystemExit(f"{path} holds {stored} articles, not {count}: give another --db")
        if not stored:
            started = time.perf_counter()
            with engine.begin() as connection:
                insert_generated(connection, count, batch)
            timings["build_s"] = time.perf_counter() - started
        started = time.perf_counter()
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), "head")
        timings["upgrade_s"] = time.perf_counter() - started
        with engine.connect() as connection:
            connection.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("ANALYZE")
    finally:
        engine.dispose()
    return timings


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def fetch(url: str) -> tuple[float, str]:
    """Seconds to fetch ``url`` (curl's time_total) and the page."""
    result = subprocess.run(
        ["curl", "-s", "-o", "-", "-w", "\n%{time_total}", url], capture_output=True, text=True, check=True
    )
    page, _, seconds = result.stdout.rpartition("\n")
    return float(seconds), page


def measure(path: Path, repeat: int) -> dict[str, dict[str, object]]:
    """Each page's median seconds over ``repeat`` fetches, and whether facets were left out."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "scrapy", "browse", "--db", str(path), "--port", str(port)],
        cwd=PROJECT_ROOT,
        stdout=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            try:
                with urllib.request.urlopen(f"{base}/-/versions.json", timeout=5):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit("scrapy browse did not start") from None
                time.sleep(0.5)
        results: dict[str, dict[str, object]] = {}
        for page in PAGES:
            timings, dropped = [], False
            for _ in range(repeat):
                seconds, html = fetch(base + page)
                timings.append(seconds)
                dropped = dropped or TIMED_OUT in html
            results[page] = {"seconds": round(statistics.median(timings), 3), "facets_dropped": dropped}
        return results
    finally:
        server.terminate()
        server.wait(timeout=30)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="/tmp/bench-browse.db", help="SQLite file (kept for the next run)")
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args(argv)
    path = Path(options.db).absolute()
    timings = build(path, options.articles)
    for name, seconds in timings.items():
        print(f"{name}: {seconds:.1f} s", file=sys.stderr)
    results = measure(path, options.repeat)
    for page, figures in results.items():
        note = "  (facets left out)" if figures["facets_dropped"] else ""
        print(f"{figures['seconds']:7.3f} s  {page}{note}", file=sys.stderr)
    print(json.dumps({"articles": options.articles, **timings, "pages": results}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
