"""Security limits: what a crawl may request, bounds, and secrets kept out of every output."""

from __future__ import annotations

import csv
import ipaddress
import json
import socket
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlsplit

import pytest
import redis
from scrapy import Request
from scrapy.exceptions import IgnoreRequest

from crawler import settings as project_settings
from crawler.middlewares.guard import RequestGuard
from crawler.middlewares.policy import SitePolicy, address_kind, internal_address, parse_ipv4, site_ports
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
        "2130706433",
        "127.1",
        "127.0.0.1.",
        "[::ffff:127.0.0.1]",
        "[fd00:ec2::254]",
        "100.100.100.200",
    ],
)
def test_internal_addresses(host: str) -> None:
    assert internal_address(host)


@pytest.mark.parametrize("host", ["www.elaosboa.com", "8.8.8.8", "[2001:4860::8888]"])
def test_public_addresses(host: str) -> None:
    assert not internal_address(host)


SITE_POLICY = SitePolicy(hosts=frozenset(SITE))


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://www.elaosboa.com/675830/", None),
        ("http://www.elaosboa.com/675830/", None),
        ("https://cdn.elaosboa.com/x.jpg", None),
        ("https://www.youm7.com/story/1", "other_host"),
        ("http://169.254.169.254/latest/meta-data/", "internal_address"),
        ("http://10.0.0.5/admin", "internal_address"),
        ("http://localhost:8080/", "internal_address"),
        ("http://2130706433/", "internal_address"),
        ("http://0x7f.1/", "internal_address"),
        ("http://[::ffff:127.0.0.1]/", "internal_address"),
        ("https://www.elaosboa.com:8443/675830/", "other_port"),
        ("http://www.elaosboa.com:6379/", "other_port"),
        ("http://www.elaosboa.com:99999/", "other_port"),
        ("ftp://www.elaosboa.com/file", "scheme"),
        ("file:///etc/passwd", "scheme"),
        ("javascript:alert(1)", "scheme"),
        ("mailto:news@elaosboa.com", "scheme"),
    ],
)
def test_what_a_site_crawl_may_request(url: str, reason: str | None) -> None:
    assert SITE_POLICY.blocked_reason(url) == reason


# -- numeric forms of IPv4 addresses: what inet_aton (and so the C resolver) reads them as --------

NUMERIC_FORMS = {
    "2130706433": "127.0.0.1",
    "127.1": "127.0.0.1",
    "0177.0.0.1": "127.0.0.1",
    "0x7f.1": "127.0.0.1",
    "0X7F.0.0.1": "127.0.0.1",
    "0x0000007f.1": "127.0.0.1",
    "127.0.1": "127.0.0.1",
    "10.65535": "10.0.255.255",
    "0xa9.0xfe.0xa9.0xfe": "169.254.169.254",
    "0251.0376.0251.0376": "169.254.169.254",
    "2852039166": "169.254.169.254",
    "0": "0.0.0.0",
    "00": "0.0.0.0",
    "4294967295": "255.255.255.255",
    "8.8.8.8": "8.8.8.8",
}
NOT_ADDRESSES = [
    "0x",
    "08",
    "09.1",
    "1.0x",
    "4294967296",
    "1.16777216",
    "256.1",
    "1..2",
    "+1",
    "1_0",
    "1.2.3.4.5",
    "www.elaosboa.com",
    "",
    "127.0.0.1 x",
]


@pytest.mark.parametrize(("form", "address"), NUMERIC_FORMS.items())
def test_numeric_ipv4_forms_are_read_as_the_addresses_they_are(form: str, address: str) -> None:
    assert str(parse_ipv4(form)) == address
    # the same answer as this machine's C library (glibc), which resolves these names
    assert socket.inet_ntoa(socket.inet_aton(form)) == address


@pytest.mark.parametrize("text", NOT_ADDRESSES)
def test_what_is_not_an_ipv4_address(text: str) -> None:
    assert parse_ipv4(text) is None


@pytest.mark.parametrize("form", [f for f, a in NUMERIC_FORMS.items() if a != "8.8.8.8"])
def test_numeric_forms_of_internal_addresses_are_internal(form: str) -> None:
    assert internal_address(form)
    assert SITE_POLICY.blocked_reason(f"http://{form}/latest/meta-data/") == "internal_address"


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "loopback"),
        ("::1", "loopback"),
        ("::ffff:127.0.0.1", "loopback"),
        ("2002:7f00:1::1", "loopback"),  # 6to4 of 127.0.0.1
        ("169.254.169.254", "metadata"),
        ("fd00:ec2::254", "metadata"),
        ("100.100.100.200", "metadata"),
        ("169.254.1.1", "link_local"),
        ("fe80::1", "link_local"),
        ("224.0.0.1", "multicast"),
        ("239.255.255.250", "multicast"),
        ("10.1.2.3", "private"),
        ("fd12:3456::1", "private"),
        ("100.64.0.1", "not_global"),
        ("0.0.0.0", "unspecified"),
        ("8.8.8.8", None),
        ("2001:4860::8888", None),
    ],
)
def test_address_kinds(address: str, kind: str | None) -> None:
    assert address_kind(ipaddress.ip_address(address)) == kind


# -- ports: the site's own, nothing else on its host --------------------------------------------


def test_a_site_on_its_own_port_allows_that_port_only() -> None:
    policy = SitePolicy(hosts=frozenset({"127.0.0.1", *SITE}), ports=site_ports(["http://127.0.0.1:8765"]))
    assert policy.blocked_reason("http://127.0.0.1:8765/123/") is None
    for port in (80, 443, 6379, 8766):
        assert policy.blocked_reason(f"http://127.0.0.1:{port}/123/") == "other_port"
    # the profile's own hosts keep the standard ports
    assert policy.blocked_reason("https://www.elaosboa.com/123/") is None
    assert policy.blocked_reason("https://www.elaosboa.com:8765/123/") == "other_port"


def test_the_ports_of_a_spider_come_from_its_base_url_and_start_urls() -> None:
    spider = SimpleNamespace(
        profile=SimpleNamespace(base_url="http://127.0.0.1:8765"),
        start_urls=["https://news.example:8443/feed", "http://www.elaosboa.com:80/"],
        allowed_domains=["127.0.0.1", "news.example", "www.elaosboa.com"],
    )
    policy = SitePolicy.of(spider)  # type: ignore[arg-type]
    assert policy.ports_of("127.0.0.1") == {8765}
    assert policy.ports_of("news.example") == {8443}
    assert policy.ports_of("www.elaosboa.com") == {80, 443}
    assert policy.ports_of("cdn.elaosboa.com") == {80, 443}


def test_a_mirror_on_loopback_reaches_its_own_address_only() -> None:
    """Tests and demos serve the site on 127.0.0.1: that address, not the rest of the network."""
    policy = SitePolicy(hosts=frozenset({"127.0.0.1"}), ports=site_ports(["http://127.0.0.1:8000"]))
    assert policy.blocked_reason("http://127.0.0.1:8000/1/") is None
    assert policy.blocked_reason("http://2130706433:8000/1/") is None  # the same address, written otherwise
    for url in ("http://127.0.0.2:8000/", "http://169.254.169.254/", "http://localhost:8000/"):
        assert policy.blocked_reason(url) == "internal_address"


def test_resolved_addresses_are_allowed_only_for_a_site_declared_on_them() -> None:
    public = SitePolicy(hosts=frozenset({"news.example"}))
    mirror = SitePolicy(hosts=frozenset({"127.0.0.1"}))
    local = SitePolicy(hosts=frozenset({"localhost"}))
    extract = SitePolicy(allow_internal=True)
    loopback, metadata = ipaddress.ip_address("127.0.0.1"), ipaddress.ip_address("169.254.169.254")
    assert public.allows_address("news.example", ipaddress.ip_address("93.184.216.34"))
    assert not public.allows_address("news.example", loopback)
    assert not public.allows_address("news.example", metadata)
    assert mirror.allows_address("127.0.0.1", loopback)
    assert not mirror.allows_address("rebound.example", metadata)
    assert local.allows_address("localhost", loopback)
    assert not local.allows_address("localhost", metadata)
    assert extract.allows_address("anything", metadata)


def guard_for(allowed: list[str], **spider: Any) -> RequestGuard:
    crawler = SimpleNamespace(stats=None, spider=SimpleNamespace(allowed_domains=allowed, **spider))
    return RequestGuard(crawler)  # type: ignore[arg-type]


def test_the_guard_drops_requests_to_the_servers_network() -> None:
    guard = guard_for(["www.elaosboa.com"])
    guard.process_request(Request("https://www.elaosboa.com/1/"))
    for url in (
        "http://169.254.169.254/",
        "http://127.0.0.1:6379/",
        "http://2130706433/",
        "https://evil.example/",
        "https://www.elaosboa.com:6379/",
        "ftp://www.elaosboa.com/",
    ):
        with pytest.raises(IgnoreRequest):
            guard.process_request(Request(url))


def test_a_mirror_on_loopback_may_be_crawled() -> None:
    """Tests and demos serve the site on 127.0.0.1: the base URL's own host and port are allowed."""
    guard = guard_for(["127.0.0.1"], profile=SimpleNamespace(base_url="http://127.0.0.1:8000"))
    guard.process_request(Request("http://127.0.0.1:8000/123/"))
    for url in ("http://evil.example/", "http://127.0.0.1:6379/", "http://127.0.0.1/"):
        with pytest.raises(IgnoreRequest):
            guard.process_request(Request(url))


def test_bounds_and_politeness_are_on_by_default() -> None:
    assert project_settings.ROBOTSTXT_OBEY is True
    assert project_settings.DOWNLOAD_MAXSIZE <= 10 * 1024 * 1024
    assert project_settings.DOWNLOAD_TIMEOUT <= 60
    assert project_settings.REDIRECT_MAX_TIMES <= 5
    assert project_settings.RETRY_TIMES <= 3
    assert project_settings.REMOTE_CONTROL_ENABLED is False
    assert project_settings.TELNETCONSOLE_ENABLED is False
    assert project_settings.DOWNLOADER_MIDDLEWARES["crawler.middlewares.guard.RequestGuard"] < 100
    assert project_settings.TWISTED_DNS_RESOLVER == "crawler.middlewares.resolver.GuardedResolver"


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
