"""Every command's failures a user can fix: one or two lines, a non-zero exit, no traceback, no stray files.

Each failure is made for real: a PostgreSQL port nobody listens on, a role that does not
exist, a throwaway redis-server that wants a password, a tmpfs mounted read-only or too
small to hold the output, a pipe whose reader stops. ``scrapy crawl`` and ``scrapy runs``
use the same module (crawler/commands/crawl.py, runs.py).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis
import sqlalchemy
from scrapy.spiderloader import SpiderLoader
from scrapy.utils.project import get_project_settings

from crawler.commands.errors import Context, explain, require_writable_directory
from crawler.runs.runlock import run_lock
from crawler.store.db import DatabaseNotFound, require_existing_database
from tests.helpers import PROJECT_ROOT, crawl, scrapy
from tests.mirror_plugin import RunningMirror

PASSWORD = "s3cret-Pa55"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def assert_clear_error(result: subprocess.CompletedProcess[str], *expected: str) -> None:
    """Non-zero, one or two lines on stderr saying what is wrong and what to do, nothing else."""
    assert result.returncode not in (0, None), result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    assert "Exception ignored" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert 1 <= len(lines) <= 2, result.stderr
    for text in expected:
        assert text in result.stderr, (text, result.stderr)
    assert PASSWORD not in result.stderr + result.stdout


# -- real file systems that refuse writes ------------------------------------------------------------


def _mount(path: Path, options: str) -> None:
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root (the CI container runs as root)")
    path.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)], check=True)


@contextmanager
def tmpfs(path: Path, size: str = "4m") -> Iterator[Path]:
    _mount(path, f"size={size},mode=0755")
    try:
        yield path
    finally:
        subprocess.run(["umount", "--lazy", str(path)], check=False)


def remount_read_only(path: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(path)], check=True)


@pytest.fixture
def read_only_dir(tmp_path: Path) -> Iterator[Path]:
    """An empty directory on a file system mounted read-only."""
    with tmpfs(tmp_path / "ro") as path:
        remount_read_only(path)
        yield path


@pytest.fixture
def read_only_database(tmp_path: Path, stored_database: Path) -> Iterator[Path]:
    """A copy of a harvested database, on a file system then mounted read-only."""
    with tmpfs(tmp_path / "ro-db", size="16m") as path:
        shutil.copy(stored_database, path / "news.db")
        remount_read_only(path)
        yield path / "news.db"


@pytest.fixture(scope="module")
def stored_database(mirror_site: RunningMirror, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database with the mirror's articles (enough rows to fill a pipe's buffer)."""
    workdir = tmp_path_factory.mktemp("stored")
    result, stats = crawl(mirror_site.base_url, workdir, database_url=f"sqlite:///{workdir / 'news.db'}")
    assert result.returncode == 0, result.stderr[-2000:]
    assert stats["articles/new"] >= 40
    return workdir / "news.db"


def sqlite_env(path: Path) -> dict[str, str]:
    return {"DATABASE_URL": f"sqlite:///{path}"}


# -- scrapy export -------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", ["/", ""])
def test_export_to_a_directory_is_refused_before_anything_is_written(
    stored_database: Path, tmp_path: Path, suffix: str
) -> None:
    target = tmp_path / "exports"
    target.mkdir()
    result = scrapy("export", "-o", f"{target}{suffix}", env=sqlite_env(stored_database))
    assert_clear_error(result, f"{target} is a directory", "give a file name")
    assert list(tmp_path.iterdir()) == [target]  # no .part copy beside it
    assert list(target.iterdir()) == []


def test_export_to_a_reader_that_stops_is_one_line(stored_database: Path) -> None:
    """``scrapy export -o - | head``: the reader closes the pipe after a few bytes."""
    process = subprocess.Popen(
        [sys.executable, "-m", "scrapy", "export", "-o", "-"],
        cwd=PROJECT_ROOT,
        env={**os.environ, **sqlite_env(stored_database)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    assert process.stderr is not None
    assert process.stdout.read(100)
    process.stdout.close()
    stderr = process.stderr.read()
    returncode = process.wait(timeout=120)
    assert_clear_error(subprocess.CompletedProcess([], returncode, "", stderr), "broken pipe")


@pytest.mark.parametrize("where", ["missing.db", "no-such-dir/news.db"])
def test_export_refuses_a_database_that_does_not_exist(tmp_path: Path, where: str) -> None:
    path = tmp_path / where
    output = tmp_path / "out.csv"
    result = scrapy("export", "-o", str(output), env=sqlite_env(path))
    assert_clear_error(result, f"no database at {path}", "scrapy crawl")
    assert not path.exists()
    assert not path.parent.exists() or path.parent == tmp_path
    assert not output.exists()
    assert [p.name for p in tmp_path.iterdir()] == []


def test_export_refuses_an_in_memory_database(tmp_path: Path) -> None:
    result = scrapy("export", "-o", str(tmp_path / "out.csv"), env={"DATABASE_URL": "sqlite://"})
    assert_clear_error(result, "in-memory database")


def test_export_refuses_an_empty_postgresql_schema(postgres_schema_url: str, tmp_path: Path) -> None:
    result = scrapy("export", "-o", str(tmp_path / "out.csv"), env={"DATABASE_URL": postgres_schema_url})
    assert_clear_error(result, "no harvester tables", "scrapy crawl")
    engine = sqlalchemy.create_engine(postgres_schema_url)
    with engine.connect() as connection:
        assert sqlalchemy.inspect(connection).get_table_names() == []  # nothing created
    engine.dispose()


def postgres_urls() -> dict[str, tuple[str, tuple[str, ...]]]:
    """Broken DATABASE_URLs (each with a password that must never be printed) and what to expect."""
    port = free_port()
    return {
        "wrong port": (
            f"postgresql+psycopg://postgres:{PASSWORD}@127.0.0.1:{port}/test",
            (f"cannot reach PostgreSQL at 127.0.0.1:{port} (connection refused)", "DATABASE_URL"),
        ),
        "wrong user": (
            f"postgresql+psycopg://nobody:{PASSWORD}@127.0.0.1:5432/test",
            ("PostgreSQL at 127.0.0.1:5432 refused the login of user 'nobody'", "user and password"),
        ),
        "no such database": (
            f"postgresql+psycopg://postgres:{PASSWORD}@127.0.0.1:5432/no_such_db",
            ("has no database 'no_such_db'", "createdb"),
        ),
    }


POSTGRES_CASES = postgres_urls()


@pytest.mark.parametrize("case", POSTGRES_CASES)
def test_export_from_a_database_server_that_fails(case: str, tmp_path: Path) -> None:
    url, expected = POSTGRES_CASES[case]
    result = scrapy("export", "-o", str(tmp_path / "out.csv"), env={"DATABASE_URL": url})
    assert_clear_error(result, *expected)
    assert list(tmp_path.iterdir()) == []


def test_export_to_a_read_only_file_system(stored_database: Path, read_only_dir: Path) -> None:
    output = read_only_dir / "articles.csv"
    result = scrapy("export", "-o", str(output), env=sqlite_env(stored_database))
    assert_clear_error(result, "read-only", str(read_only_dir))
    assert list(read_only_dir.iterdir()) == []


def test_export_to_a_full_disk_leaves_no_part_file(stored_database: Path, tmp_path: Path) -> None:
    with tmpfs(tmp_path / "small", size="64k") as small:
        result = scrapy("export", "-o", str(small / "articles.csv"), env=sqlite_env(stored_database))
        assert_clear_error(result, "no space left")
        assert list(small.iterdir()) == []


def test_export_from_a_database_on_a_read_only_file_system(read_only_database: Path, tmp_path: Path) -> None:
    result = scrapy("export", "-o", str(tmp_path / "out.csv"), env=sqlite_env(read_only_database))
    assert_clear_error(result, f"cannot open {read_only_database}", "read-only")
    assert list(tmp_path.iterdir()) == [read_only_database.parent]


def test_the_traceback_is_kept_in_the_log_at_debug_level(stored_database: Path, tmp_path: Path) -> None:
    log = tmp_path / "export.log"
    result = scrapy(
        "export",
        "-o",
        f"{tmp_path}/",
        "-s",
        f"LOG_FILE={log}",
        "-s",
        "LOG_LEVEL=DEBUG",
        env=sqlite_env(stored_database),
    )
    assert_clear_error(result, "is a directory")
    text = log.read_text("utf-8")
    assert "Traceback" in text
    assert "IsADirectoryError" in text


# -- scrapy runs ---------------------------------------------------------------------------------


def test_runs_refuses_a_database_that_does_not_exist(tmp_path: Path) -> None:
    path = tmp_path / "mistyped.db"
    result = scrapy("runs", env=sqlite_env(path))
    assert_clear_error(result, f"no database at {path}")
    assert not path.exists()


def test_runs_from_a_database_server_that_fails() -> None:
    url, expected = POSTGRES_CASES["wrong port"]
    assert_clear_error(scrapy("runs", env={"DATABASE_URL": url}), *expected)


# -- scrapy crawl --------------------------------------------------------------------------------


def crawl_args(workdir: Path, spider: str = "alusbu", *settings: str) -> list[str]:
    """A crawl of a site nobody serves: every failure here happens before the first request."""
    workdir.mkdir(parents=True, exist_ok=True)
    options = [f"LOG_FILE={workdir / 'crawl.log'}", f"FEED_DIR={workdir / 'feeds'}", *settings]
    return [
        "crawl",
        spider,
        "-a",
        f"base_url=http://127.0.0.1:{free_port()}",
        *[part for option in options for part in ("-s", option)],
    ]


def test_crawl_of_an_unknown_spider(tmp_path: Path) -> None:
    result = scrapy("crawl", "no_such_site", "-s", f"LOG_FILE={tmp_path / 'crawl.log'}")
    assert_clear_error(result, "no spider named 'no_such_site'", "scrapy list")


@pytest.mark.parametrize("case", ["wrong port", "wrong user"])
def test_crawl_with_a_database_server_that_fails(case: str, tmp_path: Path) -> None:
    url, expected = POSTGRES_CASES[case]
    result = scrapy(*crawl_args(tmp_path), env={"DATABASE_URL": url})
    assert_clear_error(result, *expected)


def test_crawl_with_the_database_on_a_read_only_file_system(read_only_dir: Path, tmp_path: Path) -> None:
    result = scrapy(*crawl_args(tmp_path / "run"), env=sqlite_env(read_only_dir / "news.db"))
    assert_clear_error(result, "read-only", str(read_only_dir))


def test_crawl_with_the_feed_directory_on_a_read_only_file_system(
    read_only_dir: Path, tmp_path: Path
) -> None:
    database = tmp_path / "news.db"
    args = crawl_args(tmp_path / "run", "alusbu", f"FEED_DIR={read_only_dir / 'feeds'}")
    result = scrapy(*args, env=sqlite_env(database))
    assert_clear_error(result, "read-only", str(read_only_dir))


@pytest.fixture(scope="module")
def redis_with_password() -> Iterator[str]:
    """A throwaway redis-server of our own, on a free port, that wants the password "x"."""
    port = free_port()
    server = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--requirepass",
            "x",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    client = redis.Redis(port=port, password="x")
    deadline = time.monotonic() + 30  # as devsite/redis_server.py waits, on a loaded machine
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            if time.monotonic() > deadline:
                server.terminate()
                pytest.fail("the password-protected redis-server never answered")
            time.sleep(0.05)
    client.close()
    yield f"127.0.0.1:{port}"
    server.terminate()
    server.wait(timeout=10)


def redis_cases(server: str) -> dict[str, tuple[str, tuple[str, ...]]]:
    port = free_port()
    return {
        "not running": (
            f"redis://:{PASSWORD}@127.0.0.1:{port}/0",
            (f"cannot reach Redis at 127.0.0.1:{port} (Connection refused)", "REDIS_URL"),
        ),
        "no password given": (f"redis://{server}/0", (f"Redis at {server} requires a password", "REDIS_URL")),
        "wrong password": (
            f"redis://:{PASSWORD}@{server}/0",
            (f"Redis at {server} refused the login", "REDIS_URL"),
        ),
    }


@pytest.mark.parametrize("case", ["not running", "no password given", "wrong password"])
def test_crawl_with_a_redis_that_fails(case: str, redis_with_password: str, tmp_path: Path) -> None:
    url, expected = redis_cases(redis_with_password)[case]
    result = scrapy(*crawl_args(tmp_path), env={"REDIS_URL": url, **sqlite_env(tmp_path / "news.db")})
    assert_clear_error(result, *expected)


# -- the explanations themselves, on real errors ----------------------------------------------------------


def raised(action: object) -> BaseException:
    try:
        action()  # type: ignore[operator]
    except BaseException as error:
        return error
    raise AssertionError("no error raised")


@pytest.mark.parametrize("case", ["not running", "no password given", "wrong password"])
def test_redis_errors_are_explained(case: str, redis_with_password: str) -> None:
    url, expected = redis_cases(redis_with_password)[case]
    problem = explain(raised(lambda: redis.Redis.from_url(url).ping()), Context(redis=url))
    assert problem is not None
    text = problem.text("crawl")
    for part in expected:
        assert part in text
    assert PASSWORD not in text


def test_a_user_and_password_on_a_redis_without_any() -> None:
    """A server with no password accepts any password for its default user (Redis 6+); a named
    user it does not know is a refused login."""
    server = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15").split("://", 1)[1]
    url = f"redis://someone:{PASSWORD}@{server}"
    problem = explain(raised(lambda: redis.Redis.from_url(url).ping()), Context(redis=url))
    assert problem is not None
    assert "refused the login" in problem.what
    assert PASSWORD not in problem.text("crawl")


@pytest.mark.parametrize("case", POSTGRES_CASES)
def test_database_errors_are_explained(case: str) -> None:
    url, expected = POSTGRES_CASES[case]
    error = raised(lambda: sqlalchemy.create_engine(url).connect())
    problem = explain(error, Context(database=url))
    assert problem is not None
    for part in expected:
        assert part in problem.text("export")
    assert PASSWORD not in problem.text("export")


def test_sqlite_errors_are_explained(tmp_path: Path) -> None:
    missing_dir = tmp_path / "nowhere" / "news.db"
    url = f"sqlite:///{missing_dir}"
    problem = explain(raised(lambda: sqlalchemy.create_engine(url).connect()), Context(database=url))
    assert problem is not None
    assert f"the directory {missing_dir.parent} does not exist" in problem.what
    garbage = tmp_path / "notes.db"
    garbage.write_text("not a database, just notes " * 100)
    url = f"sqlite:///{garbage}"

    def read() -> None:
        with sqlalchemy.create_engine(url).connect() as connection:
            connection.exec_driver_sql("SELECT * FROM sqlite_master").all()

    problem = explain(raised(read), Context(database=url))
    assert problem is not None
    assert f"{garbage} is not a SQLite database" in problem.what


def test_an_unknown_spider_is_explained() -> None:
    loader = SpiderLoader.from_settings(get_project_settings())
    problem = explain(raised(lambda: loader.load("no_such_site")))
    assert problem is not None
    assert problem.what == "no spider named 'no_such_site'"
    assert "scrapy list" in problem.fix


def test_a_bug_is_not_explained() -> None:
    assert explain(ValueError("something the code got wrong")) is None
    assert explain(KeyError("title")) is None


def test_require_existing_database(tmp_path: Path, stored_database: Path) -> None:
    require_existing_database(f"sqlite:///{stored_database}")
    for url in (f"sqlite:///{tmp_path / 'typo.db'}", "sqlite://", "sqlite:///:memory:"):
        with pytest.raises(DatabaseNotFound):
            require_existing_database(url)
    assert list(tmp_path.iterdir()) == []


def test_require_writable_directory(read_only_dir: Path, tmp_path: Path) -> None:
    assert require_writable_directory(tmp_path / "feeds") == tmp_path / "feeds"
    assert list((tmp_path / "feeds").iterdir()) == []  # the probe leaves nothing
    with pytest.raises(OSError, match="Read-only file system"):
        require_writable_directory(read_only_dir / "feeds")


# -- the run lock leaves no file in the working directory ------------------------------------------


def test_an_in_memory_database_takes_no_lock_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for url in ("sqlite://", "sqlite:///:memory:"):
        lock = run_lock("alusbu", url)
        assert lock.acquire()
        lock.release()
    assert list(tmp_path.iterdir()) == []


def test_the_sqlite_run_lock_lives_beside_its_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "work").mkdir()
    monkeypatch.chdir(tmp_path / "work")
    lock = run_lock("alusbu", f"sqlite:///{tmp_path / 'data' / 'news.db'}")
    assert lock.acquire()
    assert not run_lock("alusbu", f"sqlite:///{tmp_path / 'data' / 'news.db'}").acquire()  # one run at a time
    lock.release()
    assert list((tmp_path / "work").iterdir()) == []
    assert [p.name for p in (tmp_path / "data").iterdir()] == ["news.db.alusbu.lock"]
