"""The web archive a crawl writes: every response the mirror sent, as sent, readable by other tools.

The crawls run against a mirror served for the test alone, so that its request log holds this
crawl's requests only: the archive is compared with what the server says it answered.
"""

from __future__ import annotations

import gzip
import os
import signal
import stat
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import sqlalchemy
from alembic import command
from scrapy import Request, Spider
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler
from warcio.archiveiterator import ArchiveIterator as WarcioIterator

from crawler.archive.records import ArchivedResponse, read_responses
from crawler.archive.replay import ARCHIVED_META
from crawler.archive.writer import ArchiveWriter, archive_files
from crawler.extensions.archive import WebArchive, human_size
from crawler.middlewares.archive import ArchiveMiddleware
from crawler.store.migrate import alembic_config
from devsite.mirror.server import MirrorServer
from devsite.mirror.site import Route, build_site
from tests.filesystems import as_ordinary_user, run_crawl, tmpfs
from tests.helpers import crawl, export, scrapy, start_crawl
from tests.test_cron import runs

pytestmark = pytest.mark.slow

STARTED = datetime(2026, 1, 19, 8, 30, tzinfo=UTC)


# -- helpers ----------------------------------------------------------------------------------


def warcio_records(path: Path) -> list[tuple[str, str, int, bytes]]:
    """(type, target URI, status, body) of every record, read by warcio (a second tool)."""
    records = []
    with path.open("rb") as stream:
        for record in WarcioIterator(stream):
            status = int(record.http_headers.get_statuscode()) if record.http_headers else 0
            target = record.rec_headers.get_header("WARC-Target-URI") or ""
            records.append((record.rec_type, target, status, record.content_stream().read()))
    return records


def settled_answers(server: MirrorServer, at_least: int) -> Counter[tuple[str, int]]:
    """(path, status) of every answer; the server logs an answer after sending it, on its own thread."""
    deadline = time.monotonic() + 10
    while True:
        answers = Counter((answer.path, answer.status) for answer in server.log.answers())
        if sum(answers.values()) >= at_least or time.monotonic() > deadline:
            return answers
        time.sleep(0.05)


def path_of(url: str) -> str:
    return urlsplit(url).path or "/"


def response(url: str, body: bytes) -> ArchivedResponse:
    return ArchivedResponse(
        url=url,
        status=200,
        headers=[(b"Content-Type", b"text/html; charset=utf-8")],
        body=body,
        fetched_at=STARTED,
        kind="article",
    )


# -- schema -----------------------------------------------------------------------------------


def test_migration_0008_adds_the_archive_columns_and_goes_back(database_url: str) -> None:
    engine = sqlalchemy.create_engine(database_url)
    try:
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), "0007")
            connection.execute(
                sqlalchemy.text(
                    "INSERT INTO crawl_runs (spider, run_key, status, started_at, finish_reason, host, pid,"
                    " pages_fetched, articles_new, articles_updated, articles_duplicate, dropped, errors,"
                    " monitors_failed, feed_path, outcome) VALUES ('alusbu', 'k', 'finished', :now, 'finished',"
                    " 'h', 1, 0, 0, 0, 0, '{}', '{}', '[]', '', '')"
                ),
                {"now": STARTED},
            )
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), "0008")
        with engine.connect() as connection:
            row = connection.execute(
                sqlalchemy.text("SELECT archive_path, archive_bytes FROM crawl_runs")
            ).one()
        assert tuple(row) == ("", 0)  # an earlier run had no archive
        with engine.begin() as connection:
            command.downgrade(alembic_config(connection), "0007")
        with engine.connect() as connection:
            columns = {column["name"] for column in sqlalchemy.inspect(connection).get_columns("crawl_runs")}
        assert "archive_path" not in columns
        assert "archive_bytes" not in columns
        assert "outcome" in columns
    finally:
        engine.dispose()


# -- the writer, on its own -------------------------------------------------------------------


def test_rotation_makes_several_files_and_every_record_is_in_exactly_one(tmp_path: Path) -> None:
    bodies = {
        f"http://127.0.0.1/{n}/": os.urandom(9_000 + n) for n in range(40)
    }  # random: gzip keeps the size
    writer = ArchiveWriter(tmp_path, "alusbu", STARTED, max_bytes=50_000, info={"software": "tests"})
    first = writer.open()
    for url, body in bodies.items():
        assert writer.submit(response(url, body))
    report = writer.close()

    files = archive_files(first)
    assert files == report.files
    assert files[0] == first
    assert [f.name for f in files] == [
        f"alusbu-20260119T083000Z-{n:05d}.warc.gz" for n in range(1, len(files) + 1)
    ]
    assert len(files) >= 6
    assert report.records == len(bodies)
    assert report.failed == 0
    assert not report.failure
    assert report.size == sum(f.stat().st_size for f in files)
    assert report.cpu_seconds > 0  # the writer thread's own time, for bench/archive_cost.py
    seen: Counter[str] = Counter()
    for path in files:
        records = warcio_records(path)
        assert records[0][0] == "warcinfo"  # every file opens with its own
        for kind, url, status, body in records[1:]:
            assert (kind, status, body) == ("response", 200, bodies[url])
            seen[url] += 1
        # a file is closed once past the limit: it holds at most one record beyond it
        assert path.stat().st_size < 50_000 + 10_000 or path == files[-1]
    assert seen == Counter(dict.fromkeys(bodies, 1))
    assert [r.url for f in files for r in read_responses(f)] == list(bodies)


def test_a_second_run_in_the_same_second_never_writes_into_the_first_runs_files(tmp_path: Path) -> None:
    paths = []
    for body in (b"first", b"second"):
        writer = ArchiveWriter(tmp_path, "alusbu", STARTED, max_bytes=1 << 30, info={})
        paths.append(writer.open())
        writer.submit(response("http://127.0.0.1/1/", body))
        writer.close()
    assert paths[0] != paths[1]
    assert [[r.body for r in read_responses(path)] for path in paths] == [[b"first"], [b"second"]]


def test_a_full_disk_stops_the_archive_on_a_record_boundary(tmp_path: Path) -> None:
    with tmpfs(tmp_path / "disk", "64k") as disk:
        writer = ArchiveWriter(disk, "alusbu", STARTED, max_bytes=1 << 30, info={})
        first = writer.open()
        submitted = 0
        for n in range(30):
            submitted += 1
            if not writer.submit(response(f"http://127.0.0.1/{n}/", os.urandom(8_000))):
                break
        report = writer.close()
        assert report.failure
        assert report.error is not None
        assert "No space left" in report.failure
        assert report.records + report.failed == submitted
        assert 0 < report.records < submitted
        # what was written stays readable to its end: the failed record was cut off
        records = warcio_records(first)
        assert [kind for kind, *_ in records] == ["warcinfo"] + ["response"] * report.records
        assert first.stat().st_size == report.size


# -- the extension and middleware in a crawler ----------------------------------------------


def archive_crawler(tmp_path: Path, **settings: Any) -> tuple[WebArchive, ArchiveMiddleware]:
    crawler = get_crawler(
        Spider,
        {
            "EXTENSIONS": {"crawler.extensions.archive.WebArchive": 505},
            "ARCHIVE_ENABLED": True,
            "ARCHIVE_DIR": str(tmp_path),
            "ARCHIVE_MAX_BYTES": 1 << 30,
            "ARCHIVE_QUEUE_BYTES": 1 << 20,
            "ARCHIVE_STALL_SECONDS": 5.0,
            **settings,
        },
    )
    middleware = ArchiveMiddleware.from_crawler(crawler)
    return middleware.archive, middleware


def test_a_response_replayed_from_an_archive_is_not_archived_again(tmp_path: Path) -> None:
    archive, middleware = archive_crawler(tmp_path)
    spider = Spider(name="alusbu")
    archive.spider_opened(spider)
    fetched = Request("http://127.0.0.1/1/", meta={"redirect_urls": ["http://127.0.0.1/old/1/"]})
    kept = response("http://127.0.0.1/2/", b"<html>2</html>")
    replayed = Request(kept.url, meta={ARCHIVED_META: kept})
    for request, flags in ((fetched, []), (replayed, ["archived"])):
        answer = HtmlResponse(request.url, body=b"<html>x</html>", request=request, flags=flags)
        assert middleware.process_response(request, answer) is answer
    archive.spider_closed(spider, "finished")
    records = list(read_responses(archive.stats.get_value("archive/path")))
    assert [(r.url, r.requested_url) for r in records] == [("http://127.0.0.1/1/", "http://127.0.0.1/old/1/")]
    assert archive.stats.get_value("archive/records") == 1

    # a run that only replays archives nothing: no file, no path for its run record
    archive, middleware = archive_crawler(tmp_path / "replay")
    archive.spider_opened(spider)
    middleware.process_response(
        replayed, HtmlResponse(kept.url, body=b"x", request=replayed, flags=["archived"])
    )
    archive.spider_closed(spider, "finished")
    assert archive.stats.get_value("archive/path") == ""
    assert not (tmp_path / "replay").exists()


def test_a_process_of_a_distributed_run_has_a_file_of_its_own(tmp_path: Path) -> None:
    import socket

    archive, _ = archive_crawler(tmp_path, DISTRIBUTED_RUN_TOKEN="t0k3n")
    archive.spider_opened(Spider(name="alusbu"))
    path = Path(archive.stats.get_value("archive/path"))
    archive.spider_closed(Spider(name="alusbu"), "finished")
    assert path.parent == tmp_path / "alusbu"
    assert f"-{socket.gethostname()}-{os.getpid()}-00001.warc.gz" in path.name


def test_the_archive_is_off_when_asked(tmp_path: Path) -> None:
    from scrapy.exceptions import NotConfigured

    with pytest.raises(NotConfigured):
        archive_crawler(tmp_path, ARCHIVE_ENABLED=False)


def test_scrapy_extract_of_saved_pages_writes_no_archive(tmp_path: Path) -> None:
    site = build_site(base_url="https://www.elaosboa.com")
    url = site.manifest["articles"][0]["url"]
    page = tmp_path / "page.html"
    page.write_bytes(site.resolve(path_of(url)).body)
    result = scrapy("extract", str(page), "--url", url, "-s", f"ARCHIVE_DIR={tmp_path / 'archive'}")
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip()
    assert not (tmp_path / "archive").exists()


# -- crawls of the mirror ---------------------------------------------------------------------


@pytest.fixture
def mirror() -> Iterator[MirrorServer]:
    """The default mirror, with its feed served gzip-encoded and one article moved (a 301)."""
    with MirrorServer(build_site()) as server:
        yield server


def serve_feed_gzipped_and_move_an_article(server: MirrorServer) -> tuple[bytes, str, str]:
    site = server.site
    feed = site.routes["/rss/1/"]
    article = path_of(site.manifest["articles"][0]["url"])
    moved = "/moved" + article
    site.routes = {
        **site.routes,
        "/rss/1/": Route(200, {**feed.headers, "Content-Encoding": "gzip"}, gzip.compress(feed.body)),
        moved: site.routes[article],
        article: Route(301, {"Location": site.url(moved)}, b""),
    }
    return feed.body, article, moved


def test_a_crawl_archives_every_response_the_mirror_sent(mirror: MirrorServer, tmp_path: Path) -> None:
    feed_body, article, moved = serve_feed_gzipped_and_move_an_article(mirror)
    database = f"sqlite:///{tmp_path / 'news.db'}"
    result, stats = crawl(mirror.base_url, tmp_path / "run", database_url=database)
    assert result.returncode == 0, result.stderr[-2000:]

    files = sorted((tmp_path / "run" / "archive" / "alusbu").iterdir())
    assert len(files) == 1
    assert files[0].name.startswith("alusbu-")
    assert files[0].name.endswith("-00001.warc.gz")
    archived = list(read_responses(files[0]))
    assert len(archived) == stats["archive/records"] == stats["response_received_count"]
    assert "archive/failed" not in stats

    # every answer of the mirror is in the archive, once (redirect hops are not: the page they lead to is)
    answers = settled_answers(mirror, len(archived) + 1)
    assert answers.pop((article, 301)) == 1
    assert Counter((path_of(r.url), r.status) for r in archived) == answers

    site = mirror.site
    for record in archived:
        path = path_of(record.url)
        expected = feed_body if path == "/rss/1/" else site.resolve(path).body
        assert record.body == expected, record.url  # as sent, decoded of its gzip
        assert record.header(b"content-encoding") is None
        assert not record.rendered
    kinds = {path_of(r.url): r.kind for r in archived}
    assert kinds["/robots.txt"] == "robots"
    assert kinds["/rss/1/"] == "feed"
    assert kinds["/sitemap.xml"] == "sitemap"
    assert kinds["/category/military/"] == "listing"
    assert kinds[moved] == "article"
    assert {r.status for r in archived} >= {200, 404}  # error pages are responses too
    (redirected,) = [r for r in archived if path_of(r.url) == moved]
    assert path_of(redirected.requested_url) == article

    # a second tool reads the same records
    assert [
        (url, status, body) for kind, url, status, body in warcio_records(files[0]) if kind == "response"
    ] == [(r.url, r.status, r.body) for r in archived]

    # the run record names the file and its size; scrapy runs shows it
    (run,) = runs(database)
    assert Path(run.archive_path) == files[0]
    assert run.archive_bytes == files[0].stat().st_size == stats["archive/bytes"]
    listing = scrapy("runs", env={"DATABASE_URL": database})
    assert listing.returncode == 0, listing.stderr
    header, row = listing.stdout.splitlines()[:2]
    assert "archive" in header.split()
    assert human_size(run.archive_bytes) in row


def test_a_crawl_past_the_size_limit_goes_on_in_numbered_files(mirror: MirrorServer, tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'news.db'}"
    result, stats = crawl(
        mirror.base_url, tmp_path / "run", database_url=database, settings={"ARCHIVE_MAX_BYTES": "40000"}
    )
    assert result.returncode == 0, result.stderr[-2000:]
    (run,) = runs(database)
    files = archive_files(run.archive_path)
    assert files[0] == Path(run.archive_path)
    assert len(files) == stats["archive/files"] >= 5
    assert sorted((tmp_path / "run" / "archive" / "alusbu").iterdir()) == files
    urls = Counter(r.url for path in files for r in read_responses(path))
    assert sum(urls.values()) == stats["response_received_count"]
    assert urls == Counter(r.url for r in read_responses_of(files))
    assert run.archive_bytes == sum(path.stat().st_size for path in files)
    listing = scrapy("runs", env={"DATABASE_URL": database})
    assert human_size(run.archive_bytes) in listing.stdout.splitlines()[1]


def read_responses_of(files: list[Path]) -> list[ArchivedResponse]:
    """Every response record of the files, read by warcio: each in exactly one file."""
    records = []
    for path in files:
        kinds = [kind for kind, *_ in warcio_records(path)]
        assert kinds[0] == "warcinfo"
        assert kinds.count("warcinfo") == 1
        records += [
            response(url, body) for kind, url, _status, body in warcio_records(path) if kind == "response"
        ]
    return records


def test_with_the_archive_off_nothing_is_written(mirror: MirrorServer, tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'news.db'}"
    result, stats = crawl(
        mirror.base_url, tmp_path / "run", database_url=database, settings={"ARCHIVE_ENABLED": "0"}
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert not (tmp_path / "run" / "archive").exists()
    assert not [key for key in stats if key.startswith("archive/")]
    (run,) = runs(database)
    assert (run.archive_path, run.archive_bytes) == ("", 0)
    listing = scrapy("runs", env={"DATABASE_URL": database})
    assert listing.stdout.splitlines()[1].split()[12] == "-"  # the archive column


def test_a_full_archive_disk_fails_the_run_and_every_article_is_still_stored(
    mirror: MirrorServer, tmp_path: Path
) -> None:
    database = f"sqlite:///{tmp_path / 'news.db'}"
    with tmpfs(tmp_path / "disk", "64k") as disk:
        result, stats = crawl(
            mirror.base_url, tmp_path / "run", database_url=database, settings={"ARCHIVE_DIR": str(disk)}
        )
        assert result.returncode == 3, result.stderr[-2000:]
        assert "the web archive could not be written: the disk holding" in result.stderr
        assert f"{stats['archive/failed']} of {stats['response_received_count']} responses" in result.stderr
        assert stats["archive/records"] + stats["archive/failed"] == stats["response_received_count"]
        assert stats["archive/records"] > 0
        # logged once, not once per response
        log = (tmp_path / "run" / "crawl.log").read_text("utf-8")
        assert log.count("The web archive stopped after") == 1
        # the archive up to the failure is whole
        (path,) = (disk / "alusbu").iterdir()
        assert sum(1 for kind, *_ in warcio_records(path) if kind == "response") == stats["archive/records"]
    # the crawl went on without it
    stored = {record["url"] for record in export(database)}
    assert stored == {article["url"] for article in mirror.site.manifest["articles"]}
    (run,) = runs(database)
    assert run.status == "failed"
    assert "the web archive could not be written" in run.outcome


def test_an_archive_directory_that_cannot_be_written_is_refused_before_the_crawl(tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    archive.mkdir()
    archive.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        with MirrorServer(build_site()) as server:
            result, stats = run_crawl(
                server.base_url,
                tmp_path / "run",
                database_url=f"sqlite:///{tmp_path / 'news.db'}",
                prefix=as_ordinary_user(),
                settings={"ARCHIVE_DIR": str(archive)},
            )
            requests = len(server.log.records())
    finally:
        archive.chmod(stat.S_IRWXU)
    assert result.returncode == 1
    assert "permission denied" in result.stderr
    assert "ARCHIVE_DIR" in result.stderr
    assert "Traceback" not in result.stderr
    assert stats == {}  # the crawl never started
    assert requests == 0


def wait_for_records(path_glob: Path, at_least: int, process: subprocess.Popen[str]) -> Path:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()[1][-2000:]
        files = sorted(path_glob.glob("*.warc.gz"))
        if files and sum(1 for kind, *_ in warcio_records(files[0]) if kind == "response") >= at_least:
            return files[0]
        time.sleep(0.2)
    raise AssertionError("the crawl archived too little in two minutes")


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL], ids=["sigterm", "sigkill"])
def test_a_stopped_or_killed_crawl_leaves_an_archive_readable_to_its_end(
    tmp_path: Path, how: signal.Signals
) -> None:
    database = f"sqlite:///{tmp_path / 'news.db'}"
    with MirrorServer(build_site(n_articles=120), delay=0.4) as server:
        process = start_crawl(server.base_url, tmp_path / "run", database_url=database)
        try:
            path = wait_for_records(tmp_path / "run" / "archive" / "alusbu", 15, process)
            process.send_signal(how)
            process.communicate(timeout=120)
        finally:
            if process.poll() is None:
                process.kill()
                process.communicate()
    records = warcio_records(path)  # raises on a record cut in the middle
    assert records[0][0] == "warcinfo"
    assert len(records) > 15
    assert [r.url for r in read_responses(path)] == [url for kind, url, *_ in records if kind == "response"]
    (run,) = runs(database)
    assert Path(run.archive_path) == path
    if how == signal.SIGTERM:  # closed normally: its size recorded
        assert run.status != "running"
        assert run.archive_bytes == path.stat().st_size
    else:  # killed: scrapy runs reads the size from the files
        listing = scrapy("runs", env={"DATABASE_URL": database})
        assert human_size(path.stat().st_size) in listing.stdout.splitlines()[1]


@pytest.mark.browser
def test_rendered_pages_are_archived_as_the_browser_rendered_them(tmp_path: Path) -> None:
    from scrapy.settings import Settings

    from crawler import settings
    from crawler.rendering import chromium_path

    if chromium_path(Settings({"CHROMIUM_PATH": settings.CHROMIUM_PATH})) is None:
        if os.environ.get("CI"):
            pytest.fail("CI installs Chromium (scripts/setup.sh): it is missing")
        pytest.skip("Chromium is not installed (apt-get install -y chromium)")
    with MirrorServer(build_site(js_section=True)) as server:
        result, stats = crawl(
            server.base_url, tmp_path / "run", database_url=f"sqlite:///{tmp_path / 'n.db'}"
        )
        assert result.returncode == 0, result.stderr[-2000:]
        (path,) = (tmp_path / "run" / "archive" / "alusbu").iterdir()
        archived = list(read_responses(path))
        manifest = {article["url"]: article for article in server.site.manifest["articles"]}
        js_articles = server.site.manifest["js_articles"]
        assert js_articles
        for url in js_articles:
            first_paragraph = manifest[url]["paragraphs"][0].encode()
            served = server.site.resolve(path_of(url)).body
            assert first_paragraph not in served  # the server sends a shell; scripts fill it
            rendered = [r for r in archived if r.url == url and r.rendered]
            assert rendered, url
            assert first_paragraph in rendered[0].body
        # plain pages stay as served
        plain = [r for r in archived if not r.rendered and r.status == 200]
        assert plain
        assert all(r.body == server.site.resolve(path_of(r.url)).body for r in plain)
        assert stats["archive/records"] == stats["response_received_count"]
