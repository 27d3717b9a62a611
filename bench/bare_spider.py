"""A bare Scrapy crawl: fetch a list of URLs and do nothing with them (bench/throughput.py's baseline).

    .venv/bin/python -m bench.bare_spider URLS_FILE STATS_FILE [--concurrency 16] [--per-domain 4]

Scrapy's defaults, none of the project's settings, middlewares, pipelines or
extensions: only the concurrency is set, to the project's, so that the two
crawls differ only in what the project does with each page.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import scrapy
from scrapy.crawler import CrawlerProcess
from scrapy.http import Response


class BareSpider(scrapy.Spider):
    name = "bare"

    def __init__(self, urls: list[str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.urls = urls

    async def start(self) -> Any:
        for url in self.urls:
            yield scrapy.Request(url, dont_filter=True)

    def parse(self, response: Response) -> Iterator[Any]:
        yield from ()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("urls_file", type=Path)
    parser.add_argument("stats_file", type=Path)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--per-domain", type=int, default=4)
    args = parser.parse_args()

    process = CrawlerProcess(
        {
            "CONCURRENT_REQUESTS": args.concurrency,
            "CONCURRENT_REQUESTS_PER_DOMAIN": args.per_domain,
            "DOWNLOAD_DELAY": 0,
            "ROBOTSTXT_OBEY": False,  # robots.txt is in the URL list when the full crawl fetched it
            "REMOTE_CONTROL_ENABLED": False,
            "TELNETCONSOLE_ENABLED": False,
            "LOG_LEVEL": "WARNING",
            "HTTPERROR_ALLOW_ALL": True,
        }
    )
    crawler = process.create_crawler(BareSpider)
    process.crawl(crawler, urls=args.urls_file.read_text().split())
    process.start()
    stats = crawler.stats.get_stats() if crawler.stats else {}
    args.stats_file.write_text(json.dumps(stats, default=str))


if __name__ == "__main__":
    main()
