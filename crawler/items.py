"""The data that flows from spider to store.

A spider yields one :class:`PageItem` per fetched article page: the page's
metadata and its body as an ordered list of :class:`Block`. The item pipelines
turn that raw page into one or more clean :class:`Article` records (a page may
carry whole articles appended after a read-also label), which the store stage
writes and the exporters read back.

Dataclasses rather than ``scrapy.Item``: they are typed end to end (mypy checks
every stage), and ``itemadapter`` lets Scrapy treat them as items all the same.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from crawler.text.neardup import Fingerprint


@dataclass(slots=True)
class Link:
    """An anchor inside a block: its visible text and absolute href."""

    text: str
    href: str


@dataclass(slots=True)
class Block:
    """One paragraph-level unit of a page body, in document order.

    ``tag`` is the element the text came from (``p``, ``h2``, ``li``,
    ``blockquote`` ...; ``line`` for a line of flattened text). ``hints`` are
    lower-cased class/id words of the element and its near ancestors inside the
    body (``read-more``, ``twitter-tweet`` ...): later stages use them as
    evidence, never as the only proof.
    """

    text: str
    links: list[Link] = field(default_factory=list)
    tag: str = "p"
    hints: tuple[str, ...] = ()

    def link_text_ratio(self) -> float:
        """Share of the block's text that is anchor text (1.0 = only links)."""
        if not self.text:
            return 0.0
        linked = sum(len(link.text) for link in self.links)
        return min(1.0, linked / len(self.text))


@dataclass(slots=True)
class RelatedLink:
    """One entry of a read-also chain."""

    title: str
    url: str = ""


@dataclass(slots=True)
class Attribution:
    """Who the page credits: a source line, an agency credit or a cited outlet."""

    kind: str  # "source_line" | "source_field" | "agency" | "cited"
    name: str
    text: str


@dataclass(slots=True)
class Actor:
    """A country, alliance, armed force, armed group or official an article mentions (crawler/lens)."""

    name: str  # canonical: one name whatever the spelling or metonym (موسكو, الكرملين -> روسيا)
    kind: str  # "country" | "alliance" | "armed_force" | "armed_group" | "official"
    mentions: int = 1
    in_title: bool = False


@dataclass(slots=True)
class Embed:
    """A social post embedded in the article (blockquote or flattened text)."""

    platform: str
    author: str = ""
    handle: str = ""
    url: str = ""
    posted_at: str = ""  # ISO date (YYYY-MM-DD) when the signature carries one
    posted_raw: str = ""
    text: str = ""
    links: list[str] = field(default_factory=list)


@dataclass(slots=True)
class PageMeta:
    """Metadata of a page, as extracted (before any normalisation)."""

    title: str = ""
    author: str = ""
    section: str = ""
    lang: str = ""
    published_raw: str = ""
    modified_raw: str = ""
    image_url: str = ""
    canonical_url: str = ""
    description: str = ""
    source_field: str = ""  # a labelled "source" field outside the body
    method: str = ""  # which extraction path produced the body
    related: list[RelatedLink] = field(default_factory=list)  # modules outside the body


@dataclass
class Article:
    """A clean record: what a user sees as one CSV row or JSON line."""

    url: str
    site: str
    source: str = ""
    title: str = ""
    author: str = ""
    section: str = ""
    lang: str = "ar"
    published_at: datetime | None = None
    published_raw: str = ""
    body: str = ""
    image_url: str = ""
    related: list[RelatedLink] = field(default_factory=list)
    attributions: list[Attribution] = field(default_factory=list)
    embeds: list[Embed] = field(default_factory=list)
    appended_from: str = ""
    duplicate_urls: list[str] = field(default_factory=list)
    first_seen_at: datetime | None = None
    last_seen_at: datetime | None = None
    revision: int = 0  # stored revisions (1 = as first stored); 0 before storage
    # The defence lens (pipelines/lens.py): None until scored.
    relevance: float | None = None
    topics: list[str] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)
    story_id: int | None = None  # the story (same event, 48 hours) the store put it in
    # Working state of the pipelines; not part of the exported record.
    blocks: list[Block] = field(default_factory=list, repr=False)
    content_hash: str = field(default="", repr=False)
    fingerprint: Fingerprint | None = field(default=None, repr=False)  # near-duplicate keys and shingles
    store_outcome: str = field(default="", repr=False)  # new / updated / unchanged / duplicate

    def paragraphs(self) -> list[str]:
        return [block.text for block in self.blocks if block.text]


@dataclass
class PageItem:
    """What a spider yields for one article page, and what pipelines enrich.

    ``articles`` is empty when the spider yields the item; the read-also stage
    fills it (the page's own article first, then any appended ones).
    """

    url: str
    site: str
    publisher: str
    fetched_at: datetime
    meta: PageMeta
    blocks: list[Block]
    requested_url: str = ""
    timezone: str = "UTC"  # the site's zone, for dates printed without one
    articles: list[Article] = field(default_factory=list)
    extras: dict[str, Any] = field(default_factory=dict)
