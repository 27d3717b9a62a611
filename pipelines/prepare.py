"""Stage 0, prepare: the pure part of the stages after it, run in the extraction worker.

Stages 1-6 are CPU work on one page that needs no crawler (normalising, the
read-also split, attribution, dates, the lens, MinHash fingerprints: about a
third of the crawl process's CPU per page, bench/stages.py). The crawl process
runs one reactor thread and the store's writer thread under one GIL; on two
cores it is the bottleneck while the extraction worker idles part of the time
(docs/benchmarks.md). So where a worker runs, this stage sends the page there
once more, the worker applies each following stage's :meth:`prepare` in the
order of ``ITEM_PIPELINES``, and the page comes back with those stages listed in
``PageItem.prepared``: each stage then only counts and applies its policy
(:meth:`pipelines.base.PageStage.account`), in the crawl process as before.

A stage that raises in the worker sends nothing back but ``None``: the crawl
process keeps its own untouched copy of the page and runs every stage itself,
so the error is counted and logged by the stage it belongs to, as without a
worker. Without a worker (one core, ``EXTRACT_WORKERS = 0``) this stage does
nothing.
"""

from __future__ import annotations

import asyncio
import functools
from typing import Any

from scrapy.crawler import Crawler
from scrapy.settings import BaseSettings
from scrapy.utils.misc import load_object

from crawler.items import PageItem
from pipelines.base import PageStage


@functools.cache
def _stage_class(path: str) -> type[PageStage]:
    stage: type[PageStage] = load_object(path)
    return stage


def _path_of(component: str | type) -> str:
    return component if isinstance(component, str) else f"{component.__module__}.{component.__qualname__}"


def preparable_stages(settings: BaseSettings) -> tuple[str, ...]:
    """The stages after this one, in order, up to the first that cannot run outside the crawl
    process (one whose ``prepare`` is not its own: the store)."""
    ordered = sorted(settings.getwithbase("ITEM_PIPELINES").items(), key=lambda entry: entry[1])
    paths = [_path_of(component) for component, _ in ordered]
    this = f"{__name__}.{PreparePipeline.__name__}"
    after = paths[paths.index(this) + 1 :] if this in paths else []
    chain: list[str] = []
    for path in after:
        stage = _stage_class(path)
        if not (isinstance(stage, type) and issubclass(stage, PageStage) and "prepare" in vars(stage)):
            break
        chain.append(path)
    return tuple(chain)


def warm_up(stages: tuple[str, ...]) -> int:
    """Import the stages in the worker (their lexicons compile in about a second) while the spider
    is still reading robots.txt and listings, not when the first article waits for them."""
    return len([_stage_class(path) for path in stages])


def prepare_page(page: PageItem, stages: tuple[str, ...]) -> PageItem | None:
    """What the worker runs: each stage's pure part in order; None when one raises."""
    for path in stages:
        stage = _stage_class(path)
        try:
            page = stage.prepare(page)
        except Exception:  # the crawl process runs the stages again and reports it
            return None
        page.prepared = (*page.prepared, stage.stage)
    if page.articles:
        # once split, the page's blocks live on in its articles and no later stage reads them:
        # not sending them back saves a third of the return trip's pickling
        page.blocks = []
    return page


class PreparePipeline:
    """Sends each page to the spider's extraction worker for the stages after it."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stages = preparable_stages(crawler.settings)
        self._warming: asyncio.Future[int] | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PreparePipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        pool = getattr(self.crawler.spider, "extractor", None)
        if self.stages and pool is not None and pool.active:
            self._warming = asyncio.ensure_future(pool.run(warm_up, self.stages))

    async def process_item(self, item: Any) -> Any:
        if not isinstance(item, PageItem) or item.prepared or not self.stages:
            return item
        pool = getattr(self.crawler.spider, "extractor", None)
        if pool is None or not pool.active:
            return item  # each stage computes in the crawl process
        prepared = await pool.run(prepare_page, item, self.stages)
        if prepared is None:
            if self.crawler.stats is not None:
                self.crawler.stats.inc_value("pipeline/prepare/fallback")
            return item
        return prepared
