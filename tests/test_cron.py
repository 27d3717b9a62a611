"""Harvesting from cron: incremental runs, no overlap, resume after SIGKILL, run records, monitors, feeds."""

from __future__ import annotations

import csv
import dataclasses
import json
import re
import signal
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from sqlalchemy import create_engine, func, select

from crawler.store.models import ArticleRow, CrawlRunRow
from devsite.mirror.server import MirrorServer
from devsite.mirror.site import build_site
from tests.conftest import postgres_schema
from tests.helpers import crawl, export, scrapy, start_crawl

pytestmark = pytest.mark.slow


@pytest.fixture
def mirror() -> Iterator[MirrorServer]:
    """A mirror of its own (these tests add and edit articles)."""
    with MirrorServer(build_site()) as server:
        yield server


def article_paths(server: MirrorServer) -> list[str]:
    return [urlsplit(a["url"]).path for a in server.site.manifest["articles"] if not a["appended_from"]]


def feed_rows(workdir: Path) -> list[dict[str, str]]:
    with (workdir / "feeds" / "alusbu" / "latest.csv").open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.DictReader(stream))


def count_articles(database: str) -> int:
    engine = create_engine(database)
    try:
        with engine.connect() as connection:
            return connection.scalar(select(func.count()).select_from(ArticleRow)) or 0
    except Exception:
        return 0  # the schema is not there yet
    finally:
        engine.dispose()


def runs(database: str) -> list[CrawlRunRow]:
    engine = create_engine(database)
    with engine.connect() as connection:
        rows = connection.execute(select(CrawlRunRow).order_by(CrawlRunRow.id)).all()
    engine.dispose()
    return rows  # type: ignore[return-value]


# -- incremental ------------------------------------------------------------------------


def test_a_cron_run_fetches_only_new_articles(mirror: MirrorServer, tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'news.db'}"
    result, first = crawl(mirror.base_url, tmp_path / "1", database_url=database)
    assert result.returncode == 0
    stored_paths = article_paths(mirror)

    added = mirror.site.add_articles(3)
    mirror.log.clear()
    result, second = crawl(mirror.base_url, tmp_path / "2", database_url=database)
    assert result.returncode == 0, (tmp_path / "2" / "crawl.log").read_text()[-3000:]
    assert sum(mirror.hits(path, "GET") for path in stored_paths) == 0
    assert all(mirror.hits(urlsplit(a["url"]).path, "GET") == 1 for a in added)
    assert second["articles/new"] == 3
    assert second["listing/stopped_at_known_page"] >= 1  # pagination stopped at known pages
    assert second["response_received_count"] < first["response_received_count"] / 4
    assert sorted(row["url"] for row in feed_rows(tmp_path / "2")) == sorted(a["url"] for a in added)


def test_young_articles_are_checked_once_more_and_edits_counted(mirror: MirrorServer, tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'news.db'}"
    assert crawl(mirror.base_url, tmp_path / "1", database_url=database)[0].returncode == 0
    young = mirror.site.add_articles(2, now=datetime.now(UTC))
    assert crawl(mirror.base_url, tmp_path / "2", database_url=database)[0].returncode == 0

    # the newsroom edits one of them
    edited = young[0]
    path = urlsplit(edited["url"]).path
    route = mirror.site.routes[path]
    first_paragraph = edited["paragraphs"][0]
    correction = first_paragraph + " وأضافت الوزارة في تحديث لاحق أن التدريبات ستمتد يومين إضافيين."
    edited_body = route.body.replace(first_paragraph.encode("utf-8"), correction.encode("utf-8"), 1)
    assert edited_body != route.body
    mirror.site.routes[path] = dataclasses.replace(route, body=edited_body)
    mirror.log.clear()
    result, third = crawl(mirror.base_url, tmp_path / "3", database_url=database)
    assert result.returncode == 0
    assert [mirror.hits(urlsplit(a["url"]).path, "GET") for a in young] == [1, 1]  # both checked once more
    assert third["articles/updated"] == 1
    assert third["articles/unchanged"] == 1
    [record] = [r for r in export(database) if r["url"] == edited["url"]]
    assert record["revision"] == 2
    assert "تحديث لاحق" in record["body"]
    assert [row["url"] for row in feed_rows(tmp_path / "3")] == [edited["url"]]

    # checked once more, then left alone
    mirror.log.clear()
    result, fourth = crawl(mirror.base_url, tmp_path / "4", database_url=database)
    assert result.returncode == 0
    assert fourth["incremental/rechecks"] == 0
    assert [mirror.hits(urlsplit(a["url"]).path, "GET") for a in young] == [0, 0]


def test_refresh_fetches_everything_again(mirror: MirrorServer, tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'news.db'}"
    assert crawl(mirror.base_url, tmp_path / "1", database_url=database)[0].returncode == 0
    mirror.log.clear()
    result, stats = crawl(mirror.base_url, tmp_path / "2", database_url=database, args={"refresh": "1"})
    assert result.returncode == 0
    assert all(mirror.hits(path, "GET") == 1 for path in article_paths(mirror))
    assert stats.get("articles/new", 0) == 0
    assert stats["articles/unchanged"] >= len(article_paths(mirror)) - 1


# -- one run at a time --------------------------------------------------------------------


def wait_for(condition: Any, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("condition not met in time")
        time.sleep(0.1)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_second_run_exits_at_once_while_one_is_running(tmp_path: Path, backend: str) -> None:
    # each answer takes 3 s: the first run is still going long after a second could start
    with MirrorServer(build_site(), delay=3.0) as slow, _database(backend, tmp_path) as database:
        running = start_crawl(slow.base_url, tmp_path / "running", database_url=database)
        try:
            wait_for(lambda: any(slow.hits(path, "GET") for path in article_paths(slow)))
            second = scrapy(
                "crawl", "alusbu", "-a", f"base_url={slow.base_url}", env={"DATABASE_URL": database}
            )
            # it did not wait for the lock: the first run is still going (no wall-clock
            # bound, which a loaded machine would make flaky)
            assert running.poll() is None
            assert second.returncode == 75
            assert "Another alusbu crawl is running" in second.stderr
        finally:
            running.send_signal(signal.SIGKILL)
            running.wait(30)


# -- resume after SIGKILL ----------------------------------------------------------------


def _database(backend: str, tmp_path: Path) -> Any:
    from contextlib import nullcontext

    if backend == "sqlite":
        return nullcontext(f"sqlite:///{tmp_path / 'news.db'}")
    return postgres_schema()


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_run_killed_with_sigkill_resumes_and_loses_nothing(tmp_path: Path, backend: str) -> None:
    with MirrorServer(build_site()) as reference_mirror:
        result, _ = crawl(
            reference_mirror.base_url, tmp_path / "reference", database_url=f"sqlite:///{tmp_path / 'ref.db'}"
        )
        assert result.returncode == 0
        reference = {r["url"].split("/", 3)[3]: r for r in export(f"sqlite:///{tmp_path / 'ref.db'}")}

    with MirrorServer(build_site(), delay=0.3) as mirror, _database(backend, tmp_path) as database:
        jobdir = tmp_path / "job"
        killed = start_crawl(
            mirror.base_url, tmp_path / "killed", database_url=database, settings={"JOBDIR": str(jobdir)}
        )
        wait_for(lambda: count_articles(database) >= 8, timeout=120)
        killed.send_signal(signal.SIGKILL)
        killed.wait(30)
        stored_before = count_articles(database)
        assert 8 <= stored_before < len(reference)

        mirror.delay = 0.0
        mirror.log.clear()
        result, stats = crawl(
            mirror.base_url, tmp_path / "resumed", database_url=database, settings={"JOBDIR": str(jobdir)}
        )
        assert result.returncode == 0, (tmp_path / "resumed" / "crawl.log").read_text()[-3000:]
        assert stats["incremental/catch_up"] == 1
        resumed = {r["url"].split("/", 3)[3]: r for r in export(database)}
        statuses = [run.status for run in runs(database)]

    # nothing lost, nothing twice: the same articles as an uninterrupted crawl, with the same content
    assert sorted(resumed) == sorted(reference)
    for path, record in reference.items():
        for field in ("title", "body", "published_at", "source", "section"):
            assert resumed[path][field] == record[field], (path, field)
        assert [r["title"] for r in resumed[path]["related"]] == [r["title"] for r in record["related"]]
    assert stats.get("articles/new", 0) == len(reference) - stored_before
    assert statuses == ["killed", "finished"]


# -- run records and monitors --------------------------------------------------------------


def test_runs_are_recorded_and_listed(mirror: MirrorServer, tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'news.db'}"
    crawl(mirror.base_url, tmp_path / "1", database_url=database)
    crawl(mirror.base_url, tmp_path / "2", database_url=database)
    first, second = runs(database)
    assert (first.status, second.status) == ("finished", "finished")
    assert first.articles_new == len(mirror.site.manifest["articles"])
    assert first.articles_duplicate == 1
    assert first.errors == {
        "page:empty_page": 1,
        "page:http_404": 1,
        "page:no_title": 1,
        "page:non_html": 1,
    }
    assert first.pages_fetched > second.pages_fetched > 0
    assert first.finished_at is not None
    assert first.feed_path.endswith(".csv")
    listing = scrapy("runs", "--spider", "alusbu", env={"DATABASE_URL": database})
    assert listing.returncode == 0
    lines = listing.stdout.splitlines()
    assert lines[0].split()[:3] == ["id", "spider", "status"]
    assert lines[1].split()[:3] == [str(second.id), "alusbu", "finished"]
    assert lines[2].split()[:3] == [str(first.id), "alusbu", "finished"]


def test_a_changed_article_template_trips_the_coverage_monitor(tmp_path: Path) -> None:
    with MirrorServer(build_site(template="changed")) as redesigned:
        database = f"sqlite:///{tmp_path / 'news.db'}"
        result, stats = crawl(redesigned.base_url, tmp_path / "run", database_url=database)
    assert result.returncode == 3
    failed = stats["monitors/failed"]
    assert "field coverage/title" in failed
    assert "field coverage/publish date" in failed
    assert "field coverage/body found by the site profile" in failed
    [run] = runs(database)
    assert run.status == "failed"
    assert set(failed) <= set(run.monitors_failed)
    assert "monitors failed" in result.stderr
    # each failure says what is wrong, the right way round
    assert re.search(
        r"field coverage/title \(title found on \d+% of \d+ article pages, below the 90% minimum",
        result.stderr,
    )
    assert "field coverage/title (title found on " in run.outcome


def test_the_default_mirror_passes_every_monitor(mirror: MirrorServer, tmp_path: Path) -> None:
    result, stats = crawl(mirror.base_url, tmp_path / "run")
    assert result.returncode == 0
    assert "monitors/failed" not in stats
    assert json.loads(json.dumps(stats))["coverage/pages"] >= len(article_paths(mirror))
