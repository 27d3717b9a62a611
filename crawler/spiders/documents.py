"""Feeds and sitemaps read as a hostile site may serve them.

Written by hand on lxml rather than with Scrapy's ``Sitemap`` or a feed library:
the spider needs three things neither gives. The parser's own error log, so
that a document lxml gave up on (an entity-expansion bomb, a loop of
entities, garbage) is counted as ``unparsable`` instead of read as an empty
list of links; the ``news:publication_date`` nested in a Google News entry,
which Scrapy's ``Sitemap`` flattens away; and raw ``&`` in URLs repaired
before parsing, since lxml's recovering parser silently drops ``&y`` from
``?x=1&y=2`` (an undefined entity reference) and every later entity of the
document with it. Entities are never resolved, nothing is fetched from the
network, and gzip is undone within a size limit.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from lxml import etree
from scrapy.utils.gz import gunzip

# libxml2 stops expanding entities at these, and returns what it had read so far (often nothing)
_ENTITY_ATTACKS = frozenset({"ERR_ENTITY_LOOP", "ERR_RESOURCE_LIMIT"})
# A raw "&" that starts no entity or character reference; CDATA sections are matched first and
# kept as they are (a "&" inside them is text already).
_CDATA_OR_BARE_AMPERSAND = re.compile(
    rb"<!\[CDATA\[.*?\]\]>|&(?!(?:[A-Za-z_:][A-Za-z0-9_.:-]*|#[0-9]+|#x[0-9A-Fa-f]+);)", re.DOTALL
)
_GZIP_MAGIC = b"\x1f\x8b"


class UnreadableDocument(Exception):
    """A feed or sitemap that gives no trustworthy list of links; ``reason`` goes in the stats."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class SitemapEntry:
    loc: str
    lastmod: str = ""  # as the sitemap writes it (compared as text with what it said before)
    dated: datetime | None = None  # news:publication_date, else lastmod; None when absent or unreadable


@dataclass(frozen=True)
class Sitemap:
    is_index: bool
    entries: list[SitemapEntry]


def _escape_bare_ampersands(body: bytes) -> bytes:
    def repair(match: re.Match[bytes]) -> bytes:
        found = match.group(0)
        return found if found.startswith(b"<!") else b"&amp;"

    return _CDATA_OR_BARE_AMPERSAND.sub(repair, body) if b"&" in body else body


def parse_xml(body: bytes) -> tuple[etree._Element, list[str]]:
    """The document's root and the fatal errors lxml recovered from; :class:`UnreadableDocument`
    when there is no root or lxml stopped at an entity attack."""
    parser = etree.XMLParser(
        recover=True, resolve_entities=False, no_network=True, remove_comments=True, remove_pis=True
    )
    try:
        root = etree.fromstring(_escape_bare_ampersands(body), parser=parser)
    except etree.XMLSyntaxError as error:
        raise UnreadableDocument("unparsable", str(error)) from error
    fatal = [error for error in parser.error_log if error.level_name == "FATAL"]
    attack = next((error for error in fatal if error.type_name in _ENTITY_ATTACKS), None)
    if attack is not None:
        raise UnreadableDocument("unparsable", f"entity expansion refused: {attack.message}")
    if root is None:
        raise UnreadableDocument("unparsable", fatal[0].message if fatal else "no XML document")
    return root, [error.message for error in fatal]


def _nothing_read(fatal: list[str]) -> UnreadableDocument:
    """A document lxml recovered from without finding one entry: garbage, not an empty list."""
    return UnreadableDocument("unparsable", f"no entry could be read ({fatal[0]})")


def _local(element: etree._Element) -> str:
    tag = element.tag
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _children(element: etree._Element, name: str) -> Iterable[etree._Element]:
    return (child for child in element.iterchildren() if _local(child) == name)


def feed_links(body: bytes) -> list[str]:
    """The item links of an RSS or Atom feed, in order (an empty feed gives none)."""
    root, fatal = parse_xml(body)
    links: list[str] = []
    for element in root.iter():
        name = _local(element)
        if name == "item":
            links += ["".join(link.itertext()).strip() for link in _children(element, "link")]
        elif name == "entry":
            links += [str(link.get("href", "")).strip() for link in _children(element, "link")]
    links = [link for link in links if link]
    if not links and fatal:
        raise _nothing_read(fatal)
    return links


def w3c_datetime(text: str) -> datetime | None:
    """A sitemap date (W3C datetime: a day, or a time with an offset) as UTC; None when unreadable."""
    text = text.strip()
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _text(element: etree._Element, *path: str) -> str:
    for name in path:
        found = next(iter(_children(element, name)), None)
        if found is None:
            return ""
        element = found
    return "".join(element.itertext()).strip()


def read_sitemap(body: bytes, max_size: int) -> Sitemap:
    """A sitemap or sitemap index, gzipped or not, its entries with their dates."""
    if body[:2] == _GZIP_MAGIC:
        try:
            body = gunzip(body, max_size=max_size)
        except ValueError as error:  # scrapy's "decompressed size over max_size" (a gzip bomb)
            raise UnreadableDocument("too_large", f"over {max_size} bytes once decompressed") from error
        except (OSError, EOFError, struct.error) as error:
            raise UnreadableDocument("unparsable", f"broken gzip: {error}") from error
    root, fatal = parse_xml(body)
    kind = _local(root)
    if kind not in ("urlset", "sitemapindex"):
        raise UnreadableDocument("unparsable", f"<{kind}> is neither a urlset nor a sitemapindex")
    entries = []
    for element in root.iterchildren():
        if _local(element) not in ("url", "sitemap"):
            continue
        loc = _text(element, "loc")
        if not loc:
            continue
        lastmod = _text(element, "lastmod")
        published = w3c_datetime(_text(element, "news", "publication_date"))
        entries.append(SitemapEntry(loc, lastmod, published or w3c_datetime(lastmod)))
    if not entries and fatal:
        raise _nothing_read(fatal)
    return Sitemap(kind == "sitemapindex", entries)
