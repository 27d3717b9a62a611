"""The user-facing record: field order and conversion from an :class:`Article` (README, "The record").

CSV columns, JSON lines and the store's read-back all use this one definition.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any

from crawler.items import Article

RECORD_FIELDS: tuple[str, ...] = (
    "url",
    "site",
    "source",
    "publisher",
    "title",
    "author",
    "section",
    "lang",
    "published_at",
    "published_precision",
    "published_raw",
    "body",
    "image_url",
    "related",
    "attributions",
    "embeds",
    "appended_from",
    "duplicate_urls",
    "first_seen_at",
    "last_seen_at",
    "revision",
    "relevance",
    "topics",
    "actors",
    "story_id",
)
# Fields holding lists: JSON in CSV cells.
LIST_FIELDS: frozenset[str] = frozenset(
    {"related", "attributions", "embeds", "duplicate_urls", "topics", "actors"}
)

# ``scrapy export --stories``: one row per story (crawler/lens/stories.py).
STORY_FIELDS: tuple[str, ...] = (
    "story_id",
    "title",  # the first report's headline
    "first_published_at",
    "last_published_at",
    "article_count",
    "outlet_count",
    "outlets",  # every site that carried it, copies included, first reporter first
    "first_outlet",
    "first_url",
    "actors",  # names shared by most of its articles, most frequent first
    "articles",  # [{url, site, title, published_at, duplicate_urls}], oldest first
)
STORY_LIST_FIELDS: frozenset[str] = frozenset({"outlets", "actors", "articles"})

# Fields holding an instant: ISO 8601 in UTC (``…Z``) in records and JSON lines. CSV writes
# them as spreadsheets read dates, under a header that says UTC (crawler/exporters.py).
TIMESTAMP_FIELDS: frozenset[str] = frozenset(
    {"published_at", "first_seen_at", "last_seen_at", "first_published_at", "last_published_at"}
)


def iso(value: datetime | None) -> str:
    """ISO 8601 in UTC with a ``Z``; empty for unknown."""
    return value.isoformat().replace("+00:00", "Z") if value else ""


def article_to_record(article: Article) -> dict[str, Any]:
    return {
        "url": article.url,
        "site": article.site,
        "source": article.source,
        "publisher": article.publisher,
        "title": article.title,
        "author": article.author,
        "section": article.section,
        "lang": article.lang,
        "published_at": iso(article.published_at),
        "published_precision": article.published_precision,
        "published_raw": article.published_raw,
        "body": article.body,
        "image_url": article.image_url,
        "related": [asdict(item) for item in article.related],
        "attributions": [asdict(item) for item in article.attributions],
        "embeds": [
            {key: value for key, value in asdict(embed).items() if key != "posted_raw"}
            for embed in article.embeds
        ],
        "appended_from": article.appended_from,
        "duplicate_urls": list(article.duplicate_urls),
        "first_seen_at": iso(article.first_seen_at),
        "last_seen_at": iso(article.last_seen_at),
        "revision": article.revision,
        "relevance": "" if article.relevance is None else round(article.relevance, 3),
        "topics": list(article.topics),
        "actors": [asdict(actor) for actor in article.actors],
        "story_id": "" if article.story_id is None else article.story_id,
    }
