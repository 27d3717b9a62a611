"""`scrapy crawl news -a url=…`: a site nobody profiled, discovered through its sitemaps and feeds."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.profiles.generic import ARTICLE_PATH, profile_for, site_name
from tests.helpers import crawl, export, scrapy
from tests.mirror_plugin import RunningMirror


@pytest.mark.parametrize(
    "path",
    [
        "/675830/",
        "/news/2025/01/19/nato-summit/",
        "/world/nato-summit-ends-today",
        "/%D8%A7%D9%84%D9%86%D8%A7%D8%AA%D9%88/",
        "/ar/article/12345",
    ],
)
def test_article_shaped_paths(path: str) -> None:
    assert ARTICLE_PATH.match(path)


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/category/arab-world/",
        "/tag/nato-summit-news/",
        "/author/ahmed-abdelsalam/",
        "/page/2/",
        "/wp-content/uploads/2025/01/photo-of-the-day.jpg",
        "/sitemap-posts-2025.xml",
        "/about/",
        "/search/",
    ],
)
def test_pages_that_are_not_articles(path: str) -> None:
    assert not ARTICLE_PATH.match(path)


def test_the_profile_comes_from_the_url() -> None:
    profile = profile_for("https://www.example.com/ar/")
    assert profile.name == "news_example_com" == site_name("https://example.com")
    assert profile.base_url == "https://www.example.com"
    assert profile.is_article_url("https://example.com/2025/01/19/nato-summit-ends/")
    assert not profile.is_article_url("https://other.org/2025/01/19/nato-summit-ends/")
    with pytest.raises(ValueError, match="http"):
        profile_for("ftp://example.com/")


def test_the_url_is_required(tmp_path: Path) -> None:
    result = scrapy("crawl", "news", "-s", f"LOG_FILE={tmp_path / 'log'}")
    assert result.returncode != 0
    assert "-a url=" in (tmp_path / "log").read_text("utf-8") + result.stderr


@pytest.mark.slow
def test_an_unprofiled_site_is_harvested_through_its_sitemaps_and_feeds(
    mirror_site: RunningMirror, tmp_path: Path
) -> None:
    """The mirror crawled as if nobody had written its profile: every article from the
    sitemap robots.txt names and the feed the home page announces, stored once, under
    the site's own name."""
    database = f"sqlite:///{tmp_path / 'news.db'}"
    mirror_site.server.log.clear()
    result, stats = crawl(
        mirror_site.base_url,
        tmp_path / "crawl",
        database_url=database,
        spider="news",
        args={"url": mirror_site.base_url + "/"},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert stats["discovery/announced_sitemaps"] >= 1
    assert stats["discovery/announced_feeds"] >= 1
    assert not stats.get("discovery/failed"), (
        "a conventional location the site lacks is a probe, not an error"
    )

    records = export(database)
    expected = {a["url"]: a for a in mirror_site.manifest["articles"]}
    stored = {r["url"]: r for r in records}
    assert len(stored) == len(records), "an article stored twice"
    assert set(stored) == set(expected)
    assert {r["site"] for r in records} == {"news_127_0_0_1"}
    wrong_titles = {
        url: (stored[url]["title"], a["title"])
        for url, a in expected.items()
        if stored[url]["title"] != a["title"]
    }
    assert wrong_titles == {}
    # the generic chain finds the body without the site's selectors: every paragraph there
    missing = {
        url: [p for p in a["paragraphs"] if p not in stored[url]["body"]]
        for url, a in expected.items()
        if any(p not in stored[url]["body"] for p in a["paragraphs"])
    }
    assert missing == {}
    # listings are not guessed: no section page was fetched
    assert not any(mirror_site.server.hits(path) for path in ("/category/arab-world/", "/category/military/"))
    runs = scrapy("runs", env={"DATABASE_URL": database})
    assert "news_127_0_0_1" in runs.stdout
