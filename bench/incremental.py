"""Incremental crawl benchmark: a first crawl of a generated mirror, then a cron run after new articles.

    .venv/bin/python -m bench.incremental [--articles 2000] [--new 20]

Serves a generated mirror of ``--articles`` articles on 127.0.0.1, runs
``scrapy crawl alusbu`` on it into a fresh SQLite store, publishes ``--new``
articles on the mirror, and runs the crawl again, as cron would. Counts come
from the mirror's own request log, times from the wall clock of each crawl
process (both crawls in this one run, so the ratio is what to read).

Last line, one JSON object: ``first_pages``, ``first_s``, ``second_pages``,
``second_article_fetches_of_stored`` (target 0), ``second_new_stored``,
``second_s``, ``time_ratio`` (second over first; target <= 0.1).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

from devsite.harness import crawl
from devsite.mirror.server import MirrorServer
from devsite.mirror.site import build_site


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--new", type=int, default=20)
    options = parser.parse_args()

    site = build_site(n_articles=options.articles)
    with tempfile.TemporaryDirectory() as directory, MirrorServer(site) as server:
        workdir = Path(directory)
        database = f"sqlite:///{workdir / 'news.db'}"

        started = time.perf_counter()
        result, first = crawl(server.base_url, workdir / "first", database_url=database)
        first_s = time.perf_counter() - started
        if result.returncode != 0:
            log = (workdir / "first" / "crawl.log").read_text()[-2000:]
            sys.exit(f"first crawl failed ({result.returncode}): {log}")
        stored_paths = {urlsplit(record["url"]).path for record in site.manifest["articles"]}

        site.add_articles(options.new)
        server.log.clear()
        started = time.perf_counter()
        result, second = crawl(server.base_url, workdir / "second", database_url=database)
        second_s = time.perf_counter() - started
        if result.returncode != 0:
            sys.exit(f"second crawl failed ({result.returncode})")
        fetches_of_stored = sum(server.hits(path, "GET") for path in stored_paths)

    figures = {
        "articles": options.articles,
        "new_articles": options.new,
        "first_pages": first.get("response_received_count", 0),
        "first_stored": first.get("articles/new", 0),
        "first_s": round(first_s, 2),
        "second_pages": second.get("response_received_count", 0),
        "second_article_fetches_of_stored": fetches_of_stored,
        "second_new_stored": second.get("articles/new", 0),
        "second_s": round(second_s, 2),
        "time_ratio": round(second_s / first_s, 3),
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
