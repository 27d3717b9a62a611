"""End to end: `scrapy crawl alusbu` on the local mirror, checked against the mirror's own list."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.conftest import postgres_schema
from tests.helpers import crawl, export
from tests.mirror_plugin import RunningMirror

pytestmark = pytest.mark.slow


class CrawlRun:
    def __init__(self, workdir: Path, stats: dict[str, Any], records: list[dict[str, Any]], log: str) -> None:
        self.workdir = workdir
        self.stats = stats
        self.records = records
        self.by_url = {record["url"]: record for record in records}
        self.log = log


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The whole module runs once per backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'news.db'}"
    else:
        with postgres_schema() as url:
            yield url


@pytest.fixture(scope="module")
def first(mirror_site: RunningMirror, database: str, tmp_path_factory: pytest.TempPathFactory) -> CrawlRun:
    workdir = tmp_path_factory.mktemp("crawl")
    mirror_site.server.log.clear()
    result, stats = crawl(mirror_site.base_url, workdir, database_url=database)
    assert result.returncode == 0, result.stderr[-3000:]
    records = export(database)
    return CrawlRun(workdir, stats, records, (workdir / "crawl.log").read_text("utf-8"))


@pytest.fixture(scope="module")
def second(first: CrawlRun, mirror_site: RunningMirror, database: str) -> CrawlRun:
    """The same crawl again, into the same database."""
    workdir = first.workdir / "again"
    mirror_site.server.log.clear()
    result, stats = crawl(mirror_site.base_url, workdir, database_url=database)
    assert result.returncode == 0, result.stderr[-3000:]
    records = export(database)
    return CrawlRun(workdir, stats, records, (workdir / "crawl.log").read_text("utf-8"))


def expected(mirror_site: RunningMirror) -> dict[str, dict[str, Any]]:
    return {article["url"]: article for article in mirror_site.manifest["articles"]}


def test_every_article_stored_exactly_once(first: CrawlRun, mirror_site: RunningMirror) -> None:
    assert len(first.records) == len(first.by_url)
    assert set(first.by_url) == set(expected(mirror_site))
    assert first.stats["articles/new"] == len(expected(mirror_site))


@pytest.mark.parametrize("field", ["title", "author", "section", "published_at", "appended_from", "source"])
def test_fields_match_the_mirror(first: CrawlRun, mirror_site: RunningMirror, field: str) -> None:
    wrong = {
        url: (first.by_url[url][field], truth[field])
        for url, truth in expected(mirror_site).items()
        if first.by_url[url][field] != truth[field]
    }
    assert wrong == {}


def test_bodies_match_the_mirror(first: CrawlRun, mirror_site: RunningMirror) -> None:
    wrong = {
        url: first.by_url[url]["body"].split("\n\n")
        for url, truth in expected(mirror_site).items()
        if first.by_url[url]["body"].split("\n\n") != truth["paragraphs"]
    }
    assert wrong == {}


def test_related_chains_match_the_mirror(first: CrawlRun, mirror_site: RunningMirror) -> None:
    wrong = {
        url: (first.by_url[url]["related"], truth["related"])
        for url, truth in expected(mirror_site).items()
        if first.by_url[url]["related"] != truth["related"]
    }
    assert wrong == {}


def test_credited_sources_match_the_mirror(first: CrawlRun, mirror_site: RunningMirror) -> None:
    """Source lines and fields; agency and cited mentions are extra evidence the mirror does not list."""

    def credits(attributions: list[dict[str, str]]) -> list[tuple[str, str]]:
        return [(a["kind"], a["name"]) for a in attributions if a["kind"] in ("source_line", "source_field")]

    wrong = {
        url: (credits(first.by_url[url]["attributions"]), credits(truth["attributions"]))
        for url, truth in expected(mirror_site).items()
        if credits(first.by_url[url]["attributions"]) != credits(truth["attributions"])
    }
    assert wrong == {}


def test_embeds_match_the_mirror(first: CrawlRun, mirror_site: RunningMirror) -> None:
    def key(embed: dict[str, Any]) -> tuple[str, ...]:
        return (embed["platform"], embed["author"], embed["handle"], embed["posted_at"], embed["url"])

    wrong = {}
    for url, truth in expected(mirror_site).items():
        got = first.by_url[url]["embeds"]
        if [key(e) for e in got] != [key(e) for e in truth["embeds"]] or any(
            not set(want["links"]) <= set(have["links"])
            for have, want in zip(got, truth["embeds"], strict=False)
        ):
            wrong[url] = (got, truth["embeds"])
    assert wrong == {}


def test_syndicated_copy_and_tracking_link_make_no_second_row(
    first: CrawlRun, mirror_site: RunningMirror
) -> None:
    [syndicated] = [a for a in mirror_site.manifest["articles"] if a["duplicate_urls"]]
    record = first.by_url[syndicated["url"]]
    assert record["duplicate_urls"] == syndicated["duplicate_urls"]
    assert not set(syndicated["duplicate_urls"]) & set(first.by_url)
    assert first.stats["articles/duplicate"] == 1
    for link in mirror_site.manifest["tracking_links"]:
        path = urlsplit(link).path
        assert mirror_site.server.hits(path, "GET") == 1, path


def test_bad_pages_are_counted_with_a_reason(first: CrawlRun, mirror_site: RunningMirror) -> None:
    for bad in mirror_site.manifest["bad_pages"]:
        assert first.stats.get(f"pages/failed/{bad['expected_reason']}") == 1, bad
        assert bad["url"] in first.log
    assert first.stats["pages/failed"] == len(mirror_site.manifest["bad_pages"])
    assert first.stats["finish_reason"] == "finished"
    assert "Traceback" not in first.log


def test_windows_1256_page_without_charset(first: CrawlRun, mirror_site: RunningMirror) -> None:
    [page] = [a for a in mirror_site.manifest["articles"] if a["encoding"] == "windows-1256"]
    assert first.by_url[page["url"]]["title"] == page["title"]
    assert first.by_url[page["url"]]["body"].split("\n\n") == page["paragraphs"]


def test_robots_and_non_article_links_are_not_followed(first: CrawlRun, mirror_site: RunningMirror) -> None:
    for url in mirror_site.manifest["non_article_urls"]:
        assert mirror_site.server.hits(urlsplit(url).path, "GET") == 0, url


def test_every_article_page_fetched_once(first: CrawlRun, mirror_site: RunningMirror) -> None:
    pages = {urlsplit(url).path for url in expected(mirror_site)} | {
        urlsplit(url).path for a in mirror_site.manifest["articles"] for url in a["duplicate_urls"]
    }
    assert {path: mirror_site.server.hits(path, "GET") for path in pages} == dict.fromkeys(pages, 1)


def test_csv_feed_has_one_row_per_stored_article(first: CrawlRun) -> None:
    latest = first.workdir / "feeds" / "alusbu" / "latest.csv"
    raw = latest.read_bytes()
    assert raw.startswith("\ufeff".encode())
    with latest.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert sorted(row["url"] for row in rows) == sorted(first.by_url)
    for row in rows:
        assert row["title"] == first.by_url[row["url"]]["title"]  # Arabic intact
        assert row["body"] == first.by_url[row["url"]]["body"]
    timestamped = [p for p in latest.parent.glob("*.csv") if p.name != "latest.csv"]
    assert len(timestamped) == 1
    assert timestamped[0].read_bytes() == raw


def test_second_crawl_fetches_no_stored_article_and_adds_no_rows(
    first: CrawlRun, second: CrawlRun, mirror_site: RunningMirror
) -> None:
    assert [r["url"] for r in second.records] == [r["url"] for r in first.records]
    assert [r["first_seen_at"] for r in second.records] == [r["first_seen_at"] for r in first.records]
    assert second.stats.get("articles/new", 0) == 0
    assert second.stats.get("articles/updated", 0) == 0
    # the store answered before scheduling: no article page was requested again
    assert second.stats["incremental/new_urls"] == 0
    assert second.stats.get("pages/extracted", 0) == 0
    article_pages = [urlsplit(a["url"]).path for a in mirror_site.manifest["articles"]]
    article_pages += [urlsplit(b["url"]).path for b in mirror_site.manifest["bad_pages"]]
    assert sum(mirror_site.server.hits(path, "GET") for path in article_pages) == 0
    latest = second.workdir / "feeds" / "alusbu" / "latest.csv"
    with latest.open(encoding="utf-8-sig", newline="") as stream:
        assert list(csv.DictReader(stream)) == []  # nothing new or updated this run
