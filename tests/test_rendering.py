"""JavaScript pages: a crawl without rendering misses them, with Chromium it stores them all, split."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from crawler.rendering import chromium_path
from tests.helpers import crawl, export
from tests.mirror_plugin import RunningMirror

pytestmark = [pytest.mark.slow, pytest.mark.browser]


@pytest.fixture(scope="module", autouse=True)
def chromium() -> None:
    from scrapy.settings import Settings

    from crawler import settings

    if chromium_path(Settings({"CHROMIUM_PATH": settings.CHROMIUM_PATH})) is None:
        if os.environ.get("CI"):
            pytest.fail("CI installs Chromium (scripts/setup.sh): it is missing")
        pytest.skip("Chromium is not installed (apt-get install -y chromium)")


def records_by_url(database: str) -> dict[str, dict[str, Any]]:
    return {record["url"]: record for record in export(database)}


def test_without_rendering_the_javascript_section_is_missed(
    mirror_js_site: RunningMirror, tmp_path: Path
) -> None:
    database = f"sqlite:///{tmp_path / 'news.db'}"
    result, stats = crawl(
        mirror_js_site.base_url, tmp_path / "run", database_url=database, args={"render": "never"}
    )
    assert result.returncode == 0
    stored = records_by_url(database)
    js_articles = set(mirror_js_site.manifest["js_articles"])
    assert js_articles
    assert not js_articles & set(stored)
    assert set(stored) == {a["url"] for a in mirror_js_site.manifest["articles"]} - js_articles
    assert "render/listing_requests" not in stats


def test_with_rendering_every_javascript_article_is_stored_and_split(
    mirror_js_site: RunningMirror, tmp_path: Path
) -> None:
    database = f"sqlite:///{tmp_path / 'news.db'}"
    mirror_js_site.server.log.clear()
    result, stats = crawl(mirror_js_site.base_url, tmp_path / "run", database_url=database)
    assert result.returncode == 0, (tmp_path / "run" / "crawl.log").read_text()[-3000:]
    stored = records_by_url(database)
    expected = {a["url"]: a for a in mirror_js_site.manifest["articles"]}
    assert set(stored) == set(expected)
    for url in mirror_js_site.manifest["js_articles"]:
        record, truth = stored[url], expected[url]
        assert record["body"].split("\n\n") == truth["paragraphs"], url
        assert record["related"] == truth["related"], url  # the late read-also block, split out
        assert record["source"] == truth["source"], url
        assert record["title"] == truth["title"]
    assert stats["render/listing_fallbacks"] >= 1  # the first JS listing showed no links
    assert stats["render/article_requests"] >= len(mirror_js_site.manifest["js_articles"])
    assert stats.get("playwright/page_count/closed") == stats.get("playwright/page_count")
    # only what the harvest needs was loaded: no image, font or media request reached the site
    requested = {record.path for record in mirror_js_site.server.log.records()}
    assert not {path for path in requested if path.endswith((".png", ".jpg", ".woff2", ".mp4"))}
    # plain pages stayed on plain HTTP
    assert (
        stats["render/article_requests"] + stats.get("render/article_fallbacks", 0) < stats["pages/extracted"]
    )


def test_a_missing_chromium_is_reported_and_the_crawl_goes_on(
    mirror_js_site: RunningMirror, tmp_path: Path
) -> None:
    result, stats = crawl(
        mirror_js_site.base_url,
        tmp_path / "run",
        env={"CHROMIUM_PATH": str(tmp_path / "no-such-browser")},
    )
    assert result.returncode == 0
    assert "No Chromium found" in (tmp_path / "run" / "crawl.log").read_text("utf-8")
    assert stats["articles/new"] == len(mirror_js_site.manifest["articles"]) - len(
        mirror_js_site.manifest["js_articles"]
    )
