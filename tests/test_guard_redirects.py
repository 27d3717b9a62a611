"""Redirects, ports and names at the request guard, on a real crawl of the loopback mirror.

A site's pages redirect wherever the site says: another port of its own host, another
host, an address on the crawler's network. Each must be refused, and reported like any
page that gave no article (log line, ``pages/failed/<reason>``, a ``failed_pages`` row)
so that cron runs stop fetching it. Decoy servers stand where the redirects point: a
request that reached one is a request the guard let through.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, select

from crawler.store.models import FailedPageRow
from crawler.text.urls import canonical_url
from devsite.mirror.server import MirrorServer
from devsite.mirror.site import HTML, MirrorSite, Route, build_site
from tests.helpers import crawl
from tests.mirror_plugin import RunningMirror

pytestmark = pytest.mark.slow

ARTICLES = 48
FEED = "/rss/1/"


@dataclass
class RedirectingSite:
    """The mirror with four article pages redirected, and the decoys two of them point at."""

    mirror: MirrorServer
    other_port: MirrorServer  # the same site on another port of 127.0.0.1
    other_address: MirrorServer  # the same site on 127.0.0.2: the crawler's network, not the site
    to_other_port: str  # paths of the redirected pages
    to_other_address: str
    to_other_host: str
    within_site: str
    moved_to: str  # where ``within_site`` points: a page of the site itself
    feed: str  # the RSS feed, redirected to the other port too

    def url(self, path: str) -> str:
        return canonical_url(self.mirror.site.url(path))


def redirect(location: str) -> Route:
    return Route(302, {"Location": location, "Content-Type": HTML}, b"", post=True)


def redirect_pages(site: MirrorSite, targets: dict[str, str]) -> None:
    """Replace pages by redirects (a whole new route table, as the mirror publishes)."""
    site.routes = {**site.routes, **{path: redirect(location) for path, location in targets.items()}}


@pytest.fixture
def redirecting_site() -> Iterator[RedirectingSite]:
    with (
        MirrorServer(build_site(n_articles=ARTICLES)) as mirror,
        MirrorServer(build_site(n_articles=ARTICLES)) as other_port,
        MirrorServer(build_site(n_articles=ARTICLES), host="127.0.0.2") as other_address,
    ):
        # the newest articles (the highest ids): the feed and the first listing pages name them
        first, second, third, fourth = sorted(mirror.site.article_paths)[-4:]
        moved_to = fourth.rstrip("/") + "-moved/"
        mirror.site.routes = {**mirror.site.routes, moved_to: mirror.site.routes[fourth]}
        redirect_pages(
            mirror.site,
            {
                first: other_port.base_url + first,
                second: other_address.base_url + second,
                third: "https://other-site.invalid" + third,
                fourth: mirror.base_url + moved_to,
                FEED: other_port.base_url + FEED,
            },
        )
        yield RedirectingSite(mirror, other_port, other_address, first, second, third, fourth, moved_to, FEED)


def failed_pages(database: str) -> dict[str, str]:
    engine = create_engine(database)
    with engine.connect() as connection:
        rows = dict(connection.execute(select(FailedPageRow.url, FailedPageRow.reason)).all())
    engine.dispose()
    return rows


def crawl_site(site: RedirectingSite, workdir: Path) -> tuple[int, dict[str, Any], str]:
    """A cron run of the redirecting site: its exit status, its stats and its database."""
    database = f"sqlite:///{workdir / 'news.db'}"
    result, stats = crawl(site.mirror.base_url, workdir, database_url=database)
    return result.returncode, stats, database


def test_redirects_off_the_site_are_refused_and_recorded(
    redirecting_site: RedirectingSite, tmp_path: Path
) -> None:
    site = redirecting_site
    status, stats, database = crawl_site(site, tmp_path)
    log = (tmp_path / "crawl.log").read_text("utf-8")
    assert status == 0, log[-3000:]
    assert stats["articles/new"] > 0

    # nothing reached the decoys: not another port of the site's host, not another address
    assert site.other_port.log.records() == []
    assert site.other_address.log.records() == []

    expected = {
        site.url(site.to_other_port): ("redirect_other_port", site.other_port.base_url),
        site.url(site.to_other_address): ("redirect_internal_address", site.other_address.base_url),
        site.url(site.to_other_host): ("redirect_other_host", "https://other-site.invalid"),
    }
    failed = failed_pages(database)
    for url, (reason, target) in expected.items():
        assert failed.get(url) == reason, (url, failed)
        assert stats.get(f"pages/failed/{reason}") == 1, json.dumps(stats, indent=1)
        # one log line names the page, where it pointed and why it was refused
        assert any(url in line and target in line and reason in line for line in log.splitlines()), url

    # a listing, feed or sitemap that redirects off the site is a discovery failure, with its reason
    assert stats.get("discovery/failed/redirect_other_port") == 1
    feed = site.mirror.site.url(site.feed)
    assert any(
        feed in line and site.other_port.base_url in line and "redirect_other_port" in line
        for line in log.splitlines()
    )

    # a redirect within the site is followed as before
    assert site.mirror.hits(site.moved_to) >= 1
    assert site.url(site.within_site) not in failed


def test_refused_redirects_are_not_fetched_again_by_the_next_run(
    redirecting_site: RedirectingSite, tmp_path: Path
) -> None:
    site = redirecting_site
    assert crawl_site(site, tmp_path)[0] == 0
    # one more article: the feed and a listing change, so the next run reads them again and
    # meets the refused pages' links (the feed's redirect goes: the indexes are rendered anew)
    site.mirror.site.add_articles(1)
    site.mirror.log.clear()
    status, stats, _ = crawl_site(site, tmp_path)
    refused = (site.to_other_port, site.to_other_address, site.to_other_host)
    assert [site.mirror.hits(path) for path in refused] == [0, 0, 0]
    assert stats.get("incremental/skipped_failed", 0) >= len(refused)
    assert status == 0


def test_a_name_that_resolves_to_this_machine_is_refused_at_connection_time(
    mirror_site: RunningMirror, tmp_path: Path
) -> None:
    """The site is given by a name; its DNS record says 127.0.0.1 (a rebinding, a dangling record).

    ``tests/dns_map.py`` answers the name without a DNS server. With the project's resolver the
    crawl never connects; with Scrapy's own resolver and the same answer it does (the control)."""
    mirror = mirror_site.server
    port = mirror.base_url.rsplit(":", 1)[1]
    names = json.dumps({"mirror-site.test": "127.0.0.1"})
    base_url = f"http://mirror-site.test:{port}"

    mirror.log.clear()
    control, _ = crawl(
        base_url,
        tmp_path / "control",
        settings={"TWISTED_DNS_RESOLVER": "tests.dns_map.UncheckedMappedResolver", "TEST_DNS_MAP": names},
    )
    assert control.returncode in (0, 3), control.stderr[-2000:]
    assert mirror.log.records(), "the control crawl should reach the mirror through the mapped name"

    mirror.log.clear()
    workdir = tmp_path / "guarded"
    _, stats = crawl(
        base_url,
        workdir,
        settings={"TWISTED_DNS_RESOLVER": "tests.dns_map.MappedResolver", "TEST_DNS_MAP": names},
    )
    assert mirror.log.records() == []
    assert stats.get("guard/refused_address/loopback", 0) >= 1
    assert stats.get("articles/new", 0) == 0
    log = (workdir / "crawl.log").read_text("utf-8")
    assert "Not connecting to mirror-site.test: it resolves to 127.0.0.1" in log
