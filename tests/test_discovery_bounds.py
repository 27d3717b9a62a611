"""Unbounded work, bounded: endless and wide sitemap indexes, the wall-clock limit, gzip bombs,
entity bombs and raw ampersands in feeds, each served by a mirror of its own."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from sqlalchemy import create_engine, select

from crawler import settings as project_settings
from crawler.spiders.documents import UnreadableDocument, feed_links, read_sitemap
from crawler.store.models import FailedPageRow
from devsite.mirror import hostile
from devsite.mirror.server import MirrorServer
from devsite.mirror.site import Route, build_site
from tests.helpers import crawl

pytestmark = pytest.mark.slow


@pytest.fixture
def mirror() -> Iterator[MirrorServer]:
    """A small mirror of its own (these tests replace its feed, sitemaps or pages)."""
    with MirrorServer(build_site(8)) as server:
        yield server


# The monitors judge a whole site; on these small mirrors (a third of the pages are bad on
# purpose) and cut-short runs they fail by design, which is not what these tests look at.
NO_MONITORS = {"SPIDERMON_ENABLED": "0"}


def database(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'news.db'}"


def article_paths(server: MirrorServer) -> list[str]:
    return [urlsplit(a["url"]).path for a in server.site.manifest["articles"] if not a["appended_from"]]


# -- sitemaps -------------------------------------------------------------------------------


def sitemaps_only(mirror: MirrorServer, tmp_path: Path, **settings: str) -> dict[str, Any]:
    """A crawl that discovers through sitemaps alone (it must exit 0); its stats."""
    result, stats = crawl(
        mirror.base_url,
        tmp_path,
        database_url=database(tmp_path),
        args={"discover": "sitemaps"},
        settings=settings,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return stats


def test_an_endless_sitemap_index_stops_at_the_depth_bound(mirror: MirrorServer, tmp_path: Path) -> None:
    mirror.site.routes.update(hostile.endless_sitemap_index(mirror.site))
    # a safety net for the code before the bound: the crawl would go on until killed
    stats = sitemaps_only(mirror, tmp_path, CLOSESPIDER_PAGECOUNT="80")
    assert stats["finish_reason"] == "finished"
    depth = project_settings.SITEMAP_MAX_DEPTH
    chain = [path for path in mirror.log.counts() if path.startswith("/sitemap-index-")]
    assert len(chain) == depth  # /sitemap.xml is level 0
    assert stats["sitemap/too_deep"] == 1
    assert "SITEMAP_MAX_DEPTH" in (tmp_path / "crawl.log").read_text("utf-8")
    # the posts sitemap next to the chain is read: every article is still found
    assert stats["articles/new"] >= len(article_paths(mirror)) - 1


def test_a_wide_sitemap_index_stops_at_the_file_bound(mirror: MirrorServer, tmp_path: Path) -> None:
    mirror.site.routes.update(hostile.wide_sitemap_index(mirror.site, children=300))
    stats = sitemaps_only(mirror, tmp_path, SITEMAP_MAX_FILES="12")
    fetched = [path for path in mirror.log.counts() if path.startswith("/sitemap")]
    assert len(fetched) == 12  # the index and 11 of its children
    assert stats["sitemap/over_limit"] == 1


# -- the wall-clock limit --------------------------------------------------------------------


def test_every_crawl_has_a_wall_clock_limit_well_under_a_few_cron_intervals() -> None:
    cron_interval = 20 * 60  # deploy/crontab.example
    assert 0 < project_settings.CLOSESPIDER_TIMEOUT <= 2 * cron_interval


def test_a_crawl_stops_cleanly_at_its_wall_clock_limit_and_the_next_run_goes_on(tmp_path: Path) -> None:
    with MirrorServer(build_site(), delay=3.0) as server:
        store = database(tmp_path)
        limit = {"CLOSESPIDER_TIMEOUT": "2", **NO_MONITORS}
        result, stats = crawl(server.base_url, tmp_path / "1", database_url=store, settings=limit)
        assert stats["finish_reason"] == "closespider_timeout"
        assert result.returncode == 0  # closed cleanly: what it stored is kept
        log = (tmp_path / "1" / "crawl.log").read_text("utf-8")
        assert "wall-clock limit (CLOSESPIDER_TIMEOUT = 2 s)" in log
        assert stats.get("articles/new", 0) < len(article_paths(server))

        server.delay = 0
        result, stats = crawl(server.base_url, tmp_path / "2", database_url=store, settings=NO_MONITORS)
        assert result.returncode == 0
        # a run cut short is not a finished one: the next walks every listing page, conditionally nothing
        assert stats["incremental/catch_up"] == 1
        assert stats.get("discovery/conditional_requests", 0) == 0


# -- gzip bombs ------------------------------------------------------------------------------

LIMIT = 1024 * 1024  # DOWNLOAD_MAXSIZE of these crawls: the bombs inflate to twice that


def test_a_gzip_bomb_article_is_a_lasting_failure_not_fetched_again(
    mirror: MirrorServer, tmp_path: Path
) -> None:
    path = article_paths(mirror)[0]
    mirror.site.routes[path] = hostile.gzip_bomb_page(mirror.site.routes[path], 2 * LIMIT)
    assert len(mirror.site.routes[path].body) < 10_000
    store = database(tmp_path)
    # a second run that reads every listing, feed and sitemap again, so the page is listed again
    limits = {"DOWNLOAD_MAXSIZE": str(LIMIT), "CONDITIONAL_REQUESTS_ENABLED": "0", **NO_MONITORS}
    result, first = crawl(mirror.base_url, tmp_path / "1", database_url=store, settings=limits)
    assert result.returncode == 0, result.stderr[-2000:]
    assert first["pages/failed/too_large"] == 1
    assert "pages/failed/ignored" not in first
    engine = create_engine(store)
    with engine.connect() as connection:
        reasons = dict(connection.execute(select(FailedPageRow.url, FailedPageRow.reason)).all())
    engine.dispose()
    assert reasons[mirror.site.url(path)] == "too_large"

    mirror.log.clear()
    result, second = crawl(mirror.base_url, tmp_path / "2", database_url=store, settings=limits)
    assert result.returncode == 0
    assert mirror.hits(path) == 0
    assert second["incremental/skipped_failed"] >= 1


def test_a_gzipped_sitemap_bomb_is_counted_and_not_decompressed_again(
    mirror: MirrorServer, tmp_path: Path
) -> None:
    bomb = "/sitemap-posts-2.xml.gz"
    index = mirror.site.routes["/sitemap.xml"].body.decode()
    entry = (
        f"<sitemap><loc>{mirror.site.url(bomb)}</loc><lastmod>2025-01-26T13:00:00+02:00</lastmod></sitemap>\n"
    )
    mirror.site.routes["/sitemap.xml"] = Route(
        200, hostile.SITEMAP_TYPE, index.replace("</sitemapindex>", entry + "</sitemapindex>").encode()
    )
    mirror.site.routes[bomb] = hostile.gzip_bomb_sitemap(2 * LIMIT)
    store = database(tmp_path)
    limits = {"DOWNLOAD_MAXSIZE": str(LIMIT)}
    result, first = crawl(
        mirror.base_url, tmp_path / "1", database_url=store, args={"discover": "sitemaps"}, settings=limits
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert first["discovery/failed/too_large"] == 1
    assert "spider_exceptions" not in str(sorted(first))
    assert first["articles/new"] >= len(article_paths(mirror)) - 1  # the good sitemap was read

    mirror.log.clear()
    result, second = crawl(
        mirror.base_url, tmp_path / "2", database_url=store, args={"discover": "sitemaps"}, settings=limits
    )
    assert result.returncode == 0
    assert mirror.hits(bomb) == 0
    assert second["sitemap/skipped_failed"] == 1


# -- feeds -----------------------------------------------------------------------------------


def test_a_billion_laughs_feed_is_counted_unparsable(mirror: MirrorServer, tmp_path: Path) -> None:
    mirror.site.routes["/rss/1/"] = hostile.billion_laughs_feed(mirror.site.routes["/rss/1/"])
    _, stats = crawl(mirror.base_url, tmp_path, database_url=database(tmp_path), args={"discover": "feeds"})
    assert stats["feed/unparsable"] == 1
    assert stats["discovery/failed/unparsable"] == 1
    assert "entity expansion" in (tmp_path / "crawl.log").read_text("utf-8")


def test_a_raw_ampersand_in_a_feed_link_is_kept(mirror: MirrorServer, tmp_path: Path) -> None:
    mirror.site.routes["/rss/1/"] = hostile.raw_ampersand_feed(mirror.site.routes["/rss/1/"], "amp=1&lang=ar")
    assert b"?amp=1&lang=ar</link>" in mirror.site.routes["/rss/1/"].body
    result, _ = crawl(mirror.base_url, tmp_path, database_url=database(tmp_path), args={"discover": "feeds"})
    assert result.returncode == 0, result.stderr[-2000:]
    queries = {record.query for record in mirror.log.records() if record.path in set(article_paths(mirror))}
    assert queries == {"amp=1&lang=ar"}


# -- the readers, on their own ---------------------------------------------------------------


def test_the_feed_reader_keeps_cdata_and_escaped_links() -> None:
    body = (
        b"<rss><channel><item><link><![CDATA[https://example.com/1/?a=1&b=2]]></link></item>"
        b"<item><link>https://example.com/2/?a=1&amp;b=2&#38;c=3</link></item>"
        b"<item><link>https://example.com/3/?a=1&b=2</link></item></channel></rss>"
    )
    assert feed_links(body) == [
        "https://example.com/1/?a=1&b=2",
        "https://example.com/2/?a=1&b=2&c=3",
        "https://example.com/3/?a=1&b=2",
    ]


def test_the_sitemap_reader_refuses_garbage_and_bombs_and_reads_news_dates() -> None:
    with pytest.raises(UnreadableDocument) as garbage:
        read_sitemap(b"<html><body>Service unavailable</body></html>", LIMIT)
    assert garbage.value.reason == "unparsable"
    with pytest.raises(UnreadableDocument) as bomb:
        read_sitemap(gzip.compress(b" " * (2 * LIMIT)), LIMIT)
    assert bomb.value.reason == "too_large"
    sitemap = read_sitemap(
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        b'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"><url><loc>https://example.com/1/</loc>'
        b"<lastmod>2025-01-20</lastmod><news:news><news:publication_date>2025-01-19T10:00:00+02:00"
        b"</news:publication_date></news:news></url></urlset>",
        LIMIT,
    )
    [entry] = sitemap.entries
    assert (entry.loc, entry.lastmod, entry.dated and entry.dated.isoformat()) == (
        "https://example.com/1/",
        "2025-01-20",
        "2025-01-19T08:00:00+00:00",
    )
