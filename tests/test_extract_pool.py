"""Extraction in a worker process: what inline extraction gives, failures included; one worker where two
cores are free; workers that die with their crawl (crawler/extract/pool.py)."""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path

import psutil
import pytest

from crawler.extract import ExtractionError
from crawler.extract.pool import ExtractorPool, cpu_quota, default_workers
from crawler.profiles import ALUSBU
from devsite.mirror.server import MirrorServer
from devsite.mirror.site import build_site
from tests.helpers import start_crawl
from tests.test_cron import wait_for

URL = "https://www.elaosboa.com/100001/"


def _page() -> str:
    site = build_site(n_articles=8, base_url="https://www.elaosboa.com")
    record = site.manifest["articles"][0]
    return site.routes[record["url"].removeprefix("https://www.elaosboa.com")].body.decode("utf-8")


def _extract(pool: ExtractorPool, html: str) -> object:
    async def run() -> object:
        try:
            return await pool.extract(html, False, URL, ALUSBU)
        finally:
            pool.close()

    return asyncio.run(run())


def test_a_worker_extracts_what_the_crawl_process_would() -> None:
    html = _page()
    assert _extract(ExtractorPool(1), html) == _extract(ExtractorPool(0), html)


@pytest.mark.parametrize("workers", [0, 1], ids=["inline", "worker"])
def test_a_page_without_an_article_keeps_its_reason_across_the_process_boundary(workers: int) -> None:
    with pytest.raises(ExtractionError) as raised:
        _extract(ExtractorPool(workers), "<html><head></head><body><p>x</p></body></html>")
    assert raised.value.reason in ("no_title", "empty_page", "no_body")
    assert ":" not in raised.value.reason  # the reason alone, as the crawl stats count it


# -- workers per machine, and workers that die with their crawl ----------------------------


@pytest.mark.parametrize(
    ("cpu_max", "quota"),
    [("max 100000\n", None), ("150000 100000\n", 1.5), ("200000 100000\n", 2.0), ("garbage", None)],
)
def test_a_containers_cpu_quota_is_read_from_its_cgroup(
    tmp_path: Path, cpu_max: str, quota: float | None
) -> None:
    path = tmp_path / "cpu.max"
    path.write_text(cpu_max)
    assert cpu_quota(path) == quota


def test_no_cpu_quota_where_there_is_no_cgroup_file(tmp_path: Path) -> None:
    assert cpu_quota(tmp_path / "absent") is None


@pytest.mark.parametrize(("cores", "workers"), [(1, 0), (1.5, 0), (2, 1), (8, 1)])
def test_one_extraction_worker_where_two_cores_are_free(cores: float, workers: int) -> None:
    assert default_workers(cores) == workers


def test_the_default_setting_asks_for_a_worker_where_the_machine_has_two_cores() -> None:
    from crawler import settings

    assert settings.EXTRACT_WORKERS is None  # None: default_workers() decides per machine


@pytest.mark.slow
def test_extraction_workers_die_with_a_crawl_killed_by_sigkill(tmp_path: Path) -> None:
    """Two orphans (89 MB and 12 MB) once outlived a killed crawl by minutes: the extraction
    worker, and multiprocessing's resource tracker that it kept alive."""
    with MirrorServer(build_site(), delay=0.5) as server:
        crawl = start_crawl(
            server.base_url,
            tmp_path,
            database_url=f"sqlite:///{tmp_path / 'news.db'}",
            settings={"EXTRACT_WORKERS": "1"},
        )
        try:
            crawler = psutil.Process(crawl.pid)

            def extraction_worker_started() -> bool:
                return any(
                    "spawn_main" in " ".join(child.cmdline()) for child in crawler.children(recursive=True)
                )

            wait_for(lambda: extraction_worker_started() or crawl.poll() is not None, timeout=180)
            assert crawl.poll() is None, "the crawl ended before its extraction worker started"
            children = crawler.children(recursive=True)
            crawl.send_signal(signal.SIGKILL)
            crawl.wait(30)
        finally:
            if crawl.poll() is None:
                crawl.kill()
            for stream in (crawl.stdout, crawl.stderr):
                if stream is not None:
                    stream.close()
    _, survivors = psutil.wait_procs(children, timeout=30)
    for orphan in survivors:
        orphan.kill()
    assert [" ".join(orphan.cmdline()) for orphan in survivors] == []
