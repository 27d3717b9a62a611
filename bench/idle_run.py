"""What an idle cron run costs (nothing new on the site): requests and bytes, before and after.

    .venv/bin/python -m bench.idle_run [--articles 96] [--sitemap-size 25]

Serves a generated mirror (several child sitemaps under one index, ETag and
Last-Modified on every page), crawls it once into a fresh SQLite store, then runs
two idle crawls, as cron would with nothing published in between:

* **before**: ``-s CONDITIONAL_REQUESTS_ENABLED=0``, discovery as it was: every
  feed, sitemap index, child sitemap and section front page fetched whole;
* **after**: the defaults: conditional requests (a 304 for each unchanged
  document), children of an unchanged index not fetched.

Counts and bytes come from the mirror's own log (requests received, conditional
ones, answers and body bytes sent) and from the crawler's stats (bytes of the
responses as Scrapy received them, headers included). The floor is one request
per feed, sitemap index and section front page the profile names, plus
robots.txt. All three crawls run in this one process run, so the ratios are what
to read.

Last line, one JSON object with ``before`` and ``after`` (requests, conditional,
not_modified, body_bytes, response_bytes), ``floor_requests`` and the two ratios.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from crawler.profiles import ALUSBU
from devsite.harness import crawl
from devsite.mirror.server import MirrorServer
from devsite.mirror.site import build_site


def idle_cost(server: MirrorServer, stats: dict[str, Any]) -> dict[str, int]:
    records = server.log.records()
    answers = server.log.answers()
    statuses = Counter(answer.status for answer in answers)
    return {
        "requests": len(records),
        "conditional": sum(record.conditional for record in records),
        "not_modified": statuses[304],
        "body_bytes": sum(answer.body_bytes for answer in answers),
        "response_bytes": int(stats.get("downloader/response_bytes", 0)),
    }


def run(server: MirrorServer, workdir: Path, database: str, settings: dict[str, str]) -> dict[str, Any]:
    server.log.clear()
    result, stats = crawl(server.base_url, workdir, database_url=database, settings=settings)
    if result.returncode != 0:
        log = (workdir / "crawl.log").read_text("utf-8")[-3000:]
        sys.exit(f"crawl in {workdir.name} failed ({result.returncode}): {log}")
    return stats


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=96)
    parser.add_argument("--sitemap-size", type=int, default=25, help="posts per child sitemap")
    options = parser.parse_args()

    site = build_site(n_articles=options.articles, sitemap_size=options.sitemap_size)
    with tempfile.TemporaryDirectory() as directory, MirrorServer(site) as server:
        workdir = Path(directory)
        database = f"sqlite:///{workdir / 'news.db'}"
        first = run(server, workdir / "first", database, {})
        before_stats = run(server, workdir / "before", database, {"CONDITIONAL_REQUESTS_ENABLED": "0"})
        before = idle_cost(server, before_stats)
        after_stats = run(server, workdir / "after", database, {})
        after = idle_cost(server, after_stats)

    floor = 1 + len(ALUSBU.feeds) + len(ALUSBU.sitemaps) + len(ALUSBU.sections)
    print(f"mirror: {options.articles} articles, {options.sitemap_size} per child sitemap")
    print(f"first crawl: {first.get('downloader/request_count', 0)} requests")
    print(
        f"{'idle run':<8} {'requests':>9} {'conditional':>12} {'304':>5} {'body bytes':>11} {'received':>10}"
    )
    for name, cost in (("before", before), ("after", after)):
        print(
            f"{name:<8} {cost['requests']:>9} {cost['conditional']:>12} {cost['not_modified']:>5}"
            f" {cost['body_bytes']:>11} {cost['response_bytes']:>10}"
        )
    print(
        f"floor: {floor} requests (robots.txt, {len(ALUSBU.feeds)} feed, {len(ALUSBU.sitemaps)} index, "
        f"{len(ALUSBU.sections)} section front pages)"
    )
    summary = {
        "before": before,
        "after": after,
        "floor_requests": floor,
        "requests_ratio": round(after["requests"] / before["requests"], 3),
        "body_bytes_ratio": round(after["body_bytes"] / max(1, before["body_bytes"]), 3),
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
