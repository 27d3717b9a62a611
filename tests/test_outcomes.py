"""How a run ends: every failure to store or export fails it, in one clear line; success is quiet.

The faults are real: a database on a tmpfs that fills up, a database file the crawl may not
write (tests/filesystems.py), a PostgreSQL session that is read-only, a feed directory on a
full disk or without write permission. Each run must exit non-zero, fail a monitor, record
``failed`` with the reason in ``crawl_runs`` where the database can still take it, and print
one line that says what happened and what to do. The articles a failed run could not store
or export reach the store and a feed with the next run.
"""

from __future__ import annotations

import csv
import os
import stat
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from crawler.store import ArticleStore, make_engine
from crawler.store.models import CrawlRunRow
from devsite.mirror.server import MirrorServer
from devsite.mirror.site import build_site
from tests.conftest import postgres_schema
from tests.filesystems import as_ordinary_user, fill, resize, run_crawl, tmpfs
from tests.helpers import crawl, export, scrapy
from tests.test_cron import runs

pytestmark = pytest.mark.slow


def feed_urls(feed_dir: Path) -> list[str]:
    """URLs of every run feed file (latest.csv is a copy of the last one)."""
    urls: list[str] = []
    for path in sorted(feed_dir.glob("*.csv")):
        if path.name == "latest.csv":
            continue
        with path.open(encoding="utf-8-sig", newline="") as stream:
            urls += [row["url"] for row in csv.DictReader(stream)]
    return urls


def problem_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.strip()]


def create_schema(database: str) -> None:
    """The store's tables, as the first crawl would make them."""
    store = ArticleStore(make_engine(database)).prepare()
    store.engine.dispose()


def only_run(database: str) -> CrawlRunRow:
    [run] = runs(database)
    return run


# -- the store refuses articles ----------------------------------------------------------------


def test_a_disk_that_fills_up_fails_the_run_and_the_next_run_stores_the_rest(tmp_path: Path) -> None:
    disk = tmp_path / "disk"
    with MirrorServer(build_site(n_articles=120)) as mirror, tmpfs(disk, "8m"):
        database = f"sqlite:///{disk / 'news.db'}"
        # the schema first, then fill the disk until a few articles fit
        create_schema(database)
        ballast = fill(disk, leave=700_000)
        result, stats = run_crawl(mirror.base_url, tmp_path / "full", database_url=database)

        assert result.returncode != 0
        assert stats.get("articles/new", 0) > 0
        assert stats["store/failed"] > 0
        lines = problem_lines(result.stderr)
        [line] = [line for line in lines if "could not be stored" in line]
        assert line.startswith("alusbu: ")
        assert f"{stats['store/failed']} of " in line
        assert "database or disk is full" in line
        assert str(disk / "news.db") in line
        assert "free space and run again" in line
        assert "Traceback" not in result.stderr
        assert "storage/every article stored" in stats["monitors/failed"]
        run = only_run(database)
        assert run.status == "failed"
        assert "could not be stored" in run.outcome
        listing = scrapy("runs", env={"DATABASE_URL": database})
        assert listing.returncode == 0
        assert "failed" in listing.stdout.splitlines()[1]
        assert "could not be stored" in listing.stdout

        # space again: the next run stores everything the full disk refused
        ballast.unlink()
        resize(disk, "64m")
        result, stats = run_crawl(mirror.base_url, tmp_path / "after", database_url=database)
        assert result.returncode == 0, result.stderr
        stored = export(database)
        articles = mirror.site.manifest["articles"]
        expected = {a["url"] for a in articles} | {u for a in articles for u in a["duplicate_urls"]}
        assert {r["url"] for r in stored} | {u for r in stored for u in r["duplicate_urls"]} == expected
        # and the feeds of the two runs hold every stored article
        fed = feed_urls(tmp_path / "full" / "feeds" / "alusbu") + feed_urls(
            tmp_path / "after" / "feeds" / "alusbu"
        )
        assert {r["url"] for r in stored} <= set(fed)


@pytest.mark.postgres
def test_a_postgresql_tablespace_that_fills_up_fails_the_run(tmp_path: Path) -> None:
    """The schema's tables in a tablespace on a small tmpfs: PostgreSQL answers 53100 (disk full)."""
    import pwd
    import uuid

    from sqlalchemy import create_engine

    from tests.conftest import postgres_url

    name = f"outcomes_{uuid.uuid4().hex[:10]}"
    server = pwd.getpwnam("postgres")
    admin = create_engine(postgres_url(), isolation_level="AUTOCOMMIT")
    # outside tmp_path: the server's own user must reach the directory
    with MirrorServer(build_site(n_articles=120)) as mirror, tmpfs(Path("/tmp") / name, "24m") as disk:
        os.chown(disk, server.pw_uid, server.pw_gid)
        disk.chmod(stat.S_IRWXU)
        with admin.connect() as connection:
            connection.exec_driver_sql(f"CREATE TABLESPACE {name} LOCATION '{disk}'")
        try:
            with postgres_schema() as schema_url:
                database = f"{schema_url}%20-cdefault_tablespace%3D{name}"
                create_schema(database)
                ballast = fill(disk, leave=1_000_000)
                result, stats = run_crawl(mirror.base_url, tmp_path / "full", database_url=database)
                assert result.returncode != 0
                assert stats.get("store/failed/disk_full", 0) > 0, stats.get("store/failed_detail")
                [line] = [line for line in problem_lines(result.stderr) if "could not be stored" in line]
                assert "database or disk is full (postgresql+psycopg://postgres@" in line
                assert "Traceback" not in result.stderr

                ballast.unlink()
                result, _ = run_crawl(mirror.base_url, tmp_path / "after", database_url=database)
                assert result.returncode == 0, result.stderr
                statuses = [run.status for run in runs(database)]
                stored = export(database)
                articles = mirror.site.manifest["articles"]
        finally:
            with admin.connect() as connection:
                connection.exec_driver_sql(f"DROP TABLESPACE IF EXISTS {name}")
            admin.dispose()
    assert statuses[-1] == "finished"
    # the run record's row had room left in its page: it says failed
    assert statuses == ["failed", "finished"]
    expected = {a["url"] for a in articles} | {u for a in articles for u in a["duplicate_urls"]}
    assert {r["url"] for r in stored} | {u for r in stored for u in r["duplicate_urls"]} == expected


def test_a_read_only_database_file_fails_the_run_at_once(tmp_path: Path) -> None:
    with MirrorServer(build_site()) as mirror:
        database = f"sqlite:///{tmp_path / 'db' / 'news.db'}"
        assert crawl(mirror.base_url, tmp_path / "first", database_url=database)[0].returncode == 0
        (tmp_path / "db" / "news.db").chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
        mirror.log.clear()
        result, stats = run_crawl(
            mirror.base_url,
            tmp_path / "refresh",
            database_url=database,
            prefix=as_ordinary_user(),
            args={"refresh": "1"},
        )
        fetched_articles = sum(
            mirror.hits(urlsplit(a["url"]).path, "GET") for a in mirror.site.manifest["articles"]
        )
    assert result.returncode != 0
    lines = problem_lines(result.stderr)
    [line] = [line for line in lines if "read-only" in line]
    assert line.startswith("alusbu: ")
    assert str(tmp_path / "db" / "news.db") in line
    assert "Traceback" not in result.stderr
    # the crawl stopped before fetching article pages it could not store
    assert stats.get("pages/extracted", 0) == 0
    assert fetched_articles == 0


def test_a_read_only_postgresql_session_fails_the_run(tmp_path: Path) -> None:
    with MirrorServer(build_site()) as mirror, postgres_schema() as database:
        assert crawl(mirror.base_url, tmp_path / "first", database_url=database)[0].returncode == 0
        read_only = database + "%20-cdefault_transaction_read_only%3Don"
        result, stats = crawl(
            mirror.base_url, tmp_path / "refresh", database_url=read_only, args={"refresh": "1"}
        )
    assert result.returncode != 0
    [line] = [line for line in problem_lines(result.stderr) if "read-only" in line]
    assert line.startswith("alusbu: ")
    assert "Traceback" not in result.stderr
    assert stats.get("pages/extracted", 0) == 0


# -- the feed cannot be written ----------------------------------------------------------------


def test_a_feed_disk_that_fills_up_fails_the_run_and_the_next_feed_has_its_rows(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'news.db'}"
    feeds = tmp_path / "feeds"
    with MirrorServer(build_site()) as mirror:
        with tmpfs(feeds, "256k"):
            fill(feeds, leave=0)
            result, stats = run_crawl(
                mirror.base_url, tmp_path / "one", database_url=database, settings={"FEED_DIR": str(feeds)}
            )
            leftovers = [p for p in feeds.rglob("*") if p.name != "ballast" and p.is_file()]
        assert stats["articles/new"] > 0
        assert result.returncode != 0
        [line] = [line for line in problem_lines(result.stderr) if "run feed" in line]
        assert line.startswith("alusbu: the run feed could not be written: ")
        assert f"the disk holding {feeds / 'alusbu'} is full" in line
        assert "Traceback" not in result.stderr
        assert leftovers == []  # no half-written .part file
        assert "storage/run feed written" in stats["monitors/failed"]
        assert only_run(database).status == "failed"

        # the next run's feed carries what the failed feed could not
        added = mirror.site.add_articles(2)
        result, _ = crawl(mirror.base_url, tmp_path / "two", database_url=database)
        assert result.returncode == 0, result.stderr
    fed = feed_urls(tmp_path / "two" / "feeds" / "alusbu")
    stored = {r["url"] for r in export(database)}
    assert set(fed) == stored
    assert {a["url"] for a in added} <= stored


def test_a_feed_directory_that_cannot_be_written_is_refused_before_the_crawl(tmp_path: Path) -> None:
    """The feed is written at the end: a directory that cannot take it is said before any work."""
    feeds = tmp_path / "feeds"
    feeds.mkdir()
    feeds.chmod(stat.S_IRUSR | stat.S_IXUSR | stat.S_IRGRP | stat.S_IXGRP)
    with MirrorServer(build_site()) as mirror:
        result, stats = run_crawl(
            mirror.base_url,
            tmp_path / "one",
            database_url=f"sqlite:///{tmp_path / 'news.db'}",
            prefix=as_ordinary_user(),
            settings={"FEED_DIR": str(feeds)},
        )
        requests = len(mirror.log.records())
    feeds.chmod(stat.S_IRWXU)
    assert result.returncode == 1
    lines = problem_lines(result.stderr)
    assert 1 <= len(lines) <= 2
    assert "permission denied" in lines[0]
    assert str(feeds) in result.stderr
    assert "Traceback" not in result.stderr
    assert stats == {}  # the crawl never started
    assert requests == 0


def test_feed_files_follow_the_umask_or_the_mode_setting(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'news.db'}"
    with MirrorServer(build_site()) as mirror:
        old = os.umask(0o022)
        try:
            assert crawl(mirror.base_url, tmp_path / "umask", database_url=database)[0].returncode == 0
            mirror.site.add_articles(1)
            assert (
                crawl(
                    mirror.base_url,
                    tmp_path / "mode",
                    database_url=database,
                    settings={"FEED_FILE_MODE": "0640"},
                )[0].returncode
                == 0
            )
        finally:
            os.umask(old)
    for path in (tmp_path / "umask" / "feeds" / "alusbu").iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o644, path
    for path in (tmp_path / "mode" / "feeds" / "alusbu").iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o640, path


# -- the end of a run: quiet under cron, progress and a summary in a terminal ------------------


def test_a_successful_run_under_cron_prints_nothing_and_its_log_file_has_everything(tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    with MirrorServer(build_site()) as mirror:
        result, stats = run_crawl(
            mirror.base_url,
            tmp_path / "cron",
            database_url=f"sqlite:///{tmp_path / 'news.db'}",
            settings={"LOG_FILE": "", "LOG_DIR": str(logs)},  # as a plain `scrapy crawl alusbu` from cron
        )
    assert result.returncode == 0
    assert (result.stdout, result.stderr) == ("", "")
    [log] = logs.glob("alusbu-*.log")
    text = log.read_text("utf-8")
    assert "Spider closed (finished)" in text
    assert stats["run/summary"] in text
    assert stats["run/summary"].startswith(f"alusbu: {stats['articles/new']} new, 0 updated")
    assert f"feed {stats['feed/path']} ({stats['articles/new']} rows)" in stats["run/summary"]


def run_in_terminal(command: list[str], env: dict[str, str]) -> tuple[int, str]:
    """Run ``command`` with stderr on a pseudo-terminal; its exit status and what the terminal got."""
    import pty
    import subprocess
    import sys

    from tests.helpers import PROJECT_ROOT

    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "scrapy", *command],
        cwd=PROJECT_ROOT,
        env={**os.environ, **env},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=follower,
    )
    os.close(follower)
    received = bytearray()
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal is gone: every writer has exited
            break
        if not chunk:
            break
        received += chunk
    os.close(leader)
    return process.wait(60), received.decode("utf-8", "replace")


def test_in_a_terminal_a_progress_line_then_the_summary(tmp_path: Path) -> None:
    from tests.helpers import crawl_command

    with MirrorServer(build_site()) as mirror:
        command = crawl_command(
            mirror.base_url,
            tmp_path / "tty",
            "alusbu",
            None,
            {"LOG_FILE": "", "LOG_DIR": str(tmp_path / "logs"), "PROGRESS_INTERVAL": "0.2"},
        )
        status, screen = run_in_terminal(command, {"DATABASE_URL": f"sqlite:///{tmp_path / 'news.db'}"})
    assert status == 0
    assert "\r\x1b[Kalusbu: " in screen  # the progress line, drawn in place
    assert " pages, " in screen
    assert "pages/s" in screen
    assert "INFO" not in screen  # the log is in its file
    # what the terminal shows last: the progress line wiped, the summary in its place
    last = screen.replace("\r\n", "\n").rstrip("\n").split("\n")[-1].split("\r\x1b[K")[-1]
    assert last.startswith("alusbu: 48 new, 0 updated")
    assert "feed " in last


# -- a run that stored nothing says why ---------------------------------------------------------

UNAVAILABLE_PAGE = """<!DOCTYPE html>
<html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>الخدمة غير متاحة مؤقتاً | الأسبوع</title>
<link rel="stylesheet" href="/wp-content/themes/alosboa/style.css"></head>
<body class="error503"><header class="site-header"><a class="logo" href="/">الأسبوع</a></header>
<main class="container"><h1>الموقع تحت الصيانة</h1>
<p>نعمل حالياً على تحديث الموقع، يرجى المحاولة بعد قليل.</p></main>
<footer class="site-footer">جميع الحقوق محفوظة © الأسبوع</footer></body></html>
"""


def nothing_stored(tmp_path: Path, base_url: str) -> tuple[int, str, dict[str, object]]:
    result, stats = run_crawl(
        base_url,
        tmp_path / "run",
        database_url=f"sqlite:///{tmp_path / 'news.db'}",
        settings={"RETRY_TIMES": "0", "DOWNLOAD_TIMEOUT": "5"},
    )
    return result.returncode, result.stderr, stats


def assert_says(returncode: int, stderr: str, stats: dict[str, object], why: str) -> None:
    assert stats.get("articles/new", 0) == 0
    summary = str(stats["run/summary"])
    assert summary.startswith("alusbu: nothing stored: "), summary
    assert why in summary, summary
    assert returncode != 0  # nothing could be fetched: the run failed, and says why
    assert summary in stderr
    assert "Traceback" not in stderr


def test_a_site_that_refuses_connections(tmp_path: Path) -> None:
    import socket

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    returncode, stderr, stats = nothing_stored(tmp_path, f"http://127.0.0.1:{port}")
    assert_says(
        returncode, stderr, stats, "127.0.0.1 refused the connection: is the site up? check -a base_url"
    )


def test_a_site_that_answers_503_everywhere(tmp_path: Path) -> None:
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    from threading import Thread

    class Unavailable(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = UNAVAILABLE_PAGE.encode()
            self.send_response(503)
            self.send_header("Content-Type", "text/html; charset=UTF-8")
            self.send_header("Retry-After", "3600")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Unavailable)
    Thread(target=server.serve_forever, daemon=True).start()
    try:
        returncode, stderr, stats = nothing_stored(tmp_path, f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
        server.server_close()
    assert_says(returncode, stderr, stats, "every page failed: HTTP 503")
    assert "failed requests/share within the limit" in stats["monitors/failed"]  # type: ignore[operator]
    assert "failed requests/share within the limit (" in stderr  # the monitor says what is wrong


def test_a_robots_txt_that_disallows_everything(tmp_path: Path) -> None:
    from dataclasses import replace

    with MirrorServer(build_site()) as mirror:
        robots = mirror.site.routes["/robots.txt"]
        mirror.site.routes["/robots.txt"] = replace(robots, body=b"User-agent: *\nDisallow: /\n")
        returncode, stderr, stats = nothing_stored(tmp_path, mirror.base_url)
    # the listings, and the articles the feed names, are all refused by robots.txt
    assert_says(returncode, stderr, stats, "robots.txt disallows the article pages of 127.0.0.1")


@pytest.mark.parametrize(
    ("stats", "why"),
    [
        (
            {"downloader/exception_type_count/scrapy.exceptions.CannotResolveHostError": 9},
            "www.elaosboa.com could not be resolved: check the network or -a base_url",
        ),
        (
            {"downloader/exception_type_count/twisted.internet.error.TimeoutError": 3},
            "www.elaosboa.com did not answer within DOWNLOAD_TIMEOUT",
        ),
        (
            {
                "robotstxt/forbidden": 3,
                "downloader/response_status_count/200": 1,
                "robotstxt/response_status_count/200": 1,
            },
            "robots.txt disallows every listing page of www.elaosboa.com",
        ),
        (
            {"downloader/response_status_count/200": 12, "incremental/known": 40},
            "nothing new: every article the site lists is stored already",
        ),
        (
            {"downloader/response_status_count/200": 12, "listing/pages": 6},
            "named no article: has the site's template changed?",
        ),
    ],
)
def test_why_nothing_was_stored_is_read_from_the_stats(stats: dict[str, object], why: str) -> None:
    from crawler.runs.outcome import why_nothing_stored

    assert why in why_nothing_stored({"run/host": "www.elaosboa.com", **stats})
