"""The request guard's rules as data: which URLs and which addresses one crawl may reach.

Shared by the request guard (crawler/middlewares/guard.py), which checks every URL
before it is requested and every redirect before it is queued, and the resolver
(crawler/middlewares/resolver.py), which checks the address a name resolves to at
connection time. No Scrapy machinery here: pure functions of URLs, addresses and a
spider's declared site, so each rule is unit-tested on its own (tests/test_security.py).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from scrapy import Spider

from crawler.spiders.flags import ALLOWED_SCHEMES, spider_flags

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})
# Ports of a host named without one: a site on the standard ports may move between http and https.
DEFAULT_PORTS = frozenset({80, 443})
_SCHEME_PORTS = {"http": 80, "https": 443}
# Cloud instance metadata services (AWS, GCP, Azure; AWS over IPv6; Alibaba).
METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(a) for a in ("169.254.169.254", "fd00:ec2::254", "100.100.100.200")
)
_LOOPBACK_NETWORKS = (ipaddress.ip_network("127.0.0.0/8"), ipaddress.ip_network("::1/128"))
_DIGITS = {8: frozenset("01234567"), 10: frozenset("0123456789"), 16: frozenset("0123456789abcdef")}


def parse_ipv4(host: str) -> ipaddress.IPv4Address | None:
    """The IPv4 address ``host`` names in any form ``inet_aton`` reads, else None.

    ``127.1``, ``2130706433``, ``0177.0.0.1`` and ``0x7f.1`` are all 127.0.0.1 to
    the C library that resolves names, so the guard must read them the same way.
    Written by hand rather than with ``socket.inet_aton``: that one depends on the
    platform's C library (glibc also accepts ``"1.2.3.4 anything"``, other libcs
    differ), and a guard must decide the same on every machine. One to four
    parts, each decimal, octal (leading 0) or hexadecimal (0x); the last part
    fills the bytes left (``a.b`` is 8 + 24 bits).
    """
    parts = host.split(".")
    if not 1 <= len(parts) <= 4:
        return None
    values: list[int] = []
    for part in parts:
        text, base = part.lower(), 10
        if text.startswith("0x"):
            text, base = text[2:], 16
        elif len(text) > 1 and text.startswith("0"):
            text, base = text[1:], 8
        if not text or not set(text) <= _DIGITS[base]:
            return None
        values.append(int(text, base))
    *leading, last = values
    if any(value > 255 for value in leading) or last >= 256 ** (4 - len(leading)):
        return None
    number = last
    for position, value in enumerate(leading):
        number += value << (8 * (3 - position))
    return ipaddress.IPv4Address(number)


def normal_host(host: str) -> str:
    """A host as compared: lower case, no brackets or final dot, an address in its usual form."""
    host = host.strip().strip("[]").lower().rstrip(".")
    address = host_address(host)
    return str(address) if address is not None else host


def host_address(host: str) -> IPAddress | None:
    """The IP address a URL's host is, however it is written; None for a name."""
    host = host.strip("[]").lower().rstrip(".")
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return parse_ipv4(host)


def address_kind(address: IPAddress) -> str | None:
    """Why a crawler must not connect to ``address`` (loopback, private…), or None for a public one."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is not None:
            kind = address_kind(embedded)
            if kind is not None:
                return kind
    checks = (
        (address.is_unspecified, "unspecified"),
        (address.is_loopback, "loopback"),
        (address in METADATA_ADDRESSES, "metadata"),
        (address.is_link_local, "link_local"),
        (address.is_multicast, "multicast"),
        (address.is_private, "private"),
        (address.is_reserved, "reserved"),
        (not address.is_global, "not_global"),  # shared (CGNAT) space and the like
    )
    return next((kind for matched, kind in checks if matched), None)


def is_local_name(host: str) -> bool:
    host = host.lower().rstrip(".")
    return host in LOCAL_NAMES or host.endswith(".localhost")


def internal_address(host: str) -> bool:
    """A host that names the machine or its private network."""
    if is_local_name(host.strip("[]")):
        return True
    address = host_address(host)
    return address is not None and address_kind(address) is not None


def url_port(scheme: str, port: int | None) -> int | None:
    return port if port is not None else _SCHEME_PORTS.get(scheme)


@dataclass(frozen=True)
class SitePolicy:
    """What one crawl may request, from its spider: hosts, ports, schemes, internal addresses."""

    hosts: frozenset[str] = frozenset()  # allowed domains, normalised; empty: any host
    ports: Mapping[str, frozenset[int]] = field(default_factory=dict)  # a host's own ports
    allow_internal: bool = False  # the spider's flag (scrapy extract's inputs)
    schemes: frozenset[str] = ALLOWED_SCHEMES

    @classmethod
    def of(cls, spider: Spider | None) -> SitePolicy:
        flags = spider_flags(spider)
        # Scrapy's own attribute, optional on a spider (OffsiteMiddleware reads it the same way)
        domains = getattr(spider, "allowed_domains", None) or []
        return cls(
            hosts=frozenset(normal_host(d) for d in domains if d),
            ports=site_ports(site_urls(spider)),
            allow_internal=flags.allow_internal_hosts,
            schemes=flags.allowed_schemes,
        )

    def own_host(self, host: str) -> bool:
        if not self.hosts:
            return True
        if host in self.hosts:
            return True
        if host_address(host) is not None:
            return False  # an address is its own host, never a subdomain
        return any(host.endswith("." + domain) for domain in self.hosts)

    def internal_allowed(self, host: str) -> bool:
        """An internal host may be requested only when it is one the site is on, or by the spider's flag."""
        return self.allow_internal or host in self.hosts

    def ports_of(self, host: str) -> frozenset[int]:
        return self.ports.get(host, DEFAULT_PORTS)

    def blocked_reason(self, url: str) -> str | None:
        """Why ``url`` must not be requested, or None."""
        parts = urlsplit(url)
        if parts.scheme not in self.schemes:
            return "scheme"
        if parts.scheme == "file":
            return None  # a local file the user named (scrapy extract)
        host = normal_host(parts.hostname or "")
        if not host:
            return "no_host"
        if internal_address(host) and not self.internal_allowed(host):
            return "internal_address"
        if not self.own_host(host):
            return "other_host"
        try:
            port = url_port(parts.scheme, parts.port)
        except ValueError:  # out of range
            return "other_port"
        if self.hosts and port not in self.ports_of(host):
            return "other_port"
        return None

    def allows_address(self, name: str, address: IPAddress) -> bool:
        """Whether a connection to ``name`` may go to ``address`` (the resolver asks).

        Internal addresses only when the spider allows them, or when the site itself is
        declared on them: its own address literal (a mirror on 127.0.0.1), or loopback
        for a site on ``localhost``. A site given by a public-looking name that resolves
        to this machine is refused (DNS rebinding, a dangling record).
        """
        if self.allow_internal or address_kind(address) is None:
            return True
        if str(address) in self.hosts:
            return True
        local_site = any(is_local_name(host) for host in self.hosts)
        return local_site and any(address in network for network in _LOOPBACK_NETWORKS)


def site_urls(spider: Spider | None) -> list[str]:
    """The URLs a spider names for its site: its profile's base URL and its start URLs."""
    profile = getattr(spider, "profile", None)
    base = getattr(profile, "base_url", None)
    return [
        url for url in [base, *(getattr(spider, "start_urls", None) or [])] if isinstance(url, str) and url
    ]


def site_ports(urls: Iterable[str]) -> dict[str, frozenset[int]]:
    """Each host's ports, from URLs that name the site: a port written in one is that host's only
    port; a host written without a port (or with its scheme's own) keeps 80 and 443."""
    ports: dict[str, set[int]] = {}
    for url in urls:
        parts = urlsplit(url)
        host = normal_host(parts.hostname or "")
        try:
            port = parts.port
        except ValueError:
            continue
        if not host:
            continue
        own = {port} if port is not None and port != _SCHEME_PORTS.get(parts.scheme) else set(DEFAULT_PORTS)
        ports.setdefault(host, set()).update(own)
    return {host: frozenset(values) for host, values in ports.items()}
