"""Extraction off the reactor: a small process pool, or inline.

Extraction is the largest piece of CPU work per page (lxml parsing, XPath,
block segmentation: bench/stages.py), and it holds the GIL, so a thread does
not help (measured: two threads extract at x0.87 the pace of one). While the
reactor's thread extracts, it does not read responses or send requests; on a
machine with a core to spare, worker processes extract while the reactor goes
on (bench/throughput.py). ``EXTRACT_WORKERS = 0`` extracts inline, as on a
single core.

Workers are started with ``spawn`` (a fork of a process running a reactor,
its threads and its open connections is not safe), lazily at the first page,
and each imports only the extractor. A broken pool (a worker killed by the
OOM killer, say) is logged and replaced by inline extraction for the rest of
the run: a page is never lost to it.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from crawler.extract.article import Extraction, extract_html, extract_text
from crawler.profiles.base import SiteProfile

logger = logging.getLogger(__name__)


def default_workers() -> int:
    """One worker where a core is free beside the reactor's; none on a single core."""
    return 1 if (os.cpu_count() or 1) >= 2 else 0


def extract(text: str, is_text: bool, url: str, profile: SiteProfile) -> Extraction:
    """What a worker runs (and what runs inline): raises ExtractionError as the extractors do."""
    return extract_text(text, url, profile) if is_text else extract_html(text, url, profile)


class ExtractorPool:
    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._executor: ProcessPoolExecutor | None = None
        self.broken = False

    async def extract(self, text: str, is_text: bool, url: str, profile: SiteProfile) -> Extraction:
        if self.workers <= 0 or self.broken:
            return extract(text, is_text, url, profile)
        if self._executor is None:
            self._executor = ProcessPoolExecutor(
                self.workers, mp_context=multiprocessing.get_context("spawn")
            )
        try:
            future = self._executor.submit(extract, text, is_text, url, profile)
            return await asyncio.wrap_future(future)
        except BrokenProcessPool as error:
            logger.error("Extraction workers failed (%s): extracting in the crawl process from now on", error)
            self.broken = True
            self.close()
            return extract(text, is_text, url, profile)

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None
