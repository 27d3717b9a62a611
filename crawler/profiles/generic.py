"""A profile for a site nobody has profiled yet, built from its URL alone.

``scrapy crawl news -a url=https://example.com/`` uses it: no sections (a
listing page's layout cannot be guessed safely), discovery through the
sitemaps robots.txt names and the feeds the home page links to, plus the
conventional locations below; extraction through the generic chain (JSON-LD,
OpenGraph, generic selectors, trafilatura). Which links are articles is the
one heuristic: :data:`ARTICLE_PATH`.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from crawler.profiles.base import SiteProfile

# Where CMSs put their feeds and sitemaps when nothing says otherwise:
# WordPress (/feed/, /wp-sitemap.xml), Yoast and most plugins (/sitemap_index.xml),
# Drupal and custom CMSs (/rss.xml, /sitemap.xml), Google News sitemaps.
CONVENTIONAL_FEEDS: tuple[str, ...] = ("/feed/", "/rss.xml", "/rss/")
CONVENTIONAL_SITEMAPS: tuple[str, ...] = (
    "/sitemap.xml",
    "/sitemap_index.xml",
    "/news-sitemap.xml",
    "/wp-sitemap.xml",
)

# An article URL, when nothing else is known: a path that is not a known
# non-article page (taxonomy, author, pagination, search, feeds, assets, static
# pages), and that looks like one story: a numeric id of four digits or more
# (/675830/, /news/2025/01/19/...), a slug of three words or more
# (/nato-summit-ends-today), or an Arabic slug (percent-encoded UTF-8 of
# Arabic letters starts with %D8 or %D9).
ARTICLE_PATH = re.compile(
    r"^/(?!(?:tags?|category|categories|section|sections|author|authors|writer|page|search|feed|rss"
    r"|wp-content|wp-json|wp-admin|about|contact|privacy|terms|login|register|video|videos|gallery)"
    r"(?:/|$))"
    r"(?!.*\.(?:jpe?g|png|gif|webp|svg|pdf|xml|css|js|mp4|mp3|zip)$)"
    r"(?=.*(?:\d{4,}|[^/]+-[^/]+-[^/]+|%[dD][89]|[\u0600-\u06ff]))"
    r".+"
)


def site_name(url: str) -> str:
    """The record's ``site`` for a generic crawl: ``news_`` and the host, as a spider name would be."""
    host = (urlsplit(url).hostname or "").lower().removeprefix("www.")
    return "news_" + re.sub(r"[^a-z0-9]+", "_", host).strip("_")


def profile_for(url: str) -> SiteProfile:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"url must be an http(s) URL of a site, got {url!r}")
    host = parts.hostname.lower()
    bare = host.removeprefix("www.")
    return SiteProfile(
        name=site_name(url),
        publisher=bare,
        base_url=f"{parts.scheme}://{parts.netloc}",
        domains=(host,) if host == bare else (host, bare),
        article_path=ARTICLE_PATH,
        feeds=CONVENTIONAL_FEEDS,
        sitemaps=CONVENTIONAL_SITEMAPS,
    )
