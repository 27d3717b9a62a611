"""Extraction in a worker process gives what inline extraction gives, failures included."""

from __future__ import annotations

import asyncio

import pytest

from crawler.extract import ExtractionError
from crawler.extract.pool import ExtractorPool
from crawler.profiles import ALUSBU
from devsite.mirror.site import build_site

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
