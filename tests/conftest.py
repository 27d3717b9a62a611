"""Shared pytest setup: the local mirror of Al-Osboa, service URLs, and the CI rule on skips.

Tests that need a server (PostgreSQL, Redis) read its URL from the
environment (``TEST_POSTGRES_URL``, ``TEST_REDIS_URL``) and skip with a clear
reason when it is not set or not reachable. In CI (``CI`` set) a skip is not
allowed: any skipped test fails the run, so a missing service cannot pass
unnoticed.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from crawler.store import ArticleStore, make_engine

pytest_plugins = ["tests.mirror_plugin"]


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if not os.environ.get("CI"):
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter is not None else []
    if skipped:
        for report in skipped:
            reason = report.longrepr[-1] if isinstance(report.longrepr, tuple) else report.longrepr
            print(f"\nCI: skipped test is a failure: {report.nodeid}: {reason}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


# -- databases -------------------------------------------------------------------------


def postgres_url() -> str:
    """The server for PostgreSQL tests (TEST_POSTGRES_URL), or a skip saying why."""
    import sqlalchemy

    url = os.environ.get("TEST_POSTGRES_URL")
    if not url:
        pytest.skip("TEST_POSTGRES_URL is not set: PostgreSQL tests need a server (.ci/run sets it)")
    try:
        engine = sqlalchemy.create_engine(url)
        with engine.connect():
            pass
        engine.dispose()
    except Exception as error:
        pytest.skip(f"PostgreSQL at TEST_POSTGRES_URL is not reachable: {error}")
    return url


@contextmanager
def postgres_schema() -> Iterator[str]:
    """A URL whose connections live in a fresh schema of the test database, dropped afterwards."""
    import uuid

    import sqlalchemy

    base = postgres_url()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sqlalchemy.create_engine(base)
    with admin.begin() as connection:
        connection.exec_driver_sql(f"CREATE SCHEMA {schema}")
    separator = "&" if "?" in base else "?"
    try:
        yield f"{base}{separator}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()


@pytest.fixture
def postgres_schema_url() -> Iterator[str]:
    with postgres_schema() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Each test using it runs once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'news.db'}"
    else:
        with postgres_schema() as url:
            yield url


@pytest.fixture
def store(database_url: str) -> Iterator[ArticleStore]:
    """An empty store at the migrations' head, on each database."""
    store = ArticleStore(make_engine(database_url)).prepare()
    yield store
    store.engine.dispose()


# -- redis -----------------------------------------------------------------------------


@pytest.fixture
def redis_url() -> Iterator[str]:
    """The Redis server for distributed tests (TEST_REDIS_URL); the crawl keys are cleared around each test."""
    import redis

    url = os.environ.get("TEST_REDIS_URL")
    if not url:
        pytest.skip("TEST_REDIS_URL is not set: distributed tests need a Redis server (.ci/run sets it)")
    client = redis.Redis.from_url(url)
    try:
        client.ping()
    except redis.RedisError as error:
        pytest.skip(f"Redis at TEST_REDIS_URL is not reachable: {error}")

    def clear() -> None:
        for key in client.scan_iter(match="alusbu:*"):
            client.delete(key)

    clear()
    yield url
    clear()
    client.close()
