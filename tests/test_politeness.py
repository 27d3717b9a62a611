"""Politeness to the byte: robots.txt's Crawl-delay, and idle cron runs that cost one conditional
request per feed, sitemap index and section front page, never at the price of an article."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from crawler.store import ArticleStore, make_engine
from crawler.store.models import Base
from crawler.store.validators import DocumentState, HttpValidatorRow, load_documents, save_documents
from devsite.mirror.server import MirrorServer
from devsite.mirror.site import build_site
from tests.helpers import crawl, export

SECTIONS = "arab-world,military,politics"  # the mirror's; the profile's fourth is the JavaScript one


def article_paths(server: MirrorServer) -> list[str]:
    return [urlsplit(a["url"]).path for a in server.site.manifest["articles"] if not a["appended_from"]]


# -- the table ---------------------------------------------------------------------------------


def test_the_validators_table_matches_its_migration(database_url: str) -> None:
    store = ArticleStore(make_engine(database_url)).prepare()
    with store.engine.connect() as connection:
        diff = compare_metadata(
            MigrationContext.configure(connection, opts={"compare_type": True}), Base.metadata
        )
    store.engine.dispose()
    assert [entry for entry in diff if "http_validators" in repr(entry)] == []
    assert HttpValidatorRow.__tablename__ in Base.metadata.tables


def test_validators_are_saved_replaced_and_forgotten_with_their_index(database_url: str) -> None:
    store = ArticleStore(make_engine(database_url)).prepare()
    now = datetime(2025, 1, 26, 12, 0, tzinfo=UTC)
    child = DocumentState(
        '"a1"', "Sun, 26 Jan 2025 11:00:00 GMT", "https://e.com/sitemap.xml", "2025-01-26", now
    )
    save_documents(store, "alusbu", {"https://e.com/s-1.xml": child, "https://e.com/s-2.xml": child})
    save_documents(store, "alusbu", {"https://e.com/s-1.xml": replace(child, etag='"a2"')})
    save_documents(
        store, "news_e_com", {"https://e.com/s-1.xml": DocumentState(failure="too_large", failed_at=now)}
    )
    assert load_documents(store, "alusbu") == {
        "https://e.com/s-1.xml": replace(child, etag='"a2"'),
        "https://e.com/s-2.xml": child,
    }
    save_documents(store, "alusbu", {}, [("https://e.com/sitemap.xml", {"https://e.com/s-1.xml"})])
    assert list(load_documents(store, "alusbu")) == ["https://e.com/s-1.xml"]
    assert load_documents(store, "news_e_com")["https://e.com/s-1.xml"].failure == "too_large"
    store.engine.dispose()


# -- Crawl-delay ---------------------------------------------------------------------------------


@pytest.mark.slow
def test_robots_crawl_delay_spaces_the_requests_to_its_host(tmp_path: Path) -> None:
    with MirrorServer(build_site(8, crawl_delay=1)) as server:
        assert "Crawl-delay: 1\n" in server.site.routes["/robots.txt"].body.decode()
        result, stats = crawl(
            server.base_url,
            tmp_path,
            database_url=f"sqlite:///{tmp_path / 'news.db'}",
            args={"discover": "feeds"},
        )
        assert result.returncode in (0, 3), result.stderr[-2000:]  # 3: the small site's bad pages
        host = urlsplit(server.base_url).netloc
        assert stats[f"robotstxt/crawl_delay/{host}"] == 1.0
        arrivals = sorted(record.time for record in server.log.records() if record.path != "/robots.txt")
    assert len(arrivals) >= 8
    # The slot waits 1 s between two requests (the test crawl sets DOWNLOAD_DELAY 0 and no
    # AutoThrottle, so without Crawl-delay they leave together); half of it is a bound a loaded
    # machine cannot undercut, as a late request only widens its gaps.
    assert min(later - earlier for earlier, later in itertools.pairwise(arrivals)) >= 0.5


@pytest.mark.slow
def test_a_crawl_delay_beyond_the_bound_is_cut_to_it(tmp_path: Path) -> None:
    with MirrorServer(build_site(8, crawl_delay=3600)) as server:
        _, stats = crawl(
            server.base_url,
            tmp_path,
            database_url=f"sqlite:///{tmp_path / 'news.db'}",
            args={"discover": "feeds"},
            settings={"CRAWL_DELAY_MAX": "0.2"},
        )
        assert stats[f"robotstxt/crawl_delay/{urlsplit(server.base_url).netloc}"] == 0.2
    assert "asks for 3600.0 s between requests: waiting 0.2 s" in (tmp_path / "crawl.log").read_text("utf-8")


# -- idle cron runs --------------------------------------------------------------------------------


@pytest.fixture
def mirror() -> Iterator[MirrorServer]:
    """The default mirror with its posts in sitemaps of 10, so an index has children to skip."""
    with MirrorServer(build_site(sitemap_size=10)) as server:
        yield server


def cron_run(server: MirrorServer, workdir: Path, database: str, **settings: str) -> dict[str, object]:
    server.log.clear()
    result, stats = crawl(
        server.base_url, workdir, database_url=database, args={"sections": SECTIONS}, settings=settings
    )
    assert result.returncode == 0, (workdir / "crawl.log").read_text("utf-8")[-3000:]
    return stats


@pytest.mark.slow
def test_an_idle_run_costs_one_conditional_request_per_document(mirror: MirrorServer, tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'news.db'}"
    first = cron_run(mirror, tmp_path / "1", database)
    assert first["sitemap/requests"] == 1 + len(
        [p for p in mirror.site.routes if p.startswith("/sitemap-posts-")]
    )
    assert first["discovery/documents/unsettled"] == 0

    idle = cron_run(mirror, tmp_path / "2", database)
    requests = mirror.log.records()
    documents = [
        "/rss/1/",
        "/sitemap.xml",
        *(urlsplit(s["url"]).path for s in mirror.site.manifest["sections"]),
    ]
    assert sorted(r.path for r in requests) == sorted([*documents, "/robots.txt"])
    assert all(r.conditional for r in requests if r.path != "/robots.txt")
    assert {a.path: a.status for a in mirror.log.answers()} == {
        "/robots.txt": 200,
        **dict.fromkeys(documents, 304),
    }
    # a 304 is no error anywhere: not in the failures, not in Scrapy's ignored responses, not in the monitors
    assert idle["discovery/not_modified"] == len(documents)
    assert "discovery/failed" not in idle
    assert not [key for key in idle if key.startswith(("httperror/", "pages/failed"))]
    assert "monitors/failed" not in idle
    assert idle["sitemap/unchanged"] == first["sitemap/requests"] - 1  # children left alone
    assert idle["incremental/new_urls"] == 0


@pytest.mark.slow
def test_a_changed_index_fetches_only_its_changed_children(mirror: MirrorServer, tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'news.db'}"
    cron_run(mirror, tmp_path / "1", database)
    # a day after the site's newest post: the last child sitemap's <lastmod> moves
    added = mirror.site.add_articles(2, now=datetime(2025, 1, 27, 13, 0))
    stats = cron_run(mirror, tmp_path / "2", database)
    children = sorted(p for p in mirror.site.routes if p.startswith("/sitemap-posts-"))
    fetched = {a.path: a.status for a in mirror.log.answers() if a.path.startswith("/sitemap")}
    # the new posts went into the last child: it alone is fetched, the index is read again
    assert fetched == {"/sitemap.xml": 200, children[-1]: 200}
    assert stats["sitemap/unchanged"] == len(children) - 1
    assert stats["articles/new"] == 2
    stored = {record["url"] for record in export(database)}
    assert {a["url"] for a in added} <= stored


@pytest.mark.slow
def test_a_child_whose_lastmod_stood_still_is_asked_for_again_once_the_trust_runs_out(
    mirror: MirrorServer, tmp_path: Path
) -> None:
    """Posts dated before another post's edit join the last sitemap without moving its <lastmod>:
    the index does not change (304). After SITEMAP_LASTMOD_TRUST_HOURS (0 here) each child is
    asked for with its validators: the unchanged ones answer 304, the changed one its new list."""
    database = f"sqlite:///{tmp_path / 'news.db'}"
    cron_run(mirror, tmp_path / "1", database)
    mirror.site.add_articles(2)  # a minute after the newest post, before the newest edit
    cron_run(mirror, tmp_path / "2", database, SITEMAP_LASTMOD_TRUST_HOURS="0")
    children = sorted(p for p in mirror.site.routes if p.startswith("/sitemap-posts-"))
    fetched = {a.path: a.status for a in mirror.log.answers() if a.path.startswith("/sitemap")}
    assert fetched == {"/sitemap.xml": 304, **dict.fromkeys(children[:-1], 304), children[-1]: 200}


@pytest.mark.slow
def test_entries_dated_well_before_the_last_read_are_not_planned_again(
    mirror: MirrorServer, tmp_path: Path
) -> None:
    """The mirror's posts are dated 2025, long before the first run read its sitemaps: when the
    last child is read again, its entries (two new ones dated 2025 too) are not planned; the
    two posts published now, in a child never read before, are."""
    database = f"sqlite:///{tmp_path / 'news.db'}"
    cron_run(mirror, tmp_path / "1", database)
    backdated = mirror.site.add_articles(2, now=datetime(2025, 1, 27, 13, 0))
    fresh = mirror.site.add_articles(2, now=datetime.now(UTC))
    mirror.log.clear()
    result, stats = crawl(
        mirror.base_url, tmp_path / "2", database_url=database, args={"discover": "sitemaps"}
    )
    assert result.returncode == 0
    assert stats["sitemap/entries_read_before"] == mirror.site.sitemap_size  # the whole re-read child
    assert all(mirror.hits(urlsplit(a["url"]).path) == 1 for a in fresh)
    assert all(mirror.hits(urlsplit(a["url"]).path) == 0 for a in backdated)  # the feed finds those


@pytest.mark.slow
def test_an_article_that_failed_for_now_keeps_its_documents_unsettled(
    mirror: MirrorServer, tmp_path: Path
) -> None:
    """A 304 must never hide an article the store does not have: the page that answered 503 in
    the first run (after Scrapy's retries) is listed again by the second, and stored."""
    database = f"sqlite:///{tmp_path / 'news.db'}"
    path = article_paths(mirror)[0]
    page = mirror.site.routes[path]
    mirror.site.routes[path] = replace(
        page, status=503, headers={"Content-Type": "text/html"}, body=b"<h1>503</h1>"
    )
    first = cron_run(mirror, tmp_path / "1", database, RETRY_TIMES="0")
    assert first["pages/failed/http_503"] == 1
    assert first["discovery/documents/unsettled"] >= 1

    mirror.site.routes[path] = page
    second = cron_run(mirror, tmp_path / "2", database)
    assert mirror.hits(path) == 1
    assert mirror.site.url(path) in {record["url"] for record in export(database)}
    assert second["discovery/documents/unsettled"] == 0

    cron_run(mirror, tmp_path / "3", database)
    assert {a.status for a in mirror.log.answers() if a.path != "/robots.txt"} == {304}


@pytest.mark.slow
def test_young_articles_keep_the_documents_read_until_they_are_checked_again(
    mirror: MirrorServer, tmp_path: Path
) -> None:
    database = f"sqlite:///{tmp_path / 'news.db'}"
    cron_run(mirror, tmp_path / "1", database)
    young = mirror.site.add_articles(2, now=datetime.now(UTC))
    cron_run(mirror, tmp_path / "2", database)
    third = cron_run(mirror, tmp_path / "3", database)  # nothing new: but the young are due again
    assert third["incremental/rechecks"] >= 2  # (counted once per document that lists them)
    assert [mirror.hits(urlsplit(a["url"]).path) for a in young] == [1, 1]
    fourth = cron_run(mirror, tmp_path / "4", database)
    assert fourth["incremental/rechecks"] == 0
    assert fourth["discovery/not_modified"] == 5


@pytest.mark.slow
def test_a_refresh_run_sends_no_validators(mirror: MirrorServer, tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'news.db'}"
    cron_run(mirror, tmp_path / "1", database)
    mirror.log.clear()
    result, stats = crawl(
        mirror.base_url, tmp_path / "2", database_url=database, args={"sections": SECTIONS, "refresh": "1"}
    )
    assert result.returncode == 0
    assert not any(record.conditional for record in mirror.log.records())
    assert "sitemap/unchanged" not in stats
    assert all(mirror.hits(path) == 1 for path in article_paths(mirror))
