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
from crawler.text.urls import ARTICLE_PATH

__all__ = ["ARTICLE_PATH", "NEUTRAL", "profile_for", "site_name"]

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


# A page with no site to go by (a saved file extracted without ``--url``): no
# publisher, no zone but UTC, no language assumed; extraction reads all of them
# from the page itself.
NEUTRAL = SiteProfile(
    name="generic",
    publisher="",
    base_url="",
    domains=(),
    article_path=ARTICLE_PATH,
    lang="",
)
