"""Security limits: what a crawl may request, bounds, and secrets kept out of every output."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlsplit

import pytest
import redis
from scrapy import Request
from scrapy.exceptions import IgnoreRequest

from crawler import settings as project_settings
from crawler.middlewares.guard import RequestGuard, blocked_reason, internal_address
from tests.helpers import crawl, scrapy
from tests.mirror_plugin import RunningMirror
from tests.test_cron import runs

SITE = {"www.elaosboa.com", "elaosboa.com"}


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.9",
        "192.168.1.1",
        "169.254.169.254",
        "[::1]",
        "0.0.0.0",
        "localhost",
        "db.localhost",
    ],
)
def test_internal_addresses(host: str) -> None:
    assert internal_address(host)


@pytest.mark.parametrize("host", ["www.elaosboa.com", "8.8.8.8", "[2001:4860::8888]"])
def test_public_addresses(host: str) -> None:
    assert not internal_address(host)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://www.elaosboa.com/675830/", None),
        ("https://cdn.elaosboa.com/x.jpg", None),
        ("https://www.youm7.com/story/1", "other_host"),
        ("http://169.254.169.254/latest/meta-data/", "internal_address"),
        ("http://10.0.0.5/admin", "internal_address"),
        ("http://localhost:8080/", "internal_address"),
        ("ftp://www.elaosboa.com/file", "scheme"),
        ("file:///etc/passwd", "scheme"),
        ("javascript:alert(1)", "scheme"),
        ("mailto:news@elaosboa.com", "scheme"),
    ],
)
def test_what_a_site_crawl_may_request(url: str, reason: str | None) -> None:
    assert blocked_reason(url, SITE, internal_allowed=False) == reason


def guard_for(allowed: list[str], **spider: Any) -> RequestGuard:
    crawler = SimpleNamespace(stats=None, spider=SimpleNamespace(allowed_domains=allowed, **spider))
    return RequestGuard(crawler)  # type: ignore[arg-type]


def test_the_guard_drops_requests_to_the_servers_network() -> None:
    guard = guard_for(["www.elaosboa.com"])
    guard.process_request(Request("https://www.elaosboa.com/1/"))
    for url in (
        "http://169.254.169.254/",
        "http://127.0.0.1:6379/",
        "https://evil.example/",
        "ftp://www.elaosboa.com/",
    ):
        with pytest.raises(IgnoreRequest):
            guard.process_request(Request(url))


def test_a_mirror_on_loopback_may_be_crawled() -> None:
    """Tests and demos serve the site on 127.0.0.1: the base URL's own host is allowed."""
    guard = guard_for(["127.0.0.1"])
    guard.process_request(Request("http://127.0.0.1:8000/123/"))
    with pytest.raises(IgnoreRequest):
        guard.process_request(Request("http://evil.example/"))


def test_bounds_and_politeness_are_on_by_default() -> None:
    assert project_settings.ROBOTSTXT_OBEY is True
    assert project_settings.DOWNLOAD_MAXSIZE <= 10 * 1024 * 1024
    assert project_settings.DOWNLOAD_TIMEOUT <= 60
    assert project_settings.REDIRECT_MAX_TIMES <= 5
    assert project_settings.RETRY_TIMES <= 3
    assert project_settings.REMOTE_CONTROL_ENABLED is False
    assert project_settings.TELNETCONSOLE_ENABLED is False
    assert project_settings.DOWNLOADER_MIDDLEWARES["crawler.middlewares.guard.RequestGuard"] < 100


def test_robots_txt_disallowed_pages_are_not_fetched(mirror_site: RunningMirror, tmp_path: Path) -> None:
    mirror_site.server.log.clear()
    result, _ = crawl(mirror_site.base_url, tmp_path / "run", args={"discover": "sitemaps,listings"})
    assert result.returncode == 0
    assert mirror_site.server.hits("/robots.txt", "GET") == 1
    private = [urlsplit(url).path for url in mirror_site.manifest["non_article_urls"] if "/private/" in url]
    assert private
    assert all(mirror_site.server.hits(path, "GET") == 0 for path in private)


# -- secrets -------------------------------------------------------------------------------

PASSWORD = "s3cret-Pa55"


@pytest.fixture
def redis_with_password(redis_url: str) -> Any:
    """A Redis user with a password (ACL), for a REDIS_URL that carries one."""
    client = redis.Redis.from_url(redis_url)
    client.acl_setuser(
        "harvester", enabled=True, passwords=[f"+{PASSWORD}"], keys=["*"], channels=["*"], commands=["+@all"]
    )
    base = redis_url.split("://", 1)[1]
    yield f"redis://harvester:{PASSWORD}@{base}"
    client.acl_deluser("harvester")
    client.close()


def test_passwords_in_database_and_redis_urls_never_appear(
    mirror_site: RunningMirror, tmp_path: Path, postgres_schema_url: str, redis_with_password: str
) -> None:
    database = postgres_schema_url.replace("://postgres@", f"://postgres:{PASSWORD}@")
    workdir = tmp_path / "run"
    result, stats = crawl(
        mirror_site.base_url,
        workdir,
        database_url=database,
        env={"REDIS_URL": redis_with_password},
        settings={"LOG_LEVEL": "DEBUG"},
    )
    assert result.returncode == 0, (workdir / "crawl.log").read_text()[-2000:]
    assert stats["articles/new"] > 0  # the crawl did run, through both servers
    outputs = [
        (workdir / "crawl.log").read_text("utf-8"),
        json.dumps(stats),
        result.stdout + result.stderr,
        "".join(p.read_text("utf-8") for p in (workdir / "feeds").rglob("*.csv")),
    ]
    listing = scrapy("runs", env={"DATABASE_URL": database})
    outputs.append(listing.stdout + listing.stderr)
    exported = tmp_path / "export.csv"
    assert scrapy("export", "-o", str(exported), env={"DATABASE_URL": database}).returncode == 0
    with exported.open(encoding="utf-8-sig") as stream:
        outputs.append(json.dumps(list(csv.reader(stream)), ensure_ascii=False))
    outputs.append(json.dumps([run._asdict() for run in runs(postgres_schema_url)], default=str))
    for text in outputs:
        assert PASSWORD not in text
    assert "***" in outputs[0]  # the URLs were logged, redacted
