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

A worker dies with its crawl process. A spawned worker holds both ends of
its task pipe, so it never sees the crawl process go; a crawl killed with
SIGKILL left its worker (and, through it, multiprocessing's resource tracker)
running for good. On Linux the worker asks the kernel to kill it when its
parent dies (``PR_SET_PDEATHSIG``); elsewhere it polls its parent's pid.

While a page is in a worker, its request is still in the engine's hands, so
a distributed run's in-flight mark for it stays until the page's articles are
stored (crawler/runs/distributed.py): a crawl killed mid-extraction has that
request taken over by another worker.
"""

from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
import logging
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any, TypeVar

from crawler.extract.article import Extraction, extract_html, extract_text
from crawler.profiles.base import SiteProfile

logger = logging.getLogger(__name__)

T = TypeVar("T")


CGROUP_CPU_MAX = Path("/sys/fs/cgroup/cpu.max")  # cgroup v2: "<quota> <period>" or "max <period>"
PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
PARENT_POLL_SECONDS = 1.0  # where the kernel cannot be asked: how often a worker looks for its parent


def cpu_quota(cpu_max: Path = CGROUP_CPU_MAX) -> float | None:
    """Cores a container's CPU quota allows (cgroup v2), or None when there is no quota."""
    try:
        quota, period = cpu_max.read_text().split()[:2]
    except (OSError, ValueError):
        return None
    if quota == "max":
        return None
    return int(quota) / int(period)


def available_cores() -> float:
    """Cores this process may run on: its CPU affinity, within its container's quota."""
    if hasattr(os, "sched_getaffinity"):
        cores: float = len(os.sched_getaffinity(0))
    else:
        cores = os.cpu_count() or 1
    quota = cpu_quota()
    return min(cores, quota) if quota is not None else cores


def default_workers(cores: float | None = None) -> int:
    """One worker where two cores are free for the crawl (one for the reactor, one to extract);
    none where only one is (a worker would take the reactor's core and add its start-up)."""
    return 1 if (available_cores() if cores is None else cores) >= 2 else 0


def die_with_parent(parent_pid: int) -> None:
    """Worker initializer: end this worker when the crawl process that started it ends.

    ``prctl`` is one system call; ctypes reaches it without a compiled dependency.
    """
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    else:
        threading.Thread(target=_watch_parent, args=(parent_pid,), daemon=True).start()
    if os.getppid() != parent_pid:  # the parent died before the request above was made
        os._exit(1)


def _watch_parent(parent_pid: int) -> None:
    while os.getppid() == parent_pid:
        time.sleep(PARENT_POLL_SECONDS)
    os._exit(1)


def extract(text: str, is_text: bool, url: str, profile: SiteProfile) -> Extraction:
    """What a worker runs (and what runs inline): raises ExtractionError as the extractors do."""
    return extract_text(text, url, profile) if is_text else extract_html(text, url, profile)


class ExtractorPool:
    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._executor: ProcessPoolExecutor | None = None
        self.broken = False

    @property
    def active(self) -> bool:
        """Work sent here leaves the crawl process (not when inline, nor once the pool broke)."""
        return self.workers > 0 and not self.broken

    async def extract(self, text: str, is_text: bool, url: str, profile: SiteProfile) -> Extraction:
        return await self.run(extract, text, is_text, url, profile)

    async def run(self, function: Callable[..., T], *args: Any) -> T:
        """``function(*args)`` in a worker (a module-level function: it is pickled by name), or
        inline when there is none; a broken pool is replaced by inline work for the rest of the run."""
        if not self.active:
            return function(*args)
        if self._executor is None:
            self._executor = ProcessPoolExecutor(
                self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=die_with_parent,
                initargs=(os.getpid(),),
            )
        try:
            future = self._executor.submit(function, *args)
            return await asyncio.wrap_future(future)
        except BrokenProcessPool as error:
            logger.error("Extraction workers failed (%s): working in the crawl process from now on", error)
            self.broken = True
            self.close()
            return function(*args)

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None
