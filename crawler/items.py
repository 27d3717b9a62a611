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
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from crawler.text.neardup import Fingerprint

# Paragraphs of an article's body are separated by a blank line (Article.join_body).
PARAGRAPH_SEPARATOR = "\n\n"


class DropReason(StrEnum):
    """Why an article was not stored; counted as ``articles/dropped/<reason>``."""

    IRRELEVANT = "irrelevant"  # below MIN_RELEVANCE (pipelines/lens.py)
    NO_TITLE = "no_title"  # the store stage (pipelines/store.py)
    EMPTY_BODY = "empty_body"  # the store stage


class StoreOutcome(StrEnum):
    """What became of an article at the store; ``scrapy extract --store`` prints its value.

    A ``dropped:<reason>`` outcome is an article not stored, for :attr:`drop_reason`.
    """

    NEW = "new"
    UPDATED = "updated"  # a known URL whose text changed: the row updated, revision + 1
    UNCHANGED = "unchanged"
    DUPLICATE = "duplicate"  # its text is stored already: the URL attached to that article
    NEAR_DUPLICATE = "near_duplicate"  # a lightly edited copy of a stored article: the same
    DROPPED_IRRELEVANT = "dropped:irrelevant"
    DROPPED_NO_TITLE = "dropped:no_title"
    DROPPED_EMPTY_BODY = "dropped:empty_body"

    @classmethod
    def dropped_for(cls, reason: DropReason) -> StoreOutcome:
        return _DROPPED_FOR[reason]

    @property
    def drop_reason(self) -> DropReason | None:
        """Why the article was not stored; None for an article that reached the store."""
        return _DROP_REASONS.get(self)

    @property
    def dropped(self) -> bool:
        return self in _DROP_REASONS


_DROPPED_FOR: dict[DropReason, StoreOutcome] = {
    DropReason.IRRELEVANT: StoreOutcome.DROPPED_IRRELEVANT,
    DropReason.NO_TITLE: StoreOutcome.DROPPED_NO_TITLE,
    DropReason.EMPTY_BODY: StoreOutcome.DROPPED_EMPTY_BODY,
}
_DROP_REASONS: dict[StoreOutcome, DropReason] = {outcome: reason for reason, outcome in _DROPPED_FOR.items()}


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
    site_name: str = ""  # the name the page gives its site (og:site_name): its own credits name it
    method: str = ""  # which extraction path produced the body
    related: list[RelatedLink] = field(default_factory=list)  # modules outside the body


@dataclass
class Article:
    """A clean record: what a user sees as one CSV row or JSON line."""

    url: str
    site: str
    source: str = ""  # what the page credits; "" when nothing does (never the publisher by default)
    publisher: str = ""  # the outlet that published the page
    title: str = ""
    author: str = ""
    section: str = ""
    lang: str = "ar"
    published_at: datetime | None = None
    published_precision: str = ""  # "day" (printed without a time: at is that day, 00:00 UTC) or "minute"
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
    store_outcome: StoreOutcome | None = field(default=None, repr=False)  # None until stored or dropped
    _body_joined: bool = field(default=False, init=False, repr=False, compare=False)

    def paragraphs(self) -> list[str]:
        return [block.text for block in self.blocks if block.text]

    def join_body(self) -> str:
        """``body``: the paragraphs of ``blocks``, joined the first time it is asked for.

        The blocks are final once the dates stage has run. The first stage that reads
        the text joins them (the lens; the dedup stage when it runs without the lens, as
        tests of the record stages do), and every later reader gets the same ``body``.
        """
        if not self._body_joined:
            self.body = PARAGRAPH_SEPARATOR.join(self.paragraphs())
            self._body_joined = True
        return self.body


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
    # stages whose pure part already ran in an extraction worker (pipelines/prepare.py)
    prepared: tuple[str, ...] = ()
