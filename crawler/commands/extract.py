"""``scrapy extract PATH_OR_URL... [--spider NAME] [--url URL] [--store]``

Runs pages through extraction and every pipeline stage (storage too with
``--store``) and prints the resulting records as JSON lines on stdout. Files
(``.html`` pages, ``.txt`` flattened text such as an aggregator's copy) and
URLs all go through Scrapy's own downloader (``file://`` for files), so the
charset repair and every stage behave exactly as in a crawl.

Exit status: 0 when every input gave at least one record, 1 otherwise (the
reason of each failure is logged on stderr). An unknown ``--spider`` and, with
``--store``, a database that cannot be opened stop it before any page is read,
in one or two lines (crawler/commands/errors.py).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, ClassVar

from scrapy import Request
from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from crawler.commands import TOOL_SETTINGS, apply_defaults
from crawler.commands.errors import reported_errors
from crawler.items import PageItem
from crawler.profiles import SiteProfile, get_profile, profile_for_url
from crawler.profiles.generic import NEUTRAL
from crawler.records import article_to_record
from crawler.spiders.base import NewsSpider
from crawler.store.db import check_database, database_url
from crawler.text.urls import is_http_url

STORE_PIPELINE = "pipelines.store.StorePipeline"


class ExtractSpider(NewsSpider):
    """Fetches the given inputs and nothing else."""

    name = "extract"
    accept_text = True
    # Its flags (declared in crawler/spiders/flags.py): inputs the user named may be
    # local files and hosts on the user's own network
    allow_internal_hosts = True
    allowed_schemes = frozenset({"http", "https", "file"})
    records_failures = False  # a debugging tool: it reports, it does not remember

    def __init__(
        self, inputs: list[tuple[str, str | None]], profile: str | None = None, **kwargs: Any
    ) -> None:
        # the spider needs a profile of its own; pages pick theirs (page_profile)
        super().__init__(profile=profile or "alusbu", **kwargs)
        self.chosen = get_profile(profile) if profile else None
        self.name = profile or "extract"  # records carry the site each page was extracted as
        self.inputs = inputs
        self.allowed_domains = []  # explicit inputs may live anywhere

    def page_site(self, profile: SiteProfile) -> str:
        return profile.name

    def page_profile(self, url: str) -> SiteProfile:
        """``--spider`` when given; else the profile of the page's host, else the generic one."""
        if self.chosen is not None:
            return self.chosen
        return profile_for_url(url) if is_http_url(url) else NEUTRAL

    async def start(self) -> AsyncIterator[Request]:
        for fetch_url, record_url in self.inputs:
            yield Request(
                fetch_url,
                callback=self.parse_article,
                errback=self.article_failed,
                cb_kwargs={"record_url": record_url},
                dont_filter=True,
            )


class PrintRecords:
    """Last pipeline of ``scrapy extract``: one JSON line per article."""

    def __init__(self) -> None:
        self.records = 0

    def process_item(self, item: Any) -> Any:
        if isinstance(item, PageItem):
            for article in item.articles:
                outcome = article.store_outcome
                if outcome is not None and outcome.dropped:
                    continue
                record = article_to_record(article)
                if outcome is not None:
                    record["store_outcome"] = outcome.value
                sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
                self.records += 1
            sys.stdout.flush()
        return item


class Command(ScrapyCommand):
    requires_project = True
    # A debugging tool on a handful of pages (crawler/commands/__init__.py): saved pages and
    # a few URLs tried by hand are not a harvest, so no web archive of them either.
    extract_settings: ClassVar[dict[str, Any]] = {
        **TOOL_SETTINGS,
        "EXTRACT_WORKERS": 0,  # a handful of pages: starting a worker would cost more than it saves
    }

    def syntax(self) -> str:
        return "[options] PATH_OR_URL..."

    def short_desc(self) -> str:
        return "Extract articles from pages (.html, .txt or URLs) and print them as JSON lines"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument(
            "--spider",
            default=None,
            help="site profile to extract with (default: the profile of the page's host, else a generic one)",
        )
        parser.add_argument("--url", default=None, help="the URL the (single) page was published at")
        parser.add_argument("--store", action="store_true", help="also deduplicate and store the records")

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None
        apply_defaults(self.settings, self.extract_settings)
        super().process_options(args, opts)

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        with reported_errors(self, "extract"):
            self.extract(args, opts)

    def extract(self, args: list[str], opts: argparse.Namespace) -> None:
        if not args:
            raise UsageError("give at least one file or URL")
        if opts.url and len(args) > 1:
            raise UsageError("--url names the page of a single input")
        inputs: list[tuple[str, str | None]] = []
        for arg in args:
            if is_http_url(arg):
                inputs.append((arg, opts.url))
            else:
                path = Path(arg)
                if not path.is_file():
                    raise UsageError(f"no such file: {arg}")
                inputs.append((path.resolve().as_uri(), opts.url))
        assert self.settings is not None
        assert self.crawler_process is not None
        if opts.spider:
            get_profile(opts.spider)  # an unknown name fails here, not inside the crawl
        if opts.store:
            check_database(database_url(self.settings))
        pipelines = dict(self.settings.getdict("ITEM_PIPELINES"))
        if not opts.store:
            pipelines.pop(STORE_PIPELINE, None)
        pipelines["crawler.commands.extract.PrintRecords"] = 10_000
        self.settings.set("ITEM_PIPELINES", pipelines, priority="cmdline")
        crawler = self.crawler_process.create_crawler(ExtractSpider)
        self.crawler_process.crawl(crawler, inputs=inputs, profile=opts.spider)
        self.crawler_process.start()
        stats = crawler.stats.get_stats() if crawler.stats else {}
        if (
            self.crawler_process.bootstrap_failed
            or stats.get("pages/failed", 0)
            or not stats.get("item_scraped_count")
        ):
            self.exitcode = 1
