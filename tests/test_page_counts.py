"""An article page is counted once its outcome is known, with the fields it gave.

The field-coverage monitors (crawler/runs/monitors.py) divide ``coverage/title`` and
``coverage/body`` by ``coverage/pages``, and a distributed worker records those counts at
every heartbeat, in the middle of extractions. So ``parse_article`` must never count a
page before its extraction has ended, and must count it whatever the outcome: fields
found, none (an :class:`ExtractionError`), or an exception that is a bug. Driven here in
process, with an extractor the test holds, on a page of the mirror.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from scrapy.crawler import Crawler
from scrapy.http import HtmlResponse, Request
from scrapy.utils.project import get_project_settings
from scrapy.utils.test import get_crawler

from crawler.extract.article import Extraction, ExtractionError
from crawler.extract.pool import extract
from crawler.items import PageItem
from crawler.profiles import SiteProfile
from crawler.spiders.base import NewsSpider
from crawler.spiders.sites import spider_class
from devsite.mirror.site import MirrorSite, build_site

BASE_URL = "http://127.0.0.1:8/"  # never fetched: the responses are built here


class HeldExtractor:
    """Extraction that waits for the test's word, then extracts the page or fails as told."""

    def __init__(self, failure: BaseException | None = None) -> None:
        self.failure = failure
        self.started = asyncio.Event()
        self.release = asyncio.Event()

    async def extract(self, text: str, is_text: bool, url: str, profile: SiteProfile) -> Extraction:
        self.started.set()
        await self.release.wait()
        if self.failure is not None:
            raise self.failure
        return extract(text, is_text, url, profile)


@pytest.fixture(scope="module")
def site() -> MirrorSite:
    return build_site(n_articles=8, base_url=BASE_URL)


def article_response(site: MirrorSite) -> HtmlResponse:
    url = next(a["url"] for a in site.manifest["articles"] if not a["appended_from"])
    route = site.resolve(urlsplit(url).path)
    assert route.status == 200
    assert route.post
    return HtmlResponse(url, body=route.body, encoding="utf-8", request=Request(url))


def spider_with(extractor: HeldExtractor) -> tuple[NewsSpider, Crawler]:
    settings = get_project_settings()
    settings.set("TWISTED_REACTOR_ENABLED", False)  # the callback alone: no crawl, no reactor
    crawler: Crawler = get_crawler(spider_class("alusbu"), settings.copy_to_dict())
    spider = crawler._create_spider(base_url=BASE_URL)
    spider.records_failures = False  # no store in this test: failures are counted, not recorded
    spider.__dict__["extractor"] = extractor  # the cached property, held by the test
    return spider, crawler


def coverage(crawler: Crawler) -> dict[str, Any]:
    assert crawler.stats is not None
    return {key: value for key, value in crawler.stats.get_stats().items() if key.startswith("coverage/")}


async def outcome(
    spider: NewsSpider, crawler: Crawler, extractor: HeldExtractor, response: HtmlResponse
) -> tuple[dict[str, Any], list[Any], BaseException | None]:
    """The coverage counts while the extraction is held, then what the callback gave or raised."""
    items: list[Any] = []

    async def drain(results: AsyncIterator[Any]) -> None:
        async for item in results:
            items.append(item)

    task = asyncio.ensure_future(drain(spider.parse_article(response)))
    await extractor.started.wait()
    held = coverage(crawler)
    extractor.release.set()
    try:
        await task
    except Exception as error:
        return held, items, error
    return held, items, None


def test_a_page_is_counted_with_its_fields_once_extracted(site: MirrorSite) -> None:
    extractor = HeldExtractor()
    spider, crawler = spider_with(extractor)
    held, items, error = asyncio.run(outcome(spider, crawler, extractor, article_response(site)))
    assert held == {}  # nothing counted while the extraction runs
    assert error is None
    assert [type(item) for item in items] == [PageItem]
    assert coverage(crawler) == {"coverage/pages": 1, "coverage/title": 1, "coverage/body": 1} | (
        {"coverage/body_from_profile": 1} if items[0].meta.method == "profile" else {}
    )


def test_a_page_without_an_article_is_counted_without_fields(site: MirrorSite) -> None:
    extractor = HeldExtractor(ExtractionError("no_title", "no headline in the page"))
    spider, crawler = spider_with(extractor)
    held, items, error = asyncio.run(outcome(spider, crawler, extractor, article_response(site)))
    assert held == {}
    assert (items, error) == ([], None)
    assert coverage(crawler) == {"coverage/pages": 1}
    assert crawler.stats is not None
    assert crawler.stats.get_value("pages/failed/no_title") == 1


def test_a_page_whose_extraction_hit_a_bug_is_counted_without_fields_and_the_bug_goes_on(
    site: MirrorSite,
) -> None:
    extractor = HeldExtractor(RuntimeError("a bug in an extraction stage"))
    spider, crawler = spider_with(extractor)
    held, items, error = asyncio.run(outcome(spider, crawler, extractor, article_response(site)))
    assert held == {}
    assert items == []
    assert isinstance(error, RuntimeError)  # Scrapy counts and logs it as a spider exception
    assert coverage(crawler) == {"coverage/pages": 1}
